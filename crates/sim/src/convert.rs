//! "Convert to native sidecars": finds containers that are sidecars written the pre-1.28
//! way (a second entry in `containers`) and moves them into `initContainers` with
//! `restartPolicy: Always`, editing the manifest *text* so the user's comments, blank lines
//! and key order survive. The playground shows the suggestions, the new text and a line diff.
//!
//! Why a text edit and not "parse, change, print": re-serialising YAML would drop every
//! comment and reflow the user's layout. The tree from [`crate::yaml`] only locates things
//! (it knows where keys start, not where nodes end); the edit itself cuts and pastes whole
//! lines, and the result is parsed again and compared with the intended change, so an
//! unusual layout is refused with a [`ConvertError`] instead of being mangled.
//!
//! # Heuristics ([`suggest`])
//!
//! Only Pod, Job and Deployment objects with at least two regular containers are looked at.
//! A container is a candidate when the engine's process model says it runs until stopped
//! ([`Behavior::infer`]; the pod's containers run together for up to a week of simulated
//! time, so a client that waits for its proxy sees it come up): a container that ends by
//! itself would be restarted over and over as a native sidecar. And one of these holds:
//! - its image is a known proxy, mesh proxy, log shipper or agent ([`SIDECAR_IMAGES`]:
//!   istio-proxy, envoy, linkerd-proxy, cloud-sql-proxy, fluent-bit, fluentd, vector,
//!   promtail, filebeat, the OpenTelemetry collector, the Datadog agent …);
//! - its name says so (`proxy`, `sidecar`, `agent`, `logger`, `shipper` … in [`SIDECAR_WORDS`]);
//! - the pod does not restart finished containers (`restartPolicy: Never`/`OnFailure`, every
//!   Job) and another container ends by itself: the legacy sidecar keeps the pod Running and
//!   the Job never completes.
//!
//! At least one regular container always stays: when every container qualifies, the one with
//! the weakest evidence (then the first in spec order) is kept as the main container.
//!
//! # The edit ([`convert`])
//!
//! Each selected list item is cut with all its lines (comment lines directly above its `-` at
//! the dash's column count as its own), re-indented to the `initContainers` list, given
//! `restartPolicy: Always` right after its `name:` line, and appended after the existing init
//! containers (they keep running first; native sidecars start in spec order), moved ones in
//! their original order. Without `initContainers`, the key is created right above
//! `containers:` (and above the comment lines directly on top of it). Every other byte stays.
//! Native sidecars need Kubernetes 1.29+ (1.28 with the `SidecarContainers` gate).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::api::Container;
use crate::process::{Behavior, Effect, PodNet, Process};
use crate::trace::Millis;
use crate::yaml::{parse_documents, Node, Spanned};
use crate::SyntaxError;

/// A container that looks like a legacy sidecar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The object's index as kubectl reads the manifest: documents in order, each item of a
    /// `kind: List` counting as one object. [`convert`] takes the same index.
    pub doc: usize,
    /// `Pod`, `Job` or `Deployment`.
    pub kind: &'static str,
    /// The workload's `metadata.name` (or `generateName`).
    pub workload: String,
    pub container: String,
    /// One line for the UI, e.g. "cloud-sql-proxy image: a proxy the main container needs".
    pub reason: String,
    /// 1-based line of the container's list item (its `-`) in the text.
    pub line: usize,
}

/// A successful conversion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion {
    /// The whole manifest with the containers moved.
    pub text: String,
    /// The moved containers, in the order they now appear.
    pub moved: Vec<Moved>,
    /// Every line of the old and new text, as a line diff where the moved lines show as
    /// removed and added.
    pub diff: Vec<DiffLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub doc: usize,
    pub container: String,
    /// 1-based line of the container's `-` in the input text.
    pub from_line: usize,
    /// 1-based line of its `-` in [`Conversion::text`].
    pub to_line: usize,
}

/// One line of a line diff; line numbers are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Same { old: usize, new: usize, text: String },
    Removed { old: usize, text: String },
    Added { new: usize, text: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum ConvertError {
    /// The text is not readable YAML.
    Syntax(SyntaxError),
    /// No such object, not a Pod/Job/Deployment, or no such regular container in it.
    NotFound { doc: usize, container: String },
    /// The selection would leave the pod without a regular container.
    NoMainContainer { doc: usize, workload: String },
    /// `containers`/`initContainers` written as `[...]`: there are no lines to move.
    FlowStyle { line: usize, field: &'static str },
    /// A layout the line-based edit cannot change safely (anchors, tags, odd indentation …).
    Unsupported { line: usize, message: String },
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvertError::Syntax(e) => write!(f, "the YAML does not parse: {e}"),
            ConvertError::NotFound { doc, container } => {
                write!(f, "object #{doc} has no regular container named `{container}` in a pod spec")
            }
            ConvertError::NoMainContainer { doc, workload } => write!(
                f,
                "object #{doc} ({workload}): moving every container would leave the pod without a main container"
            ),
            ConvertError::FlowStyle { line, field } => write!(
                f,
                "line {line}: `{field}` is written in flow style ([...]); write it as a block list (one `- name:` \
                 item per container) and convert again"
            ),
            ConvertError::Unsupported { line, message } => write!(f, "line {line}: {message}"),
        }
    }
}

