//! A scenario: manifests + settings + timed actions (+ expectations). One format serves
//! the CLI, tests, presets, shared links, embeds and exercises: the conformance scenario
//! files (`name`, `k8s`, `featureGates`, `until`, `actions`, `manifest`, `expect`, …).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::settings::{KubeVersion, Settings, Validate};
use crate::trace::Millis;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// The manifest text exactly as the user typed it (multi-document YAML).
    pub manifest: String,
    pub settings: Settings,
    pub actions: Vec<Action>,
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
}

impl ScenarioFile {
    pub fn parse(text: &str) -> Result<ScenarioFile, String> {
        let docs = crate::yaml::parse_documents(text).map_err(|e| e.to_string())?;
        let doc = docs.first().ok_or("empty scenario file")?.to_json();
        let str_of = |k: &str| doc.get(k).and_then(Value::as_str).map(str::to_string);
        let text_of = |k: &str| {
            doc.get(k).map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        };
        let mut settings = Settings::default();
        if let Some(v) = text_of("k8s") {
            settings.version = KubeVersion::parse(&v)?;
        }
        settings.feature_gates = gates(doc.get("featureGates"))?;
        settings.apiserver_gates = gates(doc.get("apiserverFeatureGates"))?;
        settings.kubelet_gates = gates(doc.get("kubeletFeatureGates"))?;
        if let Some(v) = text_of("validate") {
            settings.validate = Validate::parse(&v)?;
        }
        if let Some(v) = text_of("until") {
            settings.until = crate::duration::parse(&v)?;
        }
        if let Some(v) = doc.get("seed").and_then(Value::as_u64) {
            settings.seed = v;
        }
        let mut actions = Vec::new();
        for a in doc.get("actions").and_then(Value::as_array).into_iter().flatten() {
            let at = a.get("at").map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            let command = a.get("kubectl").and_then(Value::as_str);
            match (at, command) {
                (Some(at), Some(command)) => {
                    actions.push(Action { at: crate::duration::parse(&at)?, command: command.to_string() })
                }
                _ => return Err(format!("invalid action {a}: expected {{at: DURATION, kubectl: COMMAND}}")),
            }
        }
        Ok(ScenarioFile {
            name: str_of("name").unwrap_or_default(),
            source: str_of("source"),
            notes: str_of("notes"),
            scenario: Scenario { manifest: str_of("manifest").ok_or("scenario has no manifest")?, settings, actions },
            expect: doc.get("expect").and_then(Value::as_array).cloned().unwrap_or_default(),
        })
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
