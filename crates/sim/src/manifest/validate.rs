//! API validation of pods and pod templates (`pkg/apis/core/validation/validation.go`), run on
//! the defaulted JSON. Errors are appended in the order upstream appends them, because kubectl
//! prints them in that order. Only rules a playground user can trip are modelled; each function
//! names the upstream function it mirrors.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::field::{
    self, duplicate, forbidden, invalid, nonnegative, not_found, not_supported, required, Bad, FieldError,
};
use super::names;
use super::quantity::Quantity;
use crate::settings::KubeVersion;

pub(super) fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

pub(super) fn int(v: &Value, key: &str) -> Option<i64> {
    v.get(key).and_then(Value::as_i64)
}

pub(super) fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

pub(super) fn string_map(v: Option<&Value>) -> Option<BTreeMap<String, String>> {
    v.and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect())
}

/// validation.go `PodValidationOptions`, as the API server sets it per version.
#[derive(Debug, Clone, Copy)]
pub(super) struct Opts {
    pub version: KubeVersion,
    /// RelaxedEnvironmentVariableValidation: on by default from 1.32.
    pub relaxed_env: bool,
    /// AllowPodLifecycleSleepActionZeroValue: on by default from 1.33.
    pub sleep_zero: bool,
}

impl Opts {
    pub fn new(version: KubeVersion) -> Opts {
        Opts { version, relaxed_env: version.at_least(32), sleep_zero: version.at_least(33) }
    }
}

/// objectmeta.go `ValidateObjectMetaAccessor` for namespaced objects whose names are DNS-1123
/// subdomains (Pod, Job, Deployment).
pub(super) fn object_meta(meta: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let generate = s(meta, "generateName");
    if !generate.is_empty() {
        for msg in names::name_is_dns_subdomain(generate, true) {
            errs.push(invalid(&format!("{path}.generateName"), Bad::Str(generate.into()), &msg));
        }
    }
    let name = s(meta, "name");
    if name.is_empty() {
        errs.push(required(&format!("{path}.name"), "name or generateName is required"));
    } else {
        for msg in names::name_is_dns_subdomain(name, false) {
            errs.push(invalid(&format!("{path}.name"), Bad::Str(name.into()), &msg));
        }
    }
    let ns = s(meta, "namespace");
    if ns.is_empty() {
        errs.push(required(&format!("{path}.namespace"), ""));
    } else {
        for msg in names::dns1123_label(ns) {
            errs.push(invalid(&format!("{path}.namespace"), Bad::Str(ns.into()), &msg));
        }
    }
    if let Some(e) = int(meta, "generation").and_then(|g| nonnegative(&format!("{path}.generation"), g)) {
        errs.push(e);
    }
    errs.extend(labels(meta.get("labels"), &format!("{path}.labels")));
    errs.extend(annotations(meta.get("annotations"), &format!("{path}.annotations")));
    errs
}

/// metav1 validation `ValidateLabels` (Go visits the map in random order; podsim sorts).
pub(super) fn labels(v: Option<&Value>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, value) in string_map(v).unwrap_or_default() {
        for msg in names::qualified_name(&k) {
            errs.push(invalid(path, Bad::Str(k.clone()), &msg));
        }
        for msg in names::label_value(&value) {
            errs.push(invalid(path, Bad::Str(value.clone()), &msg));
        }
    }
    errs
}

/// objectmeta.go `ValidateAnnotations` (keys only; values are free text).
fn annotations(v: Option<&Value>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for k in string_map(v).unwrap_or_default().keys() {
        for msg in names::qualified_name(&k.to_lowercase()) {
            errs.push(invalid(path, Bad::Str(k.clone()), &msg));
        }
    }
    errs
}

/// validation.go `ValidatePodTemplateSpec`: note the labels path has no `metadata`.
pub(super) fn pod_template(template: &Value, path: &str, opts: Opts) -> Vec<FieldError> {
    let meta = template.get("metadata").cloned().unwrap_or(Value::Null);
    let mut errs = labels(meta.get("labels"), &format!("{path}.labels"));
    errs.extend(annotations(meta.get("annotations"), &format!("{path}.annotations")));
    let spec = template.get("spec").cloned().unwrap_or(Value::Null);
    errs.extend(pod_spec(&spec, &format!("{path}.spec"), opts));
    errs
}

