//! The Kubernetes API objects the engine simulates, typed, with the API server's defaults
//! already applied. Only the fields the simulation reads are typed; the full object as the
//! user wrote it (after defaulting and dropping) travels beside it as JSON for output.

use std::collections::BTreeMap;

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ObjectMeta {
    pub name: String,
    /// Set when the manifest asks the API server to generate the name.
    pub generate_name: Option<String>,
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub finalizers: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RestartPolicy {
    #[default]
    Always,
    OnFailure,
    Never,
}

impl RestartPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            RestartPolicy::Always => "Always",
            RestartPolicy::OnFailure => "OnFailure",
            RestartPolicy::Never => "Never",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PullPolicy {
    Always,
    #[default]
    IfNotPresent,
    Never,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodSpec {
    pub init_containers: Vec<Container>,
    pub containers: Vec<Container>,
    pub restart_policy: RestartPolicy,
    /// Defaulted to 30.
    pub termination_grace_period_seconds: i64,
    pub node_name: Option<String>,
    pub active_deadline_seconds: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub command: Option<Vec<String>>,
    pub args: Option<Vec<String>>,
    pub image_pull_policy: PullPolicy,
    /// `Some(Always)` on an init container makes it a sidecar (KEP-753).
    pub restart_policy: Option<String>,
    pub ports: Vec<ContainerPort>,
    pub env: Vec<(String, String)>,
    pub startup_probe: Option<Probe>,
    pub readiness_probe: Option<Probe>,
    pub liveness_probe: Option<Probe>,
    pub post_start: Option<Handler>,
    pub pre_stop: Option<Handler>,
    pub stdin: bool,
    pub tty: bool,
    /// Memory limit in bytes, for OOM kills.
    pub memory_limit: Option<i64>,
}

impl Container {
    /// podutil.IsRestartableInitContainer (only meaningful for init containers).
    pub fn is_restartable(&self) -> bool {
        self.restart_policy.as_deref() == Some("Always")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContainerPort {
    pub name: Option<String>,
    pub container_port: i64,
    pub protocol: String,
}

/// A probe with SetDefaults_Probe applied.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Probe {
    pub handler: Handler,
    pub initial_delay_seconds: i64,
    pub timeout_seconds: i64,
    pub period_seconds: i64,
    pub success_threshold: i64,
    pub failure_threshold: i64,
    pub termination_grace_period_seconds: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Port {
    Number(i64),
    Name(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Handler {
    Exec { command: Vec<String> },
    HttpGet { path: String, port: Port, host: Option<String>, scheme: String },
    TcpSocket { port: Port, host: Option<String> },
    Grpc { port: i64, service: Option<String> },
    Sleep { seconds: i64 },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct LabelSelector {
    pub match_labels: BTreeMap<String, String>,
    pub match_expressions: Vec<SelectorRequirement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SelectorRequirement {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodTemplate {
    pub metadata: ObjectMeta,
    pub spec: PodSpec,
    /// The template as JSON (`{metadata, spec}`), defaulted, for stamping out pods.
    pub json: Value,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct JobSpec {
    pub completions: Option<i64>,
    pub parallelism: i64,
    pub backoff_limit: i64,
    pub active_deadline_seconds: Option<i64>,
    pub ttl_seconds_after_finished: Option<i64>,
    pub completion_mode: String,
    pub suspend: bool,
    pub selector: Option<LabelSelector>,
    pub manual_selector: bool,
    pub template: PodTemplate,
    pub pod_failure_policy: Option<PodFailurePolicy>,
}

/// `spec.podFailurePolicy` (batch/v1 `PodFailurePolicy`), as validated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodFailurePolicy {
    pub rules: Vec<PodFailurePolicyRule>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodFailurePolicyRule {
    /// `FailJob`, `Ignore`, `Count` or `FailIndex`.
    pub action: String,
    pub on_exit_codes: Option<OnExitCodes>,
    pub on_pod_conditions: Vec<OnPodCondition>,
}

/// `PodFailurePolicyOnExitCodesRequirement`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OnExitCodes {
    pub container_name: Option<String>,
    /// `In` or `NotIn`.
    pub operator: String,
    pub values: Vec<i64>,
}

/// `PodFailurePolicyOnPodConditionsPattern`; `status` is defaulted to `True`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OnPodCondition {
    pub type_: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum IntOrPercent {
    Int(i64),
    Percent(i64),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeploymentSpec {
    pub replicas: i64,
    pub selector: LabelSelector,
    pub template: PodTemplate,
    /// `RollingUpdate` or `Recreate`.
    pub strategy: String,
    pub max_surge: Option<IntOrPercent>,
    pub max_unavailable: Option<IntOrPercent>,
    pub min_ready_seconds: i64,
    pub revision_history_limit: i64,
    pub progress_deadline_seconds: i64,
    pub paused: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    Pod(PodSpec),
    Job(JobSpec),
    Deployment(DeploymentSpec),
}

/// One accepted object: what the API server stored after decoding, defaulting and
/// dropping disabled fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    pub api_version: String,
    pub kind: String,
    pub metadata: ObjectMeta,
    pub spec: Spec,
    /// The stored object as JSON (`apiVersion`, `kind`, `metadata`, `spec`), without status.
    pub json: Value,
}
