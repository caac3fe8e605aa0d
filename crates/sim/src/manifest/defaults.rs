//! What the API server does to a decoded object before validating it: drop fields whose feature
//! is off (`pkg/api/pod/util.go` `dropDisabledFields`), then apply the versioned defaulters
//! (`pkg/apis/core/v1/defaults.go`, `pkg/apis/batch/v1/defaults.go`,
//! `pkg/apis/apps/v1/defaults.go`). Works on the JSON form so the result is what
//! `kubectl get -o yaml` shows.

use serde_json::{json, Map, Value};

use crate::settings::{Component, Gate, Settings};

/// A field the API server silently removed, and why, for an info diagnostic.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Dropped {
    pub path: String,
    pub why: String,
}

pub(super) fn obj<'a>(v: &'a mut Value, key: &str) -> Option<&'a mut Map<String, Value>> {
    v.get_mut(key).and_then(Value::as_object_mut)
}

/// Sets `key` unless it already has a non-empty, non-zero value (Go's zero-value test).
fn default(m: &mut Map<String, Value>, key: &str, value: Value) {
    let unset = match m.get(key) {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Number(n)) => n.as_i64() == Some(0),
        _ => false,
    };
    if unset {
        m.insert(key.to_string(), value);
    }
}

fn items_mut<'a>(v: &'a mut Value, key: &str) -> impl Iterator<Item = (usize, &'a mut Value)> {
    v.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten().enumerate()
}

/// `dropDisabledFields` for one pod spec at `path` (`spec` or `spec.template.spec`).
pub(super) fn drop_disabled(spec: &mut Value, path: &str, settings: &Settings) -> Vec<Dropped> {
    let v = settings.version;
    let mut dropped = Vec::new();
    let sidecars = settings.gate(Gate::SidecarContainers, Component::ApiServer);
    // ContainerRestartRules (KEP-5307) is alpha and off in 1.34; podsim does not model turning it on.
    let restart_rules_off = v.at_least(34);
    for (i, c) in items_mut(spec, "initContainers") {
        let Some(m) = c.as_object_mut() else { continue };
        let at = format!("{path}.initContainers[{i}]");
        if v.at_least(28) && !sidecars {
            if m.remove("restartPolicy").is_some() {
                dropped.push(Dropped {
                    path: format!("{at}.restartPolicy"),
                    why: format!(
                        "dropped by the API server because the SidecarContainers feature gate is off at the API server (Kubernetes {v}): this is now an ordinary init container, so it must exit before the next container starts, and a long-running one blocks the pod in Init forever (pkg/api/pod/util.go dropDisabledFields)"
                    ),
                });
            }
        } else if restart_rules_off && m.get("restartPolicy").is_some_and(|p| p != "Always") {
            m.remove("restartPolicy");
            dropped.push(Dropped {
                path: format!("{at}.restartPolicy"),
                why: "dropped by the API server: an init container restartPolicy other than Always needs the ContainerRestartRules feature gate (alpha, off in 1.34) (pkg/api/pod/util.go dropContainerRestartRules)".into(),
            });
        }
        if restart_rules_off && m.remove("restartPolicyRules").is_some() {
            dropped.push(Dropped {
                path: format!("{at}.restartPolicyRules"),
                why: "dropped by the API server: restartPolicyRules needs the ContainerRestartRules feature gate (alpha, off in 1.34) (pkg/api/pod/util.go dropContainerRestartRules)".into(),
            });
        }
    }
    if restart_rules_off {
        for (i, c) in items_mut(spec, "containers") {
            let Some(m) = c.as_object_mut() else { continue };
            for field in ["restartPolicy", "restartPolicyRules"] {
                if m.remove(field).is_some() {
                    dropped.push(Dropped {
                        path: format!("{path}.containers[{i}].{field}"),
                        why: format!("dropped by the API server: {field} on a regular container needs the ContainerRestartRules feature gate (alpha, off in 1.34); before 1.34 it was rejected instead (pkg/api/pod/util.go dropContainerRestartRules)"),
                    });
                }
            }
        }
    }
    // PodLifecycleSleepAction: alpha (off) in 1.29, beta (on) from 1.30.
    if v.minor == 29 {
        for list in ["initContainers", "containers"] {
            for (i, c) in items_mut(spec, list) {
                for hook in ["postStart", "preStop"] {
                    let removed = c
                        .get_mut("lifecycle")
                        .and_then(|l| l.get_mut(hook))
                        .and_then(Value::as_object_mut)
                        .and_then(|h| h.remove("sleep"));
                    if removed.is_some() {
                        dropped.push(Dropped {
                            path: format!("{path}.{list}[{i}].lifecycle.{hook}.sleep"),
                            why: "dropped by the API server: the sleep action needs the PodLifecycleSleepAction feature gate, alpha and off in 1.29 (on from 1.30) (pkg/api/pod/util.go dropDisabledFields)".into(),
                        });
                    }
                }
            }
        }
    }
    dropped
}