/// validation.go `ValidatePodSpec` (the parts a pod manifest usually exercises).
pub(super) fn pod_spec(spec: &Value, path: &str, opts: Opts) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let grace = int(spec, "terminationGracePeriodSeconds");
    if grace.is_none() {
        errs.push(required(&format!("{path}.terminationGracePeriodSeconds"), ""));
    }
    let volumes = validate_volumes(list(spec, "volumes"), &format!("{path}.volumes"), &mut errs);
    errs.extend(containers(list(spec, "containers"), &volumes, grace, &format!("{path}.containers"), opts));
    errs.extend(init_containers(
        list(spec, "initContainers"),
        list(spec, "containers"),
        &volumes,
        grace,
        &format!("{path}.initContainers"),
        opts,
    ));
    // validateRestartPolicy
    match s(spec, "restartPolicy") {
        "Always" | "OnFailure" | "Never" => {}
        "" => errs.push(required(&format!("{path}.restartPolicy"), "")),
        other => errs.push(not_supported(
            &format!("{path}.restartPolicy"),
            Bad::Str(other.into()),
            &["Always", "OnFailure", "Never"],
        )),
    }
    // validateDNSPolicy
    match s(spec, "dnsPolicy") {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => errs.push(required(&format!("{path}.dnsPolicy"), "")),
        other => errs.push(not_supported(
            &format!("{path}.dnsPolicy"),
            Bad::Str(other.into()),
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        )),
    }
    errs.extend(labels(spec.get("nodeSelector"), &format!("{path}.nodeSelector")));
    let sa = s(spec, "serviceAccountName");
    if !sa.is_empty() {
        for msg in names::dns1123_subdomain(sa) {
            errs.push(invalid(&format!("{path}.serviceAccountName"), Bad::Str(sa.into()), &msg));
        }
    }
    let node = s(spec, "nodeName");
    if !node.is_empty() {
        for msg in names::dns1123_subdomain(node) {
            errs.push(invalid(&format!("{path}.nodeName"), Bad::Str(node.into()), &msg));
        }
    }
    if let Some(ads) = int(spec, "activeDeadlineSeconds") {
        if !(1..=i32::MAX as i64).contains(&ads) {
            errs.push(invalid(
                &format!("{path}.activeDeadlineSeconds"),
                Bad::Int(ads),
                "must be between 1 and 2147483647, inclusive",
            ));
        }
    }
    for key in ["hostname", "subdomain"] {
        let v = s(spec, key);
        if !v.is_empty() {
            for msg in names::dns1123_label(v) {
                errs.push(invalid(&format!("{path}.{key}"), Bad::Str(v.into()), &msg));
            }
        }
    }
    errs.extend(tolerations(list(spec, "tolerations"), &format!("{path}.tolerations")));
    let pcn = s(spec, "priorityClassName");
    if !pcn.is_empty() {
        for msg in names::dns1123_subdomain(pcn) {
            errs.push(invalid(&format!("{path}.priorityClassName"), Bad::Str(pcn.into()), &msg));
        }
    }
    match s(spec, "preemptionPolicy") {
        "" | "PreemptLowerPriority" | "Never" => {}
        other => errs.push(not_supported(
            &format!("{path}.preemptionPolicy"),
            Bad::Str(other.into()),
            &["PreemptLowerPriority", "Never"],
        )),
    }
    errs
}

const VOLUME_SOURCES: [&str; 30] = [
    "hostPath",
    "emptyDir",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "persistentVolumeClaim",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "downwardAPI",
    "fc",
    "azureFile",
    "configMap",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "projected",
    "portworxVolume",
    "scaleIO",
    "storageos",
    "csi",
    "ephemeral",
    "image",
];

