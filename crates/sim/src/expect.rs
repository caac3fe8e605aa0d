//! Expectations over a trace, in the conformance scenario language (`before`, `never`,
//! `happens`, `gap`, `pod`, `container`, `event`, `rejected`, `diagnostic`, `object`,
//! `kubectl`). The same checks serve the test suite, `podsim check` and, later, exercise
//! goals in the browser. Mirrors `check.py`, the referee.

use std::sync::Arc;

use serde_json::Value;

use crate::trace::{Happening, Trace};

#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The expectation as written (JSON).
    pub expectation: String,
    /// `None` when it holds, else why not.
    pub failure: Option<String>,
}

/// Checks every expectation against the trace.
pub fn check(trace: &Trace, expectations: &[Value]) -> Vec<Verdict> {
    expectations.iter().map(|e| Verdict { expectation: e.to_string(), failure: check_one(trace, e).err() }).collect()
}

fn check_one(trace: &Trace, e: &Value) -> Result<(), String> {
    let (key, v) = match e.as_object() {
        Some(m) if m.len() == 1 => m.iter().next().ok_or("empty expectation")?,
        _ => return Err(format!("unknown expectation {e}")),
    };
    match key.as_str() {
        "before" => {
            let refs = v.as_array().filter(|a| a.len() == 2).ok_or("before takes two references")?;
            let (ra, rb) = (text(&refs[0]), text(&refs[1]));
            let (a, b) = (first(trace, &ra)?, first(trace, &rb)?);
            let ia = trace.happenings.iter().position(|h| h == a);
            let ib = trace.happenings.iter().position(|h| h == b);
            if a.t < b.t || (a.t == b.t && ia < ib) {
                Ok(())
            } else {
                Err(format!("{ra:?} at {}s is not before {rb:?} at {}s", a.t, b.t))
            }
        }
        "never" => match resolve(trace, &text(v))?.first() {
            Some(h) => Err(format!("{:?} happened at {}s", text(v), h.t)),
            None => Ok(()),
        },
        "happens" => {
            let reference = v.get("ref").map(text).unwrap_or_else(|| text(v));
            let hs = resolve(trace, &reference)?;
            if let Some(count) = v.get("count") {
                if !compare_num(hs.len() as f64, count) {
                    return Err(format!("{reference:?} happened {} times, want {}", hs.len(), text(count)));
                }
            } else if hs.is_empty() {
                return Err(format!("{reference:?} never happened"));
            }
            let Some(h) = hs.first() else { return Ok(()) };
            if let Some(window) = v.get("at") {
                if !in_window(h.t, window)? {
                    return Err(format!("{reference:?} at {}s, want within {window}", h.t));
                }
            }
            for (k, want) in v.get("with").and_then(Value::as_object).into_iter().flatten() {
                let got = serde_json::to_value(h).ok().and_then(|j| j.get(k).cloned()).unwrap_or(Value::Null);
                if !compare(&got, want) {
                    return Err(format!("{reference:?} has {k}={got}, want {want}"));
                }
            }
            Ok(())
        }
        "gap" => {
            let (from, to) = (v.get("from").map(text).unwrap_or_default(), v.get("to").map(text).unwrap_or_default());
            let (a, b) = (first(trace, &from)?, first(trace, &to)?);
            let window = v.get("seconds").ok_or("gap needs seconds")?;
            if in_window(b.t - a.t, window)? {
                Ok(())
            } else {
                Err(format!("gap {from:?}->{to:?} is {:.2}s, want {window}", b.t - a.t))
            }
        }
        "pod" => check_pod(trace, v),
        "container" => check_container(trace, v),
        "event" => {
            let reason = v.get("reason").map(text).unwrap_or_default();
            let message = v.get("message").map(text).unwrap_or_else(|| "*".into());
            let object = v.get("object").map(text).unwrap_or_else(|| "*".into());
            let n = trace
                .events
                .iter()
                .filter(|ev| ev.reason == reason && glob(&ev.message, &message) && glob(&ev.object, &object))
                .count();
            let want = v.get("count").cloned().unwrap_or(Value::String(">=1".into()));
            if compare_num(n as f64, &want) {
                Ok(())
            } else {
                Err(format!("{n} events {v}, want {}", text(&want)))
            }
        }
        "rejected" => {
            let want = text(v);
            if trace.rejected.iter().any(|r| r.message.contains(&want)) {
                Ok(())
            } else {
                Err(format!("no rejection matching {want:?}; got {:?}", trace.rejected))
            }
        }
        "diagnostic" => {
            let message = v.get("message").map(text).unwrap_or_default();
            let ds: Vec<_> = trace
                .diagnostics
                .iter()
                .filter(|d| {
                    v.get("severity").is_none_or(|s| serde_json::to_value(d.severity).ok().as_ref() == Some(s))
                        && d.message.contains(&message)
                })
                .collect();
            if ds.is_empty() {
                return Err(format!("no diagnostic {v}; got {:?}", trace.diagnostics));
            }
            if let Some(line) = v.get("line").and_then(Value::as_u64) {
                if !ds.iter().any(|d| d.line == Some(line as usize)) {
                    return Err(format!("diagnostic {v} not on line {line}"));
                }
            }
            Ok(())
        }
        "object" => {
            let kind = v.get("kind").map(text).unwrap_or_default();
            let name = v.get("name").map(text).unwrap_or_default();
            let objects = trace.objects();
            let obj = objects
                .iter()
                .find(|o| {
                    o["kind"] == kind.as_str() && o["metadata"]["name"].as_str().is_some_and(|n| n.starts_with(&name))
                })
                .ok_or_else(|| format!("no {kind} {name} in final objects"))?;
            let field = v.get("field").map(text).unwrap_or_default();
            let got = get_path(obj, &field);
            let want = v.get("equals").cloned().unwrap_or(Value::Null);
            if compare(&got, &want) {
                Ok(())
            } else {
                Err(format!("{kind} {name} {field}={got}, want {want}"))
            }
        }
        "kubectl" => check_kubectl(trace, v),
        other => Err(format!("unknown expectation {other:?}")),
    }
}

