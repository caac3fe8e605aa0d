//! Compare: the facts a run ends with (when each Job completed, when each Deployment had all
//! its replicas ready, how pods ended, how often containers restarted), read from a trace, and
//! the side-by-side summary of two runs ("native: Job complete at 14s; legacy: never
//! completes"). Pure lookups in the traces, tested natively.

use std::collections::BTreeMap;

use podsim::trace::{ObjectKey, Revision};
use podsim::Trace;
use serde_json::Value;

use crate::model;

/// One outcome of a run: `key` names what (`Job pi`), `value` says how it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub key: String,
    pub value: String,
}

/// A line of the comparison: the same fact on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub key: String,
    /// `None`: that side has no such object (e.g. a rejected manifest).
    pub left: Option<String>,
    pub right: Option<String>,
}

impl Line {
    pub fn differs(&self) -> bool {
        self.left != self.right
    }
}

/// What a run ends with, in the order objects were first created.
pub fn facts(trace: &Trace) -> Vec<Fact> {
    let until = trace.settings.until;
    let mut facts = Vec::new();
    for (key, revisions) in by_object(trace) {
        let when = |test: &dyn Fn(&Value) -> bool| {
            revisions.iter().find(|r| r.object.as_ref().is_some_and(|o| test(o))).map(|r| at(r.t))
        };
        let value = match key.kind.as_str() {
            "Job" => match (when(&|o| condition(o, "Complete")), when(&|o| condition(o, "Failed"))) {
                (Some(t), _) => format!("complete at {t}"),
                (None, Some(t)) => format!("failed at {t}"),
                (None, None) => format!("not complete after {}", at(until)),
            },
            "Deployment" => {
                let all_ready = |o: &Value| {
                    let want = o["spec"]["replicas"].as_u64().unwrap_or(1);
                    want > 0 && o["status"]["readyReplicas"].as_u64() == Some(want)
                };
                match when(&all_ready) {
                    Some(t) => format!("all replicas ready at {t}"),
                    None => format!("not all replicas ready after {}", at(until)),
                }
            }
            "Pod" if revisions.first().and_then(|r| r.object.as_ref()).is_some_and(|o| owner(o).is_none()) => {
                match when(&|o| condition(o, "Ready")) {
                    Some(t) => format!("ready at {t}"),
                    None => "never ready".to_owned(),
                }
            }
            _ => continue,
        };
        facts.push(Fact { key: format!("{} {}", key.kind, key.name), value });
    }
    facts.extend(ended(trace));
    facts.push(Fact { key: "container restarts".to_owned(), value: restarts(trace).to_string() });
    facts
}

/// The facts of two runs side by side, keyed as [`facts`] names them.
pub fn lines(left: &[Fact], right: &[Fact]) -> Vec<Line> {
    let mut lines: Vec<Line> =
        left.iter().map(|f| Line { key: f.key.clone(), left: Some(f.value.clone()), right: None }).collect();
    for fact in right {
        match lines.iter_mut().find(|l| l.key == fact.key) {
            Some(line) => line.right = Some(fact.value.clone()),
            None => lines.push(Line { key: fact.key.clone(), left: None, right: Some(fact.value.clone()) }),
        }
    }
    lines
}

/// Each object's revisions, in the order objects first appear.
fn by_object(trace: &Trace) -> Vec<(&ObjectKey, Vec<&Revision>)> {
    let mut out: Vec<(&ObjectKey, Vec<&Revision>)> = Vec::new();
    for r in &trace.history.revisions {
        match out.iter_mut().find(|(k, _)| *k == &r.key) {
            Some((_, list)) => list.push(r),
            None => out.push((&r.key, vec![r])),
        }
    }
    out
}

