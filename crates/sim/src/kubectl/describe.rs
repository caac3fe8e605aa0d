//! `kubectl describe` for pods, jobs, deployments and replica sets (kubectl
//! `pkg/describe/describe.go`). Describe runs in kubectl, so its layout follows the kubectl
//! version; every line goes through the same `PrefixWriter` format strings and the standard
//! `text/tabwriter` (padding 2), so alignment comes out of the same column blocks.

use serde_json::Value;

use super::args::{self, flag, Flag, Takes};
use super::get::quantity;
use super::gosort;
use super::obj::{self, arr_at, bool_at, get, i64_at, int_or_string, opt_i64, str_at, string_map, time_at};
use super::resources::{self, Kind, Resource};
use super::selector::{format_label_selector, Selector};
use super::tabwriter::TabWriter;
use super::time::{format_rfc1123z, human_duration, Now};
use super::{not_found, Cluster, Output};

const FLAGS: &[Flag] = &[
    flag("selector", Some('l'), Takes::Value),
    flag("all-namespaces", Some('A'), Takes::Bool),
    flag("show-events", None, Takes::Bool),
    flag("chunk-size", None, Takes::Int),
];

const SUPPORTED: [Kind; 4] = [Kind::Pod, Kind::Job, Kind::Deployment, Kind::ReplicaSet];

pub(crate) fn run(c: &Cluster, argv: &[String]) -> Output {
    let p = match args::parse(argv, FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::usage_error("describe", &e),
    };
    let namespace = p.str("namespace").unwrap_or("default").to_string();
    let all_namespaces = p.bool("all-namespaces");
    let show_events = p.str("show-events") != Some("false");
    let selector = match Selector::parse(p.str("selector").unwrap_or("")) {
        Ok(s) => s,
        Err(e) => return Output::error(&format!("unable to parse requirement: {e}")),
    };
    let pos = &p.positional;
    if pos.is_empty() {
        return Output::error(
            "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n",
        );
    }
    // (resource, name) pairs as the builder reads them.
    let mut wanted: Vec<(Resource, Option<String>)> = Vec::new();
    if pos.iter().any(|a| a.contains('/')) {
        for a in pos {
            let (t, n) = a.split_once('/').unwrap_or((a, ""));
            match resources::resolve_one(t) {
                Some(r) => wanted.push((r, Some(n.to_string()))),
                None => return Output::error(&format!("the server doesn't have a resource type \"{t}\"")),
            }
        }
    } else {
        let types = match resources::resolve_list(&pos[0]) {
            Ok(t) => t,
            Err(e) => return Output::error(&e),
        };
        for t in types {
            if pos.len() == 1 {
                wanted.push((t, None));
            }
            wanted.extend(pos[1..].iter().map(|n| (t, Some(n.clone()))));
        }
    }

    let in_scope = |k: Kind, o: &Value| {
        (!k.namespaced() || all_namespaces || obj::namespace(o) == namespace) && selector.matches(o)
    };
    let mut found: Vec<(Kind, &Value)> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for (r, name) in &wanted {
        let Resource::Simulated(kind) = *r else {
            if let Some(n) = name {
                errors.push(not_found(r.resource(), n));
            }
            continue;
        };
        if !SUPPORTED.contains(&kind) {
            return Output::error(&format!("podsim does not simulate describe for {}", kind.resource()));
        }
        let objects: Vec<&Value> = c.list(kind, None).into_iter().filter(|o| in_scope(kind, o)).collect();
        match name {
            None => found.extend(objects.into_iter().map(|o| (kind, o))),
            Some(n) => match objects.iter().find(|o| obj::name(o) == n) {
                Some(o) => found.push((kind, o)),
                None if pos.len() == 2 && wanted.len() == 1 => {
                    // describe.go DescribeMatchingResources: the name is a prefix.
                    let matching: Vec<&Value> =
                        objects.into_iter().filter(|o| obj::name(o).starts_with(n.as_str())).collect();
                    if matching.is_empty() {
                        errors.push(not_found(r.resource(), n));
                    }
                    let mut stdout = String::new();
                    for o in matching {
                        stdout.push_str(&describe(c, kind, o, show_events));
                        stdout.push('\n');
                    }
                    let stderr: String = errors.iter().map(|e| format!("{e}\n")).collect();
                    return Output { stdout, exit_code: i32::from(!errors.is_empty()), stderr };
                }
                None => errors.push(not_found(r.resource(), n)),
            },
        }
    }
    let mut stdout = String::new();
    for (i, (kind, o)) in found.iter().enumerate() {
        if i > 0 {
            stdout.push_str("\n\n");
        }
        stdout.push_str(&describe(c, *kind, o, show_events));
    }
    let mut stderr = String::new();
    if found.is_empty() && errors.is_empty() {
        if all_namespaces {
            stderr.push_str("No resources found\n");
        } else {
            stderr.push_str(&format!("No resources found in {namespace} namespace.\n"));
        }
    }
    for e in &errors {
        stderr.push_str(e);
        stderr.push('\n');
    }
    Output { stdout, stderr, exit_code: i32::from(!errors.is_empty()) }
}

fn describe(c: &Cluster, kind: Kind, o: &Value, show_events: bool) -> String {
    let events = show_events.then(|| search_events(c, kind, o));
    let mut w = Writer::new(c.now, c.minor);
    match kind {
        Kind::Pod => describe_pod(&mut w, o),
        Kind::Job => describe_job(&mut w, o),
        Kind::Deployment => describe_deployment(&mut w, c, o),
        _ => describe_replica_set(&mut w, c, o),
    }
    if let Some(events) = events {
        w.events(events);
    }
    w.finish()
}

/// describe.go `searchEvents`: events about this object by name, namespace, kind and uid
/// (pods are searched without the kind).
fn search_events<'c>(c: &'c Cluster, kind: Kind, o: &Value) -> Vec<&'c Value> {
    let (name, ns, uid) = (obj::name(o), obj::namespace(o), str_at(o, &["metadata", "uid"]));
    c.list(Kind::Event, Some(ns))
        .into_iter()
        .filter(|e| {
            let i = |f: &str| str_at(e, &["involvedObject", f]);
            i("name") == name
                && i("namespace") == ns
                && (kind == Kind::Pod || i("kind") == kind.name())
                && (uid.is_empty() || i("uid") == uid)
        })
        .collect()
}

