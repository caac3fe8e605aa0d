//! The fields the API server decodes, per type, with the Kubernetes minor version that added
//! them: the basis of strict field validation ("unknown field") and of Go's decode errors
//! ("cannot unmarshal string into Go struct field ..."). Subtrees podsim does not model field
//! by field (affinity, status, …) are `Any`: accepted as written, never reported unknown.

/// A field's type as encoding/json sees it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Ty {
    Str,
    Bool,
    Int32,
    Int64,
    /// `resource.Quantity` (custom unmarshaller).
    Quantity,
    /// `intstr.IntOrString` (custom unmarshaller).
    IntOrString,
    Any,
    List(&'static Ty),
    Map(&'static Ty),
    Struct(&'static Struct),
}

impl Ty {
    /// The Go type name in decode errors (`of type []string`).
    pub fn go_name(&self) -> String {
        match self {
            Ty::Str => "string".into(),
            Ty::Bool => "bool".into(),
            Ty::Int32 | Ty::IntOrString => "int32".into(),
            Ty::Int64 => "int64".into(),
            Ty::Quantity => "resource.Quantity".into(),
            Ty::Any => "interface {}".into(),
            Ty::List(t) => format!("[]{}", t.go_name()),
            Ty::Map(t) => format!("map[string]{}", t.go_name()),
            Ty::Struct(s) => s.go.into(),
        }
    }
}

#[derive(Debug)]
pub(super) struct Struct {
    /// Package-qualified Go type, e.g. `v1.Container`.
    pub go: &'static str,
    pub fields: &'static [Field],
}

impl Struct {
    /// The unqualified name that decode errors print before the field path.
    pub fn short(&self) -> &'static str {
        self.go.rsplit('.').next().unwrap_or(self.go)
    }

    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Debug)]
pub(super) struct Field {
    pub name: &'static str,
    pub ty: Ty,
    /// First Kubernetes minor version whose API has the field.
    pub since: u32,
}

const fn f(name: &'static str, ty: Ty) -> Field {
    Field { name, ty, since: 0 }
}

const fn since(minor: u32, name: &'static str, ty: Ty) -> Field {
    Field { name, ty, since: minor }
}

const STR: Ty = Ty::Str;
const BOOL: Ty = Ty::Bool;
const I32: Ty = Ty::Int32;
const I64: Ty = Ty::Int64;
const ANY: Ty = Ty::Any;
const STRS: Ty = Ty::List(&Ty::Str);
const STR_MAP: Ty = Ty::Map(&Ty::Str);
const ANYS: Ty = Ty::List(&Ty::Any);
const RESOURCES: Ty = Ty::Map(&Ty::Quantity);

pub(super) static POD: Struct = Struct {
    go: "v1.Pod",
    fields: &[
        f("apiVersion", STR),
        f("kind", STR),
        f("metadata", Ty::Struct(&OBJECT_META)),
        f("spec", Ty::Struct(&POD_SPEC)),
        f("status", ANY),
    ],
};

pub(super) static JOB: Struct = Struct {
    go: "v1.Job",
    fields: &[
        f("apiVersion", STR),
        f("kind", STR),
        f("metadata", Ty::Struct(&OBJECT_META)),
        f("spec", Ty::Struct(&JOB_SPEC)),
        f("status", ANY),
    ],
};

pub(super) static DEPLOYMENT: Struct = Struct {
    go: "v1.Deployment",
    fields: &[
        f("apiVersion", STR),
        f("kind", STR),
        f("metadata", Ty::Struct(&OBJECT_META)),
        f("spec", Ty::Struct(&DEPLOYMENT_SPEC)),
        f("status", ANY),
    ],
};

static OBJECT_META: Struct = Struct {
    go: "v1.ObjectMeta",
    fields: &[
        f("name", STR),
        f("generateName", STR),
        f("namespace", STR),
        f("selfLink", STR),
        f("uid", STR),
        f("resourceVersion", STR),
        f("generation", I64),
        // metav1.Time: generated manifests carry `creationTimestamp: null`.
        f("creationTimestamp", ANY),
        f("deletionTimestamp", ANY),
        f("deletionGracePeriodSeconds", I64),
        f("labels", STR_MAP),
        f("annotations", STR_MAP),
        f("ownerReferences", ANYS),
        f("finalizers", STRS),
        f("managedFields", ANYS),
    ],
};

