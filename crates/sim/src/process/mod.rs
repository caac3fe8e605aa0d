//! Container behaviour: what the process in a container does, inferred from its image,
//! `command` and `args` (there is no real image in a simulation), and run in simulated
//! time: when it prints, listens, exits, and how it answers a stop signal as PID 1.
//!
//! The kubelet owns time and the pod network; a [`Process`] only reacts to `start`,
//! `wake`, `signal` and `exec` calls and answers with [`Effect`]s.
//!
//! How it is built (facts from `images-and-processes.md`, cited per module):
//! - `images`: the image table (reference, size, STOPSIGNAL, ENTRYPOINT/CMD, tools) and the
//!   programs images run, as timelines (`proc::Spec`);
//! - `shell` parses `sh -c` scripts, `code` compiles them to resumable instructions,
//!   `script` interprets them with PID-1 signal and `trap` semantics;
//! - `tools` and `net_tools`: the external commands (`sleep`, `cat`, `nc`, `curl` …);
//! - `overrides`: pod annotations that set what inference cannot know.
//!
//! # Overrides
//!
//! A pod annotation `podsim.dev/<container-name>` holds `;`-separated `key=value` clauses
//! (durations like `500ms` are written `0.5s`, or `2s`, `1m`, `1h`):
//!
//! | clause | meaning |
//! |---|---|
//! | `start=2s` | nothing happens for 2 s after the runtime starts the container |
//! | `listen=8080@1s,9090` | listens on 8080 1 s after start(+`start`), on 9090 at once |
//! | `run=30s` / `run=forever` | the process ends by itself after 30 s (exit code from `exit=`, default 0) |
//! | `exit=1` | exit code whenever the process ends by itself |
//! | `on-stop=ignore` / `on-stop=exit:0@3s` | reaction to the stop signal (SIGTERM or the image's STOPSIGNAL); `on-sigterm` is an alias |
//! | `ready=/healthz@5s` | on the `listen` ports, that path answers 503 until 5 s, then 200 |
//! | `http=/:200,/admin:403` | fixed statuses on the `listen` ports (other paths: 200) |
//! | `log=Starting|Ready` | lines printed at start |
//! | `image=missing` | the registry has no such image: every pull fails (ErrImagePull, ImagePullBackOff) |
//! | `oom=20s` | the process exceeds its memory limit 20 s after start: the kernel kills it (137, OOMKilled) |
//!
//! Example: `podsim.dev/app: "listen=8080@2s; ready=/healthz@5s; on-stop=exit:0@3s"`.
//! Invalid clauses are reported in [`Inference::notes`] and ignored.

mod code;
mod images;
mod net_tools;
mod overrides;
mod pi;
mod proc;
mod script;
mod shell;
mod tools;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use crate::api::Container;
use crate::trace::Millis;

use images::{Env, ImageRef};
use overrides::{OnStop, Overrides};
use proc::{Cx, Dest, Fs, Poll, Proc, Prog, Spec};
use script::{Flavour, Shell};
use tools::{launch, Call, Launch};

/// How a container's behaviour was inferred, for the "why?" panel and `podsim run`.
#[derive(Debug, Clone, PartialEq)]
pub struct Inference {
    /// e.g. `busybox:1.36 has no ENTRYPOINT; command runs as sh -c (busybox ash)`.
    pub notes: Vec<String>,
}

/// Facts about an image that the kubelet needs before any process runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageFacts {
    /// Fully qualified reference as the runtime reports it, e.g. `docker.io/library/busybox:1.36`.
    pub full_ref: String,
    /// Compressed size in bytes (drives the simulated pull duration and the `Pulled` message).
    pub size_bytes: u64,
    /// The image's STOPSIGNAL, e.g. `SIGQUIT` for nginx; `SIGTERM` when unset.
    pub stop_signal: &'static str,
}

/// Exit code the runtime reports when the container's process cannot be started
/// (reason `StartError`); see [`Behavior::start_error`].
pub const START_ERROR_EXIT_CODE: i32 = 128;

/// [`ExecOutcome::duration`] of a command that would never end by itself (the kubelet's
/// timeout, or the grace period for hooks, decides).
pub const EXEC_NEVER_ENDS: Millis = 365 * 24 * 3600 * 1000;

