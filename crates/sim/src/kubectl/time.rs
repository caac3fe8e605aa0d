//! Wall-clock arithmetic without a clock: RFC 3339 timestamps as the API server stores them,
//! the layouts kubectl prints (RFC 1123Z in `describe`, RFC 3339Nano in `logs --timestamps`),
//! and `duration.HumanDuration`, the AGE formatter. Everything is Unix nanoseconds in UTC,
//! because a simulated moment is `trace.epoch + t` and kubectl's local zone is taken as UTC.

pub(crate) const SECOND: i64 = 1_000_000_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    nanos: i64,
    weekday: usize,
}

fn civil(ns: i64) -> Civil {
    let days = ns.div_euclid(SECOND * 86_400);
    let rem = ns.rem_euclid(SECOND * 86_400);
    let (year, month, day) = civil_from_days(days);
    let secs = rem / SECOND;
    Civil {
        year,
        month,
        day,
        hour: secs / 3600,
        minute: secs / 60 % 60,
        second: secs % 60,
        nanos: rem % SECOND,
        weekday: (days + 4).rem_euclid(7) as usize,
    }
}

fn month_name(month: i64) -> &'static str {
    MONTHS.get((month - 1) as usize).copied().unwrap_or("???")
}

/// Parses what `metav1.Time`/`MicroTime` serialize to (`2006-01-02T15:04:05[.frac](Z|±hh:mm)`).
pub(crate) fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let mut i = 19;
    let mut nanos = 0i64;
    if b[i] == b'.' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 9 {
                nanos = nanos * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start).min(9)..9 {
            nanos *= 10;
        }
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let (oh, om) = (num(i + 1, 2)?, num(i + 4, 2)?);
            let off = (oh * 60 + om) * MINUTE;
            if *sign == b'-' {
                -off
            } else {
                off
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 * SECOND + (hour * 3600 + minute * 60 + second) * SECOND + nanos - offset)
}

/// `metav1.Time` as JSON: `time.RFC3339` in UTC, whole seconds.
pub(crate) fn format_rfc3339(ns: i64) -> String {
    let c = civil(ns);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, c.hour, c.minute, c.second)
}

/// `metav1.MicroTime` as JSON: `2006-01-02T15:04:05.000000Z07:00`.
pub(crate) fn format_rfc3339_micro(ns: i64) -> String {
    let c = civil(ns);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        c.year,
        c.month,
        c.day,
        c.hour,
        c.minute,
        c.second,
        c.nanos / 1000
    )
}

/// `time.RFC3339Nano` (trailing zeros of the fraction dropped), as `kubectl logs --timestamps`
/// prints the runtime's timestamps.
pub(crate) fn format_rfc3339_nano(ns: i64) -> String {
    let c = civil(ns);
    let mut frac = format!("{:09}", c.nanos);
    while frac.ends_with('0') {
        frac.pop();
    }
    let dot = if frac.is_empty() { "" } else { "." };
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{dot}{frac}Z", c.year, c.month, c.day, c.hour, c.minute, c.second)
}

/// `time.RFC1123Z` (`Mon, 02 Jan 2006 15:04:05 -0700`), used by `kubectl describe`. An absent
/// timestamp is Go's zero time, which describe prints as is.
pub(crate) fn format_rfc1123z(ns: Option<i64>) -> String {
    let Some(ns) = ns else { return "Mon, 01 Jan 0001 00:00:00 +0000".to_string() };
    let c = civil(ns);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} +0000",
        WEEKDAYS[c.weekday],
        c.day,
        month_name(c.month),
        c.year,
        c.hour,
        c.minute,
        c.second
    )
}

/// apimachinery `duration.HumanDuration`: the AGE of every `kubectl get` table.
pub(crate) fn human_duration(d: i64) -> String {
    let seconds = d / SECOND;
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{seconds}s");
    }
    let minutes = d / MINUTE;
    if minutes < 10 {
        let s = (d / SECOND) % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    } else if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = d / HOUR;
    if hours < 8 {
        let m = (d / MINUTE) % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    } else if hours < 48 {
        return format!("{hours}h");
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{}h", hours / 24, h);
    } else if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{}d", hours / 24 / 365, dy);
    }
    format!("{}y", hours / 24 / 365)
}

/// The moment a command runs at, and the printers' `translateTimestampSince`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Now(pub i64);

impl Now {
    /// printers.go `translateTimestampSince`: `<unknown>` for an absent timestamp.
    pub(crate) fn since(self, ts: Option<i64>) -> String {
        match ts {
            Some(t) => human_duration(self.0 - t),
            None => "<unknown>".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_duration_boundaries() {
        let cases: &[(i64, &str)] = &[
            (-3, "<invalid>"),
            (-2, "<invalid>"),
            (-1, "0s"),
            (0, "0s"),
            (52, "52s"),
            (59, "59s"),
            (119, "119s"),
            (120, "2m"),
            (121, "2m1s"),
            (154, "2m34s"),
            (380, "6m20s"),
            (599, "9m59s"),
            (600, "10m"),
            (1020, "17m"),
            (10_799, "179m"),
            (3 * 3600, "3h"),
            (3 * 3600 + 300, "3h5m"),
            (8 * 3600 - 1, "7h59m"),
            (8 * 3600, "8h"),
            (47 * 3600 + 3599, "47h"),
            (48 * 3600, "2d"),
            (2 * 86_400 + 5 * 3600, "2d5h"),
            (8 * 86_400 - 1, "7d23h"),
            (8 * 86_400, "8d"),
            (729 * 86_400, "729d"),
            (730 * 86_400, "2y"),
            (733 * 86_400, "2y3d"),
            (8 * 365 * 86_400 - 1, "7y364d"),
            (8 * 365 * 86_400, "8y"),
            (20 * 365 * 86_400, "20y"),
        ];
        for (secs, want) in cases {
            assert_eq!(human_duration(secs * SECOND), *want, "{secs}s");
        }
        // Truncation, not rounding: 119.9s is still seconds, -1.9s is "0s".
        assert_eq!(human_duration(119 * SECOND + 900_000_000), "119s");
        assert_eq!(human_duration(-SECOND - 900_000_000), "0s");
    }

    #[test]
    fn rfc3339_round_trips_and_rejects_garbage() {
        let t = parse_rfc3339("2024-02-29T23:59:58Z").expect("valid");
        assert_eq!(format_rfc3339(t), "2024-02-29T23:59:58Z");
        assert_eq!(format_rfc3339(t + 2 * SECOND), "2024-03-01T00:00:00Z");
        assert_eq!(parse_rfc3339("2024-02-29T23:59:58.5+01:00"), Some(t - 3600 * SECOND + SECOND / 2));
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        for bad in ["", "2023-02-29T00:00:00Z", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00", "2024-1-01T00:00:00Z"] {
            assert_eq!(parse_rfc3339(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn layouts_match_go() {
        let t = parse_rfc3339("2024-05-01T10:00:03.120Z").expect("valid");
        assert_eq!(format_rfc1123z(Some(t)), "Wed, 01 May 2024 10:00:03 +0000");
        assert_eq!(format_rfc1123z(None), "Mon, 01 Jan 0001 00:00:00 +0000");
        assert_eq!(format_rfc3339_nano(t), "2024-05-01T10:00:03.12Z");
        assert_eq!(format_rfc3339_nano(t - 120_000_000), "2024-05-01T10:00:03Z");
        assert_eq!(format_rfc3339_micro(t + 4567), "2024-05-01T10:00:03.120004Z");
        assert_eq!(format_rfc1123z(Some(-SECOND)), "Wed, 31 Dec 1969 23:59:59 +0000");
    }
}
