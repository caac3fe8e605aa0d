//! The editor's YAML text help, as pure functions tested natively: syntax highlighting by
//! line (keys, strings, numbers, booleans, comments, anchors, document markers), the
//! diagnostic underline, and the keys that suit YAML (Enter keeps and deepens indentation,
//! Tab and Shift+Tab indent and outdent lines by two spaces).
//!
//! Highlighting is for the eye only: it never decides anything, so a line it reads
//! differently from the YAML parser is merely coloured differently.

/// One coloured piece of a line; `class` is `""` for plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub class: &'static str,
    pub text: String,
    /// Underlined as the place of a diagnostic: its severity.
    pub mark: Option<&'static str>,
}

/// Spaces per indentation step.
pub const INDENT: &str = "  ";

/// The spans of one line (without its newline), with columns `mark.1` (1-based, chars) to
/// the end of the word there underlined; a mark without a column underlines the whole line.
pub fn spans(line: &str, mark: Option<(&'static str, Option<usize>)>) -> Vec<Span> {
    let chars: Vec<char> = line.chars().collect();
    let mut classes = vec![""; chars.len()];
    classify(&chars, &mut classes);
    let underlined = |i: usize| match mark {
        None => false,
        Some((_, None)) => !chars[i].is_whitespace() || chars[..i].iter().any(|c| !c.is_whitespace()),
        Some((_, Some(col))) => {
            let start = col.saturating_sub(1).min(chars.len().saturating_sub(1));
            let end = (start..chars.len()).find(|&j| j > start && is_boundary(chars[j])).unwrap_or(chars.len());
            (start..end).contains(&i)
        }
    };
    let mut out: Vec<Span> = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        let here = (classes[i], underlined(i).then(|| mark.map(|m| m.0)).flatten());
        match out.last_mut() {
            Some(last) if (last.class, last.mark) == here => last.text.push(*c),
            _ => out.push(Span { class: here.0, text: c.to_string(), mark: here.1 }),
        }
    }
    out
}

fn is_boundary(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ']' | '}')
}

/// Colours one line: comments, quoted strings, keys, then the scalar after a key or dash.
fn classify(chars: &[char], classes: &mut [&'static str]) {
    let n = chars.len();
    let indent = chars.iter().take_while(|c| **c == ' ').count();
    let rest: String = chars[indent..].iter().collect();
    if indent == 0 && (rest.starts_with("---") || rest.starts_with("...")) {
        classes[..3.min(n)].fill("doc");
        return;
    }
    let mut i = indent;
    // List dashes.
    while i < n && chars[i] == '-' && chars.get(i + 1).is_none_or(|c| *c == ' ') {
        classes[i] = "punct";
        i += 1;
        while i < n && chars[i] == ' ' {
            i += 1;
        }
    }
    // A key: plain or quoted text up to `: ` or a final `:`.
    let key_end = key_end(chars, i);
    if let Some(end) = key_end {
        classes[i..end].fill("key");
        classes[end] = "punct";
        i = end + 1;
    }
    let value_start = (i..n).find(|&j| chars[j] != ' ').unwrap_or(n);
    scalar(chars, value_start, classes);
}

/// Where the `:` of a mapping key starting at `from` is, outside quotes.
fn key_end(chars: &[char], from: usize) -> Option<usize> {
    let mut quote = None;
    for j in from..chars.len() {
        let c = chars[j];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if j == from && (c == '"' || c == '\'') => quote = Some(c),
            None if c == '#' && j > from && chars[j - 1] == ' ' => return None,
            None if c == ':' && chars.get(j + 1).is_none_or(|n| *n == ' ') => {
                return (j > from).then_some(j);
            }
            None if j == from && matches!(c, '[' | '{' | '#' | '&' | '*' | '!' | '|' | '>') => return None,
            None => {}
        }
    }
    None
}

