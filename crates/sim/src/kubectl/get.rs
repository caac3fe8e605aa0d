//! `kubectl get` (kubectl `pkg/cmd/get/get.go`): resource arguments as the builder reads
//! them, server-side tables laid out by cli-runtime's `HumanReadablePrinter` (NAMESPACE,
//! kind-prefixed names when several types print, LABELS, blank lines between types), the
//! generic `-o name|yaml|json` printers, `--sort-by`, and `-w`, which replays every change
//! from t=0 as the watch would have printed it.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::args::{self, flag, Flag, Takes};
use super::jsonfmt::to_json;
use super::obj;
use super::printers::{self, Column, Ctx};
use super::resources::{self, Kind, Resource};
use super::selector::{format_labels, Selector};
use super::tabwriter::TabWriter;
use super::time::{Now, SECOND};
use super::yamlfmt::to_yaml;
use super::{gosort, not_found, Cluster, Output};

const FLAGS: &[Flag] = &[
    flag("output", Some('o'), Takes::Value),
    flag("selector", Some('l'), Takes::Value),
    flag("field-selector", None, Takes::Value),
    flag("watch", Some('w'), Takes::Bool),
    flag("watch-only", None, Takes::Bool),
    flag("show-labels", None, Takes::Bool),
    flag("show-kind", None, Takes::Bool),
    flag("no-headers", None, Takes::Bool),
    flag("sort-by", None, Takes::Value),
    flag("label-columns", Some('L'), Takes::Value),
    flag("ignore-not-found", None, Takes::Bool),
    flag("all-namespaces", Some('A'), Takes::Bool),
    flag("chunk-size", None, Takes::Int),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Table { wide: bool },
    Name,
    Yaml,
    Json,
}

/// Everything the flags decide about printing.
struct Opts {
    format: Format,
    no_headers: bool,
    show_labels: bool,
    label_columns: Vec<String>,
    all_namespaces: bool,
    sort_by: Option<String>,
}

/// One object, or one type's list, as the builder returns it.
struct Info<'c> {
    resource: Resource,
    objects: Vec<&'c Value>,
}

