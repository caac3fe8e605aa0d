//! CrashLoopBackOff: client-go `flowcontrol.Backoff` as the kubelet uses it for container
//! restarts (`doBackOff` in kuberuntime_manager.go, `newCrashLoopBackOff` in kubelet.go).

use crate::cluster::{BackoffEntry, World};
use crate::settings::{Component, Gate};
use crate::trace::Millis;

/// (initial, max) back-off for container restarts in this version and gate set.
pub(crate) fn crash_loop_limits(w: &World) -> (Millis, Millis) {
    // kubelet.go newCrashLoopBackOff: 10 s doubling to 300 s; the reduced decay gate (1.33
    // alpha) gives 1 s to 60 s; the configurable max keeps 300 s unless configured.
    if w.settings.gate(Gate::ReduceDefaultCrashLoopBackOffDecay, Component::Kubelet) {
        (1_000, 60_000)
    } else {
        (10_000, 300_000)
    }
}

/// `hasExpired`: the entry is stale when the event is more than 2 × max after its last update.
fn has_expired(event: Millis, last_update: Millis, max: Millis) -> bool {
    event.saturating_sub(last_update) > 2 * max
}

/// `IsInBackOffSince(key, eventTime)`.
pub(crate) fn in_backoff(entry: Option<&BackoffEntry>, event: Millis, now: Millis, max: Millis) -> bool {
    match entry {
        None => false,
        Some(e) if has_expired(event, e.last_update, max) => false,
        Some(e) => now.saturating_sub(event) < e.backoff,
    }
}

/// `Next(key, eventTime)`: the first back-off is `initial`, then it doubles up to `max`.
pub(crate) fn next(entry: Option<BackoffEntry>, event: Millis, now: Millis, limits: (Millis, Millis)) -> BackoffEntry {
    let (initial, max) = limits;
    let backoff = match entry {
        Some(e) if !has_expired(event, e.last_update, max) => (e.backoff * 2).min(max),
        _ => initial,
    };
    BackoffEntry { backoff, last_update: now }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_restart_is_immediate_then_doubles_to_the_cap() {
        let limits = (10_000, 300_000);
        assert!(!in_backoff(None, 0, 0, limits.1));
        let mut e = next(None, 0, 0, limits);
        assert_eq!(e.backoff, 10_000);
        assert!(in_backoff(Some(&e), 1_000, 5_000, limits.1));
        assert!(!in_backoff(Some(&e), 1_000, 11_000, limits.1));
        let mut seen = vec![];
        let mut t = 20_000;
        for _ in 0..7 {
            e = next(Some(e), t, t, limits);
            seen.push(e.backoff / 1000);
            t += e.backoff;
        }
        assert_eq!(seen, vec![20, 40, 80, 160, 300, 300, 300]);
    }

    #[test]
    fn resets_after_running_ten_minutes() {
        let limits = (10_000, 300_000);
        let e = BackoffEntry { backoff: 160_000, last_update: 0 };
        assert!(!in_backoff(Some(&e), 601_000, 602_000, limits.1));
        assert_eq!(next(Some(e), 601_000, 602_000, limits).backoff, 10_000);
    }
}