/// Colours a value from `from` to the end of the line: strings, numbers, booleans and null,
/// anchors, aliases, block scalar indicators, flow punctuation and a trailing comment.
fn scalar(chars: &[char], from: usize, classes: &mut [&'static str]) {
    let n = chars.len();
    let mut i = from;
    while i < n {
        let c = chars[i];
        match c {
            '#' if i == 0 || chars[i - 1] == ' ' => {
                classes[i..].fill("comment");
                return;
            }
            '"' | '\'' => {
                let mut j = i + 1;
                while j < n && chars[j] != c {
                    j += if c == '"' && chars[j] == '\\' { 2 } else { 1 };
                }
                let end = (j + 1).min(n);
                classes[i..end].fill("string");
                i = end;
            }
            '[' | ']' | '{' | '}' | ',' => {
                classes[i] = "punct";
                i += 1;
            }
            '&' | '*' if i == from || chars[i - 1] == ' ' => {
                let end = (i..n).find(|&j| is_boundary(chars[j])).unwrap_or(n);
                classes[i..end].fill("anchor");
                i = end;
            }
            '|' | '>' if i == from => {
                classes[i] = "punct";
                i += 1;
            }
            ' ' => i += 1,
            _ => {
                // A plain word: up to flow punctuation or a comment.
                let mut end = i;
                while end < n && !matches!(chars[end], ',' | ']' | '}') && !(chars[end] == '#' && chars[end - 1] == ' ')
                {
                    end += 1;
                }
                let word: String = chars[i..end].iter().collect::<String>();
                let class = plain_class(word.trim_end());
                classes[i..end].fill(class);
                i = end;
            }
        }
    }
}

/// YAML 1.1 words go-yaml resolves to numbers, booleans and null get their own colour.
fn plain_class(word: &str) -> &'static str {
    match word {
        "true" | "false" | "True" | "False" | "TRUE" | "FALSE" | "yes" | "no" | "on" | "off" => "bool",
        "null" | "~" | "Null" | "NULL" => "null",
        w if !w.is_empty() && w.parse::<f64>().is_ok() => "number",
        _ => "",
    }
}

/// What Enter inserts after `before` (the line up to the cursor): a newline and the same
/// indentation, one step deeper after a key that opens a block (`spec:`), aligned with the
/// item's keys after a list dash (`- name: x` → under `name`).
pub fn newline(before: &str) -> String {
    let indent = before.chars().take_while(|c| *c == ' ').count();
    let trimmed = before.trim_end();
    let rest = &trimmed[indent.min(trimmed.len())..];
    let mut width = indent;
    let mut item = rest;
    while let Some(after) = item.strip_prefix("- ") {
        width += 2;
        item = after.trim_start_matches(' ');
    }
    if item == "-" {
        width += 2;
    } else if trimmed.ends_with(':') || trimmed.ends_with(": |") || trimmed.ends_with(": >") {
        width = if rest.starts_with("- ") { width + 2 } else { indent + 2 };
    }
    format!("\n{}", " ".repeat(width))
}

/// Tab / Shift+Tab on a selection of UTF-16 offsets `start..end` (as the textarea counts):
/// a caret without Shift inserts two spaces; otherwise every line the selection touches is
/// indented or outdented by two spaces. Returns the new text and selection.
pub fn tab(text: &str, start: usize, end: usize, outdent: bool) -> (String, usize, usize) {
    let len = utf16_len(text);
    let (start, end) = (start.min(end).min(len), start.max(end).min(len));
    let (bs, be) = (byte_at(text, start), byte_at(text, end));
    if !outdent && bs == be {
        let next = format!("{}{INDENT}{}", &text[..bs], &text[bs..]);
        return (next, start + INDENT.len(), start + INDENT.len());
    }
    let first = text[..bs].rfind('\n').map_or(0, |i| i + 1);
    // A selection that ends at the start of a line leaves that line alone.
    let last = if be > bs && text[..be].ends_with('\n') { be - 1 } else { be };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    // (line start in UTF-16, characters added (+) or removed (−) there).
    let mut edits: Vec<(usize, isize)> = Vec::new();
    let mut pos = first;
    for line in text[first..].split_inclusive('\n') {
        if pos > last {
            break;
        }
        let at = utf16_len(&text[..pos]);
        if outdent {
            let strip = line.chars().take(INDENT.len()).take_while(|c| *c == ' ').count();
            out.push_str(&line[strip..]);
            edits.push((at, -(strip as isize)));
        } else {
            out.push_str(INDENT);
            out.push_str(line);
            edits.push((at, INDENT.len() as isize));
        }
        pos += line.len();
    }
    out.push_str(&text[pos.min(text.len())..]);
    // A position moves with the edits before it; one inside removed spaces lands at their start.
    let moved = |p: usize| -> usize {
        let shift: isize = edits
            .iter()
            .filter(|(at, _)| *at < p)
            .map(|&(at, d)| if d < 0 { -(d.abs().min((p - at) as isize)) } else { d })
            .sum();
        (p as isize + shift).max(0) as usize
    };
    (out, moved(start), moved(end))
}

