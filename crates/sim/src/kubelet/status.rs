//! The pod status the kubelet reports: container statuses (`convertToAPIContainerStatuses`),
//! the phase (`getPhase`, kubelet_pods.go), conditions (status/generate.go), and the whole
//! Pod in the API's JSON shape.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::cluster::{CState, Ctr, Kind, Phase, PodId, PodRt, World};
use crate::names::digest;
use crate::trace::Snap;

/// The API view of one container, as `getPhase` and the conditions read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    Running {
        started: bool,
        ready: bool,
    },
    Terminated {
        exit: i32,
    },
    /// Waiting; `last` holds the exit code of the previous run, if any.
    Waiting {
        last: Option<i32>,
    },
}

fn view(c: &Ctr) -> View {
    match &c.cur {
        // A container purged with its sandbox still reports its last termination.
        None => View::Waiting { last: c.prev.as_ref().map(|t| t.exit_code) },
        Some(i) => match i.state {
            CState::Created => View::Waiting { last: c.prev.as_ref().map(|t| t.exit_code) },
            CState::Running => View::Running { started: i.started, ready: i.ready },
            CState::Exited if c.waiting.is_some() => View::Waiting { last: i.exit_code },
            CState::Exited => View::Terminated { exit: i.exit_code.unwrap_or(0) },
        },
    }
}

/// `kubecontainer.HasAnyRegularContainerStarted`.
fn any_regular_started(ctrs: &[Ctr]) -> bool {
    ctrs.iter()
        .filter(|c| c.kind == Kind::Regular)
        .any(|c| matches!(view(c), View::Running { .. } | View::Terminated { .. }))
}

/// `getPhase` (kubelet_pods.go). `v` picks the re-initialisation rule: up to 1.32 a pod
/// whose regular containers ever ran stays Running while a new sandbox re-runs its init
/// containers (#126650/#127793); from 1.33 (PR #128516) it is Pending until initialized.
pub fn get_phase(pod: &PodRt, pod_is_terminal: bool, v: crate::settings::KubeVersion) -> Phase {
    let (mut pending_init, mut failed_init) = (0, 0);
    for c in pod.inits().filter(|c| c.kind == Kind::Init) {
        match view(c) {
            View::Running { .. } => pending_init += 1,
            View::Terminated { exit } if exit != 0 => failed_init += 1,
            View::Terminated { .. } => {}
            View::Waiting { last: Some(code) } if code != 0 => failed_init += 1,
            View::Waiting { last: Some(_) } => {}
            View::Waiting { last: None } => pending_init += 1,
        }
    }
    let (unknown, mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0, 0);
    for c in pod.inits().filter(|c| c.kind == Kind::Sidecar) {
        match view(c) {
            View::Running { started, .. } => {
                if !started {
                    pending_init += 1;
                }
                running += 1;
            }
            View::Terminated { .. } | View::Waiting { last: Some(_) } => {}
            View::Waiting { last: None } => {
                pending_init += 1;
                waiting += 1;
            }
        }
    }
    for c in pod.regular() {
        match view(c) {
            View::Running { .. } => running += 1,
            View::Terminated { exit } => {
                stopped += 1;
                if exit == 0 {
                    succeeded += 1;
                }
            }
            View::Waiting { last: Some(_) } => stopped += 1,
            View::Waiting { last: None } => waiting += 1,
        }
    }
    let policy = pod.spec.restart_policy;
    use crate::api::RestartPolicy::*;
    if failed_init > 0 && policy == Never {
        return Phase::Failed;
    }
    let initialized = if v.at_least(33) {
        pod.regular().any(|c| matches!(c.state(), Some(CState::Created | CState::Running)))
    } else {
        any_regular_started(&pod.ctrs)
    };
    if (pending_init > 0 && !initialized) || waiting > 0 {
        return Phase::Pending;
    }
    if running > 0 && unknown == 0 {
        return Phase::Running;
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if pod_is_terminal {
            return if stopped == succeeded { Phase::Succeeded } else { Phase::Failed };
        }
        return match policy {
            Always => Phase::Running,
            _ if stopped == succeeded => Phase::Succeeded,
            Never => Phase::Failed,
            OnFailure => Phase::Running,
        };
    }
    Phase::Pending
}