static POD_TEMPLATE_SPEC: Struct = Struct {
    go: "v1.PodTemplateSpec",
    fields: &[f("metadata", Ty::Struct(&OBJECT_META)), f("spec", Ty::Struct(&POD_SPEC))],
};

static POD_SPEC: Struct = Struct {
    go: "v1.PodSpec",
    fields: &[
        f("volumes", Ty::List(&Ty::Struct(&VOLUME))),
        f("initContainers", Ty::List(&Ty::Struct(&CONTAINER))),
        f("containers", Ty::List(&Ty::Struct(&CONTAINER))),
        f("ephemeralContainers", ANYS),
        f("restartPolicy", STR),
        f("terminationGracePeriodSeconds", I64),
        f("activeDeadlineSeconds", I64),
        f("dnsPolicy", STR),
        f("nodeSelector", STR_MAP),
        f("serviceAccountName", STR),
        f("serviceAccount", STR),
        f("automountServiceAccountToken", BOOL),
        f("nodeName", STR),
        f("hostNetwork", BOOL),
        f("hostPID", BOOL),
        f("hostIPC", BOOL),
        f("shareProcessNamespace", BOOL),
        f("securityContext", Ty::Struct(&POD_SECURITY_CONTEXT)),
        f("imagePullSecrets", Ty::List(&Ty::Struct(&LOCAL_OBJECT_REFERENCE))),
        f("hostname", STR),
        f("subdomain", STR),
        f("affinity", ANY),
        f("schedulerName", STR),
        f("tolerations", Ty::List(&Ty::Struct(&TOLERATION))),
        f("hostAliases", Ty::List(&Ty::Struct(&HOST_ALIAS))),
        f("priorityClassName", STR),
        f("priority", I32),
        f("dnsConfig", ANY),
        f("readinessGates", ANYS),
        f("runtimeClassName", STR),
        f("enableServiceLinks", BOOL),
        f("preemptionPolicy", STR),
        f("overhead", RESOURCES),
        f("topologySpreadConstraints", ANYS),
        f("setHostnameAsFQDN", BOOL),
        f("os", Ty::Struct(&POD_OS)),
        f("hostUsers", BOOL),
        f("schedulingGates", ANYS),
        f("resourceClaims", ANYS),
        since(32, "resources", Ty::Struct(&RESOURCE_REQUIREMENTS)),
        since(34, "hostnameOverride", STR),
    ],
};

static POD_OS: Struct = Struct { go: "v1.PodOS", fields: &[f("name", STR)] };

static LOCAL_OBJECT_REFERENCE: Struct = Struct { go: "v1.LocalObjectReference", fields: &[f("name", STR)] };

static TOLERATION: Struct = Struct {
    go: "v1.Toleration",
    fields: &[f("key", STR), f("operator", STR), f("value", STR), f("effect", STR), f("tolerationSeconds", I64)],
};

static HOST_ALIAS: Struct = Struct { go: "v1.HostAlias", fields: &[f("ip", STR), f("hostnames", STRS)] };

static POD_SECURITY_CONTEXT: Struct = Struct {
    go: "v1.PodSecurityContext",
    fields: &[
        f("seLinuxOptions", ANY),
        f("windowsOptions", ANY),
        f("runAsUser", I64),
        f("runAsGroup", I64),
        f("runAsNonRoot", BOOL),
        f("supplementalGroups", Ty::List(&Ty::Int64)),
        since(31, "supplementalGroupsPolicy", STR),
        f("fsGroup", I64),
        f("sysctls", ANYS),
        f("fsGroupChangePolicy", STR),
        f("seccompProfile", Ty::Struct(&PROFILE)),
        since(30, "appArmorProfile", Ty::Struct(&PROFILE)),
        since(32, "seLinuxChangePolicy", STR),
    ],
};

static PROFILE: Struct = Struct { go: "v1.SeccompProfile", fields: &[f("type", STR), f("localhostProfile", STR)] };

