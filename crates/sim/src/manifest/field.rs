//! API validation errors (`k8s.io/apimachinery/pkg/util/validation/field`) and the way the API
//! server and kubectl turn them into text. The rendering of bad values changed in 1.34 (Go `%#v`
//! became JSON), so every error is rendered for a version.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::settings::KubeVersion;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ErrorType {
    Required,
    Forbidden,
    Invalid,
    NotSupported,
    Duplicate,
    NotFound,
    TooMany,
}

/// A value as an error prints it; Go prints structs with `%#v` before 1.34 and JSON since.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Bad {
    /// Required/Forbidden errors print no value.
    None,
    Int(i64),
    Str(String),
    /// `map[string]string` (labels); `None` is a nil map.
    Labels(Option<BTreeMap<String, String>>),
    /// `*metav1.LabelSelector` as JSON (`matchLabels`, `matchExpressions`).
    Selector(Value),
    /// `intstr.IntOrString` as JSON (a number or a string).
    IntOrString(Value),
    /// The internal `apps.DeploymentStrategy` as JSON (`type`, `rollingUpdate`).
    Strategy(Value),
    /// Any other value, pre-rendered both ways.
    Raw {
        go: String,
        json: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct FieldError {
    pub kind: ErrorType,
    /// `spec.containers[0].name`
    pub field: String,
    pub value: Bad,
    pub detail: String,
}

pub(super) fn required(field: &str, detail: &str) -> FieldError {
    FieldError { kind: ErrorType::Required, field: field.into(), value: Bad::None, detail: detail.into() }
}

pub(super) fn forbidden(field: &str, detail: &str) -> FieldError {
    FieldError { kind: ErrorType::Forbidden, field: field.into(), value: Bad::None, detail: detail.into() }
}

pub(super) fn invalid(field: &str, value: Bad, detail: &str) -> FieldError {
    FieldError { kind: ErrorType::Invalid, field: field.into(), value, detail: detail.into() }
}

pub(super) fn duplicate(field: &str, value: Bad) -> FieldError {
    FieldError { kind: ErrorType::Duplicate, field: field.into(), value, detail: String::new() }
}

pub(super) fn not_found(field: &str, value: Bad) -> FieldError {
    FieldError { kind: ErrorType::NotFound, field: field.into(), value, detail: String::new() }
}

/// errors.go `TooMany`: the actual count, then `must have at most N items` (1.34 says `item` for
/// N == 1; no caller passes 1).
pub(super) fn too_many(field: &str, actual: usize, max: usize) -> FieldError {
    FieldError {
        kind: ErrorType::TooMany,
        field: field.into(),
        value: Bad::Int(actual as i64),
        detail: format!("must have at most {max} items"),
    }
}

/// errors.go `NotSupported`: each valid value is `strconv.Quote`d, in the caller's order.
pub(super) fn not_supported(field: &str, value: Bad, valid: &[&str]) -> FieldError {
    let quoted: Vec<String> = valid.iter().map(|v| go_quote(v)).collect();
    let detail = if quoted.is_empty() { String::new() } else { format!("supported values: {}", quoted.join(", ")) };
    FieldError { kind: ErrorType::NotSupported, field: field.into(), value, detail }
}

/// validation.go `ValidateNonnegativeField`.
pub(super) fn nonnegative(field: &str, value: i64) -> Option<FieldError> {
    (value < 0).then(|| invalid(field, Bad::Int(value), "must be greater than or equal to 0"))
}

impl FieldError {
    /// errors.go `ErrorBody`, as the version renders it.
    pub fn body(&self, version: KubeVersion) -> String {
        let ty = match self.kind {
            ErrorType::Required => "Required value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::Invalid => "Invalid value",
            ErrorType::NotSupported => "Unsupported value",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::NotFound => "Not found",
            ErrorType::TooMany => "Too many",
        };
        let mut s = match (self.kind, &self.value) {
            (ErrorType::Required | ErrorType::Forbidden, _) | (_, Bad::None) => ty.to_string(),
            (_, v) => format!("{ty}: {}", render(v, version)),
        };
        if !self.detail.is_empty() {
            s.push_str(": ");
            s.push_str(&self.detail);
        }
        s
    }

    /// `<field>: <body>`, one cause line as kubectl prints it.
    pub fn cause(&self, version: KubeVersion) -> String {
        format!("{}: {}", self.field, self.body(version))
    }
}

/// How `field.Error` prints a bad value: numbers with `%v`, strings with `%q`, anything else
/// with Go's `%#v` up to 1.33 and as JSON from 1.34 ("Nicer value rendering in API errors").
fn render(v: &Bad, version: KubeVersion) -> String {
    let json = version.at_least(34);
    match v {
        Bad::None => String::new(),
        Bad::Int(i) => i.to_string(),
        Bad::Str(s) => go_quote(s),
        Bad::Labels(m) => match (m, json) {
            (None, true) => "null".into(),
            (Some(m), true) => go_json(&Value::Object(m.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect())),
            (m, false) => go_string_map(m.as_ref()),
        },
        Bad::Selector(sel) if json => go_json(&prune_empty(sel)),
        Bad::Selector(sel) => go_selector(sel),
        Bad::Raw { json: j, .. } if json => j.clone(),
        Bad::Raw { go, .. } => go.clone(),
        Bad::IntOrString(v) if json => go_json(v),
        Bad::IntOrString(v) => match v {
            Value::String(s) => format!("intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}", go_quote(s)),
            other => format!("intstr.IntOrString{{Type:0, IntVal:{}, StrVal:\"\"}}", other.as_i64().unwrap_or(0)),
        },
        Bad::Strategy(s) => {
            let ty = s.get("type").and_then(Value::as_str).unwrap_or("");
            let rolling = s.get("rollingUpdate");
            if json {
                // The internal type has no json tags, so encoding/json uses the Go field names.
                let mut m = serde_json::Map::new();
                m.insert("RollingUpdate".into(), rolling.cloned().unwrap_or(Value::Null));
                m.insert("Type".into(), ty.into());
                go_json(&Value::Object(m))
            } else {
                // A non-nil pointer prints as its address; any address is as good as the real one.
                let ptr = if rolling.is_some() { "0xc000a2c0f0" } else { "nil" };
                format!(
                    "apps.DeploymentStrategy{{Type:{}, RollingUpdate:(*apps.RollingUpdateDeployment)({ptr})}}",
                    go_quote(ty)
                )
            }
        }
    }
}

fn prune_empty(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter().filter(|(_, v)| !matches!(v, Value::Null)).map(|(k, v)| (k.clone(), prune_empty(v))).collect(),
        ),
        other => other.clone(),
    }
}

