//! `-o yaml`: cli-runtime `YAMLPrinter` is `sigs.k8s.io/yaml.Marshal`, i.e. the object turned
//! to JSON, read back by go-yaml v2 and emitted by go-yaml v2's port of libyaml. This module
//! reproduces that emitter for block style: keys in go-yaml's "natural" order, sequences not
//! indented under their key, strings quoted only when they would read back as something else
//! (`"true"`, `"2024-01-01T00:00:00Z"`), single quotes for `: `, literal blocks for multi-line
//! text, and long scalars folded at the first space past column 80.

use serde_json::{Number, Value};

const BEST_INDENT: usize = 2;
const BEST_WIDTH: usize = 80;

pub(crate) fn to_yaml(v: &Value) -> String {
    let mut e = Emitter { out: String::new(), column: 0, whitespace: true, indention: true, open_ended: false };
    match v {
        Value::Object(m) if !m.is_empty() => e.mapping(v, 0),
        Value::Array(a) if !a.is_empty() => e.sequence(v, 0),
        _ => e.node(v, 0),
    }
    if e.column > 0 {
        e.put_break();
    }
    if e.open_ended {
        e.out.push_str("...\n");
    }
    e.out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// The parts of libyaml's `yaml_emitter_t` that decide layout.
struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
}

