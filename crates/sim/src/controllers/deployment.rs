//! The Deployment controller (`pkg/controller/deployment`): one ReplicaSet per pod
//! template (named by its pod-template-hash), rolling updates within maxSurge /
//! maxUnavailable (`rolling.go`), Recreate, and the Available / Progressing conditions.

use serde_json::{json, Map, Value};

use crate::api::{IntOrPercent, Object};
use crate::cluster::record::EventSpec;
use crate::cluster::{DeployRt, Ev, OwnerRef, RsRt, World};
use crate::names::pod_template_hash;

impl World {
    pub(crate) fn create_deployment(&mut self, obj: Object, spec: crate::api::DeploymentSpec) {
        let uid = self.rng.uid();
        let d = self.deploys.len();
        self.deploys.push(DeployRt {
            meta: obj.metadata.clone(),
            uid,
            spec,
            json: obj.json,
            created: self.now,
            generation: 1,
            rs: Vec::new(),
            conditions: Vec::new(),
            sync_scheduled: false,
            base_json: None,
            published_key: None,
            progress: None,
            deadline_check: None,
            template_hash: None,
        });
        self.publish_deployment(d);
        self.enqueue_deployment(d);
    }

    pub(crate) fn enqueue_deployment(&mut self, d: usize) {
        if !self.deploys[d].sync_scheduled {
            self.deploys[d].sync_scheduled = true;
            self.after(10, Ev::DeploySync(d));
        }
    }

    pub(crate) fn set_deployment_images(&mut self, d: usize, images: &[(String, String)]) {
        let dep = &mut self.deploys[d];
        for (name, image) in images {
            for (list, ctrs) in [
                ("initContainers", &mut dep.spec.template.spec.init_containers),
                ("containers", &mut dep.spec.template.spec.containers),
            ] {
                if let Some(i) = ctrs.iter().position(|c| &c.name == name) {
                    ctrs[i].image = image.clone();
                    if let Some(c) = dep.spec.template.json.pointer_mut(&format!("/spec/{list}/{i}")) {
                        c["image"] = json!(image);
                    }
                }
            }
        }
        dep.generation += 1;
        self.enqueue_deployment(d);
    }

    /// `kubectl rollout restart`: a template annotation with the current time.
    pub(crate) fn rollout_restart(&mut self, d: usize) {
        let at = World::timestamp(self.now);
        let dep = &mut self.deploys[d];
        dep.spec.template.metadata.annotations.insert("kubectl.kubernetes.io/restartedAt".into(), at.clone());
        if let Some(t) = dep.spec.template.json.as_object_mut() {
            let meta = t.entry("metadata").or_insert_with(|| json!({}));
            if let Some(m) = meta.as_object_mut() {
                let ann = m.entry("annotations").or_insert_with(|| json!({}));
                ann["kubectl.kubernetes.io/restartedAt"] = json!(at);
            }
        }
        dep.generation += 1;
        self.enqueue_deployment(d);
    }

