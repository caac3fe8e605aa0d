//! Share links: the whole configuration and the playhead, deflated and base64url-encoded
//! into the URL fragment (`#s=…`), so opening the link restores exactly what was shown.
//! The fragment never reaches a server.

use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;

use podsim::settings::{Gate, Validate};

use crate::state::{Against, Config, GateChoice, Scope, Shared};

/// The fragment's prefix.
pub const PREFIX: &str = "#s=";
const MAGIC: &str = "podsim-share/1";
/// A decoded link is at most this large: a link cannot make the page allocate without bound.
const LIMIT: usize = 1 << 20;

/// The fragment (with its `#s=`) for what the page shows.
///
/// A line-based header, `---`, then the manifest to compare with (when there is one, its
/// length is in the header) followed by the editor's manifest.
pub fn encode(shared: &Shared) -> String {
    let config = &shared.config;
    let mut text = format!(
        "{MAGIC}\nk8s={}\ngate={}\nvalidate={}\nuntil={}\nt={}\n",
        config.minor,
        config.gate.word(),
        config.validate.as_str(),
        config.until,
        shared.t
    );
    for ((scope, gate), on) in &config.gates {
        text.push_str(&format!("feature={} {} {on}\n", scope.word(), gate.name()));
    }
    for action in &config.actions {
        text.push_str(&format!("action={} {}\n", action.at, action.command.replace('\n', " ")));
    }
    let mut other = "";
    match &shared.compare {
        None => {}
        Some(Against::Gate(gate)) => text.push_str(&format!("compare=gate {}\n", gate.word())),
        Some(Against::Version(minor)) => text.push_str(&format!("compare=version {minor}\n")),
        Some(Against::Manifest { text: manifest, label }) => {
            text.push_str(&format!("compare=manifest {} {}\n", manifest.len(), label.replace('\n', " ")));
            other = manifest;
        }
    }
    text.push_str("---\n");
    text.push_str(other);
    text.push_str(&config.manifest);
    format!("{PREFIX}{}", base64url(&compress_to_vec(text.as_bytes(), 9)))
}

/// What a fragment made by [`encode`] carries; `None` for anything else.
pub fn decode(fragment: &str) -> Option<Shared> {
    let bytes = unbase64url(fragment.strip_prefix(PREFIX)?)?;
    let text = String::from_utf8(decompress_to_vec_with_limit(&bytes, LIMIT).ok()?).ok()?;
    let (head, mut manifest) = text.split_once("\n---\n")?;
    let mut lines = head.lines();
    if lines.next()? != MAGIC {
        return None;
    }
    let mut config = Config::new(String::new());
    let (mut t, mut compare) = (0.0, None);
    for line in lines {
        let (key, value) = line.split_once('=')?;
        match key {
            "k8s" => config.minor = value.parse().ok().filter(|m| crate::state::versions().any(|v| v == *m))?,
            "gate" => config.gate = GateChoice::from_word(value)?,
            "validate" => config.validate = Validate::parse(value).ok()?,
            "until" => config.until = value.parse().ok().filter(|u| *u <= podsim::settings::MAX_UNTIL)?,
            "t" => t = value.parse::<f64>().ok().filter(|t| t.is_finite())?,
            "feature" => {
                let mut words = value.split(' ');
                let scope = Scope::from_word(words.next()?)?;
                let gate = Gate::from_name(words.next()?)?;
                config.gates.insert((scope, gate), words.next()?.parse().ok()?);
            }
            "action" => {
                let (at, command) = value.split_once(' ')?;
                config.actions.push(podsim::Action { at: at.parse().ok()?, command: command.to_owned() });
            }
            "compare" => {
                let (kind, rest) = value.split_once(' ')?;
                compare = Some(match kind {
                    "gate" => Against::Gate(GateChoice::from_word(rest)?),
                    "version" => {
                        Against::Version(rest.parse().ok().filter(|m| crate::state::versions().any(|v| v == *m))?)
                    }
                    "manifest" => {
                        let (len, label) = rest.split_once(' ')?;
                        let len: usize = len.parse().ok()?;
                        let other = manifest.get(..len)?;
                        manifest = &manifest[len..];
                        Against::Manifest { text: other.to_owned(), label: label.to_owned() }
                    }
                    _ => return None,
                });
            }
            _ => return None,
        }
    }
    config.manifest = manifest.to_owned();
    Some(Shared { config, compare, t })
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

    fn shared(config: Config, compare: Option<Against>, t: f64) -> Shared {
        Shared { config, compare, t }
    }

    #[test]
    fn a_link_restores_the_configuration_and_playhead() {
        let mut config = Config::new("kind: Pod\n# é ---\n---\nkind: Job\n".to_owned());
        config.minor = 28;
        config.gate = GateChoice::Off;
        config.validate = Validate::Warn;
        config.gates.insert((Scope::Kubelet, Gate::SidecarContainers), false);
        config.gates.insert((Scope::All, Gate::ReduceDefaultCrashLoopBackOffDecay), true);
        config.until = 120_000;
        config.actions.push(podsim::Action { at: 30_000, command: "kubectl delete pod web".to_owned() });
        let state = shared(config, Some(Against::Version(29)), 42.5);
        let link = encode(&state);
        assert!(link.starts_with(PREFIX));
        assert!(link[PREFIX.len()..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&link), Some(state));
    }

    #[test]
    fn a_link_carries_the_manifest_compared_with() {
        let before = "kind: Job\n---\n# ünïcode\n".to_owned();
        let against = Against::Manifest { text: before, label: "before conversion".to_owned() };
        for compare in [Some(against), Some(Against::Gate(GateChoice::On)), None] {
            let state = shared(Config::new("kind: Pod\n---\nkind: Job\n".to_owned()), compare, 3.0);
            assert_eq!(decode(&encode(&state)), Some(state));
        }
    }

    #[test]
    fn anything_else_is_not_a_link() {
        for bad in ["", "#s=", "#s=!!!", "#other", &format!("{PREFIX}{}", base64url(&compress_to_vec(b"x\n---\n", 9)))]
        {
            assert_eq!(decode(bad), None, "{bad}");
        }
        let mut config = Config::new("kind: Pod".to_owned());
        config.minor = 99;
        assert_eq!(decode(&encode(&shared(config, None, 0.0))), None, "unknown version");
    }
}