fn check_pod(trace: &Trace, v: &Value) -> Result<(), String> {
    let prefix = v.get("name").map(text).unwrap_or_default();
    let pods = pods_with_prefix(trace, &prefix);
    if v.get("exists") == Some(&Value::Bool(false)) {
        return if pods.is_empty() { Ok(()) } else { Err(format!("{} pods {prefix}* still exist", pods.len())) };
    }
    if let Some(count) = v.get("count") {
        if !compare_num(pods.len() as f64, count) {
            return Err(format!("{} pods, want {}", pods.len(), text(count)));
        }
    }
    let pod = pods.first().ok_or_else(|| format!("no pod {prefix} in the final objects"))?;
    let status = &pod["status"];
    if let Some(phase) = v.get("phase") {
        if &status["phase"] != phase {
            return Err(format!("pod {} phase {}, want {phase}", pod["metadata"]["name"], status["phase"]));
        }
    }
    for cond in ["Ready", "Initialized", "ContainersReady"] {
        if let Some(want) = v.get(cond).and_then(Value::as_bool) {
            let got = get_path(status, &format!("conditions[type={cond}].status"));
            if got != Value::String(if want { "True" } else { "False" }.into()) {
                return Err(format!("pod condition {cond} is {got}, want {want}"));
            }
        }
    }
    Ok(())
}

fn check_container(trace: &Trace, v: &Value) -> Result<(), String> {
    let name = v.get("name").map(text).unwrap_or_default();
    let prefix = v.get("pod").map(text).unwrap_or_default();
    let pods = pods_with_prefix(trace, &prefix);
    let pod = pods.first().ok_or_else(|| format!("no pod {prefix}"))?;
    let cs = ["initContainerStatuses", "containerStatuses"]
        .iter()
        .filter_map(|k| pod["status"][k].as_array())
        .flatten()
        .find(|c| c["name"] == name.as_str())
        .ok_or_else(|| format!("no status for container {name:?}"))?;
    let term =
        cs["state"].get("terminated").or_else(|| cs["lastState"].get("terminated")).cloned().unwrap_or(Value::Null);
    let state = cs["state"].as_object().and_then(|m| m.keys().next().cloned()).map_or(Value::Null, Value::String);
    for (k, want) in v.as_object().into_iter().flatten() {
        let got = match k.as_str() {
            "name" | "pod" => continue,
            "restartCount" | "ready" | "started" => cs[k].clone(),
            "exitCode" | "reason" => term.get(k).cloned().unwrap_or(Value::Null),
            "state" => state.clone(),
            "waitingReason" => cs["state"]["waiting"]["reason"].clone(),
            other => return Err(format!("unknown container field {other:?}")),
        };
        if !compare(&got, want) {
            return Err(format!("container {name} {k}={got}, want {want}"));
        }
    }
    Ok(())
}