static CONTAINER: Struct = Struct {
    go: "v1.Container",
    fields: &[
        f("name", STR),
        f("image", STR),
        f("command", STRS),
        f("args", STRS),
        f("workingDir", STR),
        f("ports", Ty::List(&Ty::Struct(&CONTAINER_PORT))),
        f("envFrom", Ty::List(&Ty::Struct(&ENV_FROM_SOURCE))),
        f("env", Ty::List(&Ty::Struct(&ENV_VAR))),
        f("resources", Ty::Struct(&RESOURCE_REQUIREMENTS)),
        f("resizePolicy", Ty::List(&Ty::Struct(&RESIZE_POLICY))),
        // KEP-753 sidecars: the field exists from 1.28.
        since(28, "restartPolicy", STR),
        since(34, "restartPolicyRules", ANYS),
        f("volumeMounts", Ty::List(&Ty::Struct(&VOLUME_MOUNT))),
        f("volumeDevices", ANYS),
        f("livenessProbe", Ty::Struct(&PROBE)),
        f("readinessProbe", Ty::Struct(&PROBE)),
        f("startupProbe", Ty::Struct(&PROBE)),
        f("lifecycle", Ty::Struct(&LIFECYCLE)),
        f("terminationMessagePath", STR),
        f("terminationMessagePolicy", STR),
        f("imagePullPolicy", STR),
        f("securityContext", Ty::Struct(&SECURITY_CONTEXT)),
        f("stdin", BOOL),
        f("stdinOnce", BOOL),
        f("tty", BOOL),
    ],
};

static CONTAINER_PORT: Struct = Struct {
    go: "v1.ContainerPort",
    fields: &[f("name", STR), f("hostPort", I32), f("containerPort", I32), f("protocol", STR), f("hostIP", STR)],
};

static ENV_VAR: Struct =
    Struct { go: "v1.EnvVar", fields: &[f("name", STR), f("value", STR), f("valueFrom", Ty::Struct(&ENV_VAR_SOURCE))] };

static ENV_VAR_SOURCE: Struct = Struct {
    go: "v1.EnvVarSource",
    fields: &[
        f("fieldRef", Ty::Struct(&OBJECT_FIELD_SELECTOR)),
        f("resourceFieldRef", Ty::Struct(&RESOURCE_FIELD_SELECTOR)),
        f("configMapKeyRef", Ty::Struct(&KEY_SELECTOR)),
        f("secretKeyRef", Ty::Struct(&KEY_SELECTOR)),
        since(34, "fileKeyRef", ANY),
    ],
};

static OBJECT_FIELD_SELECTOR: Struct =
    Struct { go: "v1.ObjectFieldSelector", fields: &[f("apiVersion", STR), f("fieldPath", STR)] };

static RESOURCE_FIELD_SELECTOR: Struct = Struct {
    go: "v1.ResourceFieldSelector",
    fields: &[f("containerName", STR), f("resource", STR), f("divisor", Ty::Quantity)],
};

static KEY_SELECTOR: Struct =
    Struct { go: "v1.ConfigMapKeySelector", fields: &[f("name", STR), f("key", STR), f("optional", BOOL)] };

static ENV_FROM_SOURCE: Struct = Struct {
    go: "v1.EnvFromSource",
    fields: &[
        f("prefix", STR),
        f("configMapRef", Ty::Struct(&NAME_OPTIONAL)),
        f("secretRef", Ty::Struct(&NAME_OPTIONAL)),
    ],
};

static NAME_OPTIONAL: Struct = Struct { go: "v1.ConfigMapEnvSource", fields: &[f("name", STR), f("optional", BOOL)] };

static RESOURCE_REQUIREMENTS: Struct = Struct {
    go: "v1.ResourceRequirements",
    fields: &[f("limits", RESOURCES), f("requests", RESOURCES), f("claims", ANYS)],
};

static RESIZE_POLICY: Struct =
    Struct { go: "v1.ContainerResizePolicy", fields: &[f("resourceName", STR), f("restartPolicy", STR)] };

static VOLUME_MOUNT: Struct = Struct {
    go: "v1.VolumeMount",
    fields: &[
        f("name", STR),
        f("readOnly", BOOL),
        since(30, "recursiveReadOnly", STR),
        f("mountPath", STR),
        f("subPath", STR),
        f("mountPropagation", STR),
        f("subPathExpr", STR),
    ],
};

static PROBE: Struct = Struct {
    go: "v1.Probe",
    fields: &[
        f("exec", Ty::Struct(&EXEC_ACTION)),
        f("httpGet", Ty::Struct(&HTTP_GET_ACTION)),
        f("tcpSocket", Ty::Struct(&TCP_SOCKET_ACTION)),
        f("grpc", Ty::Struct(&GRPC_ACTION)),
        f("initialDelaySeconds", I32),
        f("timeoutSeconds", I32),
        f("periodSeconds", I32),
        f("successThreshold", I32),
        f("failureThreshold", I32),
        f("terminationGracePeriodSeconds", I64),
    ],
};