/// The compiled behaviour of one container (same for every restart of it).
#[derive(Debug, Clone, PartialEq)]
pub struct Behavior {
    pub image: ImageFacts,
    pub inference: Inference,
    program: Program,
}

#[derive(Debug, Clone, PartialEq)]
struct Program {
    env: Env,
    argv: Vec<String>,
    start_error: Option<String>,
    overrides: Overrides,
}

/// What the pod's shared network namespace looks like to a process at one instant.
pub trait PodNet {
    /// Whether some container of the pod listens on this TCP port now.
    fn is_listening(&self, port: u16) -> bool;

    /// What `GET path` on a listening port answers (for `curl`/`wget` inside a container);
    /// implementations delegate to [`Process::http`] of the container listening there.
    /// `None`: unknown, taken as 200 with an empty body.
    fn http(&self, port: u16, path: &str) -> Option<HttpAnswer> {
        let _ = (port, path);
        None
    }
}

/// An HTTP response as far as probes and `curl` care.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpAnswer {
    pub status: u16,
    pub body: String,
}

/// A signal sent by the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Term,
    Quit,
    Int,
    Winch,
    Kill,
}

impl Signal {
    pub fn from_name(name: &str) -> Signal {
        match name.trim_start_matches("SIG") {
            "QUIT" => Signal::Quit,
            "INT" => Signal::Int,
            "WINCH" => Signal::Winch,
            "KILL" => Signal::Kill,
            _ => Signal::Term,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Signal::Term => "SIGTERM",
            Signal::Quit => "SIGQUIT",
            Signal::Int => "SIGINT",
            Signal::Winch => "SIGWINCH",
            Signal::Kill => "SIGKILL",
        }
    }
}

/// What a process does in reaction to a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// A line on stdout/stderr (what `kubectl logs` shows).
    Log(String),
    /// Starts listening on a TCP port of the pod network.
    Listen(u16),
    /// Stops listening.
    Close(u16),
    /// Wants `wake` to be called at this time; replaces any earlier wish.
    WakeAt(Millis),
    /// PID 1 ended with this exit code (and the kernel killed the rest).
    Exit(i32),
}

/// The outcome of running a command inside the container (exec probe or exec hook).
#[derive(Debug, Clone, PartialEq)]
pub struct ExecOutcome {
    pub exit_code: i32,
    /// How long the command ran ([`EXEC_NEVER_ENDS`] if it would not end by itself).
    pub duration: Millis,
    /// Combined stdout and stderr.
    pub output: String,
}

/// A running instance of a container's behaviour.
#[derive(Debug, Clone, PartialEq)]
pub struct Process {
    env: Env,
    argv: Vec<String>,
    start_error: bool,
    overrides: Overrides,
    begin: Millis,
    pid1: Option<Proc>,
    overlay: Option<Proc>,
    orphans: Vec<Proc>,
    fs: Fs,
    ports: BTreeSet<u16>,
    /// The overrides' `on-stop=exit` deadline.
    stop_exit: Option<(Millis, i32)>,
    exited: bool,
}

/// Steps one call may take; each simple command also costs ≥ 1 ms, so this only bounds
/// control flow between sleeps.
const BUDGET: u32 = 2000;
/// Bounds a synchronous exec.
const EXEC_ROUNDS: usize = 20_000;

fn runtime_error(detail: &str) -> String {
    format!(
        "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: \
         unable to start container process: {detail}: unknown"
    )
}

