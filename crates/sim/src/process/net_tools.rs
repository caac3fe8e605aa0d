//! `nc`, `curl` and `wget` against the pod network, with the exact messages of the variant
//! each image ships (images-and-processes.md §4.1–4.4). Only the pod itself is simulated:
//! `localhost`/127.0.0.1 reach the pod's ports, any other name does not resolve and any
//! other address refuses (the "why?" panel says so).

use super::proc::{normalize, Cx, Spec};
use super::tools::{date_parts, Launch};
use crate::trace::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nc {
    /// netcat-traditional 1.10 (Debian/Ubuntu `netcat`, hwchiu/netutils).
    Traditional,
    /// netcat-openbsd (netshoot, istio proxyv2, Debian 12 `netcat-openbsd`).
    OpenBsd,
    /// busybox `nc` built with NC_110_COMPAT (busybox, alpine).
    Busybox,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curl {
    /// curl ≥ 7.8x (`… after 0 ms: Couldn't connect to server`).
    Modern,
    /// curl 7.47 (Ubuntu 16.04).
    Old,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wget {
    Busybox,
    Gnu,
}

/// Where a host name leads inside a one-pod simulation.
enum Host {
    /// The pod itself: (name as typed, address).
    Local(String, String),
    /// An address outside the pod: connections are refused.
    Remote(String),
    Unresolved(String),
}

fn resolve(host: &str) -> Host {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    match h {
        "localhost" | "localhost.localdomain" | "ip6-localhost" => Host::Local(h.into(), "127.0.0.1".into()),
        "::1" => Host::Local(h.into(), "::1".into()),
        "0.0.0.0" => Host::Local(h.into(), "0.0.0.0".into()),
        _ if h.starts_with("127.") && h.split('.').count() == 4 => Host::Local(h.into(), h.into()),
        _ if h.split('.').count() == 4 && h.split('.').all(|p| p.parse::<u8>().is_ok()) => Host::Remote(h.into()),
        _ => Host::Unresolved(h.into()),
    }
}

/// `/etc/services` names for the `(?)` / `[tcp/*]` part (Debian netbase).
fn service(port: u16) -> Option<&'static str> {
    Some(match port {
        22 => "ssh",
        53 => "domain",
        80 => "http",
        443 => "https",
        3306 => "mysql",
        5432 => "postgresql",
        6379 => "redis",
        8080 => "http-alt",
        _ => return None,
    })
}

fn reason(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn done(status: i32, out: String, err: String, cost: Millis) -> Launch {
    Launch::Done { status, out, err, cost }
}

/// `nc [-z] [-v] [-w N] HOST PORT`, or `nc -l [-p] PORT` (listens until stopped).
pub fn nc(variant: Nc, args: &[String], cx: &mut Cx) -> Launch {
    let mut verbose = 0;
    let mut listen = false;
    let mut pos = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
            for (i, c) in flags.char_indices() {
                match c {
                    'v' => verbose += 1,
                    'l' => listen = true,
                    'w' | 'p' | 'q' | 's' | 'i' | 'e' | 'c' => {
                        // Option with a value: attached (`-w3`) or the next argument.
                        let attached = &flags[i + 1..];
                        let v = if attached.is_empty() { it.next().cloned() } else { Some(attached.to_string()) };
                        if c == 'p' {
                            pos.extend(v);
                        }
                        break;
                    }
                    _ => {}
                }
            }
        } else {
            pos.push(a.clone());
        }
    }
    if listen {
        let Some(port) = pos.last().and_then(|p| p.parse::<u16>().ok()) else {
            return done(1, String::new(), "nc: missing port number\n".into(), 1);
        };
        return Launch::Prog(Spec::new("nc").at(1, super::proc::Act::Listen(port)));
    }
    let (Some(host), Some(port)) = (pos.first(), pos.get(1)) else {
        let usage = match variant {
            Nc::OpenBsd => "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n",
            Nc::Traditional => "no destination\n",
            Nc::Busybox => "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\n",
        };
        return done(1, String::new(), usage.into(), 1);
    };
    let Ok(port) = port.parse::<u16>() else {
        let msg = match variant {
            Nc::OpenBsd => format!("nc: port number invalid: {port}\n"),
            Nc::Traditional => format!("invalid port {port}\n"),
            Nc::Busybox => format!("nc: bad port '{port}'\n"),
        };
        return done(1, String::new(), msg, 1);
    };
    let svc = service(port);
    let (name, addr, open) = match resolve(host) {
        Host::Unresolved(h) => {
            let msg = match variant {
                Nc::Traditional => format!("{h}: forward host lookup failed: Unknown host\n"),
                Nc::OpenBsd => format!("nc: getaddrinfo for host \"{h}\" port {port}: Name or service not known\n"),
                Nc::Busybox => format!("nc: bad address '{h}'\n"),
            };
            return done(1, String::new(), msg, 5);
        }
        Host::Local(n, a) => {
            let open = cx.listening(port);
            (n, a, open)
        }
        Host::Remote(a) => (a.clone(), a, false),
    };
    let typed_ip = name == addr;
    let mut err = String::new();
    if verbose > 0 {
        match variant {
            Nc::Traditional => {
                let label = if typed_ip && !addr.starts_with("127.") {
                    err.push_str(&format!("{addr}: inverse host lookup failed: Unknown host\n"));
                    "(UNKNOWN)".to_string()
                } else if typed_ip {
                    "localhost".to_string()
                } else {
                    name.clone()
                };
                let s = svc.unwrap_or("?");
                if open {
                    err.push_str(&format!("{label} [{addr}] {port} ({s}) open\n"));
                } else {
                    err.push_str(&format!("{label} [{addr}] {port} ({s}) : Connection refused\n"));
                }
            }
            Nc::OpenBsd => {
                let s = svc.unwrap_or("*");
                let who = if typed_ip { addr.clone() } else { format!("{name} ({addr})") };
                if open {
                    err.push_str(&format!("Connection to {who} {port} port [tcp/{s}] succeeded!\n"));
                } else {
                    err.push_str(&format!("nc: connect to {who} port {port} (tcp) failed: Connection refused\n"));
                }
            }
            Nc::Busybox => {
                if open {
                    err.push_str(&format!("{name} ({addr}:{port}) open\n"));
                } else if verbose > 1 {
                    err.push_str(&format!("nc: {name} ({addr}:{port}): Connection refused\n"));
                }
            }
        }
    }
    done(i32::from(!open), String::new(), err, 1)
}