static LIFECYCLE: Struct = Struct {
    go: "v1.Lifecycle",
    fields: &[
        f("postStart", Ty::Struct(&LIFECYCLE_HANDLER)),
        f("preStop", Ty::Struct(&LIFECYCLE_HANDLER)),
        since(33, "stopSignal", STR),
    ],
};

static LIFECYCLE_HANDLER: Struct = Struct {
    go: "v1.LifecycleHandler",
    fields: &[
        f("exec", Ty::Struct(&EXEC_ACTION)),
        f("httpGet", Ty::Struct(&HTTP_GET_ACTION)),
        f("tcpSocket", Ty::Struct(&TCP_SOCKET_ACTION)),
        since(29, "sleep", Ty::Struct(&SLEEP_ACTION)),
    ],
};

static EXEC_ACTION: Struct = Struct { go: "v1.ExecAction", fields: &[f("command", STRS)] };

static HTTP_GET_ACTION: Struct = Struct {
    go: "v1.HTTPGetAction",
    fields: &[
        f("path", STR),
        f("port", Ty::IntOrString),
        f("host", STR),
        f("scheme", STR),
        f("httpHeaders", Ty::List(&Ty::Struct(&HTTP_HEADER))),
    ],
};

static HTTP_HEADER: Struct = Struct { go: "v1.HTTPHeader", fields: &[f("name", STR), f("value", STR)] };

static TCP_SOCKET_ACTION: Struct =
    Struct { go: "v1.TCPSocketAction", fields: &[f("port", Ty::IntOrString), f("host", STR)] };

static GRPC_ACTION: Struct = Struct { go: "v1.GRPCAction", fields: &[f("port", I32), f("service", STR)] };

static SLEEP_ACTION: Struct = Struct { go: "v1.SleepAction", fields: &[f("seconds", I64)] };

static SECURITY_CONTEXT: Struct = Struct {
    go: "v1.SecurityContext",
    fields: &[
        f("capabilities", Ty::Struct(&CAPABILITIES)),
        f("privileged", BOOL),
        f("seLinuxOptions", ANY),
        f("windowsOptions", ANY),
        f("runAsUser", I64),
        f("runAsGroup", I64),
        f("runAsNonRoot", BOOL),
        f("readOnlyRootFilesystem", BOOL),
        f("allowPrivilegeEscalation", BOOL),
        f("procMount", STR),
        f("seccompProfile", Ty::Struct(&PROFILE)),
        since(30, "appArmorProfile", Ty::Struct(&PROFILE)),
    ],
};

static CAPABILITIES: Struct = Struct { go: "v1.Capabilities", fields: &[f("add", STRS), f("drop", STRS)] };

static VOLUME: Struct = Struct {
    go: "v1.Volume",
    fields: &[
        f("name", STR),
        f("emptyDir", Ty::Struct(&EMPTY_DIR)),
        f("hostPath", Ty::Struct(&HOST_PATH)),
        f("configMap", Ty::Struct(&CONFIG_MAP_VOLUME)),
        f("secret", Ty::Struct(&SECRET_VOLUME)),
        f("persistentVolumeClaim", Ty::Struct(&PVC_VOLUME)),
        f("projected", ANY),
        f("downwardAPI", ANY),
        f("ephemeral", ANY),
        f("csi", ANY),
        f("nfs", ANY),
        since(31, "image", ANY),
        f("awsElasticBlockStore", ANY),
        f("azureDisk", ANY),
        f("azureFile", ANY),
        f("cephfs", ANY),
        f("cinder", ANY),
        f("fc", ANY),
        f("flexVolume", ANY),
        f("flocker", ANY),
        f("gcePersistentDisk", ANY),
        f("gitRepo", ANY),
        f("glusterfs", ANY),
        f("iscsi", ANY),
        f("photonPersistentDisk", ANY),
        f("portworxVolume", ANY),
        f("quobyte", ANY),
        f("rbd", ANY),
        f("scaleIO", ANY),
        f("storageos", ANY),
        f("vsphereVolume", ANY),
    ],
};

static EMPTY_DIR: Struct =
    Struct { go: "v1.EmptyDirVolumeSource", fields: &[f("medium", STR), f("sizeLimit", Ty::Quantity)] };

static HOST_PATH: Struct = Struct { go: "v1.HostPathVolumeSource", fields: &[f("path", STR), f("type", STR)] };

