//! The shell interpreter: runs compiled scripts in simulated time with the semantics that
//! matter for pods (images-and-processes.md §2): a `trap` runs when the foreground command
//! returns, or at once when the shell is blocked in `wait`; without a trap PID 1 drops the
//! signal; ash and bash exec their last command; background jobs live on until PID 1 dies.
//! Every simple command costs at least 1 ms and a call runs a bounded number of steps, so
//! busy loops advance time instead of hanging the simulation.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::code::{compile, Code, Op};
use super::proc::{normalize, Cx, Dest, Poll, Proc, Prog};
use super::shell::{parse, List, ParamOp, ParseErrorKind, Part, RedirOp, Script, Simple, Word};
use super::tools::{launch, Call, Launch};
use super::{HttpAnswer, Signal};
use crate::trace::Millis;

/// Which shell runs a script: messages, `echo` escapes and the exec optimisation differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// busybox ash (busybox, alpine): execs the last command.
    Ash,
    /// dash (Debian/Ubuntu `sh`): stays PID 1 (§2.3).
    Dash,
    /// bash: execs the last command.
    Bash,
}

impl Flavour {
    pub fn describe(self) -> &'static str {
        match self {
            Flavour::Ash => "busybox ash",
            Flavour::Dash => "dash",
            Flavour::Bash => "bash",
        }
    }
}

/// How a shell is started: the compiled script and the shell's own options.
#[derive(Debug, Clone, PartialEq)]
pub struct ShellStart {
    pub code: Arc<Code>,
    pub flavour: Flavour,
    /// `$0`, which also prefixes error messages (`sh`, `/bin/sh`, `bash` …).
    pub name: String,
    pub args: Vec<String>,
    pub errexit: bool,
    pub xtrace: bool,
}

