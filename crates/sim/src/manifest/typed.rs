//! The typed view (`crate::api`) of an accepted, defaulted object, read from its JSON.

use serde_json::Value;

use super::quantity::Quantity;
use super::validate::{int, list, s, string_map};
use crate::api::{
    Container, ContainerPort, DeploymentSpec, Handler, IntOrPercent, JobSpec, LabelSelector, ObjectMeta, OnExitCodes,
    OnPodCondition, PodFailurePolicy, PodFailurePolicyRule, PodSpec, PodTemplate, Port, Probe, PullPolicy,
    RestartPolicy, SelectorRequirement,
};

pub(super) fn object_meta(meta: &Value) -> ObjectMeta {
    ObjectMeta {
        name: s(meta, "name").to_string(),
        generate_name: Some(s(meta, "generateName")).filter(|g| !g.is_empty()).map(str::to_string),
        namespace: s(meta, "namespace").to_string(),
        labels: string_map(meta.get("labels")).unwrap_or_default(),
        annotations: string_map(meta.get("annotations")).unwrap_or_default(),
        finalizers: list(meta, "finalizers").iter().filter_map(Value::as_str).map(str::to_string).collect(),
    }
}

fn strings(v: &Value, key: &str) -> Option<Vec<String>> {
    v.get(key).and_then(Value::as_array).map(|a| a.iter().map(|x| x.as_str().unwrap_or_default().to_string()).collect())
}

pub(super) fn pod_spec(spec: &Value) -> PodSpec {
    PodSpec {
        init_containers: list(spec, "initContainers").iter().map(container).collect(),
        containers: list(spec, "containers").iter().map(container).collect(),
        restart_policy: match s(spec, "restartPolicy") {
            "OnFailure" => RestartPolicy::OnFailure,
            "Never" => RestartPolicy::Never,
            _ => RestartPolicy::Always,
        },
        termination_grace_period_seconds: int(spec, "terminationGracePeriodSeconds").unwrap_or(30),
        node_name: Some(s(spec, "nodeName")).filter(|n| !n.is_empty()).map(str::to_string),
        active_deadline_seconds: int(spec, "activeDeadlineSeconds"),
    }
}

fn container(c: &Value) -> Container {
    let lifecycle = c.get("lifecycle").cloned().unwrap_or(Value::Null);
    Container {
        name: s(c, "name").to_string(),
        image: s(c, "image").to_string(),
        command: strings(c, "command"),
        args: strings(c, "args"),
        image_pull_policy: match s(c, "imagePullPolicy") {
            "Always" => PullPolicy::Always,
            "Never" => PullPolicy::Never,
            _ => PullPolicy::IfNotPresent,
        },
        restart_policy: c.get("restartPolicy").and_then(Value::as_str).map(str::to_string),
        ports: list(c, "ports")
            .iter()
            .map(|p| ContainerPort {
                name: Some(s(p, "name")).filter(|n| !n.is_empty()).map(str::to_string),
                container_port: int(p, "containerPort").unwrap_or(0),
                protocol: s(p, "protocol").to_string(),
            })
            .collect(),
        // Only literal values: valueFrom references resolve to an empty string.
        env: list(c, "env").iter().map(|e| (s(e, "name").to_string(), s(e, "value").to_string())).collect(),
        startup_probe: c.get("startupProbe").map(probe),
        readiness_probe: c.get("readinessProbe").map(probe),
        liveness_probe: c.get("livenessProbe").map(probe),
        post_start: lifecycle.get("postStart").and_then(handler),
        pre_stop: lifecycle.get("preStop").and_then(handler),
        stdin: c.get("stdin") == Some(&Value::Bool(true)),
        tty: c.get("tty") == Some(&Value::Bool(true)),
        memory_limit: c
            .pointer("/resources/limits/memory")
            .and_then(Value::as_str)
            .and_then(|q| Quantity::parse(q).ok())
            .and_then(|q| q.whole_units()),
    }
}

fn probe(p: &Value) -> Probe {
    Probe {
        handler: handler(p).unwrap_or(Handler::Exec { command: Vec::new() }),
        initial_delay_seconds: int(p, "initialDelaySeconds").unwrap_or(0),
        timeout_seconds: int(p, "timeoutSeconds").unwrap_or(1),
        period_seconds: int(p, "periodSeconds").unwrap_or(10),
        success_threshold: int(p, "successThreshold").unwrap_or(1),
        failure_threshold: int(p, "failureThreshold").unwrap_or(3),
        termination_grace_period_seconds: int(p, "terminationGracePeriodSeconds"),
    }
}

fn port(v: Option<&Value>) -> Port {
    match v {
        Some(Value::String(name)) => Port::Name(name.clone()),
        other => Port::Number(other.and_then(Value::as_i64).unwrap_or(0)),
    }
}