pub(crate) fn run(c: &Cluster, argv: &[String]) -> Output {
    let p = match args::parse(argv, FLAGS) {
        Ok(p) => p,
        Err(e) => return Output::usage_error("get", &e),
    };
    let format = match p.str("output").unwrap_or("") {
        "" => Format::Table { wide: false },
        "wide" => Format::Table { wide: true },
        "name" => Format::Name,
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        other => {
            let kind = other.split('=').next().unwrap_or(other);
            if matches!(
                kind,
                "jsonpath"
                    | "jsonpath-file"
                    | "jsonpath-as-json"
                    | "custom-columns"
                    | "custom-columns-file"
                    | "go-template"
                    | "go-template-file"
                    | "template"
                    | "templatefile"
            ) {
                return Output::error(&format!("podsim does not simulate -o {kind}; use -o yaml or -o json"));
            }
            return Output::error(&format!(
                "unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
            ));
        }
    };
    let output = p.str("output").unwrap_or("");
    if p.bool("show-labels") && !matches!(format, Format::Table { .. }) {
        return Output::error(&format!("--show-labels option cannot be used with {output} printer"));
    }
    let selector = match Selector::parse(p.str("selector").unwrap_or("")) {
        Ok(s) => s,
        Err(e) => return Output::error(&format!("unable to parse requirement: {e}")),
    };
    let field_selector = match parse_field_selector(p.str("field-selector").unwrap_or("")) {
        Ok(f) => f,
        Err(e) => return Output::error(&e),
    };
    let opts = Opts {
        format,
        no_headers: p.bool("no-headers"),
        show_labels: p.bool("show-labels"),
        label_columns: p.list("label-columns"),
        all_namespaces: p.bool("all-namespaces"),
        sort_by: p.str("sort-by").filter(|s| !s.is_empty()).map(String::from),
    };
    let namespace = p.str("namespace").unwrap_or("default").to_string();
    let watch = p.bool("watch") || p.bool("watch-only");

    if p.positional.is_empty() {
        let mut out = Output::error(
            "Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples",
        );
        out.stderr = format!(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\n{}",
            out.stderr
        );
        return out;
    }
    let requests = match requests(&p.positional) {
        Ok(r) => r,
        Err(e) => return Output::error(&e),
    };
    if !p.str("selector").unwrap_or("").is_empty() && requests.iter().any(|(_, n)| n.is_some()) {
        return Output::error("name cannot be provided when a selector is specified");
    }
    let scope = Scope { namespace: &namespace, all: opts.all_namespaces, selector: &selector, fields: &field_selector };
    if watch {
        return run_watch(c, &p, &opts, &scope, &requests);
    }

    // The builder: named objects one by one, types as lists.
    let mut infos: Vec<Info> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for (resource, name) in &requests {
        let objects = list(c, *resource, &scope);
        match name {
            None => infos.push(Info { resource: *resource, objects }),
            Some(n) => match objects.into_iter().find(|o| obj::name(o) == n) {
                Some(o) => infos.push(Info { resource: *resource, objects: vec![o] }),
                None if p.bool("ignore-not-found") => {}
                None => errors.push(not_found(resource.resource(), n)),
            },
        }
    }
    if let Some(field) = &opts.sort_by {
        let path = relaxed_path(field);
        for info in &mut infos {
            if info.objects.len() > 1 {
                if !info.objects.iter().any(|o| lookup(o, &path).is_some()) {
                    return Output::error(&format!(
                        "couldn't find any field with path \"{{{}}}\" in the list of objects",
                        path_text(&path)
                    ));
                }
                gosort::sort(&mut info.objects, &|a, b| sort_less(lookup(a, &path), lookup(b, &path)));
            }
        }
    }

    let mut stdout = String::new();
    match opts.format {
        Format::Table { wide } => print_tables(c, &infos, &opts, wide, &mut stdout),
        Format::Name => {
            for info in &infos {
                if let Resource::Simulated(kind) = info.resource {
                    for o in &info.objects {
                        stdout.push_str(&format!("{}/{}\n", kind.qualified(), obj::name(o)));
                    }
                }
            }
        }
        Format::Yaml | Format::Json => {
            let single = requests.len() == 1 && requests[0].1.is_some();
            if single && !infos.is_empty() {
                stdout = encode(opts.format, infos[0].objects[0]);
            } else if !(single && infos.is_empty()) {
                let items: Vec<Value> = infos.iter().flat_map(|i| i.objects.iter().map(|o| (*o).clone())).collect();
                let list =
                    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}});
                stdout = encode(opts.format, &list);
            }
        }
    }

    let mut stderr = String::new();
    let all_namespaced = !opts.all_namespaces && infos.iter().all(|i| i.resource.namespaced());
    if stdout.is_empty()
        && errors.is_empty()
        && !p.bool("ignore-not-found")
        && matches!(opts.format, Format::Table { .. })
    {
        if all_namespaced {
            stderr.push_str(&format!("No resources found in {namespace} namespace.\n"));
        } else {
            stderr.push_str("No resources found\n");
        }
    }
    for e in &errors {
        stderr.push_str(e);
        stderr.push('\n');
    }
    Output { stdout, stderr, exit_code: i32::from(!errors.is_empty()) }
}

fn encode(format: Format, v: &Value) -> String {
    let mut v = v.clone();
    // kubectl hides managedFields unless --show-managed-fields.
    if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("managedFields");
    }
    if let Some(items) = v.get_mut("items").and_then(Value::as_array_mut) {
        for item in items {
            if let Some(meta) = item.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.remove("managedFields");
            }
        }
    }
    if format == Format::Json {
        to_json(&v)
    } else {
        to_yaml(&v)
    }
}

/// Where a request looks: namespace, label and field selectors.
struct Scope<'a> {
    namespace: &'a str,
    all: bool,
    selector: &'a Selector,
    fields: &'a [(Vec<String>, bool, String)],
}

impl Scope<'_> {
    fn matches(&self, kind: Kind, o: &Value) -> bool {
        (!kind.namespaced() || self.all || obj::namespace(o) == self.namespace)
            && self.selector.matches(o)
            && self.fields.iter().all(|(path, eq, want)| {
                let have = lookup(o, path).map(scalar_text).unwrap_or_default();
                (have == *want) == *eq
            })
    }
}

fn list<'c>(c: &'c Cluster, resource: Resource, scope: &Scope) -> Vec<&'c Value> {
    match resource {
        Resource::Simulated(kind) => c.list(kind, None).into_iter().filter(|o| scope.matches(kind, o)).collect(),
        Resource::Empty(..) => Vec::new(),
    }
}

