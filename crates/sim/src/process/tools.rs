//! External commands: what `argv` starts inside a container. Small utilities finish at once
//! with their output (busybox or coreutils wording, by image); shells start a [`Shell`];
//! servers and `sleep` become timeline programs. A name the image is known not to have is
//! "not found" (exit 127 in a shell, StartError as PID 1); in an image podsim does not know,
//! an unknown name is guessed to run until stopped.
//!
//! [`Shell`]: super::script::Shell

use std::collections::BTreeMap;

use super::images::{self, Env};
use super::net_tools;
use super::proc::{normalize, Act, Cx, Spec};
use super::script::{printf, test, Flavour, ShellStart};
use crate::trace::Millis;

/// One command to start.
pub struct Call<'a> {
    pub argv: &'a [String],
    pub vars: &'a BTreeMap<String, String>,
    pub stdin: &'a str,
    pub cwd: &'a str,
    pub now: Millis,
}

#[derive(Debug)]
pub enum Launch {
    /// Finished after `cost` with this output.
    Done {
        status: i32,
        out: String,
        err: String,
        cost: Millis,
    },
    Prog(Spec),
    Shell(ShellStart),
    NotFound,
}

fn done(status: i32, out: impl Into<String>, err: impl Into<String>) -> Launch {
    Launch::Done { status, out: out.into(), err: err.into(), cost: 1 }
}

/// Directories whose programs are found by name.
const BIN_DIRS: [&str; 6] = ["/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"];

/// Utilities every Linux image has that podsim does not model: they succeed at once.
const PLAIN_UTILS: [&str; 40] = [
    "base64",
    "chmod",
    "chown",
    "chgrp",
    "cp",
    "mv",
    "ln",
    "sed",
    "awk",
    "cut",
    "sort",
    "uniq",
    "tr",
    "find",
    "xargs",
    "dd",
    "df",
    "du",
    "sync",
    "stat",
    "readlink",
    "realpath",
    "md5sum",
    "sha256sum",
    "gzip",
    "gunzip",
    "tar",
    "ps",
    "free",
    "mount",
    "umount",
    "nslookup",
    "ping",
    "ip",
    "ifconfig",
    "netstat",
    "stty",
    "tput",
    "clear",
    "logger",
];

/// Utilities modelled here.
const MODELLED: [&str; 31] = [
    "sleep", "touch", "rm", "mkdir", "cat", "ls", "date", "env", "printenv", "hostname", "uname", "id", "whoami",
    "true", "false", "echo", "printf", "test", "[", "head", "tail", "grep", "wc", "tee", "basename", "dirname", "seq",
    "kill", "timeout", "yes", "expr",
];

/// Whether `name` (a bare name or a path) is a program of this image.
pub fn exists(name: &str, env: &Env) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    if !env.known() {
        return true;
    }
    MODELLED.contains(&base)
        || PLAIN_UTILS.contains(&base)
        || env.bins.iter().any(|b| *b == name || b.rsplit('/').next() == Some(base))
        || match base {
            "sh" => env.sh.is_some(),
            "ash" => env.sh == Some(Flavour::Ash),
            "dash" => env.sh == Some(Flavour::Dash),
            "bash" => env.bash,
            "zsh" => env.zsh,
            "nc" | "netcat" => env.nc.is_some(),
            "curl" => env.curl.is_some(),
            "wget" => env.wget.is_some(),
            "python" | "python3" => env.python,
            "perl" => env.perl,
            "node" | "nodejs" => env.node,
            _ => (base.starts_with("python3.") && env.python) || (base.starts_with("perl5") && env.perl),
        }
}

/// The program name to dispatch on: the base name for programs of the standard directories
/// or of the image, `None` for other paths (scripts, mounted binaries).
fn program_name<'a>(name: &'a str, env: &Env) -> Option<&'a str> {
    if !name.contains('/') {
        return Some(name);
    }
    let (dir, base) = name.rsplit_once('/').unwrap_or(("", name));
    let dir = if dir.is_empty() { "/" } else { dir };
    if BIN_DIRS.contains(&dir) || env.bins.contains(&name) {
        Some(base)
    } else {
        None
    }
}