/// validation.go `ValidateVolumes` + `validateVolumeSource`: returns the valid volume names.
fn validate_volumes(volumes: &[Value], path: &str, errs: &mut Vec<FieldError>) -> BTreeSet<String> {
    let mut names_seen = BTreeSet::new();
    for (i, vol) in volumes.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let mut el = Vec::new();
        let mut count = 0;
        for source in VOLUME_SOURCES {
            let Some(src) = vol.get(source) else { continue };
            if count > 0 {
                el.push(forbidden(&format!("{at}.{source}"), "may not specify more than 1 volume type"));
                continue;
            }
            count += 1;
            let need = match source {
                "hostPath" => Some("path"),
                "configMap" => Some("name"),
                "secret" => Some("secretName"),
                "persistentVolumeClaim" => Some("claimName"),
                _ => None,
            };
            if let Some(key) = need {
                if s(src, key).is_empty() {
                    el.push(required(&format!("{at}.{source}.{key}"), ""));
                }
            }
        }
        if count == 0 {
            el.push(required(&at, "must specify a volume type"));
        }
        let name = s(vol, "name");
        if name.is_empty() {
            el.push(required(&format!("{at}.name"), ""));
        } else {
            for msg in names::dns1123_label(name) {
                el.push(invalid(&format!("{at}.name"), Bad::Str(name.into()), &msg));
            }
        }
        if names_seen.contains(name) {
            el.push(duplicate(&format!("{at}.name"), Bad::Str(name.into())));
        }
        if el.is_empty() {
            names_seen.insert(name.to_string());
        } else {
            errs.extend(el);
        }
    }
    names_seen
}

/// validation.go `validateContainers`.
fn containers(
    list_: &[Value],
    volumes: &BTreeSet<String>,
    grace: Option<i64>,
    path: &str,
    opts: Opts,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if list_.is_empty() {
        errs.push(required(path, ""));
        return errs;
    }
    let mut all_names = BTreeSet::new();
    for (i, c) in list_.iter().enumerate() {
        let at = format!("{path}[{i}]");
        errs.extend(container_common(c, volumes, &at, opts));
        let name = s(c, "name");
        if !all_names.insert(name.to_string()) {
            errs.push(duplicate(&format!("{at}.name"), Bad::Str(name.into())));
        }
        if let Some(l) = c.get("lifecycle") {
            errs.extend(lifecycle(l, grace, &format!("{at}.lifecycle"), opts));
        }
        errs.extend(probes(c, grace, &at, opts));
        if c.get("restartPolicy").is_some() {
            errs.push(forbidden(&format!("{at}.restartPolicy"), "may not be set for non-init containers"));
        }
    }
    errs.extend(host_port_conflicts(list_.iter().enumerate(), path));
    errs
}

/// validation.go `validateInitContainers`: the sidecar rules of KEP-753.
fn init_containers(
    inits: &[Value],
    regular: &[Value],
    volumes: &BTreeSet<String>,
    grace: Option<i64>,
    path: &str,
    opts: Opts,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut all_names: BTreeSet<String> = regular.iter().map(|c| s(c, "name").to_string()).collect();
    for (i, c) in inits.iter().enumerate() {
        let at = format!("{path}[{i}]");
        errs.extend(container_common(c, volumes, &at, opts));
        let mut restart_always = false;
        if let Some(p) = c.get("restartPolicy").and_then(Value::as_str) {
            // validateInitContainerRestartPolicy
            if p == "Always" {
                restart_always = true;
            } else {
                errs.push(not_supported(&format!("{at}.restartPolicy"), Bad::Str(p.into()), &["Always"]));
            }
        }
        let name = s(c, "name");
        if all_names.contains(name) {
            errs.push(duplicate(&format!("{at}.name"), Bad::Str(name.into())));
        } else if !name.is_empty() {
            all_names.insert(name.to_string());
        }
        errs.extend(host_port_conflicts(std::iter::once((i, c)), path));
        if restart_always {
            if let Some(l) = c.get("lifecycle") {
                errs.extend(lifecycle(l, grace, &format!("{at}.lifecycle"), opts));
            }
            errs.extend(probes(c, grace, &at, opts));
        } else {
            for key in ["lifecycle", "livenessProbe", "readinessProbe", "startupProbe"] {
                if c.get(key).is_some() {
                    errs.push(forbidden(
                        &format!("{at}.{key}"),
                        "may not be set for init containers without restartPolicy=Always",
                    ));
                }
            }
        }
        // Resizing sidecars is allowed from 1.33 (AllowSidecarResizePolicy).
        let resize = list(c, "resizePolicy");
        if !(resize.is_empty() || restart_always && opts.version.at_least(33)) {
            errs.push(invalid(
                &format!("{at}.resizePolicy"),
                resize_policy_value(resize),
                "must not be set for init containers",
            ));
        }
    }
    errs
}

