//! Read access to objects in Kubernetes JSON shape where any field may be missing: an absent
//! field reads as Go's zero value, as it does for the typed structs kubectl decodes into.

use serde_json::{Map, Value};

use super::time::parse_rfc3339;

pub(crate) fn get<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |cur, key| cur.get(key)).filter(|v| !v.is_null())
}

pub(crate) fn str_at<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    get(v, path).and_then(Value::as_str).unwrap_or("")
}

pub(crate) fn opt_i64(v: &Value, path: &[&str]) -> Option<i64> {
    get(v, path).and_then(Value::as_i64)
}

pub(crate) fn i64_at(v: &Value, path: &[&str]) -> i64 {
    opt_i64(v, path).unwrap_or(0)
}

pub(crate) fn bool_at(v: &Value, path: &[&str]) -> bool {
    get(v, path).and_then(Value::as_bool).unwrap_or(false)
}

pub(crate) fn arr_at<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    get(v, path).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

pub(crate) fn map_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Map<String, Value>> {
    get(v, path).and_then(Value::as_object)
}

/// A timestamp field in Unix nanoseconds; `None` when absent or unreadable (Go's zero time).
pub(crate) fn time_at(v: &Value, path: &[&str]) -> Option<i64> {
    get(v, path).and_then(Value::as_str).and_then(parse_rfc3339)
}

pub(crate) fn name(v: &Value) -> &str {
    str_at(v, &["metadata", "name"])
}

pub(crate) fn namespace(v: &Value) -> &str {
    str_at(v, &["metadata", "namespace"])
}

/// String-valued map such as labels or annotations, sorted by key.
pub(crate) fn string_map<'a>(v: &'a Value, path: &[&str]) -> Vec<(&'a str, &'a str)> {
    let mut pairs: Vec<(&str, &str)> = map_at(v, path)
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v.as_str().unwrap_or(""))).collect())
        .unwrap_or_default();
    pairs.sort();
    pairs
}

/// An `IntOrString` as Go's `intstr.IntOrString.String()` prints it.
pub(crate) fn int_or_string(v: Option<&Value>) -> String {
    match v {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => "0".to_string(),
    }
}

/// metav1 `GetControllerOf`: the owner reference marked `controller: true`.
pub(crate) fn controller_of(v: &Value) -> Option<&Value> {
    arr_at(v, &["metadata", "ownerReferences"]).iter().find(|r| bool_at(r, &["controller"]))
}
