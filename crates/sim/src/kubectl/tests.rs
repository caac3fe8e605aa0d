//! Whole-output tests: hand-built traces in Kubernetes' JSON shape, `run` as the CLI calls it,
//! and the exact bytes kubectl would print.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{json, Value};

use super::printers::{self, Ctx};
use super::time::{format_rfc3339, Now, SECOND};
use super::{run, Output};
use crate::trace::{Event, History, LogLine, ObjectKey, Revision, Trace, TraceSettings};

/// 2024-05-01T10:00:00Z: `t = 0` of every fixture.
const EPOCH: i64 = 1_714_557_600;

fn ts(t: f64) -> String {
    format_rfc3339(EPOCH * SECOND + (t * 1e9) as i64)
}

struct Fixture {
    k8s: &'static str,
    revisions: Vec<Revision>,
    events: Vec<Event>,
    logs: Vec<LogLine>,
}

impl Fixture {
    fn new(k8s: &'static str) -> Fixture {
        Fixture { k8s, revisions: Vec::new(), events: Vec::new(), logs: Vec::new() }
    }

    fn k8s(mut self, k8s: &'static str) -> Fixture {
        self.k8s = k8s;
        self
    }

    fn at(mut self, t: f64, object: Value) -> Fixture {
        let key = ObjectKey {
            kind: object["kind"].as_str().unwrap_or("").to_string(),
            namespace: object["metadata"]["namespace"].as_str().unwrap_or("").to_string(),
            name: object["metadata"]["name"].as_str().unwrap_or("").to_string(),
        };
        self.revisions.push(Revision { t, key, object: Some(Arc::new(object).into()) });
        self
    }

    fn deleted(mut self, t: f64, kind: &str, name: &str) -> Fixture {
        let key = ObjectKey { kind: kind.to_string(), namespace: "default".to_string(), name: name.to_string() };
        self.revisions.push(Revision { t, key, object: None });
        self
    }

    fn event(
        mut self,
        t: f64,
        type_: &'static str,
        reason: &str,
        object: &str,
        source: &'static str,
        message: &str,
    ) -> Fixture {
        let field_path = None;
        let host = (source == "kubelet").then(|| "node-1".to_string());
        self.events.push(Event {
            t,
            type_,
            reason: reason.to_string(),
            object: object.to_string(),
            namespace: "default".to_string(),
            source,
            host,
            field_path,
            message: message.to_string(),
        });
        self
    }

    fn log(mut self, t: f64, pod: &str, container: &str, instance: u32, text: &str) -> Fixture {
        self.logs.push(LogLine {
            t,
            namespace: "default".to_string(),
            pod: pod.to_string(),
            container: container.to_string(),
            instance,
            text: text.to_string(),
        });
        self
    }

    fn trace(&self) -> Trace {
        let mut revisions = self.revisions.clone();
        revisions.sort_by(|a, b| a.t.total_cmp(&b.t));
        let mut events = self.events.clone();
        events.sort_by(|a, b| a.t.total_cmp(&b.t));
        Trace {
            schema: "podsim.trace/v1",
            settings: TraceSettings {
                k8s: self.k8s.to_string(),
                feature_gates: BTreeMap::new(),
                apiserver_feature_gates: BTreeMap::new(),
                kubelet_feature_gates: BTreeMap::new(),
                validate: "strict".to_string(),
                until: 600.0,
                seed: 1,
            },
            diagnostics: Vec::new(),
            rejected: Vec::new(),
            happenings: Vec::new(),
            waits: Vec::new(),
            events,
            history: History { revisions },
            logs: self.logs.clone(),
            epoch: EPOCH,
        }
    }

    fn run(&self, at: f64, cmd: &str) -> Output {
        let args: Vec<String> = cmd.split_whitespace().map(String::from).collect();
        run(&self.trace(), at, &args)
    }
}

#[track_caller]
fn check(out: &Output, stdout: &str, stderr: &str, exit_code: i32) {
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
        (stdout, stderr, exit_code),
        "\n--- stdout ---\n{}--- stderr ---\n{}",
        out.stdout,
        out.stderr
    );
}

fn meta(name: &str, created: f64) -> Value {
    json!({"name": name, "namespace": "default", "uid": format!("uid-{name}"), "creationTimestamp": ts(created)})
}

fn running(started: f64) -> Value {
    json!({"running": {"startedAt": ts(started)}})
}

fn terminated(code: i64, reason: &str, started: f64, finished: f64) -> Value {
    json!({"terminated": {"exitCode": code, "reason": reason, "startedAt": ts(started), "finishedAt": ts(finished), "containerID": "containerd://abc"}})
}

fn waiting(reason: &str) -> Value {
    json!({"waiting": {"reason": reason}})
}

/// A container status; `last` is the previous instance's termination, if any.
fn cs(name: &str, state: Value, ready: bool, started: bool, restarts: i64, last: Option<Value>) -> Value {
    json!({
        "name": name,
        "state": state,
        "lastState": last.unwrap_or(json!({})),
        "ready": ready,
        "started": started,
        "restartCount": restarts,
        "image": "busybox:1.36",
        "imageID": "docker.io/library/busybox@sha256:1234",
        "containerID": "containerd://0123456789",
    })
}