struct Url {
    host: String,
    port: u16,
    path: String,
    shown: String,
}

fn parse_url(s: &str) -> Option<Url> {
    let (scheme, rest) = match s.split_once("://") {
        Some((sc, r)) => (sc.to_ascii_lowercase(), r),
        None => ("http".to_string(), s),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let default = if scheme == "https" { 443 } else { 80 };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(':') => (h.to_string(), p.parse().ok()?),
        _ => (authority.to_string(), default),
    };
    if host.is_empty() {
        return None;
    }
    let shown = format!("{scheme}://{authority}{path}");
    Some(Url { host, port, path, shown })
}

/// curl's progress meter, shown on stderr when output is not a terminal and `-s` is absent.
const METER: &str = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";

pub fn curl(variant: Curl, args: &[String], cx: &mut Cx, cwd: &str) -> Launch {
    let (mut silent, mut show_err, mut fail, mut head) = (false, false, false, false);
    let mut out_file: Option<String> = None;
    let mut write_out: Option<String> = None;
    let mut url = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-s" | "--silent" => silent = true,
            "-S" | "--show-error" => show_err = true,
            "-f" | "--fail" => fail = true,
            "-I" | "--head" => head = true,
            "-o" | "--output" => out_file = it.next().cloned(),
            "-w" | "--write-out" => write_out = it.next().cloned(),
            "-m" | "--max-time" | "--connect-timeout" | "-X" | "--request" | "-H" | "--header" | "-d" | "--data"
            | "--retry" | "--retry-delay" | "-u" | "--user" | "-A" | "--user-agent" | "-e" => {
                it.next();
            }
            f if f.starts_with("--") => {}
            f if f.starts_with('-') && f.len() > 1 => {
                for c in f.chars().skip(1) {
                    match c {
                        's' => silent = true,
                        'S' => show_err = true,
                        'f' => fail = true,
                        'I' => head = true,
                        _ => {}
                    }
                }
            }
            u => url = url.or(Some(u.to_string())),
        }
    }
    let Some(url) = url else {
        return done(2, String::new(), "curl: try 'curl --help' or 'curl --manual' for more information\n".into(), 5);
    };
    let meter = if silent { "" } else { METER };
    let quiet_err = silent && !show_err;
    let code_out = |code: &str| write_out.as_deref().map(|w| w.replace("%{http_code}", code)).unwrap_or_default();
    let Some(u) = parse_url(&url) else {
        let msg = if quiet_err { String::new() } else { "curl: (3) URL rejected: Bad hostname\n".to_string() };
        return done(3, code_out("000"), msg, 1);
    };
    let zero = "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\n";
    let open = match resolve(&u.host) {
        Host::Unresolved(h) => {
            let msg =
                if quiet_err { String::new() } else { format!("{meter}{zero}curl: (6) Could not resolve host: {h}\n") };
            let msg = if silent && !quiet_err { format!("curl: (6) Could not resolve host: {h}\n") } else { msg };
            return done(6, code_out("000"), msg, 10);
        }
        Host::Local(..) => cx.listening(u.port),
        Host::Remote(_) => false,
    };
    if !open {
        let line = match variant {
            Curl::Modern => {
                format!(
                    "curl: (7) Failed to connect to {} port {} after 0 ms: Couldn't connect to server\n",
                    u.host, u.port
                )
            }
            Curl::Old => format!("curl: (7) Failed to connect to {} port {}: Connection refused\n", u.host, u.port),
        };
        let msg = if quiet_err {
            String::new()
        } else if silent {
            line
        } else {
            format!("{meter}{zero}{line}")
        };
        return done(7, code_out("000"), msg, 2);
    }
    let ans = cx.http(u.port, &u.path);
    let code = ans.status;
    if fail && code >= 400 {
        let line = match variant {
            Curl::Modern => format!("curl: (22) The requested URL returned error: {code}\n"),
            Curl::Old => format!("curl: (22) The requested URL returned error: {code} {}\n", reason(code)),
        };
        let msg = if quiet_err { String::new() } else { format!("{meter}{line}") };
        return done(22, code_out(&code.to_string()), msg, 5);
    }
    let body = if head {
        format!("HTTP/1.1 {code} {}\r\n\r\n", reason(code))
    } else if ans.body.is_empty() || ans.body.ends_with('\n') {
        ans.body
    } else {
        format!("{}\n", ans.body)
    };
    let n = body.len();
    let meter_line =
        format!("100   {n:>3}  100   {n:>3}    0     0   {n:>4}      0 --:--:-- --:--:-- --:--:--  {n:>4}\n");
    let err = if silent { String::new() } else { format!("{meter}{meter_line}") };
    let mut out = String::new();
    match &out_file {
        Some(f) if f != "-" => {
            let p = normalize(cwd, f);
            cx.fs.truncate(&p);
            cx.fs.append(&p, &body);
        }
        _ => out.push_str(&body),
    }
    out.push_str(&code_out(&code.to_string()));
    done(0, out, err, 5)
}

