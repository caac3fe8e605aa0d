//! What the page shows of a trace at the playhead: pods grouped by owner, their kubectl
//! columns, containers with their kind and state, the happenings so far, and the causes the
//! Why? pane explains. Pure lookups in the trace, so they are tested natively.

use std::collections::BTreeMap;

use podsim::diag::Severity;
use podsim::trace::{Cause, Happening, What};
use podsim::Trace;
use serde_json::Value;

use crate::state::Selected;

/// How a container runs inside its pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `spec.initContainers` entry without `restartPolicy: Always`: runs to completion, in order.
    Init,
    /// `spec.initContainers` entry with `restartPolicy: Always`: a native sidecar.
    Sidecar,
    /// `spec.containers` entry.
    App,
}

impl Kind {
    /// The word the page shows; also the `data-kind` attribute tests select on.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Init => "init",
            Kind::Sidecar => "sidecar",
            Kind::App => "app",
        }
    }
}

/// A container's state at the playhead, from its status in the pod JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// `waiting`, `running`, `started`, `ready`, `terminating` or `terminated`: the CSS class
    /// and the `data-state` attribute.
    pub state: &'static str,
    /// What the lane says, e.g. `waiting: PodInitializing`, `terminated: Completed (exit 0)`.
    pub label: String,
    pub restarts: u64,
    /// A start, exit, signal or failed probe in the last [`FLASH`] seconds, shown as a badge.
    pub flash: Option<Mark>,
}

/// How long (simulated seconds) a lane shows a container's latest start, exit, signal or
/// failed probe.
pub const FLASH: f64 = 3.0;

#[derive(Debug, Clone, PartialEq)]
pub struct ContainerView {
    pub name: String,
    pub image: String,
    pub kind: Kind,
    pub lane: Lane,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PodView {
    pub name: String,
    /// `status.phase`, when the engine reported one.
    pub phase: Option<String>,
    /// `kubectl get pods` READY, STATUS, RESTARTS and AGE at the playhead.
    pub ready: String,
    pub status: String,
    pub restarts: String,
    pub age: String,
    /// `type=status` of each pod condition.
    pub conditions: Vec<(String, String)>,
    /// Init containers and sidecars in spec order, then the app containers.
    pub containers: Vec<ContainerView>,
}

/// Pods that share an owner: a Job, a Deployment's ReplicaSet, or none.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// e.g. `Job pi`, `Deployment web → ReplicaSet web-7c9d`, `Pods`.
    pub title: String,
    pub pods: Vec<PodView>,
}

/// The pods that exist at `t`, grouped by owner in the order owners first appear.
pub fn groups(trace: &Trace, t: f64) -> Vec<Group> {
    let objects = trace.history.objects_at(t);
    let recent = Recent::at(&trace.happenings, t);
    let mut groups: Vec<Group> = Vec::new();
    for object in objects.iter().filter(|o| o["kind"] == "Pod") {
        let title = owner_title(object, &objects);
        let cells = podsim::kubectl::pod_cells(trace, t, object);
        let view = pod(object, &cells, &recent);
        match groups.iter_mut().find(|g| g.title == title) {
            Some(group) => group.pods.push(view),
            None => groups.push(Group { title, pods: vec![view] }),
        }
    }
    groups
}

fn owner_title(pod: &Value, objects: &[std::sync::Arc<Value>]) -> String {
    let Some(owner) = pod["metadata"]["ownerReferences"].get(0) else {
        return "Pods".to_owned();
    };
    let (kind, name) = (text(&owner["kind"]), text(&owner["name"]));
    let namespace = &pod["metadata"]["namespace"];
    let parent = objects
        .iter()
        .find(|o| {
            o["kind"] == kind.as_str()
                && o["metadata"]["name"] == name.as_str()
                && &o["metadata"]["namespace"] == namespace
        })
        .and_then(|o| o["metadata"]["ownerReferences"].get(0).cloned());
    match parent {
        Some(p) => format!("{} {} → {kind} {name}", text(&p["kind"]), text(&p["name"])),
        None => format!("{kind} {name}"),
    }
}

/// What each container did lately at `t`: its latest happening (a kill in progress shows as
/// terminating) and its latest marker within [`FLASH`] seconds.
struct Recent<'a> {
    last: BTreeMap<(&'a str, &'a str), What>,
    flash: BTreeMap<(&'a str, &'a str), Mark>,
}

