//! Durations as people and kubectl write them (`90s`, `10m`, `1h30m`, `2d`, `1.5s`, `250ms`).

use crate::trace::Millis;

/// Parses a duration into milliseconds. A bare number is seconds.
pub fn parse(text: &str) -> Result<Millis, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    if let Ok(n) = s.parse::<f64>() {
        return to_millis(n, 1000.0, text);
    }
    let mut total: f64 = 0.0;
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if num_len == 0 {
            return Err(format!("invalid duration {text:?}"));
        }
        let n: f64 = rest[..num_len].parse().map_err(|_| format!("invalid duration {text:?}"))?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            _ => return Err(format!("invalid duration {text:?}: unknown unit {:?}", &rest[..unit_len])),
        };
        rest = &rest[unit_len..];
        total += n * scale;
    }
    to_millis(total, 1.0, text)
}

/// Milliseconds as the shortest duration [`parse`] reads back exactly: `10m`, `90s`, `250ms`.
pub fn format(ms: Millis) -> String {
    match ms {
        0 => "0s".to_owned(),
        ms if ms % 3_600_000 == 0 => format!("{}h", ms / 3_600_000),
        ms if ms % 60_000 == 0 => format!("{}m", ms / 60_000),
        ms if ms % 1000 == 0 => format!("{}s", ms / 1000),
        ms => format!("{ms}ms"),
    }
}

fn to_millis(n: f64, scale: f64, text: &str) -> Result<Millis, String> {
    let ms = n * scale;
    if !ms.is_finite() || !(0.0..=1e15).contains(&ms) {
        return Err(format!("duration {text:?} is out of range"));
    }
    Ok(ms.round() as Millis)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn parses_kubectl_style_durations() {
        assert_eq!(parse("90s"), Ok(90_000));
        assert_eq!(parse("10m"), Ok(600_000));
        assert_eq!(parse("1h30m"), Ok(5_400_000));
        assert_eq!(parse("2d"), Ok(172_800_000));
        assert_eq!(parse("1.5s"), Ok(1_500));
        assert_eq!(parse("250ms"), Ok(250));
        assert_eq!(parse("42"), Ok(42_000));
        assert!(parse("10x").is_err());
        for ms in [0, 1, 250, 1000, 90_500, 90_000, 600_000, 3_600_000, 5_400_000, 86_400_000] {
            assert_eq!(parse(&super::format(ms)), Ok(ms), "{}", super::format(ms));
        }
        assert_eq!(super::format(5_400_000), "90m");
        assert!(parse("").is_err());
        assert!(parse("-5s").is_err());
    }
}
