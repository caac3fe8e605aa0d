//! `podsim check`: runs scenario files and reports which of their expectations hold, for
//! people (one line per expectation) or graders (`--output json`).

use std::io::Write;
use std::process::ExitCode;

use podsim::diag::Severity;
use podsim::scenario::ScenarioFile;
use podsim::Action;
use serde_json::{json, Value};

use crate::args::{Output, SettingsFlags};

/// One expectation's verdict.
struct Verdict {
    /// As written in the file.
    text: String,
    value: Value,
    failure: Option<String>,
}

/// One file's outcome: its verdicts, or why it could not be checked (`FILE:LINE:COLUMN: …`).
struct FileReport {
    file: String,
    name: Option<String>,
    outcome: Result<Vec<Verdict>, String>,
}

impl FileReport {
    fn counts(&self) -> (usize, usize) {
        let verdicts = self.outcome.as_deref().unwrap_or_default();
        let failed = verdicts.iter().filter(|v| v.failure.is_some()).count();
        (verdicts.len() - failed, failed)
    }
}

/// Checks every file; exit 0 when every expectation holds, 1 when one fails, 2 when a file
/// cannot be checked (unreadable, bad YAML, nothing to check).
pub fn run(files: &[String], flags: &SettingsFlags, actions: &[Action], output: &Output) -> Result<ExitCode, String> {
    if files.iter().filter(|f| *f == "-").count() > 1 {
        return Err("error: standard input (-) can be checked only once".into());
    }
    let mut out = std::io::stdout().lock();
    let mut reports = Vec::new();
    for path in files {
        let report = check_file(path, flags, actions);
        if let Err(message) = &report.outcome {
            eprintln!("{message}");
        }
        if let Output::Text = output {
            print_text(&mut out, &report).map_err(|e| e.to_string())?;
        }
        reports.push(report);
    }
    let (passed, failed) = reports.iter().map(FileReport::counts).fold((0, 0), |(p, f), (p2, f2)| (p + p2, f + f2));
    let unchecked = reports.iter().filter(|r| r.outcome.is_err()).count();
    match output {
        Output::Text if reports.len() > 1 => {
            let mut total = format!("total: {passed} passed, {failed} failed in {} files", reports.len());
            if unchecked > 0 {
                total += &format!(" ({unchecked} could not be checked)");
            }
            writeln!(out, "{total}").map_err(|e| e.to_string())?;
        }
        Output::Text => {}
        Output::Json => {
            let json = Value::Array(reports.iter().map(to_json).collect());
            writeln!(out, "{json:#}").map_err(|e| e.to_string())?;
        }
    }
    Ok(ExitCode::from(if unchecked > 0 {
        2
    } else if failed > 0 {
        1
    } else {
        0
    }))
}

fn check_file(path: &str, flags: &SettingsFlags, actions: &[Action]) -> FileReport {
    let mut report = FileReport { file: path.to_string(), name: None, outcome: Ok(Vec::new()) };
    let text = match crate::read_manifest(path) {
        Ok(t) => t,
        Err(e) => {
            report.outcome = Err(e);
            return report;
        }
    };
    let mut file = match ScenarioFile::load(&text) {
        Ok(f) => f,
        Err(e) => {
            report.outcome = Err(format!("{path}:{}:{}: {}", e.line, e.column, e.message));
            return report;
        }
    };
    report.name = Some(file.name.clone());
    file.scenario.settings = flags.apply(file.scenario.settings.clone());
    file.scenario.actions.extend(actions.iter().cloned());
    if file.scenario.settings.until > podsim::settings::MAX_UNTIL {
        report.outcome = Err(format!(
            "{path}: until is longer than podsim's budget of {}h of simulated time",
            podsim::settings::MAX_UNTIL / 3_600_000
        ));
        return report;
    }
    let checked = match file.check() {
        Ok(c) => c,
        Err(e) => {
            report.outcome = Err(format!("{path}:{}:{}: {}", e.line, e.column, e.message));
            return report;
        }
    };
    // Errors that stopped the run (a gate this version lacks, …) explain the failures below.
    for d in checked.trace.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        match (d.line, d.column) {
            (Some(line), Some(column)) => {
                let (line, column) = file.file_position(line, column);
                eprintln!("{path}:{line}:{column}: error: {}", d.message);
            }
            _ => eprintln!("{path}: error: {}", d.message),
        }
    }
    let verdicts = checked.verdicts.into_iter().zip(file.expect_text).zip(file.expect);
    report.outcome =
        Ok(verdicts.map(|((verdict, text), value)| Verdict { text, value, failure: verdict.failure }).collect());
    report
}

fn print_text(out: &mut impl Write, report: &FileReport) -> std::io::Result<()> {
    let Ok(verdicts) = &report.outcome else { return Ok(()) };
    for v in verdicts {
        match &v.failure {
            None => writeln!(out, "ok   {}", v.text)?,
            // A reason may span lines (a kubectl table): indented under its FAIL line.
            Some(why) => writeln!(out, "FAIL {}: {}", v.text, why.trim_end().replace('\n', "\n     "))?,
        }
    }
    let (passed, failed) = report.counts();
    writeln!(out, "{}: {passed} passed, {failed} failed", report.file)
}

fn to_json(report: &FileReport) -> Value {
    let (passed, failed) = report.counts();
    let mut file = json!({"file": report.file, "name": report.name, "passed": passed, "failed": failed});
    match &report.outcome {
        Ok(verdicts) => {
            file["expectations"] = verdicts
                .iter()
                .map(|v| json!({"expectation": v.text, "expect": v.value, "ok": v.failure.is_none(), "failure": v.failure}))
                .collect();
        }
        Err(message) => {
            file["expectations"] = json!([]);
            file["error"] = json!(message);
        }
    }
    file
}
