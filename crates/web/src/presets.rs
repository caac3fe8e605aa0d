//! The preset menu: scenario files in the engine's one scenario format
//! (`podsim::scenario::ScenarioFile`), each with a one-line `story:`, compiled into the app.

use podsim::scenario::ScenarioFile;
use podsim::Scenario;
use serde_json::Value;

/// `(file name, text)` in menu order.
const FILES: [(&str, &str); 14] = [
    ("legacy-job.yaml", include_str!("../presets/legacy-job.yaml")),
    ("native-job.yaml", include_str!("../presets/native-job.yaml")),
    ("legacy-deployment.yaml", include_str!("../presets/legacy-deployment.yaml")),
    ("native-deployment.yaml", include_str!("../presets/native-deployment.yaml")),
    ("istio-hold-legacy.yaml", include_str!("../presets/istio-hold-legacy.yaml")),
    ("istio-native.yaml", include_str!("../presets/istio-native.yaml")),
    ("cloudsql-job.yaml", include_str!("../presets/cloudsql-job.yaml")),
    ("log-shipper-flush.yaml", include_str!("../presets/log-shipper-flush.yaml")),
    ("reverse-order.yaml", include_str!("../presets/reverse-order.yaml")),
    ("crashloop-sidecar.yaml", include_str!("../presets/crashloop-sidecar.yaml")),
    ("gate-off-trap.yaml", include_str!("../presets/gate-off-trap.yaml")),
    ("proxy-quits-mid-drain.yaml", include_str!("../presets/proxy-quits-mid-drain.yaml")),
    ("sidecar-after-init.yaml", include_str!("../presets/sidecar-after-init.yaml")),
    ("native-no-startup-probe.yaml", include_str!("../presets/native-no-startup-probe.yaml")),
];

#[derive(Debug, Clone, PartialEq)]
pub struct Preset {
    /// The file name without its folder: the menu's value and the tests' handle.
    pub file: String,
    pub name: String,
    pub story: String,
    pub scenario: Scenario,
    /// The expectations that pin the story.
    pub goals: Vec<crate::goals::Goal>,
}

/// Every preset that parses; a broken one is left out (and fails the tests below).
pub fn all() -> Vec<Preset> {
    FILES.iter().filter_map(|(file, text)| parse(file, text).ok()).collect()
}

pub fn find(file: &str) -> Option<Preset> {
    all().into_iter().find(|p| p.file == file)
}

fn parse(file: &str, text: &str) -> Result<Preset, String> {
    let parsed = ScenarioFile::parse(text)?;
    // `story:` is the presets' own key; the scenario format ignores keys it does not know.
    let docs = podsim::yaml::parse_documents(text).map_err(|e| e.to_string())?;
    let story =
        docs.first().map(|d| d.to_json()).and_then(|d| d.get("story").and_then(Value::as_str).map(str::to_owned));
    let goals = crate::goals::of(&parsed);
    Ok(Preset {
        file: file.to_owned(),
        name: parsed.name,
        story: story.unwrap_or_default(),
        scenario: parsed.scenario,
        goals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_parses_has_a_story_and_simulates_without_rejections() {
        let mut failures = Vec::new();
        for (file, text) in FILES {
            let preset = parse(file, text).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!preset.name.is_empty() && !preset.story.is_empty(), "{file}: name and story");
            assert!(!preset.story.contains('\n'), "{file}: the story is one line");
            let trace = podsim::simulate(&preset.scenario).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(trace.rejected.is_empty(), "{file}: {:?}", trace.rejected);
            let errors: Vec<_> =
                trace.diagnostics.iter().filter(|d| d.severity == podsim::diag::Severity::Error).collect();
            assert!(errors.is_empty(), "{file}: {errors:?}");
            assert!(!trace.happenings.is_empty(), "{file}: something happens");
            // The story is pinned by the file's `expect:` list, checked like the engine's scenarios.
            let expect = ScenarioFile::parse(text).map(|f| f.expect).unwrap_or_default();
            assert!(!expect.is_empty(), "{file}: expectations pin the story");
            for verdict in podsim::expect::check(&trace, &expect) {
                if let Some(why) = verdict.failure {
                    failures.push(format!("{file}: {}: {why}", verdict.expectation));
                }
            }
        }
        assert!(failures.is_empty(), "stories that are not true:\n{}", failures.join("\n"));
        assert_eq!(all().len(), FILES.len());
    }

    #[test]
    fn the_gate_off_trap_is_stuck_in_init() {
        let preset = find("gate-off-trap.yaml").expect("preset");
        let trace = podsim::simulate(&preset.scenario).expect("simulates");
        let out = podsim::kubectl::run(&trace, 120.0, &["get".to_owned(), "pods".to_owned()]);
        assert!(out.stdout.contains("Init:0/1"), "{}", out.stdout);
    }
}