pub fn launch(call: &Call, cx: &mut Cx) -> Launch {
    let Some(name) = call.argv.first() else { return done(0, "", "") };
    let args = &call.argv[1..];
    let env = cx.env;
    if name.contains('/') {
        let path = normalize(call.cwd, name);
        if let Some(src) = cx.fs.read(&path).filter(|_| cx.fs.files.contains_key(&path)) {
            // A script written in the container: run it with its interpreter.
            let flavour = if src.starts_with("#!/bin/bash") || src.starts_with("#!/usr/bin/env bash") {
                Flavour::Bash
            } else {
                env.sh.unwrap_or(Flavour::Dash)
            };
            let mut start = ShellStart::new(&src, flavour, name);
            start.args = args.to_vec();
            return Launch::Shell(start);
        }
    }
    let Some(base) = program_name(name, env) else {
        return Launch::Prog(images::guess(name));
    };
    if let Some(l) = images::program(base, args, call, cx) {
        return l;
    }
    let busybox = env.sh == Some(Flavour::Ash);
    match base {
        "sh" | "ash" | "dash" | "bash" | "zsh" => {
            let flavour = match base {
                "sh" => env.sh,
                "ash" => env.sh.filter(|f| *f == Flavour::Ash),
                "dash" => env.sh.filter(|f| *f == Flavour::Dash),
                "bash" => env.bash.then_some(Flavour::Bash),
                _ => env.zsh.then_some(Flavour::Bash),
            };
            match flavour {
                Some(f) => shell(f, name, args, call, cx),
                None if !env.known() => shell(Flavour::Dash, name, args, call, cx),
                None => Launch::NotFound,
            }
        }
        "sleep" => sleep(args, busybox),
        "true" => done(0, "", ""),
        "false" => done(1, "", ""),
        "touch" => {
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                let p = normalize(call.cwd, a);
                if !cx.fs.is_file(&p) {
                    cx.fs.truncate(&p);
                }
            }
            done(0, "", "")
        }
        "mkdir" => {
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                cx.fs.dirs.insert(normalize(call.cwd, a));
            }
            done(0, "", "")
        }
        "rm" => {
            let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
            let mut err = String::new();
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                let p = normalize(call.cwd, a);
                if cx.fs.files.remove(&p).is_none() && !cx.fs.dirs.remove(&p) && !force {
                    if busybox {
                        err.push_str(&format!("rm: can't remove '{a}': No such file or directory\n"));
                    } else {
                        err.push_str(&format!("rm: cannot remove '{a}': No such file or directory\n"));
                    }
                }
            }
            done(i32::from(!err.is_empty()), "", err)
        }
        "cat" => {
            let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-') || a.as_str() == "-").collect();
            if files.is_empty() {
                return done(0, call.stdin, "");
            }
            let (mut out, mut err) = (String::new(), String::new());
            for f in files {
                if f == "-" {
                    out.push_str(call.stdin);
                    continue;
                }
                match cx.fs.read(&normalize(call.cwd, f)) {
                    Some(s) => out.push_str(&s),
                    None if busybox => err.push_str(&format!("cat: can't open '{f}': No such file or directory\n")),
                    None => err.push_str(&format!("cat: {f}: No such file or directory\n")),
                }
            }
            done(i32::from(!err.is_empty()), out, err)
        }
        "ls" => {
            let dir = normalize(call.cwd, args.iter().find(|a| !a.starts_with('-')).map(String::as_str).unwrap_or("."));
            let prefix = if dir == "/" { "/".to_string() } else { format!("{dir}/") };
            let names: Vec<&str> = cx
                .fs
                .files
                .keys()
                .chain(cx.fs.dirs.iter())
                .filter_map(|p| p.strip_prefix(prefix.as_str()))
                .filter(|rest| !rest.is_empty() && !rest.contains('/'))
                .collect();
            let out: String = names.iter().map(|n| format!("{n}\n")).collect();
            done(0, out, "")
        }
        "date" => {
            let secs = env.epoch + (call.now / 1000) as i64;
            let out = match args.iter().find(|a| a.starts_with('+')) {
                Some(fmt) => strftime(&fmt[1..], secs),
                None => strftime("%a %b %e %H:%M:%S UTC %Y", secs),
            };
            done(0, format!("{out}\n"), "")
        }
        "env" | "printenv" => {
            let rest: Vec<String> =
                args.iter().skip_while(|a| a.contains('=') || a.starts_with('-')).cloned().collect();
            if base == "env" && !rest.is_empty() {
                let mut vars = call.vars.clone();
                for a in args.iter().take_while(|a| a.contains('=')) {
                    if let Some((k, v)) = a.split_once('=') {
                        vars.insert(k.into(), v.into());
                    }
                }
                return launch(&Call { argv: &rest, vars: &vars, ..*call }, cx);
            }
            if base == "printenv" && !rest.is_empty() {
                return match call.vars.get(&rest[0]) {
                    Some(v) => done(0, format!("{v}\n"), ""),
                    None => done(1, "", ""),
                };
            }
            let out: String = call.vars.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
            done(0, out, "")
        }
        "hostname" => done(0, format!("{}\n", call.vars.get("HOSTNAME").map(String::as_str).unwrap_or("pod")), ""),
        "uname" => {
            let host = call.vars.get("HOSTNAME").map(String::as_str).unwrap_or("pod");
            if args.iter().any(|a| a == "-a") {
                done(0, format!("Linux {host} 6.1.0 #1 SMP PREEMPT_DYNAMIC x86_64 GNU/Linux\n"), "")
            } else {
                done(0, "Linux\n", "")
            }
        }
        "id" => done(0, "uid=0(root) gid=0(root) groups=0(root)\n", ""),
        "whoami" => done(0, "root\n", ""),
        "echo" => {
            let (newline, rest) = match args.first().map(String::as_str) {
                Some("-n") => (false, &args[1..]),
                _ => (true, args),
            };
            done(0, format!("{}{}", rest.join(" "), if newline { "\n" } else { "" }), "")
        }
        "printf" => match args.split_first() {
            Some((fmt, rest)) => done(0, printf(fmt, rest), ""),
            None => done(1, "", "printf: missing operand\n"),
        },
        "test" | "[" => {
            let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
            if base == "[" && a.pop() != Some("]") {
                return done(2, "", "[: missing ]\n");
            }
            match test(&a, cx, call.cwd) {
                Ok(b) => done(i32::from(!b), "", ""),
                Err(e) => done(2, "", format!("{base}: {e}\n")),
            }
        }
        "head" | "tail" => {
            let follow = base == "tail" && args.iter().any(|a| a == "-f" || a == "-F" || a == "--follow");
            if follow {
                return Launch::Prog(Spec::new("tail"));
            }
            let mut n = 10usize;
            let mut file = None;
            let mut it = args.iter();
            while let Some(a) = it.next() {
                if a == "-n" {
                    n = it.next().and_then(|v| v.trim_start_matches('+').parse().ok()).unwrap_or(10);
                } else if let Some(v) = a.strip_prefix("-n").or_else(|| a.strip_prefix('-')) {
                    n = v.parse().unwrap_or(n);
                } else {
                    file = Some(a);
                }
            }
            let text = match file {
                Some(f) => match cx.fs.read(&normalize(call.cwd, f)) {
                    Some(s) => s,
                    None => {
                        return done(
                            1,
                            "",
                            format!("{base}: cannot open '{f}' for reading: No such file or directory\n"),
                        )
                    }
                },
                None => call.stdin.to_string(),
            };
            let lines: Vec<&str> = text.lines().collect();
            let pick =
                if base == "head" { &lines[..n.min(lines.len())] } else { &lines[lines.len().saturating_sub(n)..] };
            done(0, pick.iter().map(|l| format!("{l}\n")).collect::<String>(), "")
        }
        "grep" => {
            let (mut quiet, mut invert, mut nocase) = (false, false, false);
            let mut pos = Vec::new();
            for a in args {
                match a.strip_prefix('-').filter(|f| !f.is_empty()) {
                    Some(f) => {
                        quiet |= f.contains('q');
                        invert |= f.contains('v');
                        nocase |= f.contains('i');
                    }
                    None => pos.push(a),
                }
            }
            let Some(pat) = pos.first() else { return done(2, "", "Usage: grep [-qvi] PATTERN [FILE]...\n") };
            let text = match pos.get(1) {
                Some(f) => match cx.fs.read(&normalize(call.cwd, f)) {
                    Some(s) => s,
                    None => return done(2, "", format!("grep: {f}: No such file or directory\n")),
                },
                None => call.stdin.to_string(),
            };
            let hit = |l: &str| {
                let m = if nocase { l.to_lowercase().contains(&pat.to_lowercase()) } else { l.contains(pat.as_str()) };
                m != invert
            };
            let out: String = text.lines().filter(|l| hit(l)).map(|l| format!("{l}\n")).collect();
            let status = i32::from(out.is_empty());
            done(status, if quiet { String::new() } else { out }, "")
        }
        "wc" => {
            let text = call.stdin;
            let out = if args.iter().any(|a| a == "-l") {
                text.lines().count().to_string()
            } else if args.iter().any(|a| a == "-c") {
                text.len().to_string()
            } else if args.iter().any(|a| a == "-w") {
                text.split_whitespace().count().to_string()
            } else {
                format!("{:>7} {:>7} {:>7}", text.lines().count(), text.split_whitespace().count(), text.len())
            };
            done(0, format!("{out}\n"), "")
        }
        "tee" => {
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                let p = normalize(call.cwd, a);
                cx.fs.truncate(&p);
                cx.fs.append(&p, call.stdin);
            }
            done(0, call.stdin, "")
        }
        "basename" => {
            let s = args.first().map(|a| a.trim_end_matches('/').rsplit('/').next().unwrap_or("")).unwrap_or("");
            done(0, format!("{s}\n"), "")
        }
        "dirname" => {
            let a = args.first().map(String::as_str).unwrap_or(".");
            let d = match a.trim_end_matches('/').rsplit_once('/') {
                Some(("", _)) => "/",
                Some((d, _)) => d,
                None => ".",
            };
            done(0, format!("{d}\n"), "")
        }
        "seq" => {
            let nums: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
            let (from, to) = match nums.as_slice() {
                [n] => (1, *n),
                [a, b, ..] => (*a, *b),
                [] => return done(1, "", "seq: missing operand\n"),
            };
            let out: String = (from..=to.min(from.saturating_add(100_000))).map(|i| format!("{i}\n")).collect();
            done(0, out, "")
        }
        "expr" => {
            let a: Vec<&str> = args.iter().map(String::as_str).collect();
            let v = match a.as_slice() {
                [x, op, y] => match (x.parse::<i64>(), y.parse::<i64>()) {
                    (Ok(x), Ok(y)) => match *op {
                        "+" => Some(x.wrapping_add(y)),
                        "-" => Some(x.wrapping_sub(y)),
                        "*" => Some(x.wrapping_mul(y)),
                        "/" if y != 0 => Some(x / y),
                        "%" if y != 0 => Some(x % y),
                        _ => None,
                    },
                    _ => None,
                },
                _ => None,
            };
            match v {
                Some(v) => done(i32::from(v == 0), format!("{v}\n"), ""),
                None => done(2, "", "expr: syntax error\n"),
            }
        }
        "kill" => done(1, "", "kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ...\n"),
        // `yes` would print forever; its output is not worth simulating line by line.
        "yes" => Launch::Prog(Spec::new("yes")),
        "timeout" => {
            let mut rest = args.iter().skip_while(|a| a.starts_with('-'));
            let secs = rest.next().and_then(|d| duration_ms(d));
            let cmd: Vec<String> = rest.cloned().collect();
            match (secs, cmd.is_empty()) {
                (Some(ms), false) => match launch(&Call { argv: &cmd, ..*call }, cx) {
                    Launch::Prog(spec) => Launch::Prog(spec.at(ms.unwrap_or(Millis::MAX), Act::Exit(124))),
                    other => other,
                },
                _ => done(125, "", "timeout: invalid time interval\n"),
            }
        }
        "nc" | "netcat" => match env.nc {
            Some(v) => net_tools::nc(v, args, cx),
            None if !env.known() => net_tools::nc(net_tools::Nc::OpenBsd, args, cx),
            None => Launch::NotFound,
        },
        "curl" => match env.curl {
            Some(v) => net_tools::curl(v, args, cx, call.cwd),
            None if !env.known() => net_tools::curl(net_tools::Curl::Modern, args, cx, call.cwd),
            None => Launch::NotFound,
        },
        "wget" => match env.wget {
            Some(v) => net_tools::wget(v, args, cx, call.cwd, call.now),
            None if !env.known() => net_tools::wget(net_tools::Wget::Gnu, args, cx, call.cwd, call.now),
            None => Launch::NotFound,
        },
        // Wrappers that run their arguments as the real program (signals forwarded).
        "tini" | "dumb-init" | "tini-static" => {
            let rest: Vec<String> = args.iter().skip_while(|a| a.starts_with('-')).cloned().collect();
            launch(&Call { argv: &rest, ..*call }, cx)
        }
        "gosu" | "su-exec" => {
            let rest: Vec<String> = args.iter().skip(1).cloned().collect();
            launch(&Call { argv: &rest, ..*call }, cx)
        }
        b if PLAIN_UTILS.contains(&b) => done(0, "", ""),
        _ if !env.known() => Launch::Prog(images::guess(name)),
        _ => Launch::NotFound,
    }
}

