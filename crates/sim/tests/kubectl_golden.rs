//! kubectl printers against the real engine, byte for byte: each `kubectl/*.yaml` is a
//! scenario file plus a `kubectl:` list of `{at: DURATION, args: "get pods"}` invocations; the
//! `.out` file beside it holds what each invocation printed, after review against real kubectl
//! output. The hand-made fixtures in `src/kubectl/tests.rs` pin the printers' logic; these pin
//! what users see when the engine and the printers meet.
//!
//! `UPDATE_GOLDEN=1 cargo test -p podsim --test kubectl_golden` rewrites the `.out` files;
//! review the diff line by line before committing. In `args`, `{pod}` is the first pod's
//! generated name, `{pod:PREFIX}` the first pod whose name starts with PREFIX, and
//! `{pod:PREFIX#N}` the N-th of them (by name, from 1).

mod common;

use std::fmt::Write as _;
use std::path::Path;

use podsim::scenario::ScenarioFile;
use podsim::Trace;
use serde_json::Value;

/// One invocation: when (as written, for the header, and in seconds) and the arguments.
struct Invocation {
    at_text: String,
    at: f64,
    args: String,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn invocations(doc: &Value) -> Result<Vec<Invocation>, String> {
    let list = doc.get("kubectl").and_then(Value::as_array).ok_or("no `kubectl:` list")?;
    list.iter()
        .map(|item| {
            let at_text = item.get("at").map(text).ok_or_else(|| format!("{item}: no `at`"))?;
            let args = item.get("args").map(text).ok_or_else(|| format!("{item}: no `args`"))?;
            let at = podsim::duration::parse(&at_text)? as f64 / 1000.0;
            Ok(Invocation { at_text, at, args })
        })
        .collect()
}

/// Every pod name the trace ever held, sorted (pods may be gone by `until`).
fn pod_names(trace: &Trace) -> Vec<String> {
    let mut names: Vec<String> =
        trace.history.revisions.iter().filter(|r| r.key.kind == "Pod").map(|r| r.key.name.clone()).collect();
    names.sort();
    names.dedup();
    names
}

fn expand(args: &str, pods: &[String]) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = args;
    while let Some(i) = rest.find("{pod") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').ok_or("unclosed {pod")? + i;
        let spec = rest[i + 4..end].trim_start_matches(':');
        let (prefix, nth) = match spec.split_once('#') {
            Some((p, n)) => (p, n.parse::<usize>().map_err(|_| format!("bad pod index in {args:?}"))?),
            None => (spec, 1),
        };
        let name = pods
            .iter()
            .filter(|n| n.starts_with(prefix))
            .nth(nth.saturating_sub(1))
            .ok_or_else(|| format!("no pod #{nth} named {prefix}* in {pods:?}"))?;
        out.push_str(name);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The golden text of one case: per invocation a `$ kubectl … # at …` header, stdout as
/// printed, then `[stderr]` and `[exit N]` sections only when there is something to say.
fn render(path: &Path) -> Result<String, String> {
    let source = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let file = ScenarioFile::parse(&source)?;
    let doc = podsim::yaml::parse_documents(&source).map_err(|e| e.to_string())?[0].to_json();
    let trace = podsim::simulate(&file.scenario).map_err(|e| e.to_string())?;
    let pods = pod_names(&trace);
    let mut out = String::new();
    for (i, inv) in invocations(&doc)?.iter().enumerate() {
        let args = expand(&inv.args, &pods)?;
        let words: Vec<String> = args.split_whitespace().map(str::to_string).collect();
        let got = podsim::kubectl::run(&trace, inv.at, &words);
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "$ kubectl {args}   # at {}", inv.at_text);
        out.push_str(&got.stdout);
        if !got.stdout.is_empty() && !got.stdout.ends_with('\n') {
            out.push_str("\n[no newline at end of stdout]\n");
        }
        if !got.stderr.is_empty() {
            out.push_str("[stderr]\n");
            out.push_str(&got.stderr);
            if !got.stderr.ends_with('\n') {
                out.push_str("\n[no newline at end of stderr]\n");
            }
        }
        if got.exit_code != 0 {
            let _ = writeln!(out, "[exit {}]", got.exit_code);
        }
    }
    Ok(out)
}

#[test]
fn kubectl_outputs_match_golden_files() {
    common::check_goldens("tests/kubectl", render);
}