fn check_kubectl(trace: &Trace, v: &Value) -> Result<(), String> {
    let args = expand(trace, &v.get("args").map(text).unwrap_or_default())?;
    let at = match v.get("at") {
        None => trace.settings.until,
        Some(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
        Some(other) => crate::duration::parse(&text(other))? as f64 / 1000.0,
    };
    let words: Vec<String> = args.split_whitespace().map(str::to_string).collect();
    let out = crate::kubectl::run(trace, at, &words);
    if out.exit_code != 0 {
        return Err(format!("`kubectl {args}` exited {}: {}", out.exit_code, out.stderr.trim()));
    }
    if let Some(want) = v.get("contains").map(text) {
        if !out.stdout.contains(&want) {
            return Err(format!("`kubectl {args}` lacks {want:?}:\n{}", out.stdout));
        }
    }
    if let Some(want) = v.get("notContains").map(text) {
        if out.stdout.contains(&want) {
            return Err(format!("`kubectl {args}` has {want:?}:\n{}", out.stdout));
        }
    }
    if v.get("row").is_some() || v.get("rows").is_some() {
        let rows = parse_table(&out.stdout);
        if let Some(n) = v.get("rows").and_then(Value::as_u64) {
            if rows.len() as u64 != n {
                return Err(format!("`kubectl {args}` has {} rows, want {n}:\n{}", rows.len(), out.stdout));
            }
        }
        if let Some(want) = v.get("row").and_then(Value::as_object) {
            let ok = !rows.is_empty()
                && rows.iter().all(|r| {
                    want.iter()
                        .all(|(k, w)| r.iter().find(|(n, _)| n == k).is_some_and(|(_, cell)| glob(cell, &text(w))))
                });
            if !ok {
                return Err(format!(
                    "`kubectl {args}` rows do not all match {}:\n{}",
                    Value::Object(want.clone()),
                    out.stdout
                ));
            }
        }
    }
    Ok(())
}

/// `{pod}` / `{pod:prefix}` → the generated name of that pod.
fn expand(trace: &Trace, args: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = args;
    while let Some(i) = rest.find("{pod") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').ok_or("unclosed {pod")? + i;
        let prefix = rest[i + 4..end].trim_start_matches(':');
        let pod = pods_with_prefix(trace, prefix).into_iter().next().ok_or_else(|| format!("no pod {prefix}"))?;
        out.push_str(pod["metadata"]["name"].as_str().unwrap_or_default());
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn pods_with_prefix(trace: &Trace, prefix: &str) -> Vec<Arc<Value>> {
    let mut pods: Vec<Arc<Value>> = trace
        .objects()
        .into_iter()
        .filter(|o| o["kind"] == "Pod" && o["metadata"]["name"].as_str().is_some_and(|n| n.starts_with(prefix)))
        .collect();
    pods.sort_by(|a, b| a["metadata"]["name"].as_str().cmp(&b["metadata"]["name"].as_str()));
    pods
}

/// `[pod/]container What[#n]` → matching happenings in time order.
fn resolve<'a>(trace: &'a Trace, reference: &str) -> Result<Vec<&'a Happening>, String> {
    let (left, nth) = match reference.trim().split_once('#') {
        Some((l, n)) => (l, Some(n.parse::<usize>().map_err(|_| format!("bad reference {reference:?}"))?)),
        None => (reference.trim(), None),
    };
    let (target, what) = left.rsplit_once(' ').ok_or_else(|| format!("bad happening reference {reference:?}"))?;
    let (pod, container) = match target.split_once('/') {
        Some((p, c)) => (Some(p), c),
        None => (None, target),
    };
    let what_value = Value::String(what.to_string());
    let mut hs: Vec<&Happening> = trace
        .happenings
        .iter()
        .filter(|h| {
            h.container == container
                && serde_json::to_value(h.what).ok().as_ref() == Some(&what_value)
                && pod.is_none_or(|p| h.pod.starts_with(p))
        })
        .collect();
    hs.sort_by(|a, b| a.t.total_cmp(&b.t));
    Ok(match nth {
        Some(n) if n >= 1 => hs.into_iter().skip(n - 1).take(1).collect(),
        Some(_) => Vec::new(),
        None => hs,
    })
}

fn first<'a>(trace: &'a Trace, reference: &str) -> Result<&'a Happening, String> {
    resolve(trace, reference)?.into_iter().next().ok_or_else(|| format!("{reference:?} never happened"))
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn in_window(t: f64, window: &Value) -> Result<bool, String> {
    let w = window.as_array().filter(|a| a.len() == 2).ok_or("a window is [low, high]")?;
    let secs = |v: &Value| -> Result<f64, String> {
        match v {
            Value::Number(n) => Ok(n.as_f64().unwrap_or(0.0)),
            other => Ok(crate::duration::parse(&text(other))? as f64 / 1000.0),
        }
    };
    Ok(secs(&w[0])? <= t && t <= secs(&w[1])?)
}

