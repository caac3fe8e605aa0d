//! The Job controller (`pkg/controller/job/job_controller.go`): creates pods up to
//! parallelism, counts finished pods, applies the pod-failure back-off and backoffLimit,
//! applies the podFailurePolicy, and sets the Complete / Failed conditions.

use serde_json::{json, Map, Value};

use crate::api::{Object, OnExitCodes, OnPodCondition, PodFailurePolicy, RestartPolicy};
use crate::cluster::record::EventSpec;
use crate::cluster::{CState, Ctr, Ev, JobRt, Kind, OwnerRef, Phase, PodId, PodRt, World};
use crate::settings::KubeVersion;
use crate::trace::Millis;

/// `syncJobBatchPeriod`: pod events reach the Job after this batching delay.
const BATCH_MS: Millis = 1_000;
/// `DefaultJobPodFailureBackOff` and `MaxJobPodFailureBackOff` (1.28+; 6 min before).
const POD_FAILURE_BACKOFF_MS: Millis = 10_000;

impl World {
    pub(crate) fn create_job(&mut self, mut obj: Object, spec: crate::api::JobSpec) {
        let uid = self.rng.uid();
        // The API server stamps the uid, the generated selector and the template labels.
        crate::manifest::assign_job_uid(&mut obj, &uid, self.v);
        let spec = match &obj.spec {
            crate::api::Spec::Job(js) => js.clone(),
            _ => spec,
        };
        let generated = crate::manifest::job_generated_labels(self.v, &obj.metadata.name, &uid);
        let mut meta = obj.metadata.clone();
        for (k, v) in &generated {
            meta.labels.entry(k.clone()).or_insert_with(|| v.clone());
        }
        let j = self.jobs.len();
        self.jobs.push(JobRt {
            meta,
            uid,
            spec,
            json: obj.json,
            created: self.now,
            start_time: None,
            completion_time: None,
            succeeded: 0,
            failed: 0,
            counted: Default::default(),
            pods: Vec::new(),
            conditions: Vec::new(),
            finished: false,
            failures_after_success: 0,
            last_failure: None,
            sync_scheduled: false,
            last_json: None,
            selector_labels: generated,
            failure_target: None,
        });
        self.publish_job(j);
        self.jobs[j].sync_scheduled = true;
        self.after(2, Ev::JobSync(j));
    }

    pub(crate) fn enqueue_job(&mut self, j: usize) {
        if !self.jobs[j].sync_scheduled {
            self.jobs[j].sync_scheduled = true;
            self.after(BATCH_MS, Ev::JobSync(j));
        }
    }