/// `dropDisabledFields` of the Job strategy: fields of alpha features that are off by default.
pub(super) fn drop_disabled_job(job: &mut Value, settings: &Settings) -> Vec<Dropped> {
    let minor = settings.version.minor;
    let mut dropped = Vec::new();
    let Some(spec) = obj(job, "spec") else { return dropped };
    // (field, gate, first version where the gate is on by default)
    let gated: [(&str, &str, u32); 5] = [
        ("podReplacementPolicy", "JobPodReplacementPolicy", 29),
        ("backoffLimitPerIndex", "JobBackoffLimitPerIndex", 29),
        ("maxFailedIndexes", "JobBackoffLimitPerIndex", 29),
        ("successPolicy", "JobSuccessPolicy", 31),
        ("managedBy", "JobManagedBy", 32),
    ];
    for (field, gate, on_from) in gated {
        if minor < on_from && spec.remove(field).is_some() {
            dropped.push(Dropped {
                path: format!("spec.{field}"),
                why: format!("dropped by the API server: the {gate} feature gate is alpha and off in 1.{minor} (on by default from 1.{on_from}) (pkg/registry/batch/job/strategy.go dropDisabledFields)"),
            });
        }
    }
    dropped
}

/// pkg/apis/core/v1/defaults.go `SetDefaults_PodSpec` and everything nested in a pod spec.
pub(super) fn pod_spec(spec: &mut Value) {
    let Some(m) = spec.as_object_mut() else { return };
    default(m, "dnsPolicy", json!("ClusterFirst"));
    default(m, "restartPolicy", json!("Always"));
    if !m.get("securityContext").is_some_and(Value::is_object) {
        m.insert("securityContext".into(), json!({}));
    }
    default(m, "terminationGracePeriodSeconds", json!(30));
    default(m, "schedulerName", json!("default-scheduler"));
    // v1 conversion: the deprecated serviceAccount mirrors serviceAccountName.
    let sa = m.get("serviceAccountName").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    let deprecated = m.get("serviceAccount").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
    if let Some(name) = sa.or(deprecated) {
        m.insert("serviceAccountName".into(), json!(name));
        m.insert("serviceAccount".into(), json!(name));
    }
    for list in ["initContainers", "containers"] {
        for (_, c) in items_mut(spec, list) {
            container(c);
        }
    }
    for (_, vol) in items_mut(spec, "volumes") {
        volume(vol);
    }
}