/// describe.go `PrefixWriter` over `tabbedString`'s tabwriter.
struct Writer {
    text: String,
    out: String,
    now: Now,
    minor: u32,
}

impl Writer {
    fn new(now: Now, minor: u32) -> Writer {
        Writer { text: String::new(), out: String::new(), now, minor }
    }

    fn w(&mut self, level: usize, s: &str) {
        for _ in 0..level {
            self.text.push_str("  ");
        }
        self.text.push_str(s);
    }

    fn flush(&mut self) {
        let mut tw = TabWriter::for_describe();
        tw.write(&std::mem::take(&mut self.text));
        self.out.push_str(&tw.flush());
    }

    fn finish(mut self) -> String {
        self.flush();
        self.out
    }

    fn since(&self, ts: Option<i64>) -> String {
        self.now.since(ts)
    }

    /// `printLabelsMultilineWithIndent`.
    fn labels(&mut self, title: &str, pairs: &[(&str, &str)]) {
        self.w(0, &format!("{title}:\t"));
        if pairs.is_empty() {
            self.w(0, "<none>\n");
            return;
        }
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                self.w(0, "\t");
            }
            self.w(0, &format!("{k}={v}\n"));
        }
    }

    /// `printAnnotationsMultiline`: long or multi-line values go on their own lines.
    fn annotations(&mut self, title: &str, pairs: &[(&str, &str)]) {
        const MAX: usize = 140;
        self.w(0, &format!("{title}:\t"));
        let pairs: Vec<&(&str, &str)> =
            pairs.iter().filter(|(k, _)| *k != "kubectl.kubernetes.io/last-applied-configuration").collect();
        if pairs.is_empty() {
            self.w(0, "<none>\n");
            return;
        }
        for (i, (k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                self.w(0, "\t");
            }
            let value = v.strip_suffix('\n').unwrap_or(v);
            if value.len() + k.len() + 2 > MAX || value.contains('\n') {
                self.w(0, &format!("{k}:\n"));
                for line in value.split('\n') {
                    let short = if line.len() > MAX - 2 {
                        format!("{}...", line.get(..MAX - 2).unwrap_or(line))
                    } else {
                        line.to_string()
                    };
                    self.w(0, &format!("\t  {short}\n"));
                }
            } else {
                self.w(0, &format!("{k}: {value}\n"));
            }
        }
    }

    /// `printTolerationsMultilineWithIndent`.
    fn tolerations(&mut self, title: &str, tolerations: &[Value]) {
        self.w(0, &format!("{title}:\t"));
        if tolerations.is_empty() {
            self.w(0, "<none>\n");
            return;
        }
        let mut sorted: Vec<&Value> = tolerations.iter().collect();
        sorted.sort_by(|a, b| str_at(a, &["key"]).cmp(str_at(b, &["key"])));
        for (i, t) in sorted.iter().enumerate() {
            if i > 0 {
                self.w(0, "\t");
            }
            let (key, value, effect) = (str_at(t, &["key"]), str_at(t, &["value"]), str_at(t, &["effect"]));
            let mut s = key.to_string();
            if !value.is_empty() {
                s.push_str(&format!("={value}"));
            }
            if !effect.is_empty() {
                s.push_str(&format!(":{effect}"));
            }
            if str_at(t, &["operator"]) == "Exists" && value.is_empty() {
                s.push_str(if key.is_empty() && effect.is_empty() { "op=Exists" } else { " op=Exists" });
            }
            if let Some(secs) = opt_i64(t, &["tolerationSeconds"]) {
                s.push_str(&format!(" for {secs}s"));
            }
            self.w(0, &format!("{s}\n"));
        }
    }

    /// `DescribeEvents`.
    fn events(&mut self, mut events: Vec<&Value>) {
        if events.is_empty() {
            self.w(0, "Events:\t<none>\n");
            return;
        }
        self.flush();
        // event.SortableEvents: by lastTimestamp, which has one-second resolution.
        gosort::sort(&mut events, &|a, b| {
            time_at(a, &["lastTimestamp"]).unwrap_or(i64::MIN) < time_at(b, &["lastTimestamp"]).unwrap_or(i64::MIN)
        });
        self.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
        self.w(1, "----\t------\t----\t----\t-------\n");
        for e in events {
            let first = match time_at(e, &["eventTime"]) {
                Some(t) => self.since(Some(t)),
                None => self.since(time_at(e, &["firstTimestamp"])),
            };
            let count = i64_at(e, &["count"]);
            let interval = if let Some(series) = get(e, &["series"]) {
                format!(
                    "{} (x{} over {first})",
                    self.since(time_at(series, &["lastObservedTime"])),
                    i64_at(series, &["count"])
                )
            } else if count > 1 {
                format!("{} (x{count} over {first})", self.since(time_at(e, &["lastTimestamp"])))
            } else {
                first
            };
            let source = match str_at(e, &["source", "component"]) {
                "" => str_at(e, &["reportingComponent"]),
                s => s,
            };
            self.w(
                1,
                &format!(
                    "{}\t{}\t{interval}\t{source}\t{}\n",
                    str_at(e, &["type"]),
                    str_at(e, &["reason"]),
                    str_at(e, &["message"]).trim()
                ),
            );
        }
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() {
        "<none>"
    } else {
        s
    }
}

