//! Probes: one worker per probe of each regular container and sidecar (`prober_manager.go`
//! `AddPod`, `worker.go` `doProbe`), the probe executions (`prober.go`), and the
//! `started`/`ready` container statuses they drive (`UpdatePodStatus`).

use crate::api::{Handler, Probe, RestartPolicy};
use crate::cluster::record::Detail;
use crate::cluster::{CState, Ev, Kind, PodId, ProbeKind, ProbeResult, ProbeWorker, World};
use crate::trace::What;

impl World {
    /// `probeManager.AddPod`: workers for regular containers and restartable init containers
    /// only; each probes right away and then every `periodSeconds`.
    pub(crate) fn add_probe_workers(&mut self, p: PodId) {
        if self.pods[p].worker.probes_added {
            return;
        }
        self.pods[p].worker.probes_added = true;
        for c in 0..self.pods[p].ctrs.len() {
            let ctr = &self.pods[p].ctrs[c];
            if ctr.kind == Kind::Init {
                continue;
            }
            let kinds: Vec<ProbeKind> = [
                (ProbeKind::Startup, ctr.spec.startup_probe.is_some()),
                (ProbeKind::Readiness, ctr.spec.readiness_probe.is_some()),
                (ProbeKind::Liveness, ctr.spec.liveness_probe.is_some()),
            ]
            .into_iter()
            .filter_map(|(k, has)| has.then_some(k))
            .collect();
            for kind in kinds {
                let gen = self.next_id();
                let w = self.pods[p].ctrs[c].probes.len();
                self.pods[p].ctrs[c].probes.push(ProbeWorker {
                    kind,
                    gen,
                    container_id: None,
                    result: initial(kind),
                    last_result: ProbeResult::Unknown,
                    run: 0,
                    on_hold: false,
                    stopped: false,
                    origin: self.now,
                    parked: false,
                });
                self.at(self.now, Ev::ProbeTick(p, c, w, gen));
            }
        }
    }

    /// A new container started: parked workers tick again on their own schedule.
    pub(crate) fn unpark_probes(&mut self, p: PodId, c: usize) {
        let now = self.now;
        let mut wake = Vec::new();
        for w in 0..self.pods[p].ctrs[c].probes.len() {
            let kind = self.pods[p].ctrs[c].probes[w].kind;
            let Some(period) = self.probe_spec(p, c, kind).map(|pr| pr.period_seconds.max(1) as u64 * 1000) else {
                continue;
            };
            let worker = &mut self.pods[p].ctrs[c].probes[w];
            if worker.parked && !worker.stopped {
                worker.parked = false;
                let elapsed = now.saturating_sub(worker.origin);
                let next = worker.origin + elapsed.div_ceil(period) * period;
                wake.push((w, worker.gen, next));
            }
        }
        for (w, gen, next) in wake {
            self.at(next, Ev::ProbeTick(p, c, w, gen));
        }
    }

    /// Stops workers: all of them when the pod is done, liveness and startup only when it
    /// starts terminating (`StopLivenessAndStartup`; readiness keeps running).
    pub(crate) fn stop_probes(&mut self, p: PodId, all: bool) {
        for ctr in &mut self.pods[p].ctrs {
            for w in &mut ctr.probes {
                if all || w.kind != ProbeKind::Readiness {
                    w.stopped = true;
                }
            }
        }
    }

    pub(crate) fn on_probe_tick(&mut self, p: PodId, c: usize, w: usize, gen: u64) {
        let Some(worker) = self.pods[p].ctrs[c].probes.get(w) else { return };
        if worker.gen != gen || worker.stopped {
            return;
        }
        let keep = self.do_probe(p, c, w);
        let kind = self.pods[p].ctrs[c].probes[w].kind;
        let Some(probe) = self.probe_spec(p, c, kind) else { return };
        let cur = self.pods[p].ctrs[c].cur.as_ref();
        let started = cur.is_some_and(|i| i.started && i.state == CState::Running);
        // Ticks that cannot probe anything until a new container starts are skipped: before
        // the container exists, and for a startup probe once it has started.
        if keep && (cur.is_none() || (kind == ProbeKind::Startup && started)) {
            self.pods[p].ctrs[c].probes[w].parked = true;
            return;
        }
        if keep {
            let period = probe.period_seconds.max(1) as u64 * 1000;
            self.at(self.now + period, Ev::ProbeTick(p, c, w, gen));
        } else {
            self.pods[p].ctrs[c].probes[w].stopped = true;
        }
    }

