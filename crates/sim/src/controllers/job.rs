//! The Job controller (`pkg/controller/job/job_controller.go`): creates pods up to
//! parallelism, counts finished pods, applies the pod-failure back-off and backoffLimit,
//! and sets the Complete / Failed conditions.

use serde_json::{json, Map, Value};

use crate::api::{Object, RestartPolicy};
use crate::cluster::record::EventSpec;
use crate::cluster::{CState, Ev, JobRt, OwnerRef, Phase, PodId, World};
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
                self.jobs[j].conditions.push(("Failed", reason, message, now));
                self.jobs[j].finished = true;
            }
            self.publish_job(j);
            return;
        }
        let pods: Vec<PodId> = self.jobs[j].pods.clone();
        let mut new_failures: Vec<Millis> = Vec::new();
        let mut new_success = false;
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
                self.jobs[j].failed += 1;
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
        let failure = if exceeds {
            Some(("BackoffLimitExceeded", "Job has reached the specified backoff limit"))
        } else if past_deadline {
            Some(("DeadlineExceeded", "Job was active longer than specified deadline"))
        } else {
            None
        };
        if let Some((reason, message)) = failure {
            for &p in &active {
                self.delete_pod(p, None);
                self.job_event(j, "Normal", "SuccessfulDelete", format!("Deleted pod: {}", self.pods[p].meta.name));
            }
            self.job_event(j, "Warning", reason, message.into());
            if self.v.at_least(31) {
                self.jobs[j].conditions.push(("FailureTarget", reason.into(), message.into(), now));
                self.jobs[j].failure_target = Some((reason.into(), message.into()));
                self.publish_job(j);
                self.enqueue_job(j);
                return;
            }
            self.jobs[j].conditions.push(("Failed", reason.into(), message.into(), now));
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