impl<'a> Recent<'a> {
    fn at(happenings: &'a [Happening], t: f64) -> Recent<'a> {
        let mut recent = Recent { last: BTreeMap::new(), flash: BTreeMap::new() };
        for h in happenings.iter().take_while(|h| h.t <= t) {
            recent.last.insert((&h.pod, &h.container), h.what);
            if h.t > t - FLASH {
                if let Some(m) = mark(h) {
                    recent.flash.insert((&h.pod, &h.container), m);
                }
            }
        }
        recent
    }

    fn stopping(&self, pod: &str, container: &str) -> bool {
        matches!(self.last.get(&(pod, container)), Some(What::Killing | What::PreStop | What::SigTerm | What::SigKill))
    }
}

fn pod(object: &Value, cells: &[String], recent: &Recent) -> PodView {
    let spec = &object["spec"];
    let status = &object["status"];
    let name = text(&object["metadata"]["name"]);
    let deleting = !object["metadata"]["deletionTimestamp"].is_null();
    let lane_of = |c: &Value, statuses: &Value| {
        let cname = text(&c["name"]);
        let found = list(statuses).find(|s| s["name"] == cname.as_str());
        let stopping = deleting || recent.stopping(&name, &cname);
        let mut lane = lane(found, stopping);
        lane.flash = recent.flash.get(&(name.as_str(), cname.as_str())).cloned();
        lane
    };
    let init = list(&spec["initContainers"]).map(|c| {
        let kind = if c["restartPolicy"] == "Always" { Kind::Sidecar } else { Kind::Init };
        container(c, kind, lane_of(c, &status["initContainerStatuses"]))
    });
    let app = list(&spec["containers"]).map(|c| container(c, Kind::App, lane_of(c, &status["containerStatuses"])));
    let cell = |i: usize| cells.get(i).cloned().unwrap_or_default();
    PodView {
        phase: status["phase"].as_str().map(str::to_owned),
        ready: cell(1),
        status: cell(2),
        restarts: cell(3),
        age: cell(4),
        conditions: list(&status["conditions"]).map(|c| (text(&c["type"]), text(&c["status"]))).collect(),
        containers: init.chain(app).collect(),
        name,
    }
}

fn lane(status: Option<&Value>, stopping: bool) -> Lane {
    let Some(s) = status else {
        return Lane { state: "waiting", label: "waiting".to_owned(), restarts: 0, flash: None };
    };
    let restarts = s["restartCount"].as_u64().unwrap_or(0);
    let st = &s["state"];
    let (state, label) = if let Some(w) = st.get("waiting") {
        let reason = text(&w["reason"]);
        ("waiting", if reason.is_empty() { "waiting".to_owned() } else { format!("waiting: {reason}") })
    } else if let Some(done) = st.get("terminated") {
        let code = done["exitCode"].as_i64().unwrap_or_default();
        ("terminated", format!("terminated: {} (exit {code})", text(&done["reason"])))
    } else if st.get("running").is_some() {
        if stopping {
            ("terminating", "terminating".to_owned())
        } else if s["ready"] == true {
            ("ready", "ready".to_owned())
        } else if s["started"] == true {
            ("started", "started".to_owned())
        } else {
            ("running", "running".to_owned())
        }
    } else {
        ("waiting", "waiting".to_owned())
    };
    Lane { state, label, restarts, flash: None }
}

fn container(c: &Value, kind: Kind, lane: Lane) -> ContainerView {
    ContainerView { name: text(&c["name"]), image: text(&c["image"]), kind, lane }
}

fn list(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_array().into_iter().flatten()
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// A happening's `what` as the trace contract spells it (`Started`, `SIGTERM`, …).
pub fn what_word(what: What) -> String {
    match serde_json::to_value(what) {
        Ok(Value::String(s)) => s,
        _ => format!("{what:?}"),
    }
}

/// Indices of the happenings at or before `t`, the latest `limit` of them.
pub fn happenings_until(trace: &Trace, t: f64, limit: usize) -> std::ops::Range<usize> {
    let end = trace.happenings.partition_point(|h| h.t <= t + 1e-9);
    end.saturating_sub(limit)..end
}

/// What the Why? pane says about a selection.
#[derive(Debug, Clone, PartialEq)]
pub struct Why {
    pub title: String,
    /// Each cause with its rule; empty when the trace records none.
    pub causes: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    /// e.g. `at 26s`, `waiting since 7s`.
    pub when: String,
    pub rule: String,
    pub detail: String,
    /// The Kubernetes docs page that explains the rule.
    pub docs: &'static str,
}

pub const SIDECAR_DOCS: &str = "https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/";
pub const LIFECYCLE_DOCS: &str = "https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/";

/// The docs page for a rule: sidecar and init container rules, or the pod lifecycle.
pub fn docs_for(cause: &Cause) -> &'static str {
    let words = format!("{} {}", cause.rule, cause.detail).to_lowercase();
    if ["sidecar", "init", "restartable", "restartpolicy: always"].iter().any(|w| words.contains(w)) {
        SIDECAR_DOCS
    } else {
        LIFECYCLE_DOCS
    }
}

fn reason(when: String, cause: &Cause) -> Reason {
    Reason { when, rule: cause.rule.to_owned(), detail: cause.detail.clone(), docs: docs_for(cause) }
}

/// The causes behind a selection at `t`.
pub fn why(trace: &Trace, t: f64, selected: &Selected) -> Why {
    match selected {
        Selected::Happening(i) => match trace.happenings.get(*i) {
            Some(h) => Why {
                title: format!("{}/{} {} at {:.3}s", h.pod, h.container, what_word(h.what), h.t),
                causes: h.cause.iter().map(|c| reason(format!("at {:.3}s", h.t), c)).collect(),
            },
            None => Why { title: "Nothing selected".to_owned(), causes: vec![] },
        },
        Selected::Container { pod, container } => {
            let mut causes = Vec::new();
            // The latest wait before t: why it is not running now (if it still waits).
            let wait = trace.waits.iter().rev().find(|w| w.t <= t && &w.pod == pod && &w.container == container);
            if let Some(cause) = wait.and_then(|w| w.cause.as_ref().map(|c| (w.t, c))) {
                causes.push(reason(format!("waiting since {:.3}s", cause.0), cause.1));
            }
            let latest = trace
                .happenings
                .iter()
                .rev()
                .find(|h| h.t <= t && &h.pod == pod && &h.container == container && h.cause.is_some());
            if let Some(h) = latest {
                if let Some(c) = &h.cause {
                    causes.push(reason(format!("{} at {:.3}s", what_word(h.what), h.t), c));
                }
            }
            Why { title: format!("{pod}/{container}"), causes }
        }
    }
}

/// One container's life on the timeline: when it ran, was ready, was being stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub pod: String,
    pub container: String,
    pub segments: Vec<Segment>,
    /// The container's happenings that deserve a marker, in time order.
    pub marks: Vec<Mark>,
}

