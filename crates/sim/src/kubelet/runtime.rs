//! The container runtime side (what containerd does for the kubelet): creating and starting
//! containers, running their processes, delivering signals, noticing exits, and the pod's
//! shared network namespace.

use std::collections::BTreeSet;

use crate::api::Port;
use crate::cluster::record::{Detail, EventSpec};
use crate::cluster::{CState, Ev, Instance, PodId, World};
use crate::process::{Effect, PodNet, Signal};
use crate::trace::What;

/// A snapshot of which ports listen in a pod, handed to processes.
pub struct NetView {
    ports: BTreeSet<u16>,
}

impl PodNet for NetView {
    fn is_listening(&self, port: u16) -> bool {
        self.ports.contains(&port)
    }
}

impl World {
    pub(crate) fn pod_net(&self, p: PodId) -> NetView {
        NetView { ports: self.pods[p].net.keys().copied().collect() }
    }

    pub(crate) fn listening(&self, p: PodId, port: u16) -> bool {
        self.pods[p].net.contains_key(&port)
    }

    /// A probe or hook port: a number, or the name of a declared container port.
    pub(crate) fn port_number(&self, p: PodId, port: &Port) -> Option<u16> {
        match port {
            Port::Number(n) => u16::try_from(*n).ok(),
            Port::Name(name) => self.pods[p]
                .ctrs
                .iter()
                .flat_map(|c| c.spec.ports.iter())
                .find(|cp| cp.name.as_deref() == Some(name.as_str()))
                .and_then(|cp| u16::try_from(cp.container_port).ok()),
        }
    }

    /// (pod name, container name, restart count of the current instance).
    pub(crate) fn names(&self, p: PodId, c: usize) -> (String, String, u32) {
        let ctr = &self.pods[p].ctrs[c];
        (self.pods[p].meta.name.clone(), ctr.name.clone(), ctr.cur.as_ref().map_or(0, |i| i.attempt))
    }

