//! Manifest text → API objects, as `kubectl apply -f FILE` and the API server of the simulated
//! version would accept, default, strip or reject them. The rest of the engine only ever sees
//! objects a real cluster would have stored; everything else becomes a rejection carrying
//! kubectl's exact output, plus diagnostics that point at the line and column responsible.
//!
//! The pipeline follows the real one: kubectl reads every document first (its client-side
//! checks: `apiVersion`/`kind` present, kind known), then sends each object in turn; the API
//! server decodes it (strict field validation, Go type errors), drops fields of disabled
//! features, applies defaults, runs admission and validation.

mod admit;
mod decode;
mod defaults;
mod field;
mod names;
mod quantity;
mod schema;
mod typed;
mod validate;
mod workloads;

#[cfg(test)]
mod tests;

use serde_json::{json, Value};

pub use admit::{assign_job_uid, job_generated_labels, AdmittedSpec};

use self::field::{go_json, FieldError};
use crate::api::{Object, Spec};
use crate::diag::{Diagnostic, Severity};
use crate::settings::{KubeVersion, Settings, Validate};
use crate::trace::Rejection;
use crate::yaml::{parse_documents, Node, Pos, Spanned};
use crate::SyntaxError;

/// The outcome of applying a manifest.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Applied {
    /// Accepted objects, in document order.
    pub objects: Vec<Object>,
    /// Refused objects; `message` is exactly what `kubectl apply -f FILE` prints for them.
    pub rejected: Vec<Rejection>,
    /// Every problem, with its field path and the line/column of the YAML node responsible.
    pub diagnostics: Vec<Diagnostic>,
    /// What `kubectl apply` prints, line by line, in terminal order.
    pub printed: Vec<String>,
}

/// [`apply_file`] with kubectl's file name `manifest.yaml`.
pub fn apply(text: &str, settings: &Settings) -> Result<Applied, SyntaxError> {
    apply_file(text, "manifest.yaml", settings)
}

/// Applies every document of `text` as `kubectl apply -f FILE` does against a cluster of
/// `settings.version`. Only unreadable YAML is an `Err`.
pub fn apply_file(text: &str, file: &str, settings: &Settings) -> Result<Applied, SyntaxError> {
    let docs = parse_documents(text)?;
    let mut run = Run { file: file.to_string(), settings: settings.clone(), ..Run::default() };
    run.read(&docs);
    let infos = std::mem::take(&mut run.infos);
    for info in &infos {
        run.apply_one(info);
    }
    run.finish();
    Ok(run.out)
}

/// A kind podsim knows: simulated ones are decoded and validated, the others are only
/// acknowledged the way kubectl would report them.
struct KindInfo {
    api_version: &'static str,
    kind: &'static str,
    /// kubectl's `resource[.group]` for `created` lines.
    resource: &'static str,
    namespaced: bool,
    schema: Option<&'static schema::Struct>,
}

const KINDS: &[KindInfo] = &[
    KindInfo { api_version: "v1", kind: "Pod", resource: "pod", namespaced: true, schema: Some(&schema::POD) },
    KindInfo {
        api_version: "batch/v1",
        kind: "Job",
        resource: "job.batch",
        namespaced: true,
        schema: Some(&schema::JOB),
    },
    KindInfo {
        api_version: "apps/v1",
        kind: "Deployment",
        resource: "deployment.apps",
        namespaced: true,
        schema: Some(&schema::DEPLOYMENT),
    },
    KindInfo { api_version: "v1", kind: "Namespace", resource: "namespace", namespaced: false, schema: None },
    KindInfo { api_version: "v1", kind: "ServiceAccount", resource: "serviceaccount", namespaced: true, schema: None },
    KindInfo { api_version: "v1", kind: "ConfigMap", resource: "configmap", namespaced: true, schema: None },
    KindInfo { api_version: "v1", kind: "Secret", resource: "secret", namespaced: true, schema: None },
    KindInfo { api_version: "v1", kind: "Service", resource: "service", namespaced: true, schema: None },
    KindInfo {
        api_version: "v1",
        kind: "PersistentVolumeClaim",
        resource: "persistentvolumeclaim",
        namespaced: true,
        schema: None,
    },
    KindInfo {
        api_version: "apps/v1",
        kind: "ReplicaSet",
        resource: "replicaset.apps",
        namespaced: true,
        schema: None,
    },
    KindInfo {
        api_version: "apps/v1",
        kind: "StatefulSet",
        resource: "statefulset.apps",
        namespaced: true,
        schema: None,
    },
    KindInfo { api_version: "apps/v1", kind: "DaemonSet", resource: "daemonset.apps", namespaced: true, schema: None },
    KindInfo { api_version: "batch/v1", kind: "CronJob", resource: "cronjob.batch", namespaced: true, schema: None },
    KindInfo {
        api_version: "policy/v1",
        kind: "PodDisruptionBudget",
        resource: "poddisruptionbudget.policy",
        namespaced: true,
        schema: None,
    },
];

