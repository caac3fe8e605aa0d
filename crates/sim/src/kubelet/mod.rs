//! The kubelet of the one simulated node: admission, the pod worker that serialises
//! syncs of each pod, `SyncPod` executed step by step in simulated time, CrashLoopBackOff,
//! image pulls, and `SyncTerminatingPod` on deletion.

pub mod actions;
mod backoff;
mod kill;
mod prober;
mod runtime;
mod start;
pub mod status;
mod why;

use std::collections::VecDeque;

use crate::cluster::record::Detail;
use crate::cluster::{Ev, Kind, PodId, StartPhase, Step, SyncRun, World};
use crate::settings::{Component, Gate};
use crate::trace::{Millis, What};

pub use runtime::NetView;

/// Simulated durations of runtime operations.
const SANDBOX_MS: Millis = 800;
const CREATE_MS: Millis = 60;
const START_MS: Millis = 90;
/// The status manager deletes a terminated pod from the API shortly after the kubelet is done.
const DELETE_AFTER_TERMINATION_MS: Millis = 600;

impl World {
    /// Something changed for this pod: the pod worker syncs it as soon as the PLEG cache is
    /// newer than its last sync (`podCache.GetNewerThan` in `managePodLoop`).
    pub(crate) fn request_sync(&mut self, p: PodId) {
        let now = self.now;
        let pod = &mut self.pods[p];
        if pod.gone || pod.node.is_none() || pod.worker.terminated {
            return;
        }
        if pod.worker.run.is_some() {
            pod.worker.pending = true;
            return;
        }
        let end = pod.worker.last_sync_end;
        let due = match end {
            None => now,
            Some(end) if self.last_relist(now).is_some_and(|r| r > end) => now,
            Some(end) => self.next_relist(end).max(now),
        };
        let pod = &mut self.pods[p];
        if pod.worker.scheduled.is_some_and(|s| s <= due) {
            return;
        }
        pod.worker.scheduled = Some(due);
        self.at(due, Ev::Sync(p));
    }

    pub(crate) fn on_requeue(&mut self, p: PodId, gen: u64) {
        if self.pods[p].worker.requeue_gen == gen {
            self.request_sync(p);
        }
    }

    pub(crate) fn on_sync_due(&mut self, p: PodId) {
        let pod = &mut self.pods[p];
        if pod.worker.scheduled != Some(self.now) {
            return;
        }
        pod.worker.scheduled = None;
        if pod.worker.run.is_some() {
            pod.worker.pending = true;
            return;
        }
        self.sync(p);
    }

    /// One pod worker iteration: `SyncPod`, or `SyncTerminatingPod` for a deleted pod.
    fn sync(&mut self, p: PodId) {
        if self.pods[p].gone || self.pods[p].worker.terminated {
            return;
        }
        if !self.pods[p].worker.admitted && !self.admit(p) {
            return;
        }
        if self.pods[p].deletion.is_some() {
            self.start_termination(p);
            return;
        }
        let plan = actions::compute_pod_actions(&self.pods[p]);
        self.explain_waits(p, &plan);
        let mut steps = VecDeque::new();
        if plan.kill_pod {
            steps.push_back(Step::KillPod { grace_override: None });
        } else {
            for (c, message) in &plan.to_kill {
                steps.push_back(Step::Kill { ctr: *c, message: message.clone() });
            }
        }
        if plan.create_sandbox {
            steps.push_back(Step::CreateSandbox);
        }
        steps.extend(plan.init_to_start.iter().map(|&c| Step::Start { ctr: c, why: plan.why(c) }));
        steps.extend(plan.containers_to_start.iter().map(|&c| Step::Start { ctr: c, why: plan.why(c) }));
        self.begin_run(p, steps, false);
    }

    fn begin_run(&mut self, p: PodId, steps: VecDeque<Step>, terminating: bool) {
        let w = &mut self.pods[p].worker;
        w.sync_gen += 1;
        w.pending = false;
        w.run = Some(SyncRun {
            gen: w.sync_gen,
            steps,
            current: None,
            start_phase: None,
            failed: false,
            terminating,
            did_something: false,
        });
        self.advance_run(p);
    }

    /// Executes steps until one has to wait for time to pass.
    fn advance_run(&mut self, p: PodId) {
        loop {
            let Some(run) = self.pods[p].worker.run.as_mut() else { return };
            if let Some(step) = run.current.clone() {
                if !self.step_done(p, &step) {
                    return;
                }
                if let Some(run) = self.pods[p].worker.run.as_mut() {
                    run.current = None;
                    run.start_phase = None;
                }
                continue;
            }
            let Some(step) = run.steps.pop_front() else {
                self.finish_run(p);
                return;
            };
            run.current = Some(step.clone());
            run.did_something = true;
            match step {
                Step::KillPod { grace_override } => self.kill_pod(p, grace_override),
                Step::Kill { ctr, message } => {
                    let probe_grace = self.probe_grace_for_kill(p, ctr, &message);
                    let grace = self.grace_for(p, probe_grace);
                    self.kill_container(p, ctr, grace, message, vec![]);
                }
                Step::CreateSandbox => {
                    self.purge_init_containers(p);
                    let done = self.now + SANDBOX_MS;
                    self.set_start_phase(p, StartPhase::Creating { done });
                    let gen = self.pods[p].worker.sync_gen;
                    self.at(done, Ev::Step(p, gen));
                }
                Step::Start { ctr, .. } => self.begin_start(p, ctr),
            }
        }
    }