/// The part of `old` that became `new`: `(from, to)` in UTF-16 offsets of `old` and the text
/// that replaces it, so an edit can go through the browser's own undo history.
pub fn replacement(old: &str, new: &str) -> (usize, usize, String) {
    let prefix =
        old.char_indices().zip(new.chars()).take_while(|((_, a), b)| a == b).map(|((i, a), _)| i + a.len_utf8()).last();
    let prefix = prefix.unwrap_or(0);
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let suffix = old[prefix..]
        .chars()
        .rev()
        .zip(new[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .scan(0, |sum, n| {
            *sum += n;
            Some(*sum)
        })
        .take_while(|sum| *sum <= max_suffix)
        .last()
        .unwrap_or(0);
    let from = utf16_len(&old[..prefix]);
    let to = utf16_len(&old[..old.len() - suffix]);
    (from, to, new[prefix..new.len() - suffix].to_owned())
}

/// The byte offset of a UTF-16 offset (clamped to the text).
pub fn byte_at(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

fn utf16_len(text: &str) -> usize {
    text.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> Vec<(&'static str, String)> {
        spans(line, None).into_iter().map(|s| (s.class, s.text)).collect()
    }

    fn owned(parts: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
        parts.iter().map(|(c, t)| (*c, t.to_string())).collect()
    }

    #[test]
    fn keys_values_and_comments_get_their_colours() {
        assert_eq!(
            classes("  name: web # the pod"),
            owned(&[("", "  "), ("key", "name"), ("punct", ":"), ("", " web "), ("comment", "# the pod")])
        );
        assert_eq!(
            classes("- restartPolicy: Always"),
            owned(&[("punct", "-"), ("", " "), ("key", "restartPolicy"), ("punct", ":"), ("", " Always")])
        );
        assert_eq!(
            classes("  command: [\"sh\", \"-c\", 'a # b']"),
            owned(&[
                ("", "  "),
                ("key", "command"),
                ("punct", ":"),
                ("", " "),
                ("punct", "["),
                ("string", "\"sh\""),
                ("punct", ","),
                ("", " "),
                ("string", "\"-c\""),
                ("punct", ","),
                ("", " "),
                ("string", "'a # b'"),
                ("punct", "]")
            ])
        );
        assert_eq!(classes("replicas: 3"), owned(&[("key", "replicas"), ("punct", ":"), ("", " "), ("number", "3")]));
        assert_eq!(classes("ok: true"), owned(&[("key", "ok"), ("punct", ":"), ("", " "), ("bool", "true")]));
        assert_eq!(classes("---"), owned(&[("doc", "---")]));
        assert_eq!(classes("a: &x b"), owned(&[("key", "a"), ("punct", ":"), ("", " "), ("anchor", "&x"), ("", " b")]));
        assert_eq!(classes("image: nginx:1.25"), owned(&[("key", "image"), ("punct", ":"), ("", " nginx:1.25")]));
        assert_eq!(classes("url: http://x"), owned(&[("key", "url"), ("punct", ":"), ("", " http://x")]));
    }

    #[test]
    fn every_character_is_kept_in_order() {
        for line in ["", " ", "a:", "- - x", "\"k\": 'v' # c", "é: ü", "{a: 1}", "|", "  - \"unterminated", "#x", "a:b"]
        {
            let joined: String = spans(line, Some(("error", Some(2)))).into_iter().map(|s| s.text).collect();
            assert_eq!(joined, line);
        }
    }

    #[test]
    fn a_diagnostic_underlines_the_word_at_its_column() {
        let marked: Vec<(String, Option<&str>)> = spans("  restartPolicy: Sometimes", Some(("error", Some(18))))
            .into_iter()
            .map(|s| (s.text, s.mark))
            .collect();
        assert_eq!(marked.last(), Some(&("Sometimes".to_owned(), Some("error"))));
        assert!(marked.iter().filter(|(_, m)| m.is_some()).count() == 1, "{marked:?}");
        let whole: Vec<Option<&str>> = spans("  a: b", Some(("warning", None))).into_iter().map(|s| s.mark).collect();
        assert_eq!(whole.first(), Some(&None), "leading spaces are not underlined");
        assert!(whole[1..].iter().all(|m| *m == Some("warning")));
    }

    #[test]
    fn enter_keeps_and_deepens_indentation() {
        assert_eq!(newline("spec:"), "\n  ");
        assert_eq!(newline("  containers:"), "\n    ");
        assert_eq!(newline("  - name: web"), "\n    ");
        assert_eq!(newline("    image: nginx"), "\n    ");
        assert_eq!(newline("  - image: a"), "\n    ");
        assert_eq!(newline("  - "), "\n    ");
        assert_eq!(newline("  -"), "\n    ");
        assert_eq!(newline("  - livenessProbe:"), "\n      ");
        assert_eq!(newline("  script: |"), "\n    ");
        assert_eq!(newline(""), "\n");
    }

    #[test]
    fn a_replacement_is_the_changed_middle() {
        assert_eq!(replacement("a:\n  b\n", "a:\n    b\n"), (5, 5, "  ".to_owned()));
        assert_eq!(replacement("aaa", "aa"), (2, 3, String::new()));
        assert_eq!(replacement("é x", "é  x"), (2, 2, " ".to_owned()));
        assert_eq!(replacement("same", "same"), (4, 4, String::new()));
        for (old, new) in [("ab", "b"), ("", "x"), ("xyx", "x"), ("aXa", "aYYa")] {
            let (from, to, middle) = replacement(old, new);
            let (bf, bt) = (byte_at(old, from), byte_at(old, to));
            assert_eq!(format!("{}{middle}{}", &old[..bf], &old[bt..]), new, "{old:?} → {new:?}");
        }
    }

    /// The editor's keys and highlighter run on whatever is in the textarea: none of them
    /// may panic (a panic would stop the whole page), whatever the text and selection.
    #[test]
    fn no_text_or_selection_makes_them_panic() {
        let texts = [
            "",
            "\n",
            "a",
            "é\n😀x: 'y\n  - \"z",
            "  \n\n  ",
            "key: [a, {b: c}] # d\n- - -\n",
            "\t\r\n|\n>-\n",
            "#\n:\n-\n&\n*\n!\n'\n\"\n",
            "a:\n  b:\n    - c: d\n      e: \"f\\\"g\"\n",
        ];
        for text in texts {
            let units = text.encode_utf16().count();
            for line in text.split('\n') {
                for col in 0..=line.chars().count() + 2 {
                    let joined: String = spans(line, Some(("error", Some(col)))).into_iter().map(|s| s.text).collect();
                    assert_eq!(joined, line);
                }
                let _ = newline(line);
            }
            for start in 0..=units + 1 {
                for end in 0..=units + 1 {
                    for outdent in [false, true] {
                        let (next, a, b) = tab(text, start, end, outdent);
                        assert!(
                            a <= next.encode_utf16().count() && b <= next.encode_utf16().count(),
                            "{text:?} {start} {end}"
                        );
                        let (from, to, middle) = replacement(text, &next);
                        let (bf, bt) = (byte_at(text, from), byte_at(text, to));
                        assert_eq!(format!("{}{middle}{}", &text[..bf], &text[bt..]), next);
                    }
                }
            }
        }
    }

    #[test]
    fn tab_inserts_or_indents_and_shift_tab_outdents() {
        assert_eq!(tab("ab", 1, 1, false), ("a  b".to_owned(), 3, 3));
        let text = "a:\n  b: 1\n  c: 2\nd: 3\n";
        // Lines 2 and 3 selected (from inside line 2 to inside line 3).
        let (out, s, e) = tab(text, 5, 12, false);
        assert_eq!(out, "a:\n    b: 1\n    c: 2\nd: 3\n");
        assert_eq!((s, e), (7, 16));
        let (back, s2, e2) = tab(&out, s, e, true);
        assert_eq!(back, text);
        assert_eq!((s2, e2), (5, 12));
        // Outdent with a caret only touches its line, and never below column 1.
        assert_eq!(tab("x\n y\n", 3, 3, true).0, "x\ny\n");
        assert_eq!(tab("x\ny\n", 2, 2, true).0, "x\ny\n");
        // UTF-16 offsets: é before the caret counts one unit.
        assert_eq!(tab("é\nb", 2, 2, false).0, "é\n  b");
    }
}
