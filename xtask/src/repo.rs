//! Where things are and how to run them: the repository root, the PATH that finds the tools
//! xtask installs, and small helpers to run commands with clear errors.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Repo {
    pub root: PathBuf,
    /// PATH with the tool directories xtask installs into put first.
    path: OsString,
}

impl Repo {
    pub fn locate() -> Result<Repo, String> {
        // `cargo run` sets CARGO_MANIFEST_DIR for the process; the compile-time value can name
        // another checkout when several share a target directory.
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(PathBuf::from)
            .filter(|d| d.join("Cargo.toml").is_file())
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
        let root = manifest_dir.parent().ok_or("xtask has no parent directory")?;
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
            .ok_or("neither CARGO_HOME nor HOME is set")?;
        let mut dirs = vec![root.join(".tools/binaryen/bin"), cargo_home.join("bin")];
        dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        let path = std::env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;
        Ok(Repo { root: root.to_owned(), path })
    }

    /// A command run at the repository root with the tools on PATH.
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", &self.path);
        command
    }

    /// `cargo` itself: the one that runs xtask, so the toolchain is the same.
    pub fn cargo(&self) -> Command {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        self.command(&cargo)
    }

    /// Cargo's target directory (CARGO_TARGET_DIR if set).
    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => self.root.join(dir),
            None => self.root.join("target"),
        }
    }
}

/// Runs a command with inherited output; Err names the command if it fails.
pub fn run(mut command: Command) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("cannot run {}: {e}", describe(&command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(&command)))
    }
}

/// The command's stdout if it ran and succeeded: for probing whether a tool is there.
pub fn probe(mut command: Command) -> Option<String> {
    let output = command.output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Replaces xtask with the command, so Ctrl-C and exit codes go straight to it.
pub fn exec(mut command: Command) -> Result<(), String> {
    use std::os::unix::process::CommandExt;
    let error = command.exec();
    Err(format!("cannot run {}: {error}", describe(&command)))
}

pub fn describe(command: &Command) -> String {
    let program = Path::new(command.get_program());
    let mut words = vec![program.file_name().unwrap_or(program.as_os_str()).to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    format!("`{}`", words.join(" "))
}
