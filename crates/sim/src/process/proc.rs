//! The process tree of one container and the runtime pieces every process shares: the
//! container's files, where output goes, and timeline programs — a non-shell program
//! (`sleep`, nginx, python's http.server …) is a list of timed acts (print, listen, exit) plus
//! what it does on each signal it handles. Signals it does not handle are dropped, which is
//! the PID-1 rule of images-and-processes.md §2.1.

use std::collections::{BTreeMap, BTreeSet};

use super::script::Shell;
use super::{Effect, Env, HttpAnswer, PodNet, Signal};
use crate::trace::Millis;

/// One timed thing a program does.
#[derive(Debug, Clone, PartialEq)]
pub enum Act {
    /// A line on stdout.
    Out(String),
    /// A line on stderr.
    Err(String),
    /// A line a reaction to a signal writes, stamped when it is written (the signal's time is
    /// unknown when the reaction is set up): the first `{ts}` in `line` becomes that moment
    /// in `fmt` (strftime, `%L` for milliseconds).
    Stamped {
        err: bool,
        fmt: &'static str,
        epoch: i64,
        line: String,
    },
    Listen(u16),
    /// Health endpoints switch between their ready and unready answers.
    Ready(bool),
    Exit(i32),
}

/// An HTTP route of a program: `status` when ready, `unready` (if set) before.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub path: String,
    /// Matches every path under `path` too.
    pub prefix: bool,
    pub status: u16,
    pub unready: Option<u16>,
    pub body: String,
}

impl Route {
    pub fn new(path: &str, status: u16) -> Route {
        Route { path: path.into(), prefix: false, status, unready: None, body: String::new() }
    }

    pub fn body(mut self, body: &str) -> Route {
        self.body = body.into();
        self
    }

    pub fn gated(mut self, unready: u16) -> Route {
        self.unready = Some(unready);
        self
    }

    pub fn prefix(mut self) -> Route {
        self.prefix = true;
        self
    }
}

/// What a program answers on one port.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub port: u16,
    pub routes: Vec<Route>,
    /// Status for paths no route matches.
    pub fallback: u16,
}

impl Site {
    pub fn new(port: u16, routes: Vec<Route>, fallback: u16) -> Site {
        Site { port, routes, fallback }
    }

    pub fn answer(&self, path: &str, ready: bool) -> HttpAnswer {
        let path = path.split('?').next().unwrap_or(path);
        let hit = self.routes.iter().find(|r| r.path == path).or_else(|| {
            self.routes.iter().filter(|r| r.prefix && path.starts_with(r.path.as_str())).max_by_key(|r| r.path.len())
        });
        match hit {
            Some(r) if !ready && r.unready.is_some() => {
                HttpAnswer { status: r.unready.unwrap_or(503), body: String::new() }
            }
            Some(r) => HttpAnswer { status: r.status, body: r.body.clone() },
            None => HttpAnswer { status: self.fallback, body: String::new() },
        }
    }
}

/// A program as data: its timeline from start, and its reactions to signals.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Spec {
    pub name: String,
    pub timeline: Vec<(Millis, Act)>,
    /// Handled signals; each reaction replaces what is left of the timeline.
    pub on_signal: Vec<(Signal, Vec<(Millis, Act)>)>,
    pub sites: Vec<Site>,
    pub ready: bool,
    /// stderr line when a port is taken (`{port}` is replaced); the program then exits 1.
    pub bind_error: String,
}

impl Spec {
    pub fn new(name: &str) -> Spec {
        Spec {
            name: name.into(),
            ready: true,
            bind_error: format!("{name}: bind 0.0.0.0:{{port}}: Address already in use"),
            ..Spec::default()
        }
    }

    pub fn at(mut self, t: Millis, act: Act) -> Spec {
        self.timeline.push((t, act));
        self
    }

    pub fn out(self, t: Millis, lines: &[&str]) -> Spec {
        lines.iter().fold(self, |s, l| s.at(t, Act::Out(l.to_string())))
    }

