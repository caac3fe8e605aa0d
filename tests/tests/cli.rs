//! The `podsim` command line as graders, CI and exercises use it: the built binary run as a
//! process, its stdout, stderr and exit status checked. Starts with `podsim check`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use serde_json::Value;

/// The `podsim` binary, fresh. It belongs to another package (podsim-cli), so cargo sets no
/// `CARGO_BIN_EXE_podsim` here and `cargo test -p podsim-e2e` does not build it; a path
/// guessed under `target/` could be stale or missing. So the tests ask cargo — the one
/// running them, same target directory and profile — to build it, and take the path cargo
/// reports. Up to date, that is a no-op. `PODSIM_BIN` tests a given binary instead.
fn podsim() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("PODSIM_BIN") {
            return PathBuf::from(bin);
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
        let mut build = Command::new(cargo);
        build
            .args(["build", "-p", "podsim-cli", "--bin", "podsim", "--message-format=json-render-diagnostics"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stderr(Stdio::inherit());
        if !cfg!(debug_assertions) {
            build.arg("--release");
        }
        let out = build.output().expect("cargo runs");
        assert!(out.status.success(), "cargo build -p podsim-cli failed");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "podsim")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo reports the podsim executable")
    })
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn podsim_with(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(podsim())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("podsim starts");
    child.stdin.take().expect("stdin is piped").write_all(stdin.as_bytes()).expect("stdin is written");
    let out = child.wait_with_output().expect("podsim finishes");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn podsim_run(args: &[&str]) -> Run {
    podsim_with(args, "")
}

fn preset(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/web/presets").join(name).display().to_string()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A file of this test's own under the temp directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> TempFile {
        // Tests run in parallel: a counter keeps their files apart.
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("podsim-cli-{}-{n}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        TempFile(path)
    }

    fn path(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// How many items the file's `expect:` list has (one `  - ` line each in the presets).
fn expectations_in(text: &str) -> usize {
    let list = text.split("\nexpect:\n").nth(1).expect("the preset has an expect: list");
    list.lines().take_while(|l| l.starts_with("  ")).filter(|l| l.starts_with("  - ")).count()
}

/// native-job.yaml with `pod: {name: pi, phase: Succeeded}` turned false.
fn native_job_claiming_failed() -> TempFile {
    let text = read(&preset("native-job.yaml"));
    let changed = text.replace("pod: {name: pi, phase: Succeeded}", "pod: {name: pi, phase: Failed}");
    assert_ne!(changed, text, "the preset still has the expectation this test changes");
    TempFile::new("native-job-failed.yaml", &changed)
}

#[test]
fn check_passing_preset_prints_ok_for_every_expectation_and_exits_0() {
    let path = preset("native-job.yaml");
    let n = expectations_in(&read(&path));
    let run = podsim_run(&["check", &path]);
    assert_eq!(run.code, Some(0), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), n + 1, "one line per expectation and a summary:\n{}", run.stdout);
    for line in &lines[..n] {
        assert!(line.starts_with("ok   "), "{line}");
    }
    assert!(lines[0].contains(r#"before: ["network-proxy Started", "pi Started"]"#), "as written: {}", lines[0]);
    assert_eq!(lines[n], format!("{path}: {n} passed, 0 failed"));

    // The same file on standard input.
    let run = podsim_with(&["check", "-"], &read(&path));
    assert_eq!(run.code, Some(0), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert!(run.stdout.ends_with(&format!("-: {n} passed, 0 failed\n")), "{}", run.stdout);
}

#[test]
fn check_false_expectation_prints_fail_with_the_reason_and_exits_1() {
    let changed = native_job_claiming_failed();
    let run = podsim_run(&["check", &changed.path()]);
    assert_eq!(run.code, Some(1), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    let fail: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert_eq!(fail.len(), 1, "{}", run.stdout);
    assert!(fail[0].starts_with("FAIL pod: {name: pi, phase: Failed}: "), "{}", fail[0]);
    assert!(fail[0].contains(r#"phase "Succeeded", want "Failed""#), "the reason: {}", fail[0]);
    assert!(run.stdout.ends_with(&format!("{}: 5 passed, 1 failed\n", changed.path())), "{}", run.stdout);

    // Several files: each its summary, then the total; one failure fails the whole run.
    let run = podsim_run(&["check", &preset("native-job.yaml"), &changed.path()]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stdout.contains(": 6 passed, 0 failed\n"), "{}", run.stdout);
    assert!(run.stdout.ends_with("total: 11 passed, 1 failed in 2 files\n"), "{}", run.stdout);
}

#[test]
fn check_unreadable_input_exits_2_with_file_line_column() {
    // An unclosed flow list swallows the next key: go-yaml and yaml-rust2 both stop there.
    let bad = TempFile::new(
        "bad.yaml",
        "name: bad\nk8s: \"1.29\"\nexpect:\n  - never: [unclosed\nmanifest: |\n  kind: Pod\n",
    );
    let run = podsim_run(&["check", &bad.path()]);
    assert_eq!(run.code, Some(2), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert!(run.stderr.starts_with(&format!("{}:5:9: ", bad.path())), "{}", run.stderr);
    assert_eq!(run.stdout, "");

    // YAML broken inside the manifest block: the position is still the file's.
    let text = read(&preset("native-job.yaml")).replace("    name: pi\n", "    name: pi: oops\n");
    let line = 1 + text.lines().position(|l| l == "    name: pi: oops").expect("the edit is in the file");
    let broken = TempFile::new("broken-manifest.yaml", &text);
    let run = podsim_run(&["check", &broken.path()]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.starts_with(&format!("{}:{line}:13: manifest: ", broken.path())), "{}", run.stderr);

    let empty = TempFile::new("no-expect.yaml", "name: nothing\nmanifest: |\n  kind: Pod\n");
    let run = podsim_run(&["check", &empty.path()]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("nothing to check"), "{}", run.stderr);

    let missing = podsim_run(&["check", "/nonexistent/podsim-scenario.yaml"]);
    assert_eq!(missing.code, Some(2), "{}", missing.stderr);
    assert!(missing.stderr.contains("cannot be read"), "{}", missing.stderr);

    let usage = podsim_run(&["check"]);
    assert_eq!(usage.code, Some(2));
    assert!(usage.stderr.contains("missing SCENARIO"), "{}", usage.stderr);
}

#[test]
fn check_settings_flags_override_the_file() {
    // reverse-order.yaml sets k8s 1.29 and leaves the SidecarContainers gate at its default.
    // On 1.28 the gate defaults off: the sidecars become plain init containers that never
    // finish, so the pod stays Pending instead of succeeding.
    let reverse = preset("reverse-order.yaml");
    assert!(read(&reverse).contains("k8s: \"1.29\"") && !read(&reverse).contains("featureGates"));
    let run = podsim_run(&["check", &reverse]);
    assert_eq!(run.code, Some(0), "as written:\n{}", run.stdout);
    let run = podsim_run(&["check", &reverse, "--k8s", "1.28"]);
    assert_eq!(run.code, Some(1), "on 1.28:\n{}", run.stdout);
    assert!(
        run.stdout.contains(
            r#"FAIL pod: {name: serialize-termination, phase: Succeeded}: pod "serialize-termination" phase "Pending""#
        ),
        "{}",
        run.stdout
    );

    // gate-off-trap.yaml turns the gate off itself, so a newer version alone keeps the trap
    // (a flag overrides only what it names); turning the gate on frees the app.
    let trap = preset("gate-off-trap.yaml");
    assert!(read(&trap).contains("featureGates: {SidecarContainers: false}"));
    let run = podsim_run(&["check", &trap, "--k8s", "1.29"]);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    let run = podsim_run(&["check", &trap, "--feature-gates", "SidecarContainers=true"]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stdout.contains(r#"FAIL never: "app Started": "app Started" happened at"#), "{}", run.stdout);
}

#[test]
fn check_json_report_counts_every_expectation() {
    let passing = preset("native-job.yaml");
    let n = expectations_in(&read(&passing));
    let changed = native_job_claiming_failed();
    let run = podsim_run(&["check", "--output", "json", &passing, &changed.path()]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}:\n{}", run.stdout));
    let files = report.as_array().expect("an array of files");
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["file"], passing.as_str());
    assert_eq!(files[0]["name"], "Native sidecar Job");
    assert_eq!((files[0]["passed"].as_u64(), files[0]["failed"].as_u64()), (Some(n as u64), Some(0)));
    assert_eq!((files[1]["passed"].as_u64(), files[1]["failed"].as_u64()), (Some(n as u64 - 1), Some(1)));
    for file in files {
        let expectations = file["expectations"].as_array().expect("expectations");
        assert_eq!(expectations.len(), n);
        for e in expectations {
            assert_eq!(e["ok"].as_bool(), Some(e["failure"].is_null()), "{e}");
        }
    }
    let failed: Vec<&Value> =
        files[1]["expectations"].as_array().into_iter().flatten().filter(|e| e["ok"] == false).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["expectation"], "pod: {name: pi, phase: Failed}");
    assert_eq!(failed[0]["expect"], serde_json::json!({"pod": {"name": "pi", "phase": "Failed"}}));
    assert!(failed[0]["failure"].as_str().is_some_and(|f| f.contains(r#"want "Failed""#)), "{}", failed[0]);
}