fn conditions(initialized: bool, ready: bool) -> Value {
    let s = |b: bool| if b { "True" } else { "False" };
    json!([
        {"type": "Initialized", "status": s(initialized)},
        {"type": "Ready", "status": s(ready)},
        {"type": "ContainersReady", "status": s(ready)},
        {"type": "PodScheduled", "status": "True"},
    ])
}

/// A pod with one regular init container, one sidecar and one main container.
fn sidecar_pod(name: &str, phase: &str, inits: Value, mains: Value, conds: Value) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta(name, 0.0),
        "spec": {
            "nodeName": "node-1",
            "initContainers": [
                {"name": "init", "image": "busybox:1.36"},
                {"name": "proxy", "image": "envoy:v1", "restartPolicy": "Always"},
            ],
            "containers": [{"name": "app", "image": "nginx:1.25"}],
        },
        "status": {"phase": phase, "conditions": conds, "initContainerStatuses": inits, "containerStatuses": mains},
    })
}

fn pod_cells(minor: u32, at: f64, pod: &Value) -> (String, String, String) {
    let ctx = Ctx { now: Now(EPOCH * SECOND + (at * 1e9) as i64), minor };
    let c = printers::cells(super::resources::Kind::Pod, pod, ctx);
    (c[1].clone(), c[2].clone(), c[3].clone())
}