/// describe.go `describePod`.
fn describe_pod(w: &mut Writer, pod: &Value) {
    w.w(0, &format!("Name:\t{}\n", obj::name(pod)));
    w.w(0, &format!("Namespace:\t{}\n", obj::namespace(pod)));
    if let Some(p) = opt_i64(pod, &["spec", "priority"]) {
        w.w(0, &format!("Priority:\t{p}\n"));
    }
    for (field, title) in [("priorityClassName", "Priority Class Name"), ("runtimeClassName", "Runtime Class Name")] {
        let v = str_at(pod, &["spec", field]);
        if !v.is_empty() {
            w.w(0, &format!("{title}:\t{v}\n"));
        }
    }
    let sa = str_at(pod, &["spec", "serviceAccountName"]);
    if !sa.is_empty() {
        w.w(0, &format!("Service Account:\t{sa}\n"));
    }
    match str_at(pod, &["spec", "nodeName"]) {
        "" => w.w(0, "Node:\t<none>\n"),
        node => w.w(0, &format!("Node:\t{node}/{}\n", str_at(pod, &["status", "hostIP"]))),
    }
    if let Some(start) = time_at(pod, &["status", "startTime"]) {
        w.w(0, &format!("Start Time:\t{}\n", format_rfc1123z(Some(start))));
    }
    w.labels("Labels", &string_map(pod, &["metadata", "labels"]));
    w.annotations("Annotations", &string_map(pod, &["metadata", "annotations"]));
    let phase = str_at(pod, &["status", "phase"]);
    let deleting = time_at(pod, &["metadata", "deletionTimestamp"]);
    // Since kubectl 1.31 a terminal pod shows its phase while it is being deleted.
    match deleting {
        Some(t) if w.minor < 31 || !matches!(phase, "Failed" | "Succeeded") => {
            w.w(0, &format!("Status:\tTerminating (lasts {})\n", w.since(Some(t))));
            let grace = opt_i64(pod, &["metadata", "deletionGracePeriodSeconds"])
                .or_else(|| opt_i64(pod, &["spec", "terminationGracePeriodSeconds"]))
                .unwrap_or(30);
            w.w(0, &format!("Termination Grace Period:\t{grace}s\n"));
        }
        _ => w.w(0, &format!("Status:\t{phase}\n")),
    }
    for (field, title) in [("reason", "Reason"), ("message", "Message")] {
        let v = str_at(pod, &["status", field]);
        if !v.is_empty() {
            w.w(0, &format!("{title}:\t{v}\n"));
        }
    }
    if let Some(profile) = get(pod, &["spec", "securityContext", "seccompProfile"]) {
        seccomp(w, 0, profile);
    }
    w.w(0, &format!("IP:\t{}\n", str_at(pod, &["status", "podIP"])));
    let ips = arr_at(pod, &["status", "podIPs"]);
    if ips.is_empty() {
        w.w(0, "IPs:\t<none>\n");
    } else {
        w.w(0, "IPs:\n");
        for ip in ips {
            w.w(1, &format!("IP:\t{}\n", str_at(ip, &["ip"])));
        }
    }
    if let Some(owner) = obj::controller_of(pod) {
        w.w(0, &format!("Controlled By:\t{}/{}\n", str_at(owner, &["kind"]), str_at(owner, &["name"])));
    }
    let nominated = str_at(pod, &["status", "nominatedNodeName"]);
    if !nominated.is_empty() {
        w.w(0, &format!("NominatedNodeName:\t{nominated}\n"));
    }
    // Pod-level resources: kubectl 1.32.
    if w.minor >= 32 {
        if let Some(res) = get(pod, &["spec", "resources"]) {
            w.w(0, "Resources:\n");
            resources_block(w, res, 1);
        }
    }
    let inits = arr_at(pod, &["spec", "initContainers"]);
    if !inits.is_empty() {
        containers(w, "Init Containers", inits, Some(arr_at(pod, &["status", "initContainerStatuses"])), Some(pod), "");
    }
    containers(
        w,
        "Containers",
        arr_at(pod, &["spec", "containers"]),
        Some(arr_at(pod, &["status", "containerStatuses"])),
        Some(pod),
        "",
    );
    let gates = arr_at(pod, &["spec", "readinessGates"]);
    let conditions = arr_at(pod, &["status", "conditions"]);
    if !gates.is_empty() {
        w.w(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let t = str_at(g, &["conditionType"]);
            let status = conditions
                .iter()
                .find(|c| str_at(c, &["type"]) == t)
                .map(|c| str_at(c, &["status"]))
                .unwrap_or("<none>");
            w.w(1, &format!("{t} \t{status} \n"));
        }
    }
    if !conditions.is_empty() {
        w.w(0, "Conditions:\n  Type\tStatus\n");
        for c in conditions {
            w.w(1, &format!("{} \t{} \n", str_at(c, &["type"]), str_at(c, &["status"])));
        }
    }
    volumes(w, arr_at(pod, &["spec", "volumes"]), "");
    let qos = match str_at(pod, &["status", "qosClass"]) {
        // qos.GetPodQOS reads status.qosClass since kubectl 1.29.
        q if !q.is_empty() && w.minor >= 29 => q.to_string(),
        _ => compute_qos(pod).to_string(),
    };
    w.w(0, &format!("QoS Class:\t{qos}\n"));
    w.labels("Node-Selectors", &string_map(pod, &["spec", "nodeSelector"]));
    w.tolerations("Tolerations", arr_at(pod, &["spec", "tolerations"]));
    topology(w, arr_at(pod, &["spec", "topologySpreadConstraints"]), "");
}

fn seccomp(w: &mut Writer, level: usize, profile: &Value) {
    let t = str_at(profile, &["type"]);
    w.w(level, &format!("SeccompProfile:\t{t}\n"));
    if t == "Localhost" {
        w.w(level + 1, &format!("LocalhostProfile:\t{}\n", str_at(profile, &["localhostProfile"])));
    }
}

fn topology(w: &mut Writer, constraints: &[Value], space: &str) {
    if constraints.is_empty() {
        return;
    }
    let mut sorted: Vec<&Value> = constraints.iter().collect();
    sorted.sort_by(|a, b| str_at(a, &["topologyKey"]).cmp(str_at(b, &["topologyKey"])));
    w.w(0, &format!("{space}Topology Spread Constraints:\t"));
    for (i, t) in sorted.iter().enumerate() {
        if i > 0 {
            w.w(0, &format!("{space}\t"));
        }
        let mut s = format!(
            "{}:{} when max skew {} is exceeded",
            str_at(t, &["topologyKey"]),
            str_at(t, &["whenUnsatisfiable"]),
            i64_at(t, &["maxSkew"])
        );
        if let Some(sel) = get(t, &["labelSelector"]) {
            s.push_str(&format!(" for selector {}", format_label_selector(Some(sel))));
        }
        w.w(0, &format!("{s}\n"));
    }
}