/// A condition as computed: (status, reason, message), the message as its prefix and the
/// containers it lists, written out only when the condition changed.
type Computed<'a> = (bool, Option<&'static str>, Option<(&'static str, Vec<&'a str>)>);

/// Whether `message` reads `{prefix}{names joined by spaces}]`.
fn same_message(message: Option<&str>, computed: &Option<(&'static str, Vec<&str>)>) -> bool {
    let Some((prefix, names)) = computed else { return message.is_none() };
    let Some(mut rest) = message.and_then(|m| m.strip_prefix(prefix)) else { return false };
    for (i, name) in names.iter().enumerate() {
        let after = if i == 0 { Some(rest) } else { rest.strip_prefix(' ') };
        match after.and_then(|r| r.strip_prefix(name)) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest == "]"
}

/// (status, reason, message) of the Initialized condition.
fn initialized(ctrs: &[Ctr], n_init: usize, phase: Phase) -> Computed<'_> {
    if n_init == 0 {
        return (true, None, None);
    }
    let incomplete: Vec<&str> = ctrs
        .iter()
        .filter(|c| c.kind.is_init_list())
        .filter(|c| match c.kind {
            Kind::Sidecar => !c.cur.as_ref().is_some_and(|i| i.started && i.state == CState::Running),
            _ => !matches!(view(c), View::Terminated { exit: 0 }),
        })
        .map(|c| c.name.as_str())
        .collect();
    if phase == Phase::Succeeded {
        return (true, Some("PodCompleted"), None);
    }
    if any_regular_started(ctrs) || incomplete.is_empty() {
        return (true, None, None);
    }
    (false, Some("ContainersNotInitialized"), Some(("containers with incomplete status: [", incomplete)))
}

/// (status, reason, message) of ContainersReady (and Ready, without readiness gates).
fn containers_ready(ctrs: &[Ctr], phase: Phase) -> Computed<'_> {
    let unready: Vec<&str> = ctrs
        .iter()
        .filter(|c| c.kind != Kind::Init)
        .filter(|c| !c.cur.as_ref().is_some_and(|i| i.ready && i.state == CState::Running))
        .map(|c| c.name.as_str())
        .collect();
    match phase {
        Phase::Succeeded => (false, Some("PodCompleted"), None),
        Phase::Failed => (false, Some("PodFailed"), None),
        _ if unready.is_empty() => (true, None, None),
        _ => (false, Some("ContainersNotReady"), Some(("containers with unready status: [", unready))),
    }
}

impl World {
    pub(crate) fn dirty(&mut self, p: PodId) {
        self.dirty_pods.insert(p);
    }

    /// Recomputes the phase and conditions from the containers; terminal phases stick.
    pub(crate) fn refresh_phase(&mut self, p: PodId) {
        let before = self.pods[p].tally_part();
        self.refresh_phase_and_conditions(p);
        self.retally(p, before);
    }

    fn refresh_phase_and_conditions(&mut self, p: PodId) {
        let now = self.now;
        let pod = &self.pods[p];
        if pod.phase.terminal() {
            return;
        }
        let phase = if pod.rejected.is_some() {
            Phase::Failed
        } else if pod.node.is_none() || !pod.worker.admitted {
            Phase::Pending
        } else {
            get_phase(pod, pod.worker.terminated && pod.worker.terminating, self.v)
        };
        let pod = &mut self.pods[p];
        pod.phase = phase;
        if pod.node.is_none() || pod.rejected.is_some() {
            return;
        }
        let sandbox = pod.sandbox.as_ref().is_some_and(|s| s.ready) && !pod.worker.terminated;
        let init = initialized(&pod.ctrs, pod.n_init, phase);
        let ready = containers_ready(&pod.ctrs, phase);
        let (conditions, conditions_view) = (&mut pod.conditions, &mut pod.conditions_view);
        // Compared before anything is written out: most refreshes change nothing.
        let mut set = |kind: &'static str, (status, reason, message): &Computed<'_>| {
            let entry = conditions.entries.get(kind);
            if entry
                .is_some_and(|e| e.0 == *status && e.1.as_deref() == *reason && same_message(e.2.as_deref(), message))
            {
                return;
            }
            let since = match entry {
                Some(e) if e.0 == *status => e.3,
                _ => now,
            };
            let message = message.as_ref().map(|(prefix, names)| format!("{prefix}{}]", names.join(" ")));
            conditions.entries.insert(kind, (*status, reason.map(str::to_string), message, since));
            conditions_view.take();
        };
        set("PodReadyToStartContainers", &(sandbox, None, None));
        set("Initialized", &init);
        set("ContainersReady", &ready);
        set("Ready", &ready);
        pod.ready_since = pod.conditions.entries.get("Ready").and_then(|c| c.0.then_some(c.3));
    }

