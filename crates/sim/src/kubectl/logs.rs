//! `kubectl logs`: kubectl picks the container (polymorphichelpers `logsForObject`, with the
//! `Defaulted container` notice), the kubelet picks the container instance or refuses
//! (`validateContainerLogStatus`), and the lines come from the trace's container output.

use serde_json::Value;

use super::args::{self, flag, Flag, Takes};
use super::obj::{self, arr_at, get, i64_at, str_at};
use super::resources::{self, Kind, Resource};
use super::time::{format_rfc3339_nano, SECOND};
use super::{not_found, Cluster, Output};

const FLAGS: &[Flag] = &[
    flag("container", Some('c'), Takes::Value),
    flag("previous", Some('p'), Takes::Bool),
    flag("timestamps", None, Takes::Bool),
    flag("tail", None, Takes::Int),
    flag("follow", Some('f'), Takes::Bool),
    flag("all-containers", None, Takes::Bool),
    flag("prefix", None, Takes::Bool),
    flag("since", None, Takes::Value),
    flag("selector", Some('l'), Takes::Value),
    flag("limit-bytes", None, Takes::Int),
];

const USAGE: &str = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples";

pub(crate) fn run(c: &Cluster, argv: &[String]) -> Output {
    let p = match args::parse(argv, FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::usage_error("logs", &e),
    };
    let namespace = p.str("namespace").unwrap_or("default");
    let (pod_name, container_arg) = match p.positional.as_slice() {
        [] => return Output::error(USAGE),
        [pod] => (pod.as_str(), p.str("container")),
        [pod, container] if p.str("container").is_none() => (pod.as_str(), Some(container.as_str())),
        _ => return Output::error(USAGE),
    };
    let pod_name = match pod_name.split_once('/') {
        Some((t, n)) => match resources::resolve_one(t) {
            Some(Resource::Simulated(Kind::Pod)) => n,
            Some(_) => return Output::error(&format!("podsim simulates logs of pods only, not {t}")),
            None => return Output::error(&format!("the server doesn't have a resource type \"{t}\"")),
        },
        None => pod_name,
    };
    let Some(pod) = c.get(Kind::Pod, namespace, pod_name) else {
        return Output { stderr: format!("{}\n", not_found("pods", pod_name)), exit_code: 1, ..Output::default() };
    };
    let mut stderr = String::new();
    let containers: Vec<String> = if p.bool("all-containers") {
        arr_at(pod, &["spec", "initContainers"])
            .iter()
            .chain(arr_at(pod, &["spec", "containers"]))
            .map(|c| str_at(c, &["name"]).to_string())
            .collect()
    } else {
        match pick_container(pod, container_arg, &mut stderr) {
            Ok(name) => vec![name],
            Err(e) => return Output { stderr: format!("{stderr}error: {e}\n"), exit_code: 1, ..Output::default() },
        }
    };
    let mut stdout = String::new();
    for container in &containers {
        match container_lines(c, pod, container, p.bool("previous")) {
            Ok(lines) => {
                let tail = p.int("tail").filter(|t| *t >= 0).map(|t| t as usize);
                let skip = tail.map(|t| lines.len().saturating_sub(t)).unwrap_or(0);
                for (t, text) in &lines[skip..] {
                    if p.bool("prefix") {
                        stdout.push_str(&format!("[pod/{}/{container}] ", obj::name(pod)));
                    }
                    if p.bool("timestamps") {
                        stdout.push_str(&format_rfc3339_nano(*t));
                        stdout.push(' ');
                    }
                    stdout.push_str(text);
                    stdout.push('\n');
                }
            }
            Err(e) => {
                stderr.push_str(&format!("Error from server (BadRequest): {e}\n"));
                return Output { stdout, stderr, exit_code: 1 };
            }
        }
    }
    Output { stdout, stderr, exit_code: 0 }
}