/// qos `ComputePodQOS`: from the containers' (and init containers') cpu and memory.
fn compute_qos(pod: &Value) -> &'static str {
    let mut requests: Vec<(String, f64)> = Vec::new();
    let mut limits: Vec<(String, f64)> = Vec::new();
    let mut guaranteed = true;
    let add = |acc: &mut Vec<(String, f64)>, name: &str, q: f64| match acc.iter_mut().find(|(n, _)| n == name) {
        Some(entry) => entry.1 += q,
        None => acc.push((name.to_string(), q)),
    };
    let all = arr_at(pod, &["spec", "containers"]).iter().chain(arr_at(pod, &["spec", "initContainers"]));
    for c in all {
        for (name, q) in string_map(c, &["resources", "requests"]) {
            if matches!(name, "cpu" | "memory") {
                if let Some(v) = quantity(q).filter(|v| *v > 0.0) {
                    add(&mut requests, name, v);
                }
            }
        }
        let mut found = 0;
        for (name, q) in string_map(c, &["resources", "limits"]) {
            if matches!(name, "cpu" | "memory") {
                if let Some(v) = quantity(q).filter(|v| *v > 0.0) {
                    found += 1;
                    add(&mut limits, name, v);
                }
            }
        }
        if found < 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort";
    }
    if guaranteed
        && requests.iter().all(|(n, r)| limits.iter().any(|(ln, l)| ln == n && (l - r).abs() < 1e-9))
        && requests.len() == limits.len()
    {
        return "Guaranteed";
    }
    "Burstable"
}

fn resources_block(w: &mut Writer, res: &Value, level: usize) {
    for (field, title) in [("limits", "Limits"), ("requests", "Requests")] {
        let items = string_map(res, &[field]);
        if !items.is_empty() {
            w.w(level, &format!("{title}:\n"));
        }
        for (name, q) in items {
            w.w(level + 1, &format!("{name}:\t{q}\n"));
        }
    }
}

/// describe.go `describeContainers`; `pod` resolves `fieldRef` environment values.
fn containers(
    w: &mut Writer,
    label: &str,
    specs: &[Value],
    statuses: Option<&[Value]>,
    pod: Option<&Value>,
    space: &str,
) {
    let none = if specs.is_empty() { " <none>" } else { "" };
    w.w(0, &format!("{space}{label}:{none}\n"));
    for c in specs {
        let name = str_at(c, &["name"]);
        let status = statuses.and_then(|s| s.iter().find(|st| str_at(st, &["name"]) == name));
        let name_indent = if space.is_empty() { "" } else { " " };
        w.w(1, &format!("{name_indent}{name}:\n"));
        if let Some(st) = status {
            w.w(2, &format!("Container ID:\t{}\n", str_at(st, &["containerID"])));
        }
        w.w(2, &format!("Image:\t{}\n", str_at(c, &["image"])));
        if let Some(st) = status {
            w.w(2, &format!("Image ID:\t{}\n", str_at(st, &["imageID"])));
        }
        let ports = arr_at(c, &["ports"]);
        let protocol = |p: &Value| match str_at(p, &["protocol"]) {
            "" => "TCP".to_string(),
            s => s.to_string(),
        };
        let port_strings: Vec<String> = ports
            .iter()
            .map(|p| {
                let mut s = format!("{}/{}", i64_at(p, &["containerPort"]), protocol(p));
                // Port names: kubectl 1.34 (kubernetes#133018).
                let port_name = str_at(p, &["name"]);
                if w.minor >= 34 && !port_name.is_empty() {
                    s.push_str(&format!(" ({port_name})"));
                }
                s
            })
            .collect();
        let port_string = port_strings.join(", ");
        if port_string.contains(',') {
            w.w(2, &format!("Ports:\t{port_string}\n"));
        } else {
            w.w(2, &format!("Port:\t{}\n", or_none(&port_string)));
        }
        let host_ports: Vec<String> =
            ports.iter().map(|p| format!("{}/{}", i64_at(p, &["hostPort"]), protocol(p))).collect();
        let host_string = host_ports.join(", ");
        if host_string.contains(',') {
            w.w(2, &format!("Host Ports:\t{host_string}\n"));
        } else {
            w.w(2, &format!("Host Port:\t{}\n", or_none(&host_string)));
        }
        if let Some(profile) = get(c, &["securityContext", "seccompProfile"]) {
            seccomp(w, 2, profile);
        }
        for (field, title) in [("command", "Command"), ("args", "Args")] {
            let items = arr_at(c, &[field]);
            if !items.is_empty() {
                w.w(2, &format!("{title}:\n"));
                for item in items {
                    for line in item.as_str().unwrap_or("").split('\n') {
                        w.w(3, &format!("{line}\n"));
                    }
                }
            }
        }
        if let Some(st) = status {
            container_state(w, "State", get(st, &["state"]));
            if let Some(last) = get(st, &["lastState"]).filter(|l| get(l, &["terminated"]).is_some()) {
                container_state(w, "Last State", Some(last));
            }
            w.w(2, &format!("Ready:\t{}\n", if bool_at(st, &["ready"]) { "True" } else { "False" }));
            w.w(2, &format!("Restart Count:\t{}\n", i64_at(st, &["restartCount"])));
        }
        if let Some(res) = get(c, &["resources"]) {
            resources_block(w, res, 2);
        }
        for (field, title) in
            [("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"), ("startupProbe", "Startup")]
        {
            if let Some(probe) = get(c, &[field]) {
                w.w(2, &format!("{title}:\t{}\n", describe_probe(probe)));
            }
        }
        env_from(w, arr_at(c, &["envFrom"]));
        env(w, c, pod);
        mounts(w, c);
    }
}