/// `[]core.ContainerResizePolicy` as `field.Error` prints it.
fn resize_policy_value(list_: &[Value]) -> Bad {
    let items: Vec<String> = list_
        .iter()
        .map(|p| {
            format!(
                "core.ContainerResizePolicy{{ResourceName:{}, RestartPolicy:{}}}",
                field::go_quote(s(p, "resourceName")),
                field::go_quote(s(p, "restartPolicy"))
            )
        })
        .collect();
    Bad::Raw {
        go: format!("[]core.ContainerResizePolicy{{{}}}", items.join(", ")),
        json: field::go_json(&Value::Array(list_.to_vec())),
    }
}

/// validation.go `validateContainerCommon`.
fn container_common(c: &Value, volumes: &BTreeSet<String>, at: &str, opts: Opts) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let name = s(c, "name");
    if name.is_empty() {
        errs.push(required(&format!("{at}.name"), ""));
    } else {
        for msg in names::dns1123_label(name) {
            errs.push(invalid(&format!("{at}.name"), Bad::Str(name.into()), &msg));
        }
    }
    if s(c, "image").is_empty() {
        errs.push(required(&format!("{at}.image"), ""));
    }
    match s(c, "terminationMessagePolicy") {
        "File" | "FallbackToLogsOnError" => {}
        "" => errs.push(required(&format!("{at}.terminationMessagePolicy"), "")),
        other => errs.push(not_supported(
            &format!("{at}.terminationMessagePolicy"),
            Bad::Str(other.into()),
            &["File", "FallbackToLogsOnError"],
        )),
    }
    errs.extend(container_ports(list(c, "ports"), &format!("{at}.ports")));
    errs.extend(env(list(c, "env"), &format!("{at}.env"), opts));
    errs.extend(volume_mounts(list(c, "volumeMounts"), volumes, &format!("{at}.volumeMounts")));
    // validatePullPolicy
    match s(c, "imagePullPolicy") {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => errs.push(required(&format!("{at}.imagePullPolicy"), "")),
        other => errs.push(not_supported(
            &format!("{at}.imagePullPolicy"),
            Bad::Str(other.into()),
            &["Always", "IfNotPresent", "Never"],
        )),
    }
    if let Some(r) = c.get("resources") {
        errs.extend(resources(r, &format!("{at}.resources")));
    }
    errs
}

/// validation.go `validateContainerPorts`.
fn container_ports(ports: &[Value], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut all_names = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = s(p, "name");
        if !name.is_empty() {
            let msgs = names::port_name(name);
            if !msgs.is_empty() {
                for msg in msgs {
                    errs.push(invalid(&format!("{at}.name"), Bad::Str(name.into()), &msg));
                }
            } else if !all_names.insert(name.to_string()) {
                errs.push(duplicate(&format!("{at}.name"), Bad::Str(name.into())));
            }
        }
        match int(p, "containerPort").unwrap_or(0) {
            0 => errs.push(required(&format!("{at}.containerPort"), "")),
            port => {
                for msg in names::port_num(port) {
                    errs.push(invalid(&format!("{at}.containerPort"), Bad::Int(port), &msg));
                }
            }
        }
        let host = int(p, "hostPort").unwrap_or(0);
        if host != 0 {
            for msg in names::port_num(host) {
                errs.push(invalid(&format!("{at}.hostPort"), Bad::Int(host), &msg));
            }
        }
        match s(p, "protocol") {
            "TCP" | "UDP" | "SCTP" => {}
            "" => errs.push(required(&format!("{at}.protocol"), "")),
            other => {
                errs.push(not_supported(&format!("{at}.protocol"), Bad::Str(other.into()), &["SCTP", "TCP", "UDP"]))
            }
        }
    }
    errs
}