#[test]
fn print_pod_status_derivation() {
    let t = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    let waiting_main = json!([cs("app", waiting("PodInitializing"), false, false, 0, None)]);
    let cases: Vec<(&str, Value, (String, String, String))> = vec![
        (
            "no statuses yet",
            sidecar_pod("p", "Pending", json!([]), json!([]), conditions(false, false)),
            t("0/2", "Pending", "0"),
        ),
        (
            "regular init running",
            sidecar_pod(
                "p",
                "Pending",
                json!([
                    cs("init", running(1.0), false, true, 0, None),
                    cs("proxy", waiting("PodInitializing"), false, false, 0, None)
                ]),
                waiting_main.clone(),
                conditions(false, false),
            ),
            t("0/2", "Init:0/2", "0"),
        ),
        (
            "sidecar running, startup probe not passed",
            sidecar_pod(
                "p",
                "Pending",
                json!([
                    cs("init", terminated(0, "Completed", 1.0, 2.0), true, false, 0, None),
                    cs("proxy", running(3.0), false, false, 0, None)
                ]),
                waiting_main.clone(),
                conditions(false, false),
            ),
            t("0/2", "Init:1/2", "0"),
        ),
        (
            "sidecar started and ready, main creating",
            sidecar_pod(
                "p",
                "Pending",
                json!([
                    cs("init", terminated(0, "Completed", 1.0, 2.0), true, false, 0, None),
                    cs("proxy", running(3.0), true, true, 0, None)
                ]),
                json!([cs("app", waiting("ContainerCreating"), false, false, 0, None)]),
                conditions(true, false),
            ),
            t("1/2", "ContainerCreating", "0"),
        ),
        (
            "all running",
            sidecar_pod(
                "p",
                "Running",
                json!([
                    cs("init", terminated(0, "Completed", 1.0, 2.0), true, false, 0, None),
                    cs("proxy", running(3.0), true, true, 0, None)
                ]),
                json!([cs("app", running(5.0), true, true, 0, None)]),
                conditions(true, true),
            ),
            t("2/2", "Running", "0"),
        ),
        (
            "sidecar crash-loops after init: status stays Init:CrashLoopBackOff",
            sidecar_pod(
                "p",
                "Running",
                json!([
                    cs("init", terminated(0, "Completed", 1.0, 2.0), true, false, 0, None),
                    cs(
                        "proxy",
                        waiting("CrashLoopBackOff"),
                        false,
                        false,
                        2,
                        Some(json!({"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ts(50.0)}}))
                    ),
                ]),
                json!([cs("app", running(5.0), true, true, 0, None)]),
                conditions(true, false),
            ),
            t("1/2", "Init:CrashLoopBackOff", "2 (10s ago)"),
        ),
        (
            "job done, sidecar killed: Completed",
            sidecar_pod(
                "p",
                "Succeeded",
                json!([
                    cs("init", terminated(0, "Completed", 1.0, 2.0), false, false, 0, None),
                    cs("proxy", terminated(137, "Error", 3.0, 40.0), false, false, 0, None),
                ]),
                json!([cs("app", terminated(0, "Completed", 5.0, 10.0), false, false, 0, None)]),
                json!([{"type": "Initialized", "status": "True", "reason": "PodCompleted"}, {"type": "Ready", "status": "False"}]),
            ),
            t("0/2", "Completed", "0"),
        ),
        (
            "regular init failed",
            sidecar_pod(
                "p",
                "Failed",
                json!([cs("init", terminated(1, "Error", 1.0, 2.0), false, false, 0, None)]),
                waiting_main.clone(),
                conditions(false, false),
            ),
            t("0/2", "Init:Error", "0"),
        ),
        (
            "init terminated without reason, by signal",
            sidecar_pod(
                "p",
                "Pending",
                json!([{"name": "init", "state": {"terminated": {"exitCode": 137, "signal": 9}}, "restartCount": 1}]),
                waiting_main.clone(),
                conditions(false, false),
            ),
            t("0/2", "Init:Signal:9", "1"),
        ),
        (
            "init crash loop counts init restarts",
            sidecar_pod(
                "p",
                "Pending",
                json!([cs(
                    "init",
                    waiting("CrashLoopBackOff"),
                    false,
                    false,
                    3,
                    Some(json!({"terminated": {"exitCode": 1, "finishedAt": ts(55.0)}}))
                )]),
                waiting_main.clone(),
                conditions(false, false),
            ),
            t("0/2", "Init:CrashLoopBackOff", "3 (5s ago)"),
        ),
        (
            "main OOMKilled",
            sidecar_pod(
                "p",
                "Running",
                json!([
                    cs("init", terminated(0, "Completed", 1.0, 2.0), true, false, 0, None),
                    cs("proxy", running(3.0), true, true, 0, None)
                ]),
                json!([cs("app", terminated(137, "OOMKilled", 5.0, 20.0), false, false, 0, None)]),
                conditions(true, false),
            ),
            t("1/2", "OOMKilled", "0"),
        ),
        (
            "main image pull back-off",
            sidecar_pod(
                "p",
                "Pending",
                json!([
                    cs("init", terminated(0, "Completed", 1.0, 2.0), true, false, 0, None),
                    cs("proxy", running(3.0), true, true, 0, None)
                ]),
                json!([cs("app", waiting("ImagePullBackOff"), false, false, 0, None)]),
                conditions(true, false),
            ),
            t("1/2", "ImagePullBackOff", "0"),
        ),
    ];
    for (what, pod, want) in cases {
        assert_eq!(pod_cells(29, 60.0, &pod), want, "{what}");
    }
}

/// Legacy sidecar in a Job: main Completed, sidecar running & ready ⇒ NotReady (or Running
/// when the pod is Ready).
#[test]
fn completed_with_running_container() {
    let pod = |ready: bool| {
        json!({
            "kind": "Pod",
            "metadata": meta("pi-6q4lh", 0.0),
            "spec": {"containers": [{"name": "pi"}, {"name": "network-proxy"}]},
            "status": {
                "phase": "Running",
                "conditions": conditions(true, ready),
                "containerStatuses": [
                    cs("network-proxy", running(2.0), true, true, 0, None),
                    cs("pi", terminated(0, "Completed", 1.0, 9.0), false, false, 0, None),
                ],
            },
        })
    };
    let t = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(pod_cells(29, 1020.0, &pod(false)), t("1/2", "NotReady", "0"));
    assert_eq!(pod_cells(29, 1020.0, &pod(true)), t("1/2", "Running", "0"));
}

/// A terminal pod being deleted: `Terminating` before 1.31, its phase from 1.31.
#[test]
fn terminating_terminal_pod_by_version() {
    let mut pod = json!({
        "kind": "Pod",
        "metadata": meta("done", 0.0),
        "spec": {"containers": [{"name": "app"}]},
        "status": {"phase": "Succeeded", "containerStatuses": [cs("app", terminated(0, "Completed", 1.0, 5.0), false, false, 0, None)]},
    });
    pod["metadata"]["deletionTimestamp"] = json!(ts(20.0));
    assert_eq!(pod_cells(30, 30.0, &pod).1, "Terminating");
    assert_eq!(pod_cells(31, 30.0, &pod).1, "Completed");
    pod["status"]["phase"] = json!("Running");
    pod["status"]["containerStatuses"] = json!([cs("app", running(1.0), true, true, 0, None)]);
    assert_eq!(pod_cells(31, 30.0, &pod).1, "Terminating");
}

/// Seed (b): Job `pi` whose pod has the native sidecar `network-proxy`.
fn native_job() -> Fixture {
    let job = |status: Value| {
        json!({
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "pi", "namespace": "default", "uid": "uid-job", "creationTimestamp": ts(0.0), "labels": {"batch.kubernetes.io/job-name": "pi", "job-name": "pi"}},
            "spec": {
                "backoffLimit": 4,
                "completions": 1,
                "parallelism": 1,
                "suspend": false,
                "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "uid-job"}},
                "template": {
                    "metadata": {"labels": {"batch.kubernetes.io/controller-uid": "uid-job", "batch.kubernetes.io/job-name": "pi", "controller-uid": "uid-job", "job-name": "pi"}},
                    "spec": {
                        "initContainers": [{"name": "network-proxy", "image": "hwchiu/python-example", "restartPolicy": "Always"}],
                        "containers": [{"name": "pi", "image": "perl:5.34.0", "command": ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]}],
                        "restartPolicy": "Never",
                    },
                },
            },
            "status": status,
        })
    };
    let pod = |status: Value| {
        json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "pi-6q4lh",
                "namespace": "default",
                "uid": "uid-pod",
                "creationTimestamp": ts(0.0),
                "labels": {"batch.kubernetes.io/job-name": "pi", "job-name": "pi"},
                "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": "pi", "uid": "uid-job", "controller": true}],
            },
            "spec": {
                "nodeName": "node-1",
                "serviceAccountName": "default",
                "priority": 0,
                "restartPolicy": "Never",
                "initContainers": [{"name": "network-proxy", "image": "hwchiu/python-example", "restartPolicy": "Always"}],
                "containers": [{"name": "pi", "image": "perl:5.34.0", "command": ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]}],
                "tolerations": [
                    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                ],
            },
            "status": status,
        })
    };
    let sidecar = |state: Value, ready: bool| cs("network-proxy", state, ready, ready, 0, None);
    Fixture::new("1.29")
        .at(0.0, job(json!({})))
        .at(0.5, job(json!({"active": 1, "ready": 0, "startTime": ts(0.5)})))
        .at(0.5, pod(json!({"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "True"}], "qosClass": "BestEffort"})))
        .at(
            3.0,
            pod(json!({
                "phase": "Pending", "hostIP": "10.0.0.2", "podIP": "10.244.0.7", "podIPs": [{"ip": "10.244.0.7"}], "startTime": ts(0.5), "qosClass": "BestEffort",
                "conditions": conditions(false, false),
                "initContainerStatuses": [sidecar(running(2.0), true)],
                "containerStatuses": [cs("pi", waiting("PodInitializing"), false, false, 0, None)],
            })),
        )
        .at(
            6.0,
            pod(json!({
                "phase": "Running", "hostIP": "10.0.0.2", "podIP": "10.244.0.7", "podIPs": [{"ip": "10.244.0.7"}], "startTime": ts(0.5), "qosClass": "BestEffort",
                "conditions": conditions(true, true),
                "initContainerStatuses": [sidecar(running(2.0), true)],
                "containerStatuses": [cs("pi", running(5.0), true, true, 0, None)],
            })),
        )
        .at(
            9.0,
            pod(json!({
                "phase": "Running", "hostIP": "10.0.0.2", "podIP": "10.244.0.7", "podIPs": [{"ip": "10.244.0.7"}], "startTime": ts(0.5), "qosClass": "BestEffort",
                "conditions": conditions(true, false),
                "initContainerStatuses": [sidecar(running(2.0), true)],
                "containerStatuses": [cs("pi", terminated(0, "Completed", 5.0, 8.5), false, false, 0, None)],
            })),
        )
        .at(
            40.0,
            pod(json!({
                "phase": "Succeeded", "hostIP": "10.0.0.2", "podIP": "10.244.0.7", "podIPs": [{"ip": "10.244.0.7"}], "startTime": ts(0.5), "qosClass": "BestEffort",
                "conditions": [
                    {"type": "PodReadyToStartContainers", "status": "False"},
                    {"type": "Initialized", "status": "True", "reason": "PodCompleted"},
                    {"type": "Ready", "status": "False", "reason": "PodCompleted"},
                    {"type": "ContainersReady", "status": "False", "reason": "PodCompleted"},
                    {"type": "PodScheduled", "status": "True"},
                ],
                "initContainerStatuses": [sidecar(terminated(137, "Error", 2.0, 39.5), false)],
                "containerStatuses": [cs("pi", terminated(0, "Completed", 5.0, 8.5), false, false, 0, None)],
            })),
        )
        .at(
            41.0,
            job(json!({
                "startTime": ts(0.5), "completionTime": ts(41.0), "succeeded": 1, "ready": 0,
                "conditions": [{"type": "Complete", "status": "True"}],
            })),
        )
        .event(0.5, "Normal", "SuccessfulCreate", "Job/pi", "job-controller", "Created pod: pi-6q4lh")
        .event(0.5, "Normal", "Scheduled", "Pod/pi-6q4lh", "default-scheduler", "Successfully assigned default/pi-6q4lh to node-1")
        .event(0.8, "Normal", "Pulling", "Pod/pi-6q4lh", "kubelet", "Pulling image \"hwchiu/python-example\"")
        .event(1.9, "Normal", "Pulled", "Pod/pi-6q4lh", "kubelet", "Successfully pulled image \"hwchiu/python-example\" in 1.1s (1.1s including waiting)")
        .event(2.0, "Normal", "Created", "Pod/pi-6q4lh", "kubelet", "Created container network-proxy")
        .event(2.0, "Normal", "Started", "Pod/pi-6q4lh", "kubelet", "Started container network-proxy")
        .event(4.9, "Normal", "Pulled", "Pod/pi-6q4lh", "kubelet", "Container image \"perl:5.34.0\" already present on machine")
        .event(5.0, "Normal", "Created", "Pod/pi-6q4lh", "kubelet", "Created container pi")
        .event(5.0, "Normal", "Started", "Pod/pi-6q4lh", "kubelet", "Started container pi")
        .event(9.5, "Normal", "Killing", "Pod/pi-6q4lh", "kubelet", "Stopping container network-proxy")
        .event(41.0, "Normal", "Completed", "Job/pi", "job-controller", "Job completed")
        .log(5.5, "pi-6q4lh", "pi", 0, "3.14159265358979323846")
        .log(2.5, "pi-6q4lh", "network-proxy", 0, "Serving HTTP on 0.0.0.0 port 5000")
}

/// Seed (c): Deployment `proxy`, app and proxy both regular containers; app crashed once.
fn legacy_deployment(k8s: &'static str) -> Fixture {
    let template = |hash: Option<&str>| {
        let mut labels = json!({"run": "proxy"});
        if let Some(h) = hash {
            labels["pod-template-hash"] = json!(h);
        }
        json!({
            "metadata": {"labels": labels},
            "spec": {
                "containers": [
                    {"name": "app", "image": "hwchiu/netutils", "command": ["/bin/sh"], "args": ["-c", "nc -zv localhost 5000 && sleep 1d"]},
                    {
                        "name": "proxy", "image": "hwchiu/python-example",
                        "ports": [{"containerPort": 5000, "protocol": "TCP", "name": "http"}],
                        "startupProbe": {"httpGet": {"path": "/", "port": 5000, "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
                        "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}}],
                    },
                ],
                "volumes": [{"name": "cache", "emptyDir": {}}],
            },
        })
    };
    let deploy = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "proxy", "namespace": "default", "uid": "uid-deploy", "creationTimestamp": ts(0.0), "annotations": {"deployment.kubernetes.io/revision": "1"}},
        "spec": {
            "replicas": 1, "selector": {"matchLabels": {"run": "proxy"}}, "template": template(None),
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
        },
        "status": {
            "replicas": 1, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1,
            "conditions": [
                {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"},
            ],
        },
    });
    let rs = json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {
            "name": "proxy-74dc7b8d88", "namespace": "default", "uid": "uid-rs", "creationTimestamp": ts(0.0),
            "labels": {"pod-template-hash": "74dc7b8d88", "run": "proxy"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "proxy", "uid": "uid-deploy", "controller": true}],
        },
        "spec": {"replicas": 1, "selector": {"matchLabels": {"pod-template-hash": "74dc7b8d88", "run": "proxy"}}, "template": template(Some("74dc7b8d88"))},
        "status": {"replicas": 1, "readyReplicas": 1, "availableReplicas": 1},
    });
    let mut pod_spec = template(Some("74dc7b8d88"))["spec"].clone();
    pod_spec["nodeName"] = json!("node-1");
    let pod = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": "proxy-74dc7b8d88-77cft", "namespace": "default", "uid": "uid-p1", "creationTimestamp": ts(0.0),
            "labels": {"pod-template-hash": "74dc7b8d88", "run": "proxy"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "proxy-74dc7b8d88", "uid": "uid-rs", "controller": true}],
        },
        "spec": pod_spec,
        "status": {
            "phase": "Running", "hostIP": "10.0.0.2", "podIP": "10.244.0.9", "podIPs": [{"ip": "10.244.0.9"}], "startTime": ts(0.0),
            "conditions": conditions(true, true),
            "containerStatuses": [
                cs("app", running(4.0), true, true, 1, Some(json!({"terminated": {"exitCode": 1, "reason": "Error", "startedAt": ts(1.0), "finishedAt": ts(3.0), "containerID": "containerd://old"}}))),
                cs("proxy", running(2.0), true, true, 0, None),
            ],
        },
    });
    let node = json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "node-1", "uid": "uid-node", "creationTimestamp": ts(-86_400.0 * 3.0), "labels": {"kubernetes.io/hostname": "node-1", "node-role.kubernetes.io/control-plane": ""}},
        "status": {
            "conditions": [{"type": "Ready", "status": "True"}],
            "addresses": [{"type": "InternalIP", "address": "10.0.0.2"}],
            "nodeInfo": {"kubeletVersion": format!("v{k8s}.2"), "osImage": "Debian GNU/Linux 12 (bookworm)", "kernelVersion": "6.1.0", "containerRuntimeVersion": "containerd://1.7.13"},
        },
    });
    let p = "Pod/proxy-74dc7b8d88-77cft";
    Fixture::new(k8s)
        .at(-86_400.0 * 3.0, node)
        .at(0.0, deploy)
        .at(0.0, rs)
        .at(0.0, pod)
        .event(
            0.0,
            "Normal",
            "ScalingReplicaSet",
            "Deployment/proxy",
            "deployment-controller",
            "Scaled up replica set proxy-74dc7b8d88 to 1",
        )
        .event(
            0.0,
            "Normal",
            "SuccessfulCreate",
            "ReplicaSet/proxy-74dc7b8d88",
            "replicaset-controller",
            "Created pod: proxy-74dc7b8d88-77cft",
        )
        .event(
            0.1,
            "Normal",
            "Scheduled",
            p,
            "default-scheduler",
            "Successfully assigned default/proxy-74dc7b8d88-77cft to node-1",
        )
        .event(0.5, "Normal", "Pulling", p, "kubelet", "Pulling image \"hwchiu/netutils\"")
        .event(
            1.0,
            "Normal",
            "Pulled",
            p,
            "kubelet",
            "Successfully pulled image \"hwchiu/netutils\" in 447ms (447ms including waiting)",
        )
        .event(1.0, "Normal", "Created", p, "kubelet", "Created container app")
        .event(1.0, "Normal", "Started", p, "kubelet", "Started container app")
        .event(1.1, "Normal", "Pulling", p, "kubelet", "Pulling image \"hwchiu/python-example\"")
        .event(
            2.0,
            "Normal",
            "Pulled",
            p,
            "kubelet",
            "Successfully pulled image \"hwchiu/python-example\" in 859ms (859ms including waiting)",
        )
        .event(2.0, "Normal", "Created", p, "kubelet", "Created container proxy")
        .event(2.0, "Normal", "Started", p, "kubelet", "Started container proxy")
        .event(3.5, "Normal", "Pulling", p, "kubelet", "Pulling image \"hwchiu/netutils\"")
        .event(
            4.0,
            "Normal",
            "Pulled",
            p,
            "kubelet",
            "Successfully pulled image \"hwchiu/netutils\" in 470ms (470ms including waiting)",
        )
        .event(4.0, "Normal", "Created", p, "kubelet", "Created container app")
        .event(4.0, "Normal", "Started", p, "kubelet", "Started container app")
        .log(1.2, "proxy-74dc7b8d88-77cft", "app", 0, "localhost [127.0.0.1] 5000 (?) : Connection refused")
        .log(4.2, "proxy-74dc7b8d88-77cft", "app", 1, "localhost [127.0.0.1] 5000 (?) open")
}