/// How the pods of each owner stand at the end, e.g. `Job pi pods at the end: 1 Completed`:
/// pods of a Deployment get new names when the template changes, so they are counted by
/// STATUS rather than named.
fn ended(trace: &Trace) -> Vec<Fact> {
    let until = trace.settings.until;
    let mut counts: Vec<(String, BTreeMap<String, usize>)> = Vec::new();
    for group in model::groups(trace, until) {
        let title = group.title.split(" → ").next().unwrap_or_default().to_owned();
        let title = if title == "Pods" { "pods".to_owned() } else { format!("{title} pods") };
        let entry = match counts.iter().position(|(t, _)| *t == title) {
            Some(i) => &mut counts[i].1,
            None => {
                counts.push((title, BTreeMap::new()));
                &mut counts.last_mut().expect("just pushed").1
            }
        };
        for pod in group.pods {
            *entry.entry(format!("{} {}", pod.ready, pod.status)).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|(title, by_status)| {
            let value = by_status.iter().map(|(s, n)| format!("{n}× {s}")).collect::<Vec<_>>().join(", ");
            Fact { key: format!("{title} at the end"), value }
        })
        .collect()
}

/// Container restarts over the run: the last restart count of every container instance.
fn restarts(trace: &Trace) -> u32 {
    let mut last: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for h in &trace.happenings {
        let n = last.entry((&h.pod, &h.container)).or_default();
        *n = (*n).max(h.restart_count);
    }
    last.values().sum()
}

fn condition(object: &Value, kind: &str) -> bool {
    object["status"]["conditions"]
        .as_array()
        .is_some_and(|cs| cs.iter().any(|c| c["type"] == kind && c["status"] == "True"))
}

fn owner(pod: &Value) -> Option<&Value> {
    pod["metadata"]["ownerReferences"].get(0)
}

/// A moment as kubectl counts age: `14s`, `2m5s`.
fn at(t: f64) -> String {
    podsim::kubectl::human_duration(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;
    use crate::state::{Config, GateChoice, Outcome};

    fn run(file: &str, adjust: impl Fn(&mut Config)) -> Vec<Fact> {
        let preset = presets::all().into_iter().find(|p| p.file == file).expect(file);
        let mut config = Config::from_preset(&preset);
        adjust(&mut config);
        match Outcome::of(&config) {
            Outcome::Simulated(trace) => facts(&trace),
            other => panic!("{file}: {other:?}"),
        }
    }

    fn value<'a>(facts: &'a [Fact], key: &str) -> &'a str {
        &facts.iter().find(|f| f.key == key).unwrap_or_else(|| panic!("no {key} in {facts:?}")).value
    }

    #[test]
    fn the_seed_jobs_complete_only_with_native_sidecars() {
        let native = run("native-job.yaml", |_| {});
        let legacy = run("legacy-job.yaml", |_| {});
        assert!(value(&native, "Job pi").starts_with("complete at "), "{native:?}");
        assert!(value(&legacy, "Job pi").starts_with("not complete after "), "{legacy:?}");
        let lines = lines(&legacy, &native);
        let job = lines.iter().find(|l| l.key == "Job pi").expect("Job line");
        assert!(job.differs());
        assert!(lines.iter().any(|l| l.key == "Job pi pods at the end" && l.differs()), "{lines:?}");
    }

    #[test]
    fn the_gate_off_trap_never_gets_ready() {
        let off = run("gate-off-trap.yaml", |_| {});
        let on = run("gate-off-trap.yaml", |c| c.gate = GateChoice::On);
        let lines = lines(&off, &on);
        assert!(lines.iter().any(Line::differs), "{lines:?}");
        let pods = |facts: &[Fact]| {
            facts.iter().find(|f| f.key.ends_with("at the end")).map(|f| f.value.clone()).unwrap_or_default()
        };
        assert!(pods(&off).contains("Init:0/1"), "{off:?}");
        assert!(!pods(&on).contains("Init:0/1"), "{on:?}");
    }

    #[test]
    fn restarts_count_every_container() {
        let facts = run("crashloop-sidecar.yaml", |_| {});
        let restarts: u32 = value(&facts, "container restarts").parse().expect("a number");
        assert!(restarts >= 3, "{facts:?}");
    }

    #[test]
    fn a_fact_only_one_side_has_is_kept() {
        let left = [Fact { key: "Job a".into(), value: "complete at 3s".into() }];
        let right = [Fact { key: "Job b".into(), value: "complete at 4s".into() }];
        let lines = lines(&left, &right);
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[0].right.as_deref(), lines[1].left.as_deref()), (None, None));
    }
}