    fn probe_grace_for_kill(&self, p: PodId, c: usize, message: &str) -> Option<i64> {
        let spec = &self.pods[p].ctrs[c].spec;
        if message.contains("failed liveness probe") {
            spec.liveness_probe.as_ref().and_then(|pr| pr.termination_grace_period_seconds)
        } else if message.contains("failed startup probe") {
            spec.startup_probe.as_ref().and_then(|pr| pr.termination_grace_period_seconds)
        } else {
            None
        }
    }

    fn set_start_phase(&mut self, p: PodId, phase: StartPhase) {
        if let Some(run) = self.pods[p].worker.run.as_mut() {
            run.start_phase = Some(phase);
        }
    }

    fn step_done(&self, p: PodId, step: &Step) -> bool {
        let pod = &self.pods[p];
        match step {
            Step::KillPod { .. } => pod.ctrs.iter().all(|c| !c.running()),
            Step::Kill { ctr, .. } => !pod.ctrs[*ctr].running(),
            Step::CreateSandbox | Step::Start { .. } => {
                pod.worker.run.as_ref().is_some_and(|r| r.start_phase.is_none())
            }
        }
    }

    /// A container exited or a kill moved on: the current step may be complete.
    pub(crate) fn step_progress(&mut self, p: PodId) {
        let waiting_on_kill = self.pods[p]
            .worker
            .run
            .as_ref()
            .is_some_and(|r| matches!(r.current, Some(Step::KillPod { .. } | Step::Kill { .. })));
        if waiting_on_kill {
            self.advance_run(p);
        }
    }

    pub(crate) fn on_step(&mut self, p: PodId, gen: u64) {
        let Some(run) = self.pods[p].worker.run.as_ref() else { return };
        if run.gen != gen {
            return;
        }
        let (Some(step), Some(phase)) = (run.current.clone(), run.start_phase) else { return };
        let now = self.now;
        match (step, phase) {
            (Step::CreateSandbox, _) => {
                self.sandbox_created(p);
                self.set_phase_none(p);
            }
            (Step::Start { ctr, .. }, StartPhase::Pulling { done, begin, requested }) if now >= done => {
                self.image_pulled(p, ctr, begin, requested);
                self.begin_create(p);
                return;
            }
            (Step::Start { ctr, .. }, StartPhase::PullFailing { done }) if now >= done => {
                self.set_phase_none(p);
                self.pull_failed(p, ctr);
            }
            (Step::Start { ctr, why }, StartPhase::Creating { done }) if now >= done => {
                self.create_container(p, ctr, &why);
                let done = now + START_MS;
                self.set_start_phase(p, StartPhase::Starting { done });
                self.at(done, Ev::Step(p, gen));
                return;
            }
            (Step::Start { ctr, why }, StartPhase::Starting { done }) if now >= done => {
                self.start_process(p, ctr, &why);
                let hook = self.pods[p].ctrs[ctr].spec.post_start.clone();
                match hook {
                    Some(h) if self.pods[p].ctrs[ctr].running() => {
                        let (pod, name, attempt) = self.names(p, ctr);
                        self.rec.happen(
                            now,
                            &pod,
                            &name,
                            What::PostStart,
                            attempt,
                            Detail::because(
                                "kubelet: startContainer",
                                "the postStart hook runs synchronously: the next container waits for it",
                            ),
                        );
                        let (duration, ok) = self.run_hook(p, ctr, &h);
                        let done = now + duration.max(1);
                        self.set_start_phase(p, StartPhase::PostStart { done, ok });
                        self.at(done, Ev::Step(p, gen));
                        return;
                    }
                    _ => self.set_phase_none(p),
                }
            }
            (Step::Start { ctr, .. }, StartPhase::PostStart { done, ok }) if now >= done => {
                self.set_phase_none(p);
                if !ok && self.pods[p].ctrs[ctr].running() {
                    self.hook_failed_event(p, ctr, now, "FailedPostStartHook", "PostStartHook failed");
                    let grace = self.grace_for(p, None);
                    let name = self.pods[p].ctrs[ctr].name.clone();
                    self.fail_start(p, ctr);
                    self.kill_container(
                        p,
                        ctr,
                        grace,
                        format!("FailedPostStartHook: stopping container {name}"),
                        vec![],
                    );
                    if let Some(run) = self.pods[p].worker.run.as_mut() {
                        run.current = Some(Step::Kill { ctr, message: String::new() });
                    }
                }
            }
            _ => return,
        }
        self.advance_run(p);
    }

    fn set_phase_none(&mut self, p: PodId) {
        if let Some(run) = self.pods[p].worker.run.as_mut() {
            run.start_phase = None;
        }
    }

