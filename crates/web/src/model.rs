//! What the page shows of a trace: pods and their containers with their kind, read from the
//! final objects in Kubernetes' JSON shape. Pure, so it is tested natively.

use std::borrow::Borrow;

use serde_json::Value;

/// How a container runs inside its pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `spec.initContainers` entry without `restartPolicy: Always`: runs to completion, in order.
    Init,
    /// `spec.initContainers` entry with `restartPolicy: Always`: a native sidecar.
    Sidecar,
    /// `spec.containers` entry.
    App,
}

impl Kind {
    /// The word the page shows; also the `data-kind` attribute tests select on.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Init => "init",
            Kind::Sidecar => "sidecar",
            Kind::App => "app",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContainerView {
    pub name: String,
    pub image: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PodView {
    pub name: String,
    /// `status.phase`, when the engine reported one.
    pub phase: Option<String>,
    /// Init containers and sidecars in spec order, then the app containers.
    pub containers: Vec<ContainerView>,
}

/// The pods among `objects`, in their order. Missing fields read as empty: the engine's
/// objects come from user input and the page must show what it can.
pub fn pods<V: std::borrow::Borrow<Value>>(objects: &[V]) -> Vec<PodView> {
    objects.iter().map(Borrow::borrow).filter(|o: &&Value| o["kind"] == "Pod").map(pod).collect()
}

fn pod(object: &Value) -> PodView {
    let spec = &object["spec"];
    let init = list(&spec["initContainers"]).map(|c| {
        let kind = if c["restartPolicy"] == "Always" { Kind::Sidecar } else { Kind::Init };
        container(c, kind)
    });
    let app = list(&spec["containers"]).map(|c| container(c, Kind::App));
    PodView {
        name: text(&object["metadata"]["name"]),
        phase: object["status"]["phase"].as_str().map(str::to_owned),
        containers: init.chain(app).collect(),
    }
}

fn container(c: &Value, kind: Kind) -> ContainerView {
    ContainerView { name: text(&c["name"]), image: text(&c["image"]), kind }
}

fn list(v: &Value) -> impl Iterator<Item = &Value> {
    v.as_array().into_iter().flatten()
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn kinds_follow_the_spec_list_and_restart_policy() {
        let objects = [json!({
            "kind": "Pod",
            "metadata": {"name": "web"},
            "spec": {
                "initContainers": [
                    {"name": "migrate", "image": "busybox"},
                    {"name": "proxy", "image": "envoy", "restartPolicy": "Always"},
                ],
                "containers": [{"name": "app", "image": "nginx"}],
            },
            "status": {"phase": "Running"},
        })];
        let pods = pods(&objects);
        assert_eq!(pods.len(), 1);
        assert_eq!(pods[0].name, "web");
        assert_eq!(pods[0].phase.as_deref(), Some("Running"));
        let got: Vec<_> = pods[0].containers.iter().map(|c| (c.name.as_str(), c.image.as_str(), c.kind)).collect();
        assert_eq!(
            got,
            [("migrate", "busybox", Kind::Init), ("proxy", "envoy", Kind::Sidecar), ("app", "nginx", Kind::App)]
        );
    }

    #[test]
    fn other_kinds_are_not_pods() {
        let objects = [json!({"kind": "Job", "metadata": {"name": "pi"}}), json!({"kind": "Pod"})];
        assert_eq!(pods(&objects).len(), 1);
    }

    #[test]
    fn missing_fields_read_as_empty() {
        let objects = [json!({"kind": "Pod", "spec": {"containers": [{"image": 3}]}})];
        let pods = pods(&objects);
        assert_eq!(pods[0].name, "");
        assert_eq!(pods[0].phase, None);
        assert_eq!(pods[0].containers, [ContainerView { name: String::new(), image: String::new(), kind: Kind::App }]);
    }

    #[test]
    fn labels() {
        assert_eq!([Kind::Init, Kind::Sidecar, Kind::App].map(Kind::label), ["init", "sidecar", "app"]);
    }
}
