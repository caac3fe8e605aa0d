//! Goals: a scenario's expectations (`expect:` in the one scenario format), checked over the
//! trace by the engine's own checker (`podsim::expect`, the same as `podsim check`). A
//! preset's goals show that its story holds; a teacher's link with goals is an exercise the
//! student edits the manifest until every goal holds.

use podsim::scenario::ScenarioFile;
use podsim::Trace;
use serde_json::Value;

/// One expectation: as its author wrote it, and as the checker reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub text: String,
    pub expect: Value,
}

/// A goal checked over a run: `None` when it holds, else why not.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub goal: Goal,
    pub failure: Option<String>,
}

/// The goals of a scenario file, in its order.
pub fn of(file: &ScenarioFile) -> Vec<Goal> {
    file.expect
        .iter()
        .zip(&file.expect_text)
        .map(|(expect, text)| Goal { text: text.clone(), expect: expect.clone() })
        .collect()
}

/// Every goal checked over `trace`.
pub fn check(trace: &Trace, goals: &[Goal]) -> Vec<Checked> {
    let expectations: Vec<Value> = goals.iter().map(|g| g.expect.clone()).collect();
    podsim::expect::check(trace, &expectations)
        .into_iter()
        .zip(goals)
        .map(|(verdict, goal)| Checked { goal: goal.clone(), failure: verdict.failure })
        .collect()
}

/// The `expect:` section of a scenario file: each goal as its author wrote it when that reads
/// back the same, else as JSON (which YAML reads too).
pub fn to_yaml(goals: &[Goal]) -> String {
    if goals.is_empty() {
        return String::new();
    }
    let mut out = String::from("expect:\n");
    for goal in goals {
        let as_written = podsim::yaml::parse_documents(&format!("- {}\n", goal.text))
            .ok()
            .and_then(|docs| docs.first().map(|d| d.to_json()))
            .is_some_and(|v| v.get(0) == Some(&goal.expect));
        let item = if as_written { goal.text.clone() } else { goal.expect.to_string() };
        out.push_str(&format!("  - {item}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    #[test]
    fn a_presets_goals_hold_and_read_back_from_yaml() {
        let preset = presets::find("native-job.yaml").expect("preset");
        assert!(!preset.goals.is_empty());
        let trace = podsim::simulate(&preset.scenario).expect("simulates");
        let checked = check(&trace, &preset.goals);
        assert!(checked.iter().all(|c| c.failure.is_none()), "{checked:?}");
        let text = format!("manifest: \"kind: Pod\"\n{}", to_yaml(&preset.goals));
        let back = of(&ScenarioFile::load(&text).expect("a scenario file"));
        assert_eq!(back, preset.goals);
    }

    #[test]
    fn a_goal_that_does_not_hold_says_why() {
        let preset = presets::find("legacy-job.yaml").expect("preset");
        let trace = podsim::simulate(&preset.scenario).expect("simulates");
        let wrong = Goal {
            text: "object: {kind: Job, name: pi, field: status.succeeded, equals: 1}".into(),
            expect: serde_json::json!({"object": {"kind": "Job", "name": "pi", "field": "status.succeeded", "equals": 1}}),
        };
        let checked = check(&trace, &[wrong]);
        assert!(checked[0].failure.as_ref().is_some_and(|f| !f.is_empty()), "{checked:?}");
    }

    #[test]
    fn goals_that_do_not_read_back_as_written_are_written_as_json() {
        let odd = Goal { text: "not: [the same".into(), expect: serde_json::json!({"never": "a Started"}) };
        assert_eq!(to_yaml(std::slice::from_ref(&odd)), "expect:\n  - {\"never\":\"a Started\"}\n");
    }
}