fn handler(h: &Value) -> Option<Handler> {
    let host = |a: &Value| Some(s(a, "host")).filter(|h| !h.is_empty()).map(str::to_string);
    if let Some(a) = h.get("exec") {
        return Some(Handler::Exec { command: strings(a, "command").unwrap_or_default() });
    }
    if let Some(a) = h.get("httpGet") {
        return Some(Handler::HttpGet {
            path: s(a, "path").to_string(),
            port: port(a.get("port")),
            host: host(a),
            scheme: s(a, "scheme").to_string(),
        });
    }
    if let Some(a) = h.get("tcpSocket") {
        return Some(Handler::TcpSocket { port: port(a.get("port")), host: host(a) });
    }
    if let Some(a) = h.get("grpc") {
        let service = Some(s(a, "service")).filter(|x| !x.is_empty()).map(str::to_string);
        return Some(Handler::Grpc { port: int(a, "port").unwrap_or(0), service });
    }
    h.get("sleep").map(|a| Handler::Sleep { seconds: int(a, "seconds").unwrap_or(0) })
}

fn selector(sel: &Value) -> LabelSelector {
    LabelSelector {
        match_labels: string_map(sel.get("matchLabels")).unwrap_or_default(),
        match_expressions: list(sel, "matchExpressions")
            .iter()
            .map(|e| SelectorRequirement {
                key: s(e, "key").to_string(),
                operator: s(e, "operator").to_string(),
                values: strings(e, "values").unwrap_or_default(),
            })
            .collect(),
    }
}

pub(super) fn template(t: &Value) -> PodTemplate {
    PodTemplate {
        metadata: object_meta(t.get("metadata").unwrap_or(&Value::Null)),
        spec: pod_spec(t.get("spec").unwrap_or(&Value::Null)),
        json: t.clone(),
    }
}

pub(super) fn job_spec(spec: &Value) -> JobSpec {
    JobSpec {
        completions: int(spec, "completions"),
        parallelism: int(spec, "parallelism").unwrap_or(1),
        backoff_limit: int(spec, "backoffLimit").unwrap_or(6),
        active_deadline_seconds: int(spec, "activeDeadlineSeconds"),
        ttl_seconds_after_finished: int(spec, "ttlSecondsAfterFinished"),
        completion_mode: s(spec, "completionMode").to_string(),
        suspend: spec.get("suspend") == Some(&Value::Bool(true)),
        selector: spec.get("selector").map(selector),
        manual_selector: spec.get("manualSelector") == Some(&Value::Bool(true)),
        template: template(spec.get("template").unwrap_or(&Value::Null)),
        pod_failure_policy: spec.get("podFailurePolicy").map(pod_failure_policy),
    }
}

fn pod_failure_policy(p: &Value) -> PodFailurePolicy {
    PodFailurePolicy {
        rules: list(p, "rules")
            .iter()
            .map(|r| PodFailurePolicyRule {
                action: s(r, "action").to_string(),
                on_exit_codes: r.get("onExitCodes").filter(|e| e.is_object()).map(|e| OnExitCodes {
                    container_name: e.get("containerName").and_then(Value::as_str).map(str::to_string),
                    operator: s(e, "operator").to_string(),
                    values: list(e, "values").iter().filter_map(Value::as_i64).collect(),
                }),
                on_pod_conditions: list(r, "onPodConditions")
                    .iter()
                    .map(|c| OnPodCondition { type_: s(c, "type").to_string(), status: s(c, "status").to_string() })
                    .collect(),
            })
            .collect(),
    }
}

fn int_or_percent(v: Option<&Value>) -> Option<IntOrPercent> {
    match v? {
        Value::String(p) => p.strip_suffix('%').and_then(|n| n.parse().ok()).map(IntOrPercent::Percent),
        other => other.as_i64().map(IntOrPercent::Int),
    }
}

pub(super) fn deployment_spec(spec: &Value) -> DeploymentSpec {
    let strategy = spec.get("strategy").cloned().unwrap_or(Value::Null);
    DeploymentSpec {
        replicas: int(spec, "replicas").unwrap_or(1),
        selector: spec.get("selector").map(selector).unwrap_or_default(),
        template: template(spec.get("template").unwrap_or(&Value::Null)),
        strategy: s(&strategy, "type").to_string(),
        max_surge: int_or_percent(strategy.pointer("/rollingUpdate/maxSurge")),
        max_unavailable: int_or_percent(strategy.pointer("/rollingUpdate/maxUnavailable")),
        min_ready_seconds: int(spec, "minReadySeconds").unwrap_or(0),
        revision_history_limit: int(spec, "revisionHistoryLimit").unwrap_or(10),
        progress_deadline_seconds: int(spec, "progressDeadlineSeconds").unwrap_or(600),
        paused: spec.get("paused") == Some(&Value::Bool(true)),
    }
}