    /// `syncJob`.
    pub(crate) fn sync_job(&mut self, j: usize) {
        self.jobs[j].sync_scheduled = false;
        if self.jobs[j].finished {
            return;
        }
        let now = self.now;
        if self.jobs[j].start_time.is_none() {
            self.jobs[j].start_time = Some(now);
            // The controller requeues the Job for its active deadline.
            if let Some(d) = self.jobs[j].spec.active_deadline_seconds {
                self.at(now + d.max(0) as u64 * 1000, Ev::JobSync(j));
            }
        }
        if let Some((reason, message)) = self.jobs[j].failure_target.clone() {
            // 1.31+: the terminal Failed condition waits until no pod is terminating.
            let terminating = self.jobs[j].pods.iter().any(|&p| {
                let pod = &self.pods[p];
                !pod.gone && pod.deletion.is_some() && pod.ctrs.iter().any(|c| c.running())
            });
            if !terminating {
                // recordJobFinished runs when the Failed condition is written.
                self.job_event(j, "Warning", &reason, message.clone());
                self.jobs[j].conditions.push(("Failed", reason, message, now));
                self.jobs[j].finished = true;
            }
            self.publish_job(j);
            return;
        }
        let pods: Vec<PodId> = self.jobs[j].pods.clone();
        let mut new_failures: Vec<Millis> = Vec::new();
        let mut new_success = false;
        // getFailJobMessage: the first failed pod (in pod order) that matched a FailJob rule.
        let mut fail_job: Option<String> = None;
        for &p in &pods {
            let pod = &self.pods[p];
            if !pod.phase.terminal() || self.jobs[j].counted.contains(&p) {
                continue;
            }
            self.jobs[j].counted.insert(p);
            if pod.phase == Phase::Succeeded {
                self.jobs[j].succeeded += 1;
                new_success = true;
            } else {
                // job controller: nonIgnoredFailedPodsCount — a pod matching an Ignore rule is
                // not counted in status.failed (so not toward backoffLimit)…
                let matched = match_pod_failure_policy(self.jobs[j].spec.pod_failure_policy.as_ref(), pod, self.v);
                if matched.count_failed {
                    self.jobs[j].failed += 1;
                }
                if fail_job.is_none() {
                    fail_job = matched.fail_job_message;
                }
                // …but newBackoffRecord takes every new failed pod: an ignored failure still
                // delays the replacement pod.
                new_failures.push(finish_time(&self.pods[p]));
            }
        }
        // backoff_utils.go newBackoffRecord: a success resets the count.
        if new_success {
            self.jobs[j].failures_after_success = 0;
            self.jobs[j].last_failure = None;
        }
        if !new_failures.is_empty() {
            self.jobs[j].failures_after_success += new_failures.len() as u32;
            self.jobs[j].last_failure = new_failures.iter().max().copied();
        }
        let active: Vec<PodId> = pods.iter().copied().filter(|&p| self.pods[p].active()).collect();
        let job = &self.jobs[j];
        let spec = &job.spec;
        let exceeds = match spec.template.spec.restart_policy {
            RestartPolicy::OnFailure => {
                let restarts: i64 = active
                    .iter()
                    .flat_map(|&p| self.pods[p].ctrs.iter())
                    .map(|c| i64::from(c.cur.as_ref().map_or(0, |i| i.attempt)))
                    .sum();
                if spec.backoff_limit == 0 {
                    restarts > 0
                } else {
                    restarts >= spec.backoff_limit
                }
            }
            _ => job.failed > spec.backoff_limit,
        };
        let past_deadline = spec
            .active_deadline_seconds
            .is_some_and(|d| job.start_time.is_some_and(|s| now.saturating_sub(s) >= d.max(0) as u64 * 1000));
        // syncJob: a FailJob match is checked first, then backoffLimit, then the deadline.
        let from_policy = fail_job.is_some();
        let failure: Option<(&str, String)> = if let Some(message) = fail_job {
            Some(("PodFailurePolicy", message))
        } else if exceeds {
            Some(("BackoffLimitExceeded", "Job has reached the specified backoff limit".into()))
        } else if past_deadline {
            Some(("DeadlineExceeded", "Job was active longer than specified deadline".into()))
        } else {
            None
        };
        if let Some((reason, message)) = failure {
            for &p in &active {
                self.delete_pod(p, None);
                self.job_event(j, "Normal", "SuccessfulDelete", format!("Deleted pod: {}", self.pods[p].meta.name));
            }
            // trackJobStatusAndRemoveFinalizers: a FailJob match always records the interim
            // FailureTarget first (1.26+); 1.31+ (delayTerminalCondition) does so for every
            // failure and adds Failed only once no pod is terminating (enactJobFinished).
            if from_policy || self.v.at_least(31) {
                self.jobs[j].conditions.push(("FailureTarget", reason.into(), message.clone(), now));
            }
            // enactJobFinished (1.31+): the pods just deleted, and any already being deleted,
            // are terminating; with none, Failed follows in this same sync.
            let already_terminating = pods.iter().any(|&p| {
                let pod = &self.pods[p];
                !pod.gone && pod.deletion.is_some() && !pod.phase.terminal()
            });
            if self.v.at_least(31) && (!active.is_empty() || already_terminating) {
                self.jobs[j].failure_target = Some((reason.into(), message));
                self.publish_job(j);
                self.enqueue_job(j);
                return;
            }
            // recordJobFinished: the Warning event carries the Failed condition's reason/message.
            self.job_event(j, "Warning", reason, message.clone());
            self.jobs[j].conditions.push(("Failed", reason.into(), message, now));
            self.jobs[j].finished = true;
            self.publish_job(j);
            return;
        }
        let completions = spec.completions;
        let succeeded = job.succeeded;
        let complete = match completions {
            Some(c) => succeeded >= c && active.is_empty(),
            None => succeeded > 0 && active.is_empty(),
        };
        if complete {
            let (reason, message) = if self.v.at_least(31) {
                ("CompletionsReached", "Reached expected number of succeeded pods")
            } else {
                ("", "")
            };
            if self.v.at_least(31) {
                self.jobs[j].conditions.push(("SuccessCriteriaMet", reason.into(), message.into(), now));
            }
            self.jobs[j].conditions.push(("Complete", reason.into(), message.into(), now));
            self.jobs[j].completion_time = Some(now);
            self.jobs[j].finished = true;
            self.job_event(j, "Normal", "Completed", "Job completed".into());
            self.publish_job(j);
            return;
        }
        // manageJob
        let want = match completions {
            Some(c) => (c - succeeded).min(spec.parallelism).max(0),
            None if succeeded > 0 => 0,
            None => spec.parallelism.max(0),
        };
        let missing = want - active.len() as i64;
        if missing > 0 {
            let remaining = self.job_backoff_remaining(j);
            if remaining > 0 {
                self.jobs[j].sync_scheduled = true;
                self.after(remaining, Ev::JobSync(j));
            } else {
                for _ in 0..missing.min(500) {
                    self.create_job_pod(j);
                }
            }
        }
        self.publish_job(j);
    }

