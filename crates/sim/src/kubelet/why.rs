//! "Why is this container not running?": after each sync the kubelet's decision is turned
//! into one sentence per waiting container, with the upstream rule behind it, and recorded
//! in the trace whenever it changes.

use crate::api::RestartPolicy;
use crate::cluster::{CState, Kind, PodId, ProbeKind, World};
use crate::trace::Cause;

use super::actions::{should_restart, PodActions};

impl World {
    pub(crate) fn explain_waits(&mut self, p: PodId, plan: &PodActions) {
        let starting = |c: usize| plan.init_to_start.contains(&c) || plan.containers_to_start.contains(&c);
        let mut found: Vec<(usize, Option<Cause>)> = Vec::new();
        let pod = &self.pods[p];
        for (i, c) in pod.ctrs.iter().enumerate() {
            let state = c.state();
            let cause = if state == Some(CState::Running) || starting(i) {
                None
            } else if let Some((reason, message)) = c.waiting.as_ref().filter(|_| state == Some(CState::Exited)) {
                Some(Cause { rule: "kubelet: doBackOff", detail: format!("{reason}: {message}") })
            } else if state == Some(CState::Exited) && c.kind != Kind::Sidecar && !should_restart(c, pod) {
                let code = c.cur.as_ref().and_then(|x| x.exit_code).unwrap_or(0);
                let detail = match pod.spec.restart_policy {
                    RestartPolicy::Never => format!("exited with code {code}; restartPolicy Never does not restart it"),
                    _ => format!("completed with code {code}; restartPolicy OnFailure restarts only failures"),
                };
                Some(Cause { rule: "kubelet: ShouldContainerBeRestarted", detail })
            } else if c.kind.is_init_list() && c.cur.is_none() {
                blocker(pod, i).map(|detail| Cause { rule: "kubelet: computeInitContainerActions", detail })
            } else if c.kind == Kind::Regular && c.cur.is_none() {
                let first = (1..=pod.n_init).find_map(|j| blocker(pod, j));
                let why =
                    first.or_else(|| plan.waiting_on.clone()).unwrap_or_else(|| "its init containers".to_string());
                Some(Cause {
                    rule: "kubelet: computePodActions",
                    detail: format!("regular containers start only once the pod is initialized: {why}"),
                })
            } else {
                None
            };
            found.push((i, cause));
        }
        let now = self.now;
        for (i, cause) in found {
            let text = cause.as_ref().map(|c| c.detail.clone());
            if self.pods[p].ctrs[i].wait == text {
                continue;
            }
            self.pods[p].ctrs[i].wait = text;
            let (pod, name) = (self.pods[p].meta.name.clone(), self.pods[p].ctrs[i].name.clone());
            self.rec.wait(now, &pod, &name, cause);
        }
    }
}

/// Why init container `i` cannot start yet: the previous init container is not done.
fn blocker(pod: &crate::cluster::PodRt, i: usize) -> Option<String> {
    let prev = i.checked_sub(1).map(|j| &pod.ctrs[j])?;
    if prev.kind == Kind::Sidecar {
        let started = prev.cur.as_ref().is_some_and(|x| x.started && x.state == CState::Running);
        if started {
            return None;
        }
        let probe = prev.probes.iter().find(|w| w.kind == ProbeKind::Startup);
        let detail = match (probe, prev.spec.startup_probe.as_ref()) {
            (Some(w), Some(spec)) if w.run > 0 && w.last_result == crate::cluster::ProbeResult::Failure => {
                format!(", startupProbe {}/{} failures", w.run, spec.failure_threshold)
            }
            (_, Some(_)) => ", its startupProbe has not succeeded yet".to_string(),
            _ => String::new(),
        };
        Some(format!(
            "sidecar {} is not started yet{detail}; the kubelet starts the next container only after a restartable init container is started",
            prev.name
        ))
    } else {
        let done = prev.cur.as_ref().is_some_and(|x| x.state == CState::Exited && x.exit_code == Some(0));
        (!done).then(|| {
            format!("init container {} has not completed; init containers run one at a time, in order", prev.name)
        })
    }
}