fn non_empty_collection(v: &Value) -> bool {
    match v {
        Value::Object(m) => !m.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_str(&mut self, s: &str) {
        for c in s.chars() {
            self.put(c);
        }
    }

    /// `yaml_emitter_write_indent`.
    fn write_indent(&mut self, indent: usize) {
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    /// `yaml_emitter_write_indicator`.
    fn write_indicator(&mut self, indicator: &str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        self.write_str(indicator);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
        self.open_ended = false;
    }

    /// A block mapping whose keys start at column `indent`.
    fn mapping(&mut self, v: &Value, indent: usize) {
        let Value::Object(map) = v else { return };
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort_by(|a, b| key_order(a, b));
        for k in keys {
            self.write_indent(indent);
            self.scalar_string(k, indent, true);
            self.write_indicator(":", false, false, false);
            let value = &map[k.as_str()];
            match value {
                Value::Object(m) if !m.is_empty() => self.mapping(value, indent + BEST_INDENT),
                // Sequences in a mapping are "indentless": `- ` at the key's column.
                Value::Array(a) if !a.is_empty() => self.sequence(value, indent),
                _ => self.node(value, indent),
            }
        }
    }

    /// A block sequence whose `-` indicators sit at column `indent`.
    fn sequence(&mut self, v: &Value, indent: usize) {
        let Value::Array(items) = v else { return };
        for item in items {
            self.write_indent(indent);
            self.write_indicator("-", true, false, true);
            if non_empty_collection(item) {
                if item.is_object() {
                    self.mapping(item, indent + BEST_INDENT);
                } else {
                    self.sequence(item, indent + BEST_INDENT);
                }
            } else {
                self.node(item, indent);
            }
        }
    }

    /// A scalar or empty collection after `key:` or `-`; `parent` is the container's indent.
    fn node(&mut self, v: &Value, parent: usize) {
        match v {
            Value::Object(_) => self.write_indicator("{}", true, false, false),
            Value::Array(_) => self.write_indicator("[]", true, false, false),
            Value::Null => self.plain("null", parent + BEST_INDENT, true),
            Value::Bool(b) => self.plain(if *b { "true" } else { "false" }, parent + BEST_INDENT, true),
            Value::Number(n) => self.plain(&yaml_number(n), parent + BEST_INDENT, true),
            Value::String(s) => self.scalar_string(s, parent, false),
        }
    }

    /// go-yaml `encoder.stringv` + libyaml `yaml_emitter_select_scalar_style`.
    fn scalar_string(&mut self, s: &str, parent: usize, simple_key: bool) {
        let indent = parent + BEST_INDENT;
        let analysis = analyze(s);
        let mut style = if s.contains('\n') {
            Style::Literal
        } else if resolves_to_str(s) && !is_base60_float(s) {
            Style::Plain
        } else {
            Style::Double
        };
        if simple_key && analysis.multiline {
            style = Style::Double;
        }
        if style == Style::Plain && (!analysis.block_plain_allowed || (s.is_empty() && simple_key)) {
            style = Style::Single;
        }
        if style == Style::Single && !analysis.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!analysis.block_allowed || simple_key) {
            style = Style::Double;
        }
        let allow_breaks = !simple_key;
        match style {
            Style::Plain => self.plain(s, indent, allow_breaks),
            Style::Single => self.single_quoted(s, indent, allow_breaks),
            Style::Double => self.double_quoted(s, indent, allow_breaks),
            Style::Literal => self.literal(s, indent),
        }
    }

    /// `yaml_emitter_write_plain_scalar`.
    fn plain(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && chars.get(i + 1) != Some(&' ') {
                    self.write_indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.put_break();
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent(indent);
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    /// `yaml_emitter_write_single_quoted_scalar`.
    fn single_quoted(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < chars.len()
                    && chars.get(i + 1) != Some(&' ')
                {
                    self.write_indent(indent);
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// `yaml_emitter_write_double_quoted_scalar`.
    fn double_quoted(&mut self, s: &str, indent: usize, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    c if (c as u32) <= 0xff => self.write_str(&format!("x{:02X}", c as u32)),
                    c if (c as u32) <= 0xffff => self.write_str(&format!("u{:04X}", c as u32)),
                    c => self.write_str(&format!("U{:08X}", c as u32)),
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < chars.len() {
                    self.write_indent(indent);
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    /// `yaml_emitter_write_literal_scalar` with its block scalar hints.
    fn literal(&mut self, s: &str, indent: usize) {
        self.write_indicator("|", true, false, false);
        let chars: Vec<char> = s.chars().collect();
        if chars.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        self.open_ended = false;
        let chomp = match chars.as_slice() {
            [] => Some("-"),
            [.., last] if !is_break(*last) => Some("-"),
            [_] => Some("+"),
            [.., prev, _] if is_break(*prev) => Some("+"),
            _ => None,
        };
        if let Some(hint) = chomp {
            self.write_indicator(hint, false, false, false);
            if hint == "+" {
                self.open_ended = true;
            }
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in chars {
            if is_break(c) {
                self.put_break();
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent(indent);
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml `is_printable`.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0a
        || (0x20..=0x7e).contains(&u)
        || (0xa0..=0xd7ff).contains(&u)
        || ((0xe000..=0xfffd).contains(&u) && u != 0xfeff)
}

struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

/// libyaml `yaml_emitter_analyze_scalar` (block context only).
fn analyze(s: &str) -> Analysis {
    if s.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = s.chars().collect();
    let mut block_indicators = s.starts_with("---") || s.starts_with("...");
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) = (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let n = chars.len();
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_whitespace = i + 1 >= n || matches!(chars[i + 1], ' ' | '\t');
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                    block_indicators = true
                }
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = matches!(c, ' ' | '\t') || is_break(c) || c == '\0';
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

/// go-yaml v2 `resolve("", s)` reports `!!str`: the string reads back as itself when plain.
fn resolves_to_str(s: &str) -> bool {
    let Some(first) = s.bytes().next() else { return false };
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No", "NO", "false",
        "False", "FALSE", "off", "Off", "OFF", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf",
        ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
    ];
    match first {
        b'+' | b'-' | b'0'..=b'9' => {
            if SPECIAL.contains(&s) || is_timestamp(s) {
                return false;
            }
            let plain = s.replace('_', "");
            !(go_parse_int(&plain) || is_yaml_float(&plain))
        }
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => !SPECIAL.contains(&s),
        b'.' => {
            let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
            let (mant, exp) = match s[1..].split_once(['e', 'E']) {
                Some((m, e)) => (m, Some(e.trim_start_matches(['+', '-']))),
                None => (&s[1..], None),
            };
            !(SPECIAL.contains(&s) || (digits(mant) && exp.is_none_or(digits)))
        }
        _ => true,
    }
}

/// `strconv.ParseInt(s, 0, 64)` or `ParseUint` would accept it.
fn go_parse_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (digits, radix) = if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (r, 16)
    } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (r, 2)
    } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        (r, 8)
    } else if body.len() > 1 && body.starts_with('0') {
        (&body[1..], 8)
    } else {
        (body, 10)
    };
    !digits.is_empty() && u64::from_str_radix(digits, radix).is_ok()
}

/// go-yaml's `yamlStyleFloat` regexp: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mant, exp) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (body, None),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let mant_ok = match mant.split_once('.') {
        Some(("", frac)) => !frac.is_empty() && digits(frac),
        Some((int, frac)) => !int.is_empty() && digits(int) && digits(frac),
        None => !mant.is_empty() && digits(mant),
    };
    mant_ok && exp.is_none_or(|e| !e.is_empty() && digits(e))
}

/// go-yaml v2 `parseTimestamp`: the layouts it tries with `time.Parse`
/// (`2006-1-2T15:4:5.999999999Z07:00`, the same with `t`, `2006-1-2 15:4:5.999999999`,
/// `2006-1-2`).
fn is_timestamp(s: &str) -> bool {
    struct Cursor<'a> {
        b: &'a [u8],
        i: usize,
    }
    impl Cursor<'_> {
        /// A one- or two-digit number in `min..=max`.
        fn num(&mut self, min: u32, max: u32) -> Option<()> {
            let start = self.i;
            let mut n = 0u32;
            while self.i < self.b.len() && self.i - start < 2 && self.b[self.i].is_ascii_digit() {
                n = n * 10 + u32::from(self.b[self.i] - b'0');
                self.i += 1;
            }
            (self.i > start && (min..=max).contains(&n)).then_some(())
        }
        fn byte(&mut self, want: u8) -> Option<()> {
            (self.b.get(self.i) == Some(&want)).then(|| self.i += 1)
        }
    }
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let mut c = Cursor { b, i: 5 };
    let date = (|| {
        c.num(1, 12)?;
        c.byte(b'-')?;
        c.num(1, 31)
    })();
    if date.is_none() {
        return false;
    }
    if c.i == b.len() {
        return true;
    }
    let sep = b[c.i];
    if !matches!(sep, b'T' | b't' | b' ') {
        return false;
    }
    c.i += 1;
    let time = (|| {
        c.num(0, 23)?;
        c.byte(b':')?;
        c.num(0, 59)?;
        c.byte(b':')?;
        c.num(0, 59)
    })();
    if time.is_none() {
        return false;
    }
    if c.byte(b'.').is_some() {
        let start = c.i;
        while c.i < b.len() && b[c.i].is_ascii_digit() {
            c.i += 1;
        }
        if c.i == start {
            return false;
        }
    }
    let zone = &b[c.i..];
    if sep == b' ' {
        return zone.is_empty();
    }
    zone == b"Z"
        || (zone.len() == 6
            && matches!(zone[0], b'+' | b'-')
            && zone[3] == b':'
            && [1, 2, 4, 5].iter().all(|&k| zone[k].is_ascii_digit()))
}

/// go-yaml v2 `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (main, frac) = match body.split_once('.') {
        Some((m, f)) => (m, Some(f)),
        None => (body, None),
    };
    let mut parts = main.split(':');
    let head = parts.next().unwrap_or("");
    let head_ok = head.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && head.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let rest: Vec<&str> = parts.collect();
    let rest_ok = !rest.is_empty()
        && rest.iter().all(|p| match p.as_bytes() {
            [d] => d.is_ascii_digit(),
            [a, d] => (b'0'..=b'5').contains(a) && d.is_ascii_digit(),
            _ => false,
        });
    head_ok && rest_ok && frac.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit() || b == b'_'))
}