    pub fn err(self, t: Millis, lines: &[&str]) -> Spec {
        lines.iter().fold(self, |s, l| s.at(t, Act::Err(l.to_string())))
    }

    pub fn on(mut self, sigs: &[Signal], reaction: Vec<(Millis, Act)>) -> Spec {
        for s in sigs {
            self.on_signal.push((*s, reaction.clone()));
        }
        self
    }

    pub fn site(mut self, site: Site) -> Spec {
        self.sites.push(site);
        self
    }

    pub fn unready(mut self) -> Spec {
        self.ready = false;
        self
    }

    /// A program that prints its output and ends with `status` after `cost`.
    pub fn done(name: &str, status: i32, out: &str, err: &str, cost: Millis) -> Spec {
        let mut s = Spec::new(name);
        for l in out.split_terminator('\n') {
            s = s.at(0, Act::Out(l.to_string()));
        }
        for l in err.split_terminator('\n') {
            s = s.at(0, Act::Err(l.to_string()));
        }
        s.at(cost.max(1), Act::Exit(status))
    }
}

/// Where a stream goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Dest {
    /// The container log (`kubectl logs`), or the exec output when running an exec.
    Log,
    /// Collected by the shell (command substitution, pipeline stages).
    Capture,
    Null,
    File(String),
}

/// The container's writable files (a fresh set for every start of the container).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fs {
    pub files: BTreeMap<String, String>,
    pub dirs: BTreeSet<String>,
}

/// Directories every image has.
const BASE_DIRS: [&str; 14] = [
    "/", "/bin", "/dev", "/etc", "/home", "/proc", "/root", "/sys", "/tmp", "/usr", "/usr/bin", "/var", "/var/run",
    "/run",
];
/// Files every container has (the kubelet mounts the last three).
const BASE_FILES: [&str; 6] =
    ["/dev/null", "/etc/passwd", "/etc/group", "/etc/hosts", "/etc/hostname", "/etc/resolv.conf"];

impl Fs {
    pub fn is_file(&self, p: &str) -> bool {
        self.files.contains_key(p) || BASE_FILES.contains(&p)
    }

    pub fn is_dir(&self, p: &str) -> bool {
        self.dirs.contains(p) || BASE_DIRS.contains(&p)
    }

    pub fn read(&self, p: &str) -> Option<String> {
        match self.files.get(p) {
            Some(s) => Some(s.clone()),
            None if BASE_FILES.contains(&p) => Some(match p {
                "/etc/hosts" => "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n".into(),
                "/etc/resolv.conf" => {
                    "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
                        .into()
                }
                "/etc/passwd" => "root:x:0:0:root:/root:/bin/sh\n".into(),
                _ => String::new(),
            }),
            None => None,
        }
    }

    pub fn append(&mut self, p: &str, text: &str) {
        if p == "/dev/null" || p == "/dev/stdout" || p == "/dev/stderr" {
            return;
        }
        self.files.entry(p.to_string()).or_default().push_str(text);
    }

    pub fn truncate(&mut self, p: &str) {
        if p != "/dev/null" {
            self.files.insert(p.to_string(), String::new());
        }
    }
}

/// Resolves `p` against `cwd` and removes `.`, `..` and repeated slashes.
pub fn normalize(cwd: &str, p: &str) -> String {
    let joined = if p.starts_with('/') { p.to_string() } else { format!("{cwd}/{p}") };
    let mut out: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// Everything a process may touch while it runs.
pub struct Cx<'a> {
    pub env: &'a Env,
    pub fs: &'a mut Fs,
    pub net: &'a dyn PodNet,
    pub effects: &'a mut Vec<Effect>,
    /// The container's listening ports.
    pub ports: &'a mut BTreeSet<u16>,
    /// Processes whose parent went away; they keep running beside PID 1.
    pub orphans: &'a mut Vec<Proc>,
    /// Interpreter steps left in this call (keeps every call bounded).
    pub budget: u32,
}