/// One document kubectl accepted client-side, to be sent to the API server.
struct Info<'a> {
    doc: &'a Spanned,
    kind: &'static KindInfo,
    name: String,
    namespace: String,
}

/// An error as kubectl holds it before printing.
enum KubectlError {
    /// A client-side error (`err.Error()`).
    Plain(String),
    /// An API status error other than Invalid; `message` already names the file.
    Status {
        reason: &'static str,
        message: String,
    },
    Invalid {
        kind: String,
        qualified: String,
        name: String,
        causes: Vec<String>,
    },
}

#[derive(Default)]
struct Run<'a> {
    file: String,
    settings: Settings,
    infos: Vec<Info<'a>>,
    /// Client-side errors (kubectl aggregates them into one error).
    client_errors: Vec<(String, String)>,
    /// Errors from the API server, per object.
    server_errors: Vec<(String, KubectlError)>,
    namespaces: Vec<String>,
    service_accounts: Vec<(String, String)>,
    /// Objects this apply created, with their last-applied configuration.
    applied: Vec<((&'static str, String, String), String)>,
    out: Applied,
}

impl<'a> Run<'a> {
    fn diag(&mut self, severity: Severity, message: String, path: &str, doc: &Spanned) {
        let mut d = Diagnostic::new(severity, message).at(Some(position(doc, path)));
        if !path.is_empty() {
            d = d.with_path(path);
        }
        self.out.diagnostics.push(d);
    }

    /// kubectl's resource builder: every document is read, checked and mapped before anything
    /// is sent. A failed `--validate=strict` check ends the stream (`StreamVisitor`).
    fn read(&mut self, docs: &'a [Spanned]) {
        for doc in docs {
            if !self.read_one(doc, true) {
                break;
            }
        }
    }

    /// Returns false when kubectl stops reading the file.
    fn read_one(&mut self, doc: &'a Spanned, top: bool) -> bool {
        let label = object_label(doc);
        let strict = self.settings.validate == Validate::Strict;
        if !matches!(doc.node, Node::Map(_)) {
            let msg = if strict {
                format!("error validating {:?}: error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false", self.file)
            } else {
                format!(
                    "unable to decode {:?}: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    self.file,
                    if matches!(doc.node, Node::Seq(_)) { "array" } else { "string" }
                )
            };
            self.diag(
                Severity::Error,
                "a manifest document must be a mapping with apiVersion and kind".into(),
                "",
                doc,
            );
            self.client_errors.push((label, msg));
            return !strict;
        }
        // kubectl/pkg/validation `getObjectKind`, checked client-side in strict mode only.
        let api_version = doc.get("apiVersion");
        let kind = doc.get("kind");
        if strict && top {
            let mut problems = Vec::new();
            match api_version.map(|v| &v.node) {
                None | Some(Node::Null) => problems.push("apiVersion not set"),
                Some(Node::Str(_)) => {}
                Some(_) => problems.push("apiVersion isn't string type"),
            }
            match kind.map(|v| &v.node) {
                None | Some(Node::Null) => problems.push("kind not set"),
                Some(Node::Str(_)) => {}
                Some(_) => problems.push("kind isn't string type"),
            }
            if !problems.is_empty() {
                let joined =
                    if problems.len() == 1 { problems[0].to_string() } else { format!("[{}]", problems.join(", ")) };
                for p in &problems {
                    let path = if p.starts_with("apiVersion") { "apiVersion" } else { "kind" };
                    self.diag(
                        Severity::Error,
                        format!("{p}: every manifest needs apiVersion and kind (e.g. apiVersion: v1, kind: Pod)"),
                        path,
                        doc,
                    );
                }
                self.client_errors.push((label, format!("error validating {:?}: error validating data: {joined}; if you choose to ignore these errors, turn validation off with --validate=false", self.file)));
                return false;
            }
        }
        let kind_str = kind.and_then(Spanned::as_str).unwrap_or("");
        if kind_str.is_empty() {
            let raw = go_json(&doc.to_json());
            self.diag(Severity::Error, "kind not set: every manifest needs apiVersion and kind".into(), "kind", doc);
            self.client_errors
                .push((label, format!("unable to decode {:?}: Object 'Kind' is missing in '{raw}'", self.file)));
            return true;
        }
        let av = api_version.and_then(Spanned::as_str).unwrap_or("");
        if kind_str == "List" && av == "v1" {
            if let Some(Node::Seq(items)) = doc.get("items").map(|i| &i.node) {
                for item in items {
                    self.read_one(item, false);
                }
            }
            return true;
        }
        let meta = doc.get("metadata");
        let name = meta.and_then(|m| m.get("name")).and_then(Spanned::as_str).unwrap_or("").to_string();
        let ns = meta.and_then(|m| m.get("namespace")).and_then(Spanned::as_str).unwrap_or("").to_string();
        // Without apiVersion kubectl maps the kind to its preferred version.
        let found = KINDS.iter().find(|k| k.kind == kind_str && (k.api_version == av || av.is_empty()));
        let Some(info) = found else {
            // meta.NoKindMatchError, wrapped by the resource mapper.
            let hint = KINDS
                .iter()
                .find(|k| k.kind == kind_str)
                .map(|k| format!(" ({kind_str} is served as apiVersion: {})", k.api_version))
                .unwrap_or_default();
            self.diag(Severity::Error, format!("no kind {kind_str:?} in apiVersion {av:?}{hint}"), "kind", doc);
            self.client_errors.push((
                format!("{kind_str}/{name}"),
                format!("resource mapping not found for name: {name:?} namespace: {ns:?} from {:?}: no matches for kind {kind_str:?} in version {av:?}\nensure CRDs are installed first", self.file),
            ));
            return true;
        };
        let namespace = if info.namespaced && ns.is_empty() { "default".to_string() } else { ns };
        self.infos.push(Info { doc, kind: info, name, namespace });
        true
    }

    /// kubectl `applyOneObject` for an object that does not exist yet, then the API server.
    fn apply_one(&mut self, info: &Info<'a>) {
        let doc = info.doc;
        let label = format!("{}/{}", info.kind.kind, info.name);
        if info.name.is_empty() {
            let generate =
                doc.get("metadata").and_then(|m| m.get("generateName")).and_then(Spanned::as_str).unwrap_or("");
            let msg = if generate.is_empty() {
                let (group, version) = match info.kind.api_version.split_once('/') {
                    Some((g, v)) => (g, v),
                    None => ("", info.kind.api_version),
                };
                let plural = format!("{}s", info.kind.resource.split('.').next().unwrap_or(""));
                format!(
                    "error when retrieving current configuration of:\nResource: \"{group}/{version}, Resource={plural}\", GroupVersionKind: \"{group}/{version}, Kind={}\"\nName: \"\", Namespace: {:?}\nfrom server for: {:?}: resource name may not be empty",
                    info.kind.kind, info.namespace, self.file
                )
            } else {
                format!("from {generate}: cannot use generate name with apply")
            };
            self.diag(Severity::Error, "metadata.name is required: kubectl apply needs a fixed name (generateName only works with kubectl create)".into(), "metadata", doc);
            self.server_errors.push((label, KubectlError::Plain(msg)));
            return;
        }
        let created = format!("{}/{} created", info.kind.resource, info.name);
        let last_applied = last_applied(doc, &info.namespace, info.kind.namespaced);
        let key = (info.kind.kind, info.namespace.clone(), info.name.clone());
        if let Some(prev) = self.applied.iter().position(|(k, _)| *k == key) {
            self.apply_again(info, prev, &last_applied, &label);
            return;
        }
        self.applied.push((key, last_applied.clone()));
        let Some(schema) = info.kind.schema else {
            match info.kind.kind {
                "Namespace" => self.namespaces.push(info.name.clone()),
                "ServiceAccount" => self.service_accounts.push((info.namespace.clone(), info.name.clone())),
                _ => {}
            }
            self.diag(
                Severity::Info,
                format!(
                    "podsim does not simulate {} objects: this one counts as created and is otherwise ignored",
                    info.kind.kind
                ),
                "kind",
                doc,
            );
            self.out.printed.push(created);
            return;
        };
        if info.kind.namespaced && !self.namespace_exists(&info.namespace) {
            self.diag(
                Severity::Error,
                format!(
                    "namespace {:?} does not exist: create it first (kind: Namespace) or drop metadata.namespace",
                    info.namespace
                ),
                "metadata.namespace",
                doc,
            );
            let message = format!("error when creating {:?}: namespaces {:?} not found", self.file, info.namespace);
            self.server_errors.push((label, KubectlError::Status { reason: "NotFound", message }));
            return;
        }
        let Some(obj) = self.server_create(info, schema, &label, &last_applied) else {
            self.applied.pop();
            return;
        };
        self.out.printed.push(created);
        self.out.objects.push(obj);
    }

    /// A second document for an object this apply already created: kubectl patches it. An
    /// identical one is `unchanged`; a changed Deployment is `configured` (its selector is
    /// immutable); Pods and Jobs refuse most changes (`ValidatePodUpdate`, `ValidateJobUpdate`).
    fn apply_again(&mut self, info: &Info<'a>, prev: usize, last_applied: &str, label: &str) {
        let doc = info.doc;
        let resource = format!("{}/{}", info.kind.resource, info.name);
        if self.applied[prev].1 == last_applied {
            self.out.printed.push(format!("{resource} unchanged"));
            return;
        }
        let Some(schema) = info.kind.schema else {
            self.applied[prev].1 = last_applied.to_string();
            self.out.printed.push(format!("{resource} configured"));
            return;
        };
        let Some(obj) = self.server_create(info, schema, label, last_applied) else { return };
        let Some(idx) = self.out.objects.iter().position(|o| {
            o.kind == obj.kind && o.metadata.namespace == obj.metadata.namespace && o.metadata.name == obj.metadata.name
        }) else {
            return;
        };
        let version = self.settings.version;
        let old = &self.out.objects[idx].json;
        let error = match info.kind.kind {
            "Deployment" => {
                let (a, b) = (old.pointer("/spec/selector"), obj.json.pointer("/spec/selector"));
                (a != b).then(|| {
                    let sel = b.cloned().unwrap_or(Value::Null);
                    field::invalid("spec.selector", field::Bad::Selector(sel), "field is immutable").cause(version)
                })
            }
            "Pod" => (old.get("spec") != obj.json.get("spec")).then(|| {
                "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)".to_string()
            }),
            _ => (old.pointer("/spec/template") != obj.json.pointer("/spec/template")).then(|| {
                "spec.template: Invalid value: core.PodTemplateSpec{…}: field is immutable".to_string()
            }),
        };
        match error {
            Some(cause) => {
                self.diag(
                    Severity::Error,
                    format!("{cause} (this object appears twice in the manifest; kubectl applies the second copy as an update, and kubectl also prints a diff of the internal spec that podsim leaves out)"),
                    "spec",
                    doc,
                );
                let group = info.kind.api_version.split_once('/').map(|(g, _)| g).unwrap_or("");
                let kind = info.kind.kind;
                let qualified = if group.is_empty() { kind.to_string() } else { format!("{kind}.{group}") };
                let causes = vec![cause];
                self.server_errors.push((
                    label.to_string(),
                    KubectlError::Invalid { kind: kind.to_string(), qualified, name: info.name.clone(), causes },
                ));
            }
            None => {
                self.applied[prev].1 = last_applied.to_string();
                self.out.objects[idx] = obj;
                self.out.printed.push(format!("{resource} configured"));
            }
        }
    }

    fn namespace_exists(&self, ns: &str) -> bool {
        matches!(ns, "default" | "kube-system" | "kube-public" | "kube-node-lease")
            || self.namespaces.iter().any(|n| n == ns)
    }

    /// The API server's create: decode, drop disabled fields, default, admit, validate.
    fn server_create(
        &mut self,
        info: &Info<'a>,
        schema: &'static schema::Struct,
        label: &str,
        last_applied: &str,
    ) -> Option<Object> {
        let doc = info.doc;
        let version = self.settings.version;
        let kind = info.kind.kind;
        let decoded = decode::decode(doc, schema, version.minor);
        let cannot = format!("{kind} in version \"v1\" cannot be handled as a {kind}");
        if let Some(err) = decoded.error {
            self.diag(Severity::Error, err.message.clone(), &err.path, doc);
            let message = format!("error when creating {:?}: {cannot}: {}", self.file, err.message);
            self.server_errors.push((label.to_string(), KubectlError::Status { reason: "BadRequest", message }));
            return None;
        }
        if !decoded.unknown.is_empty() {
            match self.settings.validate {
                Validate::Strict => {
                    for u in &decoded.unknown {
                        let msg = format!("unknown field {:?}{}", u.path, since_hint(u.since, version));
                        self.out
                            .diagnostics
                            .push(Diagnostic::new(Severity::Error, msg).with_path(&u.path).at(Some(u.pos)));
                    }
                    let fields: Vec<String> =
                        decoded.unknown.iter().map(|u| format!("unknown field {:?}", u.path)).collect();
                    let message = format!(
                        "error when creating {:?}: {cannot}: strict decoding error: {}",
                        self.file,
                        fields.join(", ")
                    );
                    self.server_errors
                        .push((label.to_string(), KubectlError::Status { reason: "BadRequest", message }));
                    return None;
                }
                Validate::Warn | Validate::Ignore => {
                    let warn = self.settings.validate == Validate::Warn;
                    for u in &decoded.unknown {
                        let (severity, what) = if warn {
                            (Severity::Warning, ": accepted and dropped (--validate=warn)")
                        } else {
                            (Severity::Info, " silently dropped (--validate=false)")
                        };
                        let msg = format!("unknown field {:?}{what}{}", u.path, since_hint(u.since, version));
                        self.out.diagnostics.push(Diagnostic::new(severity, msg).with_path(&u.path).at(Some(u.pos)));
                        if warn {
                            self.out.printed.push(format!("Warning: unknown field {:?}", u.path));
                        }
                    }
                }
            }
        }
        let mut obj = decoded.value;
        // Status is the server's to write; whatever the manifest says is discarded.
        obj.as_object_mut()?.remove("status");
        let meta = obj.as_object_mut()?.entry("metadata").or_insert(json!({}));
        if let Some(m) = meta.as_object_mut() {
            m.insert("namespace".into(), json!(info.namespace));
            let ann = m.entry("annotations").or_insert(json!({}));
            if let Some(a) = ann.as_object_mut() {
                a.insert(LAST_APPLIED.into(), json!(last_applied));
            }
        }

        let pod_path = if kind == "Pod" { "spec" } else { "spec.template.spec" };
        let mut dropped = Vec::new();
        if kind == "Job" {
            dropped.extend(defaults::drop_disabled_job(&mut obj, &self.settings));
        }
        if let Some(spec) = obj.pointer_mut(&format!("/{}", pod_path.replace('.', "/"))) {
            dropped.extend(defaults::drop_disabled(spec, pod_path, &self.settings));
        }
        for d in dropped {
            self.diag(Severity::Info, format!("{}: {}", d.path, d.why), &d.path, doc);
        }
        match kind {
            "Pod" => {
                if let Some(spec) = obj.get_mut("spec") {
                    defaults::pod_spec(spec);
                    defaults::pod_only(spec);
                }
            }
            "Job" => defaults::job(&mut obj, &self.settings),
            _ => defaults::deployment(&mut obj),
        }

        if kind == "Pod" {
            // plugin/pkg/admission/serviceaccount: the named service account must exist.
            let sa = obj.pointer("/spec/serviceAccountName").and_then(Value::as_str).unwrap_or("default").to_string();
            let known =
                sa == "default" || self.service_accounts.iter().any(|(ns, n)| *ns == info.namespace && *n == sa);
            if !known {
                self.diag(Severity::Error, format!("service account {sa:?} does not exist in namespace {:?}: only \"default\" exists unless the manifest creates it (kind: ServiceAccount)", info.namespace), "spec.serviceAccountName", doc);
                let message = format!(
                    "error when creating {:?}: pods {:?} is forbidden: error looking up service account {}/{sa}: serviceaccount {sa:?} not found",
                    self.file, info.name, info.namespace
                );
                self.server_errors.push((label.to_string(), KubectlError::Status { reason: "Forbidden", message }));
                return None;
            }
        }

        let opts = validate::Opts::new(version);
        let errors: Vec<FieldError> = match kind {
            "Pod" => {
                let mut e = validate::object_meta(obj.get("metadata").unwrap_or(&Value::Null), "metadata");
                e.extend(validate::pod_spec(obj.get("spec").unwrap_or(&Value::Null), "spec", opts));
                e
            }
            "Job" => {
                let uid = placeholder_uid(&info.namespace, &info.name);
                workloads::job(&admit::with_generated_selector(&obj, &uid, version), &uid, opts)
            }
            _ => workloads::deployment(&obj, opts),
        };
        if !errors.is_empty() {
            let mut causes: Vec<String> = Vec::new();
            for e in &errors {
                let cause = e.cause(version);
                // kubectl `statusCausesToAggrError` drops repeated causes.
                if !causes.contains(&cause) {
                    self.diag(Severity::Error, cause.clone(), &e.field, doc);
                    causes.push(cause);
                }
            }
            let group = info.kind.api_version.split_once('/').map(|(g, _)| g).unwrap_or("");
            let qualified = if group.is_empty() { kind.to_string() } else { format!("{kind}.{group}") };
            self.server_errors.push((
                label.to_string(),
                KubectlError::Invalid { kind: kind.to_string(), qualified, name: info.name.clone(), causes },
            ));
            return None;
        }

        let metadata = typed::object_meta(obj.get("metadata").unwrap_or(&Value::Null));
        let spec_json = obj.get("spec").cloned().unwrap_or(Value::Null);
        let spec = match kind {
            "Pod" => Spec::Pod(typed::pod_spec(&spec_json)),
            "Job" => Spec::Job(typed::job_spec(&spec_json)),
            _ => Spec::Deployment(typed::deployment_spec(&spec_json)),
        };
        Some(Object {
            api_version: info.kind.api_version.to_string(),
            kind: kind.to_string(),
            metadata,
            spec,
            json: obj,
        })
    }

    /// kubectl `Run`'s error handling and `cmdutil.CheckErr`: one error prints on its own
    /// (Invalid errors as a cause list), several print one per line.
    fn finish(&mut self) {
        let mut entries: Vec<(Vec<String>, KubectlError)> = Vec::new();
        match self.client_errors.len() {
            0 => {}
            1 => {
                let (label, msg) = self.client_errors.remove(0);
                entries.push((vec![label], KubectlError::Plain(msg)));
            }
            _ => {
                // A nested aggregate: printed as `[a, b]` when other errors follow.
                let labels: Vec<String> = self.client_errors.iter().map(|(l, _)| l.clone()).collect();
                let msgs: Vec<String> = self.client_errors.drain(..).map(|(_, m)| m).collect();
                if self.server_errors.is_empty() {
                    for (l, m) in labels.into_iter().zip(msgs) {
                        entries.push((vec![l], KubectlError::Plain(m)));
                    }
                } else {
                    entries.push((labels, KubectlError::Plain(format!("[{}]", dedup(msgs).join(", ")))));
                }
            }
        }
        for (label, e) in self.server_errors.drain(..) {
            entries.push((vec![label], e));
        }
        let single = entries.len() == 1;
        for (labels, e) in entries {
            let text = match (&e, single) {
                (KubectlError::Plain(m), true) if !m.starts_with("error: ") => format!("error: {m}"),
                (KubectlError::Plain(m), _) => m.clone(),
                (KubectlError::Status { reason, message }, _) => format!("Error from server ({reason}): {message}"),
                (KubectlError::Invalid { kind, name, causes, .. }, true) => {
                    let head = format!("The {kind} {name:?} is invalid: ");
                    if causes.len() == 1 {
                        format!("{head}{}", causes[0])
                    } else {
                        let mut s = head;
                        for c in causes {
                            s.push_str("\n* ");
                            s.push_str(c);
                        }
                        s
                    }
                }
                (KubectlError::Invalid { qualified, name, causes, .. }, false) => {
                    let agg = if causes.len() == 1 { causes[0].clone() } else { format!("[{}]", causes.join(", ")) };
                    format!(
                        "Error from server (Invalid): error when creating {:?}: {qualified} {name:?} is invalid: {agg}",
                        self.file
                    )
                }
            };
            self.out.printed.extend(text.lines().map(str::to_string));
            for object in labels {
                self.out.rejected.push(Rejection { object, message: text.clone() });
            }
        }
    }
}

fn dedup(msgs: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for m in msgs {
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

/// Where to point for a field path: the key of the field, or of its nearest existing ancestor
/// (a missing field is reported where it belongs), or the document's first key.
fn position(doc: &Spanned, path: &str) -> Pos {
    let mut p = path;
    while !p.is_empty() {
        if let Some(pos) = doc.locate_key(p) {
            return pos;
        }
        if p.ends_with(']') {
            // An element of a list: the element itself.
            let pos = doc.locate(p);
            if pos != doc.locate(p.rsplit_once('[').map(|(head, _)| head).unwrap_or("")) {
                return pos;
            }
        }
        p = match p.rfind(['.', '[']) {
            Some(i) => &p[..i],
            None => "",
        };
    }
    match &doc.node {
        Node::Map(entries) => entries.first().map(|(k, _)| k.pos).unwrap_or(doc.pos),
        _ => doc.pos,
    }
}

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// kubectl's `last-applied-configuration`: the object as written (nulls included) with the
/// namespace kubectl defaulted and `annotations: {}` when there were none, as Go encodes it.
fn last_applied(doc: &Spanned, namespace: &str, namespaced: bool) -> String {
    let mut written = doc.to_json();
    if let Some(meta) = written.get_mut("metadata").and_then(Value::as_object_mut) {
        if namespaced {
            meta.insert("namespace".into(), json!(namespace));
        }
        if !meta.get("annotations").is_some_and(Value::is_object) {
            meta.insert("annotations".into(), json!({}));
        }
        if let Some(a) = meta.get_mut("annotations").and_then(Value::as_object_mut) {
            a.remove(LAST_APPLIED);
        }
    }
    format!("{}\n", go_json(&written))
}

/// `Kind/name` of a document, as far as it has them.
fn object_label(doc: &Spanned) -> String {
    let kind = doc.get("kind").and_then(Spanned::as_str).unwrap_or("");
    let name = doc.get("metadata").and_then(|m| m.get("name")).and_then(Spanned::as_str).unwrap_or("");
    format!("{kind}/{name}")
}

fn since_hint(since: Option<u32>, version: KubeVersion) -> String {
    match since {
        Some(minor) if minor > version.minor => {
            format!(": the field exists from Kubernetes 1.{minor}, this cluster runs {version}")
        }
        _ => String::new(),
    }
}

/// A stand-in uid for validating a Job's generated selector before the caller assigns the real
/// one ([`assign_job_uid`]); stable per object so messages are reproducible.
fn placeholder_uid(namespace: &str, name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in namespace.bytes().chain([b'/']).chain(name.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let hex = format!("{h:016x}{:016x}", h.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    format!("{}-{}-4{}-8{}-{}", &hex[0..8], &hex[8..12], &hex[12..15], &hex[15..18], &hex[18..30])
}