impl std::error::Error for ConvertError {}

/// Images whose whole purpose is to run beside an application: (what the image reference
/// ends with, the name shown to the user, the role). A needle with a `/` matches the end of
/// the repository; one without matches its last path segment or a `needle-…` variant.
const SIDECAR_IMAGES: &[(&str, &str, Role)] = &[
    ("proxyv2", "istio-proxy", Role::Proxy),
    ("envoy", "envoy", Role::Proxy),
    ("linkerd/proxy", "linkerd-proxy", Role::Proxy),
    ("cloud-sql-proxy", "cloud-sql-proxy", Role::Proxy),
    ("cloudsql-docker/gce-proxy", "cloud-sql-proxy", Role::Proxy),
    ("oauth2-proxy", "oauth2-proxy", Role::Proxy),
    ("fluent-bit", "fluent-bit", Role::LogShipper),
    ("fluentd", "fluentd", Role::LogShipper),
    ("timberio/vector", "vector", Role::LogShipper),
    ("promtail", "promtail", Role::LogShipper),
    ("filebeat", "filebeat", Role::LogShipper),
    ("opentelemetry-collector", "otel collector", Role::Agent),
    ("datadog/agent", "datadog agent", Role::Agent),
];

/// Words in a container name that people use for sidecars.
const SIDECAR_WORDS: &[(&str, Role)] = &[
    ("proxy", Role::Proxy),
    ("ambassador", Role::Proxy),
    ("tunnel", Role::Proxy),
    ("sidecar", Role::Helper),
    ("agent", Role::Agent),
    ("collector", Role::Agent),
    ("exporter", Role::Agent),
    ("logger", Role::LogShipper),
    ("shipper", Role::LogShipper),
    ("forwarder", Role::LogShipper),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Proxy,
    LogShipper,
    Agent,
    Helper,
}

impl Role {
    fn describe(self) -> &'static str {
        match self {
            Role::Proxy => "a proxy the main container needs",
            Role::LogShipper => "a log shipper for the main container",
            Role::Agent => "an agent beside the main container",
            Role::Helper => "a helper that runs beside the main container",
        }
    }
}

/// How long a container may run before it counts as running until stopped, and how many
/// wake-ups that may take (a `while true; sleep 1` loop runs out of wake-ups first).
const FINITE_HORIZON: Millis = 7 * 24 * 3600 * 1000;
const MAX_WAKES: usize = 2000;

/// The pod's network while its containers run together: the ports someone listens on.
#[derive(Default)]
struct Net {
    listening: BTreeMap<u16, usize>,
}

impl PodNet for Net {
    fn is_listening(&self, port: u16) -> bool {
        self.listening.contains_key(&port)
    }
}

/// One object of the manifest that has a pod spec.
struct Workload<'a> {
    doc: usize,
    kind: &'static str,
    name: String,
    spec: &'a Spanned,
    annotations: BTreeMap<String, String>,
    /// Where its JSON lives: the document (among non-empty ones) and the `List` item.
    at: (usize, Option<usize>),
}

/// Every object in kubectl's reading order; `None` for those without a pod spec.
fn objects(docs: &[Spanned]) -> Vec<Option<Workload<'_>>> {
    let mut out = Vec::new();
    for (d, doc) in docs.iter().enumerate() {
        let is_list = str_at(doc, "kind") == Some("List") && str_at(doc, "apiVersion") == Some("v1");
        match (is_list, doc.get("items").map(|i| &i.node)) {
            (true, Some(Node::Seq(items))) => {
                for (i, item) in items.iter().enumerate() {
                    out.push(workload(out.len(), item, (d, Some(i))));
                }
            }
            (true, _) => {}
            (false, _) => out.push(workload(out.len(), doc, (d, None))),
        }
    }
    out
}

fn str_at<'a>(node: &'a Spanned, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Spanned::as_str)
}