impl Cx<'_> {
    pub fn listening(&self, port: u16) -> bool {
        self.ports.contains(&port) || self.net.is_listening(port)
    }

    pub fn http(&self, port: u16, path: &str) -> HttpAnswer {
        self.net.http(port, path).unwrap_or(HttpAnswer { status: 200, body: String::new() })
    }

    /// Writes `text` to `dest`; `capture` receives it for [`Dest::Capture`].
    pub fn write(&mut self, dest: &Dest, text: &str, capture: Option<&mut String>) {
        match dest {
            Dest::Log => {
                for line in text.split_terminator('\n') {
                    self.effects.push(Effect::Log(line.to_string()));
                }
            }
            Dest::Capture => {
                if let Some(c) = capture {
                    c.push_str(text);
                }
            }
            Dest::Null => {}
            Dest::File(p) => self.fs.append(p, text),
        }
    }

    fn close(&mut self, port: u16) {
        if self.ports.remove(&port) {
            self.effects.push(Effect::Close(port));
        }
    }
}

/// What a process did in one advance.
#[derive(Debug)]
pub enum Poll {
    /// Still running; wants to be advanced again at this time (`None`: only a signal or
    /// another process can change anything).
    Running(Option<Millis>),
    Exited(i32),
    /// The shell replaced itself with this process (`exec`, or the last command of ash/bash).
    Exec(Box<Proc>),
}

/// A timeline program while it runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Prog {
    pub name: String,
    queue: Vec<(Millis, Act)>,
    on_signal: Vec<(Signal, Vec<(Millis, Act)>)>,
    sites: Vec<Site>,
    ready: bool,
    stopping: bool,
    ports: Vec<u16>,
    bind_error: String,
    out: Dest,
    err: Dest,
}

impl Prog {
    pub fn new(spec: Spec, now: Millis, out: Dest, err: Dest) -> Prog {
        let mut queue: Vec<(Millis, Act)> =
            spec.timeline.into_iter().map(|(t, a)| (now.saturating_add(t), a)).collect();
        queue.sort_by_key(|(t, _)| *t);
        // Capture is for shells; a program writing to one is discarded.
        let fix = |d: Dest| if d == Dest::Capture { Dest::Null } else { d };
        Prog {
            name: spec.name,
            queue,
            on_signal: spec.on_signal,
            sites: spec.sites,
            ready: spec.ready,
            stopping: false,
            ports: Vec::new(),
            bind_error: spec.bind_error,
            out: fix(out),
            err: fix(err),
        }
    }

    fn advance(&mut self, now: Millis, cx: &mut Cx) -> Poll {
        while self.queue.first().is_some_and(|(t, _)| *t <= now) {
            let (at, act) = self.queue.remove(0);
            match act {
                Act::Out(l) => cx.write(&self.out.clone(), &format!("{l}\n"), None),
                Act::Err(l) => cx.write(&self.err.clone(), &format!("{l}\n"), None),
                Act::Stamped { err, fmt, epoch, line } => {
                    let line = line.replacen("{ts}", &super::images::stamp_at(epoch, at, fmt), 1);
                    let dest = if err { self.err.clone() } else { self.out.clone() };
                    cx.write(&dest, &format!("{line}\n"), None);
                }
                Act::Listen(p) => {
                    if cx.listening(p) {
                        let msg = self.bind_error.replace("{port}", &p.to_string());
                        cx.write(&self.err.clone(), &format!("{msg}\n"), None);
                        self.kill(cx);
                        return Poll::Exited(1);
                    }
                    cx.ports.insert(p);
                    cx.effects.push(Effect::Listen(p));
                    self.ports.push(p);
                }
                Act::Ready(r) => self.ready = r,
                Act::Exit(code) => {
                    self.kill(cx);
                    return Poll::Exited(code);
                }
            }
        }
        Poll::Running(self.queue.first().map(|(t, _)| *t))
    }

