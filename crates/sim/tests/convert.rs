//! "Convert to native sidecars" on real manifests: each `convert/NAME.yaml` is a manifest;
//! `NAME.out` holds what `podsim::convert` makes of it — the suggestions, then the
//! conversion of every suggested container (the moves, the new text and the line diff) or
//! the error — and the engine's verdict on the new text (Kubernetes 1.29, where native
//! sidecars are on by default).
//!
//! `UPDATE_GOLDEN=1 cargo test -p podsim --test convert` rewrites the `.out` files; review
//! the diff line by line before committing.
//!
//! Beside the goldens: every conversion only moves lines (the diff's removed lines come back
//! as added lines, plus `restartPolicy: Always` and at most one `initContainers:` per pod),
//! and convert never panics on the scenario manifests, whole or cut short.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use podsim::api::Spec;
use podsim::convert::{convert, suggest, Candidate, Conversion, DiffLine};
use podsim::Settings;

fn selection(candidates: &[Candidate]) -> Vec<(usize, String)> {
    candidates.iter().map(|c| (c.doc, c.container.clone())).collect()
}

/// Checks that a conversion only moved lines; returns what is wrong.
fn only_moves(conv: &Conversion) -> Result<(), String> {
    let mut balance: BTreeMap<String, i64> = BTreeMap::new();
    for line in &conv.diff {
        match line {
            DiffLine::Removed { text, .. } => *balance.entry(text.trim().to_string()).or_default() -= 1,
            DiffLine::Added { text, .. } => *balance.entry(text.trim().to_string()).or_default() += 1,
            DiffLine::Same { .. } => {}
        }
    }
    balance.retain(|_, n| *n != 0);
    let policy = balance.remove("restartPolicy: Always").unwrap_or(0);
    let keys = balance.remove("initContainers:").unwrap_or(0);
    if policy < 0 || policy as usize > conv.moved.len() || keys < 0 || keys as usize > conv.moved.len() {
        return Err(format!("{policy} restartPolicy and {keys} initContainers lines for {} moves", conv.moved.len()));
    }
    if !balance.is_empty() {
        return Err(format!("lines changed, not moved: {balance:?}"));
    }
    Ok(())
}

/// The engine's view of the new text: accepted at 1.29, each moved container a restartable
/// init container of its workload and no longer a regular one.
fn engine_verdict(text: &str, candidates: &[Candidate]) -> Result<String, String> {
    let applied = podsim::manifest::apply(text, &Settings::default()).map_err(|e| e.to_string())?;
    if let Some(r) = applied.rejected.first() {
        return Err(format!("rejected: {r:?}"));
    }
    for c in candidates {
        let object = applied
            .objects
            .iter()
            .find(|o| o.kind == c.kind && o.metadata.name == c.workload)
            .ok_or_else(|| format!("no {}/{} accepted", c.kind, c.workload))?;
        let pod = match &object.spec {
            Spec::Pod(p) => p,
            Spec::Job(j) => &j.template.spec,
            Spec::Deployment(d) => &d.template.spec,
        };
        let sidecar = pod.init_containers.iter().find(|i| i.name == c.container && i.is_restartable());
        if sidecar.is_none() || pod.containers.iter().any(|r| r.name == c.container) {
            return Err(format!("{} is not a native sidecar of {}/{}", c.container, c.kind, c.workload));
        }
    }
    Ok(format!("accepted by Kubernetes 1.29; {} native sidecar(s) now", candidates.len()))
}

fn render(path: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let candidates = suggest(&text);
    let mut out = String::from("## suggestions\n");
    if candidates.is_empty() {
        out.push_str("(none)\n");
        return Ok(out);
    }
    for c in &candidates {
        let _ = writeln!(out, "line {}: #{} {}/{} `{}`: {}", c.line, c.doc, c.kind, c.workload, c.container, c.reason);
    }
    let conv = match convert(&text, &selection(&candidates)) {
        Ok(conv) => conv,
        Err(e) => {
            let _ = writeln!(out, "\n## convert\nerror: {e}");
            return Ok(out);
        }
    };
    only_moves(&conv)?;
    out.push_str("\n## moved\n");
    for m in &conv.moved {
        let _ = writeln!(out, "#{} `{}`: line {} -> line {}", m.doc, m.container, m.from_line, m.to_line);
    }
    let _ = writeln!(out, "\n## engine\n{}", engine_verdict(&conv.text, &candidates)?);
    out.push_str("\n## diff\n");
    for line in &conv.diff {
        let _ = match line {
            DiffLine::Same { old, new, text } => writeln!(out, "  {old:>3} {new:>3} |{text}"),
            DiffLine::Removed { old, text } => writeln!(out, "- {old:>3}     |{text}"),
            DiffLine::Added { new, text } => writeln!(out, "+     {new:>3} |{text}"),
        };
    }
    out.push_str("\n## converted text\n");
    out.push_str(&conv.text);
    Ok(out)
}

#[test]
fn conversions_match_golden_files() {
    common::check_goldens("tests/convert", render);
}

/// The manifests of every scenario and kubectl golden file.
fn scenario_manifests() -> Vec<(String, String)> {
    ["tests/scenarios", "tests/scenarios-pending", "tests/kubectl"]
        .iter()
        .flat_map(|dir| common::yaml_files(dir))
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            let file = podsim::scenario::ScenarioFile::parse(&text).ok()?;
            Some((p.display().to_string(), file.scenario.manifest))
        })
        .collect()
}

#[test]
fn scenario_manifests_convert_without_surprises() {
    let manifests = scenario_manifests();
    assert!(manifests.len() > 100, "only {} scenario manifests found", manifests.len());
    let mut converted = 0;
    for (name, text) in &manifests {
        let candidates = suggest(text);
        let accepted_before = podsim::manifest::apply(text, &Settings::default()).is_ok_and(|a| a.rejected.is_empty());
        let singles = candidates.iter().map(std::slice::from_ref);
        for chosen in singles.chain([candidates.as_slice()]).filter(|c| !c.is_empty()) {
            let conv = match convert(text, &selection(chosen)) {
                Ok(conv) => conv,
                Err(e) => {
                    // Refusals are fine when they say where; the scenarios use block lists.
                    assert!(!e.to_string().is_empty(), "{name}: empty error");
                    continue;
                }
            };
            converted += 1;
            podsim::yaml::parse_documents(&conv.text).unwrap_or_else(|e| panic!("{name}: output does not parse: {e}"));
            only_moves(&conv).unwrap_or_else(|e| panic!("{name}: {e}\n{}", conv.text));
            assert_eq!(conv.moved.len(), chosen.len(), "{name}");
            if accepted_before {
                engine_verdict(&conv.text, chosen).unwrap_or_else(|e| panic!("{name}: {e}\n{}", conv.text));
            }
        }
    }
    assert!(converted > 5, "only {converted} conversions: the test lost its teeth");
}

#[test]
fn cut_short_manifests_never_panic() {
    for (_, text) in scenario_manifests().iter().filter(|(_, t)| !suggest(t).is_empty()) {
        let candidates = suggest(text);
        let mut cut = 0;
        for (i, _) in text.match_indices('\n') {
            // Every prefix, and the text without one line.
            cut += 1;
            let without = format!("{}{}", &text[..i], text[i + 1..].split_once('\n').map_or("", |(_, rest)| rest));
            for t in [&text[..i], without.as_str()] {
                let _ = suggest(t);
                let _ = convert(t, &selection(&candidates));
            }
        }
        assert!(cut > 0);
    }
}