    /// Records a revision of the pod if anything visible changed. A cheap fingerprint of
    /// what the JSON shows avoids snapshotting the pod when nothing did; the snapshot is
    /// rendered to JSON only when someone reads that revision.
    pub(crate) fn publish_pod(&mut self, p: PodId) {
        if self.pods[p].gone {
            return;
        }
        self.refresh_phase(p);
        let key = status_key(&self.pods[p]);
        if self.pods[p].published_key == Some(key) {
            return;
        }
        self.pods[p].published_key = Some(key);
        let view = Arc::new(self.pod_view(p));
        let pod = &self.pods[p];
        let (ns, name) = (pod.meta.namespace.clone(), pod.meta.name.clone());
        self.rec.snapshot(self.now, "Pod", &ns, &name, Snap::lazy(move || view.render()));
    }

    /// Everything the Pod's JSON shows, copied out of the live pod.
    pub(crate) fn pod_view(&self, p: PodId) -> PodView {
        let pod = &self.pods[p];
        PodView {
            v: self.v,
            fixed: pod
                .fixed
                .get_or_init(|| {
                    Arc::new(PodFixed {
                        node_ip: self.node.ip.clone(),
                        meta: pod.meta.clone(),
                        uid: pod.uid.clone(),
                        owner: pod.owner.clone(),
                        created: pod.created,
                        token_suffix: pod.token_suffix.clone(),
                    })
                })
                .clone(),
            spec_json: pod.spec_json.clone(),
            node: pod.node.clone(),
            scheduled_at: pod.scheduled_at,
            ip: pod.ip.clone(),
            start_time: pod.start_time,
            deletion: pod.deletion.clone(),
            phase: pod.phase,
            rejected: pod.rejected.clone(),
            conditions: pod.conditions_view.get_or_init(|| Arc::new(pod.conditions.clone())).clone(),
            n_init: pod.n_init,
            ctrs: pod.ctrs.iter().map(ctr_view).collect(),
        }
    }
}

/// A pod as of one revision: plain data, rendered to the API's JSON on demand.
#[derive(Debug, Clone)]
pub(crate) struct PodView {
    v: crate::settings::KubeVersion,
    fixed: Arc<PodFixed>,
    spec_json: Arc<crate::manifest::AdmittedSpec>,
    node: Option<String>,
    scheduled_at: Option<crate::trace::Millis>,
    ip: Option<String>,
    start_time: Option<crate::trace::Millis>,
    deletion: Option<crate::cluster::Deletion>,
    phase: Phase,
    rejected: Option<(String, String)>,
    conditions: Arc<crate::cluster::Conditions>,
    n_init: usize,
    ctrs: Vec<Arc<CtrView>>,
}

