//! From the engine's raw event emissions to the Event objects a real API server would hold.
//! The kubelet and the controllers record through client-go's legacy recorder
//! (`tools/record/events_cache.go`): identical events bump `count` and `lastTimestamp`, ten
//! different messages for one object and reason within ten minutes collapse into
//! "(combined from similar events): …", and a token bucket (burst 25, one per 5 minutes) per
//! source and object drops writes while still counting them. The scheduler records through
//! `tools/events` (`events.k8s.io/v1`): a repeat becomes a `series` written at once, later
//! repeats only when the series is flushed. The API server then forgets an event an hour
//! after its last write (`--event-ttl=1h`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{json, Map, Value};

use crate::trace::{ObjectKey, Trace};

use super::time::{format_rfc3339, format_rfc3339_micro, SECOND};

const AGGREGATE_MAX_EVENTS: usize = 10;
const AGGREGATE_INTERVAL: i64 = 600 * SECOND;
const SPAM_BURST: f64 = 25.0;
const SPAM_QPS: f64 = 1.0 / 300.0;
const EVENT_TTL: i64 = 3600 * SECOND;
/// tools/events: a series is finished after six minutes of silence, refreshed every 30.
const SERIES_FINISH: i64 = 360 * SECOND;
const SERIES_REFRESH: i64 = 1800 * SECOND;

/// The events that exist at a moment, and every write that led to them (for `-w`).
pub(crate) struct Recorded {
    /// Core/v1 Event objects, sorted by namespace and name as the API lists them.
    pub(crate) current: Vec<Value>,
    /// `(time, object as written)` for every create or update, in time order.
    pub(crate) writes: Vec<(i64, Value)>,
}

#[derive(Clone)]
struct Involved {
    kind: String,
    name: String,
    namespace: String,
    uid: String,
    api_version: String,
    resource_version: String,
    field_path: String,
}

#[derive(Clone)]
struct Stored {
    name: String,
    namespace: String,
    involved: Involved,
    reason: String,
    message: String,
    type_: String,
    component: String,
    host: String,
    created: i64,
    written: i64,
    legacy: Option<Legacy>,
    series: Option<Series>,
}

#[derive(Clone, Copy)]
struct Legacy {
    count: u32,
    first: i64,
    last: i64,
}

#[derive(Clone, Copy)]
struct Series {
    event_time: i64,
    repeat: Option<(u32, i64)>,
}

fn api_version_of(kind: &str) -> &'static str {
    match kind {
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" => "apps/v1",
        "Job" | "CronJob" => "batch/v1",
        _ => "v1",
    }
}

