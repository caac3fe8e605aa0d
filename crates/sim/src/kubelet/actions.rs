//! What one kubelet sync decides to do: `computePodActions` and
//! `computeInitContainerActions` (pkg/kubelet/kuberuntime), over the runtime's view of the
//! pod's containers and the prober results. Pure: it reads the pod and returns a plan.

use crate::api::RestartPolicy;
use crate::cluster::{CState, Ctr, Kind, PodRt, ProbeKind, ProbeResult};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodActions {
    pub kill_pod: bool,
    pub create_sandbox: bool,
    /// Indices into `pod.ctrs` (init list), in spec order.
    pub init_to_start: Vec<usize>,
    /// Indices into `pod.ctrs` (regular containers), in spec order.
    pub containers_to_start: Vec<usize>,
    /// (container index, kill message), in the order they were decided.
    pub to_kill: Vec<(usize, String)>,
    /// Why nothing starts, for the "why?" panel.
    pub waiting_on: Option<String>,
    /// Why each container in the start lists starts, for the "why?" panel.
    pub why: Vec<(usize, String)>,
}

impl PodActions {
    fn start_init(&mut self, to_start: &mut Vec<usize>, i: usize, why: String) {
        to_start.push(i);
        self.why.push((i, why));
    }

    pub fn why(&self, c: usize) -> String {
        self.why.iter().rev().find(|(i, _)| *i == c).map(|(_, w)| w.clone()).unwrap_or_default()
    }
}

/// `proberesults.Manager.Get(containerID)`: the result of a probe for the current instance.
pub fn probe_result(c: &Ctr, kind: ProbeKind) -> Option<ProbeResult> {
    let id = c.cur.as_ref()?.id;
    c.probes.iter().find(|w| w.kind == kind).and_then(|w| (w.container_id == Some(id)).then_some(w.result))
}

fn has_probe(c: &Ctr, kind: ProbeKind) -> bool {
    match kind {
        ProbeKind::Startup => c.spec.startup_probe.is_some(),
        ProbeKind::Readiness => c.spec.readiness_probe.is_some(),
        ProbeKind::Liveness => c.spec.liveness_probe.is_some(),
    }
}

/// `containerChanged`: the spec hash of the running instance differs from the spec's.
fn changed(c: &Ctr) -> bool {
    c.cur.as_ref().is_some_and(|i| i.spec_hash != c.spec_hash)
}

/// `isInitContainerFailed`.
fn init_failed(c: &Ctr) -> bool {
    c.cur.as_ref().is_some_and(|i| i.state == CState::Exited && i.exit_code.unwrap_or(0) != 0)
}

/// `kubecontainer.ShouldContainerBeRestarted`.
pub fn should_restart(c: &Ctr, pod: &PodRt) -> bool {
    if pod.deletion.is_some() {
        return false;
    }
    let Some(i) = &c.cur else { return true };
    match i.state {
        CState::Running => false,
        CState::Created => true,
        CState::Exited => match pod.spec.restart_policy {
            RestartPolicy::Never => false,
            RestartPolicy::OnFailure => i.exit_code.unwrap_or(0) != 0,
            RestartPolicy::Always => true,
        },
    }
}

fn restart_on_failure(pod: &PodRt) -> bool {
    pod.spec.restart_policy != RestartPolicy::Never
}

/// `computePodActions` (kuberuntime_manager.go), sidecar-aware path (1.28+).
pub fn compute_pod_actions(pod: &PodRt) -> PodActions {
    let mut a = PodActions::default();
    let sandbox_changed = pod.sandbox.as_ref().is_none_or(|s| !s.ready);
    if sandbox_changed {
        let attempt = pod.sandbox.as_ref().map_or(0, |s| s.attempt + 1);
        let any_status = pod.ctrs.iter().any(|c| c.cur.is_some());
        if !restart_on_failure(pod) && attempt != 0 && any_status {
            // "Should not restart the pod, just return."
            return a;
        }
        let regular_to_start: Vec<usize> = pod
            .ctrs
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == Kind::Regular)
            .filter(|(_, c)| {
                !(pod.spec.restart_policy == RestartPolicy::OnFailure
                    && c.cur.as_ref().is_some_and(|i| i.state == CState::Exited && i.exit_code == Some(0)))
            })
            .map(|(i, _)| i)
            .collect();
        if regular_to_start.is_empty() && has_any_regular_created(pod) {
            return a;
        }
        a.create_sandbox = true;
        a.kill_pod = true;
        let why = if attempt == 0 { "a new pod sandbox" } else { "the pod sandbox was re-created" };
        if pod.n_init > 0 {
            a.init_to_start = vec![0];
            a.why.push((0, format!("{why}: init containers run again from the first")));
        } else {
            for &i in &regular_to_start {
                a.why.push((i, format!("{why}: regular containers start in spec order")));
            }
            a.containers_to_start = regular_to_start;
        }
        return a;
    }

    let initialized = compute_init_container_actions(pod, &mut a);
    if a.kill_pod || !initialized {
        return a;
    }

    let mut keep = 0;
    for (idx, c) in pod.ctrs.iter().enumerate().filter(|(_, c)| c.kind == Kind::Regular) {
        if !c.running() {
            if should_restart(c, pod) {
                a.containers_to_start.push(idx);
                let why = match c.cur.as_ref().and_then(|i| i.exit_code) {
                    Some(code) => format!(
                        "{} exited with code {code}; restartPolicy {} restarts it",
                        c.name,
                        pod.spec.restart_policy.as_str()
                    ),
                    None if pod.n_init > 0 => {
                        "the pod is initialized: regular containers start in spec order in one sync".to_string()
                    }
                    None => "regular containers start in spec order in one sync".to_string(),
                };
                a.why.push((idx, why));
            }
            continue;
        }
        let mut restart = restart_on_failure(pod);
        let message = if changed(c) {
            // "Restart regardless of the restart policy because the container spec changed."
            restart = true;
            format!("Container {} definition changed", c.name)
        } else if probe_result(c, ProbeKind::Liveness) == Some(ProbeResult::Failure) {
            format!("Container {} failed liveness probe", c.name)
        } else if probe_result(c, ProbeKind::Startup) == Some(ProbeResult::Failure) {
            format!("Container {} failed startup probe", c.name)
        } else {
            keep += 1;
            continue;
        };
        let message = if restart {
            a.containers_to_start.push(idx);
            a.why.push((idx, format!("{message}: killed and started again")));
            format!("{message}, will be restarted")
        } else {
            message
        };
        a.to_kill.push((idx, message));
    }
    if keep == 0 && a.containers_to_start.is_empty() {
        // "To prevent the restartable init containers to keep pod alive, we should not restart them."
        a.kill_pod = true;
        a.init_to_start.clear();
    }
    a
}

