//! The ReplicaSet controller (`pkg/controller/replicaset`): keeps `replicas` active pods,
//! creating or deleting the difference, and reports ready/available counts.

use serde_json::{json, Value};

use crate::cluster::record::EventSpec;
use crate::cluster::{Ev, OwnerRef, PodId, World};
use crate::trace::Millis;

/// Controllers react to watch events within a few milliseconds.
const REACT_MS: Millis = 10;

impl World {
    pub(crate) fn enqueue_rs(&mut self, r: usize) {
        self.rss[r].counts.set(None);
        if !self.rss[r].sync_scheduled {
            self.rss[r].sync_scheduled = true;
            self.after(REACT_MS, Ev::RsSync(r));
        }
    }

    /// Moves pod `p`'s part in its ReplicaSet's tally from `before` to what it is now.
    pub(crate) fn retally(&mut self, p: PodId, before: (i64, i64)) {
        let Some(r) = self.pods[p].tallied_by else { return };
        let after = self.pods[p].tally_part();
        let tally = &mut self.rss[r].tally;
        tally.0 += after.0 - before.0;
        tally.1 += after.1 - before.1;
    }

    /// Active pods of the ReplicaSet (`controller.FilterActivePods`).
    pub(crate) fn rs_active(&self, r: usize) -> Vec<PodId> {
        self.rss[r].pods.iter().copied().filter(|&p| self.pods[p].active()).collect()
    }

    /// The Deployment's minReadySeconds, in milliseconds.
    fn min_ready_ms(&self, r: usize) -> Millis {
        self.deploys[self.rss[r].deploy].spec.min_ready_seconds.max(0) as u64 * 1000
    }

    /// `syncReplicaSet` → `manageReplicas`.
    pub(crate) fn sync_rs(&mut self, r: usize) {
        self.rss[r].sync_scheduled = false;
        self.rss[r].counts.set(None);
        // What `rs_active` would count, without a pass over every pod.
        let active = self.rss[r].tally.0 as usize;
        let want = self.rss[r].replicas.max(0) as usize;
        if active < want {
            for _ in 0..(want - active).min(500) {
                let rs = &self.rss[r];
                let mut labels = rs.labels.clone();
                labels.insert("pod-template-hash".into(), rs.template_hash.clone());
                let owner =
                    OwnerRef { kind: "ReplicaSet", api_version: "apps/v1", name: rs.name.clone(), uid: rs.uid.clone() };
                let template = rs.template.clone();
                let (ns, generate, hash) = (rs.namespace.clone(), format!("{}-", rs.name), rs.template_hash.clone());
                match self.pod_from_template(&template, generate, &ns, labels, owner, Some(hash)) {
                    Some(p) => {
                        self.rss[r].pods.push(p);
                        self.pods[p].tallied_by = Some(r);
                        self.retally(p, (0, 0));
                        self.rss[r].counts.set(None);
                        let name = self.pods[p].meta.name.clone();
                        self.rs_event(r, "SuccessfulCreate", format!("Created pod: {name}"));
                    }
                    None => break,
                }
            }
        } else if active > want {
            let mut victims = self.rs_active(r);
            // ActivePodsWithRanks: unscheduled, then pending, then not ready, then newest first.
            victims.sort_by_key(|&p| {
                let pod = &self.pods[p];
                (
                    pod.node.is_some(),
                    pod.phase != crate::cluster::Phase::Pending,
                    self.pod_ready(p),
                    std::cmp::Reverse(pod.created),
                )
            });
            self.rss[r].counts.set(None);
            for &p in victims.iter().take(active - want) {
                self.delete_pod(p, None);
                let name = self.pods[p].meta.name.clone();
                self.rs_event(r, "SuccessfulDelete", format!("Deleted pod: {name}"));
            }
        }
        // A Ready pod becomes available minReadySeconds later: look again then.
        let min_ready = self.min_ready_ms(r);
        if min_ready > 0 {
            let next = self
                .rs_active(r)
                .iter()
                .filter_map(|&p| self.pods[p].ready_since.filter(|since| since + min_ready >= self.now))
                .map(|since| since + min_ready + 1)
                .min();
            if let Some(t) = next {
                self.at(t, Ev::RsSync(r));
            }
        }
        self.publish_rs(r);
        let d = self.rss[r].deploy;
        self.enqueue_deployment(d);
    }

    fn rs_event(&mut self, r: usize, reason: &str, message: String) {
        let (name, ns) = (self.rss[r].name.clone(), self.rss[r].namespace.clone());
        self.rec.event(
            self.now,
            EventSpec {
                type_: "Normal",
                reason,
                kind: "ReplicaSet",
                name: &name,
                namespace: &ns,
                source: "replicaset-controller",
                host: None,
                field_path: None,
                message,
            },
        );
    }