/// (test name, fixture, moment, command): the cases whose whole output is pinned below.
fn golden_cases() -> Vec<(&'static str, Fixture, f64, &'static str)> {
    vec![
        ("get_pods_initializing", native_job(), 4.0, "get pods"),
        ("get_pods_wide", native_job(), 7.0, "get pods -o wide"),
        ("get_pods_and_jobs_1_29", native_job(), 20.0, "get pods,jobs"),
        ("get_jobs_status_column_1_30", native_job().k8s("1.30"), 20.0, "get jobs"),
        ("get_jobs_complete_1_30", native_job().k8s("1.30"), 61.0, "get job pi -o wide"),
        ("get_all", native_job(), 61.0, "get all"),
        ("get_events", native_job(), 61.0, "get events"),
        ("get_pods_watch", native_job(), 61.0, "get pods -w"),
        ("get_pod_yaml", native_job(), 61.0, "get pod pi-6q4lh -o yaml"),
        ("get_pods_name", native_job(), 61.0, "get pods,jobs -o name"),
        ("describe_pod_sidecar_job", native_job(), 61.0, "describe pod pi-6q4lh"),
        ("describe_job_1_29", native_job(), 61.0, "describe job pi"),
        ("describe_job_1_30", native_job().k8s("1.30"), 61.0, "describe jobs/pi"),
        ("logs_defaulted_container", native_job(), 61.0, "logs pi-6q4lh"),
        ("logs_previous_missing", native_job(), 61.0, "logs pi-6q4lh -p"),
        ("logs_waiting", native_job(), 4.0, "logs pod/pi-6q4lh -c pi"),
        ("logs_unknown_container", native_job(), 4.0, "logs pi-6q4lh -c nope"),
        ("get_deploy_rs_pods_wide", legacy_deployment("1.34"), 380.0, "get deploy,rs,pods -o wide"),
        ("get_nodes", legacy_deployment("1.34"), 380.0, "get nodes"),
        ("describe_deploy", legacy_deployment("1.34"), 380.0, "describe deploy proxy"),
        ("describe_pod_prefix_1_34", legacy_deployment("1.34"), 380.0, "describe pod proxy"),
        ("describe_pod_ports_1_33", legacy_deployment("1.33"), 380.0, "describe pods/proxy-74dc7b8d88-77cft"),
        ("describe_rs", legacy_deployment("1.34"), 380.0, "describe rs"),
        ("get_events_wide", legacy_deployment("1.34"), 380.0, "get events -o wide"),
        ("get_events_sorted", legacy_deployment("1.34"), 380.0, "get events --sort-by=.lastTimestamp"),
        (
            "logs_previous_timestamps",
            legacy_deployment("1.34"),
            380.0,
            "logs -p proxy-74dc7b8d88-77cft -c app --timestamps",
        ),
        ("logs_current_tail", legacy_deployment("1.34"), 380.0, "logs proxy-74dc7b8d88-77cft app --tail=1"),
        ("get_pods_labels_all_namespaces", legacy_deployment("1.34"), 380.0, "get pods --show-labels -A"),
        ("get_pods_selector_miss", legacy_deployment("1.34"), 380.0, "get pods -l run=web"),
        ("get_deploy_json", legacy_deployment("1.34"), 380.0, "get deploy proxy -o json"),
    ]
}

