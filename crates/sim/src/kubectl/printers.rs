//! The API server's table printers (`pkg/printers/internalversion/printers.go`): the columns
//! and every cell of `kubectl get`. They run on the server, so their version is the cluster's;
//! the server always fills the wide cells and kubectl hides columns with priority 1 unless
//! `-o wide`.

use serde_json::Value;

use super::obj::{self, arr_at, bool_at, get, i64_at, opt_i64, str_at, time_at};
use super::resources::Kind;
use super::selector::{format_label_selector, Selector};
use super::time::{human_duration, Now};

pub(crate) struct Column {
    pub(crate) name: &'static str,
    pub(crate) priority: u8,
    /// `Format: "name"`: the cell kubectl prefixes with the kind when several types print.
    pub(crate) is_name: bool,
}

const fn col(name: &'static str, priority: u8) -> Column {
    Column { name, priority, is_name: false }
}

const NAME: Column = Column { name: "Name", priority: 0, is_name: true };

/// What a table needs besides the object: the moment it is printed and the server version.
#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    pub(crate) now: Now,
    pub(crate) minor: u32,
}

/// `AddHandlers`: the column definitions per kind.
pub(crate) fn columns(kind: Kind, minor: u32) -> Vec<Column> {
    match kind {
        Kind::Pod => vec![
            NAME,
            col("Ready", 0),
            col("Status", 0),
            col("Restarts", 0),
            col("Age", 0),
            col("IP", 1),
            col("Node", 1),
            col("Nominated Node", 1),
            col("Readiness Gates", 1),
        ],
        Kind::Job => {
            let mut c = vec![NAME];
            // printers: Add Job status to jobs table (kubernetes#123226), 1.30.
            if minor >= 30 {
                c.push(col("Status", 0));
            }
            c.extend([
                col("Completions", 0),
                col("Duration", 0),
                col("Age", 0),
                col("Containers", 1),
                col("Images", 1),
                col("Selector", 1),
            ]);
            c
        }
        Kind::Deployment => vec![
            NAME,
            col("Ready", 0),
            col("Up-to-date", 0),
            col("Available", 0),
            col("Age", 0),
            col("Containers", 1),
            col("Images", 1),
            col("Selector", 1),
        ],
        Kind::ReplicaSet => vec![
            NAME,
            col("Desired", 0),
            col("Current", 0),
            col("Ready", 0),
            col("Age", 0),
            col("Containers", 1),
            col("Images", 1),
            col("Selector", 1),
        ],
        Kind::Node => vec![
            NAME,
            col("Status", 0),
            col("Roles", 0),
            col("Age", 0),
            col("Version", 0),
            col("Internal-IP", 1),
            col("External-IP", 1),
            col("OS-Image", 1),
            col("Kernel-Version", 1),
            col("Container-Runtime", 1),
        ],
        Kind::Event => vec![
            col("Last Seen", 0),
            col("Type", 0),
            col("Reason", 0),
            col("Object", 0),
            col("Subobject", 1),
            col("Source", 1),
            col("Message", 0),
            col("First Seen", 1),
            col("Count", 1),
            Column { name: "Name", priority: 1, is_name: true },
        ],
    }
}

/// One row's cells, wide columns included.
pub(crate) fn cells(kind: Kind, o: &Value, ctx: Ctx) -> Vec<String> {
    match kind {
        Kind::Pod => print_pod(o, ctx),
        Kind::Job => print_job(o, ctx),
        Kind::Deployment => print_deployment(o, ctx),
        Kind::ReplicaSet => print_replica_set(o, ctx),
        Kind::Node => print_node(o, ctx),
        Kind::Event => print_event(o, ctx),
    }
}

fn age(o: &Value, ctx: Ctx) -> String {
    ctx.now.since(time_at(o, &["metadata", "creationTimestamp"]))
}