/// describe.go `describeStatus`.
fn container_state(w: &mut Writer, title: &str, state: Option<&Value>) {
    let at = |s: &Value, f: &str| format_rfc1123z(time_at(s, &[f]));
    if let Some(r) = state.and_then(|s| get(s, &["running"])) {
        w.w(2, &format!("{title}:\tRunning\n"));
        w.w(3, &format!("Started:\t{}\n", at(r, "startedAt")));
    } else if let Some(wt) = state.and_then(|s| get(s, &["waiting"])) {
        w.w(2, &format!("{title}:\tWaiting\n"));
        let reason = str_at(wt, &["reason"]);
        if !reason.is_empty() {
            w.w(3, &format!("Reason:\t{reason}\n"));
        }
    } else if let Some(t) = state.and_then(|s| get(s, &["terminated"])) {
        w.w(2, &format!("{title}:\tTerminated\n"));
        for (field, label) in [("reason", "Reason"), ("message", "Message")] {
            let v = str_at(t, &[field]);
            if !v.is_empty() {
                w.w(3, &format!("{label}:\t{v}\n"));
            }
        }
        w.w(3, &format!("Exit Code:\t{}\n", i64_at(t, &["exitCode"])));
        let signal = i64_at(t, &["signal"]);
        if signal > 0 {
            w.w(3, &format!("Signal:\t{signal}\n"));
        }
        w.w(3, &format!("Started:\t{}\n", at(t, "startedAt")));
        w.w(3, &format!("Finished:\t{}\n", at(t, "finishedAt")));
    } else {
        w.w(2, &format!("{title}:\tWaiting\n"));
    }
}

/// describe.go `DescribeProbe`, with the API server's defaults for omitted fields.
pub(crate) fn describe_probe(p: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        opt_i64(p, &["initialDelaySeconds"]).unwrap_or(0),
        opt_i64(p, &["timeoutSeconds"]).unwrap_or(1),
        opt_i64(p, &["periodSeconds"]).unwrap_or(10),
        opt_i64(p, &["successThreshold"]).unwrap_or(1),
        opt_i64(p, &["failureThreshold"]).unwrap_or(3)
    );
    if let Some(exec) = get(p, &["exec"]) {
        let cmd: Vec<&str> = arr_at(exec, &["command"]).iter().map(|c| c.as_str().unwrap_or("")).collect();
        return format!("exec [{}] {attrs}", cmd.join(" "));
    }
    if let Some(h) = get(p, &["httpGet"]) {
        let scheme = match str_at(h, &["scheme"]) {
            "" => "http".to_string(),
            s => s.to_ascii_lowercase(),
        };
        let host = str_at(h, &["host"]);
        let port = get(h, &["port"]).map(|v| int_or_string(Some(v))).unwrap_or_default();
        let host_port = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = str_at(h, &["path"]);
        let slash = if !path.is_empty() && !path.starts_with('/') && !host_port.is_empty() { "/" } else { "" };
        return format!("http-get {scheme}://{host_port}{slash}{path} {attrs}");
    }
    if let Some(t) = get(p, &["tcpSocket"]) {
        return format!("tcp-socket {}:{} {attrs}", str_at(t, &["host"]), int_or_string(get(t, &["port"])));
    }
    if let Some(g) = get(p, &["grpc"]) {
        return format!("grpc <pod>:{} {} {attrs}", i64_at(g, &["port"]), str_at(g, &["service"]));
    }
    format!("unknown {attrs}")
}

fn env_from(w: &mut Writer, sources: &[Value]) {
    if sources.is_empty() {
        return;
    }
    w.w(2, "Environment Variables from:\n");
    for s in sources {
        let (from, r) = match (get(s, &["configMapRef"]), get(s, &["secretRef"])) {
            (Some(r), _) => ("ConfigMap", Some(r)),
            (None, Some(r)) => ("Secret", Some(r)),
            _ => ("", None),
        };
        let name = r.map(|r| str_at(r, &["name"])).unwrap_or("");
        let optional = r.is_some_and(|r| bool_at(r, &["optional"]));
        let prefix = str_at(s, &["prefix"]);
        if prefix.is_empty() {
            w.w(3, &format!("{name}\t{from}\tOptional: {optional}\n"));
        } else {
            w.w(3, &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"));
        }
    }
}

/// describe.go `describeContainerEnvVars`. `pod` is kubectl's `EnvValueRetriever` (absent for
/// pod templates); resource references read the container being described.
fn env(w: &mut Writer, c: &Value, pod: Option<&Value>) {
    let vars = arr_at(c, &["env"]);
    if vars.is_empty() {
        w.w(2, "Environment:\t<none>\n");
        return;
    }
    w.w(2, "Environment:\n");
    for e in vars {
        let name = str_at(e, &["name"]);
        let Some(from) = get(e, &["valueFrom"]) else {
            for (i, line) in str_at(e, &["value"]).split('\n').enumerate() {
                if i == 0 {
                    w.w(3, &format!("{name}:\t{line}\n"));
                } else {
                    w.w(3, &format!("\t{line}\n"));
                }
            }
            continue;
        };
        if let Some(f) = get(from, &["fieldRef"]) {
            let path = str_at(f, &["fieldPath"]);
            let value = pod.map(|p| field_path_value(p, path)).unwrap_or_default();
            let api = match str_at(f, &["apiVersion"]) {
                "" => "v1",
                v => v,
            };
            w.w(3, &format!("{name}:\t{value} ({api}:{path})\n"));
        } else if let Some(r) = get(from, &["resourceFieldRef"]) {
            let resource = str_at(r, &["resource"]);
            w.w(3, &format!("{name}:\t{} ({resource})\n", resource_field_value(c, r)));
        } else if let Some(s) = get(from, &["secretKeyRef"]) {
            w.w(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    str_at(s, &["key"]),
                    str_at(s, &["name"]),
                    bool_at(s, &["optional"])
                ),
            );
        } else if let Some(m) = get(from, &["configMapKeyRef"]) {
            w.w(
                3,
                &format!(
                    "{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    str_at(m, &["key"]),
                    str_at(m, &["name"]),
                    bool_at(m, &["optional"])
                ),
            );
        }
    }
}

