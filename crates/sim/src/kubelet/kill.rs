//! Stopping containers: `killContainer` (preStop hook, waiting for its turn, stop signal,
//! SIGKILL after the grace period) and the sidecar termination ordering of
//! `newTerminationOrdering` (kuberuntime_termination_order.go).

use crate::api::Handler;
use crate::cluster::record::Detail;
use crate::cluster::{Ev, KillOp, KillPhase, Kind, PodId, World};
use crate::process::Signal;
use crate::trace::{Millis, What};

/// kuberuntime `minimumGracePeriodInSeconds`.
const MIN_GRACE: i64 = 2;

impl World {
    /// `setTerminationGracePeriod`: the deletion grace period if the pod is being deleted,
    /// else the probe's own value for probe kills, else the pod's.
    pub(crate) fn grace_for(&self, p: PodId, probe_grace: Option<i64>) -> i64 {
        let pod = &self.pods[p];
        if let Some(d) = &pod.deletion {
            return d.grace;
        }
        probe_grace.unwrap_or(pod.spec.termination_grace_period_seconds)
    }

    /// `killContainersWithSyncResult` + `newTerminationOrdering`: stops every running
    /// container at once; with sidecars (and ordering, 1.29+) each sidecar waits for all
    /// regular containers and for the next sidecar in spec order.
    pub(crate) fn kill_pod(&mut self, p: PodId, grace_override: Option<i64>) {
        let ordered = self.pods[p].has_sidecars() && self.v.at_least(29);
        let running: Vec<usize> = (0..self.pods[p].ctrs.len()).filter(|&i| self.pods[p].ctrs[i].running()).collect();
        let regular: Vec<usize> =
            (0..self.pods[p].ctrs.len()).filter(|&i| self.pods[p].ctrs[i].kind == Kind::Regular).collect();
        let mut next_sidecar: Option<usize> = None;
        let mut deps: Vec<(usize, Vec<usize>)> = Vec::new();
        for i in (0..self.pods[p].n_init).rev() {
            if self.pods[p].ctrs[i].kind != Kind::Sidecar {
                continue;
            }
            let mut wait = regular.clone();
            wait.extend(next_sidecar);
            deps.push((i, wait));
            next_sidecar = Some(i);
        }
        for c in running {
            let wait_for = if ordered {
                deps.iter().find(|(i, _)| *i == c).map(|(_, w)| w.clone()).unwrap_or_default()
            } else {
                vec![]
            };
            let grace = grace_override.unwrap_or_else(|| self.grace_for(p, None));
            let message = format!("Stopping container {}", self.pods[p].ctrs[c].name);
            self.kill_container(p, c, grace, message, wait_for);
        }
    }

    /// `killContainer` for one running container.
    pub(crate) fn kill_container(&mut self, p: PodId, c: usize, grace: i64, message: String, wait_for: Vec<usize>) {
        let now = self.now;
        let (pod_name, ctr_name, attempt, pre_stop) = {
            let pod = &self.pods[p];
            let ctr = &pod.ctrs[c];
            let Some(inst) = &ctr.cur else { return };
            if inst.kill.is_some() {
                return;
            }
            (pod.meta.name.clone(), ctr.name.clone(), inst.attempt, ctr.spec.pre_stop.clone())
        };
        // killContainer records the event before the hook and before waiting for its turn.
        self.kubelet_event(now, p, Some(c), ("Normal", "Killing", "kubelet"), message.clone());
        self.rec.happen(
            now,
            &pod_name,
            &ctr_name,
            What::Killing,
            attempt,
            Detail::because("kubelet: killContainer", message),
        );
        let gen = self.next_id();
        let mut grace = grace;
        let phase = match pre_stop {
            Some(hook) if grace > 0 => {
                self.rec.happen(
                    now,
                    &pod_name,
                    &ctr_name,
                    What::PreStop,
                    attempt,
                    Detail::because("kubelet: executePreStopHook", "the preStop hook runs before the stop signal"),
                );
                let (duration, ok) = self.run_hook(p, c, &hook);
                let blocked = duration.min(grace as u64 * 1000);
                if !ok && duration <= blocked {
                    self.hook_failed_event(p, c, now + duration, "FailedPreStopHook", "PreStopHook failed");
                }
                grace -= (blocked / 1000) as i64;
                KillPhase::PreStop { until: now + blocked }
            }
            _ => KillPhase::PreStop { until: now },
        };
        if let Some(inst) = self.pods[p].ctrs[c].cur.as_mut() {
            inst.kill = Some(KillOp { grace, phase, wait_for, gen });
        }
        self.advance_kill(p, c);
    }

    pub(crate) fn on_kill_advance(&mut self, p: PodId, c: usize, inst: u64, gen: u64) {
        let ok = self.pods[p].ctrs[c]
            .cur
            .as_ref()
            .is_some_and(|i| i.id == inst && i.kill.as_ref().is_some_and(|k| k.gen == gen));
        if ok {
            self.advance_kill(p, c);
        }
    }