/// validation.go `AccumulateUniqueHostPorts`.
fn host_port_conflicts<'a>(containers: impl Iterator<Item = (usize, &'a Value)>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut seen = BTreeSet::new();
    for (ci, c) in containers {
        for (pi, p) in list(c, "ports").iter().enumerate() {
            let port = int(p, "hostPort").unwrap_or(0);
            if port == 0 {
                continue;
            }
            let key = format!("{}/{}/{port}", s(p, "protocol"), s(p, "hostIP"));
            if !seen.insert(key.clone()) {
                errs.push(duplicate(&format!("{path}[{ci}].ports[{pi}].hostPort"), Bad::Str(key)));
            }
        }
    }
    errs
}

/// validation.go `ValidateEnv` + `validateEnvVarValueFrom`.
fn env(vars: &[Value], path: &str, opts: Opts) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, e) in vars.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = s(e, "name");
        if name.is_empty() {
            errs.push(required(&format!("{at}.name"), ""));
        } else {
            let msgs = if opts.relaxed_env { names::relaxed_env_var_name(name) } else { names::env_var_name(name) };
            for msg in msgs {
                errs.push(invalid(&format!("{at}.name"), Bad::Str(name.into()), &msg));
            }
        }
        let Some(from) = e.get("valueFrom") else { continue };
        let from_path = format!("{at}.valueFrom");
        let sources = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef"];
        let n = sources.iter().filter(|k| from.get(**k).is_some()).count();
        if let Some(fr) = from.get("fieldRef") {
            if s(fr, "fieldPath").is_empty() {
                errs.push(required(&format!("{from_path}.fieldRef.fieldPath"), ""));
            }
        }
        for key in ["configMapKeyRef", "secretKeyRef"] {
            if let Some(r) = from.get(key) {
                if s(r, "key").is_empty() {
                    errs.push(required(&format!("{from_path}.{key}.key"), ""));
                }
            }
        }
        if n == 0 {
            errs.push(invalid(
                &from_path,
                Bad::Str(String::new()),
                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            ));
        } else if !s(e, "value").is_empty() {
            errs.push(invalid(&from_path, Bad::Str(String::new()), "may not be specified when `value` is not empty"));
        } else if n > 1 {
            errs.push(invalid(
                &from_path,
                Bad::Str(String::new()),
                "may not have more than one field specified at a time",
            ));
        }
    }
    errs
}

/// validation.go `ValidateVolumeMounts`.
fn volume_mounts(mounts: &[Value], volumes: &BTreeSet<String>, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut points = BTreeSet::new();
    for (i, m) in mounts.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let name = s(m, "name");
        if name.is_empty() {
            errs.push(required(&format!("{at}.name"), ""));
        }
        if !volumes.contains(name) {
            errs.push(not_found(&format!("{at}.name"), Bad::Str(name.into())));
        }
        let mount_path = s(m, "mountPath");
        if mount_path.is_empty() {
            errs.push(required(&format!("{at}.mountPath"), ""));
        }
        if !points.insert(mount_path.to_string()) {
            errs.push(invalid(&format!("{at}.mountPath"), Bad::Str(mount_path.into()), "must be unique"));
        }
    }
    errs
}

