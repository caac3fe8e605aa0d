//! Label selectors: `-l` as apimachinery `labels.Parse` reads it, `metav1.LabelSelector`
//! objects as `LabelSelectorAsSelector` turns them into requirements, and both printed as
//! `Selector.String()` / `labels.FormatLabels` print them (the SELECTOR and LABELS columns).

use serde_json::Value;

use super::obj;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

#[derive(Debug, Clone, PartialEq)]
struct Requirement {
    key: String,
    op: Op,
    values: Vec<String>,
}

impl Requirement {
    fn matches(&self, labels: &[(&str, &str)]) -> bool {
        let value = labels.iter().find(|(k, _)| *k == self.key).map(|(_, v)| *v);
        let has = |v: &str| self.values.iter().any(|x| x == v);
        match self.op {
            Op::Equals | Op::DoubleEquals | Op::In => value.is_some_and(has),
            Op::NotEquals | Op::NotIn => !value.is_some_and(has),
            Op::Exists => value.is_some(),
            Op::DoesNotExist => value.is_none(),
            Op::GreaterThan | Op::LessThan => {
                let (Some(v), Some(bound)) = (
                    value.and_then(|v| v.parse::<i64>().ok()),
                    self.values.first().and_then(|b| b.parse::<i64>().ok()),
                ) else {
                    return false;
                };
                if self.op == Op::GreaterThan {
                    v > bound
                } else {
                    v < bound
                }
            }
        }
    }

    /// labels `Requirement.String()`.
    fn render(&self) -> String {
        let mut s = String::new();
        if self.op == Op::DoesNotExist {
            s.push('!');
        }
        s.push_str(&self.key);
        s.push_str(match self.op {
            Op::Equals => "=",
            Op::DoubleEquals => "==",
            Op::NotEquals => "!=",
            Op::In => " in ",
            Op::NotIn => " notin ",
            Op::GreaterThan => ">",
            Op::LessThan => "<",
            Op::Exists | Op::DoesNotExist => return s,
        });
        let mut values = self.values.clone();
        values.sort();
        let joined = values.join(",");
        if matches!(self.op, Op::In | Op::NotIn) {
            s.push('(');
            s.push_str(&joined);
            s.push(')');
        } else {
            s.push_str(&joined);
        }
        s
    }
}

/// A parsed selector; no requirements selects everything.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Selector {
    reqs: Vec<Requirement>,
}

impl Selector {
    pub(crate) fn matches(&self, object: &Value) -> bool {
        let labels = obj::string_map(object, &["metadata", "labels"]);
        self.reqs.iter().all(|r| r.matches(&labels))
    }

    fn add(&mut self, r: Requirement) {
        self.reqs.push(r);
        // internalSelector.Add keeps requirements sorted by key.
        self.reqs.sort_by(|a, b| a.key.cmp(&b.key));
    }

    /// `labels.Parse`, the `-l/--selector` flag.
    pub(crate) fn parse(text: &str) -> Result<Selector, String> {
        let tokens = lex(text)?;
        let mut sel = Selector::default();
        let mut i = 0;
        let expect_value = |tok: Option<&Tok>| -> Result<String, String> {
            match tok {
                Some(Tok::Ident(v)) => Ok(v.clone()),
                Some(t) => Err(format!("found '{}', expected: identifier", t.text())),
                None => Ok(String::new()),
            }
        };
        while i < tokens.len() {
            let negated = tokens[i] == Tok::Bang;
            if negated {
                i += 1;
            }
            let key = match tokens.get(i) {
                Some(Tok::Ident(k)) => k.clone(),
                Some(t) => return Err(format!("found '{}', expected: !, identifier, or 'end of string'", t.text())),
                None => return Err("found '', expected: identifier after '!'".to_string()),
            };
            i += 1;
            let op = if negated {
                Op::DoesNotExist
            } else {
                match tokens.get(i) {
                    None | Some(Tok::Comma) => Op::Exists,
                    Some(Tok::Eq) => Op::Equals,
                    Some(Tok::DoubleEq) => Op::DoubleEquals,
                    Some(Tok::NotEq) => Op::NotEquals,
                    Some(Tok::Gt) => Op::GreaterThan,
                    Some(Tok::Lt) => Op::LessThan,
                    Some(Tok::Ident(w)) if w == "in" => Op::In,
                    Some(Tok::Ident(w)) if w == "notin" => Op::NotIn,
                    Some(t) => return Err(format!("found '{}', expected: in, notin, =, ==, !=, gt, lt", t.text())),
                }
            };
            let mut values = Vec::new();
            match op {
                Op::Exists | Op::DoesNotExist => {}
                Op::In | Op::NotIn => {
                    i += 1;
                    if tokens.get(i) != Some(&Tok::Open) {
                        let found = tokens.get(i).map(Tok::text).unwrap_or_default();
                        return Err(format!("found '{found}', expected: '('"));
                    }
                    i += 1;
                    loop {
                        match tokens.get(i) {
                            Some(Tok::Ident(v)) => {
                                values.push(v.clone());
                                i += 1;
                            }
                            Some(Tok::Close) => break,
                            _ => values.push(String::new()),
                        }
                        match tokens.get(i) {
                            Some(Tok::Comma) => i += 1,
                            Some(Tok::Close) => break,
                            t => {
                                let found = t.map(Tok::text).unwrap_or_default();
                                return Err(format!("found '{found}', expected: ',' or ')'"));
                            }
                        }
                    }
                    i += 1;
                }
                _ => {
                    i += 1;
                    let value = expect_value(tokens.get(i).filter(|t| **t != Tok::Comma))?;
                    if !value.is_empty() {
                        i += 1;
                    }
                    if matches!(op, Op::GreaterThan | Op::LessThan) && value.parse::<i64>().is_err() {
                        return Err(format!("for 'Gt', 'Lt' operators, the value must be an integer: {value}"));
                    }
                    values.push(value);
                }
            }
            sel.add(Requirement { key, op, values });
            match tokens.get(i) {
                None => break,
                Some(Tok::Comma) => i += 1,
                Some(t) => return Err(format!("found '{}', expected: ',' or 'end of string'", t.text())),
            }
        }
        Ok(sel)
    }

