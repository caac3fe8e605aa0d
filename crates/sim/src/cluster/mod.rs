//! The simulated cluster: one API server's worth of objects, one node, and a queue of
//! timed happenings. The kubelet, the controllers and the scheduler are `impl World`
//! blocks in their own modules; this module owns time, the queue and the recorder.

mod api;
pub mod objects;
pub(crate) mod record;

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

pub use objects::*;
pub use record::Recorder;

use crate::api::{Object, Spec};
use crate::diag::{Diagnostic, Severity};
use crate::names::Rng;
use crate::settings::{KubeVersion, Settings};
use crate::trace::Millis;

/// Anything that happens at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ev {
    Action(usize),
    Schedule(PodId),
    /// The kubelet's pod worker may start a sync of this pod.
    Sync(PodId),
    /// The current step of the pod's sync run reached its next phase.
    Step(PodId, u64),
    ProcWake(PodId, usize, u64, u64),
    ProbeTick(PodId, usize, usize, u64),
    KillAdvance(PodId, usize, u64, u64),
    /// The kernel OOM-kills this container instance.
    Oom(PodId, usize, u64),
    /// PLEG relist saw a container state change of this pod.
    Pleg(PodId),
    /// The pod workers' requeue (after an error or the resync interval) is due.
    Requeue(PodId, u64),
    PodGone(PodId),
    JobSync(usize),
    RsSync(usize),
    DeploySync(usize),
}

/// Budgets that keep every input answerable: past them the run stops with a diagnostic.
pub const MAX_EVENTS: u64 = 5_000_000;
pub const MAX_PODS: usize = 5_000;

pub struct World {
    pub now: Millis,
    pub until: Millis,
    pub settings: Settings,
    pub v: KubeVersion,
    queue: BinaryHeap<Reverse<(Millis, u64, Ev)>>,
    seq: u64,
    /// Names, UIDs and IDs.
    pub rng: Rng,
    /// Timing jitter, apart from names so that timing changes leave names alone.
    pub jitter: Rng,
    next_id: u64,
    pub node: NodeRt,
    pub pods: Vec<PodRt>,
    /// Inferred container behaviours by (container spec, pod annotations).
    pub behaviors: BTreeMap<u64, std::sync::Arc<crate::process::Behavior>>,
    /// Pods in the API by (namespace, name).
    pub pod_names: BTreeMap<(String, String), PodId>,
    pub jobs: Vec<crate::cluster::JobRt>,
    pub rss: Vec<RsRt>,
    pub deploys: Vec<DeployRt>,
    pub rec: Recorder,
    pub actions: Vec<crate::Action>,
    pub diagnostics: Vec<Diagnostic>,
    /// PLEG relist phase within each second.
    pub relist_phase: Millis,
    /// Pods whose visible state may have changed during the current step.
    pub dirty_pods: BTreeSet<PodId>,
    /// The last pod spec admitted (as given) and its admission.
    last_admitted: Option<(Option<serde_json::Value>, std::sync::Arc<crate::manifest::AdmittedSpec>)>,
    processed: u64,
}

impl World {
    pub fn new(settings: &Settings, actions: &[crate::Action]) -> World {
        let rng = Rng::new(settings.seed);
        let mut jitter = Rng::new(settings.seed ^ 0x6a09_e667_f3bc_c908);
        let relist_phase = if settings.seed == 0 { 0 } else { jitter.below(1000) };
        let v = settings.version;
        World {
            now: 0,
            until: settings.until.min(crate::settings::MAX_UNTIL),
            settings: settings.clone(),
            v,
            queue: BinaryHeap::new(),
            seq: 0,
            rng,
            jitter,
            next_id: 0,
            node: NodeRt {
                name: "node-1".into(),
                ip: "172.18.0.2".into(),
                images: BTreeMap::new(),
                pull_busy_until: 0,
                next_pod_ip: 5,
                last_json: None,
            },
            pods: Vec::new(),
            pod_names: BTreeMap::new(),
            behaviors: BTreeMap::new(),
            jobs: Vec::new(),
            rss: Vec::new(),
            deploys: Vec::new(),
            rec: Recorder::default(),
            actions: actions.to_vec(),
            diagnostics: Vec::new(),
            relist_phase,
            dirty_pods: BTreeSet::new(),
            last_admitted: None,
            processed: 0,
        }
    }

    pub fn at(&mut self, t: Millis, ev: Ev) {
        self.seq += 1;
        self.queue.push(Reverse((t, self.seq, ev)));
    }

    pub fn after(&mut self, delay: Millis, ev: Ev) {
        let t = self.now.saturating_add(delay);
        self.at(t, ev);
    }

    /// Creates the accepted objects at t = 0 and queues the actions.
    pub fn apply(&mut self, objects: Vec<Object>) {
        self.record_node();
        for (i, a) in self.actions.clone().iter().enumerate() {
            self.at(a.at, Ev::Action(i));
        }
        for obj in objects {
            match obj.spec.clone() {
                Spec::Pod(spec) => {
                    self.create_pod(obj.metadata.clone(), spec, obj.json.get("spec"), None, None);
                }
                Spec::Job(spec) => self.create_job(obj, spec),
                Spec::Deployment(spec) => self.create_deployment(obj, spec),
            }
        }
    }

