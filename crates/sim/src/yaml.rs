//! YAML to a tree that remembers where every node came from, so a diagnostic can point at
//! the line and column the user typed. Scalars resolve as Kubernetes' YAML library does
//! (YAML 1.1 booleans such as `yes`/`on`, octal `0755`), not as YAML 1.2.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::SyntaxError;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned>),
    Map(Vec<(Spanned, Spanned)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    pub pos: Pos,
    pub node: Node,
}

impl Spanned {
    pub fn get(&self, key: &str) -> Option<&Spanned> {
        match &self.node {
            Node::Map(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.node {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The node at a field path such as `spec.initContainers[0].restartPolicy`; for a missing
    /// leaf, the deepest existing ancestor, so a diagnostic still points somewhere useful.
    pub fn locate(&self, path: &str) -> Pos {
        let mut cur = self;
        for part in path_parts(path) {
            let next = match part {
                PathPart::Key(k) => cur.get(k),
                PathPart::Index(i) => match &cur.node {
                    Node::Seq(items) => items.get(i),
                    _ => None,
                },
            };
            match next {
                Some(n) => cur = n,
                None => break,
            }
        }
        cur.pos
    }

    /// The position of the key of a map entry at `path` (for "unknown field" diagnostics).
    pub fn locate_key(&self, path: &str) -> Option<Pos> {
        let (parent, last) = match path.rsplit_once('.') {
            Some((p, l)) => (Some(p), l),
            None => (None, path),
        };
        let mut cur = self;
        if let Some(p) = parent {
            for part in path_parts(p) {
                cur = match part {
                    PathPart::Key(k) => cur.get(k)?,
                    PathPart::Index(i) => match &cur.node {
                        Node::Seq(items) => items.get(i)?,
                        _ => return None,
                    },
                };
            }
        }
        match &cur.node {
            Node::Map(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(last)).map(|(k, _)| k.pos),
            _ => None,
        }
    }

    pub fn to_json(&self) -> Value {
        match &self.node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Int(i) => Value::Number((*i).into()),
            Node::Float(f) => Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
            Node::Str(s) => Value::String(s.clone()),
            Node::Seq(items) => Value::Array(items.iter().map(Spanned::to_json).collect()),
            Node::Map(entries) => {
                let mut m = Map::new();
                for (k, v) in entries {
                    m.insert(key_string(k), v.to_json());
                }
                Value::Object(m)
            }
        }
    }
}

fn key_string(k: &Spanned) -> String {
    match &k.node {
        Node::Str(s) => s.clone(),
        Node::Null => "null".into(),
        Node::Bool(b) => b.to_string(),
        Node::Int(i) => i.to_string(),
        Node::Float(f) => f.to_string(),
        _ => k.to_json().to_string(),
    }
}

enum PathPart<'a> {
    Key(&'a str),
    Index(usize),
}

fn path_parts(path: &str) -> impl Iterator<Item = PathPart<'_>> {
    path.split('.').filter(|s| !s.is_empty()).flat_map(|seg| {
        let mut parts = Vec::new();
        let (name, mut rest) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        if !name.is_empty() {
            parts.push(PathPart::Key(name));
        }
        while let Some(end) = rest.find(']') {
            if let Ok(i) = rest[1..end].parse() {
                parts.push(PathPart::Index(i));
            }
            rest = &rest[end + 1..];
        }
        parts
    })
}

/// Parses every document of a multi-document stream; empty documents are skipped.
pub fn parse_documents(text: &str) -> Result<Vec<Spanned>, SyntaxError> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut builder, true).map_err(|e| syntax_error(e.marker(), e.info()))?;
    if let Some(err) = builder.error {
        return Err(err);
    }
    Ok(builder.docs.into_iter().filter(|d| d.node != Node::Null).collect())
}

fn syntax_error(m: &Marker, info: &str) -> SyntaxError {
    SyntaxError { line: m.line().max(1), column: m.col() + 1, message: info.to_string() }
}

fn pos(m: Marker) -> Pos {
    Pos { line: m.line().max(1), column: m.col() + 1 }
}

enum Frame {
    Seq(Pos, usize, Vec<Spanned>),
    Map(Pos, usize, Vec<(Spanned, Spanned)>, Option<Spanned>),
}

#[derive(Default)]
struct Builder {
    docs: Vec<Spanned>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Spanned>,
    error: Option<SyntaxError>,
}

