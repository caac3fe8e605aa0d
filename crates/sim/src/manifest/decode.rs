//! Decoding a YAML document into the API's typed shape the way the API server's JSON decoder
//! does (sigs.k8s.io/json, strict mode): keys are matched case-sensitively and visited in sorted
//! order (kubectl sends JSON with sorted keys), unknown fields are collected with their paths,
//! the first type mismatch becomes Go's `json: cannot unmarshal …` error, and quantities and
//! int-or-strings use their own unmarshallers, whose errors stop decoding at once.

use serde_json::{Map, Value};

use super::field::go_number;
use super::quantity::Quantity;
use super::schema::{Struct, Ty};
use crate::yaml::{Node, Pos, Spanned};

/// A field the API does not know at this version.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Unknown {
    /// `spec.initContainers[0].restartPolicy`
    pub path: String,
    pub pos: Pos,
    /// The minor version that added the field, when a later version has it.
    pub since: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct DecodeError {
    pub message: String,
    pub path: String,
    pub pos: Pos,
}

#[derive(Debug)]
pub(super) struct Decoded {
    /// Known fields only, nulls pruned, integral floats as integers, quantities canonical.
    pub value: Value,
    pub unknown: Vec<Unknown>,
    pub error: Option<DecodeError>,
}

pub(super) fn decode(doc: &Spanned, root: &'static Struct, minor: u32) -> Decoded {
    let mut w = Walker { minor, unknown: Vec::new(), saved: None, fatal: None };
    let ctx = Ctx { go_struct: root.short(), go_path: String::new(), path: String::new() };
    let value = w.decode_struct(doc, root, &ctx).unwrap_or(Value::Object(Map::new()));
    Decoded { value, unknown: w.unknown, error: w.fatal.or(w.saved) }
}

/// Where the decoder is: the innermost Go struct, the JSON field names from the root (as Go's
/// errors print them, without indices) and the field path with indices (as strict errors do).
#[derive(Clone)]
struct Ctx {
    go_struct: &'static str,
    go_path: String,
    path: String,
}

impl Ctx {
    fn field(&self, go_struct: &'static str, name: &str) -> Ctx {
        let join = |base: &str| if base.is_empty() { name.to_string() } else { format!("{base}.{name}") };
        Ctx { go_struct, go_path: join(&self.go_path), path: join(&self.path) }
    }

    fn index(&self, i: usize) -> Ctx {
        Ctx { path: format!("{}[{i}]", self.path), ..self.clone() }
    }
}

struct Walker {
    minor: u32,
    unknown: Vec<Unknown>,
    /// encoding/json keeps the first type mismatch and goes on decoding.
    saved: Option<DecodeError>,
    /// A custom unmarshaller's error ends decoding.
    fatal: Option<DecodeError>,
}

fn json_kind(node: &Spanned) -> String {
    match &node.node {
        Node::Null => "null".into(),
        Node::Bool(_) => "bool".into(),
        Node::Int(_) | Node::Float(_) => "number".into(),
        Node::Str(_) => "string".into(),
        Node::Seq(_) => "array".into(),
        Node::Map(_) => "object".into(),
    }
}

fn key_text(k: &Spanned) -> String {
    match &k.node {
        Node::Str(s) => s.clone(),
        Node::Int(i) => i.to_string(),
        Node::Bool(b) => b.to_string(),
        Node::Null => "null".into(),
        Node::Float(f) => serde_json::Number::from_f64(*f).map(|n| go_number(&n)).unwrap_or_else(|| f.to_string()),
        _ => k.to_json().to_string(),
    }
}

/// The JSON literal of a number as Go's YAML-to-JSON conversion writes it.
fn number_literal(node: &Spanned) -> String {
    match &node.node {
        Node::Int(i) => i.to_string(),
        Node::Float(f) => serde_json::Number::from_f64(*f).map(|n| go_number(&n)).unwrap_or_else(|| f.to_string()),
        _ => String::new(),
    }
}