    /// (replicas, ready, available) as the ReplicaSet status counts them.
    pub(crate) fn rs_counts(&self, r: usize) -> (i64, i64, i64) {
        if let Some(counts) = self.rss[r].counts.get() {
            return counts;
        }
        let (min_ready, now) = (self.min_ready_ms(r), self.now);
        let (active, ready) = self.rss[r].tally;
        // `podutil.IsPodAvailable`: Ready, and for longer than minReadySeconds.
        let available = if min_ready == 0 {
            ready
        } else {
            let pods = self.rss[r].pods.iter().map(|&p| &self.pods[p]);
            pods.filter(|pod| pod.active() && pod.ready_since.is_some_and(|since| since + min_ready < now)).count()
                as i64
        };
        let counts = (active, ready, available);
        self.rss[r].counts.set(Some(counts));
        counts
    }

    pub(crate) fn publish_rs(&mut self, r: usize) {
        // Only the replica counts change after creation.
        let key = crate::names::fingerprint(&(self.rss[r].replicas, self.rs_counts(r)));
        if self.rss[r].published_key.replace(key) == Some(key) {
            return;
        }
        let base = match &self.rss[r].base_json {
            Some(b) => b.clone(),
            None => {
                let b = std::sync::Arc::new(self.rs_base_json(r));
                self.rss[r].base_json = Some(b.clone());
                b
            }
        };
        let patches = vec![("spec", "replicas", json!(self.rss[r].replicas)), ("status", "", self.rs_status_json(r))];
        let rs = &self.rss[r];
        let (ns, name) = (rs.namespace.clone(), rs.name.clone());
        self.rec.snapshot(self.now, "ReplicaSet", &ns, &name, crate::trace::Snap::patched(base, patches));
    }

    /// The ReplicaSet without its replica count and status, which never change apart.
    fn rs_base_json(&self, r: usize) -> Value {
        let rs = &self.rss[r];
        let mut labels = rs.labels.clone();
        labels.insert("pod-template-hash".into(), rs.template_hash.clone());
        // deployment/util SetNewReplicaSetAnnotations: the revision and the replica bounds;
        // the Deployment's kubectl annotation is not copied.
        let mut annotations = rs.annotations.clone();
        annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
        annotations.insert("deployment.kubernetes.io/revision".into(), rs.revision.to_string());
        let dep = &self.deploys[rs.deploy].spec;
        let surge = match &dep.max_surge {
            Some(crate::api::IntOrPercent::Int(n)) => *n,
            Some(crate::api::IntOrPercent::Percent(pc)) => (dep.replicas * pc + 99) / 100,
            None => (dep.replicas * 25 + 99) / 100,
        };
        let surge = if dep.strategy == "Recreate" { 0 } else { surge };
        annotations.insert("deployment.kubernetes.io/desired-replicas".into(), dep.replicas.to_string());
        annotations.insert("deployment.kubernetes.io/max-replicas".into(), (dep.replicas + surge).to_string());
        let mut template = rs.template.json.clone();
        if let Some(t) = template.as_object_mut() {
            let meta = t.entry("metadata").or_insert_with(|| json!({}));
            if let Some(m) = meta.as_object_mut() {
                m.insert("labels".into(), json!(labels));
            }
        }
        json!({
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": rs.name,
                "namespace": rs.namespace,
                "uid": rs.uid,
                "creationTimestamp": World::timestamp(rs.created),
                "labels": labels,
                "annotations": annotations,
                "generation": 1,
                "ownerReferences": [{"apiVersion": rs.owner.api_version, "kind": rs.owner.kind, "name": rs.owner.name,
                                     "uid": rs.owner.uid, "controller": true, "blockOwnerDeletion": true}],
            },
            "spec": {
                "selector": {"matchLabels": labels},
                "template": template,
            },
        })
    }

    fn rs_status_json(&self, r: usize) -> Value {
        let (replicas, ready, available) = self.rs_counts(r);
        let mut status = serde_json::Map::new();
        status.insert("replicas".into(), json!(replicas));
        status.insert("fullyLabeledReplicas".into(), json!(replicas));
        if ready > 0 {
            status.insert("readyReplicas".into(), json!(ready));
        }
        if available > 0 {
            status.insert("availableReplicas".into(), json!(available));
        }
        status.insert("observedGeneration".into(), json!(1));
        Value::Object(status)
    }
}
