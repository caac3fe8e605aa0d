//! The live state of simulated objects: pods with their containers as the runtime and
//! the kubelet know them, and the workload objects. Plain data; the behaviour lives in
//! `kubelet`, `controllers` and `scheduler`.

use std::collections::{BTreeMap, VecDeque};

use serde_json::Value;

use crate::api::{Container, DeploymentSpec, JobSpec, ObjectMeta, PodSpec};
use crate::process::{Behavior, Process};
use crate::trace::Millis;

pub type PodId = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Init,
    Sidecar,
    Regular,
}

impl Kind {
    pub fn is_init_list(self) -> bool {
        matches!(self, Kind::Init | Kind::Sidecar)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OwnerRef {
    pub kind: &'static str,
    pub api_version: &'static str,
    pub name: String,
    pub uid: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CState {
    Created,
    Running,
    Exited,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Terminated {
    pub exit_code: i32,
    pub reason: String,
    pub started_at: Option<Millis>,
    pub finished_at: Millis,
    pub container_id: String,
}

/// One run of a container (a containerd container).
#[derive(Debug, Clone)]
pub struct Instance {
    pub id: u64,
    pub container_id: String,
    /// The restart count this run carries (0 for the first).
    pub attempt: u32,
    pub image: String,
    /// The image reference as the runtime reports it (`docker.io/library/busybox:1.36`).
    pub image_ref: String,
    pub spec_hash: u64,
    pub state: CState,
    pub created_at: Millis,
    pub started_at: Option<Millis>,
    pub finished_at: Option<Millis>,
    pub exit_code: Option<i32>,
    pub reason: Option<String>,
    pub process: Option<Process>,
    /// Bumped on every wake wish so stale wake events are ignored.
    pub wake_gen: u64,
    pub kill: Option<KillOp>,
    pub ready: bool,
    pub started: bool,
}

impl Instance {
    pub fn terminated(&self) -> Option<Terminated> {
        (self.state == CState::Exited).then(|| Terminated {
            exit_code: self.exit_code.unwrap_or(0),
            reason: self.reason.clone().unwrap_or_else(|| "Completed".into()),
            started_at: self.started_at,
            finished_at: self.finished_at.unwrap_or(self.created_at),
            container_id: self.container_id.clone(),
        })
    }
}

/// kuberuntime `killContainer` in progress for one instance.
#[derive(Debug, Clone)]
pub struct KillOp {
    /// Grace left, in whole seconds, as the kubelet counts it.
    pub grace: i64,
    pub phase: KillPhase,
    /// Containers (indices) that must have terminated before this one gets its stop signal.
    pub wait_for: Vec<usize>,
    pub gen: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KillPhase {
    PreStop { until: Millis },
    WaitTurn { deadline: Millis, since: Millis },
    Stopping { sigkill_at: Millis },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProbeResult {
    #[default]
    Unknown,
    Success,
    Failure,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeKind {
    Startup,
    Readiness,
    Liveness,
}

impl ProbeKind {
    pub fn title(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Readiness => "Readiness",
            ProbeKind::Liveness => "Liveness",
        }
    }
}

/// A prober worker (`prober/worker.go`) for one probe of one container.
#[derive(Debug, Clone)]
pub struct ProbeWorker {
    pub kind: ProbeKind,
    pub gen: u64,
    pub container_id: Option<u64>,
    pub result: ProbeResult,
    pub last_result: ProbeResult,
    pub run: i64,
    pub on_hold: bool,
    pub stopped: bool,
    /// When the worker began: its ticks fall on `origin + k × period`.
    pub origin: Millis,
    /// A worker with nothing to probe until a new container starts stops ticking (an
    /// optimisation with the same observable behaviour).
    pub parked: bool,
}

/// client-go `flowcontrol.Backoff` entry for one container key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BackoffEntry {
    pub backoff: Millis,
    pub last_update: Millis,
}

#[derive(Debug, Clone)]
pub struct Ctr {
    pub name: String,
    pub kind: Kind,
    /// Index in `spec.initContainers` or `spec.containers`.
    pub spec_index: usize,
    pub spec: Container,
    pub spec_hash: u64,
    /// Shared by the containers of every pod stamped from one template.
    pub behavior: std::sync::Arc<Behavior>,
    pub instances: u32,
    pub cur: Option<Instance>,
    pub prev: Option<Terminated>,
    pub probes: Vec<ProbeWorker>,
    /// kubelet `reasonCache`: why the last start failed (`CrashLoopBackOff`, `ErrImagePull`…).
    pub waiting: Option<(String, String)>,
    pub backoff: BTreeMap<u64, BackoffEntry>,
    pub image_backoff: Option<BackoffEntry>,
    /// The last recorded reason this container is not running (for "why?").
    pub wait: Option<String>,
    /// This container's part of the last pod revision, with its fingerprint.
    pub(crate) view_cache: std::cell::RefCell<Option<(u64, std::sync::Arc<crate::kubelet::status::CtrView>)>>,
}

impl Ctr {
    pub fn state(&self) -> Option<CState> {
        self.cur.as_ref().map(|i| i.state)
    }

    pub fn running(&self) -> bool {
        self.state() == Some(CState::Running)
    }

    pub fn field_path(&self) -> String {
        let list = if self.kind.is_init_list() { "initContainers" } else { "containers" };
        format!("spec.{list}{{{}}}", self.name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Pending => "Pending",
            Phase::Running => "Running",
            Phase::Succeeded => "Succeeded",
            Phase::Failed => "Failed",
        }
    }

    pub fn terminal(self) -> bool {
        matches!(self, Phase::Succeeded | Phase::Failed)
    }
}

/// One step of a kubelet `SyncPod` / `SyncTerminatingPod` run, executed in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// `killPodWithSyncResult`: every running container, with termination ordering.
    KillPod {
        grace_override: Option<i64>,
    },
    /// `killContainer` for one container, with the event message.
    Kill {
        ctr: usize,
        message: String,
    },
    CreateSandbox,
    /// `startContainer`, with why the sync decided to start it.
    Start {
        ctr: usize,
        why: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartPhase {
    Pulling {
        done: Millis,
        begin: Millis,
        requested: Millis,
    },
    /// A pull the registry will refuse.
    PullFailing {
        done: Millis,
    },
    Creating {
        done: Millis,
    },
    Starting {
        done: Millis,
    },
    PostStart {
        done: Millis,
        ok: bool,
    },
}

#[derive(Debug, Clone)]
pub struct SyncRun {
    pub gen: u64,
    pub steps: VecDeque<Step>,
    pub current: Option<Step>,
    pub start_phase: Option<StartPhase>,
    /// The sync ended in error (back-off): requeue after the back-off period.
    pub failed: bool,
    pub terminating: bool,
    /// Whether any step ran (a sync with nothing to do needs no resync).
    pub did_something: bool,
}

/// The pod worker (`pod_workers.go`) and what the kubelet remembers per pod.
#[derive(Debug, Clone, Default)]
pub struct Worker {
    pub admitted: bool,
    pub run: Option<SyncRun>,
    pub pending: bool,
    pub scheduled: Option<Millis>,
    pub last_sync_end: Option<Millis>,
    pub sync_gen: u64,
    /// The pod's one entry in the pod workers' requeue queue.
    pub requeue_gen: u64,
    pub probes_added: bool,
    pub terminating: bool,
    pub terminated: bool,
}

#[derive(Debug, Clone)]
pub struct Sandbox {
    pub ready: bool,
    pub attempt: u32,
}

#[derive(Debug, Clone)]
pub struct Deletion {
    pub at: Millis,
    pub grace: i64,
}

/// (status, reason, message, lastTransitionTime) of one pod condition.
pub type Condition = (bool, Option<String>, Option<String>, Millis);

#[derive(Debug, Clone, Default)]
pub struct Conditions {
    pub entries: BTreeMap<&'static str, Condition>,
}

#[derive(Debug, Clone)]
pub struct PodRt {
    pub meta: ObjectMeta,
    pub uid: String,
    pub owner: Option<OwnerRef>,
    pub spec: PodSpec,
    /// The stored spec as JSON (defaulted, admitted), without `nodeName`; pods stamped from
    /// one template share it.
    pub spec_json: std::sync::Arc<crate::manifest::AdmittedSpec>,
    /// This pod's service account token volume is `kube-api-access-<token_suffix>`.
    pub token_suffix: String,
    pub created: Millis,
    pub node: Option<String>,
    pub scheduled_at: Option<Millis>,
    pub ip: Option<String>,
    pub start_time: Option<Millis>,
    pub deletion: Option<Deletion>,
    pub gone: bool,
    pub ctrs: Vec<Ctr>,
    pub n_init: usize,
    pub worker: Worker,
    pub sandbox: Option<Sandbox>,
    /// Ports listening in the pod's network namespace → the container index.
    pub net: BTreeMap<u16, usize>,
    pub phase: Phase,
    /// Set when the kubelet refused the pod (`status.reason`/`message`).
    pub rejected: Option<(String, String)>,
    pub conditions: Conditions,
    /// The controller's pod template hash (Deployments) for rollouts.
    pub template_hash: Option<String>,
    /// Fingerprint of the last published revision.
    pub published_key: Option<u64>,
    /// When the Ready condition last turned True, while it is True.
    pub ready_since: Option<Millis>,
    /// The conditions as the last revision showed them, shared until they change.
    pub conditions_view: std::cell::OnceCell<std::sync::Arc<Conditions>>,
    /// The parts of the Pod's JSON that never change, shared by its revisions.
    pub fixed: std::cell::OnceCell<std::sync::Arc<crate::kubelet::status::PodFixed>>,
    /// (phase, ready) the owning controller last heard about.
    pub owner_saw: Option<(Phase, bool)>,
    /// The ReplicaSet whose tally counts this pod.
    pub tallied_by: Option<usize>,
}

impl PodRt {
    pub fn regular(&self) -> impl Iterator<Item = &Ctr> {
        self.ctrs.iter().filter(|c| c.kind == Kind::Regular)
    }

    pub fn inits(&self) -> impl Iterator<Item = &Ctr> {
        self.ctrs.iter().filter(|c| c.kind.is_init_list())
    }

    pub fn has_sidecars(&self) -> bool {
        self.ctrs.iter().any(|c| c.kind == Kind::Sidecar)
    }

    pub fn namespaced(&self) -> String {
        format!("{}/{}", self.meta.namespace, self.meta.name)
    }

    /// Active for controllers: not terminal and not being deleted.
    pub fn active(&self) -> bool {
        !self.gone && !self.phase.terminal() && self.deletion.is_none()
    }

    /// This pod's part in its ReplicaSet's tally: (active, active and Ready).
    pub fn tally_part(&self) -> (i64, i64) {
        let active = self.active();
        (i64::from(active), i64::from(active && self.ready_since.is_some()))
    }
}

#[derive(Debug, Clone)]
pub struct JobRt {
    pub meta: ObjectMeta,
    pub uid: String,
    pub spec: JobSpec,
    pub json: Value,
    pub created: Millis,
    pub start_time: Option<Millis>,
    pub completion_time: Option<Millis>,
    pub succeeded: i64,
    pub failed: i64,
    pub counted: std::collections::BTreeSet<PodId>,
    pub pods: Vec<PodId>,
    /// (type, reason, message, time) in the order they were added.
    pub conditions: Vec<(&'static str, String, String, Millis)>,
    pub finished: bool,
    pub failures_after_success: u32,
    pub last_failure: Option<Millis>,
    pub sync_scheduled: bool,
    pub last_json: Option<std::sync::Arc<Value>>,
    pub selector_labels: BTreeMap<String, String>,
    /// 1.31+: the failure decided (FailureTarget) while pods still terminate.
    pub failure_target: Option<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct RsRt {
    pub name: String,
    pub namespace: String,
    pub uid: String,
    pub owner: OwnerRef,
    pub deploy: usize,
    pub template_hash: String,
    /// The pod template, shared by every pod stamped from it.
    pub template: std::sync::Arc<crate::api::PodTemplate>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub replicas: i64,
    pub revision: i64,
    pub created: Millis,
    pub pods: Vec<PodId>,
    pub sync_scheduled: bool,
    /// (replicas, ready, available), recomputed when one of its pods changed.
    pub counts: std::cell::Cell<Option<(i64, i64, i64)>>,
    /// (active, active and Ready) pods, kept in step as its pods change.
    pub tally: (i64, i64),
    pub published_key: Option<u64>,
    /// The JSON apart from the replica count and status (they never change apart).
    pub base_json: Option<std::sync::Arc<Value>>,
}

#[derive(Debug, Clone)]
pub struct DeployRt {
    pub meta: ObjectMeta,
    pub uid: String,
    pub spec: DeploymentSpec,
    pub json: Value,
    pub created: Millis,
    pub generation: i64,
    pub rs: Vec<usize>,
    pub conditions: Vec<(&'static str, bool, String, String, Millis, Millis)>,
    pub sync_scheduled: bool,
    /// The JSON apart from its status, for the generation it was built at.
    pub base_json: Option<(i64, std::sync::Arc<Value>)>,
    pub published_key: Option<u64>,
    /// When the rollout last made progress, and the (updated, ready, available) seen then.
    pub progress: Option<(Millis, (i64, i64, i64))>,
    /// The pending re-check of the progress deadline.
    pub deadline_check: Option<Millis>,
    /// The pod-template-hash of the template at a generation.
    pub template_hash: Option<(i64, String)>,
}

#[derive(Debug, Clone)]
pub struct NodeRt {
    pub name: String,
    pub ip: String,
    /// Images on the node → when they are (or will be, once a queued pull ends) present.
    pub images: BTreeMap<String, Millis>,
    pub pull_busy_until: Millis,
    pub next_pod_ip: u32,
    pub last_json: Option<std::sync::Arc<Value>>,
}
