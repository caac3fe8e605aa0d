//! The `podsim` command line: the engine on the terminal, for people, tests, graders and CI.
//!
//! ```text
//! podsim run MANIFEST.yaml [SETTINGS] [--output json|text]
//! podsim kubectl MANIFEST.yaml [SETTINGS] [--at DURATION] -- KUBECTL-ARGS...
//! podsim check SCENARIO.yaml... [SETTINGS] [--output json|text]
//! ```

mod args;
mod check;

use std::io::{Read, Write};
use std::process::ExitCode;

use args::{Invocation, Output};

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match run(&argv) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

fn run(argv: &[String]) -> Result<ExitCode, String> {
    let inv = args::parse(argv)?;
    let (command, common) = match &inv {
        Invocation::Help => {
            print!("{}", args::USAGE);
            return Ok(ExitCode::SUCCESS);
        }
        Invocation::Version => {
            println!("podsim {}", env!("CARGO_PKG_VERSION"));
            return Ok(ExitCode::SUCCESS);
        }
        Invocation::Check { files, flags, actions, output } => return check::run(files, flags, actions, output),
        Invocation::Run { common, .. } => ("run", common),
        Invocation::Kubectl { common, .. } => ("kubectl", common),
    };
    let text = read_manifest(&common.manifest)?;
    let scenario =
        podsim::Scenario { manifest: text, settings: common.settings.clone(), actions: common.actions.clone() };
    let trace = match podsim::simulate(&scenario) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}:{}:{}: {}", common.manifest, e.line, e.column, e.message);
            return Ok(ExitCode::from(1));
        }
    };
    let mut out = std::io::stdout().lock();
    match inv {
        Invocation::Run { output: Output::Json, .. } => {
            writeln!(out, "{}", trace.to_json()).map_err(|e| e.to_string())?;
        }
        Invocation::Run { output: Output::Text, .. } => {
            write!(out, "{}", podsim::report::text(&trace)).map_err(|e| e.to_string())?;
        }
        Invocation::Kubectl { at, kubectl_args, .. } => {
            let at = at.map_or(trace.settings.until, |ms| ms as f64 / 1000.0);
            let result = podsim::kubectl::run(&trace, at, &kubectl_args);
            write!(out, "{}", result.stdout).map_err(|e| e.to_string())?;
            eprint!("{}", result.stderr);
            return Ok(ExitCode::from(u8::try_from(result.exit_code).unwrap_or(1)));
        }
        Invocation::Help | Invocation::Version | Invocation::Check { .. } => {}
    }
    let _ = command;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn read_manifest(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| format!("error: reading standard input: {e}"))?;
        return Ok(s);
    }
    std::fs::read_to_string(path).map_err(|e| format!("error: the path \"{path}\" cannot be read: {e}"))
}
