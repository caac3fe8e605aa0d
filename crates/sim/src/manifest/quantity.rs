//! Resource quantities (`k8s.io/apimachinery/pkg/api/resource`): parsing with the API's error
//! texts, and the canonical form the API server stores and prints (`0.5` → `500m`,
//! `1024Mi` → `1Gi`). Values are kept in nano-units, the precision Kubernetes rounds up to.

/// ErrFormatWrong, the text a decode error shows for an unparsable quantity.
pub(super) const ERR_FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const ERR_SUFFIX: &str = "unable to parse quantity's suffix";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    DecimalSI,
    BinarySI,
    DecimalExponent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Quantity {
    /// The value in units of 10⁻⁹, rounded up; `None` when it does not fit (absurdly large).
    pub nanos: Option<i128>,
    format: Format,
    original: String,
}

const NANO: i128 = 1_000_000_000;

impl Quantity {
    /// quantity.go `ParseQuantity`.
    pub fn parse(text: &str) -> Result<Quantity, &'static str> {
        let s = text.trim();
        if s.is_empty() {
            return Err(ERR_FORMAT_WRONG);
        }
        let b = s.as_bytes();
        let mut pos = 0;
        let positive = match b[0] {
            b'-' => {
                pos += 1;
                false
            }
            b'+' => {
                pos += 1;
                true
            }
            _ => true,
        };
        let digits_end = |from: usize| (from..b.len()).find(|&i| !b[i].is_ascii_digit()).unwrap_or(b.len());
        let num_end = digits_end(pos);
        let num = &s[pos..num_end];
        pos = num_end;
        let mut denom = "";
        if pos < b.len() && b[pos] == b'.' {
            let end = digits_end(pos + 1);
            denom = &s[pos + 1..end];
            pos = end;
        }
        if num.is_empty() && denom.is_empty() && !s[..pos].contains('.') {
            // No digits at all ("abc", "-"): upstream falls through to the suffix check and fails.
            return Err(ERR_FORMAT_WRONG);
        }
        let suffix = &s[pos..];
        // The suffix is letters from "eEinumkKMGTP", then an optional signed integer.
        let letters_end = suffix.bytes().position(|c| !b"eEinumkKMGTP".contains(&c)).unwrap_or(suffix.len());
        let mut rest = &suffix[letters_end..];
        rest = rest.strip_prefix(['-', '+']).unwrap_or(rest);
        if !rest.bytes().all(|c| c.is_ascii_digit()) {
            return Err(ERR_FORMAT_WRONG);
        }
        let (format, base2, exp): (Format, bool, i32) = match suffix {
            "" => (Format::DecimalSI, false, 0),
            "n" => (Format::DecimalSI, false, -9),
            "u" => (Format::DecimalSI, false, -6),
            "m" => (Format::DecimalSI, false, -3),
            "k" => (Format::DecimalSI, false, 3),
            "M" => (Format::DecimalSI, false, 6),
            "G" => (Format::DecimalSI, false, 9),
            "T" => (Format::DecimalSI, false, 12),
            "P" => (Format::DecimalSI, false, 15),
            "E" => (Format::DecimalSI, false, 18),
            "Ki" => (Format::BinarySI, true, 10),
            "Mi" => (Format::BinarySI, true, 20),
            "Gi" => (Format::BinarySI, true, 30),
            "Ti" => (Format::BinarySI, true, 40),
            "Pi" => (Format::BinarySI, true, 50),
            "Ei" => (Format::BinarySI, true, 60),
            other if other.len() > 1 && (other.starts_with('e') || other.starts_with('E')) => {
                match other[1..].parse::<i32>() {
                    Ok(e) if e.abs() < 1000 => (Format::DecimalExponent, false, e),
                    _ => return Err(ERR_SUFFIX),
                }
            }
            _ => return Err(ERR_SUFFIX),
        };
        let nanos = compute_nanos(num, denom, base2, exp).map(|n| if positive { n } else { -n });
        Ok(Quantity { nanos, format, original: s.to_string() })
    }

    /// quantity.go `CanonicalizeBytes`: the text the API server stores.
    pub fn canonical(&self) -> String {
        let Some(n) = self.nanos else { return self.original.clone() };
        if n == 0 {
            return "0".into();
        }
        let sign = if n < 0 { "-" } else { "" };
        let abs = n.unsigned_abs();
        let mut format = self.format;
        if format == Format::BinarySI && (abs < 1024 * NANO as u128 || abs % NANO as u128 != 0) {
            format = Format::DecimalSI;
        }
        if format == Format::BinarySI {
            let mut m = abs / NANO as u128;
            let mut k = 0;
            while k < 6 && m.is_multiple_of(1024) {
                m /= 1024;
                k += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][k];
            return format!("{sign}{m}{suffix}");
        }
        // Strip factors of ten, then lower the exponent to a multiple of three.
        let mut m = abs;
        let mut e: i32 = -9;
        while m % 10 == 0 {
            m /= 10;
            e += 1;
        }
        let down = e.rem_euclid(3);
        let mut e3 = e - down;
        m *= 10u128.pow(down as u32);
        if format == Format::DecimalSI && e3 > 18 {
            m = m.saturating_mul(10u128.saturating_pow((e3 - 18) as u32));
            e3 = 18;
        }
        let suffix = match (format, e3) {
            (Format::DecimalExponent, 0) => String::new(),
            (Format::DecimalExponent, e) => format!("e{e}"),
            (_, -9) => "n".into(),
            (_, -6) => "u".into(),
            (_, -3) => "m".into(),
            (_, 3) => "k".into(),
            (_, 6) => "M".into(),
            (_, 9) => "G".into(),
            (_, 12) => "T".into(),
            (_, 15) => "P".into(),
            (_, 18) => "E".into(),
            _ => String::new(),
        };
        format!("{sign}{m}{suffix}")
    }

    /// `Value()`: whole units, rounded up.
    pub fn whole_units(&self) -> Option<i64> {
        let n = self.nanos?;
        let units = if n >= 0 { (n + NANO - 1) / NANO } else { n / NANO };
        i64::try_from(units).ok()
    }
}

