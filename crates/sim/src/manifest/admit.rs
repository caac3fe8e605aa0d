//! What the API server adds to objects at creation beyond defaulting: the admission plugins
//! that mutate every new Pod (whoever creates it), and the Job's generated selector and labels
//! (`pkg/registry/batch/job/strategy.go` `generateSelector`), which need the Job's uid.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::defaults;
use crate::api::{Object, Spec};
use crate::settings::KubeVersion;

/// Where the ServiceAccount plugin mounts the API token.
const TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// A Pod's spec as admission leaves it, except the name of the service account token volume,
/// which differs per pod (`kube-api-access-<suffix>`): pods stamped from one template share it.
#[derive(Debug, Clone, PartialEq)]
pub struct AdmittedSpec {
    /// The admitted spec with the token volume (and its mounts) not yet named.
    pub json: Value,
    token: TokenSlots,
}

/// Where admission put the token volume's name: the index in `volumes` of the volume it
/// added, and (list, container, mount index) of the mounts it added.
#[derive(Debug, Clone, Default, PartialEq)]
struct TokenSlots {
    volume: Option<usize>,
    mounts: Vec<(&'static str, usize, usize)>,
}

impl AdmittedSpec {
    /// Admits a pod spec (see [`admit_spec`]).
    pub fn new(mut spec: Value, _version: KubeVersion) -> AdmittedSpec {
        let token = admit_spec(&mut spec);
        AdmittedSpec { json: spec, token }
    }

