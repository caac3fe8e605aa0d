//! Cluster settings: the Kubernetes version, feature gates per component, kubectl's field
//! validation mode, how long to run, and the seed. Gate defaults are modelled per version
//! (`pkg/features/kube_features.go`, versioned specs).

use std::collections::BTreeMap;

use crate::trace::Millis;

/// A Kubernetes minor version `1.minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KubeVersion {
    pub minor: u32,
}

impl KubeVersion {
    pub const OLDEST: u32 = 27;
    pub const NEWEST: u32 = 34;

    pub fn new(minor: u32) -> Self {
        KubeVersion { minor }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().trim_start_matches('v');
        let mut parts = t.split('.');
        let (major, minor) = (parts.next(), parts.next());
        match (major.and_then(|m| m.parse::<u32>().ok()), minor.and_then(|m| m.parse::<u32>().ok())) {
            (Some(1), Some(minor)) if (Self::OLDEST..=Self::NEWEST).contains(&minor) => Ok(KubeVersion { minor }),
            (Some(1), Some(_)) => Err(format!(
                "unsupported Kubernetes version {text:?}: podsim models 1.{} to 1.{}",
                Self::OLDEST,
                Self::NEWEST
            )),
            _ => Err(format!("invalid Kubernetes version {text:?}: expected e.g. 1.29")),
        }
    }

    pub fn at_least(self, minor: u32) -> bool {
        self.minor >= minor
    }
}

impl std::fmt::Display for KubeVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "1.{}", self.minor)
    }
}

/// The feature gates podsim models, with their default per version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gate {
    SidecarContainers,
    KubeletCrashLoopBackOffMax,
    ReduceDefaultCrashLoopBackOffDecay,
}

impl Gate {
    pub const ALL: [Gate; 3] =
        [Gate::SidecarContainers, Gate::KubeletCrashLoopBackOffMax, Gate::ReduceDefaultCrashLoopBackOffDecay];

    pub fn name(self) -> &'static str {
        match self {
            Gate::SidecarContainers => "SidecarContainers",
            Gate::KubeletCrashLoopBackOffMax => "KubeletCrashLoopBackOffMax",
            Gate::ReduceDefaultCrashLoopBackOffDecay => "ReduceDefaultCrashLoopBackOffDecay",
        }
    }

    pub fn from_name(name: &str) -> Option<Gate> {
        Gate::ALL.into_iter().find(|g| g.name() == name)
    }

    /// Whether the gate exists in this version (a gate that does not exist cannot be set).
    pub fn exists_in(self, v: KubeVersion) -> bool {
        match self {
            Gate::SidecarContainers => v.at_least(28),
            Gate::KubeletCrashLoopBackOffMax => v.at_least(32),
            Gate::ReduceDefaultCrashLoopBackOffDecay => v.at_least(33),
        }
    }

    /// kube_features.go: SidecarContainers 1.28 alpha (off), 1.29 beta (on), 1.33 GA (locked on);
    /// KubeletCrashLoopBackOffMax 1.32 alpha (off), 1.35 beta; ReduceDefaultCrashLoopBackOffDecay
    /// 1.33 alpha (off).
    pub fn default_in(self, v: KubeVersion) -> bool {
        match self {
            Gate::SidecarContainers => v.at_least(29),
            Gate::KubeletCrashLoopBackOffMax => v.at_least(35),
            Gate::ReduceDefaultCrashLoopBackOffDecay => false,
        }
    }

    /// GA gates locked to their default refuse to be turned off.
    pub fn locked_in(self, v: KubeVersion) -> bool {
        matches!(self, Gate::SidecarContainers) && v.at_least(33)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validate {
    Strict,
    Warn,
    Ignore,
}

impl Validate {
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "strict" | "true" => Ok(Validate::Strict),
            "warn" => Ok(Validate::Warn),
            "false" | "ignore" => Ok(Validate::Ignore),
            other => Err(format!("invalid --validate value {other:?}: must be strict, warn or false")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Validate::Strict => "strict",
            Validate::Warn => "warn",
            Validate::Ignore => "false",
        }
    }
}