    /// `getRemainingTimeForFailuresCount`: 10 s doubling per failure since the last success.
    fn job_backoff_remaining(&self, j: usize) -> Millis {
        let job = &self.jobs[j];
        let n = job.failures_after_success;
        if n == 0 {
            return 0;
        }
        let max: Millis = if self.v.at_least(28) { 600_000 } else { 360_000 };
        let mut backoff = POD_FAILURE_BACKOFF_MS;
        for _ in 1..n {
            backoff = (backoff * 2).min(max);
        }
        let elapsed = job.last_failure.map_or(0, |t| self.now.saturating_sub(t));
        backoff.saturating_sub(elapsed)
    }

    fn create_job_pod(&mut self, j: usize) {
        let job = &self.jobs[j];
        let mut labels = job.spec.template.metadata.labels.clone();
        for (k, v) in &job.selector_labels {
            labels.insert(k.clone(), v.clone());
        }
        let owner =
            OwnerRef { kind: "Job", api_version: "batch/v1", name: job.meta.name.clone(), uid: job.uid.clone() };
        let template = job.spec.template.clone();
        let ns = job.meta.namespace.clone();
        let generate = format!("{}-", job.meta.name);
        if let Some(p) = self.pod_from_template(&template, generate, &ns, labels, owner, None) {
            self.jobs[j].pods.push(p);
            let name = self.pods[p].meta.name.clone();
            self.job_event(j, "Normal", "SuccessfulCreate", format!("Created pod: {name}"));
        }
    }

    fn job_event(&mut self, j: usize, type_: &'static str, reason: &str, message: String) {
        let job = &self.jobs[j];
        let (name, ns) = (job.meta.name.clone(), job.meta.namespace.clone());
        self.rec.event(
            self.now,
            EventSpec {
                type_,
                reason,
                kind: "Job",
                name: &name,
                namespace: &ns,
                source: "job-controller",
                host: None,
                field_path: None,
                message,
            },
        );
    }

    pub(crate) fn publish_job(&mut self, j: usize) {
        let json = self.job_json(j);
        let job = &mut self.jobs[j];
        let (ns, name) = (job.meta.namespace.clone(), job.meta.name.clone());
        let mut last = job.last_json.take();
        self.rec.revision(self.now, "Job", &ns, &name, &mut last, Some(json));
        self.jobs[j].last_json = last;
    }

