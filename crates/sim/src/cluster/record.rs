//! What the simulation writes down as it goes: happenings, Kubernetes events, object
//! revisions and log lines — the raw material of the trace.

use std::sync::Arc;

use serde_json::Value;

use crate::trace::{secs, Cause, Event, Happening, History, LogLine, Millis, ObjectKey, Revision, Snap, Wait, What};

#[derive(Debug, Default)]
pub struct Recorder {
    pub happenings: Vec<Happening>,
    pub waits: Vec<Wait>,
    pub events: Vec<Event>,
    pub history: History,
    pub logs: Vec<LogLine>,
}

/// Optional details of a happening.
#[derive(Debug, Default, Clone)]
pub struct Detail {
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
    pub signal: Option<String>,
    pub cause: Option<Cause>,
}

impl Detail {
    pub fn because(rule: &'static str, detail: impl Into<String>) -> Detail {
        Detail { cause: Some(Cause { rule, detail: detail.into() }), ..Detail::default() }
    }
}

/// The fields of an event apart from time.
pub struct EventSpec<'a> {
    pub type_: &'static str,
    pub reason: &'a str,
    pub kind: &'a str,
    pub name: &'a str,
    pub namespace: &'a str,
    pub source: &'static str,
    pub host: Option<&'a str>,
    pub field_path: Option<String>,
    pub message: String,
}

impl Recorder {
    pub fn happen(&mut self, t: Millis, pod: &str, container: &str, what: What, restart_count: u32, d: Detail) {
        self.happenings.push(Happening {
            t: secs(t),
            pod: pod.to_string(),
            container: container.to_string(),
            what,
            restart_count,
            exit_code: d.exit_code,
            reason: d.reason,
            signal: d.signal,
            cause: d.cause,
        });
    }

    pub fn wait(&mut self, t: Millis, pod: &str, container: &str, cause: Option<Cause>) {
        self.waits.push(Wait { t: secs(t), pod: pod.to_string(), container: container.to_string(), cause });
    }

    pub fn event(&mut self, t: Millis, e: EventSpec<'_>) {
        self.events.push(Event {
            t: secs(t),
            type_: e.type_,
            reason: e.reason.to_string(),
            object: format!("{}/{}", e.kind, e.name),
            namespace: e.namespace.to_string(),
            source: e.source,
            host: e.host.map(str::to_string),
            field_path: e.field_path,
            message: e.message,
        });
    }

    pub fn log(&mut self, t: Millis, namespace: &str, pod: &str, container: &str, instance: u32, text: String) {
        self.logs.push(LogLine {
            t: secs(t),
            namespace: namespace.to_string(),
            pod: pod.to_string(),
            container: container.to_string(),
            instance,
            text,
        });
    }

    /// Records a revision when the object changed (compared as JSON: for the few
    /// controller objects).
    pub fn revision(
        &mut self,
        t: Millis,
        kind: &str,
        namespace: &str,
        name: &str,
        last: &mut Option<Arc<Value>>,
        object: Option<Value>,
    ) {
        let changed = match (&last, &object) {
            (Some(a), Some(b)) => a.as_ref() != b,
            (None, None) => false,
            _ => true,
        };
        if !changed {
            return;
        }
        let stored = object.map(Arc::new);
        *last = stored.clone();
        self.push(t, kind, namespace, name, stored.map(Snap::from));
    }

    /// Records a revision the caller already knows is a change.
    pub fn snapshot(&mut self, t: Millis, kind: &str, namespace: &str, name: &str, snap: Snap) {
        self.push(t, kind, namespace, name, Some(snap));
    }

    /// Records that the object left the API.
    pub fn deleted(&mut self, t: Millis, kind: &str, namespace: &str, name: &str) {
        self.push(t, kind, namespace, name, None);
    }

    fn push(&mut self, t: Millis, kind: &str, namespace: &str, name: &str, object: Option<Snap>) {
        self.history.revisions.push(Revision {
            t: secs(t),
            key: ObjectKey { kind: kind.to_string(), namespace: namespace.to_string(), name: name.to_string() },
            object,
        });
    }
}
