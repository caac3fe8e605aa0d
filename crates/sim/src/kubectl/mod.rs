//! kubectl, as printed against a real cluster of the simulated version: pure functions
//! over the objects, events and logs of a trace at one moment.
//!
//! The printers mirror their upstream functions (named in each doc comment): server-side
//! tables from `pkg/printers/internalversion/printers.go` for `get`, kubectl's
//! `pkg/describe/describe.go` for `describe`, the kubelet's log checks for `logs`, laid out by a
//! port of Go's `text/tabwriter`. Versions: the server and kubectl are assumed to be the same
//! minor, `trace.settings.k8s`; kubectl's local time zone is UTC.

mod args;
mod describe;
mod events;
mod get;
mod gosort;
pub(crate) mod jsonfmt;
mod logs;
mod obj;
mod printers;
mod resources;
mod selector;
mod tabwriter;
mod time;
mod yamlfmt;

#[cfg(test)]
mod tests;

use std::cell::OnceCell;
use std::sync::Arc;

use serde_json::Value;

use crate::settings::KubeVersion;
use crate::trace::Trace;

use self::events::Recorded;
use self::resources::Kind;
use self::time::{Now, SECOND};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

impl Output {
    /// cmdutil `CheckErr` for a client-side error: `error: ` and exit code 1.
    fn error(msg: &str) -> Output {
        Output { stdout: String::new(), stderr: format!("error: {msg}\n"), exit_code: 1 }
    }

    /// A flag the command does not know, as cobra's flag error handler reports it.
    fn usage_error(cmd: &str, msg: &str) -> Output {
        Output::error(&format!("{msg}\nSee 'kubectl {cmd} --help' for usage."))
    }
}

/// apimachinery `StatusError` text for a missing object, as kubectl prints it.
fn not_found(resource: &str, name: &str) -> String {
    format!("Error from server (NotFound): {resource} \"{name}\" not found")
}

/// The cluster as an API server would answer at one moment.
pub(crate) struct Cluster<'t> {
    trace: &'t Trace,
    now: Now,
    minor: u32,
    objects: Vec<Arc<Value>>,
    events: OnceCell<Recorded>,
}

impl<'t> Cluster<'t> {
    fn new(trace: &'t Trace, at: f64) -> Cluster<'t> {
        let minor = KubeVersion::parse(&trace.settings.k8s).map(|v| v.minor).unwrap_or(KubeVersion::NEWEST);
        Cluster {
            trace,
            now: Now(trace.epoch * SECOND + (at * 1e9).round() as i64),
            minor,
            objects: trace.history.objects_at(at),
            events: OnceCell::new(),
        }
    }

    fn ctx(&self) -> printers::Ctx {
        printers::Ctx { now: self.now, minor: self.minor }
    }

    fn events(&self) -> &Recorded {
        self.events.get_or_init(|| events::record(self.trace, self.now.0))
    }

    /// A kind's objects in API list order; `namespace: None` lists every namespace.
    fn list(&self, kind: Kind, namespace: Option<&str>) -> Vec<&Value> {
        let in_ns = |o: &&Value| !kind.namespaced() || namespace.is_none_or(|ns| obj::namespace(o) == ns);
        if kind == Kind::Event {
            return self.events().current.iter().filter(in_ns).collect();
        }
        self.objects
            .iter()
            .map(AsRef::as_ref)
            .filter(|o| obj::str_at(o, &["kind"]) == kind.name())
            .filter(in_ns)
            .collect()
    }

    fn get(&self, kind: Kind, namespace: &str, name: &str) -> Option<&Value> {
        self.list(kind, Some(namespace)).into_iter().find(|o| obj::name(o) == name)
    }
}

/// Runs `kubectl ARGS` against the cluster as it is at `at` seconds.
pub fn run(trace: &Trace, at: f64, args: &[String]) -> Output {
    let Some((index, command)) = args::split_command(args) else {
        return Output::error("podsim simulates `kubectl get`, `kubectl describe` and `kubectl logs`");
    };
    let rest: Vec<String> = args[..index].iter().chain(&args[index + 1..]).cloned().collect();
    let cluster = Cluster::new(trace, at);
    match command {
        "get" => get::run(&cluster, &rest),
        "describe" => describe::run(&cluster, &rest),
        "logs" => logs::run(&cluster, &rest),
        "annotate" | "api-resources" | "apply" | "attach" | "auth" | "autoscale" | "cp" | "create" | "debug"
        | "delete" | "diff" | "drain" | "edit" | "events" | "exec" | "explain" | "expose" | "label" | "patch"
        | "port-forward" | "proxy" | "replace" | "rollout" | "run" | "scale" | "set" | "top" | "version" | "wait" => {
            Output::error(&format!("podsim does not simulate `kubectl {command}`; try get, describe or logs"))
        }
        other => Output {
            stdout: String::new(),
            stderr: format!("error: unknown command \"{other}\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n"),
            exit_code: 1,
        },
    }
}

/// apimachinery `duration.HumanDuration` of `seconds`: how `kubectl get` prints an AGE.
pub fn human_duration(seconds: f64) -> String {
    time::human_duration((seconds * 1e9).round() as i64)
}

/// printers.go `printPod`'s cells for one pod object (NAME, READY, STATUS, RESTARTS, AGE,
/// then the wide columns) as `kubectl get pods` prints them at `at` seconds.
pub fn pod_cells(trace: &Trace, at: f64, pod: &Value) -> Vec<String> {
    let minor = KubeVersion::parse(&trace.settings.k8s).map(|v| v.minor).unwrap_or(KubeVersion::NEWEST);
    let now = Now(trace.epoch * SECOND + (at * 1e9).round() as i64);
    printers::print_pod(pod, printers::Ctx { now, minor })
}

#[cfg(test)]
mod public_helpers {
    #[test]
    fn human_duration_counts_like_age() {
        assert_eq!(super::human_duration(42.9), "42s");
        assert_eq!(super::human_duration(150.0), "2m30s");
        assert_eq!(super::human_duration(3600.0), "60m");
    }
}