    fn job_json(&self, j: usize) -> Value {
        let job = &self.jobs[j];
        let mut obj = job.json.clone();
        let meta = json!({
            "name": job.meta.name,
            "namespace": job.meta.namespace,
            "uid": job.uid,
            "creationTimestamp": World::timestamp(job.created),
            "labels": job.meta.labels,
            "generation": 1,
        });
        if let Some(o) = obj.as_object_mut() {
            let mut m = meta.as_object().cloned().unwrap_or_default();
            if !job.meta.annotations.is_empty() {
                m.insert("annotations".into(), json!(job.meta.annotations));
            }
            o.insert("metadata".into(), Value::Object(m));
        }
        let active = job.pods.iter().filter(|&&p| self.pods[p].active()).count();
        let ready = job.pods.iter().filter(|&&p| self.pods[p].active() && self.pod_ready(p)).count();
        let terminating = job
            .pods
            .iter()
            .filter(|&&p| !self.pods[p].gone && self.pods[p].deletion.is_some() && !self.pods[p].phase.terminal())
            .count();
        let mut st = Map::new();
        if let Some(t) = job.start_time {
            st.insert("startTime".into(), json!(World::timestamp(t)));
        }
        if active > 0 {
            st.insert("active".into(), json!(active));
        }
        if job.succeeded > 0 {
            st.insert("succeeded".into(), json!(job.succeeded));
        }
        if job.failed > 0 {
            st.insert("failed".into(), json!(job.failed));
        }
        st.insert("ready".into(), json!(ready));
        if self.v.at_least(29) {
            st.insert("terminating".into(), json!(terminating));
        }
        st.insert("uncountedTerminatedPods".into(), json!({}));
        if !job.conditions.is_empty() {
            let conds: Vec<Value> = job
                .conditions
                .iter()
                .map(|(t, reason, message, at)| {
                    let mut c = Map::new();
                    c.insert("type".into(), json!(t));
                    c.insert("status".into(), json!("True"));
                    c.insert("lastProbeTime".into(), json!(World::timestamp(*at)));
                    c.insert("lastTransitionTime".into(), json!(World::timestamp(*at)));
                    if !reason.is_empty() {
                        c.insert("reason".into(), json!(reason));
                        c.insert("message".into(), json!(message));
                    }
                    Value::Object(c)
                })
                .collect();
            st.insert("conditions".into(), Value::Array(conds));
        }
        if let Some(t) = job.completion_time {
            st.insert("completionTime".into(), json!(World::timestamp(t)));
        }
        if let Some(o) = obj.as_object_mut() {
            o.insert("status".into(), Value::Object(st));
        }
        obj
    }
}

/// `getFinishedTime`: the latest finishedAt of the pod's containers.
fn finish_time(pod: &crate::cluster::PodRt) -> Millis {
    pod.ctrs
        .iter()
        .filter_map(|c| c.cur.as_ref())
        .filter(|i| i.state == CState::Exited)
        .filter_map(|i| i.finished_at)
        .max()
        .unwrap_or(pod.created)
}

/// What `matchPodFailurePolicy` decided for one failed pod.
struct PolicyMatch {
    /// Set when a FailJob rule matched: the Job's failure message.
    fail_job_message: Option<String>,
    /// False only for an Ignore match: the failure is not counted.
    count_failed: bool,
}