fn shell(f: Flavour, name: &str, args: &[String], call: &Call, cx: &mut Cx) -> Launch {
    let mut it = args.iter();
    let (mut cmd, mut errexit, mut xtrace) = (false, false, false);
    let mut rest: Vec<String> = Vec::new();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-o" | "+o" => {
                it.next();
            }
            "--" => {
                rest.extend(it.by_ref().cloned());
            }
            f if (f.starts_with('-') || f.starts_with('+')) && f.len() > 1 && rest.is_empty() => {
                for c in f.chars().skip(1) {
                    match c {
                        'c' => cmd = true,
                        'e' => errexit = true,
                        'x' => xtrace = true,
                        _ => {}
                    }
                }
            }
            _ => {
                rest.push(a.clone());
                rest.extend(it.by_ref().cloned());
            }
        }
    }
    let shell_name = if name.is_empty() { "sh" } else { name };
    let src = if cmd {
        match rest.first() {
            Some(s) => s.clone(),
            None => {
                return done(2, "", format!("{shell_name}: -c: option requires an argument\n"));
            }
        }
    } else if let Some(file) = rest.first() {
        match cx.fs.read(&normalize(call.cwd, file)) {
            Some(s) => s,
            // Not in the image as podsim knows it: probably mounted from a volume.
            None => return Launch::Prog(images::guess(file)),
        }
    } else if call.stdin.is_empty() {
        // No script and stdin is empty (no `stdin: true`): the shell reads EOF and exits 0.
        return Launch::Done { status: 0, out: String::new(), err: String::new(), cost: 2 };
    } else {
        call.stdin.to_string()
    };
    let mut start = ShellStart::new(&src, f, shell_name);
    start.errexit = errexit;
    start.xtrace = xtrace;
    let skip = usize::from(cmd);
    if cmd {
        if let Some(n) = rest.get(1) {
            start.name = n.clone();
        }
        start.args = rest.iter().skip(2).cloned().collect();
    } else {
        start.args = rest.iter().skip(1 - skip).cloned().collect();
    }
    Launch::Shell(start)
}