/// `%#v` of a `map[string]string` (keys sorted, as fmt prints maps).
fn go_string_map(m: Option<&BTreeMap<String, String>>) -> String {
    match m {
        None => "map[string]string(nil)".into(),
        Some(m) => {
            let items: Vec<String> = m.iter().map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v))).collect();
            format!("map[string]string{{{}}}", items.join(", "))
        }
    }
}

/// `%#v` of a `metav1.LabelSelector`.
fn go_selector(sel: &Value) -> String {
    let labels = sel.get("matchLabels").and_then(Value::as_object).map(|m| {
        m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect::<BTreeMap<_, _>>()
    });
    let exprs = match sel.get("matchExpressions").and_then(Value::as_array) {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(list) => {
            let items: Vec<String> = list
                .iter()
                .map(|e| {
                    let values = match e.get("values").and_then(Value::as_array) {
                        None => "[]string(nil)".to_string(),
                        Some(vs) => format!(
                            "[]string{{{}}}",
                            vs.iter().map(|v| go_quote(v.as_str().unwrap_or_default())).collect::<Vec<_>>().join(", ")
                        ),
                    };
                    let s = |k: &str| go_quote(e.get(k).and_then(Value::as_str).unwrap_or_default());
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{values}}}",
                        s("key"),
                        s("operator")
                    )
                })
                .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        }
    };
    format!("v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{exprs}}}", go_string_map(labels.as_ref()))
}

/// Go's `strconv.Quote` (`%q`): printable Unicode stays as is, the rest is escaped.
pub(super) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => {
                if (c as u32) < 0x10000 {
                    out.push_str(&format!("\\u{:04x}", c as u32))
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32))
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `json.Marshal`: compact, map keys sorted, and `<`, `>`, `&`, U+2028, U+2029 escaped
/// as encoding/json does by default.
pub(super) fn go_json(v: &Value) -> String {
    let mut out = String::new();
    write_go_json(v, &mut out);
    out
}

fn write_go_json(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&go_number(n)),
        Value::String(s) => crate::kubectl::jsonfmt::write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_go_json(item, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                crate::kubectl::jsonfmt::write_string(out, k);
                out.push(':');
                write_go_json(&m[k], out);
            }
            out.push('}');
        }
    }
}

/// A JSON number as Go formats a float64 (`1e+21` past 1e21), integers verbatim.
pub(super) fn go_number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.fract() == 0.0 && f.abs() < 1e21 {
        return format!("{f:.0}");
    }
    if f.abs() >= 1e21 || (f != 0.0 && f.abs() < 1e-6) {
        let s = format!("{f:e}");
        return match s.split_once('e') {
            Some((m, e)) if e.starts_with('-') => format!("{m}e-{:0>2}", &e[1..]),
            Some((m, e)) => format!("{m}e+{e:0>2}"),
            None => s,
        };
    }
    f.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_render_per_version() {
        let labels = Bad::Labels(Some([("app".to_string(), "web".to_string())].into()));
        let e = invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`");
        assert_eq!(
            e.cause(KubeVersion::new(33)),
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"
        );
        assert_eq!(
            e.cause(KubeVersion::new(34)),
            "spec.template.metadata.labels: Invalid value: {\"app\":\"web\"}: `selector` does not match template `labels`"
        );
        let zero = invalid("x", Bad::IntOrString(Value::from(0)), "may not be 0 when `maxSurge` is 0");
        assert_eq!(
            zero.body(KubeVersion::new(29)),
            "Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0"
        );
        assert_eq!(zero.body(KubeVersion::new(34)), "Invalid value: 0: may not be 0 when `maxSurge` is 0");
    }

    #[test]
    fn go_json_escapes_html() {
        assert_eq!(
            go_json(&serde_json::json!({"b": "a && b > c", "a": 1.5})),
            r#"{"a":1.5,"b":"a \u0026\u0026 b \u003e c"}"#
        );
    }
}