/// `SetDefaults_Pod`: defaults that apply to pods but not to pod templates.
pub(super) fn pod_only(spec: &mut Value) {
    let Some(m) = spec.as_object_mut() else { return };
    if !m.contains_key("enableServiceLinks") {
        m.insert("enableServiceLinks".into(), json!(true));
    }
    let host_network = m.get("hostNetwork") == Some(&json!(true));
    for list in ["initContainers", "containers"] {
        for (_, c) in items_mut(spec, list) {
            // Requests default to limits for each resource with a limit and no request.
            if let Some(res) = c.get_mut("resources").and_then(Value::as_object_mut) {
                if let Some(limits) = res.get("limits").and_then(Value::as_object).cloned() {
                    let requests = res.entry("requests").or_insert_with(|| json!({}));
                    if let Some(req) = requests.as_object_mut() {
                        for (k, q) in limits {
                            req.entry(k).or_insert(q);
                        }
                    }
                }
            }
            if host_network {
                for (_, p) in items_mut(c, "ports") {
                    if let Some(pm) = p.as_object_mut() {
                        let port = pm.get("containerPort").cloned().unwrap_or(Value::Null);
                        default(pm, "hostPort", port);
                    }
                }
            }
        }
    }
}

/// `SetDefaults_Container` and the defaulters of its nested types.
fn container(c: &mut Value) {
    let Some(m) = c.as_object_mut() else { return };
    let image = m.get("image").and_then(Value::as_str).unwrap_or("").to_string();
    default(m, "imagePullPolicy", json!(if image_tag_is_latest(&image) { "Always" } else { "IfNotPresent" }));
    default(m, "terminationMessagePath", json!("/dev/termination-log"));
    default(m, "terminationMessagePolicy", json!("File"));
    if !m.get("resources").is_some_and(Value::is_object) {
        m.insert("resources".into(), json!({}));
    }
    for (_, p) in items_mut(c, "ports") {
        if let Some(pm) = p.as_object_mut() {
            default(pm, "protocol", json!("TCP"));
        }
    }
    for (_, e) in items_mut(c, "env") {
        if let Some(fr) = e.get_mut("valueFrom").and_then(|v| obj(v, "fieldRef")) {
            default(fr, "apiVersion", json!("v1"));
        }
    }
    for probe_name in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = obj(c, probe_name) {
            default(p, "timeoutSeconds", json!(1));
            default(p, "periodSeconds", json!(10));
            default(p, "successThreshold", json!(1));
            default(p, "failureThreshold", json!(3));
        }
        if let Some(p) = c.get_mut(probe_name) {
            http_get(p);
        }
    }
    if let Some(l) = c.get_mut("lifecycle") {
        for hook in ["postStart", "preStop"] {
            if let Some(h) = l.get_mut(hook) {
                http_get(h);
            }
        }
    }
}

/// `SetDefaults_HTTPGetAction`.
fn http_get(handler: &mut Value) {
    if let Some(h) = obj(handler, "httpGet") {
        default(h, "path", json!("/"));
        default(h, "scheme", json!("HTTP"));
    }
}

/// `SetDefaults_Volume` and the volume source defaulters.
fn volume(v: &mut Value) {
    let Some(m) = v.as_object_mut() else { return };
    if m.keys().all(|k| k == "name") {
        m.insert("emptyDir".into(), json!({}));
    }
    for source in ["configMap", "secret", "projected", "downwardAPI"] {
        if let Some(s) = m.get_mut(source).and_then(Value::as_object_mut) {
            default(s, "defaultMode", json!(420));
        }
    }
    if let Some(hp) = m.get_mut("hostPath").and_then(Value::as_object_mut) {
        hp.entry("type").or_insert(json!(""));
    }
}

/// `SetDefaults_Container`'s image check (`parsers.ParseImageName`): an image without tag or
/// digest means `:latest`; one that does not parse (upper case, spaces) gets IfNotPresent.
fn image_tag_is_latest(image: &str) -> bool {
    if image.is_empty() || image.chars().any(|c| c.is_whitespace()) {
        return false;
    }
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    let last = name.rsplit('/').next().unwrap_or(name);
    let tag = last.split_once(':').map(|(_, t)| t);
    let path = match tag {
        Some(t) => &name[..name.len() - t.len() - 1],
        None => name,
    };
    // The repository path must be lower case (a registry host may have upper case letters).
    let repo = match path.split_once('/') {
        Some((host, rest)) if host.contains('.') || host.contains(':') || host == "localhost" => rest,
        _ => path,
    };
    if repo.chars().any(|c| c.is_ascii_uppercase()) {
        return false;
    }
    match (tag, digest) {
        (Some(t), _) => t == "latest",
        (None, Some(_)) => false,
        (None, None) => true,
    }
}