static KEY_TO_PATH: Struct = Struct { go: "v1.KeyToPath", fields: &[f("key", STR), f("path", STR), f("mode", I32)] };

static CONFIG_MAP_VOLUME: Struct = Struct {
    go: "v1.ConfigMapVolumeSource",
    fields: &[
        f("name", STR),
        f("items", Ty::List(&Ty::Struct(&KEY_TO_PATH))),
        f("defaultMode", I32),
        f("optional", BOOL),
    ],
};

static SECRET_VOLUME: Struct = Struct {
    go: "v1.SecretVolumeSource",
    fields: &[
        f("secretName", STR),
        f("items", Ty::List(&Ty::Struct(&KEY_TO_PATH))),
        f("defaultMode", I32),
        f("optional", BOOL),
    ],
};

static PVC_VOLUME: Struct =
    Struct { go: "v1.PersistentVolumeClaimVolumeSource", fields: &[f("claimName", STR), f("readOnly", BOOL)] };

static LABEL_SELECTOR: Struct = Struct {
    go: "v1.LabelSelector",
    fields: &[f("matchLabels", STR_MAP), f("matchExpressions", Ty::List(&Ty::Struct(&SELECTOR_REQUIREMENT)))],
};

static SELECTOR_REQUIREMENT: Struct =
    Struct { go: "v1.LabelSelectorRequirement", fields: &[f("key", STR), f("operator", STR), f("values", STRS)] };

static JOB_SPEC: Struct = Struct {
    go: "v1.JobSpec",
    fields: &[
        f("parallelism", I32),
        f("completions", I32),
        f("activeDeadlineSeconds", I64),
        f("podFailurePolicy", Ty::Struct(&POD_FAILURE_POLICY)),
        since(30, "successPolicy", ANY),
        f("backoffLimit", I32),
        since(28, "backoffLimitPerIndex", I32),
        since(28, "maxFailedIndexes", I32),
        f("selector", Ty::Struct(&LABEL_SELECTOR)),
        f("manualSelector", BOOL),
        f("template", Ty::Struct(&POD_TEMPLATE_SPEC)),
        f("ttlSecondsAfterFinished", I32),
        f("completionMode", STR),
        f("suspend", BOOL),
        since(28, "podReplacementPolicy", STR),
        since(30, "managedBy", STR),
    ],
};

static POD_FAILURE_POLICY: Struct =
    Struct { go: "v1.PodFailurePolicy", fields: &[f("rules", Ty::List(&Ty::Struct(&POD_FAILURE_POLICY_RULE)))] };

static POD_FAILURE_POLICY_RULE: Struct = Struct {
    go: "v1.PodFailurePolicyRule",
    fields: &[
        f("action", STR),
        f("onExitCodes", Ty::Struct(&ON_EXIT_CODES)),
        f("onPodConditions", Ty::List(&Ty::Struct(&ON_POD_CONDITIONS))),
    ],
};

static ON_EXIT_CODES: Struct = Struct {
    go: "v1.PodFailurePolicyOnExitCodesRequirement",
    fields: &[f("containerName", STR), f("operator", STR), f("values", Ty::List(&Ty::Int32))],
};

static ON_POD_CONDITIONS: Struct =
    Struct { go: "v1.PodFailurePolicyOnPodConditionsPattern", fields: &[f("type", STR), f("status", STR)] };

static DEPLOYMENT_SPEC: Struct = Struct {
    go: "v1.DeploymentSpec",
    fields: &[
        f("replicas", I32),
        f("selector", Ty::Struct(&LABEL_SELECTOR)),
        f("template", Ty::Struct(&POD_TEMPLATE_SPEC)),
        f("strategy", Ty::Struct(&DEPLOYMENT_STRATEGY)),
        f("minReadySeconds", I32),
        f("revisionHistoryLimit", I32),
        f("paused", BOOL),
        f("progressDeadlineSeconds", I32),
    ],
};

static DEPLOYMENT_STRATEGY: Struct =
    Struct { go: "v1.DeploymentStrategy", fields: &[f("type", STR), f("rollingUpdate", Ty::Struct(&ROLLING_UPDATE))] };

static ROLLING_UPDATE: Struct = Struct {
    go: "v1.RollingUpdateDeployment",
    fields: &[f("maxUnavailable", Ty::IntOrString), f("maxSurge", Ty::IntOrString)],
};
