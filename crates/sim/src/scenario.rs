//! A scenario: manifests + settings + timed actions (+ expectations). One format serves
//! the CLI, tests, presets, shared links, embeds and exercises: the conformance scenario
//! files (`name`, `k8s`, `featureGates`, `until`, `actions`, `manifest`, `expect`, …).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::settings::{KubeVersion, Settings, Validate};
use crate::trace::Millis;
use crate::yaml::{Node, Pos, Spanned};
use crate::SyntaxError;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// The manifest text exactly as the user typed it (multi-document YAML).
    pub manifest: String,
    pub settings: Settings,
    pub actions: Vec<Action>,
}

impl Scenario {
    /// The scenario as a scenario file that [`ScenarioFile::load`] reads back exactly: the
    /// form share links, exports and embeds carry. Text goes in double-quoted scalars (JSON
    /// string syntax, which YAML reads), so any manifest survives byte for byte.
    pub fn to_yaml(&self) -> String {
        let s = &self.settings;
        let mut out = format!("k8s: {}\n", quoted(&s.version.to_string()));
        for (key, map) in [
            ("featureGates", &s.feature_gates),
            ("apiserverFeatureGates", &s.apiserver_gates),
            ("kubeletFeatureGates", &s.kubelet_gates),
        ] {
            if !map.is_empty() {
                let items: Vec<String> = map.iter().map(|(k, v)| format!("{}: {v}", quoted(k))).collect();
                out.push_str(&format!("{key}: {{{}}}\n", items.join(", ")));
            }
        }
        if s.validate != Validate::Strict {
            out.push_str(&format!("validate: {}\n", quoted(s.validate.as_str())));
        }
        out.push_str(&format!("until: {}\n", quoted(&crate::duration::format(s.until))));
        if s.seed != 0 {
            out.push_str(&format!("seed: {}\n", s.seed));
        }
        if !self.actions.is_empty() {
            out.push_str("actions:\n");
            for a in &self.actions {
                let at = crate::duration::format(a.at);
                out.push_str(&format!("  - {{at: {}, kubectl: {}}}\n", quoted(&at), quoted(&a.command)));
            }
        }
        out.push_str(&format!("manifest: {}\n", quoted(&self.manifest)));
        out
    }
}

/// `text` as a YAML double-quoted scalar: JSON's escapes, plus the characters YAML 1.1 reads
/// as line breaks or a byte order mark, which JSON leaves as they are.
pub fn quoted(text: &str) -> String {
    let json = serde_json::Value::String(text.to_owned()).to_string();
    json.replace('\u{85}', "\\u0085")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
        .replace('\u{feff}', "\\ufeff")
}

/// A timed operation, e.g. `kubectl delete pod web --grace-period=5` at 30 s.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub at: Millis,
    pub command: String,
}

impl Action {
    /// Parses the CLI form `30s: kubectl delete pod NAME`.
    pub fn parse(text: &str) -> Result<Action, String> {
        let (at, command) =
            text.split_once(':').ok_or_else(|| format!("invalid action {text:?}: expected \"DURATION: COMMAND\""))?;
        let at = crate::duration::parse(at)?;
        Ok(Action { at, command: command.trim().to_string() })
    }
}

/// A scenario file: the scenario plus its story and expectations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScenarioFile {
    pub name: String,
    /// Where the expectations come from (an e2e test, a blog post, kubelet source).
    pub source: Option<String>,
    pub notes: Option<String>,
    pub scenario: Scenario,
    /// Each item is a one-key map (`before`, `never`, `happens`, …), see `expect`.
    pub expect: Vec<Value>,
    /// Each expectation as written in the file (its line without a trailing comment when
    /// it fits on one line, else a one-line flow form), for people reading verdicts.
    pub expect_text: Vec<String>,
    /// Where the manifest's text starts in the file (lines and columns to add), when it is a
    /// literal block (`manifest: |`), so a position in the manifest is a position in the file.
    manifest_offset: Option<(usize, usize)>,
}

/// A file checked: the trace and one verdict per expectation, in the file's order.
#[derive(Debug, Clone)]
pub struct Checked {
    pub trace: crate::Trace,
    pub verdicts: Vec<crate::expect::Verdict>,
}

impl ScenarioFile {
    /// [`ScenarioFile::load`] with the error as text (`line:column: message`).
    pub fn parse(text: &str) -> Result<ScenarioFile, String> {
        ScenarioFile::load(text).map_err(|e| e.to_string())
    }