fn workload(doc: usize, obj: &Spanned, at: (usize, Option<usize>)) -> Option<Workload<'_>> {
    let (kind, template) = match str_at(obj, "kind")? {
        "Pod" => ("Pod", obj),
        "Job" => ("Job", obj.get("spec")?.get("template")?),
        "Deployment" => ("Deployment", obj.get("spec")?.get("template")?),
        _ => return None,
    };
    let spec = template.get("spec")?;
    let meta = obj.get("metadata");
    let name =
        meta.and_then(|m| str_at(m, "name").or_else(|| str_at(m, "generateName"))).unwrap_or_default().to_string();
    let annotations = match template.get("metadata").and_then(|m| m.get("annotations")).map(|a| &a.node) {
        Some(Node::Map(entries)) => {
            entries.iter().filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string()))).collect()
        }
        _ => BTreeMap::new(),
    };
    Some(Workload { doc, kind, name, spec, annotations, at })
}

fn items(seq: Option<&Spanned>) -> &[Spanned] {
    match seq.map(|s| &s.node) {
        Some(Node::Seq(items)) => items,
        _ => &[],
    }
}

fn scalar_text(v: &Spanned) -> String {
    match v.to_json() {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// The fields of a container that decide what its process does.
fn container_of(c: &Spanned) -> Container {
    let strings = |key: &str| c.get(key).map(|v| items(Some(v)).iter().map(scalar_text).collect());
    Container {
        name: str_at(c, "name").unwrap_or_default().to_string(),
        image: str_at(c, "image").unwrap_or_default().to_string(),
        command: strings("command"),
        args: strings("args"),
        env: items(c.get("env"))
            .iter()
            .map(|e| {
                (str_at(e, "name").unwrap_or_default().to_string(), str_at(e, "value").unwrap_or_default().to_string())
            })
            .collect(),
        stdin: c.get("stdin").is_some_and(|v| v.node == Node::Bool(true)),
        ..Container::default()
    }
}

/// For each container, whether it never ends by itself when the pod's containers run
/// together from t = 0 (so a client that waits for a proxy sees it come up); no restarts.
fn runs_forever(behaviors: &[Behavior]) -> Vec<bool> {
    struct Run {
        process: Process,
        next: Option<Millis>,
        ports: Vec<u16>,
        exited: bool,
        wakes: usize,
    }
    fn absorb(run: &mut Run, net: &mut Net, effects: Vec<Effect>) {
        run.next = None;
        for e in effects {
            match e {
                Effect::Listen(p) => {
                    run.ports.push(p);
                    *net.listening.entry(p).or_default() += 1;
                }
                Effect::Close(p) => {
                    run.ports.retain(|&q| q != p);
                    close(net, p);
                }
                Effect::WakeAt(t) => run.next = Some(t),
                Effect::Exit(_) => {
                    run.exited = true;
                    for p in std::mem::take(&mut run.ports) {
                        close(net, p);
                    }
                }
                Effect::Log(_) => {}
            }
        }
    }
    fn close(net: &mut Net, port: u16) {
        if let Some(n) = net.listening.get_mut(&port) {
            *n -= 1;
            if *n == 0 {
                net.listening.remove(&port);
            }
        }
    }
    let mut net = Net::default();
    let mut runs = Vec::new();
    for b in behaviors {
        let (process, effects) = b.start(0, &net);
        let mut run = Run { process, next: None, ports: Vec::new(), exited: false, wakes: 0 };
        absorb(&mut run, &mut net, effects);
        runs.push(run);
    }
    loop {
        let due = runs
            .iter_mut()
            .filter(|r| !r.exited && r.wakes < MAX_WAKES)
            .filter_map(|r| r.next.filter(|&t| t <= FINITE_HORIZON).map(|t| (t, r)))
            .min_by_key(|(t, _)| *t);
        let Some((t, run)) = due else { break };
        run.wakes += 1;
        let effects = run.process.wake(t, &net);
        absorb(run, &mut net, effects);
    }
    runs.iter().map(|r| !r.exited).collect()
}

/// The image's sidecar role from its repository (`docker.io/istio/proxyv2`).
fn image_role(full_ref: &str) -> Option<(&'static str, Role)> {
    let without_digest = full_ref.split('@').next().unwrap_or(full_ref);
    let repo = match without_digest.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => without_digest,
    };
    let last = repo.rsplit('/').next().unwrap_or(repo);
    SIDECAR_IMAGES
        .iter()
        .find(|(needle, _, _)| {
            if needle.contains('/') {
                repo.ends_with(&format!("/{needle}"))
            } else {
                last == *needle || last.starts_with(&format!("{needle}-"))
            }
        })
        .map(|(_, label, role)| (*label, *role))
}

/// Finds the containers of every Pod, Job and Deployment that look like legacy sidecars.
pub fn suggest(text: &str) -> Vec<Candidate> {
    let Ok(docs) = parse_documents(text) else {
        return Vec::new();
    };
    let lines = split_lines(text);
    objects(&docs).into_iter().flatten().flat_map(|w| suggest_in(&w, &lines)).collect()
}

fn suggest_in(w: &Workload<'_>, lines: &[&str]) -> Vec<Candidate> {
    let containers = items(w.spec.get("containers"));
    if containers.len() < 2 {
        return Vec::new();
    }
    let keeps_finished = !matches!(str_at(w.spec, "restartPolicy"), Some("Never" | "OnFailure"));
    let behaviors: Vec<Behavior> =
        containers.iter().map(|c| Behavior::infer(&container_of(c), &w.annotations)).collect();
    let facts: Vec<(String, String, bool)> = containers
        .iter()
        .zip(&behaviors)
        .zip(runs_forever(&behaviors))
        .map(|((c, b), forever)| (str_at(c, "name").unwrap_or_default().to_string(), b.image.full_ref.clone(), forever))
        .collect();
    let finite_main = facts.iter().find(|(_, _, forever)| !forever).map(|(name, _, _)| name.clone());
    // (index, strength, reason): the strength decides which one stays if all qualify.
    let mut found: Vec<(usize, u8, String)> = Vec::new();
    for (i, (name, full_ref, forever)) in facts.iter().enumerate() {
        if !forever || name.is_empty() {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let word = SIDECAR_WORDS.iter().find(|(w, _)| lower.contains(w)).map(|(_, role)| *role);
        let image = image_role(full_ref);
        let blocking = finite_main.as_ref().filter(|_| !keeps_finished);
        let strength = match (image, word) {
            (Some(_), _) => 3,
            (None, Some(_)) => 2,
            (None, None) if blocking.is_some() => 1,
            (None, None) => continue,
        };
        let reason = match (blocking, image, word) {
            (Some(main), _, _) => {
                let what = if w.kind == "Job" { "the Job never completes" } else { "the pod never completes" };
                format!("runs forever next to finite main container `{main}`: {what}")
            }
            (None, Some((label, role)), _) => format!("{label} image: {}", role.describe()),
            (None, None, Some(role)) => format!("named `{name}`: {}", role.describe()),
            (None, None, None) => continue,
        };
        found.push((i, strength, reason));
    }
    if found.len() == containers.len() {
        // Keep a main container: the weakest evidence, then the first in spec order.
        if let Some(k) = (0..found.len()).min_by_key(|&k| (found[k].1, found[k].0)) {
            found.remove(k);
        }
    }
    let block = entry(w.spec, "containers").and_then(|(key, value)| Block::find(lines, key, value, "containers").ok());
    found
        .into_iter()
        .map(|(i, _, reason)| Candidate {
            doc: w.doc,
            kind: w.kind,
            workload: w.name.clone(),
            container: facts[i].0.clone(),
            reason,
            line: block.as_ref().and_then(|b| b.items.get(i)).map(|s| s.dash + 1).unwrap_or(containers[i].pos.line),
        })
        .collect()
}

/// The key node and the value node of a map entry (the key's position is where its line starts).
fn entry<'a>(map: &'a Spanned, key: &str) -> Option<(&'a Spanned, &'a Spanned)> {
    match &map.node {
        Node::Map(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(k, v)| (k, v)),
        _ => None,
    }
}

/// The text lines, each with its line break (the last may have none).
fn split_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

fn body(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    body(line).trim().is_empty()
}

fn is_comment(line: &str) -> bool {
    body(line).trim_start().starts_with('#')
}

/// A block sequence entry marker: `-` followed by a space or the end of the line (not `---`).
fn is_dash(line: &str) -> bool {
    let rest = body(line).trim_start_matches(' ');
    rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t")
}

/// Where one list item's lines are (0-based, `end` exclusive, trailing blank lines left out).
#[derive(Debug, Clone)]
struct ItemSpan {
    start: usize,
    dash: usize,
    end: usize,
}

/// A block sequence under a key (`containers:` then `- name: …` lines).
#[derive(Debug)]
struct Block {
    key_line: usize,
    key_indent: usize,
    dash_indent: usize,
    items: Vec<ItemSpan>,
    /// The line after the last one that belongs to the list.
    end: usize,
}

impl Block {
    fn find(lines: &[&str], key: &Spanned, value: &Spanned, field: &'static str) -> Result<Block, ConvertError> {
        let key_line = key.pos.line.saturating_sub(1);
        let line_no = key.pos.line;
        let unsupported = |message: String| ConvertError::Unsupported { line: line_no, message };
        let key_text = lines.get(key_line).copied().unwrap_or_default();
        let key_indent = key.pos.column.saturating_sub(1);
        if !key_text.chars().take(key_indent).all(|c| c == ' ') {
            return Err(unsupported(format!("`{field}` does not start its line; write the pod spec as a block map")));
        }
        let Node::Seq(nodes) = &value.node else {
            return Err(unsupported(format!("`{field}` is not a list")));
        };
        if value.pos.line == key.pos.line {
            let first = key_text.chars().nth(value.pos.column.saturating_sub(1));
            return Err(match first {
                Some('[') => ConvertError::FlowStyle { line: line_no, field },
                _ => unsupported(format!("`{field}` uses an anchor, tag or alias; expand it first")),
            });
        }
        let first = (key_line + 1..lines.len()).find(|&i| !is_blank(lines[i]) && !is_comment(lines[i]));
        let dash_indent = match first {
            Some(i) if is_dash(lines[i]) && indent(lines[i]) >= key_indent => indent(lines[i]),
            _ => return Err(unsupported(format!("cannot find the `-` items of `{field}`"))),
        };
        // The list goes on while lines are deeper than its dashes, or are its dashes.
        let mut end = key_line + 1;
        for (i, line) in lines.iter().enumerate().skip(key_line + 1) {
            if is_blank(line) {
                continue;
            }
            let ind = indent(line);
            if is_comment(line) {
                if ind > dash_indent {
                    end = i + 1;
                }
                continue;
            }
            if ind > dash_indent || (ind == dash_indent && is_dash(line)) {
                end = i + 1;
                continue;
            }
            break;
        }
        let dashes: Vec<usize> =
            (key_line + 1..end).filter(|&i| indent(lines[i]) == dash_indent && is_dash(lines[i])).collect();
        if dashes.len() != nodes.len() {
            return Err(unsupported(format!("the items of `{field}` are laid out in a way this edit cannot follow")));
        }
        let mut spans = Vec::new();
        for (k, node) in nodes.iter().enumerate() {
            let next = dashes.get(k + 1).copied().unwrap_or(end);
            let first_key = match &node.node {
                Node::Map(entries) => entries.first().map(|(key, _)| key.pos),
                _ => None,
            };
            let Some(first_key) = first_key else {
                return Err(unsupported(format!("item {} of `{field}` is not a container map", k + 1)));
            };
            let key_row = first_key.line.saturating_sub(1);
            if key_row < dashes[k] || key_row >= next {
                return Err(unsupported(format!(
                    "the items of `{field}` are laid out in a way this edit cannot follow"
                )));
            }
            let before: String = lines
                .get(key_row)
                .map(|l| l.chars().take(first_key.column.saturating_sub(1)).collect())
                .unwrap_or_default();
            if before.trim_end().ends_with(['{', ',']) {
                return Err(ConvertError::FlowStyle { line: first_key.line, field });
            }
            // Comment lines right above the dash, at its column, describe this item.
            let floor = if k == 0 { key_line } else { dashes[k - 1] } + 1;
            let mut start = dashes[k];
            while start > floor && is_comment(lines[start - 1]) && indent(lines[start - 1]) == dash_indent {
                start -= 1;
            }
            spans.push(ItemSpan { start, dash: dashes[k], end: next });
        }
        // Each item runs to the next one's first line; blank lines at its end stay in place.
        for k in 0..spans.len() {
            let mut stop = spans.get(k + 1).map_or(end, |s| s.start);
            while stop > spans[k].dash + 1 && is_blank(lines[stop - 1]) {
                stop -= 1;
            }
            spans[k].end = stop;
        }
        Ok(Block { key_line, key_indent, dash_indent, items: spans, end })
    }
}

/// Moves the selected regular containers, `(object index, container name)` as in
/// [`Candidate`], into `initContainers` as native sidecars (see the module doc).
pub fn convert(text: &str, containers: &[(usize, String)]) -> Result<Conversion, ConvertError> {
    let docs = parse_documents(text).map_err(ConvertError::Syntax)?;
    let lines = split_lines(text);
    let eol = if lines.first().is_some_and(|l| l.ends_with("\r\n")) { "\r\n" } else { "\n" };
    let objects = objects(&docs);
    let mut wanted: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (doc, name) in containers {
        let names = wanted.entry(*doc).or_default();
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    let mut cut = vec![false; lines.len()];
    let mut inserts: Vec<Insert> = Vec::new();
    let mut expected: Vec<Value> = docs.iter().map(Spanned::to_json).collect();
    for (&doc, names) in &wanted {
        let not_found = |name: &str| ConvertError::NotFound { doc, container: name.to_string() };
        let Some(Some(w)) = objects.get(doc) else {
            return Err(not_found(names.first().copied().unwrap_or_default()));
        };
        let Some((key, value)) = entry(w.spec, "containers") else {
            return Err(not_found(names.first().copied().unwrap_or_default()));
        };
        let nodes = items(Some(value));
        let mut picked = Vec::new();
        for name in names {
            match nodes.iter().position(|c| str_at(c, "name") == Some(*name)) {
                Some(i) => picked.push(i),
                None => return Err(not_found(name)),
            }
        }
        if picked.len() >= nodes.len() {
            return Err(ConvertError::NoMainContainer { doc, workload: format!("{}/{}", w.kind, w.name) });
        }
        picked.sort_unstable();
        let block = Block::find(&lines, key, value, "containers")?;
        let (at, target_indent, mut text_out) = match entry(w.spec, "initContainers") {
            Some((ikey, ivalue)) => {
                let init = Block::find(&lines, ikey, ivalue, "initContainers")?;
                (init.end, init.dash_indent, String::new())
            }
            None => {
                let mut at = block.key_line;
                while at > 0 && is_comment(lines[at - 1]) && indent(lines[at - 1]) == block.key_indent {
                    at -= 1;
                }
                (at, block.dash_indent, format!("{}initContainers:{eol}", " ".repeat(block.key_indent)))
            }
        };
        let mut moved = Vec::new();
        for &i in &picked {
            let span = &block.items[i];
            let item = moved_item(&lines, span, &nodes[i], target_indent as isize - block.dash_indent as isize, eol)?;
            let offset = text_out.matches('\n').count() + (span.dash - span.start);
            let name = str_at(&nodes[i], "name").unwrap_or_default().to_string();
            moved.push((Moved { doc, container: name, from_line: span.dash + 1, to_line: 0 }, offset));
            text_out.push_str(&item);
            cut[span.start..span.end].iter_mut().for_each(|c| *c = true);
        }
        inserts.push(Insert { at, text: text_out, moved });
        expect_moved(&mut expected, w.at, &picked);
    }
    inserts.sort_by_key(|insert| insert.at);
    let (out, moved, written) = assemble(&lines, &cut, inserts, eol);
    check(&out, &expected, &docs)?;
    // The moved lines never pair with look-alikes elsewhere: the diff shows the edit made.
    let diff =
        lcs_diff(text, &out, |i, j| !cut.get(i).copied().unwrap_or(true) && !written.get(j).copied().unwrap_or(true));
    Ok(Conversion { text: out, moved, diff })
}

/// The item's lines shifted by `shift` columns, with `restartPolicy: Always` added.
fn moved_item(
    lines: &[&str],
    span: &ItemSpan,
    node: &Spanned,
    shift: isize,
    eol: &str,
) -> Result<String, ConvertError> {
    let mut out: Vec<String> = lines[span.start..span.end]
        .iter()
        .map(|l| {
            let mut l = l.to_string();
            if !l.ends_with('\n') {
                l.push_str(eol);
            }
            if is_blank(&l) {
                l
            } else if shift >= 0 {
                format!("{}{l}", " ".repeat(shift.unsigned_abs()))
            } else {
                let strip = indent(&l).min(shift.unsigned_abs());
                l[strip..].to_string()
            }
        })
        .collect();
    let column = |c: usize| (c.saturating_sub(1) as isize + shift).max(0) as usize;
    match entry(node, "restartPolicy") {
        Some((_, v)) if v.as_str() == Some("Always") => return Ok(out.concat()),
        Some((k, _)) => {
            return Err(ConvertError::Unsupported {
                line: k.pos.line,
                message: "this container already sets restartPolicy; remove it before converting".into(),
            })
        }
        None => {}
    }
    // Right after `name: x` when that is one line; otherwise at the end of the item.
    let after_name = entry(node, "name").and_then(|(k, v)| {
        let row = k.pos.line.checked_sub(1)?;
        let field = k.pos.column.saturating_sub(1);
        let next = (row + 1..span.end).find(|&i| !is_blank(lines[i]) && !is_comment(lines[i]));
        let continues = next.is_some_and(|i| indent(lines[i]) > field);
        (v.pos.line == k.pos.line && v.as_str().is_some() && !continues).then_some((row, k.pos.column))
    });
    let (row, col) = match after_name {
        Some(found) => found,
        None => {
            let col = match &node.node {
                Node::Map(entries) => entries.first().map_or(1, |(k, _)| k.pos.column),
                _ => 1,
            };
            (span.end.saturating_sub(1), col)
        }
    };
    let index = (row + 1).saturating_sub(span.start).min(out.len());
    out.insert(index, format!("{}restartPolicy: Always{eol}", " ".repeat(column(col))));
    Ok(out.concat())
}

/// The JSON the converted text must parse to: the same, with the containers moved.
fn expect_moved(expected: &mut [Value], (doc, item): (usize, Option<usize>), picked: &[usize]) {
    let Some(mut obj) = expected.get_mut(doc) else { return };
    if let Some(i) = item {
        match obj.get_mut("items").and_then(|items| items.get_mut(i)) {
            Some(o) => obj = o,
            None => return,
        }
    }
    let template = obj.get("kind").and_then(Value::as_str) != Some("Pod");
    let spec = if template { obj.pointer_mut("/spec/template/spec") } else { obj.get_mut("spec") };
    let Some(Value::Object(spec)) = spec else { return };
    let mut moved = Vec::new();
    if let Some(Value::Array(containers)) = spec.get_mut("containers") {
        for &i in picked.iter().rev() {
            if i < containers.len() {
                let mut c = containers.remove(i);
                if let Value::Object(m) = &mut c {
                    m.insert("restartPolicy".into(), Value::String("Always".into()));
                }
                moved.insert(0, c);
            }
        }
    }
    match spec.get_mut("initContainers") {
        Some(Value::Array(init)) => init.extend(moved),
        _ => {
            spec.insert("initContainers".into(), Value::Array(moved));
        }
    }
}

/// Text to insert before an original line.
struct Insert {
    at: usize,
    text: String,
    /// The containers in `text`, each with its dash's line within `text` (0-based).
    moved: Vec<(Moved, usize)>,
}

/// The new text: kept lines, with the inserts before their lines.
fn assemble(lines: &[&str], cut: &[bool], inserts: Vec<Insert>, eol: &str) -> (String, Vec<Moved>, Vec<bool>) {
    let mut out = String::new();
    let mut moved = Vec::new();
    // Per line of the new text: whether the edit wrote it.
    let mut written = Vec::new();
    let mut pending = inserts.into_iter().peekable();
    for i in 0..=lines.len() {
        while let Some(Insert { text, moved: items, .. }) = pending.next_if(|insert| insert.at == i) {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push_str(eol);
            }
            let first_line = out.matches('\n').count() + 1;
            moved.extend(items.into_iter().map(|(m, offset)| Moved { to_line: first_line + offset, ..m }));
            out.push_str(&text);
            written.extend(text.lines().map(|_| true));
        }
        if let (Some(line), Some(false)) = (lines.get(i), cut.get(i)) {
            out.push_str(line);
            written.push(false);
        }
    }
    (out, moved, written)
}

/// Refuses an edit whose text does not mean exactly the intended change.
fn check(out: &str, expected: &[Value], docs: &[Spanned]) -> Result<(), ConvertError> {
    let unsafe_edit = |line: usize| ConvertError::Unsupported {
        line,
        message: "the layout of this manifest defeats the line-based edit (the result would not mean the same); \
                  move the container by hand"
            .into(),
    };
    let got = parse_documents(out).map_err(|e| unsafe_edit(e.line))?;
    if got.len() != expected.len() {
        return Err(unsafe_edit(1));
    }
    for ((g, want), doc) in got.iter().zip(expected).zip(docs) {
        if g.to_json() != *want {
            return Err(unsafe_edit(doc.pos.line));
        }
    }
    Ok(())
}

/// Cells of the LCS table beyond which the changed middle is shown as removed-then-added.
const MAX_DIFF_CELLS: usize = 4_000_000;

/// A line diff by longest common subsequence (common head and tail trimmed first), where
/// old line `i` may pair with an equal new line `j` only if `may_pair(i, j)` (0-based).
fn lcs_diff(old: &str, new: &str, may_pair: impl Fn(usize, usize) -> bool) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let pairs = |i: usize, j: usize| a[i] == b[j] && may_pair(i, j);
    let head = (0..a.len().min(b.len())).take_while(|&k| pairs(k, k)).count();
    let tail = (1..=(a.len() - head).min(b.len() - head)).take_while(|&k| pairs(a.len() - k, b.len() - k)).count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out: Vec<DiffLine> =
        (0..head).map(|i| DiffLine::Same { old: i + 1, new: i + 1, text: a[i].to_string() }).collect();
    let removed = |i: usize| DiffLine::Removed { old: head + i + 1, text: ma[i].to_string() };
    let added = |j: usize| DiffLine::Added { new: head + j + 1, text: mb[j].to_string() };
    if ma.len().saturating_mul(mb.len()) > MAX_DIFF_CELLS {
        out.extend((0..ma.len()).map(removed));
        out.extend((0..mb.len()).map(added));
    } else {
        let w = mb.len() + 1;
        let mut lcs = vec![0u32; (ma.len() + 1) * w];
        for i in (0..ma.len()).rev() {
            for j in (0..mb.len()).rev() {
                lcs[i * w + j] = if pairs(head + i, head + j) {
                    lcs[(i + 1) * w + j + 1] + 1
                } else {
                    lcs[(i + 1) * w + j].max(lcs[i * w + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        // Lines go out as soon as that costs no common line: a moved block then shows whole
        // (removed, added) instead of matching its lines one by one against look-alikes.
        while i < ma.len() || j < mb.len() {
            if i < ma.len() && lcs[(i + 1) * w + j] == lcs[i * w + j] {
                out.push(removed(i));
                i += 1;
            } else if j < mb.len() && lcs[i * w + j + 1] == lcs[i * w + j] {
                out.push(added(j));
                j += 1;
            } else {
                out.push(DiffLine::Same { old: head + i + 1, new: head + j + 1, text: ma[i].to_string() });
                i += 1;
                j += 1;
            }
        }
    }
    let (oa, ob) = (a.len() - tail, b.len() - tail);
    out.extend((0..tail).map(|k| DiffLine::Same { old: oa + k + 1, new: ob + k + 1, text: a[oa + k].to_string() }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: app\n    image: nginx:1.25\n  - name: proxy\n    image: envoyproxy/envoy:v1.29-latest\n";

    fn one(doc: usize, name: &str) -> Vec<(usize, String)> {
        vec![(doc, name.to_string())]
    }

    #[test]
    fn unknown_objects_and_containers_are_errors() {
        assert_eq!(convert(POD, &one(1, "proxy")), Err(ConvertError::NotFound { doc: 1, container: "proxy".into() }));
        assert_eq!(convert(POD, &one(0, "nope")), Err(ConvertError::NotFound { doc: 0, container: "nope".into() }));
        let all = [(0, "app".to_string()), (0, "proxy".to_string())];
        assert!(matches!(convert(POD, &all), Err(ConvertError::NoMainContainer { doc: 0, .. })));
        assert!(matches!(convert("a: [", &one(0, "x")), Err(ConvertError::Syntax(_))));
    }

    #[test]
    fn an_empty_selection_changes_nothing() {
        let conv = convert(POD, &[]).expect("converts");
        assert_eq!(conv.text, POD);
        assert!(conv.diff.iter().all(|d| matches!(d, DiffLine::Same { .. })));
    }

    #[test]
    fn crlf_line_breaks_are_kept() {
        let crlf = POD.replace('\n', "\r\n");
        let conv = convert(&crlf, &one(0, "proxy")).expect("converts");
        assert!(conv.text.contains("  initContainers:\r\n  - name: proxy\r\n    restartPolicy: Always\r\n"));
        assert!(!conv.text.replace("\r\n", "").contains('\n'), "{:?}", conv.text);
    }

    #[test]
    fn without_a_one_line_name_the_policy_goes_last() {
        let text = POD.replace("  - name: proxy\n", "  - name: >-\n      proxy\n");
        let conv = convert(&text, &one(0, "proxy")).expect("converts");
        assert!(
            conv.text.contains("    image: envoyproxy/envoy:v1.29-latest\n    restartPolicy: Always\n"),
            "{}",
            conv.text
        );
    }

    #[test]
    fn a_container_with_its_own_restart_policy_is_refused() {
        let text = format!("{POD}    restartPolicy: Never\n");
        assert!(matches!(convert(&text, &one(0, "proxy")), Err(ConvertError::Unsupported { line: 11, .. })));
    }

    #[test]
    fn a_file_without_final_line_break_still_converts() {
        let text = POD.trim_end();
        let conv = convert(text, &one(0, "proxy")).expect("converts");
        assert!(conv.text.starts_with("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n"));
        assert!(conv.text.ends_with("    image: nginx:1.25\n"), "{:?}", conv.text);
    }

    #[test]
    fn diff_pairs_unchanged_lines() {
        let d = lcs_diff("a\nb\nc\n", "a\nx\nc\n", |_, _| true);
        assert_eq!(
            d,
            vec![
                DiffLine::Same { old: 1, new: 1, text: "a".into() },
                DiffLine::Removed { old: 2, text: "b".into() },
                DiffLine::Added { new: 2, text: "x".into() },
                DiffLine::Same { old: 3, new: 3, text: "c".into() },
            ]
        );
    }
}