/// validation.go `validateResourceRequirements` for containers.
fn resources(r: &Value, path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let parse = |v: &Value| v.as_str().and_then(|t| Quantity::parse(t).ok());
    let limits: BTreeMap<String, Quantity> = r
        .get("limits")
        .and_then(Value::as_object)
        .map(|m| m.iter().filter_map(|(k, v)| parse(v).map(|q| (k.clone(), q))).collect())
        .unwrap_or_default();
    let check = |kind: &str, name: &str, q: &Quantity, errs: &mut Vec<FieldError>| {
        let at = format!("{path}.{kind}[{name}]");
        let standard = matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with("hugepages-");
        if !name.contains('/') && !standard {
            errs.push(invalid(&at, Bad::Str(name.into()), "must be a standard resource for containers"));
        }
        if q.nanos.is_some_and(|n| n < 0) {
            errs.push(invalid(&at, Bad::Str(q.canonical()), "must be greater than or equal to 0"));
        }
    };
    for (name, q) in &limits {
        check("limits", name, q, &mut errs);
    }
    let requests = r.get("requests").and_then(Value::as_object);
    for (name, v) in requests.into_iter().flatten() {
        let Some(q) = parse(v) else { continue };
        check("requests", name, &q, &mut errs);
        if let Some(limit) = limits.get(name) {
            let overcommit = matches!(name.as_str(), "cpu" | "memory" | "ephemeral-storage");
            if q.nanos != limit.nanos && !overcommit && !name.starts_with("hugepages-") {
                errs.push(invalid(
                    &format!("{path}.requests"),
                    Bad::Str(q.canonical()),
                    &format!("must be equal to {name} limit of {}", limit.canonical()),
                ));
            } else if q.nanos > limit.nanos {
                errs.push(invalid(
                    &format!("{path}.requests"),
                    Bad::Str(q.canonical()),
                    &format!("must be less than or equal to {name} limit of {}", limit.canonical()),
                ));
            }
        }
    }
    errs
}

fn probes(c: &Value, grace: Option<i64>, at: &str, opts: Opts) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for key in ["livenessProbe", "readinessProbe", "startupProbe"] {
        let Some(p) = c.get(key) else { continue };
        let ppath = format!("{at}.{key}");
        errs.extend(probe(p, grace, &ppath, opts));
        match key {
            // validateLivenessProbe / validateStartupProbe
            "livenessProbe" | "startupProbe" => {
                let st = int(p, "successThreshold").unwrap_or(0);
                if st != 1 {
                    errs.push(invalid(&format!("{ppath}.successThreshold"), Bad::Int(st), "must be 1"));
                }
            }
            // validateReadinessProbe
            _ => {
                if let Some(t) = int(p, "terminationGracePeriodSeconds") {
                    errs.push(invalid(
                        &format!("{ppath}.terminationGracePeriodSeconds"),
                        Bad::Int(t),
                        "must not be set for readinessProbes",
                    ));
                }
            }
        }
    }
    errs
}

/// validation.go `validateProbe`.
fn probe(p: &Value, grace: Option<i64>, path: &str, opts: Opts) -> Vec<FieldError> {
    let mut errs = handler(p, &["exec", "httpGet", "tcpSocket", "grpc"], grace, path, opts);
    for key in ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"] {
        if let Some(e) = nonnegative(&format!("{path}.{key}"), int(p, key).unwrap_or(0)) {
            errs.push(e);
        }
    }
    if let Some(t) = int(p, "terminationGracePeriodSeconds").filter(|t| *t <= 0) {
        errs.push(invalid(&format!("{path}.terminationGracePeriodSeconds"), Bad::Int(t), "must be greater than 0"));
    }
    errs
}

/// validation.go `validateLifecycle`.
fn lifecycle(l: &Value, grace: Option<i64>, path: &str, opts: Opts) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for hook in ["postStart", "preStop"] {
        if let Some(h) = l.get(hook) {
            errs.extend(handler(h, &["exec", "httpGet", "tcpSocket", "sleep"], grace, &format!("{path}.{hook}"), opts));
        }
    }
    errs
}