    /// `syncDeployment` → `rolloutRolling` / `rolloutRecreate`.
    pub(crate) fn sync_deployment(&mut self, d: usize) {
        self.deploys[d].sync_scheduled = false;
        let new_rs = self.new_rs(d);
        let replicas = self.deploys[d].spec.replicas.max(0);
        let old: Vec<usize> = self.deploys[d].rs.iter().copied().filter(|&r| r != new_rs).collect();
        if self.deploys[d].spec.strategy == "Recreate" {
            for &r in &old {
                self.scale_rs(d, r, 0);
            }
            let old_pods_running = old.iter().any(|&r| self.rss[r].pods.iter().any(|&p| !self.pods[p].gone));
            if !old_pods_running {
                self.scale_rs(d, new_rs, replicas);
            }
        } else {
            let (surge, unavailable) = self.fenceposts(d);
            // reconcileNewReplicaSet
            let new_replicas = self.rss[new_rs].replicas;
            if new_replicas > replicas {
                self.scale_rs(d, new_rs, replicas);
            } else if new_replicas < replicas {
                let total: i64 = self.deploys[d].rs.iter().map(|&r| self.rss[r].replicas).sum();
                let max_total = replicas + surge;
                if total < max_total {
                    let up = (max_total - total).min(replicas - new_replicas);
                    self.scale_rs(d, new_rs, new_replicas + up);
                }
            }
            // reconcileOldReplicaSets
            let old_total: i64 = old.iter().map(|&r| self.rss[r].replicas).sum();
            if old_total > 0 {
                let min_available = replicas - unavailable.min(replicas);
                let all_pods: i64 = self.deploys[d].rs.iter().map(|&r| self.rss[r].replicas).sum();
                let new_unavailable = self.rss[new_rs].replicas - self.rs_counts(new_rs).2;
                let mut budget = all_pods - min_available - new_unavailable;
                for &r in &old {
                    if budget <= 0 {
                        break;
                    }
                    let unhealthy = self.rss[r].replicas - self.rs_counts(r).2;
                    let down = unhealthy.min(budget).max(0);
                    if down > 0 {
                        let to = self.rss[r].replicas - down;
                        self.scale_rs(d, r, to);
                        budget -= down;
                    }
                }
                let available: i64 = self.deploys[d].rs.iter().map(|&r| self.rs_counts(r).2).sum();
                if available > min_available {
                    let mut total_down = available - min_available;
                    for &r in &old {
                        if total_down <= 0 {
                            break;
                        }
                        let down = self.rss[r].replicas.min(total_down);
                        if down > 0 {
                            let to = self.rss[r].replicas - down;
                            self.scale_rs(d, r, to);
                            total_down -= down;
                        }
                    }
                }
            }
        }
        self.update_deployment_conditions(d, new_rs);
        self.publish_deployment(d);
    }

    /// `ResolveFenceposts` for maxSurge / maxUnavailable.
    fn fenceposts(&self, d: usize) -> (i64, i64) {
        let dep = &self.deploys[d].spec;
        let desired = dep.replicas.max(0);
        let scaled = |v: &Option<IntOrPercent>, up: bool| match v {
            None => {
                let q = desired * 25;
                if up {
                    (q + 99) / 100
                } else {
                    q / 100
                }
            }
            Some(IntOrPercent::Int(n)) => *n,
            Some(IntOrPercent::Percent(p)) => {
                let q = desired * p;
                if up {
                    (q + 99) / 100
                } else {
                    q / 100
                }
            }
        };
        let surge = scaled(&dep.max_surge, true);
        let mut unavailable = scaled(&dep.max_unavailable, false);
        if surge == 0 && unavailable == 0 {
            unavailable = 1;
        }
        (surge, unavailable)
    }

    /// The ReplicaSet for the current template, created (at 0 replicas) if missing.
    fn new_rs(&mut self, d: usize) -> usize {
        // The template only changes with the generation: hash it once per generation.
        let generation = self.deploys[d].generation;
        let hash = match &self.deploys[d].template_hash {
            Some((g, h)) if *g == generation => h.clone(),
            _ => {
                let text = serde_json::to_string(&self.deploys[d].spec.template.json).unwrap_or_default();
                let h = pod_template_hash(&text, 0);
                self.deploys[d].template_hash = Some((generation, h.clone()));
                h
            }
        };
        let dep = &self.deploys[d];
        if let Some(&r) = dep.rs.iter().find(|&&r| self.rss[r].template_hash == hash) {
            return r;
        }
        let revision = dep.rs.iter().map(|&r| self.rss[r].revision).max().unwrap_or(0) + 1;
        let r = self.rss.len();
        let owner =
            OwnerRef { kind: "Deployment", api_version: "apps/v1", name: dep.meta.name.clone(), uid: dep.uid.clone() };
        let rs = RsRt {
            name: format!("{}-{hash}", dep.meta.name),
            namespace: dep.meta.namespace.clone(),
            uid: self.rng.uid(),
            owner,
            deploy: d,
            template_hash: hash,
            template: std::sync::Arc::new(dep.spec.template.clone()),
            labels: dep.spec.template.metadata.labels.clone(),
            annotations: dep.meta.annotations.clone(),
            replicas: 0,
            revision,
            created: self.now,
            pods: Vec::new(),
            sync_scheduled: false,
            counts: std::cell::Cell::new(None),
            tally: (0, 0),
            published_key: None,
            base_json: None,
        };
        self.rss.push(rs);
        self.deploys[d].rs.push(r);
        self.publish_rs(r);
        r
    }