/// `num.denom × base^exp` in nano-units, rounded up (away from zero); `None` on overflow.
fn compute_nanos(num: &str, denom: &str, base2: bool, exp: i32) -> Option<i128> {
    let digits: String = format!("{num}{denom}");
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(0);
    }
    if digits.len() > 36 {
        return None;
    }
    let mantissa: i128 = digits.parse().ok()?;
    let mut scale10: i32 = 9 - denom.len() as i32;
    let mut value = mantissa;
    if base2 {
        value = value.checked_mul(1i128.checked_shl(exp as u32)?)?;
    } else {
        scale10 += exp;
    }
    if scale10 >= 0 {
        value.checked_mul(10i128.checked_pow(scale10 as u32)?)
    } else {
        let div = match 10i128.checked_pow((-scale10) as u32) {
            Some(d) => d,
            None => return Some(1),
        };
        Some((value + div - 1) / div)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Quantity::parse(s).map(|q| q.canonical()).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn canonical_forms_match_the_api_server() {
        assert_eq!(canon("0.5"), "500m");
        assert_eq!(canon("1024Mi"), "1Gi");
        assert_eq!(canon("1000Mi"), "1000Mi");
        assert_eq!(canon("1500"), "1500");
        assert_eq!(canon("100000"), "100k");
        assert_eq!(canon("100m"), "100m");
        assert_eq!(canon("0.5Gi"), "512Mi");
        assert_eq!(canon("1e3"), "1e3");
        assert_eq!(canon("128974848"), "128974848");
        assert_eq!(canon("1x"), ERR_FORMAT_WRONG);
        assert_eq!(canon("1K"), ERR_SUFFIX);
        assert_eq!(canon("0.0000000001"), "1n");
        assert_eq!(Quantity::parse("64Mi").ok().and_then(|q| q.whole_units()), Some(67_108_864));
        assert!(Quantity::parse("9999999999999999999999999999999999999999E").is_ok());
    }
}