    /// The upstream function that decides to start this kind of container.
    fn start_rule(&self, p: PodId, c: usize) -> &'static str {
        if self.pods[p].ctrs[c].kind.is_init_list() {
            "kubelet: computeInitContainerActions"
        } else {
            "kubelet: computePodActions"
        }
    }

    /// CRI `CreateContainer`.
    pub(crate) fn create_container(&mut self, p: PodId, c: usize, why: &str) {
        let now = self.now;
        let container_id = self.rng.hex64();
        let id = self.next_id();
        let ctr = &mut self.pods[p].ctrs[c];
        let attempt = ctr.instances;
        ctr.instances += 1;
        if let Some(old) = ctr.cur.take() {
            if let Some(t) = old.terminated() {
                ctr.prev = Some(t);
            }
        }
        ctr.cur = Some(Instance {
            id,
            container_id,
            attempt,
            image: ctr.spec.image.clone(),
            image_ref: ctr.behavior.image.full_ref.clone(),
            spec_hash: ctr.spec_hash,
            state: CState::Created,
            created_at: now,
            started_at: None,
            finished_at: None,
            exit_code: None,
            reason: None,
            process: None,
            wake_gen: 0,
            kill: None,
            ready: false,
            started: false,
        });
        let name = ctr.name.clone();
        let message = if self.v.at_least(32) {
            format!("Created container: {name}")
        } else {
            format!("Created container {name}")
        };
        self.container_event(p, c, "Normal", "Created", message);
        let pod = self.pods[p].meta.name.clone();
        let rule = self.start_rule(p, c);
        self.rec.happen(now, &pod, &name, What::Created, attempt, Detail::because(rule, why));
        self.dirty(p);
    }

    /// CRI `StartContainer`: PID 1 starts.
    pub(crate) fn start_process(&mut self, p: PodId, c: usize, why: &str) {
        let now = self.now;
        let net = self.pod_net(p);
        let ctr = &mut self.pods[p].ctrs[c];
        let Some(inst) = ctr.cur.as_mut() else { return };
        if let Some(message) = ctr.behavior.start_error().map(str::to_string) {
            // The runtime could not start PID 1: StartError, exit 128, and the start fails.
            inst.state = CState::Running;
            self.container_event(p, c, "Warning", "Failed", format!("Error: {message}"));
            self.container_exited(p, c, crate::process::START_ERROR_EXIT_CODE, "StartError");
            self.fail_start(p, c);
            return;
        }
        inst.state = CState::Running;
        inst.started_at = Some(now);
        // The reason cache forgets a container once it starts.
        ctr.waiting = None;
        let (process, effects) = ctr.behavior.start(now, &net);
        inst.process = Some(process);
        let (name, attempt) = (ctr.name.clone(), inst.attempt);
        self.container_event(p, c, "Normal", "Started", format!("Started container {name}"));
        let pod = self.pods[p].meta.name.clone();
        let rule = self.start_rule(p, c);
        self.rec.happen(now, &pod, &name, What::Started, attempt, Detail::because(rule, why));
        self.pleg_changed(p);
        self.dirty(p);
        if let Some(after) = self.pods[p].ctrs[c].behavior.oom_after() {
            if let Some(id) = self.pods[p].ctrs[c].cur.as_ref().map(|i| i.id) {
                self.at(now + after, Ev::Oom(p, c, id));
            }
        }
        self.unpark_probes(p, c);
        self.apply_effects(p, c, effects);
        self.update_probe_state(p, c);
    }

    pub(crate) fn on_proc_wake(&mut self, p: PodId, c: usize, inst: u64, gen: u64) {
        let now = self.now;
        let net = self.pod_net(p);
        let Some(i) = self.pods[p].ctrs[c].cur.as_mut() else { return };
        if i.id != inst || i.wake_gen != gen || i.state != CState::Running {
            return;
        }
        let Some(proc_) = i.process.as_mut() else { return };
        let effects = proc_.wake(now, &net);
        self.apply_effects(p, c, effects);
    }

    pub(crate) fn signal_process(&mut self, p: PodId, c: usize, sig: Signal) {
        let now = self.now;
        let net = self.pod_net(p);
        let Some(proc_) = self.pods[p].ctrs[c].cur.as_mut().and_then(|i| i.process.as_mut()) else { return };
        let effects = proc_.signal(sig, now, &net);
        self.apply_effects(p, c, effects);
    }

    pub(crate) fn apply_effects(&mut self, p: PodId, c: usize, effects: Vec<Effect>) {
        let now = self.now;
        for e in effects {
            match e {
                Effect::Log(text) => {
                    let pod = &self.pods[p];
                    let attempt = pod.ctrs[c].cur.as_ref().map_or(0, |i| i.attempt);
                    let (ns, name, ctr) = (pod.meta.namespace.clone(), pod.meta.name.clone(), pod.ctrs[c].name.clone());
                    self.rec.log(now, &ns, &name, &ctr, attempt, text);
                }
                Effect::Listen(port) => {
                    self.pods[p].net.insert(port, c);
                }
                Effect::Close(port) => {
                    if self.pods[p].net.get(&port) == Some(&c) {
                        self.pods[p].net.remove(&port);
                    }
                }
                Effect::WakeAt(t) => {
                    let Some(i) = self.pods[p].ctrs[c].cur.as_mut() else { continue };
                    i.wake_gen += 1;
                    let (id, gen) = (i.id, i.wake_gen);
                    self.at(t.max(now), Ev::ProcWake(p, c, id, gen));
                }
                Effect::Exit(code) => {
                    let reason = if code == 0 { "Completed" } else { "Error" };
                    self.container_exited(p, c, code, reason);
                    return;
                }
            }
        }
    }

    /// The container went over its memory limit: the kernel kills it (137, OOMKilled).
    pub(crate) fn on_oom(&mut self, p: PodId, c: usize, inst: u64) {
        if self.pods[p].ctrs[c].cur.as_ref().is_some_and(|i| i.id == inst) {
            self.container_exited(p, c, 137, "OOMKilled");
        }
    }

    /// PID 1 ended (by itself, by signal, or by SIGKILL).
    pub(crate) fn container_exited(&mut self, p: PodId, c: usize, code: i32, reason: &str) {
        let now = self.now;
        let ctr = &mut self.pods[p].ctrs[c];
        let Some(inst) = ctr.cur.as_mut() else { return };
        if inst.state != CState::Running {
            return;
        }
        inst.state = CState::Exited;
        inst.finished_at = Some(now);
        inst.exit_code = Some(code);
        inst.reason = Some(reason.to_string());
        inst.process = None;
        inst.kill = None;
        inst.wake_gen += 1;
        let attempt = inst.attempt;
        let name = ctr.name.clone();
        self.pods[p].net.retain(|_, owner| *owner != c);
        let pod = self.pods[p].meta.name.clone();
        self.rec.happen(
            now,
            &pod,
            &name,
            What::Exited,
            attempt,
            Detail { exit_code: Some(code), reason: Some(reason.to_string()), ..Detail::default() },
        );
        self.update_probe_state(p, c);
        self.pleg_changed(p);
        self.dirty(p);
        self.kill_turns_changed(p);
        self.step_progress(p);
    }

    /// PLEG: the next relist (every second) sees the change and wakes the pod worker.
    pub(crate) fn pleg_changed(&mut self, p: PodId) {
        let t = self.next_relist(self.now);
        self.at(t, Ev::Pleg(p));
    }

    /// The first relist strictly after `t`.
    pub(crate) fn next_relist(&self, t: u64) -> u64 {
        let phase = self.relist_phase;
        if t < phase {
            return phase;
        }
        (t - phase) / 1000 * 1000 + 1000 + phase
    }

    /// The latest relist at or before `t`.
    pub(crate) fn last_relist(&self, t: u64) -> Option<u64> {
        let phase = self.relist_phase;
        (t >= phase).then(|| (t - phase) / 1000 * 1000 + phase)
    }

    pub(crate) fn container_event(&mut self, p: PodId, c: usize, type_: &'static str, reason: &str, message: String) {
        self.kubelet_event(self.now, p, Some(c), (type_, reason, "kubelet"), message);
    }

    pub(crate) fn pod_event(
        &mut self,
        p: PodId,
        type_: &'static str,
        reason: &str,
        source: &'static str,
        message: String,
    ) {
        self.kubelet_event(self.now, p, None, (type_, reason, source), message);
    }

    /// An event about a pod (or one of its containers, with its field path) at `t`;
    /// `what` is (type, reason, reporting component).
    pub(crate) fn kubelet_event(
        &mut self,
        t: crate::trace::Millis,
        p: PodId,
        c: Option<usize>,
        what: (&'static str, &str, &'static str),
        message: String,
    ) {
        let (type_, reason, source) = what;
        let pod = &self.pods[p];
        let (name, ns) = (pod.meta.name.clone(), pod.meta.namespace.clone());
        let field_path = c.map(|c| pod.ctrs[c].field_path());
        let host = (source == "kubelet").then(|| self.node.name.clone());
        let spec = EventSpec {
            type_,
            reason,
            kind: "Pod",
            name: &name,
            namespace: &ns,
            source,
            host: host.as_deref(),
            field_path,
            message,
        };
        self.rec.event(t, spec);
    }

    /// `node reboot`: every container dies at once, no signal, no hook; images stay cached;
    /// sandboxes are gone, so the kubelet re-creates them and runs init containers again.
    pub(crate) fn node_reboot(&mut self) {
        for p in 0..self.pods.len() {
            if self.pods[p].gone || self.pods[p].node.is_none() {
                continue;
            }
            for c in 0..self.pods[p].ctrs.len() {
                if self.pods[p].ctrs[c].running() {
                    self.container_exited(p, c, 255, "Unknown");
                }
            }
            if let Some(s) = self.pods[p].sandbox.as_mut() {
                s.ready = false;
            }
            // The sync in flight dies with the node; the kubelet syncs the pod afresh.
            if self.pods[p].worker.run.take().is_some() {
                self.pods[p].worker.pending = true;
            }
            self.pods[p].worker.scheduled = None;
            self.pods[p].worker.last_sync_end = None;
            self.node.pull_busy_until = self.now;
            self.request_sync(p);
        }
    }
}