    /// The stored spec of the pod whose token volume is `kube-api-access-<suffix>`.
    pub fn for_pod(&self, suffix: &str) -> Value {
        let mut spec = self.json.clone();
        let name = Value::String(format!("kube-api-access-{suffix}"));
        let set = |entry: Option<&mut Value>| {
            if let Some(m) = entry.and_then(Value::as_object_mut) {
                m.insert("name".into(), name.clone());
            }
        };
        set(self.token.volume.and_then(|i| spec.get_mut("volumes")?.get_mut(i)));
        for &(list, c, i) in &self.token.mounts {
            set(spec.get_mut(list).and_then(|l| l.get_mut(c)?.get_mut("volumeMounts")?.get_mut(i)));
        }
        spec
    }
}

/// Applies Pod-only defaults (`SetDefaults_Pod`) and the mutating admission plugins that a
/// stock cluster runs on Pod creation: ServiceAccount (the default service account and the
/// projected `kube-api-access-<suffix>` token volume mounted in every container), Priority
/// (`priority: 0`, `preemptionPolicy: PreemptLowerPriority`) and DefaultTolerationSeconds
/// (300 s not-ready/unreachable tolerations). The result is what `kubectl get pod -o yaml`
/// shows before scheduling, once the token volume is named. These plugins behave alike in every
/// version podsim models (1.27 to 1.34), so the version is not consulted yet.
fn admit_spec(spec: &mut Value) -> TokenSlots {
    let mut token = TokenSlots::default();
    defaults::pod_only(spec);
    let Some(m) = spec.as_object_mut() else { return token };

    // plugin/pkg/admission/serviceaccount
    let sa = m.get("serviceAccountName").and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("default");
    let sa = sa.to_string();
    m.insert("serviceAccountName".into(), json!(sa));
    m.insert("serviceAccount".into(), json!(sa));
    if m.get("automountServiceAccountToken") != Some(&json!(false)) {
        // Named per pod by `AdmittedSpec::for_pod`.
        let volume_name = "kube-api-access-";
        let volumes = m.entry("volumes").or_insert_with(|| json!([]));
        if let Some(vs) = volumes.as_array_mut() {
            let present = vs
                .iter()
                .any(|v| v.get("name").and_then(Value::as_str).is_some_and(|n| n.starts_with("kube-api-access-")));
            if !present {
                token.volume = Some(vs.len());
                vs.push(json!({
                    "name": volume_name,
                    "projected": {
                        "defaultMode": 420,
                        "sources": [
                            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                            {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                            {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                        ]
                    }
                }));
            }
        }
        for list in ["initContainers", "containers"] {
            for (i, c) in m.get_mut(list).and_then(Value::as_array_mut).into_iter().flatten().enumerate() {
                let Some(cm) = c.as_object_mut() else { continue };
                let mounts = cm.entry("volumeMounts").or_insert_with(|| json!([]));
                if let Some(ms) = mounts.as_array_mut() {
                    if !ms.iter().any(|x| x.get("mountPath").and_then(Value::as_str) == Some(TOKEN_MOUNT_PATH)) {
                        token.mounts.push((list, i, ms.len()));
                        ms.push(json!({"mountPath": TOKEN_MOUNT_PATH, "name": volume_name, "readOnly": true}));
                    }
                }
            }
        }
    }

    // plugin/pkg/admission/priority: no PriorityClass named and no global default.
    let class = m.get("priorityClassName").and_then(Value::as_str).unwrap_or("");
    if class.is_empty() {
        m.entry("priority").or_insert(json!(0));
    }
    m.entry("preemptionPolicy").or_insert(json!("PreemptLowerPriority"));

    // plugin/pkg/admission/defaulttolerationseconds
    let tolerations = m.entry("tolerations").or_insert_with(|| json!([]));
    if let Some(ts) = tolerations.as_array_mut() {
        let tolerates = |taint: &str| {
            ts.iter().any(|t| {
                let key = t.get("key").and_then(Value::as_str).unwrap_or("");
                let effect = t.get("effect").and_then(Value::as_str).unwrap_or("");
                (key == taint || key.is_empty()) && (effect == "NoExecute" || effect.is_empty())
            })
        };
        let missing: Vec<&str> = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
            .into_iter()
            .filter(|taint| !tolerates(taint))
            .collect();
        for taint in missing {
            ts.push(json!({"effect": "NoExecute", "key": taint, "operator": "Exists", "tolerationSeconds": 300}));
        }
    }
    token
}

/// The labels `generateSelector` puts on a Job's pod template (and so on its pods): the
/// `batch.kubernetes.io/` labels (1.27+) and the legacy unprefixed ones, which every version
/// podsim models still sets, so the version is not consulted yet.
pub fn job_generated_labels(_version: KubeVersion, job_name: &str, uid: &str) -> BTreeMap<String, String> {
    [
        ("batch.kubernetes.io/controller-uid", uid),
        ("batch.kubernetes.io/job-name", job_name),
        ("controller-uid", uid),
        ("job-name", job_name),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

/// `generateSelector` on a Job's JSON: template labels the user did not set, and (unless
/// `manualSelector`) `batch.kubernetes.io/controller-uid` in `selector.matchLabels`.
/// `stored`: the Job as read back, whose empty labels are defaulted again from the template.
fn generate_selector(job: &mut Value, uid: &str, version: KubeVersion, stored: bool) {
    let name = job.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("").to_string();
    let before = job.pointer("/spec/template/metadata/labels").cloned();
    let manual = job.pointer("/spec/manualSelector") == Some(&json!(true));
    let Some(spec) = job.get_mut("spec").and_then(Value::as_object_mut) else { return };
    if manual {
        return;
    }
    let template = spec.entry("template").or_insert_with(|| json!({}));
    if let Some(t) = template.as_object_mut() {
        let meta = t.entry("metadata").or_insert_with(|| json!({}));
        if let Some(meta) = meta.as_object_mut() {
            let labels = meta.entry("labels").or_insert_with(|| json!({}));
            if let Some(l) = labels.as_object_mut() {
                for (k, v) in job_generated_labels(version, &name, uid) {
                    l.entry(k).or_insert(json!(v));
                }
            }
        }
    }
    let selector = spec.entry("selector").or_insert_with(|| json!({}));
    if let Some(sel) = selector.as_object_mut() {
        let ml = sel.entry("matchLabels").or_insert_with(|| json!({}));
        if let Some(ml) = ml.as_object_mut() {
            ml.entry("batch.kubernetes.io/controller-uid").or_insert(json!(uid));
        }
    }
    // SetDefaults_Job made the Job's labels the template's label map (the same map upstream),
    // so they grow with it; and reading the stored Job back defaults empty labels again.
    let after = job.pointer("/spec/template/metadata/labels").cloned();
    if let Some(meta) = job.get_mut("metadata").and_then(Value::as_object_mut) {
        let labels = meta.get("labels").cloned();
        if (labels.is_none() && stored) || (labels.is_some() && labels == before) {
            if let Some(after) = after {
                meta.insert("labels".into(), after);
            }
        }
    }
}

/// Stamps a Job accepted by [`super::apply`] with its uid once the caller assigns one, as the
/// API server's `PrepareForCreate` does: `metadata.uid`, the generated selector and the
/// template labels, in both the JSON and the typed spec.
pub fn assign_job_uid(job: &mut Object, uid: &str, version: KubeVersion) {
    generate_selector(&mut job.json, uid, version, true);
    if let Some(meta) = job.json.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.insert("uid".into(), json!(uid));
    }
    let spec = job.json.get("spec").cloned().unwrap_or(Value::Null);
    job.metadata = super::typed::object_meta(job.json.get("metadata").unwrap_or(&Value::Null));
    if let Spec::Job(js) = &mut job.spec {
        *js = super::typed::job_spec(&spec);
    }
}

/// `generateSelector` for validation at apply time, before the caller has chosen a uid.
pub(super) fn with_generated_selector(job: &Value, uid: &str, version: KubeVersion) -> Value {
    let mut j = job.clone();
    generate_selector(&mut j, uid, version, false);
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assigning_a_uid_generates_the_selector_and_labels() {
        let text = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: pi}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: pi, image: perl:5.34}]\n";
        let mut applied = crate::manifest::apply(text, &crate::Settings::default()).expect("valid yaml");
        let job = applied.objects.first_mut().expect("job accepted");
        assign_job_uid(job, "uid-1", KubeVersion::new(29));
        assert_eq!(job.json["metadata"]["uid"], "uid-1");
        assert_eq!(job.json["spec"]["selector"]["matchLabels"]["batch.kubernetes.io/controller-uid"], "uid-1");
        assert_eq!(job.json["spec"]["template"]["metadata"]["labels"]["job-name"], "pi");
        assert_eq!(job.metadata.labels.get("controller-uid").map(String::as_str), Some("uid-1"));
        let Spec::Job(spec) = &job.spec else { panic!("a job") };
        assert_eq!(spec.template.metadata.labels, job_generated_labels(KubeVersion::new(29), "pi", "uid-1"));
        assert!(spec.selector.as_ref().is_some_and(|s| s.match_labels.len() == 1));
    }

    #[test]
    fn admission_adds_token_volume_tolerations_and_priority() {
        let admitted =
            AdmittedSpec::new(json!({"containers": [{"name": "app", "image": "nginx"}]}), KubeVersion::new(29));
        let spec = admitted.for_pod("x7k2p");
        assert_eq!(spec["serviceAccountName"], "default");
        assert_eq!(spec["volumes"][0]["name"], "kube-api-access-x7k2p");
        assert_eq!(spec["containers"][0]["volumeMounts"][0]["mountPath"], TOKEN_MOUNT_PATH);
        assert_eq!(spec["containers"][0]["volumeMounts"][0]["name"], "kube-api-access-x7k2p");
        assert_eq!(spec["tolerations"].as_array().map(Vec::len), Some(2));
        assert_eq!(spec["priority"], 0);
        assert_eq!(spec["enableServiceLinks"], true);
        // Pods stamped from one admitted spec differ only by the token volume's name.
        assert_eq!(admitted.for_pod("ab12c")["volumes"][0]["name"], "kube-api-access-ab12c");
    }
}
