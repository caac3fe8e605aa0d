//! Container behaviour: what the process in a container does, inferred from its image,
//! `command` and `args` (there is no real image in a simulation), and run in simulated
//! time: when it prints, listens, exits, and how it answers a stop signal as PID 1.
//!
//! The kubelet owns time and the pod network; a [`Process`] only reacts to `start`,
//! `wake`, `signal` and `exec` calls and answers with [`Effect`]s.

use crate::api::Container;
use crate::trace::Millis;

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

/// The compiled behaviour of one container (same for every restart of it).
#[derive(Debug, Clone, PartialEq)]
pub struct Behavior {
    pub image: ImageFacts,
    pub inference: Inference,
    program: Program,
}

#[derive(Debug, Clone, PartialEq)]
enum Program {
    /// Placeholder until the behaviour model lands: runs forever, ignores signals.
    Forever,
}

/// What the pod's shared network namespace looks like to a process at one instant.
pub trait PodNet {
    /// Whether some container of the pod listens on this TCP port now.
    fn is_listening(&self, port: u16) -> bool;
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
    /// How long the command ran.
    pub duration: Millis,
    /// Combined stdout and stderr.
    pub output: String,
}

/// A running instance of a container's behaviour.
#[derive(Debug, Clone, PartialEq)]
pub struct Process {
    program: Program,
}

impl Behavior {
    /// Infers the behaviour of a container from its image, command and args, and the pod's
    /// podsim annotations (explicit overrides).
    pub fn infer(container: &Container, annotations: &std::collections::BTreeMap<String, String>) -> Behavior {
        let _ = annotations;
        Behavior {
            image: ImageFacts {
                full_ref: format!("docker.io/library/{}", container.image),
                size_bytes: 2_000_000,
                stop_signal: "SIGTERM",
            },
            inference: Inference { notes: vec![] },
            program: Program::Forever,
        }
    }

    /// Starts PID 1 at `now`.
    pub fn start(&self, now: Millis, net: &dyn PodNet) -> (Process, Vec<Effect>) {
        let _ = (now, net);
        (Process { program: self.program.clone() }, vec![])
    }
}

impl Process {
    /// Called at the time of the latest `WakeAt`.
    pub fn wake(&mut self, now: Millis, net: &dyn PodNet) -> Vec<Effect> {
        let _ = (now, net, &self.program);
        vec![]
    }

    /// The runtime delivers a signal to PID 1 (`Kill` is handled by the runtime: the process
    /// is gone; this call only lets it drop its listeners).
    pub fn signal(&mut self, sig: Signal, now: Millis, net: &dyn PodNet) -> Vec<Effect> {
        let _ = (sig, now, net);
        vec![]
    }

    /// Runs `argv` inside the container at `now` (exec probes and exec hooks).
    pub fn exec(&mut self, argv: &[String], now: Millis, net: &dyn PodNet) -> ExecOutcome {
        let _ = (argv, now, net);
        ExecOutcome { exit_code: 0, duration: 0, output: String::new() }
    }

    /// The HTTP status this process answers for `GET path` on `port` (a listening port).
    pub fn http_status(&self, port: u16, path: &str) -> u16 {
        let _ = (port, path);
        200
    }
}