impl Behavior {
    /// Infers the behaviour of a container from its image, command and args, and the pod's
    /// podsim annotations (explicit overrides).
    pub fn infer(container: &Container, annotations: &BTreeMap<String, String>) -> Behavior {
        let r = ImageRef::parse(&container.image);
        let env = Env::new(&r, &container.env);
        let mut notes = Vec::new();
        let img = env.image;
        let (entry, cmd): (Vec<String>, Vec<String>) = match img {
            Some(i) => {
                (i.entrypoint.iter().map(|s| s.to_string()).collect(), i.cmd.iter().map(|s| s.to_string()).collect())
            }
            None => (Vec::new(), Vec::new()),
        };
        // command replaces ENTRYPOINT (and drops CMD); args replace CMD (§1).
        let argv: Vec<String> = match (&container.command, &container.args) {
            (Some(c), Some(a)) => c.iter().chain(a).cloned().collect(),
            (Some(c), None) => c.clone(),
            (None, Some(a)) => entry.iter().chain(a).cloned().collect(),
            (None, None) => entry.iter().chain(&cmd).cloned().collect(),
        };
        match img {
            Some(i) => notes.push(format!("{}: {} (images-and-processes.md §3).", r.full(), i.about)),
            None => notes.push(format!(
                "podsim does not know the image {}: it guesses what the command does; unknown programs run until \
                 stopped and, as PID 1, ignore SIGTERM. Set the annotation {}{} to say otherwise.",
                r.full(),
                overrides::PREFIX,
                container.name
            )),
        }
        let start_error = start_error(&argv, &env);
        match &start_error {
            Some(_) => notes.push(format!(
                "`{}` is not in the image: the runtime cannot start it (StartError, exit code 128).",
                argv.first().map(String::as_str).unwrap_or("")
            )),
            None => notes.extend(describe(&argv, &env, container, img.is_some())),
        }
        let (overrides, onotes) = overrides::parse(&container.name, annotations);
        notes.extend(onotes);
        let size_bytes = img.map(|i| i.size(&r.tag)).unwrap_or(UNKNOWN_IMAGE_SIZE);
        if img.is_none() {
            notes.push("Image size unknown: assumed 50 MB for the pull.".into());
        }
        Behavior {
            image: ImageFacts {
                full_ref: r.full(),
                size_bytes,
                stop_signal: img.map(|i| i.stop_signal).unwrap_or("SIGTERM"),
            },
            inference: Inference { notes },
            program: Program { env, argv, start_error, overrides },
        }
    }

    /// The runtime's message when the container cannot start (reason `StartError`, exit
    /// code [`START_ERROR_EXIT_CODE`]); `start` then returns `Exit(128)` at once.
    pub fn start_error(&self) -> Option<&str> {
        self.program.start_error.as_deref()
    }

    /// Whether every pull of the image fails (the `image=missing` override).
    pub fn image_missing(&self) -> bool {
        self.program.overrides.image_missing
    }

    /// When, after start, the kernel OOM-kills the process (the `oom=` override).
    pub fn oom_after(&self) -> Option<Millis> {
        self.program.overrides.oom_after
    }

    /// The process's argv after ENTRYPOINT/CMD merging (for `describe` and the UI).
    pub fn argv(&self) -> &[String] {
        &self.program.argv
    }

    /// Sets the wall-clock instant of t = 0 (Unix seconds) used in log timestamps and `date`.
    pub fn with_epoch(mut self, unix_secs: i64) -> Behavior {
        self.program.env.epoch = unix_secs;
        self
    }

    /// Starts PID 1 at `now`.
    pub fn start(&self, now: Millis, net: &dyn PodNet) -> (Process, Vec<Effect>) {
        let p = &self.program;
        let mut fs = Fs::default();
        for (path, content) in p.env.files() {
            fs.files.insert(path, content);
        }
        let mut process = Process {
            env: p.env.clone(),
            argv: p.argv.clone(),
            start_error: p.start_error.is_some(),
            overrides: p.overrides.clone(),
            begin: now.saturating_add(p.overrides.start),
            pid1: None,
            overlay: None,
            orphans: Vec::new(),
            fs,
            ports: BTreeSet::new(),
            stop_exit: None,
            exited: false,
        };
        if process.start_error {
            process.exited = true;
            return (process, vec![Effect::Exit(START_ERROR_EXIT_CODE)]);
        }
        let effects = process.run(now, net);
        (process, effects)
    }
}

/// Pull size assumed for images podsim does not know.
const UNKNOWN_IMAGE_SIZE: u64 = 50_000_000;

/// The runtime's error when argv\[0\] cannot be executed in a known image.
fn start_error(argv: &[String], env: &Env) -> Option<String> {
    if !env.known() {
        return None;
    }
    let Some(name) = argv.first() else {
        return Some(runtime_error("exec: no command specified"));
    };
    if tools::exists(name, env) {
        return None;
    }
    if !name.contains('/') {
        return Some(runtime_error(&format!("exec: \"{name}\": executable file not found in $PATH")));
    }
    let dir = name.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    // Other paths may come from a volume; only system directories are known to lack it.
    matches!(dir, "/bin" | "/usr/bin" | "/sbin" | "/usr/sbin" | "/usr/local/bin")
        .then(|| runtime_error(&format!("exec: \"{name}\": stat {name}: no such file or directory")))
}