    /// metav1 `LabelSelectorAsSelector`; `None` for an absent selector (`labels.Nothing()`).
    pub(crate) fn from_label_selector(v: Option<&Value>) -> Option<Selector> {
        let v = v?;
        let mut sel = Selector::default();
        for (k, val) in obj::string_map(v, &["matchLabels"]) {
            sel.add(Requirement { key: k.to_string(), op: Op::Equals, values: vec![val.to_string()] });
        }
        for e in obj::arr_at(v, &["matchExpressions"]) {
            let op = match obj::str_at(e, &["operator"]) {
                "In" => Op::In,
                "NotIn" => Op::NotIn,
                "Exists" => Op::Exists,
                _ => Op::DoesNotExist,
            };
            let values = obj::arr_at(e, &["values"]).iter().filter_map(|x| x.as_str().map(String::from)).collect();
            sel.add(Requirement { key: obj::str_at(e, &["key"]).to_string(), op, values });
        }
        Some(sel)
    }

    pub(crate) fn render(&self) -> String {
        self.reqs.iter().map(Requirement::render).collect::<Vec<_>>().join(",")
    }
}

/// metav1 `FormatLabelSelector`: `<none>` when it selects everything or nothing.
pub(crate) fn format_label_selector(v: Option<&Value>) -> String {
    let s = Selector::from_label_selector(v).map(|s| s.render()).unwrap_or_default();
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s
    }
}

/// labels `FormatLabels`: sorted `k=v` pairs joined by commas, `<none>` when empty.
pub(crate) fn format_labels(pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return "<none>".to_string();
    }
    pairs.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Bang,
    Eq,
    DoubleEq,
    NotEq,
    Gt,
    Lt,
    Comma,
    Open,
    Close,
}

impl Tok {
    fn text(&self) -> String {
        match self {
            Tok::Ident(s) => s.clone(),
            Tok::Bang => "!".into(),
            Tok::Eq => "=".into(),
            Tok::DoubleEq => "==".into(),
            Tok::NotEq => "!=".into(),
            Tok::Gt => ">".into(),
            Tok::Lt => "<".into(),
            Tok::Comma => ",".into(),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
        }
    }
}

fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            c if c.is_whitespace() => i += 1,
            '!' if next == Some('=') => {
                out.push(Tok::NotEq);
                i += 2;
            }
            '!' => {
                out.push(Tok::Bang);
                i += 1;
            }
            '=' if next == Some('=') => {
                out.push(Tok::DoubleEq);
                i += 2;
            }
            '=' => {
                out.push(Tok::Eq);
                i += 1;
            }
            '>' => {
                out.push(Tok::Gt);
                i += 1;
            }
            '<' => {
                out.push(Tok::Lt);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            '(' => {
                out.push(Tok::Open);
                i += 1;
            }
            ')' => {
                out.push(Tok::Close);
                i += 1;
            }
            _ => {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() && !"!=<>,()".contains(chars[i]) {
                    i += 1;
                }
                out.push(Tok::Ident(chars[start..i].iter().collect()));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pod(labels: Value) -> Value {
        json!({"metadata": {"labels": labels}})
    }

    #[test]
    fn parses_and_matches_every_operator() {
        let p = pod(json!({"app": "web", "tier": "front", "n": "5"}));
        for (sel, want) in [
            ("app=web", true),
            ("app==web", true),
            ("app!=web", false),
            ("app=db", false),
            ("missing!=x", true),
            ("app", true),
            ("!app", false),
            ("!missing", true),
            ("app in (db, web)", true),
            ("app notin (web)", false),
            ("missing notin (web)", true),
            ("app=web,tier=front", true),
            ("app=web,tier=back", false),
            ("n>4", true),
            ("n<4", false),
            ("", true),
        ] {
            let s = Selector::parse(sel).expect(sel);
            assert_eq!(s.matches(&p), want, "{sel}");
        }
        assert!(Selector::parse("app in web").is_err());
        assert!(Selector::parse("=web").is_err());
        assert!(Selector::parse("n>x").is_err());
    }

    #[test]
    fn renders_like_selector_string() {
        let sel = json!({
            "matchLabels": {"run": "proxy", "app": "web"},
            "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "dev"]}, {"key": "x", "operator": "DoesNotExist"}]
        });
        assert_eq!(format_label_selector(Some(&sel)), "app=web,env in (dev,prod),run=proxy,!x");
        assert_eq!(format_label_selector(Some(&json!({}))), "<none>");
        assert_eq!(format_label_selector(None), "<none>");
        assert_eq!(format_labels(&[("a", "1"), ("b", "")]), "a=1,b=");
        assert_eq!(format_labels(&[]), "<none>");
    }
}
