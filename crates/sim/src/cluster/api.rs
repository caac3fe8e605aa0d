//! The API server's part: creating and deleting objects, the timed actions users give
//! (`kubectl delete pod`, `scale`, `set image`, `rollout restart`, `node reboot`), and
//! publishing object revisions after each step.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::api::{Container, ObjectMeta, PodSpec};
use crate::cluster::{Ctr, Deletion, Ev, Kind, OwnerRef, Phase, PodId, PodRt, World};
use crate::diag::{Diagnostic, Severity};
use crate::manifest::AdmittedSpec;
use crate::process::Behavior;

/// A stable hash of a container spec (the kubelet's `HashContainer`), to notice changes.
pub fn spec_hash(c: &Container) -> u64 {
    crate::names::fingerprint(c)
}

impl World {
    /// Creates a Pod in the API (after admission plugins) and hands it to the scheduler.
    pub(crate) fn create_pod(
        &mut self,
        mut meta: ObjectMeta,
        spec: PodSpec,
        spec_json: Option<&Value>,
        owner: Option<OwnerRef>,
        template_hash: Option<String>,
    ) -> Option<PodId> {
        if self.pods.iter().filter(|p| !p.gone).count() >= super::MAX_PODS {
            if !self.diagnostics.iter().any(|d| d.message.contains("pod budget")) {
                self.diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    format!("podsim stopped creating pods at its pod budget of {} (reduce replicas)", super::MAX_PODS),
                ));
            }
            return None;
        }
        if meta.name.is_empty() {
            let base = meta.generate_name.clone().unwrap_or_default();
            let base: String = base.chars().take(58).collect();
            meta.name = format!("{base}{}", self.rng.suffix(5));
        }
        if self.pod_by_name(&meta.namespace, &meta.name).is_some() {
            self.diagnostics.push(Diagnostic::new(
                Severity::Error,
                format!("Error from server (AlreadyExists): pods \"{}\" already exists", meta.name),
            ));
            return None;
        }
        let uid = self.rng.uid();
        let token_suffix = self.rng.suffix(5);
        let spec_json = self.admit_spec(spec_json);
        let mut ctrs = Vec::new();
        for (i, c) in spec.init_containers.iter().enumerate() {
            let kind = if c.is_restartable() { Kind::Sidecar } else { Kind::Init };
            ctrs.push(self.new_ctr(c, kind, i, &meta.annotations));
        }
        for (i, c) in spec.containers.iter().enumerate() {
            ctrs.push(self.new_ctr(c, Kind::Regular, i, &meta.annotations));
        }
        let p = self.pods.len();
        self.pod_names.insert((meta.namespace.clone(), meta.name.clone()), p);
        self.pods.push(PodRt {
            n_init: spec.init_containers.len(),
            meta,
            uid,
            owner,
            spec,
            spec_json,
            token_suffix,
            created: self.now,
            node: None,
            scheduled_at: None,
            ip: None,
            start_time: None,
            deletion: None,
            gone: false,
            ctrs,
            worker: Default::default(),
            sandbox: None,
            net: BTreeMap::new(),
            phase: Phase::Pending,
            rejected: None,
            conditions: Default::default(),
            template_hash,
            owner_saw: None,
            tallied_by: None,
            published_key: None,
            ready_since: None,
            fixed: std::cell::OnceCell::new(),
            conditions_view: std::cell::OnceCell::new(),
        });
        self.dirty(p);
        self.after(5, Ev::Schedule(p));
        Some(p)
    }

    /// `kubectl delete pod`: graceful deletion sets the deletion timestamp; the kubelet stops
    /// the containers and then removes the pod.
    pub(crate) fn delete_pod(&mut self, p: PodId, grace: Option<i64>) {
        if self.pods[p].gone || self.pods[p].deletion.is_some() {
            return;
        }
        // CheckGracefulDelete: a pod that already finished (or never ran on a node) goes at once.
        let finished = self.pods[p].phase.terminal() || self.pods[p].node.is_none();
        let grace =
            if finished { 0 } else { grace.unwrap_or(self.pods[p].spec.termination_grace_period_seconds).max(0) };
        let before = self.pods[p].tally_part();
        self.pods[p].deletion = Some(Deletion { at: self.now, grace });
        self.retally(p, before);
        self.dirty(p);
        self.notify_owner(p);
        let pod = &self.pods[p];
        if pod.node.is_none() || pod.phase.terminal() || pod.worker.terminated {
            if pod.meta.finalizers.is_empty() {
                self.after(0, Ev::PodGone(p));
            }
            return;
        }
        // The pod worker cancels the sync in flight; the terminating sync then waits for
        // the next PLEG relist like any other (`podCache.GetNewerThan`).
        if self.pods[p].worker.run.take().is_some() {
            self.pods[p].worker.last_sync_end = Some(self.now);
        }
        self.pods[p].worker.admitted = true;
        self.request_sync(p);
    }

    pub(crate) fn remove_pod(&mut self, p: PodId) {
        if self.pods[p].gone {
            return;
        }
        self.publish_pod(p);
        let before = self.pods[p].tally_part();
        self.pods[p].gone = true;
        self.retally(p, before);
        let pod = &self.pods[p];
        let (ns, name) = (pod.meta.namespace.clone(), pod.meta.name.clone());
        self.pod_names.remove(&(ns.clone(), name.clone()));
        self.rec.deleted(self.now, "Pod", &ns, &name);
        self.notify_owner(p);
    }

    /// Wakes the controller that owns this pod.
    pub(crate) fn notify_owner(&mut self, p: PodId) {
        let Some(owner) = self.pods[p].owner.clone() else { return };
        match owner.kind {
            "Job" => {
                if let Some(j) = self.jobs.iter().position(|j| j.uid == owner.uid) {
                    self.enqueue_job(j);
                }
            }
            "ReplicaSet" => {
                if let Some(r) = self.rss.iter().position(|r| r.uid == owner.uid) {
                    self.enqueue_rs(r);
                }
            }
            _ => {}
        }
    }

    pub(crate) fn publish_dirty(&mut self) {
        while let Some(p) = self.dirty_pods.pop_first() {
            let before = self.pods[p].published_key;
            self.publish_pod(p);
            // Controllers sync on pod updates. The ReplicaSet's decisions only read phase and
            // readiness; the Job's also read restart counts (pastBackoffLimitOnFailure).
            let seen = Some((self.pods[p].phase, self.pod_ready(p)));
            let job_owned = self.pods[p].owner.as_ref().is_some_and(|o| o.kind == "Job");
            let updated = before != self.pods[p].published_key;
            if self.pods[p].owner_saw != seen || (job_owned && updated) {
                self.pods[p].owner_saw = seen;
                self.notify_owner(p);
            }
        }
    }

    pub(crate) fn pod_ready(&self, p: PodId) -> bool {
        self.pods[p].ready_since.is_some()
    }

    pub(crate) fn run_action(&mut self, i: usize) {
        let Some(action) = self.actions.get(i).cloned() else { return };
        match crate::actions::parse(&action.command) {
            Ok(cmd) => self.perform(cmd),
            Err(e) => self
                .diagnostics
                .push(Diagnostic::new(Severity::Error, format!("action at {}: {e}", crate::trace::secs(action.at)))),
        }
    }

    fn perform(&mut self, cmd: crate::actions::Command) {
        use crate::actions::Command;
        let ns = "default".to_string();
        let missing = |w: &mut World, kind: &str, name: &str| {
            w.diagnostics.push(Diagnostic::new(
                Severity::Error,
                format!("Error from server (NotFound): {kind} \"{name}\" not found"),
            ));
        };
        match cmd {
            Command::DeletePod { name, grace } => match self.pod_by_name(&ns, &name) {
                Some(p) => self.delete_pod(p, grace),
                None => missing(self, "pods", &name),
            },
            Command::NodeReboot => self.node_reboot(),
            Command::Scale { kind, name, replicas } => match kind.as_str() {
                "deployment" => match self.deploys.iter().position(|d| d.meta.name == name) {
                    Some(d) => {
                        self.deploys[d].spec.replicas = replicas;
                        self.deploys[d].generation += 1;
                        self.enqueue_deployment(d);
                    }
                    None => missing(self, "deployments.apps", &name),
                },
                "job" => match self.jobs.iter().position(|j| j.meta.name == name) {
                    Some(j) => {
                        self.jobs[j].spec.parallelism = replicas;
                        self.enqueue_job(j);
                    }
                    None => missing(self, "jobs.batch", &name),
                },
                _ => missing(self, &kind, &name),
            },
            Command::SetImage { kind, name, images } => match kind.as_str() {
                "pod" => match self.pod_by_name(&ns, &name) {
                    Some(p) => self.set_pod_images(p, &images),
                    None => missing(self, "pods", &name),
                },
                "deployment" => match self.deploys.iter().position(|d| d.meta.name == name) {
                    Some(d) => self.set_deployment_images(d, &images),
                    None => missing(self, "deployments.apps", &name),
                },
                _ => missing(self, &kind, &name),
            },
            Command::RolloutRestart { name } => match self.deploys.iter().position(|d| d.meta.name == name) {
                Some(d) => self.rollout_restart(d),
                None => missing(self, "deployments.apps", &name),
            },
        }
    }

    /// A pod update that changes container images: the kubelet restarts changed containers
    /// (`Container X definition changed`), regardless of the restart policy.
    fn set_pod_images(&mut self, p: PodId, images: &[(String, String)]) {
        let mut changed = false;
        for (name, image) in images {
            let Some(c) = self.pods[p].ctrs.iter().position(|c| &c.name == name) else {
                self.diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    format!("error: unable to find container named \"{name}\""),
                ));
                continue;
            };
            let pod = &mut self.pods[p];
            let ctr = &mut pod.ctrs[c];
            ctr.spec.image = image.clone();
            ctr.spec_hash = spec_hash(&ctr.spec);
            ctr.behavior = Arc::new(Behavior::infer(&ctr.spec, &pod.meta.annotations).with_epoch(World::EPOCH));
            let (list, index) = if ctr.kind.is_init_list() {
                ("initContainers", ctr.spec_index)
            } else {
                ("containers", ctr.spec_index)
            };
            if let Some(entry) = Arc::make_mut(&mut pod.spec_json).json.get_mut(list).and_then(|l| l.get_mut(index)) {
                entry["image"] = json!(image);
            }
            let spec_list = if list == "containers" { &mut pod.spec.containers } else { &mut pod.spec.init_containers };
            if let Some(sc) = spec_list.get_mut(index) {
                sc.image = image.clone();
            }
            changed = true;
        }
        if changed {
            self.dirty(p);
            self.request_sync(p);
        }
    }

    /// Admission plugins (service account, default tolerations, priority) on a pod spec. Pods
    /// stamped from one template in a row share the result.
    fn admit_spec(&mut self, spec_json: Option<&Value>) -> Arc<AdmittedSpec> {
        if let Some((input, admitted)) = &self.last_admitted {
            if input.as_ref() == spec_json {
                return admitted.clone();
            }
        }
        let admitted = Arc::new(AdmittedSpec::new(spec_json.cloned().unwrap_or_else(|| json!({})), self.v));
        self.last_admitted = Some((spec_json.cloned(), admitted.clone()));
        admitted
    }

    /// A container of a new pod, with its inferred behaviour: pods stamped from one template
    /// share it.
    fn new_ctr(&mut self, c: &Container, kind: Kind, spec_index: usize, annotations: &BTreeMap<String, String>) -> Ctr {
        let spec_hash = spec_hash(c);
        let key = crate::names::fingerprint(&(spec_hash, annotations));
        let behavior = self
            .behaviors
            .entry(key)
            .or_insert_with(|| Arc::new(Behavior::infer(c, annotations).with_epoch(World::EPOCH)))
            .clone();
        Ctr {
            name: c.name.clone(),
            kind,
            spec_index,
            spec: c.clone(),
            spec_hash,
            behavior,
            instances: 0,
            cur: None,
            prev: None,
            probes: Vec::new(),
            waiting: None,
            backoff: BTreeMap::new(),
            image_backoff: None,
            wait: None,
            view_cache: std::cell::RefCell::new(None),
        }
    }

    /// Pod templates of controllers stamp out pods through here.
    pub(crate) fn pod_from_template(
        &mut self,
        template: &crate::api::PodTemplate,
        generate_name: String,
        namespace: &str,
        labels: BTreeMap<String, String>,
        owner: OwnerRef,
        template_hash: Option<String>,
    ) -> Option<PodId> {
        let meta = ObjectMeta {
            name: String::new(),
            generate_name: Some(generate_name),
            namespace: namespace.to_string(),
            labels,
            annotations: template.metadata.annotations.clone(),
            finalizers: Vec::new(),
        };
        self.create_pod(meta, template.spec.clone(), template.json.get("spec"), Some(owner), template_hash)
    }
}
