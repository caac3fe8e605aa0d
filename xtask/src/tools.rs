//! Installs the tools the build and the tests need, each only when it is missing or at the
//! wrong version, so a warm run costs a few version probes.
//!
//! Versions are pinned where a mismatch breaks the build: trunk (newer ones need a newer
//! rustc), wasm-bindgen-cli (must equal the `wasm-bindgen` crate in Cargo.lock, which
//! Trunk.toml names too) and binaryen's wasm-opt (Debian's is too old to read current wasm;
//! npm's binaryen package ships a working one).

use std::path::Path;

use crate::repo::{probe, run, Repo};

const TRUNK_VERSION: &str = "0.21.14";
const BINARYEN_VERSION: &str = "132";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// What building the web app needs: the wasm target, trunk, wasm-bindgen, wasm-opt, and
/// every crate fetched (trunk builds `--offline`, so a missing tool fails instead of downloading).
pub fn web(repo: &Repo) -> Result<(), String> {
    let installed = probe(rustup(["target", "list", "--installed"])).unwrap_or_default();
    if !installed.lines().any(|t| t.trim() == WASM_TARGET) {
        announce("the wasm32-unknown-unknown target");
        run(rustup(["target", "add", WASM_TARGET]))?;
    }

    if !version_of(repo, "trunk").contains(&format!("trunk {TRUNK_VERSION}")) {
        announce(&format!("trunk {TRUNK_VERSION} (about ten minutes)"));
        let mut install = repo.cargo();
        install.args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]);
        run(install)?;
    }

    let bindgen = wasm_bindgen_version(repo)?;
    let has = |tool| version_of(repo, tool).split_whitespace().nth(1) == Some(bindgen.as_str());
    if !has("wasm-bindgen") || !has("wasm-bindgen-test-runner") {
        announce(&format!("wasm-bindgen-cli {bindgen}"));
        // Not --locked: its lockfile names a crate version the registry no longer serves.
        let mut install = repo.cargo();
        install.args(["install", "--force", "wasm-bindgen-cli", "--version", &bindgen]);
        run(install)?;
    }

    if !version_of(repo, "wasm-opt").contains(&format!("version {BINARYEN_VERSION} ")) {
        announce(&format!("binaryen {BINARYEN_VERSION} (wasm-opt) into .tools/binaryen"));
        // Its own prefix: npm's global one may be /usr, where it would collide with Debian's.
        let mut install = repo.command("npm");
        install.args(["install", "--global", "--no-audit", "--no-fund", "--prefix", ".tools/binaryen"]);
        install.arg(format!("binaryen@{BINARYEN_VERSION}.0.0"));
        run(install)?;
    }

    let mut fetch = repo.cargo();
    fetch.args(["fetch", "--quiet"]);
    run(fetch)
}

/// rustfmt and clippy, which a minimal rustup profile leaves out.
pub fn lint(repo: &Repo) -> Result<(), String> {
    let mut fmt = repo.cargo();
    fmt.args(["fmt", "--version"]);
    let mut clippy = repo.cargo();
    clippy.args(["clippy", "--version"]);
    if probe(fmt).is_none() || probe(clippy).is_none() {
        announce("rustfmt and clippy");
        run(rustup(["component", "add", "rustfmt", "clippy"]))?;
    }
    Ok(())
}

/// Headless Chromium and its WebDriver, from Debian.
pub fn browser(repo: &Repo) -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    announce("chromium and chromium-driver");
    apt_install(repo, &["chromium", "chromium-driver"])
}

/// PyYAML, which the conformance referee (check.py) imports.
pub fn pyyaml(repo: &Repo) -> Result<(), String> {
    let importable = || {
        let mut python = repo.command("python3");
        python.args(["-c", "import yaml"]);
        probe(python).is_some()
    };
    if importable() {
        return Ok(());
    }
    announce("PyYAML");
    let mut pip = repo.command("python3");
    pip.args(["-m", "pip", "install", "--quiet", "pyyaml"]);
    // A Debian-managed python3 refuses pip installs; its own package serves it instead.
    if run(pip).is_err() {
        apt_install(repo, &["python3-yaml"])?;
    }
    if importable() {
        Ok(())
    } else {
        Err("PyYAML installed but `import yaml` still fails".to_owned())
    }
}

/// The wasm-bindgen version Cargo.lock resolved, checked against Trunk.toml's pin.
fn wasm_bindgen_version(repo: &Repo) -> Result<String, String> {
    let read =
        |file: &str| std::fs::read_to_string(repo.root.join(file)).map_err(|e| format!("cannot read {file}: {e}"));
    let lock = read("Cargo.lock")?;
    let mut lines = lock.lines();
    let locked = std::iter::from_fn(|| lines.next())
        .skip_while(|line| *line != "name = \"wasm-bindgen\"")
        .nth(1)
        .and_then(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .ok_or("Cargo.lock has no wasm-bindgen package: run `cargo fetch`")?
        .to_owned();
    let trunk_toml = read("Trunk.toml")?;
    let pinned = trunk_toml
        .lines()
        .find_map(|line| line.trim().strip_prefix("wasm_bindgen = \""))
        .and_then(|rest| rest.strip_suffix('"'));
    match pinned {
        Some(pinned) if pinned == locked => Ok(locked),
        _ => {
            Err(format!("Trunk.toml [tools] wasm_bindgen must equal the wasm-bindgen version in Cargo.lock ({locked})"))
        }
    }
}

/// The tool's `--version` output, empty when it is not there.
fn version_of(repo: &Repo, tool: &str) -> String {
    let mut command = repo.command(tool);
    command.arg("--version");
    probe(command).unwrap_or_default()
}

fn rustup<const N: usize>(args: [&str; N]) -> std::process::Command {
    let mut command = std::process::Command::new("rustup");
    command.args(args);
    command
}

fn apt_install(repo: &Repo, packages: &[&str]) -> Result<(), String> {
    let mut id = repo.command("id");
    id.arg("-u");
    let root = probe(id).is_some_and(|uid| uid.trim() == "0");
    let apt = |args: &[&str]| {
        let mut command = if root { repo.command("apt-get") } else { repo.command("sudo") };
        if !root {
            command.args(["-n", "apt-get"]);
        }
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run(apt(&["update", "-qq"]))?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend_from_slice(packages);
    run(apt(&install)).map_err(|e| format!("{e}\n(install {} with your package manager)", packages.join(" ")))
}

fn announce(what: &str) {
    println!("xtask: installing {what}");
}

/// Where the test step finds the browser, for the e2e and wasm test runners.
pub fn browser_env(command: &mut std::process::Command) {
    command.env("CHROMEDRIVER", CHROMEDRIVER).env("CHROMIUM", CHROMIUM);
}