/// A container's part of a revision, shared with the previous revision while it is
/// unchanged (most revisions change one container).
fn ctr_view(c: &Ctr) -> Arc<CtrView> {
    let key = crate::names::fingerprint(&(
        &c.spec.image,
        &c.waiting,
        c.prev.as_ref().map(|t| (t.exit_code, t.finished_at)),
        c.cur.as_ref().map(|i| (i.id, i.state as u8, i.ready, i.started, i.exit_code, i.finished_at)),
    ));
    if let Some((k, v)) = c.view_cache.borrow().as_ref() {
        if *k == key {
            return v.clone();
        }
    }
    let v = Arc::new(CtrView {
        name: c.name.clone(),
        kind: c.kind,
        image_ref: c.behavior.image.full_ref.clone(),
        view: view(c),
        cur: c.cur.as_ref().map(|i| InstView {
            state: i.state,
            container_id: i.container_id.clone(),
            attempt: i.attempt,
            image_ref: i.image_ref.clone(),
            started_at: i.started_at,
            created_at: i.created_at,
            terminated: i.terminated(),
            ready: i.ready,
            started: i.started,
        }),
        prev: c.prev.clone(),
        waiting: c.waiting.clone(),
    });
    *c.view_cache.borrow_mut() = Some((key, v.clone()));
    v
}

/// What a pod's revisions share: set at creation, never changed.
#[derive(Debug)]
pub struct PodFixed {
    node_ip: String,
    meta: crate::api::ObjectMeta,
    uid: String,
    owner: Option<crate::cluster::OwnerRef>,
    created: crate::trace::Millis,
    token_suffix: String,
}

#[derive(Debug, Clone)]
pub(crate) struct CtrView {
    name: String,
    kind: Kind,
    image_ref: String,
    view: View,
    cur: Option<InstView>,
    prev: Option<crate::cluster::Terminated>,
    waiting: Option<(String, String)>,
}

#[derive(Debug, Clone)]
struct InstView {
    state: CState,
    container_id: String,
    attempt: u32,
    image_ref: String,
    started_at: Option<crate::trace::Millis>,
    created_at: crate::trace::Millis,
    terminated: Option<crate::cluster::Terminated>,
    ready: bool,
    started: bool,
}

