//! Go's `text/tabwriter`, which lays out every table kubectl prints: `get` uses the
//! `github.com/liggitt/tabwriter` fork (min width 6, padding 3, `RememberWidths` so watch rows
//! never shrink a column), `describe` the standard one (min width 0, padding 2). Columns are
//! aligned per block of consecutive lines that have a cell in that column, so the output only
//! matches kubectl's if the same algorithm sees the same tab-separated text.

/// One tab-terminated cell (or the trailing text of a line).
struct Cell {
    text: String,
    width: usize,
}

struct Line {
    cells: Vec<Cell>,
    /// False only for trailing text that had no newline yet.
    newline: bool,
}

pub(crate) struct TabWriter {
    minwidth: usize,
    padding: usize,
    remember_widths: bool,
    /// `RememberWidths`: the widest each column has been since the last reset.
    maxwidths: Vec<usize>,
    pending: String,
}

impl TabWriter {
    /// cli-runtime `printers.GetNewTabWriter`.
    pub(crate) fn for_tables() -> Self {
        TabWriter { minwidth: 6, padding: 3, remember_widths: true, maxwidths: Vec::new(), pending: String::new() }
    }

    /// describe.go `tabbedString`: `Init(buf, 0, 8, 2, ' ', 0)`.
    pub(crate) fn for_describe() -> Self {
        TabWriter { minwidth: 0, padding: 2, remember_widths: false, maxwidths: Vec::new(), pending: String::new() }
    }

    pub(crate) fn write(&mut self, text: &str) {
        self.pending.push_str(text);
    }

    /// liggitt/tabwriter `SetRememberedWidths(nil)`: a new resource type starts fresh.
    pub(crate) fn forget_widths(&mut self) {
        self.maxwidths.clear();
    }

    /// Formats and returns everything written since the last flush.
    pub(crate) fn flush(&mut self) -> String {
        let text = std::mem::take(&mut self.pending);
        let mut lines: Vec<Line> = Vec::new();
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let (line, newline, next) = match rest.find('\n') {
                Some(i) => (&rest[..i], true, &rest[i + 1..]),
                None => (rest, false, ""),
            };
            let cells = line.split('\t').map(|t| Cell { text: t.to_string(), width: t.chars().count() }).collect();
            lines.push(Line { cells, newline });
            rest = next;
        }
        let mut out = String::new();
        let mut widths = Vec::new();
        self.format(&mut out, &lines, &mut widths, 0, lines.len());
        out
    }

    /// text/tabwriter `Writer.format`: lays out the column blocks of `lines[line0..line1]`
    /// for column `widths.len()`, recursing into the columns to the right.
    fn format(&mut self, out: &mut String, lines: &[Line], widths: &mut Vec<usize>, line0: usize, line1: usize) {
        let column = widths.len();
        let mut line0 = line0;
        let mut this = line0;
        while this < line1 {
            if column + 1 >= lines[this].cells.len() {
                this += 1;
                continue;
            }
            write_lines(out, lines, widths, line0, this);
            line0 = this;
            let mut width = self.minwidth;
            while this < line1 {
                let line = &lines[this];
                if column + 1 >= line.cells.len() {
                    break;
                }
                width = width.max(line.cells[column].width + self.padding);
                this += 1;
            }
            if self.remember_widths {
                if self.maxwidths.len() < widths.len() {
                    let known = self.maxwidths.len();
                    self.maxwidths.extend_from_slice(&widths[known..]);
                }
                if self.maxwidths.len() == widths.len() {
                    self.maxwidths.push(width);
                } else if self.maxwidths[column] > width {
                    width = self.maxwidths[column];
                } else {
                    self.maxwidths[column] = width;
                }
            }
            widths.push(width);
            self.format(out, lines, widths, line0, this);
            widths.pop();
            line0 = this;
        }
        write_lines(out, lines, widths, line0, line1);
    }
}

/// text/tabwriter `Writer.writeLines`: every cell but a line's last is padded to its column.
fn write_lines(out: &mut String, lines: &[Line], widths: &[usize], line0: usize, line1: usize) {
    for line in &lines[line0..line1] {
        for (j, cell) in line.cells.iter().enumerate() {
            out.push_str(&cell.text);
            if let Some(w) = widths.get(j) {
                out.extend(std::iter::repeat_n(' ', w.saturating_sub(cell.width)));
            }
        }
        if line.newline {
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> String {
        let mut tw = TabWriter::for_tables();
        tw.write(text);
        tw.flush()
    }

    #[test]
    fn pads_every_column_but_the_last() {
        assert_eq!(
            table("NAME\tREADY\tSTATUS\tRESTARTS\tAGE\nnginx\t1/1\tRunning\t0\t10s\n"),
            "NAME    READY   STATUS    RESTARTS   AGE\nnginx   1/1     Running   0          10s\n"
        );
        // Minimum width 6 even for short cells.
        assert_eq!(table("A\tB\nx\ty\n"), "A     B\nx     y\n");
    }

    #[test]
    fn blocks_end_at_lines_without_the_column() {
        let mut tw = TabWriter::for_describe();
        tw.write("Name:\tweb\nNamespace:\tdefault\nContainers:\n  app:\n    Image:\tnginx\n    Port:\t<none>\n");
        assert_eq!(
            tw.flush(),
            "Name:       web\nNamespace:  default\nContainers:\n  app:\n    Image:  nginx\n    Port:   <none>\n"
        );
    }

    #[test]
    fn remembered_widths_only_grow_until_forgotten() {
        let mut tw = TabWriter::for_tables();
        tw.write("NAME\tSTATUS\nlong-pod-name\tRunning\n");
        assert_eq!(tw.flush(), "NAME            STATUS\nlong-pod-name   Running\n");
        tw.write("a\tPending\n");
        assert_eq!(tw.flush(), "a               Pending\n");
        tw.forget_widths();
        tw.write("a\tPending\n");
        assert_eq!(tw.flush(), "a     Pending\n");
    }

    #[test]
    fn trailing_text_without_newline_is_kept_and_width_counts_runes() {
        let mut tw = TabWriter::for_describe();
        tw.write("é\tx\nab\ty");
        assert_eq!(tw.flush(), "é   x\nab  y");
    }
}