/// A happening drawn on a timeline bar; hovering it shows `label`.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub t: f64,
    /// `start`, `exit`, `signal` or `probe`: the CSS class.
    pub kind: &'static str,
    /// e.g. `12.3s Exited (exit 0): Completed`.
    pub label: String,
    /// The happening alone, e.g. `Exited 0`, `SIGTERM`.
    pub word: String,
}

/// Markers per bar at most: a crash loop over a day stays light to draw.
const MARKS: usize = 200;

/// The marker of a happening, if it gets one.
fn mark(h: &Happening) -> Option<Mark> {
    let kind = match h.what {
        What::Started => "start",
        What::Exited => "exit",
        What::Killing | What::PreStop | What::SigTerm | What::SigKill => "signal",
        What::StartupProbeFailed | What::ReadinessProbeFailed | What::LivenessProbeFailed => "probe",
        _ => return None,
    };
    let what = what_word(h.what);
    let mut label = format!("{:.1}s {what}", h.t);
    if let Some(code) = h.exit_code {
        label.push_str(&format!(" (exit {code})"));
    }
    if let Some(reason) = &h.reason {
        label.push_str(&format!(": {reason}"));
    }
    let word = match h.exit_code {
        Some(code) => format!("{what} {code}"),
        None => what,
    };
    Some(Mark { t: h.t, kind, label, word })
}

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub from: f64,
    pub to: f64,
    /// `running`, `ready` or `terminating`: the CSS class.
    pub state: &'static str,
}