/// Drops nulls from maps, as kubectl does before it creates an object (`pruneNullsFromMap`).
pub(super) fn prune_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, prune_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(prune_nulls).collect()),
        other => other,
    }
}

impl Walker {
    fn stopped(&self) -> bool {
        self.fatal.is_some()
    }

    fn type_error(&mut self, node: &Spanned, what: String, ty: String, ctx: &Ctx, fatal: bool) {
        let err = DecodeError {
            message: format!(
                "json: cannot unmarshal {what} into Go struct field {}.{} of type {ty}",
                ctx.go_struct, ctx.go_path
            ),
            path: ctx.path.clone(),
            pos: node.pos,
        };
        if fatal {
            self.fatal.get_or_insert(err);
        } else {
            self.saved.get_or_insert(err);
        }
    }

    fn decode_struct(&mut self, node: &Spanned, s: &'static Struct, ctx: &Ctx) -> Option<Value> {
        let entries = match &node.node {
            Node::Null => return None,
            Node::Map(entries) => entries,
            _ => {
                self.type_error(node, json_kind(node), s.go.into(), ctx, false);
                return None;
            }
        };
        let mut sorted: Vec<(String, &Spanned, &Spanned)> = entries.iter().map(|(k, v)| (key_text(k), k, v)).collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out = Map::new();
        for (key, k, v) in sorted {
            if self.stopped() {
                break;
            }
            match s.field(&key) {
                Some(f) if f.since <= self.minor => {
                    let inner = ctx.field(s.short(), &key);
                    if let Some(value) = self.decode_value(v, &f.ty, &inner) {
                        out.insert(key, value);
                    }
                }
                other => {
                    let path = if ctx.path.is_empty() { key.clone() } else { format!("{}.{key}", ctx.path) };
                    self.unknown.push(Unknown { path, pos: k.pos, since: other.map(|f| f.since) });
                }
            }
        }
        Some(Value::Object(out))
    }

    fn decode_value(&mut self, node: &Spanned, ty: &Ty, ctx: &Ctx) -> Option<Value> {
        if matches!(node.node, Node::Null) {
            return None;
        }
        match ty {
            Ty::Any => Some(prune_nulls(node.to_json())),
            Ty::Struct(s) => self.decode_struct(node, s, ctx),
            Ty::Str => match &node.node {
                Node::Str(s) => Some(Value::String(s.clone())),
                _ => {
                    self.type_error(node, json_kind(node), "string".into(), ctx, false);
                    None
                }
            },
            Ty::Bool => match &node.node {
                Node::Bool(b) => Some(Value::Bool(*b)),
                _ => {
                    self.type_error(node, json_kind(node), "bool".into(), ctx, false);
                    None
                }
            },
            Ty::Int32 | Ty::Int64 => {
                let (lo, hi) =
                    if matches!(ty, Ty::Int32) { (i32::MIN as i64, i32::MAX as i64) } else { (i64::MIN, i64::MAX) };
                match integral(node) {
                    Some(i) if (lo..=hi).contains(&i) => Some(Value::from(i)),
                    _ if matches!(node.node, Node::Int(_) | Node::Float(_)) => {
                        self.type_error(node, format!("number {}", number_literal(node)), ty.go_name(), ctx, false);
                        None
                    }
                    _ => {
                        self.type_error(node, json_kind(node), ty.go_name(), ctx, false);
                        None
                    }
                }
            }
            Ty::IntOrString => match &node.node {
                Node::Str(s) => Some(Value::String(s.clone())),
                _ => match integral(node) {
                    Some(i) if (i32::MIN as i64..=i32::MAX as i64).contains(&i) => Some(Value::from(i)),
                    _ => {
                        let what = match &node.node {
                            Node::Int(_) | Node::Float(_) => format!("number {}", number_literal(node)),
                            _ => json_kind(node),
                        };
                        self.type_error(node, what, "int32".into(), ctx, true);
                        None
                    }
                },
            },
            Ty::Quantity => {
                let text = match &node.node {
                    Node::Str(s) => s.clone(),
                    Node::Int(_) | Node::Float(_) => number_literal(node),
                    Node::Bool(b) => b.to_string(),
                    _ => node.to_json().to_string(),
                };
                match Quantity::parse(&text) {
                    Ok(q) => Some(Value::String(q.canonical())),
                    Err(message) => {
                        self.fatal.get_or_insert(DecodeError {
                            message: message.to_string(),
                            path: ctx.path.clone(),
                            pos: node.pos,
                        });
                        None
                    }
                }
            }
            Ty::List(elem) => match &node.node {
                Node::Seq(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for (i, item) in items.iter().enumerate() {
                        let value = self.decode_value(item, elem, &ctx.index(i));
                        out.push(value.unwrap_or_else(|| zero(elem)));
                    }
                    Some(Value::Array(out))
                }
                _ => {
                    self.type_error(node, json_kind(node), ty.go_name(), ctx, false);
                    None
                }
            },
            Ty::Map(elem) => match &node.node {
                Node::Map(entries) => {
                    let mut out = Map::new();
                    let mut sorted: Vec<(String, &Spanned)> = entries.iter().map(|(k, v)| (key_text(k), v)).collect();
                    sorted.sort_by(|a, b| a.0.cmp(&b.0));
                    for (key, v) in sorted {
                        let inner = Ctx { path: format!("{}.{key}", ctx.path), ..ctx.clone() };
                        out.insert(key, self.decode_value(v, elem, &inner).unwrap_or_else(|| zero(elem)));
                    }
                    Some(Value::Object(out))
                }
                _ => {
                    self.type_error(node, json_kind(node), ty.go_name(), ctx, false);
                    None
                }
            },
        }
    }
}