/// Renders the cases in the golden file's format: a header per case, then stdout and stderr
/// verbatim (each empty or ending in a newline).
fn render_golden() -> String {
    let mut out = String::new();
    for (name, fx, at, cmd) in golden_cases() {
        let o = fx.run(at, cmd);
        for stream in [&o.stdout, &o.stderr] {
            assert!(stream.is_empty() || stream.ends_with('\n'), "{name}: output must end with a newline");
        }
        out.push_str(&format!("=== {name}: kubectl {cmd} (t={at}s, exit {})\n", o.exit_code));
        out.push_str("--- stdout\n");
        out.push_str(&o.stdout);
        out.push_str("--- stderr\n");
        out.push_str(&o.stderr);
    }
    out
}

/// The whole outputs in `testdata/golden.txt`; `UPDATE_GOLDEN=1` rewrites the file after a
/// deliberate change (then review the diff against kubectl's behaviour).
#[test]
fn golden_outputs() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/kubectl/testdata/golden.txt");
    let got = render_golden();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(path, &got).expect("write golden file");
        return;
    }
    let want = include_str!("testdata/golden.txt");
    let sections = |text: &str| -> Vec<(String, String)> {
        text.split("\n=== ")
            .map(|s| s.trim_start_matches("=== "))
            .map(|s| {
                let (head, body) = s.split_once('\n').unwrap_or((s, ""));
                (head.to_string(), body.to_string())
            })
            .collect()
    };
    let (got_sections, want_sections) = (sections(&got), sections(want));
    for (g, w) in got_sections.iter().zip(&want_sections) {
        assert_eq!(g, w, "\n=== got ===\n{}\n{}\n=== want ===\n{}\n{}", g.0, g.1, w.0, w.1);
    }
    assert_eq!(got_sections.len(), want_sections.len(), "number of golden cases");
}