/// `key=value,key!=value` field selectors over the object's own fields.
fn parse_field_selector(text: &str) -> Result<Vec<(Vec<String>, bool, String)>, String> {
    let mut out = Vec::new();
    for term in text.split(',').filter(|t| !t.is_empty()) {
        let (key, eq, value) = if let Some((k, v)) = term.split_once("!=") {
            (k, false, v)
        } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            (k, true, v)
        } else {
            return Err(format!("invalid selector: '{text}'; can't understand '{term}'"));
        };
        out.push((key.split('.').map(String::from).collect(), eq, value.to_string()));
    }
    Ok(out)
}

/// Resource arguments as `ResourceTypeOrNameArgs` reads them.
fn requests(positional: &[String]) -> Result<Vec<(Resource, Option<String>)>, String> {
    if positional.iter().any(|a| a.contains('/')) {
        let mut out = Vec::new();
        for a in positional {
            let Some((t, n)) = a.split_once('/') else {
                return Err("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".to_string());
            };
            let r =
                resources::resolve_one(t).ok_or_else(|| format!("the server doesn't have a resource type \"{t}\""))?;
            out.push((r, Some(n.to_string())));
        }
        return Ok(out);
    }
    let types = resources::resolve_list(&positional[0])?;
    let names = &positional[1..];
    if names.is_empty() {
        return Ok(types.into_iter().map(|t| (t, None)).collect());
    }
    Ok(types.iter().flat_map(|t| names.iter().map(move |n| (*t, Some(n.clone())))).collect())
}

/// cli-runtime `HumanReadablePrinter` state for one resource type.
struct TablePrinter<'o> {
    opts: &'o Opts,
    wide: bool,
    with_namespace: bool,
    with_kind: Option<&'static str>,
    printed_headers: bool,
}

impl TablePrinter<'_> {
    /// `printTable` after `decorateTable`: returns whether anything was written.
    fn print(&mut self, tw: &mut TabWriter, columns: &[Column], rows: &[(Vec<String>, &Value)]) {
        let visible = |col: &Column| self.wide || col.priority == 0;
        if !(self.opts.no_headers || self.printed_headers || rows.is_empty()) {
            let mut header: Vec<String> = Vec::new();
            if self.with_namespace {
                header.push("NAMESPACE".to_string());
            }
            header.extend(columns.iter().filter(|c| visible(c)).map(|c| c.name.to_uppercase()));
            header.extend(self.opts.label_columns.iter().map(|l| l.rsplit('/').next().unwrap_or(l).to_uppercase()));
            if self.opts.show_labels {
                header.push("LABELS".to_string());
            }
            tw.write(&header.join("\t"));
            tw.write("\n");
        }
        if !rows.is_empty() {
            self.printed_headers = true;
        }
        for (cells, o) in rows {
            let mut line: Vec<String> = Vec::new();
            if self.with_namespace {
                line.push(obj::namespace(o).to_string());
            }
            for (col, cell) in columns.iter().zip(cells) {
                if !visible(col) {
                    continue;
                }
                let text = cell.split('\n').next().unwrap_or("");
                let mut text = text.to_string();
                if cell.contains('\n') {
                    text.push_str("...");
                }
                match self.with_kind {
                    Some(k) if col.is_name => line.push(format!("{k}/{text}")),
                    _ => line.push(text),
                }
            }
            let labels = obj::string_map(o, &["metadata", "labels"]);
            for key in &self.opts.label_columns {
                line.push(labels.iter().find(|(k, _)| k == key).map(|(_, v)| v.to_string()).unwrap_or_default());
            }
            if self.opts.show_labels {
                line.push(format_labels(&labels));
            }
            tw.write(&line.join("\t"));
            tw.write("\n");
        }
    }
}