/// Which component a gate is read by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    ApiServer,
    Kubelet,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub version: KubeVersion,
    /// Gates for every component (`--feature-gates`).
    pub feature_gates: BTreeMap<String, bool>,
    pub apiserver_gates: BTreeMap<String, bool>,
    pub kubelet_gates: BTreeMap<String, bool>,
    pub validate: Validate,
    pub until: Millis,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            version: KubeVersion::new(29),
            feature_gates: BTreeMap::new(),
            apiserver_gates: BTreeMap::new(),
            kubelet_gates: BTreeMap::new(),
            validate: Validate::Strict,
            until: 600_000,
            seed: 0,
        }
    }
}

/// The longest simulated time a run may cover: a day, so no input can ask for an endless run.
pub const MAX_UNTIL: Millis = 86_400_000;

impl Settings {
    /// The gate's value for one component: its own flag, else `--feature-gates`, else the
    /// version's default. Locked gates keep their default.
    pub fn gate(&self, gate: Gate, component: Component) -> bool {
        if !gate.exists_in(self.version) {
            return false;
        }
        if gate.locked_in(self.version) {
            return gate.default_in(self.version);
        }
        let own = match component {
            Component::ApiServer => &self.apiserver_gates,
            Component::Kubelet => &self.kubelet_gates,
        };
        own.get(gate.name())
            .or_else(|| self.feature_gates.get(gate.name()))
            .copied()
            .unwrap_or_else(|| gate.default_in(self.version))
    }

    /// The same settings with a gate set for every component.
    pub fn with_gate(mut self, name: &str, value: bool) -> Self {
        self.feature_gates.insert(name.to_string(), value);
        self
    }

    /// Parses `A=true,B=false` as the component flags spell it.
    pub fn parse_gates(text: &str) -> Result<BTreeMap<String, bool>, String> {
        let mut out = BTreeMap::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("invalid feature gate {part:?}: expected Name=true|false"))?;
            let value = match value.trim().to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => return Err(format!("invalid value of {name}: {value}, err: must be true or false")),
            };
            out.insert(name.trim().to_string(), value);
        }
        Ok(out)
    }

    /// Checks every named gate against the version: unknown or locked gates are errors, as the
    /// components refuse to start with them.
    pub fn check_gates(&self) -> Result<(), String> {
        for map in [&self.feature_gates, &self.apiserver_gates, &self.kubelet_gates] {
            for (name, &value) in map {
                let gate = Gate::from_name(name).filter(|g| g.exists_in(self.version));
                match gate {
                    None => return Err(format!("unrecognized feature gate: {name}")),
                    Some(g) if g.locked_in(self.version) && value != g.default_in(self.version) => {
                        return Err(format!(
                            "cannot set feature gate {name} to {value}, feature is locked to {}",
                            g.default_in(self.version)
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_gate_defaults_follow_the_version() {
        let at = |minor| Settings { version: KubeVersion::new(minor), ..Settings::default() };
        assert!(!at(27).gate(Gate::SidecarContainers, Component::ApiServer));
        assert!(!at(28).gate(Gate::SidecarContainers, Component::ApiServer));
        assert!(at(29).gate(Gate::SidecarContainers, Component::Kubelet));
        assert!(at(34).gate(Gate::SidecarContainers, Component::Kubelet));
    }

    #[test]
    fn component_flags_override_the_shared_flag() {
        let mut s = Settings { version: KubeVersion::new(28), ..Settings::default() };
        s.feature_gates.insert("SidecarContainers".into(), true);
        s.kubelet_gates.insert("SidecarContainers".into(), false);
        assert!(s.gate(Gate::SidecarContainers, Component::ApiServer));
        assert!(!s.gate(Gate::SidecarContainers, Component::Kubelet));
    }

    #[test]
    fn locked_and_unknown_gates_are_refused() {
        let mut s = Settings { version: KubeVersion::new(33), ..Settings::default() };
        s.feature_gates.insert("SidecarContainers".into(), false);
        assert!(s.check_gates().unwrap_err().contains("locked"));
        let mut s = Settings { version: KubeVersion::new(27), ..Settings::default() };
        s.feature_gates.insert("SidecarContainers".into(), true);
        assert!(s.check_gates().unwrap_err().contains("unrecognized"));
    }

    #[test]
    fn versions_parse_within_the_modelled_range() {
        assert_eq!(KubeVersion::parse("1.29"), Ok(KubeVersion::new(29)));
        assert_eq!(KubeVersion::parse("v1.34"), Ok(KubeVersion::new(34)));
        assert!(KubeVersion::parse("1.26").is_err());
        assert!(KubeVersion::parse("banana").is_err());
    }
}