    /// Reads a scenario file; every error carries the line and column in the file.
    pub fn load(text: &str) -> Result<ScenarioFile, SyntaxError> {
        let docs = crate::yaml::parse_documents(text)?;
        let root = docs.first().ok_or_else(|| at(Pos { line: 1, column: 1 }, "empty scenario file".into()))?;
        if !matches!(root.node, Node::Map(_)) {
            return Err(at(root.pos, "a scenario file is a map (name, k8s, manifest, expect, …)".into()));
        }
        let doc = root.to_json();
        let pos_of = |k: &str| root.get(k).map_or(root.pos, |v| v.pos);
        let str_of = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_string);
        let text_of = |k: &str| {
            doc.get(k).map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        };
        let mut settings = Settings::default();
        if let Some(v) = text_of("k8s") {
            settings.version = KubeVersion::parse(&v).map_err(|e| at(pos_of("k8s"), e))?;
        }
        for (key, map) in [
            ("featureGates", &mut settings.feature_gates),
            ("apiserverFeatureGates", &mut settings.apiserver_gates),
            ("kubeletFeatureGates", &mut settings.kubelet_gates),
        ] {
            *map = gates(doc.get(key)).map_err(|e| at(pos_of(key), e))?;
        }
        if let Some(v) = text_of("validate") {
            settings.validate = Validate::parse(&v).map_err(|e| at(pos_of("validate"), e))?;
        }
        if let Some(v) = text_of("until") {
            settings.until = crate::duration::parse(&v).map_err(|e| at(pos_of("until"), e))?;
        }
        if let Some(v) = doc.get("seed").and_then(Value::as_u64) {
            settings.seed = v;
        }
        let mut actions = Vec::new();
        let action_nodes = match root.get("actions").map(|n| &n.node) {
            Some(Node::Seq(items)) => items.as_slice(),
            _ => &[],
        };
        for node in action_nodes {
            let a = node.to_json();
            let at_text = a.get("at").map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            let command = a.get("kubectl").and_then(Value::as_str);
            match (at_text, command) {
                (Some(t), Some(command)) => actions.push(Action {
                    at: crate::duration::parse(&t).map_err(|e| at(node.pos, e))?,
                    command: command.to_string(),
                }),
                _ => {
                    return Err(at(
                        node.pos,
                        format!("invalid action {a}: expected {{at: DURATION, kubectl: COMMAND}}"),
                    ))
                }
            }
        }
        let manifest = str_of("manifest").ok_or_else(|| at(pos_of("manifest"), "scenario has no manifest".into()))?;
        let manifest_key = match &root.node {
            Node::Map(entries) => entries.iter().find(|(k, _)| k.as_str() == Some("manifest")).map(|(k, _)| k.pos),
            _ => None,
        };
        let manifest_offset = manifest_key.and_then(|key| literal_block_offset(text, key));
        let expect_nodes = match root.get("expect").map(|n| &n.node) {
            Some(Node::Seq(items)) => items.as_slice(),
            _ => &[],
        };
        Ok(ScenarioFile {
            name: str_of("name").unwrap_or_default(),
            source: str_of("source"),
            notes: str_of("notes"),
            scenario: Scenario { manifest, settings, actions },
            expect: expect_nodes.iter().map(Spanned::to_json).collect(),
            expect_text: expect_nodes.iter().map(|n| as_written(text, n)).collect(),
            manifest_offset,
        })
    }

    /// A line and column in the manifest text as a line and column in the file.
    pub fn file_position(&self, line: usize, column: usize) -> (usize, usize) {
        match self.manifest_offset {
            Some((lines, columns)) => (line + lines, column + columns),
            None => (line, column),
        }
    }

    /// Simulates the scenario and checks every expectation. A file with nothing to check, or
    /// whose manifest is unreadable YAML, is an error (positioned in the file).
    pub fn check(&self) -> Result<Checked, SyntaxError> {
        if self.expect.is_empty() {
            return Err(at(
                Pos { line: 1, column: 1 },
                "no expectations: nothing to check (add an `expect:` list)".into(),
            ));
        }
        let trace = crate::simulate(&self.scenario).map_err(|e| {
            let (line, column) = self.file_position(e.line, e.column);
            SyntaxError { line, column, message: format!("manifest: {}", e.message) }
        })?;
        let verdicts = crate::expect::check(&trace, &self.expect);
        Ok(Checked { trace, verdicts })
    }
}

fn at(pos: Pos, message: String) -> SyntaxError {
    SyntaxError { line: pos.line, column: pos.column, message }
}

/// For a literal block scalar (`key: |`, `|-`, `|+`) under the key at `key`: the lines and
/// columns that map its text onto the file. Folded (`>`) or quoted scalars do not map line
/// for line, nor does an explicit indentation indicator.
fn literal_block_offset(text: &str, key: Pos) -> Option<(usize, usize)> {
    let line = text.lines().nth(key.line.checked_sub(1)?)?;
    let rest: String = line.chars().skip(key.column.saturating_sub(1)).collect();
    let header = rest.strip_prefix("manifest")?.trim_start().strip_prefix(':')?;
    let indicators = header.split(" #").next().unwrap_or_default().trim();
    if !indicators.starts_with('|') || !indicators[1..].chars().all(|c| c == '-' || c == '+') {
        return None;
    }
    let first = text.lines().skip(key.line).find(|l| !l.trim().is_empty())?;
    Some((key.line, first.len() - first.trim_start().len()))
}

