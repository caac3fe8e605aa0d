//! Command-line arguments, exactly as the conformance contract spells them.

use std::collections::BTreeMap;

use podsim::settings::{KubeVersion, Settings, Validate};
use podsim::Action;

pub const USAGE: &str = "\
podsim: a kubelet-faithful Kubernetes pod simulator

Usage:
  podsim run MANIFEST.yaml [SETTINGS] [--output json|text]
  podsim kubectl MANIFEST.yaml [SETTINGS] [--at DURATION] -- KUBECTL-ARGS...
  podsim check SCENARIO.yaml... [SETTINGS] [--output json|text]

MANIFEST and SCENARIO may be - for standard input.

check runs scenario files (name, k8s, featureGates, until, actions, manifest, expect)
and prints `ok   EXPECTATION` or `FAIL EXPECTATION: WHY` for each expectation, then
`FILE: N passed, M failed`. Settings given on the command line override the file's
own (gates one by one; --action adds to its actions). --output json prints one report
for graders: [{file, name, passed, failed, expectations: [{expectation, ok, failure}]}].
Exit status: 0 when every expectation holds, 1 when one fails, 2 for usage errors,
unreadable files or YAML, and files without expectations.

Settings:
  --k8s 1.29                         Kubernetes minor version to simulate (1.27 to 1.34)
  --feature-gates A=true,B=false     gates for every component
  --apiserver-feature-gates ...      gates for the API server only
  --kubelet-feature-gates ...        gates for the kubelet only
  --validate strict|warn|false       kubectl's field validation (default strict)
  --until 10m                        simulated time to run (default 10m)
  --action \"30s: kubectl delete pod NAME --grace-period=5\"   a timed action (repeatable)
  --seed N                           seed for generated names and jitter (default 0)
";

pub enum Output {
    Json,
    Text,
}

pub struct Common {
    pub manifest: String,
    pub settings: Settings,
    pub actions: Vec<Action>,
}

/// The settings flags that were given, to apply over defaults (`run`, `kubectl`) or over a
/// scenario file's own settings (`check`).
#[derive(Default)]
pub struct SettingsFlags {
    pub version: Option<KubeVersion>,
    pub feature_gates: BTreeMap<String, bool>,
    pub apiserver_gates: BTreeMap<String, bool>,
    pub kubelet_gates: BTreeMap<String, bool>,
    pub validate: Option<Validate>,
    pub until: Option<podsim::trace::Millis>,
    pub seed: Option<u64>,
}

impl SettingsFlags {
    /// `base` with every given flag over it; gates one by one, so a file's other gates stay.
    pub fn apply(&self, mut base: Settings) -> Settings {
        if let Some(v) = self.version {
            base.version = v;
        }
        base.feature_gates.extend(self.feature_gates.clone());
        base.apiserver_gates.extend(self.apiserver_gates.clone());
        base.kubelet_gates.extend(self.kubelet_gates.clone());
        if let Some(v) = self.validate {
            base.validate = v;
        }
        if let Some(v) = self.until {
            base.until = v;
        }
        if let Some(v) = self.seed {
            base.seed = v;
        }
        base
    }
}

pub enum Invocation {
    Help,
    Version,
    Run {
        common: Common,
        output: Output,
    },
    Kubectl {
        common: Common,
        at: Option<u64>,
        kubectl_args: Vec<String>,
    },
    /// Scenario files to check; `flags` and `actions` go over each file's own.
    Check {
        files: Vec<String>,
        flags: SettingsFlags,
        actions: Vec<Action>,
        output: Output,
    },
}

pub fn parse(argv: &[String]) -> Result<Invocation, String> {
    let Some(command) = argv.first() else { return Ok(Invocation::Help) };
    match command.as_str() {
        "-h" | "--help" | "help" => return Ok(Invocation::Help),
        "-V" | "--version" | "version" => return Ok(Invocation::Version),
        "run" | "kubectl" | "check" => {}
        other => return Err(format!("error: unknown command {other:?}\n\n{USAGE}")),
    }
    let (own, kubectl_args) = match argv.iter().position(|a| a == "--") {
        Some(i) => (&argv[1..i], argv[i + 1..].to_vec()),
        None => (&argv[1..], Vec::new()),
    };
    let mut flags = SettingsFlags::default();
    let mut actions = Vec::new();
    let mut positional = Vec::new();
    let mut output = Output::Text;
    let mut at = None;
    let mut it = own.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("error: flag needs an argument: {name}"))
        };
        match flag {
            "-h" | "--help" => return Ok(Invocation::Help),
            "--k8s" => flags.version = Some(KubeVersion::parse(&value(flag)?)?),
            "--feature-gates" => flags.feature_gates.extend(Settings::parse_gates(&value(flag)?)?),
            "--apiserver-feature-gates" => flags.apiserver_gates.extend(Settings::parse_gates(&value(flag)?)?),
            "--kubelet-feature-gates" => flags.kubelet_gates.extend(Settings::parse_gates(&value(flag)?)?),
            "--validate" => flags.validate = Some(Validate::parse(&value(flag)?)?),
            "--until" => flags.until = Some(podsim::duration::parse(&value(flag)?)?),
            "--seed" => {
                let v = value(flag)?;
                flags.seed = Some(v.parse().map_err(|_| format!("error: invalid --seed {v:?}"))?);
            }
            "--action" => actions.push(Action::parse(&value(flag)?)?),
            "--output" | "-o" => {
                output = match value(flag)?.as_str() {
                    "json" => Output::Json,
                    "text" => Output::Text,
                    other => return Err(format!("error: unknown output format {other:?}: use json or text")),
                }
            }
            "--at" if command == "check" => return Err(format!("error: --at is only for podsim kubectl\n\n{USAGE}")),
            "--at" => at = Some(podsim::duration::parse(&value(flag)?)?),
            _ if flag.starts_with('-') && flag != "-" => return Err(format!("error: unknown flag: {flag}\n\n{USAGE}")),
            _ if positional.is_empty() || command == "check" => positional.push(arg.clone()),
            _ => return Err(format!("error: unexpected argument {arg:?}")),
        }
    }
    if flags.until.is_some_and(|u| u > podsim::settings::MAX_UNTIL) {
        return Err(format!(
            "error: --until is longer than podsim's budget of {}h of simulated time",
            podsim::settings::MAX_UNTIL / 3_600_000
        ));
    }
    if command == "check" {
        if positional.is_empty() {
            return Err(format!("error: missing SCENARIO\n\n{USAGE}"));
        }
        if !kubectl_args.is_empty() {
            return Err("error: podsim check takes no arguments after --".into());
        }
        return Ok(Invocation::Check { files: positional, flags, actions, output });
    }
    let manifest = positional.pop().ok_or_else(|| format!("error: missing MANIFEST\n\n{USAGE}"))?;
    let common = Common { manifest, settings: flags.apply(Settings::default()), actions };
    Ok(match command.as_str() {
        "run" => Invocation::Run { common, output },
        _ => {
            if kubectl_args.is_empty() {
                return Err("error: missing kubectl arguments after --".into());
            }
            Invocation::Kubectl { common, at, kubectl_args }
        }
    })
}