/// job controller: `matchPodFailurePolicy` — the first rule (in order) whose requirement the
/// failed pod meets decides; no match counts the failure as usual. Only called for pods in
/// phase Failed (`isPodFailed` with a policy: the phase alone).
fn match_pod_failure_policy(policy: Option<&PodFailurePolicy>, pod: &PodRt, v: KubeVersion) -> PolicyMatch {
    let counted = PolicyMatch { fail_job_message: None, count_failed: true };
    let Some(policy) = policy else { return counted };
    let ns_name = pod.namespaced();
    for (index, rule) in policy.rules.iter().enumerate() {
        let matched: Option<String> = if let Some(req) = &rule.on_exit_codes {
            match_on_exit_codes(pod, req).map(|(name, code)| {
                format!(
                    "Container {name} for pod {ns_name} failed with exit code {code} matching {} rule at index {index}",
                    rule.action
                )
            })
        } else if !rule.on_pod_conditions.is_empty() {
            match_on_pod_conditions(pod, &rule.on_pod_conditions, v)
                .map(|ty| format!("Pod {ns_name} has condition {ty} matching {} rule at index {index}", rule.action))
        } else {
            None
        };
        let Some(message) = matched else { continue };
        match rule.action.as_str() {
            "Ignore" => return PolicyMatch { fail_job_message: None, count_failed: false },
            "Count" => return counted,
            "FailJob" => return PolicyMatch { fail_job_message: Some(message), count_failed: true },
            // FailIndex (only with backoffLimitPerIndex, so only on Indexed Jobs) counts the
            // failure and fails the pod's index; podsim runs Indexed Jobs without indexes, so
            // only the counting is modelled. With JobBackoffLimitPerIndex off (before 1.29) the
            // Go switch matches nothing and the next rule is tried.
            "FailIndex" if v.at_least(29) => return counted,
            _ => {}
        }
    }
    counted
}

/// `state.terminated` of a container as the pod status shows it (status.rs
/// `container_status_json`): an exited run that is not waiting to restart.
fn terminated_exit_code(c: &Ctr) -> Option<i64> {
    let i = c.cur.as_ref()?;
    (i.state == CState::Exited && c.waiting.is_none()).then(|| i64::from(i.exit_code.unwrap_or(0)))
}

/// `matchOnExitCodes`: `containerStatuses` first, then `initContainerStatuses` — sidecars
/// (restartable init containers) included in every version: upstream has no exclusion, so a
/// sidecar's 143/137 after it is stopped can match a rule without `containerName`.
fn match_on_exit_codes<'a>(pod: &'a PodRt, req: &OnExitCodes) -> Option<(&'a str, i64)> {
    // The kubelet sorts containerStatuses by name (SortedContainerStatuses); init container
    // statuses keep the spec order.
    let mut regular: Vec<&Ctr> = pod.ctrs.iter().filter(|c| c.kind == Kind::Regular).collect();
    regular.sort_by(|a, b| a.name.cmp(&b.name));
    let init = pod.ctrs.iter().filter(|c| c.kind.is_init_list());
    // getMatchingContainerFromList
    regular.into_iter().chain(init).find_map(|c| {
        let code = terminated_exit_code(c)?;
        let named = req.container_name.as_deref().is_none_or(|n| n == c.name);
        // Exit code 0 never matches, whatever the operator.
        (named && code != 0 && exit_code_operator_matches(code, req)).then_some((c.name.as_str(), code))
    })
}

/// `isOnExitCodesOperatorMatching`.
fn exit_code_operator_matches(code: i64, req: &OnExitCodes) -> bool {
    match req.operator.as_str() {
        "In" => req.values.contains(&code),
        "NotIn" => !req.values.contains(&code),
        _ => false,
    }
}

/// `matchOnPodConditions`: the pod's conditions in status order, each against every pattern.
/// The engine's pods only carry PodReadyToStartContainers (1.29+), Initialized, Ready,
/// ContainersReady and PodScheduled, always True/False: it never adds DisruptionTarget
/// (preemption, eviction, taint-based deletion or PodGC are not simulated), so such rules
/// never match.
fn match_on_pod_conditions(pod: &PodRt, patterns: &[OnPodCondition], v: KubeVersion) -> Option<String> {
    // The order status.rs writes them in.
    let order: &[&str] = if v.at_least(29) {
        &["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"]
    } else {
        &["Initialized", "Ready", "ContainersReady"]
    };
    let mut conditions: Vec<(&str, &str)> = order
        .iter()
        .filter_map(|ty| pod.conditions.entries.get(ty).map(|c| (*ty, if c.0 { "True" } else { "False" })))
        .collect();
    if pod.scheduled_at.is_some() {
        conditions.push(("PodScheduled", "True"));
    }
    conditions
        .into_iter()
        .find(|(ty, status)| patterns.iter().any(|p| p.type_ == *ty && p.status == *status))
        .map(|(ty, _)| ty.to_string())
}