impl PodView {
    pub(crate) fn render(&self) -> Value {
        let pod = self;
        let mut meta = Map::new();
        meta.insert("name".into(), json!(pod.fixed.meta.name));
        if let Some(g) = &pod.fixed.meta.generate_name {
            meta.insert("generateName".into(), json!(g));
        }
        meta.insert("namespace".into(), json!(pod.fixed.meta.namespace));
        meta.insert("uid".into(), json!(pod.fixed.uid));
        meta.insert("creationTimestamp".into(), json!(World::timestamp(pod.fixed.created)));
        if !pod.fixed.meta.labels.is_empty() {
            meta.insert("labels".into(), json!(pod.fixed.meta.labels));
        }
        if !pod.fixed.meta.annotations.is_empty() {
            meta.insert("annotations".into(), json!(pod.fixed.meta.annotations));
        }
        if !pod.fixed.meta.finalizers.is_empty() {
            meta.insert("finalizers".into(), json!(pod.fixed.meta.finalizers));
        }
        if let Some(o) = &pod.fixed.owner {
            meta.insert(
                "ownerReferences".into(),
                json!([{"apiVersion": o.api_version, "kind": o.kind, "name": o.name, "uid": o.uid,
                        "controller": true, "blockOwnerDeletion": true}]),
            );
        }
        if let Some(d) = &pod.deletion {
            meta.insert("deletionTimestamp".into(), json!(World::timestamp(d.at + d.grace.max(0) as u64 * 1000)));
            meta.insert("deletionGracePeriodSeconds".into(), json!(d.grace));
        }
        let mut spec = pod.spec_json.for_pod(&pod.fixed.token_suffix);
        if let (Some(node), Some(obj)) = (&pod.node, spec.as_object_mut()) {
            obj.insert("nodeName".into(), json!(node));
        }
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": meta,
            "spec": spec,
            "status": self.status_json(),
        })
    }

    fn status_json(&self) -> Value {
        let pod = self;
        let mut st = Map::new();
        st.insert("phase".into(), json!(pod.phase.as_str()));
        if let Some((reason, message)) = &pod.rejected {
            st.insert("reason".into(), json!(reason));
            st.insert("message".into(), json!(message));
        }
        let mut conds = Vec::new();
        let order: &[&str] = if pod.v.at_least(29) {
            &["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"]
        } else {
            &["Initialized", "Ready", "ContainersReady"]
        };
        for kind in order {
            if let Some((status, reason, message, since)) = pod.conditions.entries.get(kind) {
                let mut c = Map::new();
                c.insert("type".into(), json!(kind));
                c.insert("status".into(), json!(if *status { "True" } else { "False" }));
                c.insert("lastProbeTime".into(), Value::Null);
                c.insert("lastTransitionTime".into(), json!(World::timestamp(*since)));
                if let Some(r) = reason {
                    c.insert("reason".into(), json!(r));
                }
                if let Some(m) = message {
                    c.insert("message".into(), json!(m));
                }
                conds.push(Value::Object(c));
            }
        }
        if let Some(at) = pod.scheduled_at {
            conds.push(json!({"type": "PodScheduled", "status": "True", "lastProbeTime": null,
                              "lastTransitionTime": World::timestamp(at)}));
        }
        st.insert("conditions".into(), Value::Array(conds));
        if pod.node.is_some() && pod.rejected.is_none() {
            st.insert("hostIP".into(), json!(pod.fixed.node_ip));
            st.insert("hostIPs".into(), json!([{"ip": pod.fixed.node_ip}]));
            if let Some(ip) = &pod.ip {
                st.insert("podIP".into(), json!(ip));
                st.insert("podIPs".into(), json!([{"ip": ip}]));
            }
            if let Some(t) = pod.start_time {
                st.insert("startTime".into(), json!(World::timestamp(t)));
            }
            let init: Vec<Value> =
                pod.ctrs.iter().filter(|c| c.kind.is_init_list()).map(|c| pod.container_status_json(c)).collect();
            if !init.is_empty() {
                st.insert("initContainerStatuses".into(), Value::Array(init));
            }
            // kubelet: convertToAPIContainerStatuses sorts regular containers' statuses by name
            // (kubetypes.SortedContainerStatuses); init containers' keep the spec's order.
            let mut regular: Vec<_> = pod.ctrs.iter().filter(|c| c.kind == Kind::Regular).collect();
            regular.sort_by(|a, b| a.name.cmp(&b.name));
            let regular: Vec<Value> = regular.into_iter().map(|c| pod.container_status_json(c)).collect();
            st.insert("containerStatuses".into(), Value::Array(regular));
        }
        st.insert("qosClass".into(), json!(qos_class(&pod.spec_json.json)));
        Value::Object(st)
    }

    fn container_status_json(&self, c: &CtrView) -> Value {
        let pod = self;
        let default_reason = if pod.n_init > 0 { "PodInitializing" } else { "ContainerCreating" };
        let mut s = Map::new();
        s.insert("name".into(), json!(c.name));
        let term = |t: &crate::cluster::Terminated| {
            let mut m = Map::new();
            m.insert("exitCode".into(), json!(t.exit_code));
            m.insert("reason".into(), json!(t.reason));
            if let Some(st) = t.started_at {
                m.insert("startedAt".into(), json!(World::timestamp(st)));
            }
            m.insert("finishedAt".into(), json!(World::timestamp(t.finished_at)));
            m.insert("containerID".into(), json!(format!("containerd://{}", t.container_id)));
            json!({ "terminated": m })
        };
        let (state, last) = match &c.cur {
            None => {
                let (reason, message) = c.waiting.clone().unwrap_or((default_reason.to_string(), String::new()));
                (waiting(&reason, &message), json!({}))
            }
            Some(i) => {
                let prev = c.prev.as_ref().map_or(json!({}), term);
                match i.state {
                    CState::Created => (waiting("ContainerCreating", ""), prev),
                    CState::Running => (
                        json!({"running": {"startedAt": World::timestamp(i.started_at.unwrap_or(i.created_at))}}),
                        prev,
                    ),
                    CState::Exited => {
                        let t = i.terminated.as_ref().map_or(json!({}), term);
                        match &c.waiting {
                            Some((reason, message)) => (waiting(reason, message), t),
                            None => (t, prev),
                        }
                    }
                }
            }
        };
        let running = c.cur.as_ref().is_some_and(|i| i.state == CState::Running);
        let ready = match c.kind {
            Kind::Init => matches!(c.view, View::Terminated { exit: 0 }),
            _ => running && c.cur.as_ref().is_some_and(|i| i.ready),
        };
        let started = running && c.cur.as_ref().is_some_and(|i| i.started || c.kind == Kind::Init);
        s.insert("state".into(), state);
        s.insert("lastState".into(), last);
        s.insert("ready".into(), json!(ready));
        s.insert("restartCount".into(), json!(c.cur.as_ref().map_or(0, |i| i.attempt)));
        let image = c.cur.as_ref().map_or(&c.image_ref, |i| &i.image_ref);
        s.insert("image".into(), json!(image));
        s.insert("imageID".into(), json!(if c.cur.is_some() { image_id(image) } else { String::new() }));
        if let Some(i) = &c.cur {
            s.insert("containerID".into(), json!(format!("containerd://{}", i.container_id)));
        }
        s.insert("started".into(), json!(started));
        Value::Object(s)
    }
}
/// A hash of everything `pod_json` reads that can change after creation.
fn status_key(pod: &PodRt) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::names::Fnv64::default();
    pod.phase.as_str().hash(&mut h);
    pod.node.hash(&mut h);
    pod.ip.hash(&mut h);
    pod.start_time.hash(&mut h);
    pod.deletion.as_ref().map(|d| (d.at, d.grace)).hash(&mut h);
    pod.rejected.hash(&mut h);
    pod.sandbox.as_ref().map(|s| (s.ready, s.attempt)).hash(&mut h);
    for (k, c) in &pod.conditions.entries {
        (k, c).hash(&mut h);
    }
    for c in &pod.ctrs {
        c.spec.image.hash(&mut h);
        c.waiting.hash(&mut h);
        c.prev.as_ref().map(|t| (t.exit_code, t.finished_at)).hash(&mut h);
        if let Some(i) = &c.cur {
            (i.id, i.state as u8, i.ready, i.started, i.exit_code, i.finished_at).hash(&mut h);
        }
    }
    h.finish()
}