    /// Delivers a signal; returns false when the program has no handler for it.
    pub fn signal(&mut self, sig: Signal, now: Millis) -> bool {
        if self.stopping {
            return false;
        }
        let Some((_, reaction)) = self.on_signal.iter().find(|(s, _)| *s == sig) else { return false };
        self.queue = reaction.iter().map(|(t, a)| (now.saturating_add(*t), a.clone())).collect();
        self.queue.sort_by_key(|(t, _)| *t);
        self.stopping = true;
        true
    }

    pub fn kill(&mut self, cx: &mut Cx) {
        for p in std::mem::take(&mut self.ports) {
            cx.close(p);
        }
        self.queue.clear();
    }

    /// When this program answers ready on `port` (absolute; 0 when it already does).
    fn ready_at(&self, port: u16) -> Option<Millis> {
        if !self.sites.iter().any(|s| s.port == port) {
            return None;
        }
        let first = |want: &Act| self.queue.iter().find(|(_, a)| a == want).map(|(t, _)| *t);
        let listen = if self.ports.contains(&port) { Some(0) } else { first(&Act::Listen(port)) };
        let ready = if self.ready { Some(0) } else { first(&Act::Ready(true)) };
        Some(listen?.max(ready?))
    }

    pub fn http(&self, port: u16, path: &str) -> Option<HttpAnswer> {
        if !self.ports.contains(&port) {
            return None;
        }
        Some(match self.sites.iter().find(|s| s.port == port) {
            Some(site) => site.answer(path, self.ready),
            // A port without a known site: any path answers.
            None => HttpAnswer { status: 200, body: String::new() },
        })
    }
}

/// One process of the container.
#[derive(Debug, Clone, PartialEq)]
pub enum Proc {
    Prog(Prog),
    Shell(Box<Shell>),
}

impl Proc {
    /// Runs the process up to `now`.
    pub fn advance(&mut self, now: Millis, cx: &mut Cx) -> Poll {
        match self {
            Proc::Prog(p) => p.advance(now, cx),
            Proc::Shell(s) => s.advance(now, cx),
        }
    }

    /// Advances, following `exec` replacements, until the process runs or ends.
    pub fn drive(&mut self, now: Millis, cx: &mut Cx) -> Poll {
        for _ in 0..16 {
            match self.advance(now, cx) {
                Poll::Exec(next) => *self = *next,
                other => return other,
            }
        }
        Poll::Running(Some(now.saturating_add(1)))
    }

    /// The kernel kills it (PID 1 died, or SIGKILL): its ports close.
    pub fn kill(&mut self, cx: &mut Cx) {
        match self {
            Proc::Prog(p) => p.kill(cx),
            Proc::Shell(s) => s.kill(cx),
        }
    }

    pub fn http(&self, port: u16, path: &str) -> Option<HttpAnswer> {
        match self {
            Proc::Prog(p) => p.http(port, path),
            Proc::Shell(s) => s.http(port, path),
        }
    }

    /// When the process tree answers ready on `port` (see [`Prog::ready_at`]).
    pub fn ready_at(&self, port: u16) -> Option<Millis> {
        match self {
            Proc::Prog(p) => p.ready_at(port),
            Proc::Shell(s) => s.children().find_map(|c| c.ready_at(port)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("/app", "x/../y"), "/app/y");
        assert_eq!(normalize("/", "/tmp//started"), "/tmp/started");
        assert_eq!(normalize("/", "../.."), "/");
    }

    #[test]
    fn gated_routes() {
        let site = Site::new(15021, vec![Route::new("/healthz/ready", 200).gated(503)], 404);
        assert_eq!(site.answer("/healthz/ready", false).status, 503);
        assert_eq!(site.answer("/healthz/ready?x=1", true).status, 200);
        assert_eq!(site.answer("/other", true).status, 404);
    }
}