    /// A start failed: the sync ends in error; a failing regular init container ends it now
    /// (`SyncPod` step 6 returns), a sidecar's failure lets it go on.
    fn fail_start(&mut self, p: PodId, c: usize) {
        let kind = self.pods[p].ctrs[c].kind;
        if let Some(run) = self.pods[p].worker.run.as_mut() {
            run.failed = true;
            if kind == Kind::Init {
                run.steps.clear();
            }
        }
    }

    fn finish_run(&mut self, p: PodId) {
        let now = self.now;
        let Some(run) = self.pods[p].worker.run.take() else { return };
        self.pods[p].worker.last_sync_end = Some(now);
        if run.terminating {
            self.dirty(p);
            self.pods[p].worker.terminated = true;
            self.refresh_phase(p);
            self.stop_probes(p, true);
            let pod = &self.pods[p];
            if pod.meta.finalizers.is_empty() {
                self.at(now + DELETE_AFTER_TERMINATION_MS, Ev::PodGone(p));
            }
            return;
        }
        self.refresh_phase(p);
        if self.pods[p].phase.terminal() {
            // A finished pod's sandbox is torn down (PodReadyToStartContainers turns False).
            if let Some(s) = self.pods[p].sandbox.as_mut() {
                s.ready = false;
            }
            self.dirty(p);
            // The pod worker moves a finished pod to terminating and terminated: nothing restarts.
            self.pods[p].worker.terminated = true;
            self.stop_probes(p, true);
            return;
        }
        // pod_workers.go completeWork: an error requeues after the back-off period (10 s, jitter
        // 0.5); a clean sync after the resync interval (1 min, jitter 0.5). A resync after a sync
        // that did nothing would do nothing again (every change wakes the worker anyway), so the
        // chain stops there.
        if run.failed || run.did_something {
            let delay = if run.failed { 10_000 + self.jitter.below(5_000) } else { 60_000 + self.jitter.below(30_000) };
            // The work queue holds one entry per pod: a new requeue replaces the last one.
            let w = &mut self.pods[p].worker;
            w.requeue_gen += 1;
            let gen = w.requeue_gen;
            self.at(now + delay, Ev::Requeue(p, gen));
        }
        if self.pods[p].worker.pending {
            self.pods[p].worker.pending = false;
            self.request_sync(p);
        }
    }

    /// Kubelet admission (`canAdmitPod`): with the SidecarContainers gate off at the kubelet
    /// a pod with restartable init containers is rejected.
    fn admit(&mut self, p: PodId) -> bool {
        self.pods[p].worker.admitted = true;
        let gate = self.settings.gate(Gate::SidecarContainers, Component::Kubelet);
        if !gate && self.pods[p].has_sidecars() {
            let reason = "InitContainerRestartPolicyForbidden";
            let message = "Pod was rejected: Init container restart policy is forbidden".to_string();
            self.pods[p].rejected = Some((reason.to_string(), message.clone()));
            self.pods[p].worker.terminated = true;
            self.pod_event(p, "Warning", reason, "kubelet", message);
            self.dirty(p);
            self.refresh_phase(p);
            return false;
        }
        self.add_probe_workers(p);
        true
    }

    /// `SyncTerminatingPod`: stop liveness and startup probes, kill every container with the
    /// deletion grace period; nothing restarts any more.
    pub(crate) fn start_termination(&mut self, p: PodId) {
        if self.pods[p].worker.terminating || self.pods[p].worker.terminated {
            return;
        }
        self.pods[p].worker.terminating = true;
        self.pods[p].worker.run = None;
        self.pods[p].worker.scheduled = None;
        self.stop_probes(p, false);
        let grace = self.pods[p].deletion.as_ref().map(|d| d.grace);
        self.begin_run(p, VecDeque::from([Step::KillPod { grace_override: grace }]), true);
    }

    /// `purgeInitContainers`: a new sandbox runs every init container again, so their old
    /// runs are removed from the runtime (the restart count goes on, as the log directory
    /// remembers it).
    fn purge_init_containers(&mut self, p: PodId) {
        if self.pods[p].sandbox.is_none() {
            return;
        }
        for c in 0..self.pods[p].n_init {
            let ctr = &mut self.pods[p].ctrs[c];
            if let Some(t) = ctr.cur.take().and_then(|i| i.terminated()) {
                ctr.prev = Some(t);
            }
        }
    }

    fn sandbox_created(&mut self, p: PodId) {
        let attempt = self.pods[p].sandbox.as_ref().map_or(0, |s| s.attempt + 1);
        if attempt > 0 {
            self.pod_event(
                p,
                "Normal",
                "SandboxChanged",
                "kubelet",
                "Pod sandbox changed, it will be killed and re-created.".into(),
            );
        }
        self.pods[p].sandbox = Some(crate::cluster::Sandbox { ready: true, attempt });
        if self.pods[p].ip.is_none() {
            let n = self.node.next_pod_ip;
            self.node.next_pod_ip += 1;
            self.pods[p].ip = Some(format!("10.244.0.{}", n.min(254)));
        }
        self.pods[p].net.clear();
        self.dirty(p);
    }
}