/// `sleep` arguments: `N`, `N.N`, `Ns/m/h/d`, `infinity`; several are added up.
/// `Ok(None)` means forever.
pub fn duration_ms(s: &str) -> Option<Option<Millis>> {
    if s == "infinity" || s == "inf" {
        return Some(None);
    }
    let (num, mult) = match s.chars().last()? {
        's' => (&s[..s.len() - 1], 1000.0),
        'm' => (&s[..s.len() - 1], 60_000.0),
        'h' => (&s[..s.len() - 1], 3_600_000.0),
        'd' => (&s[..s.len() - 1], 86_400_000.0),
        _ => (s, 1000.0),
    };
    let v: f64 = num.parse().ok()?;
    if !v.is_finite() || v < 0.0 {
        return None;
    }
    let ms = v * mult;
    Some(if ms >= 1e15 { None } else { Some(ms.round() as Millis) })
}

fn sleep(args: &[String], busybox: bool) -> Launch {
    if args.is_empty() {
        return if busybox {
            done(1, "", "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n")
        } else {
            done(1, "", "sleep: missing operand\nTry 'sleep --help' for more information.\n")
        };
    }
    let mut total: Option<Millis> = Some(0);
    for a in args {
        match duration_ms(a) {
            Some(Some(ms)) => total = total.map(|t| t.saturating_add(ms)),
            Some(None) => total = None,
            None if busybox => return done(1, "", format!("sleep: invalid number '{a}'\n")),
            None => {
                return done(
                    1,
                    "",
                    format!("sleep: invalid time interval '{a}'\nTry 'sleep --help' for more information.\n"),
                )
            }
        }
    }
    let spec = Spec::new("sleep");
    Launch::Prog(match total {
        Some(ms) => spec.at(ms, Act::Exit(0)),
        None => spec,
    })
}

