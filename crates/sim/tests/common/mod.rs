//! Helpers shared by the data-driven test files: the case files of a folder, and the golden
//! check (render each case, compare with its `.out`, `UPDATE_GOLDEN=1` rewrites them).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The `*.yaml` files of a folder of this crate, sorted.
pub fn yaml_files(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// Renders every case of `dir` and compares it with the case's `.out` file beside it; with
/// `UPDATE_GOLDEN` set, writes the `.out` files instead. Panics listing every difference.
pub fn check_goldens(dir: &str, render: impl Fn(&Path) -> Result<String, String>) {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let files = yaml_files(dir);
    assert!(!files.is_empty(), "no golden cases in {dir}");
    let mut failures = Vec::new();
    for path in &files {
        let got = match render(path) {
            Ok(got) => got,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        let golden = path.with_extension("out");
        if update {
            std::fs::write(&golden, &got).unwrap_or_else(|e| panic!("writing {}: {e}", golden.display()));
            continue;
        }
        match std::fs::read_to_string(&golden) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!("{} (- golden, + now):\n{}", golden.display(), diff(&want, &got))),
            Err(e) => failures.push(format!("{}: {e}", golden.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden files in {dir} differ (UPDATE_GOLDEN=1 rewrites them; review before committing):\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

/// A line diff (longest common subsequence) with a little context; lines are quoted so
/// tabs and trailing spaces show.
fn diff(want: &str, got: &str) -> String {
    let a: Vec<&str> = want.lines().collect();
    let b: Vec<&str> = got.lines().collect();
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let mut ops: Vec<(char, usize, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', i + 1, a[i]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            ops.push(('+', j + 1, b[j]));
            j += 1;
        } else {
            ops.push(('-', i + 1, a[i]));
            i += 1;
        }
    }
    const CONTEXT: usize = 2;
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let mut out = String::new();
    let mut last_shown: Option<usize> = None;
    for (k, (op, line_no, line)) in ops.iter().enumerate() {
        if !changed.iter().any(|&c| c.abs_diff(k) <= CONTEXT) {
            continue;
        }
        if last_shown.is_some_and(|l| l + 1 != k) {
            out.push_str("  ...\n");
        }
        let _ = writeln!(out, "{op} {line_no:>4} {line:?}");
        last_shown = Some(k);
    }
    if out.is_empty() && want != got {
        out.push_str("  (the files differ only in line endings at the end)\n");
    }
    out
}