pub fn wget(variant: Wget, args: &[String], cx: &mut Cx, cwd: &str, now: Millis) -> Launch {
    let (mut quiet, mut spider) = (false, false);
    let mut out_file: Option<String> = None;
    let mut url = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-q" | "--quiet" => quiet = true,
            "--spider" => spider = true,
            "-O" | "--output-document" => out_file = it.next().cloned(),
            "-T" | "--timeout" | "-t" | "--tries" | "-U" | "--header" | "--user-agent" => {
                it.next();
            }
            f if f.starts_with("-O") && f.len() > 2 => out_file = Some(f[2..].to_string()),
            f if f.starts_with("--") => {}
            f if f.starts_with('-') && f.len() > 1 => {
                if f.contains('q') {
                    quiet = true;
                }
            }
            u => url = url.or(Some(u.to_string())),
        }
    }
    let Some(url) = url else {
        let msg = match variant {
            Wget::Busybox => "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n",
            Wget::Gnu => "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n",
        };
        return done(1, String::new(), msg.into(), 1);
    };
    let Some(u) = parse_url(&url) else {
        return done(1, String::new(), format!("wget: bad address '{url}'\n"), 1);
    };
    let file = out_file.clone().unwrap_or_else(|| {
        let last = u.path.rsplit('/').next().unwrap_or("");
        if last.is_empty() {
            "index.html".into()
        } else {
            last.to_string()
        }
    });
    let (open, ip) = match resolve(&u.host) {
        Host::Unresolved(h) => {
            let (st, msg) = match variant {
                Wget::Busybox => (1, format!("wget: bad address '{h}:{}'\n", u.port)),
                Wget::Gnu if quiet => (4, String::new()),
                Wget::Gnu => (4, format!("--{}--  {}\nResolving {h} ({h})... failed: Name or service not known.\nwget: unable to resolve host address '{h}'\n", gnu_date(cx, now), u.shown)),
            };
            return done(st, String::new(), msg, 10);
        }
        Host::Local(_, a) => (cx.listening(u.port), a),
        Host::Remote(a) => (false, a),
    };
    let mut err = String::new();
    match variant {
        Wget::Busybox => {
            if !quiet {
                err.push_str(&format!("Connecting to {}:{} ({ip}:{})\n", u.host, u.port, u.port));
            }
            if !open {
                err.push_str(&format!("wget: can't connect to remote host ({ip}): Connection refused\n"));
                return done(1, String::new(), err, 2);
            }
            let ans = cx.http(u.port, &u.path);
            if ans.status >= 400 {
                err.push_str(&format!("wget: server returned error: HTTP/1.1 {} {}\n", ans.status, reason(ans.status)));
                return done(1, String::new(), err, 5);
            }
            if spider {
                if !quiet {
                    err.push_str("remote file exists\n");
                }
                return done(0, String::new(), err, 5);
            }
            let n = ans.body.len();
            let bar = format!(
                "{:<20} 100% |********************************| {n:>5}  0:00:00 ETA\n",
                if file == "-" { "-" } else { file.as_str() }
            );
            let mut out = String::new();
            if file == "-" {
                if !quiet {
                    err.push_str("writing to stdout\n");
                }
                out = ans.body;
                if !quiet {
                    err.push_str(&bar);
                    err.push_str("written to stdout\n");
                }
            } else {
                let p = normalize(cwd, &file);
                cx.fs.truncate(&p);
                cx.fs.append(&p, &ans.body);
                if !quiet {
                    err.push_str(&format!("saving to '{file}'\n{bar}'{file}' saved\n"));
                }
            }
            done(0, out, err, 5)
        }
        Wget::Gnu => {
            if !quiet {
                err.push_str(&format!("--{}--  {}\n", gnu_date(cx, now), u.shown));
                err.push_str(&format!("Resolving {} ({})... {ip}\n", u.host, u.host));
                err.push_str(&format!("Connecting to {} ({})|{ip}|:{}... ", u.host, u.host, u.port));
            }
            if !open {
                if !quiet {
                    err.push_str("failed: Connection refused.\n");
                }
                return done(4, String::new(), err, 2);
            }
            let ans = cx.http(u.port, &u.path);
            if !quiet {
                err.push_str(&format!(
                    "connected.\nHTTP request sent, awaiting response... {} {}\n",
                    ans.status,
                    reason(ans.status)
                ));
            }
            if ans.status >= 400 {
                if !quiet {
                    err.push_str(&format!("{} ERROR {}: {}.\n\n", gnu_date(cx, now), ans.status, reason(ans.status)));
                }
                return done(8, String::new(), err, 5);
            }
            let mut out = String::new();
            if spider {
                if !quiet {
                    err.push_str("Remote file exists.\n\n");
                }
            } else if file == "-" {
                out = ans.body;
            } else {
                let p = normalize(cwd, &file);
                cx.fs.truncate(&p);
                cx.fs.append(&p, &ans.body);
                if !quiet {
                    err.push_str(&format!(
                        "Saving to: '{file}'\n\n{} - '{file}' saved [{}]\n\n",
                        gnu_date(cx, now),
                        ans.body.len()
                    ));
                }
            }
            done(0, out, err, 5)
        }
    }
}

fn gnu_date(cx: &Cx, now: Millis) -> String {
    let (y, mo, d, h, mi, s, _) = date_parts(cx.env.epoch + (now / 1000) as i64);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}
