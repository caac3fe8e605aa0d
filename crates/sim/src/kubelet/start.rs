//! `startContainer` (kuberuntime_container.go) in simulated time: the CrashLoopBackOff
//! check, the image pull with its events, create, start; the postStart hook follows in
//! the pod worker.

use crate::api::PullPolicy;
use crate::cluster::record::Detail;
use crate::cluster::{CState, Ev, PodId, StartPhase, World};
use crate::trace::{Millis, What};

use super::backoff;
use super::CREATE_MS;

impl World {
    pub(crate) fn begin_start(&mut self, p: PodId, c: usize) {
        if self.in_crash_loop(p, c) {
            self.fail_start(p, c);
            self.set_phase_none(p);
            self.advance_run(p);
            return;
        }
        let now = self.now;
        let image = self.pods[p].ctrs[c].spec.image.clone();
        let policy = self.pods[p].ctrs[c].spec.image_pull_policy;
        let present = self.node.images.get(&image).is_some_and(|&ready| ready <= now);
        let pull = match policy {
            PullPolicy::Always => true,
            PullPolicy::IfNotPresent => !present,
            PullPolicy::Never => {
                if !present {
                    let message = format!("Container image \"{image}\" is not present with pull policy of Never");
                    self.container_event(p, c, "Warning", "ErrImageNeverPull", message.clone());
                    self.container_event(p, c, "Warning", "Failed", "Error: ErrImageNeverPull".into());
                    self.pods[p].ctrs[c].waiting = Some(("ErrImageNeverPull".into(), message));
                    self.dirty(p);
                    self.fail_start(p, c);
                    self.set_phase_none(p);
                    self.advance_run(p);
                    return;
                }
                false
            }
        };
        if pull && self.pods[p].ctrs[c].behavior.image_missing() {
            self.failed_pull(p, c);
            return;
        }
        if !pull {
            self.container_event(
                p,
                c,
                "Normal",
                "Pulled",
                format!("Container image \"{image}\" already present on machine"),
            );
            let (pod, name, attempt) = self.names(p, c);
            self.rec.happen(now, &pod, &name, What::Pulled, next_attempt(self, p, c, attempt), Detail::default());
            self.begin_create(p);
            return;
        }
        self.container_event(p, c, "Normal", "Pulling", format!("Pulling image \"{image}\""));
        let (pod, name, attempt) = self.names(p, c);
        self.rec.happen(now, &pod, &name, What::Pulling, next_attempt(self, p, c, attempt), Detail::default());
        // Pulls are serialised on the node (serializeImagePulls defaults to true).
        let begin = now.max(self.node.pull_busy_until);
        let size = self.pods[p].ctrs[c].behavior.image.size_bytes;
        // Layers pulled by an earlier (queued) pull are on disk when this one begins.
        let cached = self.node.images.get(&image).is_some_and(|&ready| ready <= begin);
        let done = begin + pull_duration(size, cached);
        self.node.pull_busy_until = done;
        self.node.images.entry(image.clone()).or_insert(done);
        self.set_start_phase(p, StartPhase::Pulling { done, begin, requested: now });
        let gen = self.pods[p].worker.sync_gen;
        self.at(done, Ev::Step(p, gen));
    }

    pub(crate) fn begin_create(&mut self, p: PodId) {
        let done = self.now + CREATE_MS;
        self.set_start_phase(p, StartPhase::Creating { done });
        let gen = self.pods[p].worker.sync_gen;
        self.at(done, Ev::Step(p, gen));
    }

    pub(crate) fn image_pulled(&mut self, p: PodId, c: usize, begin: Millis, requested: Millis) {
        let now = self.now;
        let image = self.pods[p].ctrs[c].spec.image.clone();
        let size = self.pods[p].ctrs[c].behavior.image.size_bytes;
        let took = go_duration(now - begin);
        let total = go_duration(now - requested);
        let mut message = format!("Successfully pulled image \"{image}\" in {took} ({total} including waiting)");
        if self.v.at_least(30) {
            message.push_str(&format!(". Image size: {size} bytes."));
        }
        self.container_event(p, c, "Normal", "Pulled", message);
        let (pod, name, attempt) = self.names(p, c);
        self.rec.happen(now, &pod, &name, What::Pulled, next_attempt(self, p, c, attempt), Detail::default());
    }