/// logsForObject's choice of container: `-c`, the `kubectl.kubernetes.io/default-container`
/// annotation, or the first container with a notice on stderr.
fn pick_container(pod: &Value, asked: Option<&str>, stderr: &mut String) -> Result<String, String> {
    let containers = arr_at(pod, &["spec", "containers"]);
    let inits = arr_at(pod, &["spec", "initContainers"]);
    let ephemeral = arr_at(pod, &["spec", "ephemeralContainers"]);
    let exists = |n: &str| containers.iter().chain(inits).chain(ephemeral).any(|c| str_at(c, &["name"]) == n);
    let pod_name = obj::name(pod);
    let mut chosen = asked.map(String::from);
    if chosen.is_none() {
        let annotated = str_at(pod, &["metadata", "annotations", "kubectl.kubernetes.io/default-container"]);
        if !annotated.is_empty() {
            if exists(annotated) {
                chosen = Some(annotated.to_string());
            } else {
                stderr.push_str(&format!("Default container name \"{annotated}\" not found in pod {pod_name}\n"));
            }
        }
    }
    let name = match chosen {
        Some(n) => n,
        None => {
            let first = containers.first().map(|c| str_at(c, &["name"])).unwrap_or("").to_string();
            if containers.len() > 1 || !inits.is_empty() || !ephemeral.is_empty() {
                // podcmd.AllContainerNames: containers, ephemeral (ephem), init (init).
                let names: Vec<String> = containers
                    .iter()
                    .map(|c| str_at(c, &["name"]).to_string())
                    .chain(ephemeral.iter().map(|c| format!("{} (ephem)", str_at(c, &["name"]))))
                    .chain(inits.iter().map(|c| format!("{} (init)", str_at(c, &["name"]))))
                    .collect();
                stderr.push_str(&format!("Defaulted container \"{first}\" out of: {}\n", names.join(", ")));
            }
            first
        }
    };
    if !exists(&name) {
        return Err(format!("container {name} is not valid for pod {pod_name}"));
    }
    Ok(name)
}

/// kubelet `validateContainerLogStatus`, then the lines of the instance it chose: the
/// instance number is the restart count the container had while it ran.
fn container_lines(c: &Cluster, pod: &Value, container: &str, previous: bool) -> Result<Vec<(i64, String)>, String> {
    let pod_name = obj::name(pod);
    if str_at(pod, &["spec", "nodeName"]).is_empty() {
        // Not scheduled: the API server has no kubelet to ask and streams nothing.
        return Ok(Vec::new());
    }
    let status = ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"]
        .iter()
        .flat_map(|f| arr_at(pod, &["status", f]))
        .find(|s| str_at(s, &["name"]) == container)
        .ok_or_else(|| format!("container \"{container}\" in pod \"{pod_name}\" is not available"))?;
    let restarts = i64_at(status, &["restartCount"]);
    let last_terminated = get(status, &["lastState", "terminated"]);
    let running = get(status, &["state", "running"]);
    let terminated = get(status, &["state", "terminated"]);
    let waiting = get(status, &["state", "waiting"]);
    let has_id = |t: &Value| !str_at(t, &["containerID"]).is_empty();
    // The instance the last termination belongs to: the previous one while a newer instance
    // exists, the latest one while the container waits to be restarted.
    let last_instance = if running.is_some() || terminated.is_some() { restarts - 1 } else { restarts };
    let instance = if previous {
        match last_terminated.filter(|t| has_id(t)) {
            Some(_) => last_instance,
            None => {
                return Err(format!("previous terminated container \"{container}\" in pod \"{pod_name}\" not found"))
            }
        }
    } else if running.is_some() {
        restarts
    } else if let Some(t) = terminated {
        if has_id(t) {
            restarts
        } else if last_terminated.is_some_and(has_id) {
            last_instance
        } else {
            return Err(format!("container \"{container}\" in pod \"{pod_name}\" is terminated"));
        }
    } else if let Some(t) = last_terminated {
        if !has_id(t) {
            return Err(format!("container \"{container}\" in pod \"{pod_name}\" is terminated"));
        }
        last_instance
    } else if let Some(w) = waiting {
        return Err(match str_at(w, &["reason"]) {
            "ErrImagePull" => {
                format!("container \"{container}\" in pod \"{pod_name}\" is waiting to start: image can't be pulled")
            }
            "ImagePullBackOff" => format!(
                "container \"{container}\" in pod \"{pod_name}\" is waiting to start: trying and failing to pull image"
            ),
            reason => format!("container \"{container}\" in pod \"{pod_name}\" is waiting to start: {reason}"),
        });
    } else {
        return Err(format!("container \"{container}\" in pod \"{pod_name}\" is waiting to start - no logs yet"));
    };
    let epoch = c.trace.epoch * SECOND;
    Ok(c.trace
        .logs
        .iter()
        .filter(|l| {
            l.pod == pod_name
                && l.namespace == obj::namespace(pod)
                && l.container == container
                && i64::from(l.instance) == instance
                && epoch + (l.t * 1e9).round() as i64 <= c.now.0
        })
        .map(|l| (epoch + (l.t * 1e9).round() as i64, l.text.clone()))
        .collect())
}