fn later(cur: Option<i64>, candidate: Option<i64>) -> Option<i64> {
    match (cur, candidate) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

fn condition_true(o: &Value, type_: &str) -> bool {
    arr_at(o, &["status", "conditions"])
        .iter()
        .any(|c| str_at(c, &["type"]) == type_ && str_at(c, &["status"]) == "True")
}

/// printers.go `printPod`.
pub(crate) fn print_pod(pod: &Value, ctx: Ctx) -> Vec<String> {
    let mut restarts = 0i64;
    let mut restartable_restarts = 0i64;
    let init_specs = arr_at(pod, &["spec", "initContainers"]);
    let mut total = arr_at(pod, &["spec", "containers"]).len();
    let mut ready = 0usize;
    let mut last_restart: Option<i64> = None;
    let mut last_restartable_restart: Option<i64> = None;

    let phase = str_at(pod, &["status", "phase"]);
    let mut reason = phase.to_string();
    let status_reason = str_at(pod, &["status", "reason"]);
    if !status_reason.is_empty() {
        reason = status_reason.to_string();
    }
    for c in arr_at(pod, &["status", "conditions"]) {
        if str_at(c, &["type"]) == "PodScheduled" && str_at(c, &["reason"]) == "SchedulingGated" {
            reason = "SchedulingGated".to_string();
        }
    }

    // podutil.IsRestartableInitContainer: sidecars count toward READY.
    let is_sidecar = |name: &str| {
        init_specs.iter().any(|c| str_at(c, &["name"]) == name && str_at(c, &["restartPolicy"]) == "Always")
    };
    total += init_specs.iter().filter(|c| str_at(c, &["restartPolicy"]) == "Always").count();

    let mut initializing = false;
    for (i, cs) in arr_at(pod, &["status", "initContainerStatuses"]).iter().enumerate() {
        let count = i64_at(cs, &["restartCount"]);
        let finished = time_at(cs, &["lastState", "terminated", "finishedAt"]);
        restarts += count;
        last_restart = later(last_restart, finished);
        let sidecar = is_sidecar(str_at(cs, &["name"]));
        if sidecar {
            restartable_restarts += count;
            last_restartable_restart = later(last_restartable_restart, finished);
        }
        let terminated = get(cs, &["state", "terminated"]);
        let waiting_reason = str_at(cs, &["state", "waiting", "reason"]);
        if terminated.is_some_and(|t| i64_at(t, &["exitCode"]) == 0) {
            continue;
        }
        if sidecar && bool_at(cs, &["started"]) {
            if bool_at(cs, &["ready"]) {
                ready += 1;
            }
            continue;
        }
        reason = if let Some(t) = terminated {
            match str_at(t, &["reason"]) {
                "" if i64_at(t, &["signal"]) != 0 => format!("Init:Signal:{}", i64_at(t, &["signal"])),
                "" => format!("Init:ExitCode:{}", i64_at(t, &["exitCode"])),
                r => format!("Init:{r}"),
            }
        } else if !waiting_reason.is_empty() && waiting_reason != "PodInitializing" {
            format!("Init:{waiting_reason}")
        } else {
            format!("Init:{}/{}", i, init_specs.len())
        };
        initializing = true;
        break;
    }

    if !initializing || condition_true(pod, "Initialized") {
        restarts = restartable_restarts;
        last_restart = last_restartable_restart;
        let mut has_running = false;
        for cs in arr_at(pod, &["status", "containerStatuses"]).iter().rev() {
            restarts += i64_at(cs, &["restartCount"]);
            last_restart = later(last_restart, time_at(cs, &["lastState", "terminated", "finishedAt"]));
            let waiting_reason = str_at(cs, &["state", "waiting", "reason"]);
            let terminated = get(cs, &["state", "terminated"]);
            if !waiting_reason.is_empty() {
                reason = waiting_reason.to_string();
            } else if let Some(t) = terminated {
                reason = match str_at(t, &["reason"]) {
                    "" if i64_at(t, &["signal"]) != 0 => format!("Signal:{}", i64_at(t, &["signal"])),
                    "" => format!("ExitCode:{}", i64_at(t, &["exitCode"])),
                    r => r.to_string(),
                };
            } else if bool_at(cs, &["ready"]) && get(cs, &["state", "running"]).is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if condition_true(pod, "Ready") { "Running" } else { "NotReady" }.to_string();
        }
    }

    let deleting = get(pod, &["metadata", "deletionTimestamp"]).is_some();
    let terminal = matches!(phase, "Succeeded" | "Failed");
    if deleting && status_reason == "NodeLost" {
        reason = "Unknown".to_string();
    } else if deleting && (ctx.minor < 31 || !terminal) {
        // Terminal pods show their phase while deleting since 1.31 (kubernetes#122038).
        reason = "Terminating".to_string();
    }

    let mut restarts_str = restarts.to_string();
    if restarts != 0 && last_restart.is_some() {
        restarts_str = format!("{restarts} ({} ago)", ctx.now.since(last_restart));
    }

    let ip = arr_at(pod, &["status", "podIPs"]).first().map(|p| str_at(p, &["ip"])).unwrap_or("");
    let gates = arr_at(pod, &["spec", "readinessGates"]);
    let readiness_gates = if gates.is_empty() {
        "<none>".to_string()
    } else {
        let conditions = arr_at(pod, &["status", "conditions"]);
        let true_count = gates
            .iter()
            .filter(|g| {
                let t = str_at(g, &["conditionType"]);
                conditions.iter().find(|c| str_at(c, &["type"]) == t).is_some_and(|c| str_at(c, &["status"]) == "True")
            })
            .count();
        format!("{true_count}/{}", gates.len())
    };
    vec![
        obj::name(pod).to_string(),
        format!("{ready}/{total}"),
        reason,
        restarts_str,
        age(pod, ctx),
        or_none(ip),
        or_none(str_at(pod, &["spec", "nodeName"])),
        or_none(str_at(pod, &["status", "nominatedNodeName"])),
        readiness_gates,
    ]
}

fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s.to_string()
    }
}