/// Human sentences on how the command will behave.
fn describe(argv: &[String], env: &Env, c: &Container, known: bool) -> Vec<String> {
    let mut notes = Vec::new();
    let shown = argv.iter().map(|a| if a.contains(' ') { format!("{a:?}") } else { a.clone() }).collect::<Vec<_>>();
    match (&c.command, &c.args) {
        (None, None) if known => notes.push(format!("No command given: the image default `{}` runs.", shown.join(" "))),
        (None, Some(_)) => notes.push(format!("args are appended to the image ENTRYPOINT: `{}`.", shown.join(" "))),
        _ => {}
    }
    if argv.is_empty() && !known {
        notes.push("No command and unknown image: assumed to run until stopped.".into());
        return notes;
    }
    let base = argv.first().map(|a| a.rsplit('/').next().unwrap_or(a)).unwrap_or("");
    let script = argv
        .iter()
        .position(|a| a.starts_with('-') && a.contains('c') && !a.starts_with("--"))
        .and_then(|i| argv.get(i + 1));
    if matches!(base, "sh" | "bash" | "ash" | "dash" | "zsh") {
        let flavour = match base {
            "bash" | "zsh" => Some(Flavour::Bash),
            _ => env.sh,
        };
        if let (Some(f), Some(s)) = (flavour, script) {
            notes.push(format!("The command is a {} script.", f.describe()));
            let traps = s.contains("trap");
            if traps {
                notes.push(
                    "It sets a trap: on the stop signal the handler runs when the current foreground command \
                     returns (at once while the script is in `wait`)."
                        .into(),
                );
            } else {
                notes.push(
                    "No trap: as PID 1 the shell (or the command it execs) ignores SIGTERM, so a stop ends with \
                     SIGKILL after the grace period (exit 137)."
                        .into(),
                );
            }
        } else if script.is_none() && c.stdin {
            notes.push("An interactive shell with stdin: podsim treats stdin as empty.".into());
        } else if script.is_none() {
            notes.push("A shell without a script reads empty stdin and exits 0 at once.".into());
        }
    } else if base == "sleep" {
        notes.push(
            "`sleep` as PID 1 ignores SIGTERM: a stop ends with SIGKILL after the grace period (exit 137).".into(),
        );
    }
    notes
}

impl Process {
    fn cx_parts(&mut self) -> (&Env, &mut Fs, &mut BTreeSet<u16>) {
        (&self.env, &mut self.fs, &mut self.ports)
    }