/// pkg/apis/batch/v1/defaults.go `SetDefaults_Job` (+ the pod template).
pub(super) fn job(job: &mut Value, settings: &Settings) {
    let minor = settings.version.minor;
    let template_labels = job.pointer("/spec/template/metadata/labels").cloned();
    if let Some(meta) = obj(job, "metadata") {
        let empty = meta.get("labels").and_then(Value::as_object).is_none_or(|l| l.is_empty());
        if let (true, Some(labels)) = (empty, template_labels) {
            meta.insert("labels".into(), labels);
        }
    }
    let Some(spec) = obj(job, "spec") else { return };
    if !spec.contains_key("completions") && !spec.contains_key("parallelism") {
        spec.insert("completions".into(), json!(1));
        spec.insert("parallelism".into(), json!(1));
    }
    spec.entry("parallelism").or_insert(json!(1));
    let per_index = spec.contains_key("backoffLimitPerIndex");
    spec.entry("backoffLimit").or_insert(json!(if per_index { i32::MAX } else { 6 }));
    spec.entry("completionMode").or_insert(json!("NonIndexed"));
    spec.entry("suspend").or_insert(json!(false));
    let failure_policy = spec.contains_key("podFailurePolicy");
    if minor >= 29 {
        spec.entry("podReplacementPolicy").or_insert(json!(if failure_policy {
            "Failed"
        } else {
            "TerminatingOrFailed"
        }));
    }
    if let Some(rules) = spec.get_mut("podFailurePolicy").and_then(|p| p.get_mut("rules")).and_then(Value::as_array_mut)
    {
        for rule in rules {
            for (_, cond) in items_mut(rule, "onPodConditions") {
                if let Some(c) = cond.as_object_mut() {
                    default(c, "status", json!("True"));
                }
            }
        }
    }
    if let Some(pod) = job.pointer_mut("/spec/template/spec") {
        pod_spec(pod);
    }
}

/// pkg/apis/apps/v1/defaults.go `SetDefaults_Deployment` (+ the pod template).
pub(super) fn deployment(d: &mut Value) {
    if let Some(spec) = obj(d, "spec") {
        spec.entry("replicas").or_insert(json!(1));
        let strategy = spec.entry("strategy").or_insert(json!({}));
        if let Some(s) = strategy.as_object_mut() {
            default(s, "type", json!("RollingUpdate"));
            if s.get("type") == Some(&json!("RollingUpdate")) {
                let ru = s.entry("rollingUpdate").or_insert(json!({}));
                if let Some(ru) = ru.as_object_mut() {
                    ru.entry("maxUnavailable").or_insert(json!("25%"));
                    ru.entry("maxSurge").or_insert(json!("25%"));
                }
            }
        }
        spec.entry("revisionHistoryLimit").or_insert(json!(10));
        spec.entry("progressDeadlineSeconds").or_insert(json!(600));
    }
    if let Some(pod) = d.pointer_mut("/spec/template/spec") {
        pod_spec(pod);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_pull_policy_follows_the_tag() {
        assert!(image_tag_is_latest("nginx"));
        assert!(image_tag_is_latest("nginx:latest"));
        assert!(image_tag_is_latest("localhost:5000/app"));
        assert!(!image_tag_is_latest("localhost:5000/app:1.0"));
        assert!(!image_tag_is_latest("busybox:1.36"));
        assert!(!image_tag_is_latest("busybox@sha256:abc"));
        assert!(!image_tag_is_latest("Busybox"));
    }
}