#[test]
fn errors_as_kubectl_prints_them() {
    let f = native_job();
    check(&f.run(61.0, "get foo"), "", "error: the server doesn't have a resource type \"foo\"\n", 1);
    check(&f.run(61.0, "get pods --foo"), "", "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n", 1);
    check(&f.run(61.0, "get pod web"), "", "Error from server (NotFound): pods \"web\" not found\n", 1);
    check(&f.run(61.0, "get deploy web"), "", "Error from server (NotFound): deployments.apps \"web\" not found\n", 1);
    check(&f.run(61.0, "get pods -n kube-system"), "", "No resources found in kube-system namespace.\n", 0);
    check(&f.run(61.0, "get sts"), "", "No resources found in default namespace.\n", 0);
    check(&f.run(61.0, "describe pod web"), "", "Error from server (NotFound): pods \"web\" not found\n", 1);
    check(
        &f.run(61.0, "logs"),
        "",
        "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples\n",
        1,
    );
    check(
        &f.run(61.0, "frobnicate"),
        "",
        "error: unknown command \"frobnicate\" for \"kubectl\"\nRun 'kubectl --help' for usage.\n",
        1,
    );
    let out = f.run(61.0, "get pod pi-6q4lh web");
    assert_eq!(out.stderr, "Error from server (NotFound): pods \"web\" not found\n");
    assert!(out.stdout.starts_with("NAME       READY") && out.exit_code == 1, "{out:?}");
}