    fn probe_spec(&self, p: PodId, c: usize, kind: ProbeKind) -> Option<Probe> {
        let spec = &self.pods[p].ctrs[c].spec;
        match kind {
            ProbeKind::Startup => spec.startup_probe.clone(),
            ProbeKind::Readiness => spec.readiness_probe.clone(),
            ProbeKind::Liveness => spec.liveness_probe.clone(),
        }
    }

    /// `worker.doProbe`; returns whether the worker keeps running.
    fn do_probe(&mut self, p: PodId, c: usize, w: usize) -> bool {
        let now = self.now;
        if self.pods[p].phase.terminal() {
            return false;
        }
        let kind = self.pods[p].ctrs[c].probes[w].kind;
        let Some(probe) = self.probe_spec(p, c, kind) else { return false };
        let ctr = &self.pods[p].ctrs[c];
        let Some(inst) = ctr.cur.as_ref() else { return true };
        let (id, state, started_at, started) = (inst.id, inst.state, inst.started_at, inst.started);
        if state == CState::Created {
            // Not in the status yet: "Probe target container not found".
            return true;
        }
        let worker = &mut self.pods[p].ctrs[c].probes[w];
        if worker.container_id != Some(id) {
            worker.container_id = Some(id);
            worker.result = initial(kind);
            worker.on_hold = false;
        }
        if worker.on_hold {
            return true;
        }
        if state != CState::Running {
            self.set_result(p, c, w, ProbeResult::Failure, false);
            // "Abort if the container will not be restarted." Restartable init containers kept
            // being probed only from the fix of #132826 (cherry-picked to 1.34).
            let sidecar = self.pods[p].ctrs[c].kind == Kind::Sidecar;
            let never = self.pods[p].spec.restart_policy == RestartPolicy::Never;
            let will_restart = !never || (sidecar && self.v.at_least(34));
            return state != CState::Exited || will_restart;
        }
        let since = started_at.map_or(0, |s| (now - s) / 1000) as i64;
        if since < probe.initial_delay_seconds {
            return true;
        }
        if started != (kind != ProbeKind::Startup) {
            // Startup stops once started; the others wait until it is.
            return true;
        }
        let (result, output) = self.run_probe(p, c, &probe);
        let worker = &mut self.pods[p].ctrs[c].probes[w];
        if worker.last_result == result {
            worker.run += 1;
        } else {
            worker.last_result = result;
            worker.run = 1;
        }
        if result == ProbeResult::Failure {
            let (pod, name, attempt) = self.names(p, c);
            let what = match kind {
                ProbeKind::Startup => What::StartupProbeFailed,
                ProbeKind::Readiness => What::ReadinessProbeFailed,
                ProbeKind::Liveness => What::LivenessProbeFailed,
            };
            self.rec.happen(now, &pod, &name, what, attempt, Detail::because("kubelet: prober.probe", output.clone()));
            self.container_event(p, c, "Warning", "Unhealthy", format!("{} probe failed: {output}", kind.title()));
        }
        let worker = &self.pods[p].ctrs[c].probes[w];
        let below = (result == ProbeResult::Failure && worker.run < probe.failure_threshold)
            || (result == ProbeResult::Success && worker.run < probe.success_threshold);
        if below {
            return true;
        }
        self.set_result(p, c, w, result, true);
        if matches!(kind, ProbeKind::Liveness | ProbeKind::Startup) && result == ProbeResult::Failure {
            let worker = &mut self.pods[p].ctrs[c].probes[w];
            worker.on_hold = true;
            worker.run = 0;
        }
        true
    }

    /// `resultsManager.Set`: on a change the kubelet updates the status and syncs the pod.
    fn set_result(&mut self, p: PodId, c: usize, w: usize, result: ProbeResult, sync: bool) {
        let worker = &mut self.pods[p].ctrs[c].probes[w];
        if worker.result == result {
            return;
        }
        worker.result = result;
        self.update_probe_state(p, c);
        if sync {
            self.request_sync(p);
        }
    }