/// get.go `Run` for human-readable output.
fn print_tables(c: &Cluster, infos: &[Info], opts: &Opts, wide: bool, stdout: &mut String) {
    let mut kinds: Vec<Resource> = infos.iter().map(|i| i.resource).collect();
    kinds.dedup();
    let mut distinct = kinds.clone();
    distinct.sort_by_key(|r| r.resource());
    distinct.dedup();
    let print_with_kind = distinct.len() > 1;
    let mut tw = TabWriter::for_tables();
    let mut separator_ready = false;
    let mut last: Option<Resource> = None;
    let mut printer: Option<TablePrinter> = None;
    let emit = |chunk: String, stdout: &mut String, separator_ready: &mut bool| {
        if !chunk.is_empty() {
            if *separator_ready {
                stdout.push('\n');
                *separator_ready = false;
            }
            stdout.push_str(&chunk);
        }
    };
    for info in infos {
        if last != Some(info.resource) {
            emit(tw.flush(), stdout, &mut separator_ready);
            tw.forget_widths();
            if last.is_some() && !opts.no_headers && !stdout.is_empty() {
                separator_ready = true;
            }
            let with_kind = match info.resource {
                Resource::Simulated(k) if print_with_kind => Some(k.qualified()),
                _ => None,
            };
            printer = Some(TablePrinter {
                opts,
                wide,
                with_namespace: opts.all_namespaces && info.resource.namespaced(),
                with_kind,
                printed_headers: false,
            });
            last = Some(info.resource);
        }
        let (Resource::Simulated(kind), Some(printer)) = (info.resource, printer.as_mut()) else { continue };
        let rows: Vec<(Vec<String>, &Value)> =
            info.objects.iter().map(|o| (printers::cells(kind, o, c.ctx()), *o)).collect();
        printer.print(&mut tw, &printers::columns(kind, c.minor), &rows);
    }
    emit(tw.flush(), stdout, &mut separator_ready);
}

/// get.go `watch`: the list at t=0, then one row per change up to the moment asked for,
/// each printed as the server rendered it at the time of the change.
fn run_watch(
    c: &Cluster,
    p: &args::Parsed,
    opts: &Opts,
    scope: &Scope,
    requests: &[(Resource, Option<String>)],
) -> Output {
    let mut stderr = String::new();
    if opts.sort_by.is_some() {
        stderr.push_str("warning: --watch or --watch-only requested, --sort-by will be ignored\n");
    }
    let mut types: Vec<Resource> = requests.iter().map(|r| r.0).collect();
    types.dedup();
    if types.len() != 1 {
        return Output::error("you may only specify a single resource type");
    }
    let names: Vec<&str> = requests.iter().filter_map(|r| r.1.as_deref()).collect();
    if names.len() > 1 {
        return Output::error("watch is only supported on individual resources and resource collections, but a list of resources is specified");
    }
    let Resource::Simulated(kind) = types[0] else { return Output { stderr, ..Output::default() } };
    let name = names.first().copied();
    let epoch = c.trace.epoch * SECOND;
    let wanted = |o: &Value| scope.matches(kind, o) && name.is_none_or(|n| obj::name(o) == n);

    // (time of the change, object after it) in time order; t=0 holds the initial list.
    let mut initial: Vec<Value> = Vec::new();
    let mut changes: Vec<(i64, Value)> = Vec::new();
    if kind == Kind::Event {
        for (t, v) in &c.events().writes {
            if *t <= epoch {
                initial.retain(|o| obj::name(o) != obj::name(v));
                initial.push(v.clone());
            } else if *t <= c.now.0 {
                changes.push((*t, v.clone()));
            }
        }
        initial.sort_by(|a, b| (obj::namespace(a), obj::name(a)).cmp(&(obj::namespace(b), obj::name(b))));
    } else {
        initial = c
            .trace
            .history
            .objects_at(0.0)
            .iter()
            .map(|o| (**o).clone())
            .filter(|o| obj::str_at(o, &["kind"]) == kind.name())
            .collect();
        let mut last_seen: HashMap<String, Value> =
            initial.iter().map(|o| (format!("{}/{}", obj::namespace(o), obj::name(o)), o.clone())).collect();
        for r in &c.trace.history.revisions {
            let t = epoch + (r.t * 1e9).round() as i64;
            if r.t <= 0.0 || t > c.now.0 || r.key.kind != kind.name() {
                continue;
            }
            let key = format!("{}/{}", r.key.namespace, r.key.name);
            let object = match &r.object {
                Some(o) => (**o).clone(),
                // A deletion prints the object's last state.
                None => match last_seen.remove(&key) {
                    Some(o) => o,
                    None => continue,
                },
            };
            last_seen.insert(key, object.clone());
            changes.push((t, object));
        }
    }
    initial.retain(|o| wanted(o));
    changes.retain(|(_, o)| wanted(o));
    if let Some(n) = name {
        if initial.is_empty() {
            stderr.push_str(&not_found(kind.resource(), n));
            stderr.push('\n');
            return Output { stdout: String::new(), stderr, exit_code: 1 };
        }
    }
    if p.bool("watch-only") {
        initial.clear();
    }

    let mut stdout = String::new();
    match opts.format {
        Format::Table { wide } => {
            let columns = printers::columns(kind, c.minor);
            let mut printer = TablePrinter {
                opts,
                wide,
                with_namespace: opts.all_namespaces && kind.namespaced(),
                with_kind: None,
                printed_headers: false,
            };
            let mut tw = TabWriter::for_tables();
            let rows: Vec<(Vec<String>, &Value)> =
                initial.iter().map(|o| (printers::cells(kind, o, c.ctx()), o)).collect();
            printer.print(&mut tw, &columns, &rows);
            stdout.push_str(&tw.flush());
            for (t, o) in &changes {
                let ctx = Ctx { now: Now(*t), minor: c.minor };
                printer.print(&mut tw, &columns, &[(printers::cells(kind, o, ctx), o)]);
                stdout.push_str(&tw.flush());
            }
        }
        format => {
            for (i, o) in initial.iter().chain(changes.iter().map(|(_, o)| o)).enumerate() {
                match format {
                    Format::Name => stdout.push_str(&format!("{}/{}\n", kind.qualified(), obj::name(o))),
                    Format::Yaml => {
                        if i > 0 {
                            stdout.push_str("---\n");
                        }
                        stdout.push_str(&encode(format, o));
                    }
                    _ => stdout.push_str(&encode(format, o)),
                }
            }
        }
    }
    Output { stdout, stderr, exit_code: 0 }
}

