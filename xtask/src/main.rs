//! `cargo xtask`: the project's entry points for a fresh clone, `serve` and `test`.
//!
//! Both install what is missing first, so a new machine needs nothing but Rust. Plain std
//! only: xtask must build in seconds before any tool exists.

mod repo;
mod test;
mod tools;

use std::process::ExitCode;

use repo::Repo;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [--port N] [--release]   build the playground and serve it on http://127.0.0.1:N (default 8080)
  test                           install what is missing, then run every check CI runs
  measure                        build the release app and print its size and speed figures (README)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => Repo::locate().and_then(|repo| serve(&repo, &args[1..])),
        Some("test") => Repo::locate().and_then(|repo| test::test(&repo, &args[1..])),
        Some("measure") => Repo::locate().and_then(|repo| test::measure(&repo, &args[1..])),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            // `test` has already said what failed, as its last line.
            if !message.is_empty() {
                eprintln!("xtask: {message}");
            }
            ExitCode::FAILURE
        }
    }
}

/// `trunk serve`: builds the app, serves it, rebuilds on change. Debug by default because it
/// rebuilds in seconds; `--release` serves what CI tests and ships.
fn serve(repo: &Repo, args: &[String]) -> Result<(), String> {
    let mut port = String::from("8080");
    let mut release = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => {
                let value = args.next().ok_or("--port needs a number")?;
                value.parse::<u16>().map_err(|_| format!("--port: not a port number: {value:?}"))?;
                port = value.clone();
            }
            "--release" => release = true,
            other => return Err(format!("serve: unknown argument {other:?}\n\n{USAGE}")),
        }
    }
    tools::web(repo)?;
    println!("xtask: serving the playground on http://127.0.0.1:{port}/ (Ctrl-C stops)");
    let mut trunk = repo.command("trunk");
    trunk.args(["serve", "--offline", "--disable-address-lookup", "--address", "127.0.0.1", "--port", &port]);
    if release {
        trunk.arg("--release");
    }
    repo::exec(trunk)
}