impl ShellStart {
    pub fn new(src: &str, flavour: Flavour, name: &str) -> ShellStart {
        ShellStart {
            code: Arc::new(compile(&parse(src))),
            flavour,
            name: name.into(),
            args: Vec::new(),
            errexit: false,
            xtrace: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum FrameKind {
    Main,
    /// A trap action; `$?` is restored afterwards, or the shell exits with `exit_after`
    /// (the EXIT trap).
    Trap {
        saved: i32,
        exit_after: Option<i32>,
    },
    Func {
        saved_args: Vec<String>,
    },
    Eval,
}

#[derive(Debug, Clone, PartialEq)]
struct Frame {
    code: Arc<Code>,
    chunk: usize,
    pc: usize,
    fors: Vec<(Vec<String>, usize)>,
    kind: FrameKind,
}

#[derive(Debug, Clone, PartialEq)]
struct Job {
    pid: u32,
    proc: Option<Proc>,
    status: Option<i32>,
}

#[derive(Debug, Clone, PartialEq)]
enum Wait {
    Pid(u32),
    All,
}

/// Rounds a synchronous run (command substitution, pipeline stage) may take.
const SYNC_ROUNDS: usize = 4000;

#[derive(Debug, Clone, PartialEq)]
pub struct Shell {
    flavour: Flavour,
    name: String,
    args: Vec<String>,
    vars: BTreeMap<String, String>,
    funcs: BTreeMap<String, (Arc<Code>, usize)>,
    /// Signal name → action (`None`: ignored with `trap '' SIG`).
    traps: BTreeMap<String, Option<Arc<Code>>>,
    frames: Vec<Frame>,
    status: i32,
    pending: Vec<Signal>,
    waiting: Option<Wait>,
    fg: Option<(Box<Proc>, bool)>,
    jobs: Vec<Job>,
    last_bg: Option<u32>,
    next_pid: u32,
    pid: u32,
    clock: Millis,
    started: Millis,
    now: Millis,
    line: usize,
    errexit: bool,
    xtrace: bool,
    nounset: bool,
    /// Capturing subshells never exec: their output must reach the parent.
    no_exec: bool,
    fd1: Dest,
    fd2: Dest,
    pub captured: String,
    stdin: String,
    cwd: String,
    exit: Option<i32>,
    random: u32,
    /// Extra time spent in command substitutions of the current command.
    sub_cost: Millis,
}

fn min_opt(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

pub fn signal_number(name: &str) -> Option<i32> {
    Some(match name {
        "EXIT" => 0,
        "HUP" => 1,
        "INT" => 2,
        "QUIT" => 3,
        "KILL" => 9,
        "USR1" => 10,
        "USR2" => 12,
        "TERM" => 15,
        "CHLD" => 17,
        "WINCH" => 28,
        _ => return None,
    })
}

/// `TERM`, `SIGTERM`, `term`, `15` → `TERM`.
pub fn signal_name(spec: &str) -> Option<&'static str> {
    const NAMES: [&str; 10] = ["EXIT", "HUP", "INT", "QUIT", "KILL", "USR1", "USR2", "TERM", "CHLD", "WINCH"];
    let up = spec.to_ascii_uppercase();
    let bare = up.strip_prefix("SIG").unwrap_or(&up);
    if let Ok(n) = bare.parse::<i32>() {
        return NAMES.iter().copied().find(|s| signal_number(s) == Some(n));
    }
    NAMES.iter().copied().find(|s| *s == bare)
}

fn sig_key(sig: Signal) -> &'static str {
    sig.name().trim_start_matches("SIG")
}

impl Shell {
    pub fn new(
        start: ShellStart,
        vars: BTreeMap<String, String>,
        cwd: &str,
        now: Millis,
        fd1: Dest,
        fd2: Dest,
    ) -> Shell {
        let code = start.code;
        Shell {
            flavour: start.flavour,
            name: start.name,
            args: start.args,
            vars,
            funcs: BTreeMap::new(),
            traps: BTreeMap::new(),
            frames: vec![Frame { code, chunk: 0, pc: 0, fors: Vec::new(), kind: FrameKind::Main }],
            status: 0,
            pending: Vec::new(),
            waiting: None,
            fg: None,
            jobs: Vec::new(),
            last_bg: None,
            next_pid: 7,
            pid: 1,
            clock: now,
            started: now,
            now,
            line: 1,
            errexit: start.errexit,
            xtrace: start.xtrace,
            nounset: false,
            no_exec: false,
            fd1,
            fd2,
            captured: String::new(),
            stdin: String::new(),
            cwd: cwd.into(),
            exit: None,
            random: 12345,
            sub_cost: 0,
        }
    }

    /// A forked subshell running `chunk` of `code`.
    fn child(&mut self, code: Arc<Code>, chunk: usize, fd1: Dest, stdin: String, now: Millis) -> Shell {
        let pid = self.next_pid;
        self.next_pid += 1;
        Shell {
            frames: vec![Frame { code, chunk, pc: 0, fors: Vec::new(), kind: FrameKind::Main }],
            traps: BTreeMap::new(),
            pending: Vec::new(),
            waiting: None,
            fg: None,
            jobs: Vec::new(),
            pid,
            next_pid: pid * 16,
            clock: now,
            now,
            fd1,
            captured: String::new(),
            stdin,
            exit: None,
            sub_cost: 0,
            no_exec: false,
            ..self.clone_light()
        }
    }

    /// Clones the shell state a fork copies, without the process tree.
    fn clone_light(&self) -> Shell {
        Shell {
            flavour: self.flavour,
            name: self.name.clone(),
            args: self.args.clone(),
            vars: self.vars.clone(),
            funcs: self.funcs.clone(),
            traps: BTreeMap::new(),
            frames: Vec::new(),
            status: self.status,
            pending: Vec::new(),
            waiting: None,
            fg: None,
            jobs: Vec::new(),
            last_bg: self.last_bg,
            next_pid: self.next_pid,
            pid: self.pid,
            clock: self.clock,
            started: self.started,
            now: self.now,
            line: self.line,
            errexit: self.errexit,
            xtrace: self.xtrace,
            nounset: self.nounset,
            no_exec: self.no_exec,
            fd1: self.fd1.clone(),
            fd2: self.fd2.clone(),
            captured: String::new(),
            stdin: String::new(),
            cwd: self.cwd.clone(),
            exit: None,
            random: self.random,
            sub_cost: 0,
        }
    }

    /// A signal sent to this shell as PID 1: true when a trap will run.
    pub fn deliver(&mut self, sig: Signal) -> bool {
        match self.traps.get(sig_key(sig)) {
            Some(Some(_)) => {
                self.pending.push(sig);
                true
            }
            _ => false,
        }
    }

    pub fn kill(&mut self, cx: &mut Cx) {
        if let Some((fg, _)) = &mut self.fg {
            fg.kill(cx);
        }
        self.fg = None;
        for j in &mut self.jobs {
            if let Some(p) = &mut j.proc {
                p.kill(cx);
            }
            j.proc = None;
        }
    }

    /// The running foreground child and background jobs.
    pub fn children(&self) -> impl Iterator<Item = &Proc> {
        self.fg.iter().map(|(p, _)| p.as_ref()).chain(self.jobs.iter().filter_map(|j| j.proc.as_ref()))
    }

    pub fn http(&self, port: u16, path: &str) -> Option<HttpAnswer> {
        self.children().find_map(|p| p.http(port, path))
    }

    fn advance_jobs(&mut self, now: Millis, cx: &mut Cx) -> Option<Millis> {
        let mut next = None;
        for j in &mut self.jobs {
            if let Some(p) = &mut j.proc {
                match p.drive(now, cx) {
                    Poll::Running(t) => next = min_opt(next, t),
                    Poll::Exited(c) => {
                        j.status = Some(c);
                        j.proc = None;
                    }
                    Poll::Exec(_) => {}
                }
            }
        }
        next
    }

    pub fn advance(&mut self, now: Millis, cx: &mut Cx) -> Poll {
        self.now = now;
        loop {
            if cx.budget == 0 {
                return Poll::Running(Some(now.max(self.clock).saturating_add(1)));
            }
            cx.budget -= 1;
            let jobs_next = self.advance_jobs(now, cx);
            if let Some((fg, tested)) = &mut self.fg {
                match fg.advance(now, cx) {
                    Poll::Running(t) => return Poll::Running(min_opt(t, jobs_next)),
                    Poll::Exec(p) => {
                        *fg = p;
                        continue;
                    }
                    Poll::Exited(code) => {
                        let tested = *tested;
                        self.fg = None;
                        self.status = code;
                        self.clock = self.clock.max(now);
                        self.check_errexit(tested);
                    }
                }
            }
            if let Some(code) = self.exit {
                for j in &mut self.jobs {
                    if let Some(p) = j.proc.take() {
                        cx.orphans.push(p);
                    }
                }
                return Poll::Exited(code);
            }
            if self.clock > now {
                return Poll::Running(min_opt(Some(self.clock), jobs_next));
            }
            if !self.pending.is_empty() {
                let sig = self.pending.remove(0);
                if self.waiting.take().is_some() {
                    self.status = 128 + signal_number(sig_key(sig)).unwrap_or(15);
                }
                if let Some(Some(code)) = self.traps.get(sig_key(sig)).cloned() {
                    let saved = self.status;
                    self.frames.push(Frame {
                        code,
                        chunk: 0,
                        pc: 0,
                        fors: Vec::new(),
                        kind: FrameKind::Trap { saved, exit_after: None },
                    });
                }
                continue;
            }
            if let Some(w) = &self.waiting {
                let done = match w {
                    Wait::All => self.jobs.iter().all(|j| j.proc.is_none()).then_some(0),
                    Wait::Pid(pid) => match self.jobs.iter().find(|j| j.pid == *pid) {
                        Some(j) if j.proc.is_none() => Some(j.status.unwrap_or(0)),
                        Some(_) => None,
                        None => Some(127),
                    },
                };
                match done {
                    Some(st) => {
                        self.status = st;
                        self.waiting = None;
                        self.clock = self.clock.max(now);
                    }
                    None => return Poll::Running(jobs_next),
                }
                continue;
            }
            if let Some(p) = self.step(now, cx) {
                return p;
            }
        }
    }

    fn check_errexit(&mut self, tested: bool) {
        if self.errexit && self.status != 0 && !tested {
            self.begin_exit(self.status);
        }
    }

    fn begin_exit(&mut self, code: i32) {
        let code = code.rem_euclid(256);
        match self.traps.remove("EXIT") {
            Some(Some(trap)) => {
                self.frames.push(Frame {
                    code: trap,
                    chunk: 0,
                    pc: 0,
                    fors: Vec::new(),
                    kind: FrameKind::Trap { saved: code, exit_after: Some(code) },
                });
            }
            _ => self.exit = Some(code),
        }
    }

    fn pop_frame(&mut self) {
        let Some(f) = self.frames.pop() else { return };
        match f.kind {
            FrameKind::Main => {
                self.frames.clear();
                self.begin_exit(self.status);
            }
            FrameKind::Trap { saved, exit_after } => match exit_after {
                Some(c) => self.exit = Some(c),
                None => self.status = saved,
            },
            FrameKind::Func { saved_args } => self.args = saved_args,
            FrameKind::Eval => {}
        }
    }

    /// Executes one instruction; `Some` when the shell replaced itself.
    fn step(&mut self, now: Millis, cx: &mut Cx) -> Option<Poll> {
        let Some(frame) = self.frames.last_mut() else {
            self.begin_exit(self.status);
            return None;
        };
        let code = frame.code.clone();
        let Some(op) = code.chunks.get(frame.chunk).and_then(|c| c.get(frame.pc)) else {
            self.pop_frame();
            return None;
        };
        frame.pc += 1;
        match op {
            Op::Run { cmd, tested, tail } => {
                let tail = *tail
                    && self.frames.len() == 1
                    && self.traps.values().all(Option::is_none)
                    && !self.no_exec
                    && self.flavour != Flavour::Dash;
                return self.run_simple(cmd, *tested, tail, now, cx);
            }
            Op::Spawn(chunk) => {
                let mut sh = self.child(code.clone(), *chunk, self.fd1.clone(), String::new(), now);
                sh.stdin.clear();
                let pid = sh.pid;
                self.jobs.push(Job { pid, proc: Some(Proc::Shell(Box::new(sh))), status: None });
                self.last_bg = Some(pid);
                self.status = 0;
                self.clock = now + 1;
            }
            Op::Sub(chunk) => {
                let stdin = self.stdin.clone();
                let sh = self.child(code.clone(), *chunk, self.fd1.clone(), stdin, now);
                self.fg = Some((Box::new(Proc::Shell(Box::new(sh))), false));
            }
            Op::Pipe(stages) => {
                let mut input = self.stdin.clone();
                let mut t = now;
                let n = stages.len();
                for (i, chunk) in stages.iter().enumerate() {
                    let last = i + 1 == n;
                    let mut sh =
                        self.child(code.clone(), *chunk, if last { self.fd1.clone() } else { Dest::Capture }, input, t);
                    if last {
                        self.fg = Some((Box::new(Proc::Shell(Box::new(sh))), false));
                        break;
                    }
                    sh.no_exec = true;
                    let (_, end) = sh.run_sync(t, cx);
                    t = end;
                    input = std::mem::take(&mut sh.captured);
                }
                self.clock = t;
            }
            Op::Jump(t) => self.set_pc(*t),
            Op::JumpIfFail(t) => {
                if self.status != 0 {
                    self.set_pc(*t);
                }
            }
            Op::JumpIfOk(t) => {
                if self.status == 0 {
                    self.set_pc(*t);
                }
            }
            Op::Not => self.status = i32::from(self.status == 0),
            Op::SetStatus(s) => self.status = *s,
            Op::ForInit { words } => {
                let items = match words {
                    Some(ws) => {
                        let mut items = Vec::new();
                        for w in ws {
                            match self.expand(w, true, cx) {
                                Ok(f) => items.extend(f),
                                Err(msg) => return self.fatal(&msg, cx),
                            }
                        }
                        items
                    }
                    None => self.args.clone(),
                };
                if let Some(f) = self.frames.last_mut() {
                    f.fors.push((items, 0));
                }
                self.status = 0;
            }
            Op::ForNext { var, exit } => {
                let mut next = None;
                if let Some(f) = self.frames.last_mut() {
                    match f.fors.last_mut() {
                        Some((items, i)) if *i < items.len() => {
                            next = Some(items[*i].clone());
                            *i += 1;
                        }
                        _ => {
                            f.fors.pop();
                        }
                    }
                }
                match next {
                    Some(v) => {
                        self.vars.insert(var.clone(), v);
                    }
                    None => self.set_pc(*exit),
                }
            }
            Op::Break { target, pop_fors } => {
                if let Some(f) = self.frames.last_mut() {
                    for _ in 0..*pop_fors {
                        f.fors.pop();
                    }
                }
                self.set_pc(*target);
            }
            Op::DefFunc { name, chunk } => {
                self.funcs.insert(name.clone(), (code.clone(), *chunk));
                self.status = 0;
            }
            Op::Error(e) => {
                let msg = self.syntax_message(&e.kind, e.line);
                cx.write(&self.fd2.clone(), &format!("{msg}\n"), Some(&mut self.captured));
                self.clock = now + 1;
                self.begin_exit(2);
            }
        }
        None
    }

    fn set_pc(&mut self, pc: usize) {
        if let Some(f) = self.frames.last_mut() {
            f.pc = pc;
        }
    }

    /// Runs this (capturing) shell to its end right now; returns its status and end time.
    pub fn run_sync(&mut self, now: Millis, cx: &mut Cx) -> (i32, Millis) {
        let mut t = now;
        let saved = cx.budget;
        for _ in 0..SYNC_ROUNDS {
            cx.budget = 64;
            match self.advance(t, cx) {
                Poll::Exited(c) => {
                    cx.budget = saved;
                    return (c, t);
                }
                Poll::Running(Some(n)) => t = n.max(t + 1),
                Poll::Running(None) | Poll::Exec(_) => break,
            }
        }
        cx.budget = saved;
        // It would block forever: stop it where it is.
        self.kill(cx);
        (1, t)
    }

    fn prefix(&self) -> String {
        match self.flavour {
            Flavour::Ash => format!("{}: ", self.name),
            Flavour::Dash => format!("{}: {}: ", self.name, self.line),
            Flavour::Bash if self.single() => format!("{}: ", self.name),
            Flavour::Bash => format!("{}: line {}: ", self.name, self.line),
        }
    }

    fn single(&self) -> bool {
        self.frames.first().is_some_and(|f| f.code.single)
    }

    fn syntax_message(&self, kind: &ParseErrorKind, line: usize) -> String {
        let n = &self.name;
        let tok = |t: &str| if t == "newline" { "newline".to_string() } else { format!("\"{t}\"") };
        match (self.flavour, kind) {
            (Flavour::Ash, ParseErrorKind::Unexpected(t)) => format!("{n}: syntax error: unexpected {}", tok(t)),
            (Flavour::Ash, ParseErrorKind::Eof(Some(k))) => {
                format!("{n}: syntax error: unexpected end of file (expecting \"{k}\")")
            }
            (Flavour::Ash, ParseErrorKind::Eof(None)) => format!("{n}: syntax error: unexpected end of file"),
            (Flavour::Ash, ParseErrorKind::Unterminated(_)) => format!("{n}: syntax error: unterminated quoted string"),
            (Flavour::Ash, ParseErrorKind::BadSubstitution) => format!("{n}: syntax error: bad substitution"),
            (Flavour::Dash, ParseErrorKind::Unexpected(t)) => {
                format!("{n}: {line}: Syntax error: {} unexpected", tok(t))
            }
            (Flavour::Dash, ParseErrorKind::Eof(Some(k))) => {
                format!("{n}: {line}: Syntax error: end of file unexpected (expecting \"{k}\")")
            }
            (Flavour::Dash, ParseErrorKind::Eof(None)) => format!("{n}: {line}: Syntax error: end of file unexpected"),
            (Flavour::Dash, ParseErrorKind::Unterminated(_)) => {
                format!("{n}: {line}: Syntax error: Unterminated quoted string")
            }
            (Flavour::Dash, ParseErrorKind::BadSubstitution) => format!("{n}: {line}: Syntax error: Bad substitution"),
            (Flavour::Bash, ParseErrorKind::Unexpected(t)) => {
                format!("{n}: -c: line {line}: syntax error near unexpected token `{t}'")
            }
            (Flavour::Bash, ParseErrorKind::Eof(_)) => {
                format!("{n}: -c: line {line}: syntax error: unexpected end of file")
            }
            (Flavour::Bash, ParseErrorKind::Unterminated(q)) => {
                format!("{n}: -c: line {line}: unexpected EOF while looking for matching `{q}'")
            }
            (Flavour::Bash, ParseErrorKind::BadSubstitution) => format!("{n}: -c: line {line}: bad substitution"),
        }
    }

    /// An expansion error: non-interactive shells print it and exit.
    fn fatal(&mut self, msg: &str, cx: &mut Cx) -> Option<Poll> {
        cx.write(&self.fd2.clone(), &format!("{msg}\n"), Some(&mut self.captured));
        self.begin_exit(if self.flavour == Flavour::Bash { 1 } else { 2 });
        None
    }

    fn write(&mut self, dest: &Dest, text: &str, cx: &mut Cx) {
        cx.write(dest, text, Some(&mut self.captured));
    }

    fn run_simple(&mut self, cmd: &Simple, tested: bool, tail: bool, now: Millis, cx: &mut Cx) -> Option<Poll> {
        self.line = cmd.line;
        self.sub_cost = 0;
        let mut argv = Vec::new();
        for w in &cmd.words {
            match self.expand(w, true, cx) {
                Ok(f) => argv.extend(f),
                Err(msg) => return self.fatal(&msg, cx),
            }
        }
        let mut assigns = Vec::new();
        for (name, w) in &cmd.assigns {
            match self.expand(w, false, cx) {
                Ok(f) => assigns.push((name.clone(), f.concat())),
                Err(msg) => return self.fatal(&msg, cx),
            }
        }
        let (mut fd1, mut fd2, mut stdin) = (self.fd1.clone(), self.fd2.clone(), self.stdin.clone());
        for r in &cmd.redirs {
            let target = match self.expand(&r.target, false, cx) {
                Ok(f) => f.concat(),
                Err(msg) => return self.fatal(&msg, cx),
            };
            let file = |s: &Self| {
                let p = normalize(&s.cwd, &target);
                match p.as_str() {
                    "/dev/null" => Dest::Null,
                    "/dev/stdout" => s.fd1.clone(),
                    "/dev/stderr" => s.fd2.clone(),
                    _ => Dest::File(p),
                }
            };
            match r.op {
                RedirOp::Out | RedirOp::Append | RedirOp::Both(_) => {
                    let d = file(self);
                    if let Dest::File(p) = &d {
                        if matches!(r.op, RedirOp::Out | RedirOp::Both(false)) {
                            cx.fs.truncate(p);
                        }
                    }
                    match (r.op, r.fd) {
                        (RedirOp::Both(_), _) => {
                            fd1 = d.clone();
                            fd2 = d;
                        }
                        (_, 2) => fd2 = d,
                        (_, 1) => fd1 = d,
                        _ => {}
                    }
                }
                RedirOp::In => {
                    let p = normalize(&self.cwd, &target);
                    match cx.fs.read(&p) {
                        Some(s) => stdin = s,
                        None => {
                            let msg = format!("{}can't open {target}: no such file", self.prefix());
                            self.write(&fd2, &format!("{msg}\n"), cx);
                            self.status = 1;
                            self.clock = now + 1;
                            return None;
                        }
                    }
                }
                RedirOp::Dup => match (r.fd, target.as_str()) {
                    (2, "1") => fd2 = fd1.clone(),
                    (1, "2") => fd1 = fd2.clone(),
                    (1, "-") => fd1 = Dest::Null,
                    (2, "-") => fd2 = Dest::Null,
                    _ => {}
                },
            }
        }
        if self.xtrace && !argv.is_empty() {
            let line = format!("+ {}\n", argv.join(" "));
            let d = self.fd2.clone();
            self.write(&d, &line, cx);
        }
        let cost = 1 + self.sub_cost;
        if argv.is_empty() {
            for (k, v) in assigns {
                self.vars.insert(k, v);
            }
            if self.sub_cost == 0 {
                self.status = 0;
            }
            self.clock = now + cost;
            return None;
        }
        if let Some((code, chunk)) = self.funcs.get(&argv[0]).cloned() {
            let saved_args = std::mem::replace(&mut self.args, argv[1..].to_vec());
            if self.frames.len() > 100 {
                let msg = format!("{}{}: maximum function nesting level exceeded\n", self.prefix(), argv[0]);
                self.write(&fd2, &msg, cx);
                self.args = saved_args;
                self.begin_exit(2);
                return None;
            }
            self.frames.push(Frame { code, chunk, pc: 0, fors: Vec::new(), kind: FrameKind::Func { saved_args } });
            self.clock = now + cost;
            return None;
        }
        let io = Io { fd1, fd2, stdin };
        if let Some(r) = self.builtin(&argv, &assigns, &io, now, cx) {
            if !matches!(r, Some(Poll::Exec(_))) {
                self.clock = self.clock.max(now + cost);
            }
            if self.waiting.is_none() && self.exit.is_none() {
                self.check_errexit(tested);
            }
            return r;
        }
        self.external(&argv, &assigns, io, tested, tail, false, now, cx)
    }

    fn vars_with(&self, assigns: &[(String, String)]) -> BTreeMap<String, String> {
        let mut vars = self.vars.clone();
        vars.extend(assigns.iter().cloned());
        vars
    }

    #[allow(clippy::too_many_arguments)]
    fn external(
        &mut self,
        argv: &[String],
        assigns: &[(String, String)],
        io: Io,
        tested: bool,
        tail: bool,
        via_exec: bool,
        now: Millis,
        cx: &mut Cx,
    ) -> Option<Poll> {
        let vars = self.vars_with(assigns);
        let call = Call { argv, vars: &vars, stdin: &io.stdin, cwd: &self.cwd, now };
        let cost = 1 + self.sub_cost;
        let proc = match launch(&call, cx) {
            Launch::Done { status, out, err, cost: c } => {
                self.write(&io.fd1, &out, cx);
                self.write(&io.fd2, &err, cx);
                self.status = status;
                self.clock = now + c.max(1) + self.sub_cost;
                if via_exec {
                    self.exit = Some(status);
                    return None;
                }
                self.check_errexit(tested);
                return None;
            }
            Launch::NotFound => {
                let name = &argv[0];
                let msg = match (self.flavour, via_exec) {
                    (Flavour::Bash, true) => format!("{}exec: {name}: not found", self.prefix()),
                    (Flavour::Bash, false) => format!("{}{name}: command not found", self.prefix()),
                    (_, true) => format!("{}exec: {name}: not found", self.prefix()),
                    (_, false) => format!("{}{name}: not found", self.prefix()),
                };
                self.write(&io.fd2, &format!("{msg}\n"), cx);
                self.status = 127;
                self.clock = now + cost;
                if via_exec {
                    self.begin_exit(127);
                } else {
                    self.check_errexit(tested);
                }
                return None;
            }
            Launch::Prog(spec) => Proc::Prog(Prog::new(spec, now, io.fd1, io.fd2)),
            Launch::Shell(start) => {
                let mut sh = Shell::new(start, vars, &self.cwd, now, io.fd1, io.fd2);
                sh.stdin = io.stdin;
                sh.pid = if tail || via_exec { self.pid } else { self.next_pid };
                Proc::Shell(Box::new(sh))
            }
        };
        if tail || via_exec {
            for j in &mut self.jobs {
                if let Some(p) = j.proc.take() {
                    cx.orphans.push(p);
                }
            }
            return Some(Poll::Exec(Box::new(proc)));
        }
        self.next_pid += 1;
        self.fg = Some((Box::new(proc), tested));
        self.clock = now + self.sub_cost;
        None
    }

    /// Runs a builtin; `None` when `argv[0]` is not one. The inner option is an exec.
    fn builtin(
        &mut self,
        argv: &[String],
        assigns: &[(String, String)],
        io: &Io,
        now: Millis,
        cx: &mut Cx,
    ) -> Option<Option<Poll>> {
        let args = &argv[1..];
        let name = argv[0].as_str();
        let status = match name {
            ":" | "true" => 0,
            "false" => 1,
            "exit" => {
                let code = match args.first() {
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) => n.rem_euclid(256) as i32,
                        Err(_) => {
                            let msg = match self.flavour {
                                Flavour::Bash => format!("{}exit: {a}: numeric argument required\n", self.prefix()),
                                _ => format!("{}exit: Illegal number: {a}\n", self.prefix()),
                            };
                            self.write(&io.fd2, &msg, cx);
                            2
                        }
                    },
                    // In a trap, `exit` uses the status from before the trap (POSIX).
                    None => match self.frames.iter().rev().find_map(|f| match f.kind {
                        FrameKind::Trap { saved, .. } => Some(saved),
                        _ => None,
                    }) {
                        Some(saved) => saved,
                        None => self.status,
                    },
                };
                self.begin_exit(code);
                return Some(None);
            }
            "return" => {
                let code = args.first().and_then(|a| a.parse::<i32>().ok()).unwrap_or(self.status);
                if let Some(i) = self.frames.iter().rposition(|f| matches!(f.kind, FrameKind::Func { .. })) {
                    while self.frames.len() > i {
                        self.pop_frame();
                    }
                }
                code
            }
            "break" | "continue" => 0,
            "echo" => {
                let out = self.echo(args);
                self.write(&io.fd1, &out, cx);
                0
            }
            "printf" => match args.split_first() {
                Some((fmt, rest)) => {
                    let out = printf(fmt, rest);
                    self.write(&io.fd1, &out, cx);
                    0
                }
                None => {
                    let msg = format!("{}printf: usage: printf format [arguments]\n", self.prefix());
                    self.write(&io.fd2, &msg, cx);
                    2
                }
            },
            "test" | "[" => {
                let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
                if name == "[" {
                    if a.last() != Some(&"]") {
                        let msg = format!("{}[: missing ]\n", self.prefix());
                        self.write(&io.fd2, &msg, cx);
                        return Some(self.done(2));
                    }
                    a.pop();
                }
                match test(&a, cx, &self.cwd) {
                    Ok(b) => i32::from(!b),
                    Err(e) => {
                        let msg = format!("{}{name}: {e}\n", self.prefix());
                        self.write(&io.fd2, &msg, cx);
                        2
                    }
                }
            }
            "cd" => {
                let target = args.first().cloned().unwrap_or_else(|| "/root".into());
                let p = normalize(&self.cwd, &target);
                if cx.fs.is_dir(&p) {
                    self.cwd = p;
                    0
                } else {
                    let msg = match self.flavour {
                        Flavour::Bash => format!("{}cd: {target}: No such file or directory\n", self.prefix()),
                        _ => format!("{}cd: can't cd to {target}\n", self.prefix()),
                    };
                    self.write(&io.fd2, &msg, cx);
                    if self.flavour == Flavour::Bash {
                        1
                    } else {
                        2
                    }
                }
            }
            "pwd" => {
                let out = format!("{}\n", self.cwd);
                self.write(&io.fd1, &out, cx);
                0
            }
            "export" | "local" | "readonly" | "declare" | "typeset" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    if let Some((k, v)) = a.split_once('=') {
                        self.vars.insert(k.to_string(), v.to_string());
                    }
                }
                0
            }
            "unset" => {
                for a in args.iter().filter(|a| !a.starts_with('-')) {
                    self.vars.remove(a);
                    self.funcs.remove(a);
                }
                0
            }
            "set" => {
                let mut it = args.iter();
                while let Some(a) = it.next() {
                    match a.as_str() {
                        "--" => {
                            self.args = it.cloned().collect();
                            break;
                        }
                        "-o" | "+o" => {
                            it.next();
                        }
                        f if f.starts_with('-') || f.starts_with('+') => {
                            let on = f.starts_with('-');
                            for c in f.chars().skip(1) {
                                match c {
                                    'e' => self.errexit = on,
                                    'x' => self.xtrace = on,
                                    'u' => self.nounset = on,
                                    _ => {}
                                }
                            }
                        }
                        _ => {
                            self.args = std::iter::once(a).chain(it).cloned().collect();
                            break;
                        }
                    }
                }
                0
            }
            "shift" => {
                let n = args.first().and_then(|a| a.parse::<usize>().ok()).unwrap_or(1);
                if n > self.args.len() {
                    1
                } else {
                    self.args.drain(..n);
                    0
                }
            }
            "trap" => self.trap(args, io, cx),
            "wait" => {
                self.waiting = Some(match args.first() {
                    Some(a) => match a.trim_start_matches('%').parse::<u32>() {
                        Ok(pid) => Wait::Pid(pid),
                        Err(_) => Wait::All,
                    },
                    None => Wait::All,
                });
                self.clock = now + 1;
                return Some(None);
            }
            "exec" => {
                if args.is_empty() {
                    self.fd1 = io.fd1.clone();
                    self.fd2 = io.fd2.clone();
                    0
                } else {
                    let io = Io { fd1: io.fd1.clone(), fd2: io.fd2.clone(), stdin: io.stdin.clone() };
                    return Some(self.external(args, assigns, io, false, true, true, now, cx));
                }
            }
            "eval" | "." | "source" => {
                let src = if name == "eval" {
                    args.join(" ")
                } else {
                    let p = normalize(&self.cwd, args.first().map(String::as_str).unwrap_or(""));
                    match cx.fs.read(&p) {
                        Some(s) => s,
                        None => {
                            let msg = format!("{}{name}: can't open '{}'\n", self.prefix(), p);
                            self.write(&io.fd2, &msg, cx);
                            self.begin_exit(2);
                            return Some(None);
                        }
                    }
                };
                let code = Arc::new(compile(&parse(&src)));
                self.frames.push(Frame { code, chunk: 0, pc: 0, fors: Vec::new(), kind: FrameKind::Eval });
                0
            }
            "read" => {
                let mut lines = io.stdin.splitn(2, '\n');
                match lines.next().filter(|_| !io.stdin.is_empty()) {
                    Some(line) => {
                        let line = line.to_string();
                        self.stdin = lines.next().unwrap_or("").to_string();
                        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
                        let mut words = line.split_whitespace();
                        for (i, n) in names.iter().enumerate() {
                            let v = if i + 1 == names.len() {
                                words.by_ref().collect::<Vec<_>>().join(" ")
                            } else {
                                words.next().unwrap_or("").to_string()
                            };
                            self.vars.insert((*n).clone(), v);
                        }
                        0
                    }
                    None => 1,
                }
            }
            "kill" => self.kill_builtin(args, io, now, cx),
            "command" if args.first().is_some_and(|a| a == "-v") => {
                let found: Vec<String> = args[1..]
                    .iter()
                    .filter(|n| is_builtin(n) || self.funcs.contains_key(*n) || super::tools::exists(n, cx.env))
                    .cloned()
                    .collect();
                for n in &found {
                    let out =
                        if is_builtin(n) || n.contains('/') { format!("{n}\n") } else { format!("/usr/bin/{n}\n") };
                    self.write(&io.fd1, &out, cx);
                }
                i32::from(found.len() < args.len() - 1)
            }
            "umask" | "ulimit" | "hash" | "alias" | "unalias" | "times" | "type" | "getopts" => 0,
            _ => return None,
        };
        Some(self.done(status))
    }

    fn done(&mut self, status: i32) -> Option<Poll> {
        self.status = status;
        None
    }

    fn trap(&mut self, args: &[String], io: &Io, cx: &mut Cx) -> i32 {
        let (action, sigs) = match args {
            [] => return 0,
            [a] if a == "-p" || a == "-l" => return 0,
            [one] => (Some("-"), std::slice::from_ref(one)),
            [first, rest @ ..] => (Some(first.as_str()), rest),
        };
        let mut status = 0;
        for s in sigs {
            let Some(key) = signal_name(s) else {
                let msg = match self.flavour {
                    Flavour::Bash => format!("{}trap: {s}: invalid signal specification\n", self.prefix()),
                    _ => format!("{}trap: {s}: bad trap\n", self.prefix()),
                };
                self.write(&io.fd2, &msg, cx);
                status = 1;
                continue;
            };
            match action {
                Some("-") => {
                    self.traps.remove(key);
                }
                Some("") => {
                    self.traps.insert(key.to_string(), None);
                }
                Some(src) => {
                    let code = Arc::new(compile(&parse(src)));
                    self.traps.insert(key.to_string(), Some(code));
                }
                None => {}
            }
        }
        status
    }

    fn kill_builtin(&mut self, args: &[String], io: &Io, now: Millis, cx: &mut Cx) -> i32 {
        let mut sig = "TERM";
        let mut status = 0;
        let mut it = args.iter().peekable();
        if let Some(a) = it.peek() {
            if a.as_str() == "-s" {
                it.next();
                sig = it.next().and_then(|s| signal_name(s)).unwrap_or("TERM");
            } else if let Some(s) = a.strip_prefix('-') {
                if s == "0" {
                    sig = "EXIT";
                } else if let Some(n) = signal_name(s) {
                    sig = n;
                }
                it.next();
            }
        }
        for target in it {
            let Ok(pid) = target.trim_start_matches('%').parse::<u32>() else { continue };
            if sig == "EXIT" {
                let alive = pid == self.pid || self.jobs.iter().any(|j| j.pid == pid && j.proc.is_some());
                status = i32::from(!alive);
                continue;
            }
            if pid == self.pid {
                // Signalling ourselves: delivered only when handled (PID 1 rule).
                let s = match sig {
                    "INT" => Some(Signal::Int),
                    "QUIT" => Some(Signal::Quit),
                    "TERM" => Some(Signal::Term),
                    "WINCH" => Some(Signal::Winch),
                    _ => None,
                };
                if let Some(s) = s {
                    self.deliver(s);
                }
                continue;
            }
            match self.jobs.iter_mut().find(|j| j.pid == pid && j.proc.is_some()) {
                Some(j) => {
                    // Not PID 1: the default action kills it (128 + signal number).
                    if let Some(p) = &mut j.proc {
                        p.kill(cx);
                    }
                    j.proc = None;
                    j.status = Some(128 + signal_number(sig).unwrap_or(15));
                }
                None => {
                    let msg = format!("{}kill: can't kill pid {pid}: No such process\n", self.prefix());
                    self.write(&io.fd2, &msg, cx);
                    status = 1;
                }
            }
        }
        self.clock = now + 1;
        status
    }

    fn echo(&self, args: &[String]) -> String {
        let mut newline = true;
        let mut escapes = self.flavour == Flavour::Dash;
        let mut i = 0;
        // dash's echo only knows -n; ash and bash also take -e/-E.
        while let Some(a) = args.get(i) {
            let flags = a.strip_prefix('-').filter(|f| {
                !f.is_empty()
                    && f.chars().all(|c| c == 'n' || (self.flavour != Flavour::Dash && (c == 'e' || c == 'E')))
            });
            let Some(flags) = flags else { break };
            for c in flags.chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        }
        let mut out = args[i..].join(" ");
        if escapes {
            let (s, stop) = unescape(&out);
            out = s;
            if stop {
                return out;
            }
        }
        if newline {
            out.push('\n');
        }
        out
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        let now = self.now.max(self.clock);
        match name {
            "?" => Some(self.status.to_string()),
            "!" => self.last_bg.map(|p| p.to_string()),
            "$" => Some(self.pid.to_string()),
            "#" => Some(self.args.len().to_string()),
            "0" => Some(self.name.clone()),
            "@" | "*" => Some(self.args.join(" ")),
            "-" => Some(format!("{}{}", if self.errexit { "e" } else { "" }, if self.xtrace { "x" } else { "" })),
            "PWD" => Some(self.cwd.clone()),
            "PPID" => Some("0".into()),
            "LINENO" => Some(self.line.to_string()),
            "SECONDS" if self.flavour == Flavour::Bash && !self.vars.contains_key(name) => {
                Some(((now - self.started) / 1000).to_string())
            }
            "RANDOM" if self.flavour != Flavour::Dash => {
                // A fixed linear congruential sequence: deterministic like everything else.
                self.random = self.random.wrapping_mul(1_103_515_245).wrapping_add(12345);
                Some(((self.random >> 16) % 32768).to_string())
            }
            n if n.len() == 1 && n.as_bytes()[0].is_ascii_digit() => {
                let i = usize::from(n.as_bytes()[0] - b'0');
                self.args.get(i - 1).cloned()
            }
            _ => self.vars.get(name).cloned(),
        }
    }

    /// Expands a word into fields (`split`: unquoted expansions are split on blanks).
    fn expand(&mut self, w: &Word, split: bool, cx: &mut Cx) -> Result<Vec<String>, String> {
        let mut fields: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut has = false;
        for part in &w.0 {
            let (value, quoted) = match part {
                Part::Lit(s) | Part::Quoted(s) => {
                    cur.push_str(s);
                    has = true;
                    continue;
                }
                Part::Param { name, op, quoted } => {
                    if name == "@" && *quoted && self.args.len() > 1 {
                        // "$@": one field per argument.
                        let args = self.args.clone();
                        for (i, a) in args.iter().enumerate() {
                            cur.push_str(a);
                            if i + 1 < args.len() {
                                fields.push(std::mem::take(&mut cur));
                            }
                        }
                        has = true;
                        continue;
                    }
                    (self.param(name, op, cx)?, *quoted)
                }
                Part::CmdSub { list, quoted } => (self.command_subst(list, cx), *quoted),
                Part::Arith { expr, quoted } => {
                    let expanded = self.expand_text(expr, cx)?;
                    match arith(&expanded, &mut |n| self.vars.get(n).and_then(|v| v.trim().parse().ok()).unwrap_or(0)) {
                        Ok(v) => (v.to_string(), *quoted),
                        Err(e) => return Err(format!("{}arithmetic syntax error: {e}", self.prefix())),
                    }
                }
            };
            if quoted || !split {
                cur.push_str(&value);
                has = true;
            } else {
                let starts_blank = value.starts_with(char::is_whitespace);
                let ends_blank = value.ends_with(char::is_whitespace);
                let pieces: Vec<&str> = value.split_whitespace().collect();
                if starts_blank && has {
                    fields.push(std::mem::take(&mut cur));
                    has = false;
                }
                for (i, p) in pieces.iter().enumerate() {
                    cur.push_str(p);
                    has = true;
                    if i + 1 < pieces.len() {
                        fields.push(std::mem::take(&mut cur));
                    }
                }
                if ends_blank && has && !pieces.is_empty() {
                    fields.push(std::mem::take(&mut cur));
                    has = false;
                }
            }
        }
        if has {
            fields.push(cur);
        }
        Ok(fields)
    }

    /// `$VAR` references inside `$(( ))` are expanded before evaluation.
    fn expand_text(&mut self, expr: &str, cx: &mut Cx) -> Result<String, String> {
        if !expr.contains('$') {
            return Ok(expr.to_string());
        }
        let script = parse(&format!("x {expr}"));
        let Some(word) = script.body.items.first().and_then(|(ao, _)| match ao.first.cmds.first() {
            Some(super::shell::Cmd::Simple(s)) => Some(s.words[1..].to_vec()),
            _ => None,
        }) else {
            return Ok(expr.to_string());
        };
        let mut out = Vec::new();
        for w in &word {
            out.push(self.expand(w, false, cx)?.concat());
        }
        Ok(out.join(" "))
    }

    fn param(&mut self, name: &str, op: &ParamOp, cx: &mut Cx) -> Result<String, String> {
        let value = self.lookup(name);
        let word = |s: &mut Self, w: &Word, cx: &mut Cx| s.expand(w, false, cx).map(|f| f.concat());
        let unset_or_empty = |colon: bool, v: &Option<String>| match v {
            None => true,
            Some(s) => colon && s.is_empty(),
        };
        Ok(match op {
            ParamOp::Plain => match value {
                Some(v) => v,
                None if self.nounset && name != "@" && name != "*" => {
                    return Err(format!("{}{name}: parameter not set", self.prefix()));
                }
                None => String::new(),
            },
            ParamOp::Length => value.unwrap_or_default().chars().count().to_string(),
            ParamOp::Default(c, w) => {
                if unset_or_empty(*c, &value) {
                    word(self, w, cx)?
                } else {
                    value.unwrap_or_default()
                }
            }
            ParamOp::Assign(c, w) => {
                if unset_or_empty(*c, &value) {
                    let v = word(self, w, cx)?;
                    self.vars.insert(name.to_string(), v.clone());
                    v
                } else {
                    value.unwrap_or_default()
                }
            }
            ParamOp::Alt(c, w) => {
                if unset_or_empty(*c, &value) {
                    String::new()
                } else {
                    word(self, w, cx)?
                }
            }
            ParamOp::Error(c, w) => {
                if unset_or_empty(*c, &value) {
                    let msg = word(self, w, cx)?;
                    let msg = if msg.is_empty() {
                        if *c {
                            "parameter null or not set".to_string()
                        } else {
                            "parameter not set".to_string()
                        }
                    } else {
                        msg
                    };
                    return Err(format!("{}{name}: {msg}", self.prefix()));
                }
                value.unwrap_or_default()
            }
            ParamOp::TrimSuffix(w) => {
                let v = value.unwrap_or_default();
                let pat = word(self, w, cx)?;
                v.strip_suffix(pat.as_str()).map(str::to_string).unwrap_or(v)
            }
            ParamOp::TrimPrefix(w) => {
                let v = value.unwrap_or_default();
                let pat = word(self, w, cx)?;
                v.strip_prefix(pat.as_str()).map(str::to_string).unwrap_or(v)
            }
        })
    }

    fn command_subst(&mut self, list: &List, cx: &mut Cx) -> String {
        let code = Arc::new(compile(&Script { body: list.clone(), error: None }));
        let now = self.now.max(self.clock) + self.sub_cost;
        let mut sub = self.child(code, 0, Dest::Capture, String::new(), now);
        sub.no_exec = true;
        let (status, end) = sub.run_sync(now, cx);
        self.status = status;
        self.sub_cost += end.saturating_sub(now);
        let mut out = std::mem::take(&mut sub.captured);
        while out.ends_with('\n') {
            out.pop();
        }
        out
    }
}