/// `EnvValueRetriever`: kubectl converts the field label with its own scheme, which knows no
/// Pod field labels beyond the generic `metadata.name` and `metadata.namespace`
/// (`DefaultMetaV1FieldSelectorConversion`); any other path, `status.podIP` included, resolves
/// to an empty value.
fn field_path_value(pod: &Value, path: &str) -> String {
    match path {
        "metadata.name" => obj::name(pod).to_string(),
        "metadata.namespace" => obj::namespace(pod).to_string(),
        _ => String::new(),
    }
}

/// resourcehelper `ExtractContainerResourceValue`: the container's quantity over the divisor
/// (default 1), rounded up, as an integer (cpu in millicores over the divisor's); describe
/// shows an unset cpu or memory limit as `node allocatable`.
fn resource_field_value(c: &Value, r: &Value) -> String {
    let resource = str_at(r, &["resource"]);
    let Some((section, name)) = resource.split_once('.').filter(|(s, _)| matches!(*s, "limits" | "requests")) else {
        return String::new();
    };
    let value = get(c, &["resources", section, name]).and_then(Value::as_str).and_then(quantity).unwrap_or(0.0);
    let divisor = quantity(str_at(r, &["divisor"])).filter(|d| *d > 0.0).unwrap_or(1.0);
    let scaled = if name == "cpu" {
        ((value * 1000.0).ceil() / (divisor * 1000.0).ceil()).ceil()
    } else {
        (value.ceil() / divisor.ceil()).ceil()
    };
    let text = format!("{}", scaled as i64);
    if text == "0" && matches!(resource, "limits.cpu" | "limits.memory") {
        return "node allocatable".to_string();
    }
    text
}

fn mounts(w: &mut Writer, c: &Value) {
    let mut list: Vec<&Value> = arr_at(c, &["volumeMounts"]).iter().collect();
    if list.is_empty() {
        w.w(2, "Mounts:\t<none>\n");
    } else {
        w.w(2, "Mounts:\n");
        list.sort_by(|a, b| str_at(a, &["mountPath"]).cmp(str_at(b, &["mountPath"])));
        for m in list {
            let mut flags = vec![if bool_at(m, &["readOnly"]) { "ro".to_string() } else { "rw".to_string() }];
            let sub = str_at(m, &["subPath"]);
            if !sub.is_empty() {
                flags.push(format!("path={sub:?}"));
            }
            w.w(3, &format!("{} from {} ({})\n", str_at(m, &["mountPath"]), str_at(m, &["name"]), flags.join(",")));
        }
    }
    let devices = arr_at(c, &["volumeDevices"]);
    if !devices.is_empty() {
        w.w(2, "Devices:\n");
        let mut sorted: Vec<&Value> = devices.iter().collect();
        sorted.sort_by(|a, b| str_at(a, &["devicePath"]).cmp(str_at(b, &["devicePath"])));
        for d in sorted {
            w.w(3, &format!("{} from {}\n", str_at(d, &["devicePath"]), str_at(d, &["name"])));
        }
    }
}