/// `hasAnyRegularContainerCreated`.
fn has_any_regular_created(pod: &PodRt) -> bool {
    pod.regular().any(|c| matches!(c.state(), Some(CState::Created | CState::Running)))
}

/// `computeInitContainerActions` (kuberuntime_container.go): walks the init containers from
/// last to first; returns whether the pod has initialized.
pub fn compute_init_container_actions(pod: &PodRt, a: &mut PodActions) -> bool {
    if pod.n_init == 0 {
        return true;
    }
    let mut has_initialized = has_any_regular_created(pod);
    let mut previously = has_initialized;
    let restart_on_failure = restart_on_failure(pod);
    let last = pod.n_init - 1;
    let mut to_start: Vec<usize> = Vec::new();
    for i in (0..pod.n_init).rev() {
        let c = &pod.ctrs[i];
        let sidecar = c.kind == Kind::Sidecar;
        let Some(inst) = &c.cur else {
            if previously && sidecar {
                a.start_init(
                    &mut to_start,
                    i,
                    format!("sidecar {} has no status after initialization: start it", c.name),
                );
            }
            continue;
        };
        if previously && !sidecar {
            continue;
        }
        match inst.state {
            CState::Created => a.start_init(&mut to_start, i, format!("{} is stuck in Created: start it again", c.name)),
            CState::Running if sidecar => 'running: {
                if has_probe(c, ProbeKind::Startup) {
                    match probe_result(c, ProbeKind::Startup) {
                        None | Some(ProbeResult::Unknown) => {
                            a.waiting_on.get_or_insert_with(|| {
                                format!("sidecar {} has not passed its startupProbe yet", c.name)
                            });
                            break 'running;
                        }
                        Some(ProbeResult::Failure) => {
                            a.to_kill.push((i, format!("Init container {} failed startup probe", c.name)));
                            a.start_init(
                                &mut to_start,
                                i,
                                format!("sidecar {} failed its startupProbe: killed and restarted", c.name),
                            );
                            break 'running;
                        }
                        Some(ProbeResult::Success) => {}
                    }
                }
                if i == last {
                    has_initialized = true;
                } else if !previously {
                    let gate = if has_probe(c, ProbeKind::Startup) { "passed its startupProbe" } else { "is running" };
                    a.start_init(
                        &mut to_start,
                        i + 1,
                        format!("sidecar {} {gate}: the next init container starts", c.name),
                    );
                }
                if changed(c) {
                    a.to_kill.push((i, format!("Init container {} definition changed", c.name)));
                    a.start_init(&mut to_start, i, format!("sidecar {} changed: restarted with the new spec", c.name));
                    break 'running;
                }
                if has_probe(c, ProbeKind::Liveness) && probe_result(c, ProbeKind::Liveness) == Some(ProbeResult::Failure)
                {
                    a.to_kill.push((i, format!("Init container {} failed liveness probe", c.name)));
                    a.start_init(
                        &mut to_start,
                        i,
                        format!("sidecar {} failed its livenessProbe: killed and restarted", c.name),
                    );
                }
            }
            CState::Running => {
                a.waiting_on.get_or_insert_with(|| format!("init container {} is still running", c.name));
            }
            CState::Exited if sidecar => a.start_init(
                &mut to_start,
                i,
                format!(
                    "sidecar {} exited with code {}: restartable init containers always restart, whatever the pod's restartPolicy",
                    c.name,
                    inst.exit_code.unwrap_or(0)
                ),
            ),
            CState::Exited => {
                if init_failed(c) {
                    if !restart_on_failure {
                        a.kill_pod = true;
                        a.init_to_start.clear();
                        return false;
                    }
                    a.start_init(
                        &mut to_start,
                        i,
                        format!(
                            "init container {} failed with code {}: restartPolicy {} retries it",
                            c.name,
                            inst.exit_code.unwrap_or(0),
                            pod.spec.restart_policy.as_str()
                        ),
                    );
                } else if i == last {
                    has_initialized = true;
                } else {
                    a.start_init(&mut to_start, i + 1, format!("init container {} completed: the next one starts", c.name));
                }
            }
        }
        previously = true;
    }
    if !previously {
        a.start_init(&mut to_start, 0, "the first init container starts; the rest wait in spec order".to_string());
    }
    to_start.reverse();
    a.init_to_start = to_start;
    has_initialized
}