/// Output routing of one command.
struct Io {
    fd1: Dest,
    fd2: Dest,
    stdin: String,
}

pub fn is_builtin(name: &str) -> bool {
    matches!(
        name,
        ":" | "true"
            | "false"
            | "exit"
            | "return"
            | "break"
            | "continue"
            | "echo"
            | "printf"
            | "test"
            | "["
            | "cd"
            | "pwd"
            | "export"
            | "local"
            | "readonly"
            | "unset"
            | "set"
            | "shift"
            | "trap"
            | "wait"
            | "exec"
            | "eval"
            | "."
            | "source"
            | "read"
            | "kill"
            | "command"
            | "umask"
            | "ulimit"
            | "type"
    )
}

/// Backslash escapes of `echo -e` / dash's echo / `printf`; true when `\c` stops output.
pub fn unescape(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some('e') => out.push('\u{1b}'),
            Some('\\') => out.push('\\'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut n = 0u32;
                for _ in 0..3 {
                    match it.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            n = n * 8 + d;
                            it.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(n).unwrap_or('?'));
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

/// `printf FORMAT ARGS…`: `%s %d %i %u %x %X %o %c %b %%` with flags and width; the format
/// repeats while arguments remain.
pub fn printf(fmt: &str, args: &[String]) -> String {
    let mut out = String::new();
    let mut ai = 0;
    for _round in 0..1000 {
        let (s, _) = unescape(fmt);
        let chars: Vec<char> = s.chars().collect();
        let mut i = 0;
        let mut used = false;
        while i < chars.len() {
            let c = chars[i];
            i += 1;
            if c != '%' {
                out.push(c);
                continue;
            }
            let mut spec = String::new();
            while i < chars.len() && "-+ #0123456789.".contains(chars[i]) {
                spec.push(chars[i]);
                i += 1;
            }
            let Some(&conv) = chars.get(i) else {
                out.push('%');
                out.push_str(&spec);
                break;
            };
            i += 1;
            if conv == '%' {
                out.push('%');
                continue;
            }
            let arg = args.get(ai).cloned().unwrap_or_default();
            if ai < args.len() {
                used = true;
            }
            ai += 1;
            let left = spec.starts_with('-');
            let zero = spec.starts_with('0');
            let width: usize = spec
                .trim_start_matches(['-', '+', ' ', '#', '0'])
                .split('.')
                .next()
                .and_then(|w| w.parse().ok())
                .unwrap_or(0);
            let num = || arg.trim().parse::<i64>().unwrap_or(0);
            let body = match conv {
                'd' | 'i' | 'u' => num().to_string(),
                'x' => format!("{:x}", num()),
                'X' => format!("{:X}", num()),
                'o' => format!("{:o}", num()),
                'c' => arg.chars().next().map(String::from).unwrap_or_default(),
                'b' => unescape(&arg).0,
                _ => arg,
            };
            let pad = width.saturating_sub(body.chars().count());
            if left {
                out.push_str(&body);
                out.extend(std::iter::repeat_n(' ', pad));
            } else {
                out.extend(std::iter::repeat_n(if zero { '0' } else { ' ' }, pad));
                out.push_str(&body);
            }
        }
        if !used || ai >= args.len() {
            break;
        }
    }
    out
}

/// `test` / `[`: the common unary and binary operators, `!`, `-a` and `-o`.
pub fn test(a: &[&str], cx: &Cx, cwd: &str) -> Result<bool, String> {
    if let Some(i) = a.iter().position(|x| *x == "-o") {
        if i > 0 {
            return Ok(test(&a[..i], cx, cwd)? || test(&a[i + 1..], cx, cwd)?);
        }
    }
    if let Some(i) = a.iter().position(|x| *x == "-a") {
        if i > 0 {
            return Ok(test(&a[..i], cx, cwd)? && test(&a[i + 1..], cx, cwd)?);
        }
    }
    let int = |s: &str| s.trim().parse::<i64>().map_err(|_| format!("{s}: bad number"));
    match a {
        [] => Ok(false),
        ["!", rest @ ..] => Ok(!test(rest, cx, cwd)?),
        [s] => Ok(!s.is_empty()),
        [op, x] => {
            let p = normalize(cwd, x);
            Ok(match *op {
                "-n" => !x.is_empty(),
                "-z" => x.is_empty(),
                "-f" => cx.fs.is_file(&p),
                "-d" => cx.fs.is_dir(&p),
                "-e" | "-r" | "-w" | "-L" | "-h" => cx.fs.is_file(&p) || cx.fs.is_dir(&p),
                "-s" => cx.fs.read(&p).is_some_and(|c| !c.is_empty()),
                "-x" => cx.fs.is_dir(&p) || super::tools::exists(x, cx.env),
                _ => return Err(format!("{op}: unary operator expected")),
            })
        }
        [x, op, y] => Ok(match *op {
            "=" | "==" => x == y,
            "!=" => x != y,
            "<" => x < y,
            ">" => x > y,
            "-eq" => int(x)? == int(y)?,
            "-ne" => int(x)? != int(y)?,
            "-lt" => int(x)? < int(y)?,
            "-le" => int(x)? <= int(y)?,
            "-gt" => int(x)? > int(y)?,
            "-ge" => int(x)? >= int(y)?,
            _ => return Err(format!("{op}: binary operator expected")),
        }),
        _ => Err("too many arguments".into()),
    }
}

/// Integer arithmetic of `$(( ))`: `+ - * / %`, comparisons, `&& || !`, parentheses.
pub fn arith(expr: &str, var: &mut dyn FnMut(&str) -> i64) -> Result<i64, String> {
    let toks = arith_tokens(expr)?;
    let mut p = Arith { toks, i: 0, var, depth: 0 };
    let v = p.binary(0)?;
    if p.i < p.toks.len() {
        return Err(format!("unexpected '{}'", p.toks[p.i]));
    }
    Ok(v)
}

fn arith_tokens(s: &str) -> Result<Vec<String>, String> {
    let mut toks = Vec::new();
    let cs: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_alphanumeric() || c == '_' {
            let st = i;
            while i < cs.len() && (cs[i].is_ascii_alphanumeric() || cs[i] == '_') {
                i += 1;
            }
            toks.push(cs[st..i].iter().collect());
        } else {
            let two: String = cs[i..(i + 2).min(cs.len())].iter().collect();
            if ["<=", ">=", "==", "!=", "&&", "||"].contains(&two.as_str()) {
                toks.push(two);
                i += 2;
            } else if "+-*/%<>()!".contains(c) {
                toks.push(c.to_string());
                i += 1;
            } else {
                return Err(format!("unexpected '{c}'"));
            }
        }
    }
    Ok(toks)
}

struct Arith<'a> {
    toks: Vec<String>,
    i: usize,
    var: &'a mut dyn FnMut(&str) -> i64,
    depth: usize,
}