/// `3`, `>=1`, `<=2`, `>0`.
fn compare_num(actual: f64, want: &Value) -> bool {
    let w = text(want);
    let w = w.trim();
    let (op, n) = [">=", "<=", "==", ">", "<"]
        .iter()
        .find_map(|op| w.strip_prefix(op).map(|rest| (*op, rest.trim())))
        .unwrap_or(("==", w));
    let Ok(n) = n.parse::<f64>() else { return false };
    match op {
        ">=" => actual >= n,
        "<=" => actual <= n,
        ">" => actual > n,
        "<" => actual < n,
        _ => actual == n,
    }
}

fn compare(actual: &Value, want: &Value) -> bool {
    match (actual, want) {
        (_, Value::Bool(_)) | (Value::Null, _) => actual == want,
        (Value::Number(a), Value::Number(w)) => a.as_f64() == w.as_f64(),
        (Value::Number(a), _) => compare_num(a.as_f64().unwrap_or(f64::NAN), want),
        (a, w) => glob(&text(a), &text(w)),
    }
}

/// Only `*` is a wildcard.
pub fn glob(text: &str, pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return text == pattern;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut pos = first.len();
    let end = text.len() - last.len();
    for mid in &parts[1..parts.len() - 1] {
        match text[pos..end].find(mid) {
            Some(i) => pos += i + mid.len(),
            None => return false,
        }
    }
    true
}

/// `a.b[k=v].c` over JSON.
fn get_path(obj: &Value, path: &str) -> Value {
    let mut cur = obj.clone();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, filter) = match part.split_once('[') {
            Some((n, f)) => (n, Some(f.trim_end_matches(']'))),
            None => (part, None),
        };
        if !name.is_empty() {
            cur = cur.get(name).cloned().unwrap_or(Value::Null);
        }
        if let Some(f) = filter {
            let (k, v) = f.split_once('=').unwrap_or((f, ""));
            cur = cur
                .as_array()
                .and_then(|a| a.iter().find(|x| x.get(k).map(text).as_deref() == Some(v)).cloned())
                .unwrap_or(Value::Null);
        }
    }
    cur
}

/// Columns start where the header's words start, as check.py reads kubectl tables.
fn parse_table(out: &str) -> Vec<Vec<(String, String)>> {
    let lines: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
    let Some(header) = lines.first() else { return Vec::new() };
    let mut starts = Vec::new();
    let bytes = header.as_bytes();
    for i in 0..bytes.len() {
        let word_start = bytes[i] != b' ' && (i == 0 || (bytes[i - 1] == b' ' && (i < 2 || bytes[i - 2] == b' ')));
        if word_start {
            starts.push(i);
        }
    }
    let cell = |line: &str, a: usize, b: Option<usize>| -> String {
        if a >= line.len() {
            return String::new();
        }
        let end = b.unwrap_or(line.len()).min(line.len());
        line.get(a..end).unwrap_or("").trim().to_string()
    };
    let names: Vec<String> =
        starts.iter().enumerate().map(|(i, &s)| cell(header, s, starts.get(i + 1).copied())).collect();
    lines[1..]
        .iter()
        .map(|l| {
            names.iter().enumerate().map(|(i, n)| (n.clone(), cell(l, starts[i], starts.get(i + 1).copied()))).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_the_referee() {
        assert!(glob("1 (49s ago)", "1 (*"));
        assert!(glob("pi-x7k2p", "pi-*"));
        assert!(!glob("pi", "pi-*"));
        assert!(glob("abc", "a*b*c"));
        assert!(!glob("ab", "a*b*c"));
    }

    #[test]
    fn numbers_compare_with_operators() {
        assert!(compare_num(3.0, &Value::String(">=2".into())));
        assert!(!compare_num(1.0, &Value::String(">1".into())));
        assert!(compare_num(0.0, &Value::from(0)));
    }

    #[test]
    fn tables_split_on_header_words() {
        let rows =
            parse_table("NAME   READY   STATUS    RESTARTS      AGE\npi-1   1/2     NotReady  1 (49s ago)   2m\n");
        assert_eq!(rows[0][0], ("NAME".into(), "pi-1".into()));
        assert_eq!(rows[0][3], ("RESTARTS".into(), "1 (49s ago)".into()));
    }
}