/// Unix seconds → (year, month, day, hour, minute, second, weekday 0 = Sunday).
pub fn date_parts(secs: i64) -> (i64, u32, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    let wd = (days + 4).rem_euclid(7) as u32;
    (y, m, d, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32, wd)
}

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// The `date +FORMAT` subset: `%Y %m %d %e %H %M %S %s %T %F %a %b %Z %%`.
pub fn strftime(fmt: &str, secs: i64) -> String {
    let (y, mo, d, h, mi, s, wd) = date_parts(secs);
    let mut out = String::new();
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('Y') => out.push_str(&y.to_string()),
            Some('m') => out.push_str(&format!("{mo:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('e') => out.push_str(&format!("{d:>2}")),
            Some('H') => out.push_str(&format!("{h:02}")),
            Some('M') => out.push_str(&format!("{mi:02}")),
            Some('S') => out.push_str(&format!("{s:02}")),
            Some('s') => out.push_str(&secs.to_string()),
            Some('T') => out.push_str(&format!("{h:02}:{mi:02}:{s:02}")),
            Some('F') => out.push_str(&format!("{y}-{mo:02}-{d:02}")),
            Some('a') => out.push_str(DAYS[wd as usize % 7]),
            Some('b') => out.push_str(MONTHS[(mo as usize + 11) % 12]),
            Some('Z') => out.push_str("UTC"),
            Some('%') => out.push('%'),
            Some(o) => {
                out.push('%');
                out.push(o);
            }
            None => out.push('%'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_ms("10"), Some(Some(10_000)));
        assert_eq!(duration_ms("1d"), Some(Some(86_400_000)));
        assert_eq!(duration_ms("0.5"), Some(Some(500)));
        assert_eq!(duration_ms("9000s"), Some(Some(9_000_000)));
        assert_eq!(duration_ms("infinity"), Some(None));
        assert_eq!(duration_ms("abc"), None);
        assert_eq!(duration_ms("-1"), None);
        assert_eq!(duration_ms("1e300"), Some(None));
    }

    #[test]
    fn dates() {
        assert_eq!(strftime("%a %b %e %H:%M:%S UTC %Y", 0), "Thu Jan  1 00:00:00 UTC 1970");
        assert_eq!(strftime("%F %T", 1_795_891_447), "2026-11-28 18:44:07");
    }
}
