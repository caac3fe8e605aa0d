//! Command-line arguments, exactly as the conformance contract spells them.

use podsim::settings::{KubeVersion, Settings, Validate};
use podsim::Action;

pub const USAGE: &str = "\
podsim: a kubelet-faithful Kubernetes pod simulator

Usage:
  podsim run MANIFEST.yaml [SETTINGS] [--output json|text]
  podsim kubectl MANIFEST.yaml [SETTINGS] [--at DURATION] -- KUBECTL-ARGS...

MANIFEST may be - for standard input.

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

pub enum Invocation {
    Help,
    Version,
    Run { common: Common, output: Output },
    Kubectl { common: Common, at: Option<u64>, kubectl_args: Vec<String> },
}

pub fn parse(argv: &[String]) -> Result<Invocation, String> {
    let Some(command) = argv.first() else { return Ok(Invocation::Help) };
    match command.as_str() {
        "-h" | "--help" | "help" => return Ok(Invocation::Help),
        "-V" | "--version" | "version" => return Ok(Invocation::Version),
        "run" | "kubectl" => {}
        other => return Err(format!("error: unknown command {other:?}\n\n{USAGE}")),
    }
    let (own, kubectl_args) = match argv.iter().position(|a| a == "--") {
        Some(i) => (&argv[1..i], argv[i + 1..].to_vec()),
        None => (&argv[1..], Vec::new()),
    };
    let mut settings = Settings::default();
    let mut actions = Vec::new();
    let mut manifest = None;
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
            "--k8s" => settings.version = KubeVersion::parse(&value(flag)?)?,
            "--feature-gates" => settings.feature_gates.extend(Settings::parse_gates(&value(flag)?)?),
            "--apiserver-feature-gates" => settings.apiserver_gates.extend(Settings::parse_gates(&value(flag)?)?),
            "--kubelet-feature-gates" => settings.kubelet_gates.extend(Settings::parse_gates(&value(flag)?)?),
            "--validate" => settings.validate = Validate::parse(&value(flag)?)?,
            "--until" => settings.until = podsim::duration::parse(&value(flag)?)?,
            "--seed" => {
                let v = value(flag)?;
                settings.seed = v.parse().map_err(|_| format!("error: invalid --seed {v:?}"))?;
            }
            "--action" => actions.push(Action::parse(&value(flag)?)?),
            "--output" | "-o" => {
                output = match value(flag)?.as_str() {
                    "json" => Output::Json,
                    "text" => Output::Text,
                    other => return Err(format!("error: unknown output format {other:?}: use json or text")),
                }
            }
            "--at" => at = Some(podsim::duration::parse(&value(flag)?)?),
            _ if flag.starts_with('-') && flag != "-" => return Err(format!("error: unknown flag: {flag}\n\n{USAGE}")),
            _ if manifest.is_none() => manifest = Some(arg.clone()),
            _ => return Err(format!("error: unexpected argument {arg:?}")),
        }
    }
    if settings.until > podsim::settings::MAX_UNTIL {
        return Err(format!(
            "error: --until is longer than podsim's budget of {}h of simulated time",
            podsim::settings::MAX_UNTIL / 3_600_000
        ));
    }
    let manifest = manifest.ok_or_else(|| format!("error: missing MANIFEST\n\n{USAGE}"))?;
    let common = Common { manifest, settings, actions };
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