    /// Moves a kill forward as far as it can go now.
    pub(crate) fn advance_kill(&mut self, p: PodId, c: usize) {
        let now = self.now;
        loop {
            let Some(inst) = self.pods[p].ctrs[c].cur.as_ref() else { return };
            if !matches!(inst.state, crate::cluster::CState::Running) {
                return;
            }
            let Some(k) = inst.kill.clone() else { return };
            let id = inst.id;
            match k.phase {
                KillPhase::PreStop { until } => {
                    if now < until {
                        self.at(until, Ev::KillAdvance(p, c, id, k.gen));
                        return;
                    }
                    let phase = if !k.wait_for.is_empty() && k.grace > 0 {
                        KillPhase::WaitTurn { deadline: now + k.grace as u64 * 1000, since: now }
                    } else {
                        self.send_stop_signal(p, c, k.grace);
                        continue;
                    };
                    self.set_kill_phase(p, c, phase, None);
                }
                KillPhase::WaitTurn { deadline, since } => {
                    let done = k.wait_for.iter().all(|&d| !self.pods[p].ctrs[d].running());
                    if done || now >= deadline {
                        // waitForTurn returns the seconds waited, truncated by the caller.
                        let waited = ((now - since) / 1000) as i64;
                        self.send_stop_signal(p, c, k.grace - waited);
                        continue;
                    }
                    self.at(deadline, Ev::KillAdvance(p, c, id, k.gen));
                    return;
                }
                KillPhase::Stopping { sigkill_at } => {
                    if now >= sigkill_at {
                        let (pod, ctr, attempt) = self.names(p, c);
                        self.rec.happen(
                            now,
                            &pod,
                            &ctr,
                            What::SigKill,
                            attempt,
                            Detail {
                                signal: Some("SIGKILL".into()),
                                ..Detail::because(
                                    "runtime: StopContainer",
                                    "the grace period ended before the process exited",
                                )
                            },
                        );
                        self.container_exited(p, c, 137, "Error");
                        return;
                    }
                    self.at(sigkill_at, Ev::KillAdvance(p, c, id, k.gen));
                    return;
                }
            }
        }
    }

    fn set_kill_phase(&mut self, p: PodId, c: usize, phase: KillPhase, grace: Option<i64>) {
        if let Some(k) = self.pods[p].ctrs[c].cur.as_mut().and_then(|i| i.kill.as_mut()) {
            k.phase = phase;
            if let Some(g) = grace {
                k.grace = g;
            }
        }
    }

    /// CRI `StopContainer(timeout)`: the image's stop signal now, SIGKILL after `timeout`.
    fn send_stop_signal(&mut self, p: PodId, c: usize, grace: i64) {
        let now = self.now;
        let grace = grace.max(MIN_GRACE);
        let sigkill_at = now + grace as u64 * 1000;
        self.set_kill_phase(p, c, KillPhase::Stopping { sigkill_at }, Some(grace));
        let signal = self.pods[p].ctrs[c].behavior.image.stop_signal;
        let (pod, ctr, attempt) = self.names(p, c);
        self.rec.happen(
            now,
            &pod,
            &ctr,
            What::SigTerm,
            attempt,
            Detail {
                signal: Some(signal.to_string()),
                ..Detail::because("runtime: StopContainer", format!("stop signal with a {grace}s grace period"))
            },
        );
        self.signal_process(p, c, Signal::from_name(signal));
    }

    /// Re-checks containers waiting for their turn after `c` stopped.
    pub(crate) fn kill_turns_changed(&mut self, p: PodId) {
        let waiting: Vec<usize> = (0..self.pods[p].ctrs.len())
            .filter(|&i| {
                self.pods[p].ctrs[i]
                    .cur
                    .as_ref()
                    .and_then(|x| x.kill.as_ref())
                    .is_some_and(|k| matches!(k.phase, KillPhase::WaitTurn { .. }))
            })
            .collect();
        for i in waiting {
            self.advance_kill(p, i);
        }
    }

    /// Runs a lifecycle hook; returns how long it blocks and whether it succeeded.
    pub(crate) fn run_hook(&mut self, p: PodId, c: usize, hook: &Handler) -> (Millis, bool) {
        match hook {
            Handler::Exec { command } => {
                let now = self.now;
                let net = self.pod_net(p);
                match self.pods[p].ctrs[c].cur.as_mut().and_then(|i| i.process.as_mut()) {
                    Some(proc_) => {
                        let out = proc_.exec(command, now, &net);
                        (out.duration, out.exit_code == 0)
                    }
                    None => (0, false),
                }
            }
            Handler::Sleep { seconds } => ((*seconds).max(0) as u64 * 1000, true),
            Handler::HttpGet { port, path, .. } => {
                let ok = self.http_probe(p, port, path).is_ok();
                (10, ok)
            }
            Handler::TcpSocket { port, .. } => (10, self.port_number(p, port).is_some_and(|n| self.listening(p, n))),
            Handler::Grpc { port, .. } => (10, self.listening(p, *port as u16)),
        }
    }

    pub(crate) fn hook_failed_event(&mut self, p: PodId, c: usize, t: Millis, reason: &str, message: &str) {
        self.kubelet_event(t, p, Some(c), ("Warning", reason, "kubelet"), message.to_string());
    }
}