/// A deleted object's last state is the watch's final row; after it, `get` finds nothing.
#[test]
fn watch_prints_deletion_and_list_forgets() {
    let f = native_job().deleted(50.0, "Pod", "pi-6q4lh");
    let out = f.run(61.0, "get pods -w");
    assert_eq!(out.stdout.lines().last(), Some("pi-6q4lh   0/2     Completed         0          50s"));
    check(&f.run(61.0, "get pods"), "", "No resources found in default namespace.\n", 0);
    let names = f.run(61.0, "get pods -w -o name");
    assert_eq!(names.stdout, "pod/pi-6q4lh\n".repeat(6));
}

/// The legacy recorder: identical events count up; ten different messages for one object and
/// reason within ten minutes collapse; the spam filter drops writes past its burst; events
/// expire an hour after their last write.
#[test]
fn event_recorder_emulation() {
    let mut f = native_job();
    for i in 0..12 {
        let t = 100.0 + f64::from(i);
        f = f.event(
            t,
            "Warning",
            "Unhealthy",
            "Pod/pi-6q4lh",
            "kubelet",
            &format!("Readiness probe failed: attempt {i}"),
        );
    }
    let out = f.run(120.0, "get events --field-selector reason=Unhealthy");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + 10, "{}", out.stdout);
    assert!(
        lines[10].ends_with("(combined from similar events): Readiness probe failed: attempt 11"),
        "{}",
        out.stdout
    );
    let wide = f.run(120.0, "get events --field-selector reason=Unhealthy -o wide");
    assert!(wide.stdout.lines().nth(10).is_some_and(|l| l.contains("   3   ")), "{}", wide.stdout);

    let mut spam = native_job();
    for i in 0..40 {
        spam = spam.event(
            100.0 + f64::from(i),
            "Warning",
            "BackOff",
            "Pod/pi-6q4lh",
            "kubelet",
            "Back-off restarting failed container",
        );
    }
    let last_line = |fx: &Fixture, t: f64| {
        fx.run(t, "describe pod pi-6q4lh").stdout.lines().last().map(String::from).unwrap_or_default()
    };
    // 8 earlier kubelet events used the bucket: 17 writes, the rest counted but not written.
    let first = last_line(&spam, 150.0);
    assert!(first.contains("Warning  BackOff    34s (x17 over 50s)"), "{first}");
    // One more token after five minutes writes the accumulated count.
    let later =
        spam.event(460.0, "Warning", "BackOff", "Pod/pi-6q4lh", "kubelet", "Back-off restarting failed container");
    let line = last_line(&later, 470.0);
    assert!(line.contains("10s (x41 over 6m10s)"), "{line}");
    // An hour after the last write the events are gone.
    assert!(later.run(460.0 + 3601.0, "get events").stdout.lines().all(|l| !l.contains("BackOff")));
}

