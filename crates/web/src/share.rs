//! Share links: the whole state as a scenario file (the engine's one scenario format, with
//! the playhead and the comparison), deflated and base64url-encoded into the URL fragment
//! (`#s=…`), so opening the link restores exactly what was shown. The fragment never
//! reaches a server.

use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;

use podsim::scenario::{quoted, ScenarioFile};

use crate::state::{Against, Config, GateChoice, Shared};

/// The fragment's prefix.
pub const PREFIX: &str = "#s=";
/// The prefix of the same state for an embed: the run without the editor, for docs pages.
pub const EMBED_PREFIX: &str = "#e=";
/// The first line of links made before links carried scenario files.
const LEGACY: &str = "podsim-share/1";
/// A decoded link is at most this large: a link cannot make the page allocate without bound.
const LIMIT: usize = 1 << 20;

/// What the page shows as a scenario file (the engine's one format, so a link's content also
/// runs in `podsim check`, and presets, embeds and exercises read the same): the scenario,
/// then the page's own keys, which the scenario format ignores: `playhead:` and `compare:`.
pub fn scenario_file(shared: &Shared) -> String {
    let mut text = String::from("# A Podsim scenario: podsim check FILE, or open it in the playground.\n");
    text.push_str(&shared.config.scenario().to_yaml());
    text.push_str(&crate::goals::to_yaml(&shared.config.goals));
    text.push_str(&format!("playhead: {}\n", shared.t));
    match &shared.compare {
        None => {}
        Some(Against::Gate(gate)) => text.push_str(&format!("compare: {{gate: {}}}\n", quoted(gate.word()))),
        Some(Against::Version(minor)) => text.push_str(&format!("compare: {{version: {minor}}}\n")),
        Some(Against::Manifest { text: manifest, label }) => {
            text.push_str(&format!("compare: {{label: {}, manifest: {}}}\n", quoted(label), quoted(manifest)));
        }
    }
    text
}

/// The fragment (with its `#s=`) for what the page shows: [`scenario_file`], deflated.
pub fn encode(shared: &Shared) -> String {
    format!("{PREFIX}{}", base64url(&compress_to_vec(scenario_file(shared).as_bytes(), 9)))
}

/// The fragment (with its `#e=`) that shows the same state as an embed.
pub fn encode_embed(shared: &Shared) -> String {
    format!("{EMBED_PREFIX}{}", &encode(shared)[PREFIX.len()..])
}

/// Whether a fragment asks for the embed view.
pub fn is_embed(fragment: &str) -> bool {
    fragment.starts_with(EMBED_PREFIX)
}

/// What a fragment made by [`encode`] (or by an older version) carries; `None` for anything
/// else.
pub fn decode(fragment: &str) -> Option<Shared> {
    let payload = fragment.strip_prefix(PREFIX).or_else(|| fragment.strip_prefix(EMBED_PREFIX))?;
    let bytes = unbase64url(payload)?;
    let text = String::from_utf8(decompress_to_vec_with_limit(&bytes, LIMIT).ok()?).ok()?;
    match text.strip_prefix(LEGACY) {
        Some(rest) => legacy(rest.strip_prefix('\n')?),
        None => read(&text),
    }
}

fn read(text: &str) -> Option<Shared> {
    let file = ScenarioFile::load(text).ok()?;
    let mut config = Config { goals: crate::goals::of(&file), ..Config::from_scenario(&file.scenario) };
    if !crate::state::versions().any(|v| v == config.minor) || config.until > podsim::settings::MAX_UNTIL {
        return None;
    }
    config.actions.sort_by_key(|a| a.at);
    let doc = podsim::yaml::parse_documents(text).ok()?.first()?.to_json();
    let t = match doc.get("playhead") {
        None => 0.0,
        Some(v) => v.as_f64().filter(|t| t.is_finite())?,
    };
    let compare = match doc.get("compare") {
        None => None,
        Some(c) => Some(if let Some(gate) = c.get("gate") {
            Against::Gate(GateChoice::from_word(gate.as_str()?)?)
        } else if let Some(minor) = c.get("version") {
            let minor = u32::try_from(minor.as_u64()?).ok()?;
            Against::Version(Some(minor).filter(|m| crate::state::versions().any(|v| v == *m))?)
        } else {
            Against::Manifest {
                text: c.get("manifest")?.as_str()?.to_owned(),
                label: c.get("label")?.as_str()?.to_owned(),
            }
        }),
    };
    Some(Shared { config, compare, t })
}

/// Links of the first format: a `key=value` header, `---`, the manifest.
fn legacy(text: &str) -> Option<Shared> {
    let (head, manifest) = text.split_once("---\n")?;
    let mut config = Config::new(manifest.to_owned());
    let mut t = 0.0;
    for line in head.lines() {
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
    Some(Shared { config, compare: None, t })
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
    use crate::state::Scope;
    use podsim::settings::{Gate, Validate};

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
        config.minor = 33;
        config.gate = GateChoice::Off;
        config.validate = Validate::Warn;
        config.gates.insert((Scope::Kubelet, Gate::SidecarContainers), false);
        config.gates.insert((Scope::All, Gate::ReduceDefaultCrashLoopBackOffDecay), true);
        config.until = 120_000;
        config.actions.push(podsim::Action { at: 30_000, command: "kubectl delete pod web".to_owned() });
        let state = shared(config, Some(Against::Version(29)), 42.5);
        assert_eq!(state.config.gates.len(), 2);
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
    fn an_embed_link_carries_the_same_state() {
        let state = shared(Config::new("kind: Pod\n".to_owned()), Some(Against::Version(30)), 2.0);
        let embed = encode_embed(&state);
        assert!(is_embed(&embed) && !is_embed(&encode(&state)));
        assert_eq!(decode(&embed), Some(state));
    }

    #[test]
    fn a_link_carries_the_goals() {
        let preset = crate::presets::find("native-job.yaml").expect("preset");
        let state = shared(Config::from_preset(&preset), None, 5.0);
        assert!(!state.config.goals.is_empty());
        assert_eq!(decode(&encode(&state)), Some(state));
    }

    #[test]
    fn links_of_the_first_format_still_open() {
        let text = "podsim-share/1\nk8s=28\ngate=off\nuntil=120000\nt=42.5\naction=30000 kubectl delete pod web\n---\nkind: Pod\n";
        let link = format!("{PREFIX}{}", base64url(&compress_to_vec(text.as_bytes(), 9)));
        let shared = decode(&link).expect("a legacy link");
        assert_eq!(
            (shared.config.minor, shared.config.gate, shared.config.until, shared.t),
            (28, GateChoice::Off, 120_000, 42.5)
        );
        assert_eq!(shared.config.manifest, "kind: Pod\n");
        assert_eq!(shared.config.actions, [podsim::Action { at: 30_000, command: "kubectl delete pod web".into() }]);
    }

    #[test]
    fn a_link_holds_a_scenario_file_the_cli_can_check() {
        let mut config = Config::new("kind: Pod\n".to_owned());
        config.minor = 30;
        let text = scenario_file(&shared(config, None, 1.0));
        let file = ScenarioFile::load(&text).expect("a scenario file");
        assert_eq!(file.scenario.settings.version.minor, 30);
        assert_eq!(file.scenario.manifest, "kind: Pod\n");
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