/// A deterministic UUID-shaped id for an event (real ones are random).
fn uid_for(name: &str) -> String {
    let fnv = |seed: u64| name.bytes().fold(seed, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let (a, b) = (fnv(0xcbf2_9ce4_8422_2325), fnv(0x84222325cbf29ce4));
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

impl Stored {
    fn to_value(&self) -> Value {
        let mut involved = Map::new();
        let i = &self.involved;
        for (k, v) in [
            ("apiVersion", &i.api_version),
            ("fieldPath", &i.field_path),
            ("kind", &i.kind),
            ("name", &i.name),
            ("namespace", &i.namespace),
            ("resourceVersion", &i.resource_version),
            ("uid", &i.uid),
        ] {
            if !v.is_empty() {
                involved.insert(k.to_string(), Value::String(v.clone()));
            }
        }
        let mut v = json!({
            "apiVersion": "v1",
            "kind": "Event",
            "eventTime": null,
            "firstTimestamp": null,
            "lastTimestamp": null,
            "involvedObject": involved,
            "message": self.message,
            "metadata": {
                "creationTimestamp": format_rfc3339(self.created),
                "name": self.name,
                "namespace": self.namespace,
                "uid": uid_for(&self.name),
            },
            "reason": self.reason,
            "reportingComponent": self.component,
            "reportingInstance": self.host,
            "source": {},
            "type": self.type_,
        });
        if let Some(l) = self.legacy {
            v["count"] = json!(l.count);
            v["firstTimestamp"] = json!(format_rfc3339(l.first));
            v["lastTimestamp"] = json!(format_rfc3339(l.last));
            let mut source = Map::new();
            source.insert("component".into(), json!(self.component));
            if !self.host.is_empty() {
                source.insert("host".into(), json!(self.host));
            }
            v["source"] = Value::Object(source);
        }
        if let Some(s) = self.series {
            v["eventTime"] = json!(format_rfc3339_micro(s.event_time));
            v["reportingInstance"] =
                json!(if self.host.is_empty() { String::new() } else { format!("{}-{}", self.component, self.host) });
            let action = match self.reason.as_str() {
                "Scheduled" => "Binding",
                "FailedScheduling" | "Preempted" => "Scheduling",
                _ => "",
            };
            if !action.is_empty() {
                v["action"] = json!(action);
            }
            if let Some((count, last)) = s.repeat {
                v["series"] = json!({"count": count, "lastObservedTime": format_rfc3339_micro(last)});
            }
        }
        v
    }
}

struct Bucket {
    tokens: f64,
    last: i64,
}

struct Aggregate {
    messages: BTreeSet<String>,
    last: i64,
}

struct Observation {
    count: u32,
    first: i64,
    name: String,
}

struct Recorder<'t> {
    history: HashMap<ObjectKey, Vec<(f64, &'t Value)>>,
    stored: BTreeMap<(String, String), Stored>,
    writes: Vec<(i64, Value)>,
    buckets: HashMap<String, Bucket>,
    aggregates: HashMap<String, Aggregate>,
    observations: HashMap<String, Observation>,
    /// tools/events' `eventCache` of the scheduler, by isomorphic key.
    series_cache: BTreeMap<String, (String, String)>,
    next_tick: i64,
    /// The host the scheduler runs on (the control-plane node): tools/events names its
    /// `reportingInstance` `default-scheduler-<hostname>`, which `get events -o wide` shows.
    scheduler_host: String,
}

impl<'t> Recorder<'t> {
    fn write(&mut self, at: i64, s: Stored) {
        let mut s = s;
        s.written = at;
        self.writes.push((at, s.to_value()));
        self.stored.insert((s.namespace.clone(), s.name.clone()), s);
    }

    /// The involved object as the recorder's `ObjectReference` saw it at the emission.
    fn involved(&self, object: &str, namespace: &str, field_path: &str, t: f64) -> Involved {
        let (kind, name) = object.split_once('/').unwrap_or((object, ""));
        let ns = if kind == "Node" { "" } else { namespace };
        let key = ObjectKey { kind: kind.to_string(), namespace: ns.to_string(), name: name.to_string() };
        let seen = self.history.get(&key).and_then(|revs| revs.iter().rev().find(|(rt, _)| *rt <= t)).map(|(_, v)| *v);
        let meta = |f: &str| seen.and_then(|v| v["metadata"][f].as_str()).unwrap_or("").to_string();
        Involved {
            kind: kind.to_string(),
            name: name.to_string(),
            namespace: ns.to_string(),
            uid: meta("uid"),
            api_version: api_version_of(kind).to_string(),
            resource_version: meta("resourceVersion"),
            field_path: field_path.to_string(),
        }
    }

    /// Flushes due tools/events timers (`finishSeries` every 6 min, refresh every 30 min).
    fn run_ticks(&mut self, until: i64, epoch: i64) {
        while self.next_tick <= until {
            let tick = self.next_tick;
            self.next_tick += SERIES_FINISH;
            let refresh = (tick - epoch) % SERIES_REFRESH == 0;
            let keys: Vec<String> = self.series_cache.keys().cloned().collect();
            for key in keys {
                let Some(id) = self.series_cache.get(&key).cloned() else { continue };
                let Some(s) = self.stored.get(&id).cloned() else { continue };
                let Some(series) = s.series else { continue };
                match series.repeat {
                    Some((_, last)) if last < tick - SERIES_FINISH => {
                        self.write(tick, s);
                        self.series_cache.remove(&key);
                    }
                    Some(_) if refresh => self.write(tick, s),
                    None if series.event_time < tick - SERIES_FINISH => {
                        self.series_cache.remove(&key);
                    }
                    _ => {}
                }
            }
        }
    }

    fn new_api(&mut self, e: &crate::trace::Event, now: i64) {
        let involved = self.involved(&e.object, &e.namespace, e.field_path.as_deref().unwrap_or(""), e.t);
        let key = [
            e.reason.as_str(),
            e.source,
            &involved.kind,
            &involved.namespace,
            &involved.name,
            &involved.uid,
            &e.message,
        ]
        .join("\u{0}");
        if let Some(id) = self.series_cache.get(&key).cloned() {
            if let Some(mut s) = self.stored.get(&id).cloned() {
                if let Some(series) = s.series.as_mut() {
                    match series.repeat.as_mut() {
                        Some((count, last)) => {
                            *count += 1;
                            *last = now;
                            // Counted in memory only; written by the next flush.
                            self.stored.insert(id, s);
                        }
                        None => {
                            series.repeat = Some((2, now));
                            self.write(now, s);
                        }
                    }
                }
                return;
            }
        }
        let name = format!("{}.{:x}", involved.name, now);
        let s = Stored {
            name: name.clone(),
            namespace: e.namespace.clone(),
            involved,
            reason: e.reason.clone(),
            message: e.message.clone(),
            type_: e.type_.to_string(),
            component: e.source.to_string(),
            host: e.host.clone().unwrap_or_else(|| self.scheduler_host.clone()),
            created: now,
            written: now,
            legacy: None,
            series: Some(Series { event_time: now / 1000 * 1000, repeat: None }),
        };
        self.series_cache.insert(key, (e.namespace.clone(), name));
        self.write(now, s);
    }

    /// client-go `EventCorrelator.EventCorrelate` followed by the write to the API.
    fn legacy(&mut self, e: &crate::trace::Event, now: i64) {
        let host = e.host.clone().unwrap_or_default();
        let involved = self.involved(&e.object, &e.namespace, e.field_path.as_deref().unwrap_or(""), e.t);
        let object_key =
            [e.source, &host, &involved.kind, &involved.namespace, &involved.name, &involved.uid].join("\u{0}");
        let aggregate_key = [object_key.as_str(), e.type_, &e.reason].join("\u{0}");
        let event_key = [object_key.as_str(), &involved.field_path, e.type_, &e.reason, &e.message].join("\u{0}");

        // EventAggregator.EventAggregate.
        let record =
            self.aggregates.entry(aggregate_key.clone()).or_insert(Aggregate { messages: BTreeSet::new(), last: now });
        if now - record.last > AGGREGATE_INTERVAL {
            record.messages.clear();
        }
        record.messages.insert(e.message.clone());
        record.last = now;
        let (message, key, fresh_name) = if record.messages.len() < AGGREGATE_MAX_EVENTS {
            (e.message.clone(), format!("e\u{0}{event_key}"), format!("{}.{:x}", involved.name, now))
        } else {
            // Go pops an arbitrary set member; the smallest keeps runs reproducible.
            let first = record.messages.iter().next().cloned().unwrap_or_default();
            record.messages.remove(&first);
            (
                format!("(combined from similar events): {}", e.message),
                format!("a\u{0}{aggregate_key}"),
                format!("{}.{:x}", involved.name, now),
            )
        };

        // eventLogger.eventObserve: counts every observation, even one the filter drops.
        let obs =
            self.observations.entry(key).or_insert(Observation { count: 0, first: now, name: fresh_name.clone() });
        if obs.count == 0 {
            obs.first = now;
            obs.name = fresh_name;
        }
        obs.count += 1;
        let (count, first, name) = (obs.count, obs.first, obs.name.clone());

        // EventSourceObjectSpamFilter.Filter.
        let bucket = self.buckets.entry(object_key).or_insert(Bucket { tokens: SPAM_BURST, last: now });
        let tokens = (bucket.tokens + (now - bucket.last) as f64 / SECOND as f64 * SPAM_QPS).min(SPAM_BURST);
        if tokens < 1.0 {
            return;
        }
        bucket.tokens = tokens - 1.0;
        bucket.last = now;

        let id = (e.namespace.clone(), name.clone());
        let stored = match self.stored.get(&id) {
            // A patch changes only count, lastTimestamp and message.
            Some(old) => {
                let mut s = old.clone();
                s.message = message;
                s.legacy = Some(Legacy { count, first, last: now });
                s
            }
            None => Stored {
                name,
                namespace: e.namespace.clone(),
                involved,
                reason: e.reason.clone(),
                message,
                type_: e.type_.to_string(),
                component: e.source.to_string(),
                host,
                created: now,
                written: now,
                legacy: Some(Legacy { count, first, last: now }),
                series: None,
            },
        };
        self.write(now, stored);
    }
}

/// The first node labelled as control plane, where the scheduler runs.
fn control_plane_node(trace: &Trace) -> String {
    trace
        .history
        .revisions
        .iter()
        .filter(|r| r.key.kind == "Node")
        .filter_map(|r| r.object.as_ref())
        .find(|n| n["metadata"]["labels"].get("node-role.kubernetes.io/control-plane").is_some())
        .and_then(|n| n["metadata"]["name"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// Replays the recorders over the emissions up to `at` (Unix nanoseconds).
pub(crate) fn record(trace: &Trace, at_ns: i64) -> Recorded {
    let epoch = trace.epoch * SECOND;
    let mut history: HashMap<ObjectKey, Vec<(f64, &Value)>> = HashMap::new();
    for r in &trace.history.revisions {
        if let Some(o) = &r.object {
            history.entry(r.key.clone()).or_default().push((r.t, o.as_ref()));
        }
    }
    let mut rec = Recorder {
        history,
        stored: BTreeMap::new(),
        writes: Vec::new(),
        buckets: HashMap::new(),
        aggregates: HashMap::new(),
        observations: HashMap::new(),
        series_cache: BTreeMap::new(),
        next_tick: epoch + SERIES_FINISH,
        scheduler_host: control_plane_node(trace),
    };
    let mut clock = i64::MIN;
    for e in &trace.events {
        // One nanosecond apart at least, so names (object.hex-nanos) never collide.
        let now = (epoch + (e.t * 1e9).round() as i64).max(clock.saturating_add(1));
        if now > at_ns {
            break;
        }
        clock = now;
        rec.run_ticks(now, epoch);
        if e.source == "default-scheduler" {
            rec.new_api(e, now);
        } else {
            rec.legacy(e, now);
        }
    }
    rec.run_ticks(at_ns, epoch);
    let current = rec.stored.values().filter(|s| at_ns - s.written <= EVENT_TTL).map(Stored::to_value).collect();
    Recorded { current, writes: rec.writes }
}