/// An integer, or a float with no fractional part (Go writes `1.0` from YAML as `1`).
fn integral(node: &Spanned) -> Option<i64> {
    match node.node {
        Node::Int(i) => Some(i),
        Node::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.2e18 => Some(f as i64),
        _ => None,
    }
}

/// The zero value Go leaves for `null` or an undecodable element.
fn zero(ty: &Ty) -> Value {
    match ty {
        Ty::Struct(_) => Value::Object(Map::new()),
        Ty::Str => Value::String(String::new()),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::POD;
    use super::*;
    use crate::yaml::parse_documents;

    fn run(text: &str, minor: u32) -> Decoded {
        let docs = parse_documents(text).expect("valid yaml");
        decode(&docs[0], &POD, minor)
    }

    #[test]
    fn unknown_fields_are_reported_in_sorted_order_with_indices() {
        let d = run("spec:\n  zzz: 1\n  initContainers:\n  - name: a\n    restartPolicy: Always\n  foo: 2\n", 27);
        let paths: Vec<_> = d.unknown.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(paths, ["spec.foo", "spec.initContainers[0].restartPolicy", "spec.zzz"]);
        assert_eq!(d.unknown[1].since, Some(28));
        assert_eq!(d.unknown[1].pos, Pos { line: 5, column: 5 });
    }

    #[test]
    fn type_errors_read_like_go() {
        let d = run("spec:\n  containers:\n  - name: a\n    ports:\n    - containerPort: \"80\"\n", 29);
        assert_eq!(
            d.error.map(|e| e.message).as_deref(),
            Some("json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32")
        );
        let d = run("spec:\n  containers:\n  - env:\n    - name: A\n      value: 1\n", 29);
        assert_eq!(
            d.error.map(|e| e.message).as_deref(),
            Some("json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string")
        );
    }

    #[test]
    fn quantities_are_canonical_and_bad_ones_fatal() {
        let d = run("spec:\n  containers:\n  - resources:\n      limits: {cpu: 0.5, memory: 1024Mi}\n", 29);
        assert_eq!(d.value["spec"]["containers"][0]["resources"]["limits"]["cpu"], "500m");
        assert_eq!(d.value["spec"]["containers"][0]["resources"]["limits"]["memory"], "1Gi");
        let d = run("spec:\n  containers:\n  - resources:\n      limits: {cpu: 1x}\n", 29);
        assert!(d.error.is_some_and(|e| e.message.starts_with("quantities must match")));
    }
}
