//! Explicit behaviour overrides from pod annotations, for what inference cannot know (a
//! custom image's ports, start-up time, exit code …). Annotations keep the manifest valid on
//! a real cluster. The scheme is documented on the [`super`] module; a bad clause becomes
//! an inference note and is ignored, never an error.

use std::collections::BTreeMap;

use super::proc::{Act, Route, Site, Spec};
use super::tools::duration_ms;
use crate::trace::Millis;

pub const PREFIX: &str = "podsim.dev/";

/// What to do on the stop signal instead of the inferred behaviour.
#[derive(Debug, Clone, PartialEq)]
pub enum OnStop {
    Ignore,
    Exit { code: i32, after: Millis },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overrides {
    pub start: Millis,
    pub listen: Vec<(u16, Millis)>,
    /// `Some(None)`: runs forever.
    pub run: Option<Option<Millis>>,
    pub exit: Option<i32>,
    pub on_stop: Option<OnStop>,
    /// Readiness path: 503 until the delay, 200 after.
    pub ready: Option<(String, Millis)>,
    pub http: Vec<(String, u16)>,
    pub logs: Vec<String>,
    /// The registry does not have the image: every pull fails.
    pub image_missing: bool,
    /// The process exceeds its memory limit this long after start (OOMKilled).
    pub oom_after: Option<Millis>,
}

impl Overrides {
    pub fn is_empty(&self) -> bool {
        *self == Overrides::default()
    }

