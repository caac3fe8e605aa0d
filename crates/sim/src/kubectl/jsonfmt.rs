//! `-o json`: cli-runtime `JSONPrinter` is `json.MarshalIndent(obj, "", "    ")` plus a newline,
//! over unstructured maps — keys in byte order, Go's HTML-safe string escaping (`<` becomes
//! `\u003c`) and Go's float formatting.

use serde_json::{Number, Value};

pub(crate) fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v, 0);
    out.push('\n');
    out
}

fn indent(out: &mut String, level: usize) {
    out.extend(std::iter::repeat_n(' ', level * 4));
}

fn write_value(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_number(n)),
        Value::String(s) => write_string(out, s),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, level + 1);
                write_value(out, item, level + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(out, level);
            out.push(']');
        }
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                indent(out, level + 1);
                write_string(out, k);
                out.push_str(": ");
                write_value(out, &map[k.as_str()], level + 1);
                out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
            }
            indent(out, level);
            out.push('}');
        }
    }
}

/// encoding/json `appendString` with HTML escaping on (also used for kubectl's
/// last-applied-configuration annotation in `manifest`).
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// encoding/json `floatEncoder`: `%f`-style unless tiny or huge, then `%e` with Go's exponent.
pub(crate) fn go_number(n: &Number) -> String {
    let Some(f) = n.as_f64().filter(|_| n.is_f64()) else { return n.to_string() };
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let e = format!("{f:e}");
        let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        if exp < 0 {
            return format!("{mantissa}e-{}", -exp);
        }
        return format!("{mantissa}e+{exp:02}");
    }
    format!("{f}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn marshal_indent_like_go() {
        let v = json!({"b": [1, {"z": null, "a": "<none> & \"x\"\n"}], "a": {}, "c": [], "d": 0.5, "e": true});
        assert_eq!(
            to_json(&v),
            "{\n    \"a\": {},\n    \"b\": [\n        1,\n        {\n            \"a\": \"\\u003cnone\\u003e \\u0026 \\\"x\\\"\\n\",\n            \"z\": null\n        }\n    ],\n    \"c\": [],\n    \"d\": 0.5,\n    \"e\": true\n}\n"
        );
    }

    #[test]
    fn floats_use_go_exponents() {
        let n = |f: f64| go_number(&Number::from_f64(f).expect("finite"));
        assert_eq!(n(1e21), "1e+21");
        assert_eq!(n(1.5e-7), "1.5e-7");
        assert_eq!(n(100.0), "100");
        assert_eq!(go_number(&Number::from(42)), "42");
    }
}