/// printers.go `layoutContainerCells`: only `spec.containers`, comma-joined.
fn container_cells(template: Option<&Value>) -> (String, String) {
    let containers = template.map(|t| arr_at(t, &["spec", "containers"])).unwrap_or(&[]);
    let names: Vec<&str> = containers.iter().map(|c| str_at(c, &["name"])).collect();
    let images: Vec<&str> = containers.iter().map(|c| str_at(c, &["image"])).collect();
    (names.join(","), images.join(","))
}

/// printers.go `hasJobCondition`: the status of the first condition of that type.
fn has_job_condition(job: &Value, type_: &str) -> bool {
    arr_at(job, &["status", "conditions"])
        .iter()
        .find(|c| str_at(c, &["type"]) == type_)
        .is_some_and(|c| str_at(c, &["status"]) == "True")
}

/// printers.go `printJob`.
fn print_job(job: &Value, ctx: Ctx) -> Vec<String> {
    let succeeded = i64_at(job, &["status", "succeeded"]);
    let completions = match opt_i64(job, &["spec", "completions"]) {
        Some(c) => format!("{succeeded}/{c}"),
        None => match opt_i64(job, &["spec", "parallelism"]).unwrap_or(0) {
            p if p > 1 => format!("{succeeded}/1 of {p}"),
            _ => format!("{succeeded}/1"),
        },
    };
    let start = time_at(job, &["status", "startTime"]);
    let duration = match (start, time_at(job, &["status", "completionTime"])) {
        (None, _) => String::new(),
        (Some(s), None) => human_duration(ctx.now.0 - s),
        (Some(s), Some(c)) => human_duration(c - s),
    };
    let mut cells = vec![obj::name(job).to_string()];
    if ctx.minor >= 30 {
        let status = if has_job_condition(job, "Complete") {
            "Complete"
        } else if has_job_condition(job, "Failed") {
            "Failed"
        } else if get(job, &["metadata", "deletionTimestamp"]).is_some() {
            "Terminating"
        } else if has_job_condition(job, "Suspended") {
            "Suspended"
        } else if has_job_condition(job, "FailureTarget") {
            "FailureTarget"
        } else {
            "Running"
        };
        cells.push(status.to_string());
    }
    let (names, images) = container_cells(get(job, &["spec", "template"]));
    cells.extend([
        completions,
        duration,
        age(job, ctx),
        names,
        images,
        format_label_selector(get(job, &["spec", "selector"])),
    ]);
    cells
}

/// printers.go `printDeployment`.
fn print_deployment(d: &Value, ctx: Ctx) -> Vec<String> {
    let desired = opt_i64(d, &["spec", "replicas"]).unwrap_or(1);
    let (names, images) = container_cells(get(d, &["spec", "template"]));
    let selector = Selector::from_label_selector(get(d, &["spec", "selector"])).map(|s| s.render()).unwrap_or_default();
    vec![
        obj::name(d).to_string(),
        format!("{}/{desired}", i64_at(d, &["status", "readyReplicas"])),
        i64_at(d, &["status", "updatedReplicas"]).to_string(),
        i64_at(d, &["status", "availableReplicas"]).to_string(),
        age(d, ctx),
        names,
        images,
        selector,
    ]
}