    /// The helper program that prints the lines, listens and answers HTTP.
    pub fn overlay(&self) -> Option<Spec> {
        if self.listen.is_empty() && self.logs.is_empty() {
            return None;
        }
        let mut s = Spec::new("podsim.dev");
        for l in &self.logs {
            s = s.at(0, Act::Out(l.clone()));
        }
        for (p, after) in &self.listen {
            s = s.at(*after, Act::Listen(*p));
        }
        let mut routes: Vec<Route> = self.http.iter().map(|(p, st)| Route::new(p, *st)).collect();
        if let Some((path, after)) = &self.ready {
            routes.push(Route::new(path, 200).gated(503));
            s = s.unready().at(*after, Act::Ready(true));
        }
        for (p, _) in &self.listen {
            s = s.site(Site::new(*p, routes.clone(), 200));
        }
        Some(s)
    }
}

fn dur(v: &str) -> Option<Millis> {
    duration_ms(v.trim()).flatten()
}

/// Reads `podsim.dev/<container>`; returns the overrides and notes about them.
pub fn parse(container: &str, annotations: &BTreeMap<String, String>) -> (Overrides, Vec<String>) {
    let key = format!("{PREFIX}{container}");
    let mut o = Overrides::default();
    let mut notes = Vec::new();
    let Some(value) = annotations.get(&key) else { return (o, notes) };
    for clause in value.split(';').map(str::trim).filter(|c| !c.is_empty()) {
        let Some((k, v)) = clause.split_once('=') else {
            notes.push(format!("{key}: `{clause}` is not `key=value`; ignored"));
            continue;
        };
        let (k, v) = (k.trim(), v.trim());
        let bad = |what: &str| format!("{key}: `{clause}`: {what}; ignored");
        match k {
            "start" => match dur(v) {
                Some(d) => o.start = d,
                None => notes.push(bad("not a duration (e.g. 2s, 500ms is 0.5s)")),
            },
            "listen" => {
                for item in v.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                    let (port, after) = match item.split_once('@') {
                        Some((p, d)) => (p.trim(), dur(d)),
                        None => (item, Some(0)),
                    };
                    match (port.parse::<u16>(), after) {
                        (Ok(p), Some(a)) if p > 0 => o.listen.push((p, a)),
                        _ => notes.push(bad(&format!("`{item}` is not PORT or PORT@DURATION"))),
                    }
                }
            }
            "run" => match v {
                "forever" | "infinity" => o.run = Some(None),
                _ => match dur(v) {
                    Some(d) => o.run = Some(Some(d)),
                    None => notes.push(bad("not a duration or `forever`")),
                },
            },
            "exit" => match v.parse::<i32>() {
                Ok(c) if (0..=255).contains(&c) => o.exit = Some(c),
                _ => notes.push(bad("not an exit code 0–255")),
            },
            "on-stop" | "on-sigterm" => {
                if v == "ignore" {
                    o.on_stop = Some(OnStop::Ignore);
                } else {
                    let body = v.strip_prefix("exit").unwrap_or("");
                    let (code, after) = match body.split_once('@') {
                        Some((c, d)) => (c, dur(d)),
                        None => (body, Some(0)),
                    };
                    let code = code.trim_start_matches(':');
                    let code = if code.is_empty() { Ok(0) } else { code.parse::<i32>() };
                    match (v.starts_with("exit"), code, after) {
                        (true, Ok(c), Some(a)) if (0..=255).contains(&c) => {
                            o.on_stop = Some(OnStop::Exit { code: c, after: a });
                        }
                        _ => notes.push(bad("expected `ignore` or `exit:CODE@DURATION`")),
                    }
                }
            }
            "ready" => {
                let (path, after) = match v.split_once('@') {
                    Some((p, d)) => (p.trim(), dur(d)),
                    None => (v, Some(0)),
                };
                match after {
                    Some(a) if path.starts_with('/') => o.ready = Some((path.to_string(), a)),
                    _ => notes.push(bad("expected /PATH@DURATION")),
                }
            }
            "http" => {
                for item in v.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                    match item.rsplit_once(':').map(|(p, s)| (p, s.parse::<u16>())) {
                        Some((p, Ok(s))) if p.starts_with('/') && (100..600).contains(&s) => {
                            o.http.push((p.to_string(), s));
                        }
                        _ => notes.push(bad(&format!("`{item}` is not /PATH:STATUS"))),
                    }
                }
            }
            "log" => o.logs.extend(v.split('|').map(|l| l.trim().to_string())),
            "image" => match v {
                "missing" => o.image_missing = true,
                "present" => o.image_missing = false,
                _ => notes.push(bad("expected `missing` or `present`")),
            },
            "oom" => match dur(v) {
                Some(d) => o.oom_after = Some(d),
                None => notes.push(bad("not a duration")),
            },
            _ => notes.push(format!(
                "{key}: unknown key `{k}` (known: start, listen, run, exit, on-stop, ready, http, log); ignored"
            )),
        }
    }
    if !o.is_empty() {
        notes.push(format!("{key} overrides the inferred behaviour: `{value}`"));
    }
    if (o.ready.is_some() || !o.http.is_empty()) && o.listen.is_empty() {
        notes.push(format!("{key}: ready/http apply to ports given with listen=; none given"));
    }
    (o, notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: &str) -> (Overrides, Vec<String>) {
        let mut a = BTreeMap::new();
        a.insert("podsim.dev/app".to_string(), v.to_string());
        parse("app", &a)
    }

    #[test]
    fn full_scheme() {
        let (o, notes) = p("start=2s; listen=8080@1s,9090; run=30s; exit=1; on-stop=exit:0@3s; ready=/healthz@5s; \
                            http=/:200,/admin:403; log=Starting|Ready");
        assert_eq!(o.start, 2000);
        assert_eq!(o.listen, vec![(8080, 1000), (9090, 0)]);
        assert_eq!(o.run, Some(Some(30_000)));
        assert_eq!(o.exit, Some(1));
        assert_eq!(o.on_stop, Some(OnStop::Exit { code: 0, after: 3000 }));
        assert_eq!(o.ready, Some(("/healthz".into(), 5000)));
        assert_eq!(o.http.len(), 2);
        assert_eq!(o.logs, vec!["Starting", "Ready"]);
        assert_eq!(notes.len(), 1, "{notes:?}");
    }

    #[test]
    fn bad_values_become_notes() {
        let (o, notes) = p("listen=http; run=soon; exit=300; on-stop=explode; ready=healthz; bogus=1; nonsense");
        assert!(o.is_empty());
        assert_eq!(notes.len(), 7, "{notes:?}");
        let (o, _) = p("on-stop=ignore; run=forever");
        assert_eq!(o.on_stop, Some(OnStop::Ignore));
        assert_eq!(o.run, Some(None));
    }
}