    /// Runs one probe against the container now: (result, failure output).
    fn run_probe(&mut self, p: PodId, c: usize, probe: &Probe) -> (ProbeResult, String) {
        let now = self.now;
        let ip = self.pods[p].ip.clone().unwrap_or_default();
        match &probe.handler {
            Handler::Exec { command } => {
                let net = self.pod_net(p);
                let Some(proc_) = self.pods[p].ctrs[c].cur.as_mut().and_then(|i| i.process.as_mut()) else {
                    return (ProbeResult::Failure, String::new());
                };
                let out = proc_.exec(command, now, &net);
                if out.duration > probe.timeout_seconds.max(1) as u64 * 1000 {
                    (ProbeResult::Failure, format!("command \"{}\" timed out", command.join(" ")))
                } else if out.exit_code == 0 {
                    (ProbeResult::Success, String::new())
                } else {
                    (ProbeResult::Failure, out.output.trim_end().to_string())
                }
            }
            Handler::HttpGet { port, path, host, scheme } => {
                let host = host.clone().unwrap_or(ip);
                let Some(n) = self.port_number(p, port) else {
                    return (ProbeResult::Failure, format!("unknown port {port:?}"));
                };
                let url = format!("{}://{host}:{n}{path}", scheme.to_ascii_lowercase());
                match self.http_probe(p, port, path) {
                    Ok(()) => (ProbeResult::Success, String::new()),
                    Err(Some(code)) => (ProbeResult::Failure, format!("HTTP probe failed with statuscode: {code}")),
                    Err(None) => (
                        ProbeResult::Failure,
                        format!("Get \"{url}\": dial tcp {host}:{n}: connect: connection refused"),
                    ),
                }
            }
            Handler::TcpSocket { port, host } => {
                let host = host.clone().unwrap_or(ip);
                match self.port_number(p, port) {
                    Some(n) if self.listening(p, n) => (ProbeResult::Success, String::new()),
                    Some(n) => (ProbeResult::Failure, format!("dial tcp {host}:{n}: connect: connection refused")),
                    None => (ProbeResult::Failure, format!("unknown port {port:?}")),
                }
            }
            Handler::Grpc { port, .. } => {
                if self.listening(p, *port as u16) {
                    (ProbeResult::Success, String::new())
                } else {
                    (
                        ProbeResult::Failure,
                        format!(
                            "timeout: failed to connect service \"{ip}:{port}\" within 1s: context deadline exceeded"
                        ),
                    )
                }
            }
            Handler::Sleep { .. } => (ProbeResult::Success, String::new()),
        }
    }

    /// `GET path` on a pod port: Ok for 2xx/3xx, Err(Some(code)) for other codes,
    /// Err(None) when nothing listens.
    pub(crate) fn http_probe(&self, p: PodId, port: &crate::api::Port, path: &str) -> Result<(), Option<u16>> {
        let n = self.port_number(p, port).ok_or(None)?;
        let owner = *self.pods[p].net.get(&n).ok_or(None)?;
        let proc_ = self.pods[p].ctrs[owner].cur.as_ref().and_then(|i| i.process.as_ref()).ok_or(None)?;
        let code = proc_.http_status(n, path);
        if (200..400).contains(&code) {
            Ok(())
        } else {
            Err(Some(code))
        }
    }

    /// Recomputes `started` and `ready` of the current instance (`UpdatePodStatus`) and
    /// records the changes.
    pub(crate) fn update_probe_state(&mut self, p: PodId, c: usize) {
        let now = self.now;
        let ctr = &self.pods[p].ctrs[c];
        if ctr.kind == Kind::Init {
            return;
        }
        let Some(inst) = ctr.cur.as_ref() else { return };
        let running = inst.state == CState::Running;
        let current = |kind: ProbeKind| {
            ctr.probes.iter().find(|w| w.kind == kind).map(|w| {
                if w.container_id == Some(inst.id) {
                    w.result
                } else {
                    initial(kind)
                }
            })
        };
        let started = running && current(ProbeKind::Startup).is_none_or(|r| r == ProbeResult::Success);
        let ready = started && current(ProbeKind::Readiness).is_none_or(|r| r == ProbeResult::Success);
        let (was_started, was_ready, attempt) = (inst.started, inst.ready, inst.attempt);
        let (pod, name) = (self.pods[p].meta.name.clone(), ctr.name.clone());
        if let Some(inst) = self.pods[p].ctrs[c].cur.as_mut() {
            inst.started = started;
            inst.ready = ready;
        }
        if started && !was_started {
            self.rec.happen(now, &pod, &name, What::StartupComplete, attempt, Detail::default());
        }
        if ready != was_ready {
            let what = if ready { What::Ready } else { What::NotReady };
            self.rec.happen(now, &pod, &name, what, attempt, Detail::default());
        }
        if started != was_started || ready != was_ready {
            self.dirty(p);
        }
    }
}

/// The cached result before a probe ran: readiness fails, liveness passes, startup unknown.
fn initial(kind: ProbeKind) -> ProbeResult {
    match kind {
        ProbeKind::Readiness => ProbeResult::Failure,
        ProbeKind::Liveness => ProbeResult::Success,
        ProbeKind::Startup => ProbeResult::Unknown,
    }
}