    /// `EnsureImageExists` for an image the registry does not have: the pull fails
    /// (ErrImagePull), then further attempts wait out the image back-off (ImagePullBackOff,
    /// 10 s doubling to 300 s per pod and image).
    fn failed_pull(&mut self, p: PodId, c: usize) {
        let now = self.now;
        let image = self.pods[p].ctrs[c].spec.image.clone();
        let entry = self.pods[p].ctrs[c].image_backoff;
        // IsInBackOffSinceUpdate: the back-off counts from the last failed pull.
        if entry.is_some_and(|e| now.saturating_sub(e.last_update) < e.backoff) {
            let message = format!("Back-off pulling image \"{image}\"");
            self.container_event(p, c, "Normal", "BackOff", message.clone());
            self.container_event(p, c, "Warning", "Failed", "Error: ImagePullBackOff".into());
            self.pods[p].ctrs[c].waiting = Some(("ImagePullBackOff".into(), message));
            self.dirty(p);
            self.fail_start(p, c);
            self.set_phase_none(p);
            self.advance_run(p);
            return;
        }
        self.container_event(p, c, "Normal", "Pulling", format!("Pulling image \"{image}\""));
        let (pod, name, attempt) = self.names(p, c);
        self.rec.happen(now, &pod, &name, What::Pulling, next_attempt(self, p, c, attempt), Detail::default());
        let begin = now.max(self.node.pull_busy_until);
        let done = begin + 1_200;
        self.node.pull_busy_until = done;
        self.set_start_phase(p, StartPhase::PullFailing { done });
        let gen = self.pods[p].worker.sync_gen;
        self.at(done, Ev::Step(p, gen));
    }

    /// The failed pull's end: the events, the waiting reason and the next back-off.
    pub(crate) fn pull_failed(&mut self, p: PodId, c: usize) {
        let now = self.now;
        let image = self.pods[p].ctrs[c].spec.image.clone();
        let full = self.pods[p].ctrs[c].behavior.image.full_ref.clone();
        let err = format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {full}: not found"
        );
        self.container_event(p, c, "Warning", "Failed", format!("Failed to pull image \"{image}\": {err}"));
        self.container_event(p, c, "Warning", "Failed", "Error: ErrImagePull".into());
        let entry = self.pods[p].ctrs[c].image_backoff;
        self.pods[p].ctrs[c].image_backoff = Some(backoff::next(entry, now, now, (10_000, 300_000)));
        self.pods[p].ctrs[c].waiting = Some(("ErrImagePull".into(), err));
        self.dirty(p);
        self.fail_start(p, c);
    }

    /// `doBackOff`: a container whose last run exited is restarted only once its back-off
    /// window has passed; otherwise the start fails with CrashLoopBackOff.
    fn in_crash_loop(&mut self, p: PodId, c: usize) -> bool {
        let now = self.now;
        let limits = backoff::crash_loop_limits(self);
        let ctr = &self.pods[p].ctrs[c];
        let Some(finished) = ctr.cur.as_ref().filter(|i| i.state == CState::Exited).and_then(|i| i.finished_at) else {
            return false;
        };
        let key = ctr.spec_hash;
        let entry = ctr.backoff.get(&key).copied();
        if backoff::in_backoff(entry.as_ref(), finished, now, limits.1) {
            let pod = &self.pods[p];
            let b = entry.map_or(0, |e| e.backoff);
            let target = format!("{}_{}({})", pod.meta.name, pod.meta.namespace, pod.uid);
            let name = ctr.name.clone();
            let waiting = format!("back-off {} restarting failed container={name} pod={target}", go_duration(b));
            self.pods[p].ctrs[c].waiting = Some(("CrashLoopBackOff".into(), waiting));
            self.container_event(
                p,
                c,
                "Warning",
                "BackOff",
                format!("Back-off restarting failed container {name} in pod {target}"),
            );
            self.dirty(p);
            return true;
        }
        let e = backoff::next(entry, finished, now, limits);
        self.pods[p].ctrs[c].backoff.insert(key, e);
        false
    }
}

/// The restart count the container being started will carry.
fn next_attempt(w: &World, p: PodId, c: usize, _current: u32) -> u32 {
    w.pods[p].ctrs[c].instances
}

/// A deterministic pull time: a fixed cost plus the compressed size at ~25 MB/s; a re-pull
/// of layers already on the node only checks the manifest with the registry (~1 s).
fn pull_duration(size: u64, cached: bool) -> Millis {
    if cached {
        return 900 + size % 300;
    }
    500 + size / 25_000 + size % 97
}

/// Go's `time.Duration.String()` after `Truncate(time.Millisecond)`: `806ms`, `1.511s`, `1m21.284s`.
pub(crate) fn go_duration(ms: Millis) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let h = ms / 3_600_000;
    let m = ms / 60_000 % 60;
    let s = ms / 1000 % 60;
    let frac = ms % 1000;
    let mut secs = s.to_string();
    if frac > 0 {
        let f = format!("{frac:03}");
        secs.push('.');
        secs.push_str(f.trim_end_matches('0'));
    }
    match (h, m) {
        (0, 0) => format!("{secs}s"),
        (0, m) => format!("{m}m{secs}s"),
        (h, m) => format!("{h}h{m}m{secs}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::go_duration;

    #[test]
    fn durations_print_like_go() {
        assert_eq!(go_duration(806), "806ms");
        assert_eq!(go_duration(1511), "1.511s");
        assert_eq!(go_duration(30_680), "30.68s");
        assert_eq!(go_duration(81_284), "1m21.284s");
        assert_eq!(go_duration(2000), "2s");
        assert_eq!(go_duration(60_000), "1m0s");
        assert_eq!(go_duration(3_723_500), "1h2m3.5s");
    }
}