/// kubectl `RelaxedJSONPathExpression` for the simple paths `--sort-by` takes: `.a.b[0]`,
/// `{.a.b}` or `a.b`.
fn relaxed_path(field: &str) -> Vec<String> {
    let inner = field.trim().trim_start_matches('{').trim_end_matches('}');
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    let mut out = Vec::new();
    for part in inner.split('.').filter(|p| !p.is_empty()) {
        match part.split_once('[') {
            Some((key, index)) => {
                if !key.is_empty() {
                    out.push(key.to_string());
                }
                out.push(format!("[{}", index.trim_end_matches(']')));
            }
            None => out.push(part.to_string()),
        }
    }
    out
}

fn path_text(path: &[String]) -> String {
    path.iter().map(|p| if p.starts_with('[') { format!("{p}]") } else { format!(".{p}") }).collect()
}

/// A field by path; JSON `null` is a found value (it sorts first), a missing key is not.
fn lookup<'v>(o: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter().try_fold(o, |cur, p| match p.strip_prefix('[') {
        Some(i) => cur.as_array()?.get(i.parse::<usize>().ok()?),
        None => cur.get(p.as_str()),
    })
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// kubectl get `isLess` over unstructured values: missing and null first, numbers by value,
/// quantities by amount, other strings in natural order.
fn sort_less(a: Option<&Value>, b: Option<&Value>) -> bool {
    let (Some(a), Some(b)) = (a, b) else { return a.is_none() };
    match (a, b) {
        (Value::Null, Value::Null) => false,
        (Value::Null, _) => true,
        (_, Value::Null) => false,
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i < j,
            _ => x.as_f64().unwrap_or(0.0) < y.as_f64().unwrap_or(0.0),
        },
        (Value::String(x), Value::String(y)) => match (quantity(x), quantity(y)) {
            (Some(i), Some(j)) => i < j,
            _ => gosort::natural_less(x, y),
        },
        _ => false,
    }
}

/// `resource.ParseQuantity` for comparison: a number with an optional SI or binary suffix.
pub(crate) fn quantity(s: &str) -> Option<f64> {
    let split = s.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-'))).unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let n: f64 = num.parse().ok()?;
    let scale = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024.0,
        "Mi" => 1024.0 * 1024.0,
        "Gi" => 1024.0 * 1024.0 * 1024.0,
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        e if e.starts_with(['e', 'E']) => 10f64.powi(e[1..].parse().ok()?),
        _ => return None,
    };
    Some(n * scale)
}