/// validation.go `validateHandler`: exactly one handler type, each validated.
fn handler(h: &Value, kinds: &[&str], grace: Option<i64>, path: &str, opts: Opts) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let mut count = 0;
    for kind in ["exec", "httpGet", "tcpSocket", "grpc", "sleep"] {
        if !kinds.contains(&kind) {
            continue;
        }
        let Some(a) = h.get(kind) else { continue };
        let at = format!("{path}.{kind}");
        if count > 0 {
            errs.push(forbidden(&at, "may not specify more than 1 handler type"));
            continue;
        }
        count += 1;
        match kind {
            "exec" => {
                if list(a, "command").is_empty() {
                    errs.push(required(&format!("{at}.command"), ""));
                }
            }
            "httpGet" => {
                if s(a, "path").is_empty() {
                    errs.push(required(&format!("{at}.path"), ""));
                }
                errs.extend(port_num_or_name(a.get("port"), &format!("{at}.port")));
                let scheme = s(a, "scheme");
                if scheme != "HTTP" && scheme != "HTTPS" {
                    errs.push(not_supported(&format!("{at}.scheme"), Bad::Str(scheme.into()), &["HTTP", "HTTPS"]));
                }
            }
            "tcpSocket" => errs.extend(port_num_or_name(a.get("port"), &format!("{at}.port"))),
            "grpc" => {
                let port = int(a, "port").unwrap_or(0);
                for msg in names::port_num(port) {
                    errs.push(invalid(&format!("{at}.port"), Bad::Int(port), &msg));
                }
            }
            _ => {
                // validateSleepAction
                let secs = int(a, "seconds").unwrap_or(0);
                if let Some(g) = grace {
                    if opts.sleep_zero && (secs < 0 || secs > g) {
                        errs.push(invalid(
                            &at,
                            Bad::Int(secs),
                            &format!("must be non-negative and less than terminationGracePeriodSeconds ({g})"),
                        ));
                    } else if !opts.sleep_zero && (secs <= 0 || secs > g) {
                        errs.push(invalid(&at, Bad::Int(secs), &format!("must be greater than 0 and less than terminationGracePeriodSeconds ({g}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.")));
                    }
                }
            }
        }
    }
    if count == 0 {
        errs.push(required(path, "must specify a handler type"));
    }
    errs
}

/// validation.go `ValidatePortNumOrName`.
fn port_num_or_name(port: Option<&Value>, path: &str) -> Vec<FieldError> {
    match port {
        Some(Value::String(name)) => {
            names::port_name(name).into_iter().map(|m| invalid(path, Bad::Str(name.clone()), &m)).collect()
        }
        other => {
            let n = other.and_then(Value::as_i64).unwrap_or(0);
            names::port_num(n).into_iter().map(|m| invalid(path, Bad::Int(n), &m)).collect()
        }
    }
}

/// validation.go `ValidateTolerations` (operator and effect values).
fn tolerations(list_: &[Value], path: &str) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, t) in list_.iter().enumerate() {
        let at = format!("{path}[{i}]");
        let key = s(t, "key");
        if !key.is_empty() {
            for msg in names::qualified_name(key) {
                errs.push(invalid(&format!("{at}.key"), Bad::Str(key.into()), &msg));
            }
        }
        let op = s(t, "operator");
        match op {
            "" | "Equal" => {}
            "Exists" => {
                if !s(t, "value").is_empty() {
                    errs.push(invalid(
                        &format!("{at}.operator"),
                        Bad::Str(s(t, "value").into()),
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            other => errs.push(not_supported(&format!("{at}.operator"), Bad::Str(other.into()), &["Equal", "Exists"])),
        }
        let effect = s(t, "effect");
        match effect {
            "" | "NoSchedule" | "PreferNoSchedule" | "NoExecute" => {}
            other => errs.push(not_supported(
                &format!("{at}.effect"),
                Bad::Str(other.into()),
                &["NoExecute", "NoSchedule", "PreferNoSchedule"],
            )),
        }
        if t.get("tolerationSeconds").is_some() && effect != "NoExecute" {
            errs.push(invalid(
                &format!("{at}.effect"),
                Bad::Str(effect.into()),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
    }
    errs
}