/// The Gantt timeline: a bar per container (in the order they first happen, at most
/// `limit`), its segments read from the happenings and closed at `until`.
pub fn timeline(trace: &Trace, until: f64, limit: usize) -> Vec<Bar> {
    let mut bars: Vec<Bar> = Vec::new();
    let mut open: Vec<Option<(f64, &'static str)>> = Vec::new();
    for h in &trace.happenings {
        let i = match bars.iter().position(|b| b.pod == h.pod && b.container == h.container) {
            Some(i) => i,
            None if bars.len() < limit => {
                bars.push(Bar { pod: h.pod.clone(), container: h.container.clone(), segments: vec![], marks: vec![] });
                open.push(None);
                bars.len() - 1
            }
            None => continue,
        };
        if bars[i].marks.len() < MARKS {
            bars[i].marks.extend(mark(h));
        }
        let next = match h.what {
            What::Started => Some("running"),
            What::Ready => Some("ready"),
            What::NotReady => open[i].map(|(_, s)| if s == "ready" { "running" } else { s }),
            What::Killing | What::PreStop | What::SigTerm | What::SigKill => Some("terminating"),
            What::Exited => None,
            _ => continue,
        };
        let current = open[i];
        if current.map(|(_, s)| s) == next {
            continue;
        }
        // A kill of a container that is not running starts no segment.
        if current.is_none() && next == Some("terminating") {
            continue;
        }
        if let Some((from, state)) = current {
            if h.t > from {
                bars[i].segments.push(Segment { from, to: h.t, state });
            }
        }
        open[i] = next.map(|s| (h.t, s));
    }
    for (bar, open) in bars.iter_mut().zip(open) {
        if let Some((from, state)) = open {
            if until > from {
                bar.segments.push(Segment { from, to: until, state });
            }
        }
    }
    bars
}

/// A message about the manifest, with its place when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

/// The engine's diagnostics and rejections, in that order.
pub fn notes(trace: &Trace) -> Vec<Note> {
    let diagnostics = trace.diagnostics.iter().map(|d| Note {
        severity: match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        },
        line: d.line,
        column: d.column,
        message: d.message.clone(),
    });
    let rejected = trace.rejected.iter().map(|r| Note {
        severity: "error",
        line: None,
        column: None,
        message: format!("{}: {}", r.object, r.message),
    });
    diagnostics.chain(rejected).collect()
}

/// The UTF-16 offset (what a textarea's selection counts) of a 1-based line and column.
pub fn offset_of(text: &str, line: usize, column: usize) -> u32 {
    let mut offset = 0usize;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line {
            let col: usize = l.chars().take(column.saturating_sub(1)).map(char::len_utf16).sum();
            return (offset + col) as u32;
        }
        offset += l.encode_utf16().count() + 1;
    }
    text.encode_utf16().count() as u32
}

/// A row of the conversion diff as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffRow {
    /// `sign` is `+`, `-` or a space; line numbers in the old and new text.
    Line { sign: char, old: Option<usize>, new: Option<usize>, text: String },
    /// This many unchanged lines, not shown.
    Folded(usize),
}

/// Unchanged lines kept around each change.
const DIFF_CONTEXT: usize = 2;

