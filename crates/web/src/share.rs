//! Share links: the whole configuration and the playhead, deflated and base64url-encoded
//! into the URL fragment (`#s=…`), so opening the link restores exactly what was shown.
//! The fragment never reaches a server.

use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;

use crate::state::{Config, GateChoice};

/// The fragment's prefix.
pub const PREFIX: &str = "#s=";
const MAGIC: &str = "podsim-share/1";
/// A decoded link is at most this large: a link cannot make the page allocate without bound.
const LIMIT: usize = 1 << 20;

/// The fragment (with its `#s=`) for a configuration at playhead `t`.
pub fn encode(config: &Config, t: f64) -> String {
    let mut text =
        format!("{MAGIC}\nk8s={}\ngate={}\nuntil={}\nt={t}\n", config.minor, config.gate.word(), config.until);
    for action in &config.actions {
        text.push_str(&format!("action={} {}\n", action.at, action.command.replace('\n', " ")));
    }
    text.push_str("---\n");
    text.push_str(&config.manifest);
    format!("{PREFIX}{}", base64url(&compress_to_vec(text.as_bytes(), 9)))
}

/// The configuration and playhead of a fragment made by [`encode`]; `None` for anything else.
pub fn decode(fragment: &str) -> Option<(Config, f64)> {
    let bytes = unbase64url(fragment.strip_prefix(PREFIX)?)?;
    let text = String::from_utf8(decompress_to_vec_with_limit(&bytes, LIMIT).ok()?).ok()?;
    let (head, manifest) = text.split_once("\n---\n")?;
    let mut lines = head.lines();
    if lines.next()? != MAGIC {
        return None;
    }
    let mut config = Config::new(manifest.to_owned());
    let mut t = 0.0;
    for line in lines {
        let (key, value) = line.split_once('=')?;
        match key {
            "k8s" => config.minor = value.parse().ok().filter(|m| crate::state::versions().any(|v| v == *m))?,
            "gate" => config.gate = GateChoice::from_word(value)?,
            "until" => config.until = value.parse().ok().filter(|u| *u <= podsim::settings::MAX_UNTIL)?,
            "t" => t = value.parse::<f64>().ok().filter(|t| t.is_finite())?,
            "action" => {
                let (at, command) = value.split_once(' ')?;
                config.actions.push(podsim::Action { at: at.parse().ok()?, command: command.to_owned() });
            }
            _ => return None,
        }
    }
    Some((config, t))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 §5 base64url without padding.
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        let data: Vec<u8> = (0..=255).collect();
        for n in 0..20 {
            assert_eq!(unbase64url(&base64url(&data[..n])).as_deref(), Some(&data[..n]));
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
        assert_eq!(base64url(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn a_link_restores_the_configuration_and_playhead() {
        let mut config = Config::new("kind: Pod\n# é ---\n---\nkind: Job\n".to_owned());
        config.minor = 28;
        config.gate = GateChoice::Off;
        config.until = 120_000;
        config.actions.push(podsim::Action { at: 30_000, command: "kubectl delete pod web".to_owned() });
        let link = encode(&config, 42.5);
        assert!(link.starts_with(PREFIX));
        assert!(link[PREFIX.len()..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&link), Some((config, 42.5)));
    }

    #[test]
    fn anything_else_is_not_a_link() {
        for bad in ["", "#s=", "#s=!!!", "#other", &format!("{PREFIX}{}", base64url(&compress_to_vec(b"x\n---\n", 9)))]
        {
            assert_eq!(decode(bad), None, "{bad}");
        }
        let mut config = Config::new("kind: Pod".to_owned());
        config.minor = 99;
        assert_eq!(decode(&encode(&config, 0.0)), None, "unknown version");
    }
}