    pub fn run(&mut self) {
        while let Some(Reverse((t, _, ev))) = self.queue.pop() {
            if t > self.until {
                break;
            }
            self.processed += 1;
            if self.processed > MAX_EVENTS {
                self.diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    format!(
                        "the simulation stopped at {:.1}s: it reached its budget of {MAX_EVENTS} steps (shorten --until or reduce replicas)",
                        crate::trace::secs(t)
                    ),
                ));
                self.until = t;
                break;
            }
            self.now = t;
            self.dispatch(ev);
            self.publish_dirty();
        }
        self.now = self.until;
    }

    fn dispatch(&mut self, ev: Ev) {
        match ev {
            Ev::Action(i) => self.run_action(i),
            Ev::Schedule(p) => self.schedule_pod(p),
            Ev::Sync(p) => self.on_sync_due(p),
            Ev::Step(p, gen) => self.on_step(p, gen),
            Ev::ProcWake(p, c, inst, gen) => self.on_proc_wake(p, c, inst, gen),
            Ev::ProbeTick(p, c, w, gen) => self.on_probe_tick(p, c, w, gen),
            Ev::KillAdvance(p, c, inst, gen) => self.on_kill_advance(p, c, inst, gen),
            Ev::Oom(p, c, inst) => self.on_oom(p, c, inst),
            Ev::Pleg(p) => self.request_sync(p),
            Ev::Requeue(p, gen) => self.on_requeue(p, gen),
            Ev::PodGone(p) => self.remove_pod(p),
            Ev::JobSync(j) => self.sync_job(j),
            Ev::RsSync(r) => self.sync_rs(r),
            Ev::DeploySync(d) => self.sync_deployment(d),
        }
    }

    /// Wall-clock of `t = 0`: a fixed instant so every run prints the same timestamps.
    pub const EPOCH: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

    pub fn timestamp(t: Millis) -> String {
        rfc3339(Self::EPOCH + (t / 1000) as i64)
    }

    /// A fresh number for container instances and event generations.
    pub fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn pod_by_name(&self, namespace: &str, name: &str) -> Option<PodId> {
        self.pod_names.get(&(namespace.to_string(), name.to_string())).copied()
    }
}

/// `2026-01-01T00:00:00Z` from Unix seconds (UTC, proleptic Gregorian).
pub fn rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60);
    }
    // Written digit by digit: status rendering formats many timestamps.
    let mut out = String::with_capacity(20);
    let two = |n: i64, out: &mut String| {
        out.push(char::from(b'0' + (n / 10 % 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    two(y / 100, &mut out);
    two(y % 100, &mut out);
    out.push('-');
    two(i64::from(m), &mut out);
    out.push('-');
    two(i64::from(d), &mut out);
    out.push('T');
    two(secs / 3600, &mut out);
    out.push(':');
    two(secs % 3600 / 60, &mut out);
    out.push(':');
    two(secs % 60, &mut out);
    out.push('Z');
    out
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl World {
    /// Everything recorded, in time order, with every object's final state.
    pub fn into_trace(
        mut self,
        mut diagnostics: Vec<Diagnostic>,
        rejected: Vec<crate::trace::Rejection>,
    ) -> crate::trace::Trace {
        diagnostics.append(&mut self.diagnostics);
        let until = crate::trace::secs(self.until);
        let mut rec = self.rec;
        rec.happenings.sort_by(|a, b| a.t.total_cmp(&b.t));
        rec.waits.sort_by(|a, b| a.t.total_cmp(&b.t));
        rec.events.sort_by(|a, b| a.t.total_cmp(&b.t));
        rec.history.revisions.sort_by(|a, b| a.t.total_cmp(&b.t));
        let s = &self.settings;
        crate::trace::Trace {
            schema: "podsim.trace/v1",
            settings: crate::trace::TraceSettings {
                k8s: s.version.to_string(),
                feature_gates: crate::settings::Gate::ALL
                    .iter()
                    .filter(|g| g.exists_in(s.version))
                    .map(|g| (g.name().to_string(), s.gate(*g, crate::settings::Component::Kubelet)))
                    .collect(),
                apiserver_feature_gates: s.apiserver_gates.clone(),
                kubelet_feature_gates: s.kubelet_gates.clone(),
                validate: s.validate.as_str().to_string(),
                until,
                seed: s.seed,
            },
            diagnostics,
            rejected,
            happenings: rec.happenings,
            waits: rec.waits,
            events: rec.events,
            history: rec.history,
            logs: rec.logs,
            epoch: World::EPOCH,
        }
    }

    fn record_node(&mut self) {
        let json = serde_json::json!({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": {
                "name": self.node.name,
                "creationTimestamp": World::timestamp(0),
                "labels": {
                    "kubernetes.io/hostname": self.node.name,
                    "kubernetes.io/os": "linux",
                    "kubernetes.io/arch": "amd64",
                    "node-role.kubernetes.io/control-plane": "",
                },
            },
            "spec": {"podCIDR": "10.244.0.0/24", "podCIDRs": ["10.244.0.0/24"]},
            "status": {
                "addresses": [{"type": "InternalIP", "address": self.node.ip}, {"type": "Hostname", "address": self.node.name}],
                "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                                "message": "kubelet is posting ready status",
                                "lastHeartbeatTime": World::timestamp(0), "lastTransitionTime": World::timestamp(0)}],
                "nodeInfo": {
                    "kubeletVersion": format!("v{}.0", self.v),
                    "kubeProxyVersion": format!("v{}.0", self.v),
                    "containerRuntimeVersion": "containerd://1.7.18",
                    "osImage": "Debian GNU/Linux 12 (bookworm)",
                    "kernelVersion": "6.1.0-26-amd64",
                    "operatingSystem": "linux",
                    "architecture": "amd64",
                },
            },
        });
        let mut last = self.node.last_json.take();
        let name = self.node.name.clone();
        self.rec.revision(0, "Node", "", &name, &mut last, Some(json));
        self.node.last_json = last;
    }
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_767_225_600 + 86_400 * 59 + 3661), "2026-03-01T01:01:01Z");
    }
}