impl Arith<'_> {
    fn prec(op: &str) -> Option<u8> {
        Some(match op {
            "||" => 1,
            "&&" => 2,
            "==" | "!=" => 3,
            "<" | ">" | "<=" | ">=" => 4,
            "+" | "-" => 5,
            "*" | "/" | "%" => 6,
            _ => return None,
        })
    }

    fn binary(&mut self, min: u8) -> Result<i64, String> {
        let mut lhs = self.unary()?;
        while let Some(op) = self.toks.get(self.i).cloned() {
            let Some(p) = Self::prec(&op) else { break };
            if p < min {
                break;
            }
            self.i += 1;
            let rhs = self.binary(p + 1)?;
            lhs = match op.as_str() {
                "||" => i64::from(lhs != 0 || rhs != 0),
                "&&" => i64::from(lhs != 0 && rhs != 0),
                "==" => i64::from(lhs == rhs),
                "!=" => i64::from(lhs != rhs),
                "<" => i64::from(lhs < rhs),
                ">" => i64::from(lhs > rhs),
                "<=" => i64::from(lhs <= rhs),
                ">=" => i64::from(lhs >= rhs),
                "+" => lhs.wrapping_add(rhs),
                "-" => lhs.wrapping_sub(rhs),
                "*" => lhs.wrapping_mul(rhs),
                "/" | "%" if rhs == 0 => return Err("division by zero".into()),
                "/" => lhs.wrapping_div(rhs),
                _ => lhs.wrapping_rem(rhs),
            };
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression too deep".into());
        }
        let t = self.toks.get(self.i).cloned().ok_or("missing operand")?;
        self.i += 1;
        let v = match t.as_str() {
            "-" => self.unary()?.wrapping_neg(),
            "+" => self.unary()?,
            "!" => i64::from(self.unary()? == 0),
            "(" => {
                let v = self.binary(0)?;
                if self.toks.get(self.i).map(String::as_str) != Some(")") {
                    return Err("missing ')'".into());
                }
                self.i += 1;
                v
            }
            t if t.as_bytes()[0].is_ascii_digit() => t.parse().map_err(|_| format!("bad number '{t}'"))?,
            t if t.as_bytes()[0].is_ascii_alphabetic() || t.starts_with('_') => (self.var)(t),
            t => return Err(format!("unexpected '{t}'")),
        };
        self.depth -= 1;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic() {
        let mut v = |n: &str| if n == "i" { 4 } else { 0 };
        assert_eq!(arith("i + 1", &mut v), Ok(5));
        assert_eq!(arith("(2+3)*4 % 7", &mut v), Ok(6));
        assert_eq!(arith("i > 3 && 1", &mut v), Ok(1));
        assert!(arith("1 / 0", &mut v).is_err());
        assert!(arith("1 +", &mut v).is_err());
        assert!(arith(&"(".repeat(500), &mut v).is_err());
    }

    #[test]
    fn printf_formats() {
        assert_eq!(printf("%s-%d\\n", &["a".into(), "7".into()]), "a-7\n");
        assert_eq!(printf("%03d|%-3s|", &["5".into(), "x".into()]), "005|x  |");
        assert_eq!(printf("%s\\n", &["a".into(), "b".into()]), "a\nb\n");
    }

    #[test]
    fn signal_specs() {
        assert_eq!(signal_name("SIGTERM"), Some("TERM"));
        assert_eq!(signal_name("15"), Some("TERM"));
        assert_eq!(signal_name("int"), Some("INT"));
        assert_eq!(signal_name("FOO"), None);
    }
}
