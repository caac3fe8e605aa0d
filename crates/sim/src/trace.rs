//! The trace: everything a simulation produced, in the shape fixed by the conformance
//! contract (`podsim.trace/v1`), plus the object history and container logs that the
//! kubectl printers and the web app read to show any moment without re-running.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::diag::Diagnostic;

/// Simulated time, in milliseconds since the manifests were applied.
pub type Millis = u64;

pub fn secs(t: Millis) -> f64 {
    t as f64 / 1000.0
}

/// Why a container is not running from `t` on (until its next wait or happening): the
/// answer to "why is it waiting?".
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Wait {
    pub t: f64,
    pub pod: String,
    pub container: String,
    /// `None`: the container stopped waiting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
}

#[derive(Debug, Clone)]
pub struct Trace {
    pub schema: &'static str,
    pub settings: TraceSettings,
    pub diagnostics: Vec<Diagnostic>,
    pub rejected: Vec<Rejection>,
    pub happenings: Vec<Happening>,
    pub waits: Vec<Wait>,
    pub events: Vec<Event>,
    /// Every revision of every object, in time order: snapshots at any `t` are lookups.
    pub history: History,
    pub logs: Vec<LogLine>,
    /// Wall-clock instant of `t = 0`, Unix seconds: timestamps in objects count from it.
    pub epoch: i64,
}

/// The `podsim.trace/v1` JSON: the trace with every object's final state.
#[derive(Serialize)]
struct TraceJson<'a> {
    schema: &'static str,
    settings: &'a TraceSettings,
    diagnostics: &'a [Diagnostic],
    rejected: &'a [Rejection],
    happenings: &'a [Happening],
    waits: &'a [Wait],
    events: &'a [Event],
    objects: Vec<&'a Value>,
}