impl Builder {
    fn push_value(&mut self, value: Spanned, anchor: usize) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        match self.stack.last_mut() {
            None => self.docs.push(value),
            Some(Frame::Seq(_, _, items)) => items.push(value),
            Some(Frame::Map(_, _, entries, key)) => match key.take() {
                None => *key = Some(value),
                Some(k) => {
                    let dup = k.as_str().is_some() && entries.iter().any(|(e, _)| e.node == k.node);
                    if dup && self.error.is_none() {
                        self.error = Some(SyntaxError {
                            line: k.pos.line,
                            column: k.pos.column,
                            message: format!("key {:?} already set in map", key_string(&k)),
                        });
                    }
                    entries.push((k, value));
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::SequenceStart(anchor, _) => self.stack.push(Frame::Seq(pos(mark), anchor, Vec::new())),
            Event::MappingStart(anchor, _) => self.stack.push(Frame::Map(pos(mark), anchor, Vec::new(), None)),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(frame) = self.stack.pop() {
                    let (value, anchor) = match frame {
                        Frame::Seq(p, a, items) => (Spanned { pos: p, node: Node::Seq(items) }, a),
                        Frame::Map(p, a, entries, _) => (Spanned { pos: p, node: Node::Map(entries) }, a),
                    };
                    self.push_value(value, anchor);
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let node = if tag.is_some_and(|t| t.suffix == "str") || style != TScalarStyle::Plain {
                    Node::Str(text)
                } else {
                    resolve_plain(&text)
                };
                self.push_value(Spanned { pos: pos(mark), node }, anchor);
            }
            Event::Alias(id) => {
                let value = self.anchors.get(&id).cloned().unwrap_or(Spanned { pos: pos(mark), node: Node::Null });
                self.push_value(Spanned { pos: pos(mark), ..value }, 0);
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => {}
        }
    }
}

/// Plain-scalar resolution as in go-yaml v2 (used by sigs.k8s.io/yaml).
fn resolve_plain(s: &str) -> Node {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Node::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y" => return Node::Bool(true),
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "n" | "N" => {
            return Node::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Node::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Node::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Node::Float(f64::NAN),
        _ => {}
    }
    let plain = s.replace('_', "");
    let (neg, digits) = match plain.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let parsed = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(bin) = digits.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()
    } else if digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()) {
        i64::from_str_radix(&digits[1..], 8).ok()
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    };
    if let Some(i) = parsed {
        return Node::Int(if neg { -i } else { i });
    }
    let looks_float = s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-' | b'_'));
    if looks_float {
        if let Ok(f) = plain.parse::<f64>() {
            return Node::Float(f);
        }
    }
    Node::Str(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let docs = parse_documents("a: 1\nb:\n  c: [x, y]\n").expect("valid yaml");
        let doc = &docs[0];
        assert_eq!(doc.locate("b.c"), Pos { line: 3, column: 6 });
        assert_eq!(doc.locate("b.c[1]"), Pos { line: 3, column: 10 });
        assert_eq!(doc.locate_key("b.c"), Some(Pos { line: 3, column: 3 }));
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = parse_documents("a: 1\nb: [1, 2\n").unwrap_err();
        assert!(err.line >= 2, "{err}");
        let err = parse_documents("a: b: c\n").unwrap_err();
        assert_eq!((err.line, err.column), (1, 5), "{err}");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse_documents("a: 1\na: 2\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("already set"));
    }

    #[test]
    fn scalars_resolve_like_go_yaml_v2() {
        let docs = parse_documents("a: yes\nb: '5'\nc: 0755\nd: 1.5\ne: ~\nf: 1d\n").expect("valid yaml");
        let v = docs[0].to_json();
        assert_eq!(v["a"], Value::Bool(true));
        assert_eq!(v["b"], Value::String("5".into()));
        assert_eq!(v["c"], Value::from(493));
        assert_eq!(v["d"], Value::from(1.5));
        assert_eq!(v["e"], Value::Null);
        assert_eq!(v["f"], Value::String("1d".into()));
    }

    #[test]
    fn multi_document_streams_skip_empty_documents() {
        let docs = parse_documents("---\na: 1\n---\n---\nb: 2\n").expect("valid yaml");
        assert_eq!(docs.len(), 2);
    }
}