/// describe's `Status:` of a deleted terminal pod: Terminating before kubectl 1.31.
#[test]
fn describe_terminating_by_version() {
    let mut pod = sidecar_pod(
        "done",
        "Succeeded",
        json!([]),
        json!([cs("app", terminated(0, "Completed", 1.0, 5.0), false, false, 0, None)]),
        conditions(true, false),
    );
    pod["metadata"]["deletionTimestamp"] = json!(ts(20.0));
    pod["metadata"]["deletionGracePeriodSeconds"] = json!(30);
    let status = |k8s: &'static str| {
        let out = Fixture::new(k8s).at(0.0, pod.clone()).run(80.0, "describe pod done");
        out.stdout
            .lines()
            .filter(|l| l.starts_with("Status:") || l.starts_with("Termination"))
            .collect::<Vec<_>>()
            .join("|")
    };
    assert_eq!(status("1.30"), "Status:                    Terminating (lasts 60s)|Termination Grace Period:  30s");
    assert_eq!(status("1.31"), "Status:       Succeeded");
}

/// describe boundaries the engine cannot show on both sides: pod-level `Resources:` (kubectl
/// 1.32; the field needs the PodLevelResources gate) and the QoS class read from
/// `status.qosClass` (kubectl 1.29; computed from the containers before, so a status that
/// disagrees shows which one is printed).
#[test]
fn describe_pod_resources_and_qos_by_version() {
    let mut pod = sidecar_pod(
        "sized",
        "Running",
        json!([]),
        json!([cs("app", running(2.0), true, true, 0, None)]),
        conditions(true, true),
    );
    pod["spec"]["resources"] = json!({"limits": {"cpu": "1", "memory": "256Mi"}});
    pod["status"]["qosClass"] = json!("Guaranteed");
    let lines = |k8s: &'static str| {
        let out = Fixture::new(k8s).at(0.0, pod.clone()).run(30.0, "describe pod sized");
        let head = out.stdout.split("Init Containers:").next().unwrap_or("").to_string();
        let resources = head.find("Resources:").map(|i| head[i..].trim_end().replace('\n', "|")).unwrap_or_default();
        let qos = out.stdout.lines().find(|l| l.starts_with("QoS Class:")).unwrap_or("").split_whitespace().last();
        format!("{resources}|{}", qos.unwrap_or(""))
    };
    assert_eq!(lines("1.28"), "|BestEffort");
    assert_eq!(lines("1.31"), "|Guaranteed");
    assert_eq!(lines("1.32"), "Resources:|  Limits:|    cpu:     1|    memory:  256Mi|Guaranteed");
}

/// `kubectl.kubernetes.io/default-container` picks the container without a notice; a name
/// that is not in the pod is reported and the first container is used.
#[test]
fn logs_default_container_annotation() {
    let with_annotation = |name: &str| {
        let mut f = native_job();
        for r in &mut f.revisions {
            if let Some(o) = r.object.as_mut() {
                if o["kind"] == "Pod" {
                    let mut v = (**o).clone();
                    v["metadata"]["annotations"] = json!({"kubectl.kubernetes.io/default-container": name});
                    *o = Arc::new(v).into();
                }
            }
        }
        f
    };
    check(&with_annotation("network-proxy").run(61.0, "logs pi-6q4lh --previous"), "", "Error from server (BadRequest): previous terminated container \"network-proxy\" in pod \"pi-6q4lh\" not found\n", 1);
    check(&with_annotation("network-proxy").run(30.0, "logs pi-6q4lh"), "Serving HTTP on 0.0.0.0 port 5000\n", "", 0);
    check(
        &with_annotation("gone").run(61.0, "logs pi-6q4lh"),
        "3.14159265358979323846\n",
        "Default container name \"gone\" not found in pod pi-6q4lh\nDefaulted container \"pi\" out of: pi, network-proxy (init)\n",
        0,
    );
}

/// A list in YAML is a `List` with every item, as printGeneric builds it.
#[test]
fn yaml_list_wraps_items() {
    let out = native_job().run(61.0, "get jobs,pods -o yaml");
    assert!(out.stdout.starts_with("apiVersion: v1\nitems:\n- apiVersion: batch/v1\n  kind: Job\n"), "{}", out.stdout);
    assert!(out.stdout.contains("\n- apiVersion: v1\n  kind: Pod\n"), "{}", out.stdout);
    assert!(out.stdout.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"), "{}", out.stdout);
    let empty = native_job().run(61.0, "get deploy -o json");
    assert_eq!(empty.stdout, "{\n    \"apiVersion\": \"v1\",\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n");
}