/// printers.go `printReplicaSet`.
fn print_replica_set(rs: &Value, ctx: Ctx) -> Vec<String> {
    let (names, images) = container_cells(get(rs, &["spec", "template"]));
    vec![
        obj::name(rs).to_string(),
        opt_i64(rs, &["spec", "replicas"]).unwrap_or(1).to_string(),
        i64_at(rs, &["status", "replicas"]).to_string(),
        i64_at(rs, &["status", "readyReplicas"]).to_string(),
        age(rs, ctx),
        names,
        images,
        format_label_selector(get(rs, &["spec", "selector"])),
    ]
}

/// printers.go `printNode`.
fn print_node(node: &Value, ctx: Ctx) -> Vec<String> {
    let mut status: Vec<String> = arr_at(node, &["status", "conditions"])
        .iter()
        .rev()
        .find(|c| str_at(c, &["type"]) == "Ready")
        .map(|c| if str_at(c, &["status"]) == "True" { "Ready" } else { "NotReady" }.to_string())
        .into_iter()
        .collect();
    if status.is_empty() {
        status.push("Unknown".to_string());
    }
    if bool_at(node, &["spec", "unschedulable"]) {
        status.push("SchedulingDisabled".to_string());
    }
    let mut roles: Vec<&str> = obj::string_map(node, &["metadata", "labels"])
        .into_iter()
        .filter_map(|(k, v)| match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) if !role.is_empty() => Some(role),
            Some(_) => None,
            None => (k == "kubernetes.io/role" && !v.is_empty()).then_some(v),
        })
        .collect();
    roles.sort();
    roles.dedup();
    let address = |t: &str| {
        arr_at(node, &["status", "addresses"])
            .iter()
            .find(|a| str_at(a, &["type"]) == t)
            .map(|a| str_at(a, &["address"]).to_string())
            .unwrap_or_else(|| "<none>".to_string())
    };
    let info = |f: &str| match str_at(node, &["status", "nodeInfo", f]) {
        "" => "<unknown>".to_string(),
        s => s.to_string(),
    };
    vec![
        obj::name(node).to_string(),
        status.join(","),
        if roles.is_empty() { "<none>".to_string() } else { roles.join(",") },
        age(node, ctx),
        str_at(node, &["status", "nodeInfo", "kubeletVersion"]).to_string(),
        address("InternalIP"),
        address("ExternalIP"),
        info("osImage"),
        info("kernelVersion"),
        info("containerRuntimeVersion"),
    ]
}

/// printers.go `printEvent`.
fn print_event(e: &Value, ctx: Ctx) -> Vec<String> {
    let first = match time_at(e, &["firstTimestamp"]) {
        Some(t) => ctx.now.since(Some(t)),
        None => ctx.now.since(time_at(e, &["eventTime"])),
    };
    let mut last = match time_at(e, &["lastTimestamp"]) {
        Some(t) => ctx.now.since(Some(t)),
        None => first.clone(),
    };
    let mut count = i64_at(e, &["count"]);
    if let Some(series) = get(e, &["series"]) {
        last = ctx.now.since(time_at(series, &["lastObservedTime"]));
        count = i64_at(series, &["count"]);
    } else if count == 0 {
        count = 1;
    }
    let kind = str_at(e, &["involvedObject", "kind"]).to_ascii_lowercase();
    let target = match str_at(e, &["involvedObject", "name"]) {
        "" => kind,
        n => format!("{kind}/{n}"),
    };
    let first_non_empty = |a: &str, b: &str| if a.is_empty() { b.to_string() } else { a.to_string() };
    let component = first_non_empty(str_at(e, &["source", "component"]), str_at(e, &["reportingComponent"]));
    let instance = first_non_empty(str_at(e, &["source", "host"]), str_at(e, &["reportingInstance"]));
    let source = if instance.is_empty() { component } else { format!("{component}, {instance}") };
    vec![
        last,
        str_at(e, &["type"]).to_string(),
        str_at(e, &["reason"]).to_string(),
        target,
        str_at(e, &["involvedObject", "fieldPath"]).to_string(),
        source,
        str_at(e, &["message"]).trim().to_string(),
        first,
        count.to_string(),
        obj::name(e).to_string(),
    ]
}