/// The diff with unchanged stretches longer than the context folded.
pub fn diff_rows(lines: &[podsim::convert::DiffLine]) -> Vec<DiffRow> {
    use podsim::convert::DiffLine;
    let changed: Vec<bool> = lines.iter().map(|l| !matches!(l, DiffLine::Same { .. })).collect();
    let near = |i: usize| {
        let from = i.saturating_sub(DIFF_CONTEXT);
        let to = (i + DIFF_CONTEXT + 1).min(lines.len());
        changed[from..to].iter().any(|c| *c)
    };
    let mut rows = Vec::new();
    let mut folded = 0;
    for (i, line) in lines.iter().enumerate() {
        if !near(i) {
            folded += 1;
            continue;
        }
        if folded > 0 {
            rows.push(DiffRow::Folded(std::mem::take(&mut folded)));
        }
        rows.push(match line {
            DiffLine::Same { old, new, text } => {
                DiffRow::Line { sign: ' ', old: Some(*old), new: Some(*new), text: text.clone() }
            }
            DiffLine::Removed { old, text } => {
                DiffRow::Line { sign: '-', old: Some(*old), new: None, text: text.clone() }
            }
            DiffLine::Added { new, text } => {
                DiffRow::Line { sign: '+', old: None, new: Some(*new), text: text.clone() }
            }
        });
    }
    if folded > 0 {
        rows.push(DiffRow::Folded(folded));
    }
    rows
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::presets;

    fn trace(file: &str) -> Trace {
        podsim::simulate(&presets::find(file).expect("preset").scenario).expect("simulates")
    }

    #[test]
    fn kinds_follow_the_spec_list_and_restart_policy() {
        let object = json!({
            "kind": "Pod",
            "metadata": {"name": "web"},
            "spec": {
                "initContainers": [
                    {"name": "migrate", "image": "busybox"},
                    {"name": "proxy", "image": "envoy", "restartPolicy": "Always"},
                ],
                "containers": [{"name": "app", "image": "nginx"}],
            },
            "status": {"phase": "Running", "containerStatuses": [
                {"name": "app", "state": {"running": {}}, "ready": true, "started": true, "restartCount": 2}
            ]},
        });
        let view = pod(&object, &[], &Recent::at(&[], 0.0));
        assert_eq!(view.phase.as_deref(), Some("Running"));
        let got: Vec<_> = view.containers.iter().map(|c| (c.name.as_str(), c.kind, c.lane.state)).collect();
        assert_eq!(
            got,
            [("migrate", Kind::Init, "waiting"), ("proxy", Kind::Sidecar, "waiting"), ("app", Kind::App, "ready")]
        );
        assert_eq!(view.containers[2].lane.restarts, 2);
        let sigterm = Happening {
            t: 5.0,
            pod: "web".into(),
            container: "app".into(),
            what: What::SigTerm,
            restart_count: 2,
            exit_code: None,
            reason: None,
            signal: Some("SIGTERM".into()),
            cause: None,
        };
        let stopping = pod(&object, &[], &Recent::at(std::slice::from_ref(&sigterm), 6.0));
        assert_eq!(stopping.containers[2].lane.state, "terminating");
        assert_eq!(stopping.containers[2].lane.flash.as_ref().map(|f| f.word.as_str()), Some("SIGTERM"));
    }

    #[test]
    fn missing_fields_read_as_empty() {
        let view = pod(&json!({"kind": "Pod", "spec": {"containers": [{"image": 3}]}}), &[], &Recent::at(&[], 0.0));
        assert_eq!((view.name.as_str(), view.phase.clone(), view.status.as_str()), ("", None, ""));
        assert_eq!(view.containers[0].lane.state, "waiting");
    }

    #[test]
    fn a_native_job_at_moments() {
        let trace = trace("native-job.yaml");
        let early = groups(&trace, 0.0);
        assert!(early.iter().all(|g| g.pods.is_empty()) || early.is_empty() || early[0].title == "Job pi");
        let running = groups(&trace, 22.0);
        assert_eq!(running[0].title, "Job pi");
        let pod = &running[0].pods[0];
        assert_eq!((pod.ready.as_str(), pod.status.as_str(), pod.restarts.as_str()), ("2/2", "Running", "0"));
        let lanes: Vec<_> = pod.containers.iter().map(|c| (c.kind, c.lane.state)).collect();
        assert_eq!(lanes, [(Kind::Sidecar, "ready"), (Kind::App, "ready")]);
        let stopping = groups(&trace, 30.0);
        let proxy = &stopping[0].pods[0].containers[0];
        assert_eq!(proxy.lane.state, "terminating", "{proxy:?}");
    }

    #[test]
    fn deployments_group_under_their_replica_set() {
        let groups = groups(&trace("native-deployment.yaml"), 60.0);
        assert_eq!(groups.len(), 1);
        assert!(
            groups[0].title.starts_with("Deployment sidecar-demo → ReplicaSet sidecar-demo-"),
            "{}",
            groups[0].title
        );
        assert_eq!(groups[0].pods.len(), 3);
    }

    #[test]
    fn the_gate_off_trap_waits_in_init_with_a_cause() {
        let trace = trace("gate-off-trap.yaml");
        let pod = &groups(&trace, 60.0)[0].pods[0];
        assert_eq!(pod.status, "Init:0/1");
        let app = Selected::Container { pod: pod.name.clone(), container: "app".into() };
        let why = why(&trace, 60.0, &app);
        assert!(!why.causes.is_empty(), "{why:?}");
        assert!(why.causes.iter().all(|c| !c.rule.is_empty() && c.docs.starts_with("https://kubernetes.io/")));
    }

    #[test]
    fn happenings_so_far_and_their_causes() {
        let trace = trace("native-job.yaml");
        let range = happenings_until(&trace, 30.0, 5);
        assert_eq!(range.len(), 5);
        assert!(trace.happenings[range.end - 1].t <= 30.0);
        assert!(trace.happenings.get(range.end).is_none_or(|h| h.t > 30.0));
        let with_cause = trace.happenings.iter().position(|h| h.cause.is_some()).expect("a caused happening");
        let why = why(&trace, 30.0, &Selected::Happening(with_cause));
        assert_eq!(why.causes.len(), 1);
        assert_eq!(what_word(What::SigTerm), "SIGTERM");
    }

    #[test]
    fn the_timeline_shows_the_sidecar_outliving_the_app() {
        let trace = trace("native-job.yaml");
        let bars = timeline(&trace, 300.0, 50);
        let names: Vec<_> = bars.iter().map(|b| b.container.as_str()).collect();
        assert_eq!(names, ["network-proxy", "pi"]);
        let proxy = &bars[0].segments;
        assert_eq!(proxy.iter().map(|s| s.state).collect::<Vec<_>>(), ["ready", "terminating"]);
        assert_eq!((proxy[1].from, proxy[1].to), (26.0, 56.0));
        let pi = &bars[1].segments;
        assert!(pi.last().is_some_and(|s| s.to < 26.0), "{pi:?}");
        assert!(bars.iter().flat_map(|b| &b.segments).all(|s| s.from < s.to && s.to <= 300.0));
        assert_eq!(timeline(&trace, 300.0, 1).len(), 1, "a limit on bars");
        let kinds: Vec<&str> = bars[0].marks.iter().map(|m| m.kind).collect();
        assert_eq!(kinds.first(), Some(&"start"));
        assert!(kinds.contains(&"signal") && kinds.last() == Some(&"exit"), "{kinds:?}");
        let pi_exit = bars[1].marks.iter().find(|m| m.kind == "exit").expect("pi exits");
        assert!(pi_exit.label.ends_with("Exited (exit 0): Completed"), "{}", pi_exit.label);
        assert!(bars.iter().all(|b| b.marks.windows(2).all(|w| w[0].t <= w[1].t)));
    }

    #[test]
    fn a_lane_flashes_its_latest_happening_for_a_few_seconds() {
        let trace = trace("native-job.yaml");
        let exited = trace.happenings.iter().find(|h| h.container == "pi" && h.what == What::Exited).expect("pi exits");
        let pi_at = |t: f64| {
            groups(&trace, t)[0].pods[0].containers.iter().find(|c| c.name == "pi").expect("pi").lane.flash.clone()
        };
        let flash = pi_at(exited.t + 1.0).expect("a badge");
        assert_eq!((flash.kind, flash.word.as_str()), ("exit", "Exited 0"));
        assert_eq!(pi_at(exited.t + FLASH + 0.5), None, "gone after {FLASH}s");
    }

    #[test]
    fn offsets_count_utf16_from_line_and_column() {
        let text = "a: 1\nb: é😀x\nc";
        assert_eq!(offset_of(text, 1, 1), 0);
        assert_eq!(offset_of(text, 2, 1), 5);
        assert_eq!(offset_of(text, 2, 6), 5 + 3 + 1 + 2);
        assert_eq!(offset_of(text, 9, 1), text.encode_utf16().count() as u32);
    }

    #[test]
    fn the_diff_folds_long_unchanged_stretches() {
        use podsim::convert::DiffLine;
        let same = |n: usize| DiffLine::Same { old: n, new: n, text: format!("line {n}") };
        let mut lines: Vec<DiffLine> = (1..=10).map(same).collect();
        lines.insert(5, DiffLine::Added { new: 6, text: "new".into() });
        let rows = diff_rows(&lines);
        let signs: String = rows
            .iter()
            .map(|r| match r {
                DiffRow::Line { sign, .. } => *sign,
                DiffRow::Folded(_) => 'F',
            })
            .collect();
        assert_eq!(signs, "F  +  F");
        assert_eq!(rows[0], DiffRow::Folded(3));
        assert_eq!(rows.last(), Some(&DiffRow::Folded(3)));
    }
}