/// describe.go `describeVolumes` for the volume types pods commonly carry.
fn volumes(w: &mut Writer, vols: &[Value], space: &str) {
    if vols.is_empty() {
        w.w(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.w(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in vols {
        w.w(1, &format!("{name_indent}{}:\n", str_at(v, &["name"])));
        let optional = |s: &Value| bool_at(s, &["optional"]);
        if let Some(h) = get(v, &["hostPath"]) {
            w.w(
                2,
                &format!(
                    "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                    str_at(h, &["path"]),
                    // Defaulting sets the type to "" (HostPathUnset), which prints as nothing.
                    get(h, &["type"]).and_then(Value::as_str).unwrap_or("<none>")
                ),
            );
        } else if let Some(e) = get(v, &["emptyDir"]) {
            let size = str_at(e, &["sizeLimit"]);
            let size = if quantity(size).is_some_and(|q| q > 0.0) { size } else { "<unset>" };
            w.w(2, &format!(
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                str_at(e, &["medium"])
            ));
        } else if let Some(s) = get(v, &["secret"]) {
            w.w(
                2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    str_at(s, &["secretName"]),
                    optional(s)
                ),
            );
        } else if let Some(m) = get(v, &["configMap"]) {
            w.w(
                2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    str_at(m, &["name"]),
                    optional(m)
                ),
            );
        } else if let Some(pvc) = get(v, &["persistentVolumeClaim"]) {
            w.w(2, &format!(
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                str_at(pvc, &["claimName"]),
                bool_at(pvc, &["readOnly"])
            ));
        } else if let Some(d) = get(v, &["downwardAPI"]) {
            w.w(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
            for item in arr_at(d, &["items"]) {
                if let Some(f) = get(item, &["fieldRef"]) {
                    w.w(3, &format!("{} -> {}\n", str_at(f, &["fieldPath"]), str_at(item, &["path"])));
                }
                if let Some(r) = get(item, &["resourceFieldRef"]) {
                    w.w(3, &format!("{} -> {}\n", str_at(r, &["resource"]), str_at(item, &["path"])));
                }
            }
        } else if let Some(p) = get(v, &["projected"]) {
            w.w(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
            for src in arr_at(p, &["sources"]) {
                // kubectl 1.33 prints `Optional: false` where older ones printed the *bool.
                let opt = |s: &Value| match get(s, &["optional"]).and_then(Value::as_bool) {
                    _ if w.minor >= 33 => optional(s).to_string(),
                    Some(b) => format!("{b}"),
                    None => "<nil>".to_string(),
                };
                if let Some(s) = get(src, &["secret"]) {
                    let line = if w.minor >= 33 { "Optional" } else { "SecretOptionalName" };
                    w.w(2, &format!("SecretName:\t{}\n    {line}:\t{}\n", str_at(s, &["name"]), opt(s)));
                } else if get(src, &["downwardAPI"]).is_some() {
                    w.w(2, "DownwardAPI:\ttrue\n");
                } else if let Some(m) = get(src, &["configMap"]) {
                    let line = if w.minor >= 33 { "Optional" } else { "ConfigMapOptional" };
                    w.w(2, &format!("ConfigMapName:\t{}\n    {line}:\t{}\n", str_at(m, &["name"]), opt(m)));
                } else if let Some(t) = get(src, &["serviceAccountToken"]) {
                    w.w(
                        2,
                        &format!("TokenExpirationSeconds:\t{}\n", opt_i64(t, &["expirationSeconds"]).unwrap_or(3607)),
                    );
                }
            }
        } else {
            w.w(1, "<unknown>\n");
        }
    }
}

/// describe.go `DescribePodTemplate`.
fn pod_template(w: &mut Writer, t: Option<&Value>) {
    w.w(0, "Pod Template:\n");
    let Some(t) = t else {
        w.w(1, "<unset>");
        return;
    };
    w.labels("  Labels", &string_map(t, &["metadata", "labels"]));
    let annotations = string_map(t, &["metadata", "annotations"]);
    if !annotations.is_empty() {
        w.annotations("  Annotations", &annotations);
    }
    let sa = str_at(t, &["spec", "serviceAccountName"]);
    if !sa.is_empty() {
        w.w(1, &format!("Service Account:\t{sa}\n"));
    }
    let inits = arr_at(t, &["spec", "initContainers"]);
    if !inits.is_empty() {
        containers(w, "Init Containers", inits, None, None, "  ");
    }
    containers(w, "Containers", arr_at(t, &["spec", "containers"]), None, None, "  ");
    volumes(w, arr_at(t, &["spec", "volumes"]), "  ");
    topology(w, arr_at(t, &["spec", "topologySpreadConstraints"]), "  ");
    let pc = str_at(t, &["spec", "priorityClassName"]);
    if !pc.is_empty() {
        w.w(1, &format!("Priority Class Name:\t{pc}\n"));
    }
    // Node-Selectors and Tolerations in pod templates: kubectl 1.30.
    if w.minor >= 30 {
        w.labels("  Node-Selectors", &string_map(t, &["spec", "nodeSelector"]));
        w.tolerations("  Tolerations", arr_at(t, &["spec", "tolerations"]));
    }
}

fn selector_string(v: &Value) -> String {
    Selector::from_label_selector(get(v, &["spec", "selector"])).map(|s| s.render()).unwrap_or_default()
}

/// describe.go `describeJob`.
fn describe_job(w: &mut Writer, job: &Value) {
    w.w(0, &format!("Name:\t{}\n", obj::name(job)));
    w.w(0, &format!("Namespace:\t{}\n", obj::namespace(job)));
    w.w(0, &format!("Selector:\t{}\n", selector_string(job)));
    w.labels("Labels", &string_map(job, &["metadata", "labels"]));
    w.annotations("Annotations", &string_map(job, &["metadata", "annotations"]));
    if let Some(owner) = obj::controller_of(job) {
        w.w(0, &format!("Controlled By:\t{}/{}\n", str_at(owner, &["kind"]), str_at(owner, &["name"])));
    }
    if let Some(p) = opt_i64(job, &["spec", "parallelism"]) {
        w.w(0, &format!("Parallelism:\t{p}\n"));
    }
    match opt_i64(job, &["spec", "completions"]) {
        Some(c) => w.w(0, &format!("Completions:\t{c}\n")),
        None => w.w(0, "Completions:\t<unset>\n"),
    }
    let mode = str_at(job, &["spec", "completionMode"]);
    if !mode.is_empty() {
        w.w(0, &format!("Completion Mode:\t{mode}\n"));
    }
    // Suspend, Backoff Limit and TTL lines: kubectl 1.30.
    if w.minor >= 30 {
        if let Some(s) = get(job, &["spec", "suspend"]).and_then(Value::as_bool) {
            w.w(0, &format!("Suspend:\t{s}\n"));
        }
        if let Some(b) = opt_i64(job, &["spec", "backoffLimit"]) {
            w.w(0, &format!("Backoff Limit:\t{b}\n"));
        }
        if let Some(t) = opt_i64(job, &["spec", "ttlSecondsAfterFinished"]) {
            w.w(0, &format!("TTL Seconds After Finished:\t{t}\n"));
        }
    }
    let start = time_at(job, &["status", "startTime"]);
    let done = time_at(job, &["status", "completionTime"]);
    if let Some(s) = start {
        w.w(0, &format!("Start Time:\t{}\n", format_rfc1123z(Some(s))));
    }
    if let Some(d) = done {
        w.w(0, &format!("Completed At:\t{}\n", format_rfc1123z(Some(d))));
    }
    if let (Some(s), Some(d)) = (start, done) {
        w.w(0, &format!("Duration:\t{}\n", human_duration(d - s)));
    }
    if let Some(a) = opt_i64(job, &["spec", "activeDeadlineSeconds"]) {
        w.w(0, &format!("Active Deadline Seconds:\t{a}s\n"));
    }
    let (active, succeeded, failed) =
        (i64_at(job, &["status", "active"]), i64_at(job, &["status", "succeeded"]), i64_at(job, &["status", "failed"]));
    match opt_i64(job, &["status", "ready"]) {
        Some(ready) => w.w(
            0,
            &format!("Pods Statuses:\t{active} Active ({ready} Ready) / {succeeded} Succeeded / {failed} Failed\n"),
        ),
        None => w.w(0, &format!("Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed\n")),
    }
    if mode == "Indexed" {
        let indexes = str_at(job, &["status", "completedIndexes"]);
        w.w(0, &format!("Completed Indexes:\t{}\n", or_none(indexes)));
    }
    pod_template(w, get(job, &["spec", "template"]));
}

/// deploymentutil `EqualIgnoreHash`: templates equal once `pod-template-hash` is dropped.
fn same_template(a: Option<&Value>, b: Option<&Value>) -> bool {
    let strip = |t: Option<&Value>| {
        let mut t = t.cloned().unwrap_or(Value::Null);
        if let Some(labels) = t.pointer_mut("/metadata/labels").and_then(Value::as_object_mut) {
            labels.remove("pod-template-hash");
        }
        t
    };
    strip(a) == strip(b)
}

/// describe.go `describeDeployment`, with deploymentutil's old and new replica sets.
fn describe_deployment(w: &mut Writer, c: &Cluster, d: &Value) {
    let uid = str_at(d, &["metadata", "uid"]);
    let mut owned: Vec<&Value> = c
        .list(Kind::ReplicaSet, Some(obj::namespace(d)))
        .into_iter()
        .filter(|rs| obj::controller_of(rs).is_some_and(|o| str_at(o, &["uid"]) == uid))
        .collect();
    // FindNewReplicaSet sorts by creation time before picking.
    owned.sort_by_key(|rs| (time_at(rs, &["metadata", "creationTimestamp"]), obj::name(rs).to_string()));
    let template = get(d, &["spec", "template"]);
    let new = owned.iter().position(|rs| same_template(get(rs, &["spec", "template"]), template));
    let rs_text = |list: Vec<&&Value>| {
        let parts: Vec<String> = list
            .iter()
            .map(|rs| {
                format!(
                    "{} ({}/{} replicas created)",
                    obj::name(rs),
                    i64_at(rs, &["status", "replicas"]),
                    opt_i64(rs, &["spec", "replicas"]).unwrap_or(1)
                )
            })
            .collect();
        if parts.is_empty() {
            "<none>".to_string()
        } else {
            parts.join(", ")
        }
    };

    w.w(0, &format!("Name:\t{}\n", obj::name(d)));
    w.w(0, &format!("Namespace:\t{}\n", obj::namespace(d)));
    w.w(0, &format!("CreationTimestamp:\t{}\n", format_rfc1123z(time_at(d, &["metadata", "creationTimestamp"]))));
    w.labels("Labels", &string_map(d, &["metadata", "labels"]));
    w.annotations("Annotations", &string_map(d, &["metadata", "annotations"]));
    w.w(0, &format!("Selector:\t{}\n", selector_string(d)));
    w.w(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            opt_i64(d, &["spec", "replicas"]).unwrap_or(1),
            i64_at(d, &["status", "updatedReplicas"]),
            i64_at(d, &["status", "replicas"]),
            i64_at(d, &["status", "availableReplicas"]),
            i64_at(d, &["status", "unavailableReplicas"])
        ),
    );
    w.w(0, &format!("StrategyType:\t{}\n", str_at(d, &["spec", "strategy", "type"])));
    w.w(0, &format!("MinReadySeconds:\t{}\n", i64_at(d, &["spec", "minReadySeconds"])));
    if let Some(ru) = get(d, &["spec", "strategy", "rollingUpdate"]) {
        w.w(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                int_or_string(get(ru, &["maxUnavailable"])),
                int_or_string(get(ru, &["maxSurge"]))
            ),
        );
    }
    pod_template(w, template);
    conditions_table(w, d);
    if !owned.is_empty() {
        let old: Vec<&&Value> = owned.iter().enumerate().filter(|(i, _)| Some(*i) != new).map(|(_, rs)| rs).collect();
        let newest: Vec<&&Value> = new.and_then(|i| owned.get(i)).into_iter().collect();
        w.w(0, &format!("OldReplicaSets:\t{}\n", rs_text(old)));
        w.w(0, &format!("NewReplicaSet:\t{}\n", rs_text(newest)));
    }
}

fn conditions_table(w: &mut Writer, o: &Value) {
    let conditions = arr_at(o, &["status", "conditions"]);
    if conditions.is_empty() {
        return;
    }
    w.w(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.w(1, "----\t------\t------\n");
    for c in conditions {
        w.w(1, &format!("{} \t{}\t{}\n", str_at(c, &["type"]), str_at(c, &["status"]), str_at(c, &["reason"])));
    }
}

/// describe.go `describeReplicaSet`.
fn describe_replica_set(w: &mut Writer, c: &Cluster, rs: &Value) {
    let uid = str_at(rs, &["metadata", "uid"]);
    let selector = Selector::from_label_selector(get(rs, &["spec", "selector"])).unwrap_or_default();
    let mut counts = [0; 4];
    for pod in c.list(Kind::Pod, Some(obj::namespace(rs))) {
        if !selector.matches(pod) || obj::controller_of(pod).is_none_or(|o| str_at(o, &["uid"]) != uid) {
            continue;
        }
        match str_at(pod, &["status", "phase"]) {
            "Running" => counts[0] += 1,
            "Pending" => counts[1] += 1,
            "Succeeded" => counts[2] += 1,
            "Failed" => counts[3] += 1,
            _ => {}
        }
    }
    w.w(0, &format!("Name:\t{}\n", obj::name(rs)));
    w.w(0, &format!("Namespace:\t{}\n", obj::namespace(rs)));
    w.w(0, &format!("Selector:\t{}\n", format_label_selector(get(rs, &["spec", "selector"]))));
    w.labels("Labels", &string_map(rs, &["metadata", "labels"]));
    w.annotations("Annotations", &string_map(rs, &["metadata", "annotations"]));
    if let Some(owner) = obj::controller_of(rs) {
        w.w(0, &format!("Controlled By:\t{}/{}\n", str_at(owner, &["kind"]), str_at(owner, &["name"])));
    }
    w.w(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            i64_at(rs, &["status", "replicas"]),
            opt_i64(rs, &["spec", "replicas"]).unwrap_or(1)
        ),
    );
    w.w(0, "Pods Status:\t");
    w.w(
        0,
        &format!("{} Running / {} Waiting / {} Succeeded / {} Failed\n", counts[0], counts[1], counts[2], counts[3]),
    );
    pod_template(w, get(rs, &["spec", "template"]));
    conditions_table(w, rs);
}