/// go-yaml v2 `keyList.Less`: letters compare by rune, non-letters sort before letters, and
/// digit runs compare numerically.
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (ar, br): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let (al, bl) = (ar[i].is_alphabetic(), br[i].is_alphabetic());
        if al && bl {
            return ar[i].cmp(&br[i]);
        }
        if al || bl {
            return if bl { Ordering::Less } else { Ordering::Greater };
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && ar[j - 1].is_ascii_digit() {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && ar[ai].is_ascii_digit() {
            an = an.saturating_mul(10).saturating_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && br[bi].is_ascii_digit() {
            bn = bn.saturating_mul(10).saturating_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an.cmp(&bn);
        }
        if ai != bi {
            return ai.cmp(&bi);
        }
        return ar[i].cmp(&br[i]);
    }
    ar.len().cmp(&br.len())
}

/// go-yaml v2 number output after a JSON round trip: integers as is, floats with
/// `strconv.FormatFloat(f, 'g', -1, 64)`.
fn yaml_number(n: &Number) -> String {
    let Some(f) = n.as_f64().filter(|_| n.is_f64()) else { return n.to_string() };
    if f.is_infinite() {
        return if f > 0.0 { ".inf".into() } else { "-.inf".into() };
    }
    let e = format!("{f:e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    // Shortest 'g' formatting switches to an exponent outside [1e-4, 1e6).
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubernetes_object_layout() {
        let pod = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web", "labels": {"app": "web"}, "creationTimestamp": "2024-05-01T10:00:00Z"},
            "spec": {
                "containers": [{"name": "app", "image": "nginx", "args": ["-c", "echo hi\nsleep 1\n"], "ports": [{"containerPort": 80}], "resources": {}}],
                "enableServiceLinks": true
            },
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True", "lastProbeTime": null, "message": "containers with unready status: [app]"}]}
        });
        assert_eq!(
            to_yaml(&pod),
            "apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: \"2024-05-01T10:00:00Z\"\n  labels:\n    app: web\n  name: web\nspec:\n  containers:\n  - args:\n    - -c\n    - |\n      echo hi\n      sleep 1\n    image: nginx\n    name: app\n    ports:\n    - containerPort: 80\n    resources: {}\n  enableServiceLinks: true\nstatus:\n  conditions:\n  - lastProbeTime: null\n    message: 'containers with unready status: [app]'\n    status: \"True\"\n    type: Ready\n  phase: Running\n"
        );
    }

    #[test]
    fn quoting_follows_go_yaml_resolution() {
        let cases = [
            ("", "\"\""),
            ("true", "\"true\""),
            ("yes", "\"yes\""),
            ("on", "\"on\""),
            ("123", "\"123\""),
            ("0755", "\"0755\""),
            ("1.5", "\"1.5\""),
            ("1:20", "\"1:20\""),
            ("2024-01-01", "\"2024-01-01\""),
            ("null", "\"null\""),
            ("10s", "10s"),
            ("<none>", "<none>"),
            ("- x", "'- x'"),
            ("a: b", "'a: b'"),
            ("it's", "it's"),
            ("'q'", "'''q'''"),
            ("#x", "'#x'"),
            (" lead", "' lead'"),
            ("tab\there", "\"tab\\there\""),
            ("line\n", "|\n  line"),
            ("nl", "nl"),
            ("Running", "Running"),
        ];
        for (input, want) in cases {
            assert_eq!(to_yaml(&json!({ "k": input })), format!("k: {want}\n"), "{input:?}");
        }
    }

    #[test]
    fn long_scalars_fold_past_column_80() {
        let msg = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.";
        assert_eq!(
            to_yaml(&json!({"status": {"message": msg}})),
            "status:\n  message: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane:\n    }, 2 Insufficient cpu.'\n"
        );
        let plain = "word ".repeat(20) + "end";
        assert_eq!(
            to_yaml(&json!({ "k": plain })),
            format!("k: {}word\n  {}end\n", "word ".repeat(15), "word ".repeat(4))
        );
    }

    #[test]
    fn keys_sort_like_go_yaml() {
        let mut keys = vec!["b", "a10", "a9", "a_b", "aB", "Z", "a-b", "a"];
        keys.sort_by(|a, b| key_order(a, b));
        assert_eq!(keys, vec!["Z", "a", "a-b", "a_b", "a9", "a10", "aB", "b"]);
    }

    #[test]
    fn empty_and_nested_collections() {
        assert_eq!(to_yaml(&json!({})), "{}\n");
        assert_eq!(to_yaml(&json!({"a": [], "b": {}, "c": [[1, 2], {}]})), "a: []\nb: {}\nc:\n- - 1\n  - 2\n- {}\n");
        assert_eq!(to_yaml(&json!({"f": 0.5, "g": 1.5e7, "i": 3})), "f: 0.5\ng: 1.5e+07\ni: 3\n");
    }
}
