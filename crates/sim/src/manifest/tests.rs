//! Golden tests: each `tests/manifest/*.yaml` holds settings and a manifest; the `.out` file
//! beside it holds what `apply` produced. `UPDATE_GOLDEN=1 cargo test -p podsim manifest`
//! rewrites the `.out` files after a deliberate change (review the diff before committing).

use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

use super::{apply, Applied};
use crate::settings::{KubeVersion, Settings, Validate};
use crate::yaml::{parse_documents, Node, Spanned};

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

fn gates(doc: &Spanned, key: &str) -> std::collections::BTreeMap<String, bool> {
    let mut out = std::collections::BTreeMap::new();
    if let Some(Node::Map(entries)) = doc.get(key).map(|g| &g.node) {
        for (k, v) in entries {
            if let (Some(name), Node::Bool(b)) = (k.as_str(), &v.node) {
                out.insert(name.to_string(), *b);
            }
        }
    }
    out
}

/// Reads a test case: `k8s`, `featureGates`, `apiserverFeatureGates`, `validate`, `manifest`
/// and `showLastApplied` (print the annotation instead of a placeholder).
fn case(text: &str) -> (Settings, String, bool) {
    let docs = parse_documents(text).expect("test case is valid YAML");
    let doc = &docs[0];
    let mut settings = Settings::default();
    if let Some(v) = doc.get("k8s").and_then(Spanned::as_str) {
        settings.version = KubeVersion::parse(v).expect("valid version");
    }
    settings.feature_gates = gates(doc, "featureGates");
    settings.apiserver_gates = gates(doc, "apiserverFeatureGates");
    if let Some(v) = doc.get("validate").and_then(Spanned::as_str) {
        settings.validate = Validate::parse(v).expect("valid --validate");
    }
    let manifest = doc.get("manifest").and_then(Spanned::as_str).expect("a manifest").to_string();
    let show = matches!(doc.get("showLastApplied").map(|v| &v.node), Some(Node::Bool(true)));
    (settings, manifest, show)
}

fn render(applied: &Applied, show_last_applied: bool) -> String {
    let mut out = String::new();
    out.push_str("== printed\n");
    for line in &applied.printed {
        let _ = writeln!(out, "{line}");
    }
    out.push_str("== rejected\n");
    for r in &applied.rejected {
        let _ = writeln!(out, "{}: {}", r.object, r.message);
    }
    out.push_str("== diagnostics\n");
    for d in &applied.diagnostics {
        let sev =
            serde_json::to_value(d.severity).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
        let _ = writeln!(
            out,
            "{sev} {}:{} [{}] {}",
            d.line.unwrap_or(0),
            d.column.unwrap_or(0),
            d.path.as_deref().unwrap_or(""),
            d.message
        );
    }
    for obj in &applied.objects {
        let mut json = obj.json.clone();
        if !show_last_applied {
            if let Some(a) = json.pointer_mut("/metadata/annotations").and_then(Value::as_object_mut) {
                if a.contains_key(LAST_APPLIED) {
                    a.insert(LAST_APPLIED.into(), Value::String("…".into()));
                }
            }
        }
        let _ = writeln!(out, "== object {}/{}", obj.kind, obj.metadata.name);
        let _ = writeln!(out, "{}", serde_json::to_string_pretty(&json).unwrap_or_default());
    }
    out
}

#[test]
fn golden_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/manifest");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/manifest exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    entries.sort();
    assert!(!entries.is_empty(), "no golden cases found in {}", dir.display());
    let mut failures = Vec::new();
    for path in entries {
        let text = std::fs::read_to_string(&path).expect("readable case");
        let (settings, manifest, show) = case(&text);
        let got = match apply(&manifest, &settings) {
            Ok(applied) => render(&applied, show),
            Err(e) => format!("== syntax error\n{e}\n"),
        };
        let golden = path.with_extension("out");
        if update {
            std::fs::write(&golden, &got).expect("write golden");
            continue;
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_default();
        if want != got {
            failures.push(format!("--- {}\n{got}", golden.display()));
        }
    }
    assert!(failures.is_empty(), "golden mismatches (UPDATE_GOLDEN=1 to accept):\n{}", failures.join("\n"));
}

#[test]
fn never_panics_on_hostile_input() {
    let inputs = [
        "",
        "---\n---\n",
        "42\n",
        "- a\n- b\n",
        "apiVersion: v1\nkind: Pod\nmetadata: 5\nspec: [1]\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [null, 5, {name: 7}], terminationGracePeriodSeconds: 99999999999999999999}\n",
        "apiVersion: v1\nkind: List\nitems: [5, {kind: Pod}, {apiVersion: v1, kind: Pod, metadata: {name: x}}]\n",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: -1e300, selector: {matchExpressions: [{key: '', operator: Bad}]}, strategy: {type: X, rollingUpdate: 3}}\n",
        "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {completions: 2147483647, completionMode: Indexed, template: {spec: {containers: [{name: a, image: b, resources: {limits: {cpu: 1e999999, memory: .}}}]}}}\n",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b, livenessProbe: {httpGet: {port: 1.5}}}]}\n",
    ];
    for text in inputs {
        for validate in [Validate::Strict, Validate::Warn, Validate::Ignore] {
            for minor in [27, 28, 34] {
                let settings = Settings { version: KubeVersion::new(minor), validate, ..Settings::default() };
                let _ = apply(text, &settings);
            }
        }
    }
}