    /// Advances everything to `now` and collects the effects.
    fn run(&mut self, now: Millis, net: &dyn PodNet) -> Vec<Effect> {
        let mut effects = Vec::new();
        if self.exited {
            return effects;
        }
        let mut orphans_new = Vec::new();
        let mut pid1 = self.pid1.take();
        let mut overlay = self.overlay.take();
        let orphans = std::mem::take(&mut self.orphans);
        let argv = self.argv.clone();
        let overrides = self.overrides.clone();
        let begin = self.begin;
        let stop_exit = self.stop_exit;
        let (env, fs, ports) = self.cx_parts();
        let mut cx = Cx { env, fs, net, effects: &mut effects, ports, orphans: &mut orphans_new, budget: BUDGET };
        if pid1.is_none() && now >= begin {
            pid1 = Some(root(&argv, begin, &mut cx));
            overlay = overrides.overlay().map(|s| Proc::Prog(Prog::new(s, begin, Dest::Log, Dest::Log)));
        }
        let mut next: Option<Millis> = if pid1.is_none() { Some(begin) } else { None };
        let mut exit = None;
        if let Some(o) = &mut overlay {
            if let Poll::Running(t) = o.advance(now, &mut cx) {
                next = min_opt(next, t);
            }
        }
        let mut alive = Vec::new();
        for mut o in orphans {
            if let Poll::Running(t) = o.drive(now, &mut cx) {
                next = min_opt(next, t);
                alive.push(o);
            }
        }
        let mut orphans = alive;
        if let Some(p) = &mut pid1 {
            match p.drive(now, &mut cx) {
                Poll::Running(t) => next = min_opt(next, t),
                Poll::Exited(code) => exit = Some(overrides.exit.unwrap_or(code)),
                Poll::Exec(_) => {}
            }
        }
        orphans.append(cx.orphans);
        if exit.is_none() {
            if let Some(Some(run)) = overrides.run {
                let at = begin.saturating_add(run);
                if now >= at && pid1.is_some() {
                    exit = Some(overrides.exit.unwrap_or(0));
                } else {
                    next = min_opt(next, Some(at));
                }
            }
        }
        if exit.is_none() {
            if let Some((at, code)) = stop_exit {
                if now >= at {
                    exit = Some(code);
                } else {
                    next = min_opt(next, Some(at));
                }
            }
        }
        if let Some(code) = exit {
            if let Some(p) = &mut pid1 {
                p.kill(&mut cx);
            }
            for o in &mut orphans {
                o.kill(&mut cx);
            }
            if let Some(o) = &mut overlay {
                o.kill(&mut cx);
            }
            orphans.clear();
            self.exited = true;
            effects.push(Effect::Exit(code));
        } else if let Some(t) = next {
            effects.push(Effect::WakeAt(t.max(now + 1)));
        }
        self.pid1 = pid1;
        self.overlay = overlay;
        self.orphans = orphans;
        effects
    }

    /// Called at the time of the latest `WakeAt`.
    pub fn wake(&mut self, now: Millis, net: &dyn PodNet) -> Vec<Effect> {
        self.run(now, net)
    }

    /// The runtime delivers a signal to PID 1 (`Kill` is handled by the runtime: the process
    /// is gone; this call only lets it drop its listeners).
    pub fn signal(&mut self, sig: Signal, now: Millis, net: &dyn PodNet) -> Vec<Effect> {
        if self.exited {
            return Vec::new();
        }
        if sig == Signal::Kill {
            let mut effects = Vec::new();
            let mut orphans = Vec::new();
            let (env, fs, ports) = (&self.env, &mut self.fs, &mut self.ports);
            let mut cx = Cx { env, fs, net, effects: &mut effects, ports, orphans: &mut orphans, budget: BUDGET };
            if let Some(p) = &mut self.pid1 {
                p.kill(&mut cx);
            }
            for o in &mut self.orphans {
                o.kill(&mut cx);
            }
            if let Some(o) = &mut self.overlay {
                o.kill(&mut cx);
            }
            self.exited = true;
            return effects;
        }
        match &self.overrides.on_stop {
            Some(OnStop::Ignore) => return self.run(now, net),
            Some(OnStop::Exit { code, after }) => {
                if self.stop_exit.is_none() {
                    self.stop_exit = Some((now.saturating_add(*after), *code));
                }
                return self.run(now, net);
            }
            None => {}
        }
        match &mut self.pid1 {
            Some(Proc::Shell(s)) => {
                s.deliver(sig);
            }
            Some(Proc::Prog(p)) => {
                p.signal(sig, now);
            }
            None => {}
        }
        self.run(now, net)
    }

