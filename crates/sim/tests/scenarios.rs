//! Data-driven engine tests: every `scenarios/*.yaml` file (and the shared conformance
//! scenarios, when present beside the repository) is simulated and its expectations are
//! checked with the same language the referee uses.

use std::path::{Path, PathBuf};

use podsim::scenario::ScenarioFile;

fn run_dir(dir: &Path) -> (usize, Vec<String>) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).expect("scenario file is readable");
        // The same loading and checking as `podsim check`.
        let checked = match ScenarioFile::load(&text).and_then(|file| file.check()) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{}:{e}", path.display()));
                continue;
            }
        };
        for v in checked.verdicts {
            if let Some(why) = v.failure {
                failures.push(format!("{}: {}: {why}", path.display(), v.expectation));
            }
        }
    }
    (files.len(), failures)
}

#[test]
fn own_scenarios() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let (n, failures) = run_dir(&dir);
    assert!(n > 0, "no scenarios in {}", dir.display());
    assert!(failures.is_empty(), "{} of {n} files have failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn shared_conformance_scenarios() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance");
    if !dir.is_dir() {
        eprintln!("skipped: {} is absent (the referee check.py covers it in `cargo xtask test`)", dir.display());
        return;
    }
    let (n, failures) = run_dir(&dir);
    assert!(failures.is_empty(), "{} failures in {n} shared scenarios:\n{}", failures.len(), failures.join("\n"));
}