fn waiting(reason: &str, message: &str) -> Value {
    if message.is_empty() {
        json!({"waiting": {"reason": reason}})
    } else {
        json!({"waiting": {"reason": reason, "message": message}})
    }
}

/// `repo@sha256:…` as containerd reports `imageID`.
fn image_id(full_ref: &str) -> String {
    let repo = full_ref.rsplit_once(':').filter(|(r, _)| !r.ends_with('/')).map_or(full_ref, |(r, _)| r);
    format!("{repo}@{}", digest(full_ref))
}

/// `qos.GetPodQOS` over the stored spec.
fn qos_class(spec: &Value) -> &'static str {
    let ctrs: Vec<&Value> = ["initContainers", "containers"]
        .iter()
        .filter_map(|k| spec.get(*k).and_then(Value::as_array))
        .flatten()
        .collect();
    let has = |c: &Value, k: &str| {
        c.pointer(&format!("/resources/{k}")).and_then(Value::as_object).is_some_and(|m| !m.is_empty())
    };
    if !ctrs.iter().any(|c| has(c, "requests") || has(c, "limits")) {
        return "BestEffort";
    }
    let guaranteed = ctrs.iter().all(|c| {
        ["cpu", "memory"].iter().all(|r| {
            let limit = c.pointer(&format!("/resources/limits/{r}"));
            let request = c.pointer(&format!("/resources/requests/{r}")).or(limit);
            limit.is_some() && limit == request
        })
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

#[cfg(test)]
mod tests {
    use super::same_message;

    #[test]
    fn messages_compare_without_being_written_out() {
        let unready = Some(("containers with unready status: [", vec!["proxy", "app"]));
        assert!(same_message(Some("containers with unready status: [proxy app]"), &unready));
        assert!(!same_message(Some("containers with unready status: [proxy]"), &unready));
        assert!(!same_message(Some("containers with unready status: [proxy app x]"), &unready));
        assert!(!same_message(Some("containers with unready status: [proxyapp]"), &unready));
        assert!(!same_message(None, &unready));
        assert!(same_message(None, &None));
        assert!(!same_message(Some(""), &None));
    }
}