    /// Runs `argv` inside the container at `now` (exec probes and exec hooks).
    pub fn exec(&mut self, argv: &[String], now: Millis, net: &dyn PodNet) -> ExecOutcome {
        let base = argv.first().map(|a| a.rsplit('/').next().unwrap_or(a)).unwrap_or("");
        if self.env.bins.iter().any(|b| b.ends_with(base)) && matches!(base, "pilot-agent" | "linkerd-await") {
            let is_wait = base == "linkerd-await" || argv.get(1).map(String::as_str) == Some("wait");
            if is_wait {
                let port = if base == "pilot-agent" { 15021 } else { 4191 };
                let ready = self.ready_at(port).map(|t| t.saturating_sub(now));
                if let Some((exit_code, duration, output)) = images::await_outcome(base, ready) {
                    return ExecOutcome { exit_code, duration, output };
                }
            }
        }
        let mut effects = Vec::new();
        let mut orphans = Vec::new();
        let mut ports = self.ports.clone();
        let mut cx = Cx {
            env: &self.env,
            fs: &mut self.fs,
            net,
            effects: &mut effects,
            ports: &mut ports,
            orphans: &mut orphans,
            budget: BUDGET,
        };
        let vars = cx.env.vars.clone();
        let workdir = cx.env.workdir.clone();
        let call = Call { argv, vars: &vars, stdin: "", cwd: &workdir, now };
        let mut proc = match launch(&call, &mut cx) {
            Launch::NotFound => {
                let name = argv.first().map(String::as_str).unwrap_or("");
                return ExecOutcome {
                    exit_code: 126,
                    duration: 1,
                    output: format!(
                        "OCI runtime exec failed: exec failed: unable to start container process: exec: \"{name}\": \
                         executable file not found in $PATH: unknown\n"
                    ),
                };
            }
            l => from_launch(l, &vars, &workdir, now),
        };
        let mut t = now;
        let mut result = None;
        for _ in 0..EXEC_ROUNDS {
            cx.budget = BUDGET;
            match proc.drive(t, &mut cx) {
                Poll::Exited(c) => {
                    result = Some((c, t.saturating_sub(now)));
                    break;
                }
                Poll::Running(Some(n)) if n.saturating_sub(now) < EXEC_NEVER_ENDS => t = n.max(t + 1),
                _ => break,
            }
        }
        proc.kill(&mut cx);
        let output: String = effects
            .iter()
            .filter_map(|e| match e {
                Effect::Log(l) => Some(format!("{l}\n")),
                _ => None,
            })
            .collect();
        let (exit_code, duration) = result.unwrap_or((137, EXEC_NEVER_ENDS));
        ExecOutcome { exit_code, duration: duration.max(1), output }
    }

    /// When the program answering HTTP on `port` turns ready (absolute time), if it will.
    fn ready_at(&self, port: u16) -> Option<Millis> {
        self.pid1.as_ref().and_then(|p| p.ready_at(port))
    }

    /// The HTTP status this process answers for `GET path` on `port` (a listening port).
    pub fn http_status(&self, port: u16, path: &str) -> u16 {
        self.http(port, path).map(|a| a.status).unwrap_or(200)
    }

    /// The full answer for `GET path` on `port`, `None` when nothing of this container
    /// listens there (for [`PodNet::http`]).
    pub fn http(&self, port: u16, path: &str) -> Option<HttpAnswer> {
        self.overlay
            .as_ref()
            .and_then(|o| o.http(port, path))
            .or_else(|| self.pid1.as_ref().and_then(|p| p.http(port, path)))
            .or_else(|| self.orphans.iter().find_map(|o| o.http(port, path)))
    }

    /// Ports this container listens on now.
    pub fn listening(&self) -> impl Iterator<Item = u16> + '_ {
        self.ports.iter().copied()
    }
}

fn min_opt(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn from_launch(l: Launch, vars: &BTreeMap<String, String>, cwd: &str, now: Millis) -> Proc {
    match l {
        Launch::Done { status, out, err, cost } => {
            Proc::Prog(Prog::new(Spec::done("", status, &out, &err, cost), now, Dest::Log, Dest::Log))
        }
        Launch::Prog(spec) => Proc::Prog(Prog::new(spec, now, Dest::Log, Dest::Log)),
        Launch::Shell(start) => Proc::Shell(Box::new(Shell::new(start, vars.clone(), cwd, now, Dest::Log, Dest::Log))),
        Launch::NotFound => {
            Proc::Prog(Prog::new(Spec::done("", START_ERROR_EXIT_CODE, "", "", 0), now, Dest::Log, Dest::Log))
        }
    }
}

/// PID 1: an unknown image without a command is guessed to run until stopped.
fn root(argv: &[String], now: Millis, cx: &mut Cx) -> Proc {
    if argv.is_empty() && !cx.env.known() {
        return Proc::Prog(Prog::new(images::guess("(image default)"), now, Dest::Log, Dest::Log));
    }
    let vars = cx.env.vars.clone();
    let workdir = cx.env.workdir.clone();
    let call = Call { argv, vars: &vars, stdin: "", cwd: &workdir, now };
    let l = launch(&call, cx);
    from_launch(l, &vars, &workdir, now)
}