/// An expectation as the file spells it: its line (an item `- never: "x"` of a block list),
/// without a trailing comment, when that alone means the same; else a one-line flow form.
fn as_written(text: &str, node: &Spanned) -> String {
    let want = node.to_json();
    let item =
        text.lines().nth(node.pos.line.saturating_sub(1)).and_then(|l| l.trim_start().strip_prefix('-')).map(str::trim);
    if let Some(line) = item {
        let cuts = line.match_indices(" #").map(|(i, _)| i).chain([line.len()]);
        for cut in cuts {
            let candidate = line[..cut].trim();
            let same = crate::yaml::parse_documents(candidate)
                .ok()
                .and_then(|docs| docs.first().map(Spanned::to_json))
                .is_some_and(|v| v == want);
            if same {
                return candidate.to_string();
            }
        }
    }
    match want.as_object().filter(|m| m.len() == 1).and_then(|m| m.iter().next()) {
        Some((key, value)) => format!("{key}: {}", flow(value)),
        None => flow(&want),
    }
}

/// A value in YAML flow style: `{ref: "pi Exited", count: 2}`.
fn flow(v: &Value) -> String {
    match v {
        Value::Array(items) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
        Value::Object(m) => {
            let entries: Vec<String> = m
                .iter()
                .map(|(k, v)| {
                    let plain = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                    let key = if plain { k.clone() } else { Value::String(k.clone()).to_string() };
                    format!("{key}: {}", flow(v))
                })
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
        other => other.to_string(),
    }
}

fn gates(v: Option<&Value>) -> Result<BTreeMap<String, bool>, String> {
    let mut out = BTreeMap::new();
    for (k, v) in v.and_then(Value::as_object).into_iter().flatten() {
        let b = v.as_bool().ok_or_else(|| format!("feature gate {k} must be true or false"))?;
        out.insert(k.clone(), b);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_scenario_written_as_yaml_reads_back_exactly() {
        let manifests = [
            "kind: Pod\n---\n# é ü \"quoted\" 'single' \\ back\n\tkind: Job\n",
            "",
            "  leading spaces\n\n\ntrailing spaces   \n",
            "odd: \u{1}\u{1f}\u{7f}\u{85}\u{2028}\u{2029}\u{feff} 🦀\r\n",
            "---\n...\n--- |\n  x\n",
        ];
        for manifest in manifests {
            let mut settings =
                Settings { version: KubeVersion::new(28), until: 90_500, seed: 7, ..Settings::default() };
            settings.validate = Validate::Warn;
            settings.feature_gates.insert("SidecarContainers".into(), false);
            settings.kubelet_gates.insert("SidecarContainers".into(), true);
            let scenario = Scenario {
                manifest: manifest.to_owned(),
                settings,
                actions: vec![Action { at: 30_250, command: "kubectl delete pod \"x\" --grace-period=5".into() }],
            };
            let text = scenario.to_yaml();
            let back = ScenarioFile::load(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(back.scenario, scenario, "{text}");
        }
        let plain = Scenario { manifest: "kind: Pod\n".into(), ..Scenario::default() };
        assert_eq!(plain.to_yaml(), "k8s: \"1.29\"\nuntil: \"10m\"\nmanifest: \"kind: Pod\\n\"\n");
    }

    use super::*;

    const FILE: &str = "\
name: demo
k8s: \"1.29\"
manifest: |
  apiVersion: v1
  kind: Pod
  metadata:
    name: web
  spec:
    containers:
    - name: app
      image: busybox:1.36
      command: [\"sleep\", \"3600\"]
expect:
  - before: [\"app Pulling\", \"app Started\"]   # pulled first
  - {never: \"app Exited\"}
  - happens:
      ref: app Started
      count: 1
  - pod: {name: web, phase: Running}
";

    #[test]
    fn expectations_are_shown_as_written() {
        let file = ScenarioFile::load(FILE).expect("parses");
        assert_eq!(
            file.expect_text,
            [
                "before: [\"app Pulling\", \"app Started\"]",
                "{never: \"app Exited\"}",
                "happens: {count: 1, ref: \"app Started\"}",
                "pod: {name: web, phase: Running}",
            ]
        );
        assert_eq!(file.expect.len(), file.expect_text.len());
        let checked = file.check().expect("simulates");
        let failures: Vec<_> = checked.verdicts.iter().filter_map(|v| v.failure.as_ref()).collect();
        assert!(failures.is_empty(), "{failures:?}");
    }

    #[test]
    fn errors_point_into_the_file() {
        let err = ScenarioFile::load(&FILE.replace("\"1.29\"", "\"1.99\"")).expect_err("bad version");
        assert_eq!((err.line, err.column), (2, 6), "{err}");
        let err = ScenarioFile::load("name: x\nexpect: []\n").expect_err("no manifest");
        assert!(err.message.contains("no manifest"), "{err}");
        // A YAML error inside the manifest block is reported at its line in the file.
        let broken = FILE.replace("    name: web", "    name: web: oops");
        let err = ScenarioFile::load(&broken).expect("the file itself parses").check().expect_err("manifest");
        assert_eq!((err.line, err.column), (7, 14), "{err}");
        let none = ScenarioFile::load(FILE.split("expect:").next().unwrap_or_default()).expect("parses");
        assert!(none.check().expect_err("nothing to check").message.contains("no expectations"));
    }
}