impl Serialize for Trace {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let objects = self.objects();
        TraceJson {
            schema: self.schema,
            settings: &self.settings,
            diagnostics: &self.diagnostics,
            rejected: &self.rejected,
            happenings: &self.happenings,
            waits: &self.waits,
            events: &self.events,
            objects: objects.iter().map(|o| o.as_ref()).collect(),
        }
        .serialize(serializer)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TraceSettings {
    pub k8s: String,
    #[serde(rename = "featureGates")]
    pub feature_gates: BTreeMap<String, bool>,
    #[serde(rename = "apiserverFeatureGates")]
    pub apiserver_feature_gates: BTreeMap<String, bool>,
    #[serde(rename = "kubeletFeatureGates")]
    pub kubelet_feature_gates: BTreeMap<String, bool>,
    pub validate: String,
    pub until: f64,
    pub seed: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rejection {
    /// `Kind/name`, e.g. `Pod/web`.
    pub object: String,
    /// What `kubectl apply` prints, without the trailing newline.
    pub message: String,
}

/// What a container-level fact is. The names are the contract's `what` words.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
pub enum What {
    Pulling,
    Pulled,
    Created,
    Started,
    PostStart,
    StartupComplete,
    Ready,
    NotReady,
    StartupProbeFailed,
    ReadinessProbeFailed,
    LivenessProbeFailed,
    Killing,
    PreStop,
    #[serde(rename = "SIGTERM")]
    SigTerm,
    #[serde(rename = "SIGKILL")]
    SigKill,
    Exited,
}

/// Why something happened: the upstream rule that produced it and the objects involved.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Cause {
    /// The upstream function or controller step, e.g. `kubelet: computeInitContainerActions`.
    pub rule: &'static str,
    /// One sentence for people, naming the containers and objects involved.
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Happening {
    pub t: f64,
    pub pod: String,
    pub container: String,
    pub what: What,
    #[serde(rename = "restartCount")]
    pub restart_count: u32,
    #[serde(rename = "exitCode", skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
}

/// A Kubernetes Event as recorded (one entry per emission; printers aggregate).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Event {
    pub t: f64,
    #[serde(rename = "type")]
    pub type_: &'static str,
    pub reason: String,
    /// `Kind/name` of the involved object, e.g. `Pod/web-7d4b9c-x2x7z`.
    pub object: String,
    pub namespace: String,
    /// Reporting component: `kubelet`, `default-scheduler`, `job-controller`, …
    pub source: &'static str,
    /// The node for kubelet events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// `spec.containers{app}`-style field path for container events.
    #[serde(rename = "fieldPath", skip_serializing_if = "Option::is_none")]
    pub field_path: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LogLine {
    pub t: f64,
    pub namespace: String,
    pub pod: String,
    pub container: String,
    /// The container's restart count when this instance ran (0 for the first run).
    pub instance: u32,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectKey {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Revision {
    pub t: f64,
    pub key: ObjectKey,
    /// `None`: the object was deleted from the API at `t`.
    pub object: Option<Snap>,
}

/// An object as of one revision. The engine records plain snapshots while it runs and
/// renders each to the API's JSON only the first time someone reads it, so a long run pays
/// for the moments people look at, not for every change.
#[derive(Clone)]
pub struct Snap {
    json: std::cell::OnceCell<Arc<Value>>,
    render: Option<Arc<dyn Fn() -> Value>>,
}

impl Snap {
    pub fn lazy(render: impl Fn() -> Value + 'static) -> Snap {
        Snap { json: std::cell::OnceCell::new(), render: Some(Arc::new(render)) }
    }

    /// A shared base object with a few parts replaced: `(key, "", v)` sets `base[key] = v`,
    /// `(key, sub, v)` sets `base[key][sub] = v`.
    pub fn patched(base: Arc<Value>, patches: Vec<(&'static str, &'static str, Value)>) -> Snap {
        Snap::lazy(move || {
            let mut v = (*base).clone();
            for (key, sub, value) in &patches {
                if sub.is_empty() {
                    v[*key] = value.clone();
                } else {
                    v[*key][*sub] = value.clone();
                }
            }
            v
        })
    }

    /// The object's JSON, rendered on first use.
    pub fn json(&self) -> &Arc<Value> {
        self.json.get_or_init(|| Arc::new(self.render.as_ref().map_or(Value::Null, |r| r())))
    }
}

impl From<Value> for Snap {
    fn from(v: Value) -> Snap {
        Snap::from(Arc::new(v))
    }
}

impl From<Arc<Value>> for Snap {
    fn from(v: Arc<Value>) -> Snap {
        Snap { json: std::cell::OnceCell::from(v), render: None }
    }
}

impl std::ops::Deref for Snap {
    type Target = Value;
    fn deref(&self) -> &Value {
        self.json()
    }
}

impl AsRef<Value> for Snap {
    fn as_ref(&self) -> &Value {
        self.json()
    }
}

impl std::fmt::Debug for Snap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.json.get() {
            Some(v) => write!(f, "Snap({v})"),
            None => write!(f, "Snap(<not rendered>)"),
        }
    }
}

/// Object revisions in time order.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub revisions: Vec<Revision>,
}

impl History {
    /// Every object that exists at `t` (latest revision at or before `t`), in key order.
    pub fn objects_at(&self, t: f64) -> Vec<Arc<Value>> {
        let end = self.revisions.partition_point(|r| r.t <= t);
        let mut latest: BTreeMap<&ObjectKey, &Option<Snap>> = BTreeMap::new();
        for r in &self.revisions[..end] {
            latest.insert(&r.key, &r.object);
        }
        latest.into_values().filter_map(|o| o.as_ref().map(|s| s.json().clone())).collect()
    }
}

impl Trace {
    /// Every object's state at `until`, in Kubernetes' JSON shape.
    pub fn objects(&self) -> Vec<Arc<Value>> {
        self.history.objects_at(self.settings.until)
    }

    /// Events recorded at or before `t`.
    pub fn events_at(&self, t: f64) -> &[Event] {
        let end = self.events.partition_point(|e| e.t <= t);
        &self.events[..end]
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}