    /// `scaleReplicaSet`, with its `ScalingReplicaSet` event in the version's wording.
    fn scale_rs(&mut self, d: usize, r: usize, to: i64) {
        let from = self.rss[r].replicas;
        if from == to {
            return;
        }
        self.rss[r].replicas = to;
        let dir = if to > from { "up" } else { "down" };
        let rs = self.rss[r].name.clone();
        let message = if self.v.at_least(31) {
            format!("Scaled {dir} replica set {rs} from {from} to {to}")
        } else {
            format!("Scaled {dir} replica set {rs} to {to} from {from}")
        };
        let dep = &self.deploys[d];
        let (name, ns) = (dep.meta.name.clone(), dep.meta.namespace.clone());
        self.rec.event(
            self.now,
            EventSpec {
                type_: "Normal",
                reason: "ScalingReplicaSet",
                kind: "Deployment",
                name: &name,
                namespace: &ns,
                source: "deployment-controller",
                host: None,
                field_path: None,
                message,
            },
        );
        self.publish_rs(r);
        self.enqueue_rs(r);
    }

    fn update_deployment_conditions(&mut self, d: usize, new_rs: usize) {
        let now = self.now;
        let replicas = self.deploys[d].spec.replicas.max(0);
        let (_, unavailable) = self.fenceposts(d);
        let available: i64 = self.deploys[d].rs.iter().map(|&r| self.rs_counts(r).2).sum();
        let updated = self.rs_counts(new_rs).0;
        let total: i64 = self.deploys[d].rs.iter().map(|&r| self.rs_counts(r).0).sum();
        let rs_name = self.rss[new_rs].name.clone();
        let is_available = available >= replicas - unavailable.min(replicas);
        let (a_reason, a_msg) = if is_available {
            ("MinimumReplicasAvailable", "Deployment has minimum availability.")
        } else {
            ("MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
        };
        let complete = updated == replicas && total == replicas && self.rs_counts(new_rs).2 == replicas;
        // DeploymentProgressing: more updated, ready or available replicas is progress.
        let ready: i64 = self.deploys[d].rs.iter().map(|&r| self.rs_counts(r).1).sum();
        let seen = (updated, ready, available);
        let dep = &mut self.deploys[d];
        if dep.progress.is_none_or(|(_, last)| seen.0 > last.0 || seen.1 > last.1 || seen.2 > last.2) {
            dep.progress = Some((now, seen));
        } else if let Some((at, _)) = dep.progress {
            dep.progress = Some((at, seen));
        }
        let deadline = dep.spec.progress_deadline_seconds.max(0) as u64 * 1000;
        let since = dep.progress.map_or(now, |(at, _)| at);
        let timed_out = !complete && deadline > 0 && since + deadline < now;
        if !complete && deadline > 0 && !timed_out && dep.deadline_check != Some(since + deadline + 1) {
            // requeueStuckDeployment: look again when the deadline would pass.
            dep.deadline_check = Some(since + deadline + 1);
            self.at(since + deadline + 1, Ev::DeploySync(d));
        }
        let (p_status, p_reason, p_msg) = if complete {
            (true, "NewReplicaSetAvailable", format!("ReplicaSet \"{rs_name}\" has successfully progressed."))
        } else if timed_out {
            (false, "ProgressDeadlineExceeded", format!("ReplicaSet \"{rs_name}\" has timed out progressing."))
        } else {
            (true, "ReplicaSetUpdated", format!("ReplicaSet \"{rs_name}\" is progressing."))
        };
        let conds = &mut self.deploys[d].conditions;
        let mut set = |kind: &'static str, status: bool, reason: &str, message: String| match conds
            .iter_mut()
            .find(|c| c.0 == kind)
        {
            Some(c) => {
                if c.1 != status {
                    c.5 = now;
                }
                if c.1 != status || c.2 != reason || c.3 != message {
                    c.4 = now;
                }
                c.1 = status;
                c.2 = reason.to_string();
                c.3 = message;
            }
            None => conds.push((kind, status, reason.to_string(), message, now, now)),
        };
        set("Available", is_available, a_reason, a_msg.to_string());
        set("Progressing", p_status, p_reason, p_msg);
    }

    pub(crate) fn publish_deployment(&mut self, d: usize) {
        let dep = &self.deploys[d];
        let sets: Vec<_> =
            dep.rs.iter().map(|&r| (self.rss[r].replicas, self.rs_counts(r), self.rss[r].revision)).collect();
        let key = crate::names::fingerprint(&(dep.generation, dep.spec.replicas, &dep.conditions, sets));
        if self.deploys[d].published_key.replace(key) == Some(key) {
            return;
        }
        let generation = self.deploys[d].generation;
        let base = match &self.deploys[d].base_json {
            Some((g, b)) if *g == generation => b.clone(),
            _ => {
                let mut b = self.deployment_json(d);
                if let Some(o) = b.as_object_mut() {
                    o.remove("status");
                }
                let b = std::sync::Arc::new(b);
                self.deploys[d].base_json = Some((generation, b.clone()));
                b
            }
        };
        let status = self.deployment_status_json(d);
        let dep = &self.deploys[d];
        let (ns, name) = (dep.meta.namespace.clone(), dep.meta.name.clone());
        self.rec.snapshot(
            self.now,
            "Deployment",
            &ns,
            &name,
            crate::trace::Snap::patched(base, vec![("status", "", status)]),
        );
    }

    fn deployment_json(&self, d: usize) -> Value {
        let dep = &self.deploys[d];
        let mut obj = dep.json.clone();
        let revision = dep.rs.iter().map(|&r| self.rss[r].revision).max().unwrap_or(0);
        let mut annotations = dep.meta.annotations.clone();
        if revision > 0 {
            annotations.insert("deployment.kubernetes.io/revision".into(), revision.to_string());
        }
        let mut meta = Map::new();
        meta.insert("name".into(), json!(dep.meta.name));
        meta.insert("namespace".into(), json!(dep.meta.namespace));
        meta.insert("uid".into(), json!(dep.uid));
        meta.insert("creationTimestamp".into(), json!(World::timestamp(dep.created)));
        meta.insert("generation".into(), json!(dep.generation));
        if !dep.meta.labels.is_empty() {
            meta.insert("labels".into(), json!(dep.meta.labels));
        }
        if !annotations.is_empty() {
            meta.insert("annotations".into(), json!(annotations));
        }
        let st = self.deployment_status_json(d);
        if let Some(o) = obj.as_object_mut() {
            o.insert("metadata".into(), Value::Object(meta));
            if let Some(spec) = o.get_mut("spec").and_then(Value::as_object_mut) {
                spec.insert("replicas".into(), json!(dep.spec.replicas));
                spec.insert("template".into(), dep.spec.template.json.clone());
            }
            o.insert("status".into(), st);
        }
        obj
    }

    fn deployment_status_json(&self, d: usize) -> Value {
        let dep = &self.deploys[d];
        let (mut total, mut ready, mut available) = (0, 0, 0);
        for &r in &dep.rs {
            let (t, rd, a) = self.rs_counts(r);
            total += t;
            ready += rd;
            available += a;
        }
        let updated = dep.rs.last().map_or(0, |&r| {
            let newest = dep.rs.iter().copied().max_by_key(|&x| self.rss[x].revision).unwrap_or(r);
            self.rs_counts(newest).0
        });
        let mut st = Map::new();
        st.insert("observedGeneration".into(), json!(dep.generation));
        if total > 0 {
            st.insert("replicas".into(), json!(total));
            st.insert("updatedReplicas".into(), json!(updated));
        }
        if ready > 0 {
            st.insert("readyReplicas".into(), json!(ready));
        }
        if available > 0 {
            st.insert("availableReplicas".into(), json!(available));
        }
        let unavailable = dep.spec.replicas - available;
        if unavailable > 0 {
            st.insert("unavailableReplicas".into(), json!(unavailable));
        }
        let conds: Vec<Value> = dep
            .conditions
            .iter()
            .map(|(kind, status, reason, message, update, transition)| {
                json!({"type": kind, "status": if *status { "True" } else { "False" }, "reason": reason,
                       "message": message, "lastUpdateTime": World::timestamp(*update),
                       "lastTransitionTime": World::timestamp(*transition)})
            })
            .collect();
        if !conds.is_empty() {
            st.insert("conditions".into(), Value::Array(conds));
        }
        Value::Object(st)
    }
}
