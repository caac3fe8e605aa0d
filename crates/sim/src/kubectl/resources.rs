//! The resource types kubectl's RESTMapper knows, by every name a user may type: the kinds
//! Podsim simulates, plus the built-in types a fresh cluster's namespace holds none of (so
//! `get statefulsets` answers "No resources found" as a real cluster would).

/// A kind Podsim has objects for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Pod,
    Deployment,
    ReplicaSet,
    Job,
    Event,
    Node,
}

impl Kind {
    /// The `kind` of the objects.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Pod => "Pod",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::Job => "Job",
            Kind::Event => "Event",
            Kind::Node => "Node",
        }
    }

    /// `strings.ToLower(GroupKind.String())`: the `-o name` and multi-type NAME prefix.
    pub(crate) fn qualified(self) -> &'static str {
        match self {
            Kind::Pod => "pod",
            Kind::Deployment => "deployment.apps",
            Kind::ReplicaSet => "replicaset.apps",
            Kind::Job => "job.batch",
            Kind::Event => "event",
            Kind::Node => "node",
        }
    }

    /// `GroupResource.String()`, as NotFound errors name the resource.
    pub(crate) fn resource(self) -> &'static str {
        match self {
            Kind::Pod => "pods",
            Kind::Deployment => "deployments.apps",
            Kind::ReplicaSet => "replicasets.apps",
            Kind::Job => "jobs.batch",
            Kind::Event => "events",
            Kind::Node => "nodes",
        }
    }

    pub(crate) fn namespaced(self) -> bool {
        self != Kind::Node
    }
}

/// What a type argument names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resource {
    Simulated(Kind),
    /// A built-in type with no objects in the simulated cluster: its `GroupResource` and
    /// whether it is namespaced.
    Empty(&'static str, bool),
}

impl Resource {
    pub(crate) fn resource(self) -> &'static str {
        match self {
            Resource::Simulated(k) => k.resource(),
            Resource::Empty(r, _) => r,
        }
    }

    pub(crate) fn namespaced(self) -> bool {
        match self {
            Resource::Simulated(k) => k.namespaced(),
            Resource::Empty(_, ns) => ns,
        }
    }
}

const EMPTY: &[(&[&str], &str, bool)] = &[
    (&["statefulsets", "statefulset", "sts"], "statefulsets.apps", true),
    (&["daemonsets", "daemonset", "ds"], "daemonsets.apps", true),
    (&["cronjobs", "cronjob", "cj"], "cronjobs.batch", true),
    (&["replicationcontrollers", "replicationcontroller", "rc"], "replicationcontrollers", true),
    (&["horizontalpodautoscalers", "horizontalpodautoscaler", "hpa"], "horizontalpodautoscalers.autoscaling", true),
    (&["persistentvolumeclaims", "persistentvolumeclaim", "pvc"], "persistentvolumeclaims", true),
    (&["ingresses", "ingress", "ing"], "ingresses.networking.k8s.io", true),
    (&["poddisruptionbudgets", "poddisruptionbudget", "pdb"], "poddisruptionbudgets.policy", true),
    (&["networkpolicies", "networkpolicy", "netpol"], "networkpolicies.networking.k8s.io", true),
    (&["persistentvolumes", "persistentvolume", "pv"], "persistentvolumes", false),
];

/// One name as the RESTMapper resolves it (`pods`, `po`, `deploy`, `jobs.batch`, …).
pub(crate) fn resolve_one(name: &str) -> Option<Resource> {
    let lower = name.to_ascii_lowercase();
    let (base, group) = match lower.split_once('.') {
        Some((b, g)) => (b.to_string(), Some(g.to_string())),
        None => (lower, None),
    };
    let kind = match base.as_str() {
        "pods" | "pod" | "po" => Some((Kind::Pod, "")),
        "deployments" | "deployment" | "deploy" => Some((Kind::Deployment, "apps")),
        "replicasets" | "replicaset" | "rs" => Some((Kind::ReplicaSet, "apps")),
        "jobs" | "job" => Some((Kind::Job, "batch")),
        "events" | "event" | "ev" => Some((Kind::Event, "")),
        "nodes" | "node" | "no" => Some((Kind::Node, "")),
        _ => None,
    };
    if let Some((kind, kind_group)) = kind {
        // `pods.v1`, `deployments.v1.apps`, `jobs.batch`, `deployments.apps`.
        let ok = match group.as_deref() {
            None => true,
            Some(g) => g == kind_group || g == "v1" || g == format!("v1.{kind_group}"),
        };
        return ok.then_some(Resource::Simulated(kind));
    }
    EMPTY.iter().find(|(names, ..)| names.contains(&base.as_str())).and_then(|(_, res, ns)| {
        let res_group = res.split_once('.').map(|(_, g)| g).unwrap_or("");
        group.as_deref().is_none_or(|g| g == res_group).then_some(Resource::Empty(res, *ns))
    })
}

/// A comma-separated type list; `all` is the `all` category as discovery orders it.
pub(crate) fn resolve_list(list: &str) -> Result<Vec<Resource>, String> {
    let mut out = Vec::new();
    for name in list.split(',').filter(|n| !n.is_empty()) {
        if name.eq_ignore_ascii_case("all") {
            out.extend([Kind::Pod, Kind::Deployment, Kind::ReplicaSet, Kind::Job].map(Resource::Simulated));
            continue;
        }
        match resolve_one(name) {
            Some(r) => out.push(r),
            None => return Err(format!("the server doesn't have a resource type \"{name}\"")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve() {
        for (name, kind) in [
            ("po", Kind::Pod),
            ("pods", Kind::Pod),
            ("deploy", Kind::Deployment),
            ("deployments.apps", Kind::Deployment),
            ("rs", Kind::ReplicaSet),
            ("job", Kind::Job),
            ("jobs.batch", Kind::Job),
            ("ev", Kind::Event),
            ("no", Kind::Node),
        ] {
            assert_eq!(resolve_one(name), Some(Resource::Simulated(kind)), "{name}");
        }
        assert_eq!(resolve_one("sts"), Some(Resource::Empty("statefulsets.apps", true)));
        assert_eq!(resolve_one("deployments.batch"), None);
        assert_eq!(resolve_list("foo"), Err("the server doesn't have a resource type \"foo\"".to_string()));
        assert_eq!(resolve_list("all").map(|v| v.len()), Ok(4));
    }
}
