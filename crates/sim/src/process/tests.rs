//! Data-driven tests: each row is (image, command/args, annotations, signals, execs) and
//! the expected exit, logs, listens and exec outcomes, run through the public interface the
//! kubelet uses (`infer`, `start`, `wake`, `signal`, `exec`, `http_status`).

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::api::Container;

/// The pod network as the test kubelet sees it: this container's ports plus extra ones.
struct Net(BTreeSet<u16>);

impl PodNet for Net {
    fn is_listening(&self, port: u16) -> bool {
        self.0.contains(&port)
    }
}

/// `(time, argv, expected exit code, duration window, output substring)`
type ExecCheck<'a> = (Millis, &'a [&'a str], i32, (Millis, Millis), &'a str);

#[derive(Default)]
struct Row<'a> {
    image: &'a str,
    command: Option<&'a [&'a str]>,
    args: Option<&'a [&'a str]>,
    env: &'a [(&'a str, &'a str)],
    annotation: Option<&'a str>,
    /// Ports some other container listens on.
    others: &'a [u16],
    signals: &'a [(Millis, Signal)],
    execs: &'a [ExecCheck<'a>],
    /// `(time, port, path, status)`
    http: &'a [(Millis, u16, &'a str, u16)],
    until: Millis,
    /// `Some((code, earliest, latest))`, or `None`: still running at `until`.
    exit: Option<(i32, Millis, Millis)>,
    logs: &'a [&'a str],
    no_logs: &'a [&'a str],
    /// `(port, earliest, latest)`
    listens: &'a [(u16, Millis, Millis)],
}

#[derive(Debug)]
struct Run {
    exit: Option<(Millis, i32)>,
    logs: Vec<(Millis, String)>,
    listens: Vec<(Millis, u16)>,
    calls: usize,
}

fn behavior(row: &Row<'_>) -> Behavior {
    let c = Container {
        name: "app".into(),
        image: row.image.into(),
        command: row.command.map(|c| c.iter().map(|s| s.to_string()).collect()),
        args: row.args.map(|c| c.iter().map(|s| s.to_string()).collect()),
        env: row.env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Container::default()
    };
    let mut ann = BTreeMap::new();
    if let Some(a) = row.annotation {
        ann.insert("podsim.dev/app".to_string(), a.to_string());
    }
    Behavior::infer(&c, &ann)
}

fn simulate(row: &Row<'_>) -> Run {
    let b = behavior(row);
    let mut net = Net(row.others.iter().copied().collect());
    let mut run = Run { exit: None, logs: Vec::new(), listens: Vec::new(), calls: 1 };
    let mut wake: Option<Millis> = None;
    let apply = |t: Millis, effects: Vec<Effect>, run: &mut Run, net: &mut Net, wake: &mut Option<Millis>| {
        for e in effects {
            match e {
                Effect::Log(l) => run.logs.push((t, l)),
                Effect::Listen(p) => {
                    net.0.insert(p);
                    run.listens.push((t, p));
                }
                Effect::Close(p) => {
                    net.0.remove(&p);
                }
                Effect::WakeAt(w) => {
                    assert!(w > t, "WakeAt({w}) at {t} makes no progress");
                    *wake = Some(w);
                }
                Effect::Exit(c) => run.exit = Some((t, c)),
            }
        }
    };
    let (mut p, effects) = b.start(0, &net);
    apply(0, effects, &mut run, &mut net, &mut wake);
    let mut signals: Vec<(Millis, Signal)> = row.signals.to_vec();
    let mut execs: Vec<_> = row.execs.to_vec();
    let mut https: Vec<_> = row.http.to_vec();
    while run.exit.is_none() {
        let next_sig = signals.first().map(|s| s.0);
        let next_exec = execs.first().map(|e| e.0);
        let next_http = https.first().map(|h| h.0);
        let t = [wake, next_sig, next_exec, next_http].into_iter().flatten().min();
        let Some(t) = t.filter(|t| *t <= row.until) else { break };
        run.calls += 1;
        assert!(run.calls < 200_000, "too many calls");
        if next_http == Some(t) {
            let (_, port, path, status) = https.remove(0);
            assert_eq!(p.http_status(port, path), status, "{} GET {path} at {t}", row.image);
        } else if next_exec == Some(t) {
            let (_, argv, code, (lo, hi), out) = execs.remove(0);
            let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
            let o = p.exec(&argv, t, &net);
            assert_eq!(o.exit_code, code, "exec {argv:?} at {t}: {o:?}");
            assert!((lo..=hi).contains(&o.duration), "exec {argv:?} duration {o:?}");
            assert!(o.output.contains(out), "exec {argv:?} output {o:?}");
        } else if next_sig == Some(t) {
            let (_, s) = signals.remove(0);
            let e = p.signal(s, t, &net);
            apply(t, e, &mut run, &mut net, &mut wake);
        } else {
            wake = None;
            let e = p.wake(t, &net);
            apply(t, e, &mut run, &mut net, &mut wake);
        }
    }
    run
}

#[track_caller]
fn check(row: Row<'_>) {
    let run = simulate(&row);
    let what = format!("{} {:?} {:?}", row.image, row.command, row.args);
    match (row.exit, run.exit) {
        (Some((code, lo, hi)), Some((t, c))) => {
            assert_eq!(c, code, "{what}: exit code; {run:?}");
            assert!((lo..=hi).contains(&t), "{what}: exit at {t}, expected {lo}..={hi}; {run:?}");
        }
        (None, None) => {}
        (want, got) => panic!("{what}: exit {got:?}, expected {want:?}; logs {:?}", run.logs),
    }
    for l in row.logs {
        assert!(run.logs.iter().any(|(_, x)| x.contains(l)), "{what}: no log {l:?} in {:?}", run.logs);
    }
    for l in row.no_logs {
        assert!(!run.logs.iter().any(|(_, x)| x.contains(l)), "{what}: unexpected log {l:?} in {:?}", run.logs);
    }
    for (port, lo, hi) in row.listens {
        let at = run.listens.iter().find(|(_, p)| p == port).map(|(t, _)| *t);
        assert!(at.is_some_and(|t| (*lo..=*hi).contains(&t)), "{what}: listen {port} at {at:?}");
    }
}

const TERM: Signal = Signal::Term;
const MIN: Millis = 60_000;

fn sh(script: &'static str) -> Option<&'static [&'static str]> {
    Some(Box::leak(Box::new(["sh", "-c", script])))
}

#[test]
fn conformance_commands() {
    // sidecar-prestop-simultaneous / termination-reverse-order: exits 0 about 5 s after TERM.
    check(Row {
        image: "busybox:1.36",
        command: sh("trap 'sleep 5; exit 0' TERM; sleep 60 & wait $!; exit 0"),
        signals: &[(3000, TERM)],
        until: MIN,
        exit: Some((0, 8000, 8100)),
        ..Row::default()
    });
    // grace-period-sleep-pid1: sleep as PID 1 ignores SIGTERM.
    check(Row {
        image: "busybox:1.36",
        command: Some(&["sleep", "10000"]),
        signals: &[(10_000, TERM)],
        until: MIN,
        exit: None,
        ..Row::default()
    });
    // init-fail-never: exits 1 after 1 s.
    check(Row {
        image: "busybox:1.36",
        command: sh("trap 'exit 1' TERM; sleep 1 & wait $!; exit 1"),
        until: MIN,
        exit: Some((1, 1000, 1100)),
        ..Row::default()
    });
    // init-serial-order: the file appears after 5 s, seen by an exec probe.
    check(Row {
        image: "busybox:1.36",
        command: sh("trap 'exit 0' TERM; sleep 5 & wait $!; touch /tmp/started; sleep 1 & wait $!; exit 0"),
        execs: &[
            (2000, &["test", "-f", "/tmp/started"], 1, (1, 5), ""),
            (5500, &["test", "-f", "/tmp/started"], 0, (1, 5), ""),
        ],
        until: MIN,
        exit: Some((0, 6000, 6100)),
        ..Row::default()
    });
    // seed c: netcat-traditional refuses while nothing listens …
    check(Row {
        image: "hwchiu/netutils",
        command: Some(&["sh", "-c", "nc -zv localhost 5000 &&  sleep 1d"]),
        until: MIN,
        exit: Some((1, 0, 20)),
        logs: &["localhost [127.0.0.1] 5000 (?) : Connection refused"],
        ..Row::default()
    });
    // … and succeeds once the proxy listens; dash stays PID 1 and ignores SIGTERM.
    check(Row {
        image: "hwchiu/netutils",
        command: Some(&["sh", "-c", "nc -zv localhost 5000 &&  sleep 1d"]),
        others: &[5000],
        signals: &[(1000, TERM)],
        until: MIN,
        exit: None,
        logs: &["localhost [127.0.0.1] 5000 (?) open"],
        ..Row::default()
    });
    // seed c/d proxy: listens ~1 s after start, prints nothing, ignores SIGTERM.
    check(Row {
        image: "python:3.11-alpine",
        command: Some(&["python3", "-m", "http.server", "5000"]),
        signals: &[(5000, TERM)],
        http: &[(2000, 5000, "/", 200), (2000, 5000, "/nonexist", 404)],
        until: MIN,
        exit: None,
        no_logs: &["Serving"],
        listens: &[(5000, 700, 1000)],
        ..Row::default()
    });
    // seed a/b: the pi Job.
    check(Row {
        image: "perl:5.34.0",
        command: Some(&["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]),
        until: MIN,
        exit: Some((0, 3000, 10_000)),
        logs: &["3.14159265358979323846264338327950288419716939937510582097494459"],
        ..Row::default()
    });
    // seed a/b sidecar: sleep infinity ignores SIGTERM.
    check(Row {
        image: "hwchiu/netutils",
        command: Some(&["sleep", "infinity"]),
        signals: &[(1000, TERM)],
        until: 10 * MIN,
        exit: None,
        ..Row::default()
    });
    // hooks and probes of the e2e scenarios.
    check(Row {
        image: "busybox:1.36",
        command: sh("trap 'sleep 15; exit 0' TERM; sleep 600 & wait $!; exit 0"),
        execs: &[
            (100, &["sh", "-c", "sleep 1"], 0, (1000, 1010), ""),
            (200, &["false"], 1, (1, 2), ""),
            (300, &["sh", "-c", "exit 1"], 1, (1, 3), ""),
            (400, &["sh", "-c", "sleep 20"], 0, (20_000, 20_010), ""),
        ],
        signals: &[(10_000, TERM)],
        until: MIN,
        exit: Some((0, 25_000, 25_100)),
        ..Row::default()
    });
    check(Row {
        image: "busybox:1.36",
        command: sh("trap 'sleep 1; exit 1' TERM; sleep 600 & wait $!; exit 1"),
        signals: &[(1000, TERM)],
        until: MIN,
        exit: Some((1, 2000, 2100)),
        ..Row::default()
    });
    check(Row {
        image: "busybox:1.36",
        command: sh("sleep 3600"),
        signals: &[(1000, TERM)],
        until: MIN,
        exit: None,
        ..Row::default()
    });
}

#[test]
fn trap_semantics_reference_2_4() {
    let at = &[(500, TERM)];
    check(Row {
        image: "busybox",
        command: sh("trap \"echo got TERM; exit 0\" TERM; echo start; sleep 4; echo after-sleep"),
        signals: at,
        until: MIN,
        exit: Some((0, 4000, 4100)),
        logs: &["start", "got TERM"],
        no_logs: &["after-sleep"],
        ..Row::default()
    });
    check(Row {
        image: "ubuntu:22.04",
        command: sh("trap \"echo got TERM; exit 0\" TERM; echo start; sleep 4 & wait $!; echo after-wait"),
        signals: at,
        until: MIN,
        exit: Some((0, 500, 520)),
        logs: &["start", "got TERM"],
        no_logs: &["after-wait"],
        ..Row::default()
    });
    check(Row {
        image: "debian",
        command: Some(&["bash", "-c", "trap \"echo got TERM\" TERM; echo start; sleep 3; echo after-sleep"]),
        signals: at,
        until: MIN,
        exit: Some((0, 3000, 3100)),
        logs: &["start", "got TERM", "after-sleep"],
        ..Row::default()
    });
    check(Row {
        image: "busybox",
        command: sh("trap \"exit 143\" TERM; while true; do sleep 1; done"),
        signals: at,
        until: MIN,
        exit: Some((143, 900, 1100)),
        ..Row::default()
    });
}

#[test]
fn pid1_matrix_reference_2_2() {
    for cmd in [&["sleep", "3600"][..], &["sleep", "infinity"], &["tail", "-f", "/dev/null"]] {
        check(Row {
            image: "busybox:1.36",
            command: Some(Box::leak(Box::new(cmd.to_vec())).as_slice()),
            signals: &[(1000, TERM)],
            until: MIN,
            ..Row::default()
        });
    }
    check(Row {
        image: "busybox",
        command: sh("while true; do echo hi; sleep 1; done"),
        signals: &[(2500, TERM)],
        until: 5000,
        logs: &["hi"],
        ..Row::default()
    });
    // nginx: entrypoint lines, :80, SIGQUIT (its STOPSIGNAL) → graceful exit 0.
    check(Row {
        image: "nginx:1.27",
        signals: &[(2000, Signal::Quit)],
        http: &[(1000, 80, "/", 200), (1000, 80, "/healthz", 404)],
        until: MIN,
        exit: Some((0, 2000, 2100)),
        logs: &[
            "/docker-entrypoint.sh: Configuration complete; ready for start up",
            "signal 3 (SIGQUIT) received, shutting down",
        ],
        listens: &[(80, 1, 200)],
        ..Row::default()
    });
    // The same nginx with the stop signal ignored by a dash wrapper: sh stays PID 1.
    check(Row {
        image: "nginx:1.27",
        command: sh("nginx -g 'daemon off;'; echo never"),
        signals: &[(2000, Signal::Quit)],
        until: MIN,
        exit: None,
        ..Row::default()
    });
    // busybox ash execs its last command: python becomes PID 1 and SIGINT stops it.
    check(Row {
        image: "python:3.11-alpine",
        command: sh("echo starting; python3 -m http.server 8000"),
        signals: &[(2000, Signal::Int)],
        until: MIN,
        exit: Some((0, 2000, 2100)),
        logs: &["starting", "Keyboard interrupt received, exiting."],
        listens: &[(8000, 700, 1000)],
        ..Row::default()
    });
    // dash does not exec: the shell stays PID 1 and drops SIGINT.
    check(Row {
        image: "python:3.11",
        command: sh("echo starting; python3 -m http.server 8000"),
        signals: &[(2000, Signal::Int)],
        until: MIN,
        exit: None,
        ..Row::default()
    });
    check(Row {
        image: "redis:7",
        signals: &[(1000, TERM)],
        until: MIN,
        exit: Some((0, 1000, 1100)),
        listens: &[(6379, 0, 50)],
        logs: &["Ready to accept connections"],
        ..Row::default()
    });
    check(Row {
        image: "postgres:17",
        until: MIN,
        exit: Some((1, 0, 100)),
        logs: &["superuser password is not specified"],
        ..Row::default()
    });
    check(Row {
        image: "postgres:17",
        env: &[("POSTGRES_PASSWORD", "pw")],
        signals: &[(10_000, Signal::Int)],
        until: MIN,
        exit: Some((0, 10_000, 10_100)),
        listens: &[(5432, 2000, 5000)],
        logs: &["received fast shutdown request"],
        ..Row::default()
    });
    check(Row {
        image: "httpd:2.4",
        signals: &[(1000, Signal::Winch)],
        until: MIN,
        exit: Some((0, 1900, 2100)),
        logs: &["AH00492: caught SIGWINCH"],
        ..Row::default()
    });
    check(Row { image: "python:3.11", until: MIN, exit: Some((0, 0, 100)), ..Row::default() });
    check(Row { image: "busybox", until: MIN, exit: Some((0, 0, 10)), ..Row::default() });
    check(Row { image: "ubuntu", until: MIN, exit: Some((0, 0, 10)), ..Row::default() });
    check(Row {
        image: "curlimages/curl",
        until: MIN,
        exit: Some((2, 0, 20)),
        logs: &["curl: try 'curl --help'"],
        ..Row::default()
    });
    check(Row {
        image: "perl:5.36.0",
        command: Some(&["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]),
        until: MIN,
        exit: Some((255, 3000, 4000)),
        logs: &["Calc.pm line 1049"],
        ..Row::default()
    });
    check(Row {
        image: "perl:5.34.0",
        until: MIN,
        exit: Some((0, 0, 200)),
        logs: &["Loading DB routines"],
        ..Row::default()
    });
    check(Row {
        image: "registry.k8s.io/pause:3.9",
        signals: &[(1000, TERM)],
        until: MIN,
        exit: Some((0, 1000, 1010)),
        ..Row::default()
    });
}

#[test]
fn sidecar_images() {
    // hwchiu/netutils' entrypoint: a line a second, `Cleaning up...` and exit 0 on SIGTERM.
    check(Row {
        image: "hwchiu/netutils",
        signals: &[(2500, TERM)],
        until: MIN,
        exit: Some((0, 2500, 3100)),
        logs: &["Hello! 0 secs elapsed...", "Hello! 2 secs elapsed...", "Cleaning up..."],
        ..Row::default()
    });
    check(Row {
        image: "hwchiu/python-example",
        signals: &[(3000, TERM)],
        http: &[(1000, 5000, "/", 200), (1000, 5000, "/haha", 404), (1000, 5000, "/health", 200)],
        until: MIN,
        exit: Some((0, 3000, 3200)),
        logs: &[" * Serving Flask app 'app'"],
        listens: &[(5000, 600, 800)],
        ..Row::default()
    });
    check(Row {
        image: "docker.io/istio/proxyv2:1.22.0",
        args: Some(&["proxy", "sidecar"]),
        http: &[(1000, 15021, "/healthz/ready", 503), (2000, 15021, "/healthz/ready", 200)],
        execs: &[(100, &["pilot-agent", "wait"], 0, (1000, 1600), "Envoy is ready!")],
        signals: &[(10_000, TERM)],
        until: MIN,
        exit: Some((0, 15_000, 15_100)),
        logs: &["Envoy proxy is ready", "Graceful termination period is 5s, starting..."],
        listens: &[(15021, 0, 100)],
        ..Row::default()
    });
    check(Row {
        image: "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0",
        args: Some(&["--port=5432", "proj:region:db"]),
        signals: &[(5000, TERM)],
        until: MIN,
        exit: Some((143, 5000, 5100)),
        logs: &["[proj:region:db] Listening on 127.0.0.1:5432", "SIGTERM signal received. Shutting down..."],
        listens: &[(5432, 500, 1000)],
        ..Row::default()
    });
    check(Row {
        image: "cr.l5d.io/linkerd/proxy:stable-2.14.10",
        http: &[(500, 4191, "/ready", 503), (2000, 4191, "/ready", 200)],
        signals: &[(3000, TERM)],
        until: MIN,
        exit: Some((0, 3000, 3100)),
        ..Row::default()
    });
    check(Row {
        image: "envoyproxy/envoy:v1.31.0",
        signals: &[(3000, TERM)],
        until: MIN,
        exit: Some((0, 3000, 3010)),
        listens: &[(9901, 0, 500), (10000, 0, 500)],
        ..Row::default()
    });
    check(Row {
        image: "fluent/fluent-bit:3.1",
        signals: &[(3500, TERM)],
        until: MIN,
        exit: Some((0, 3500, 4100)),
        logs: &["cpu.local", "[engine] caught signal (SIGTERM)"],
        ..Row::default()
    });
}

#[test]
fn shell_messages_per_flavour() {
    let not_found = [
        ("busybox", "sh", "date && no", "sh: no: not found"),
        ("ubuntu", "sh", "date && no", "sh: 1: no: not found"),
        ("ubuntu", "bash", "date && no", "bash: line 1: no: command not found"),
        ("ubuntu", "bash", "no", "bash: no: command not found"),
        ("busybox", "/bin/sh", "no", "/bin/sh: no: not found"),
    ];
    for (image, shell, script, msg) in not_found {
        let command: &'static [&'static str] = Box::leak(Box::new([shell, "-c", script]));
        check(Row {
            image,
            command: Some(command),
            until: MIN,
            exit: Some((127, 0, 20)),
            logs: &[msg],
            ..Row::default()
        });
    }
    let syntax = [
        ("busybox", "if true; then echo", "sh: syntax error: unexpected end of file (expecting \"fi\")"),
        ("ubuntu", "if true; then echo", "sh: 1: Syntax error: end of file unexpected (expecting \"fi\")"),
        ("busybox", "echo 'oops", "sh: syntax error: unterminated quoted string"),
        ("ubuntu", "fi", "sh: 1: Syntax error: \"fi\" unexpected"),
    ];
    for (image, script, msg) in syntax {
        check(Row { image, command: sh(script), until: MIN, exit: Some((2, 0, 20)), logs: &[msg], ..Row::default() });
    }
    // Lines before a syntax error still run.
    check(Row {
        image: "busybox",
        command: sh("echo first\nfi"),
        until: MIN,
        exit: Some((2, 0, 20)),
        logs: &["first"],
        ..Row::default()
    });
    // A missing binary as the container's command is a StartError.
    let b = behavior(&Row { image: "busybox:1.36", command: Some(&["foo"]), ..Row::default() });
    assert!(b.start_error().is_some_and(|m| m.contains("exec: \"foo\": executable file not found in $PATH")));
    let (_, effects) = b.start(0, &Net(BTreeSet::new()));
    assert_eq!(effects, vec![Effect::Exit(START_ERROR_EXIT_CODE)]);
    // … but not in an image podsim does not know.
    let b = behavior(&Row { image: "myorg/app:1.0", command: Some(&["/app/server"]), ..Row::default() });
    assert!(b.start_error().is_none());
}

#[test]
fn shell_language() {
    let rows = [
        ("i=0; while [ $i -lt 3 ]; do echo n$i; i=$((i+1)); done; echo done", &["n0", "n2", "done"][..], 0),
        ("for x in a b; do echo $x; done; exit 3", &["a", "b"], 3),
        ("f() { echo in-f $1; return 4; }; f arg; echo rc=$?", &["in-f arg", "rc=4"], 0),
        ("X=${UNSET:-dflt}; echo \"$X\" ${#X}", &["dflt 4"], 0),
        ("echo $(echo sub) `echo back`", &["sub back"], 0),
        ("printf '%s=%d\\n' a 1 b 2", &["a=1", "b=2"], 0),
        (
            "echo hello > /tmp/f; cat /tmp/f; cat /tmp/missing",
            &["hello", "cat: can't open '/tmp/missing': No such file or directory"],
            1,
        ),
        ("if [ -f /tmp/x ]; then echo yes; else echo no; fi", &["no"], 0),
        ("until false; do echo once; break; done", &["once"], 0),
        ("false || echo alt && echo and", &["alt", "and"], 0),
        ("set -e; false; echo unreachable", &[], 1),
        ("! false && echo negated", &["negated"], 0),
        ("echo a | grep a", &["a"], 0),
        ("x=1; (x=2; exit 5); echo $? $x", &["5 1"], 0),
        ("trap 'echo bye' EXIT; echo hi", &["hi", "bye"], 0),
        ("sleep 0.5 & sleep 0.2; wait; echo all", &["all"], 0),
        ("echo ${MISSING?is required}", &["MISSING: is required"], 2),
        ("exit 300", &[], 44),
    ];
    for (script, logs, code) in rows {
        check(Row {
            image: "busybox",
            command: sh(script),
            until: MIN,
            exit: Some((code, 0, 2000)),
            logs,
            ..Row::default()
        });
    }
    // $SECONDS in bash; container env is visible.
    check(Row {
        image: "debian",
        command: Some(&["bash", "-c", "sleep 2; echo t=$SECONDS $GREETING"]),
        env: &[("GREETING", "hey")],
        until: MIN,
        exit: Some((0, 2000, 2100)),
        logs: &["t=2 hey"],
        ..Row::default()
    });
}

#[test]
fn network_tool_texts_reference_4() {
    let rows: [(&str, &'static str, &[u16], i32, &str); 12] = [
        ("busybox", "nc -zv localhost 5000", &[5000], 0, "localhost (127.0.0.1:5000) open"),
        ("busybox", "nc -zvv localhost 5000", &[], 1, "nc: localhost (127.0.0.1:5000): Connection refused"),
        (
            "nicolaka/netshoot",
            "nc -zv localhost 5000",
            &[],
            1,
            "nc: connect to localhost (127.0.0.1) port 5000 (tcp) failed: Connection refused",
        ),
        (
            "nicolaka/netshoot",
            "nc -zv localhost 80",
            &[80],
            0,
            "Connection to localhost (127.0.0.1) 80 port [tcp/http] succeeded!",
        ),
        ("hwchiu/netutils", "nc -zv nosuchsvc 5000", &[], 1, "nosuchsvc: forward host lookup failed: Unknown host"),
        ("busybox", "nc -z nosuchsvc 5000", &[], 1, "nc: bad address 'nosuchsvc'"),
        (
            "curlimages/curl",
            "curl -sS http://localhost:5000",
            &[],
            7,
            "curl: (7) Failed to connect to localhost port 5000 after 0 ms: Couldn't connect to server",
        ),
        (
            "hwchiu/netutils",
            "curl -s -S localhost:5000/",
            &[],
            7,
            "curl: (7) Failed to connect to localhost port 5000: Connection refused",
        ),
        ("curlimages/curl", "curl -sS http://nosuchsvc/", &[], 6, "curl: (6) Could not resolve host: nosuchsvc"),
        (
            "busybox",
            "wget -O- http://localhost:5000/",
            &[],
            1,
            "wget: can't connect to remote host (127.0.0.1): Connection refused",
        ),
        (
            "hwchiu/netutils",
            "wget http://localhost:5000/",
            &[],
            4,
            "Connecting to localhost (localhost)|127.0.0.1|:5000... failed: Connection refused.",
        ),
        ("busybox", "wget -q -O- http://nosuchsvc:5000/", &[], 1, "wget: bad address 'nosuchsvc:5000'"),
    ];
    for (image, script, others, code, msg) in rows {
        check(Row {
            image,
            command: sh(script),
            others,
            until: MIN,
            exit: Some((code, 0, 50)),
            logs: &[msg],
            ..Row::default()
        });
    }
    // busybox nc prints nothing for a refusal with a single -v.
    let run = simulate(&Row { image: "busybox", command: sh("nc -zv localhost 5000"), until: MIN, ..Row::default() });
    assert!(run.logs.is_empty() && run.exit.map(|e| e.1) == Some(1), "{run:?}");
    // No such tool in the image: the shell's own message.
    check(Row {
        image: "busybox",
        command: sh("curl localhost"),
        until: MIN,
        exit: Some((127, 0, 20)),
        logs: &["sh: curl: not found"],
        ..Row::default()
    });
}

#[test]
fn exec_probes() {
    check(Row {
        image: "busybox",
        command: Some(&["sleep", "3600"]),
        execs: &[
            (1000, &["cat", "/tmp/healthy"], 1, (1, 2), "cat: can't open '/tmp/healthy': No such file or directory"),
            (2000, &["sh", "-c", "touch /tmp/healthy"], 0, (1, 5), ""),
            (3000, &["cat", "/tmp/healthy"], 0, (1, 2), ""),
            (4000, &["sleep", "infinity"], 137, (EXEC_NEVER_ENDS, EXEC_NEVER_ENDS), ""),
            (5000, &["nosuchbinary"], 126, (1, 1), "executable file not found in $PATH"),
            (6000, &["sh", "-c", "while true; do :; done"], 137, (EXEC_NEVER_ENDS, EXEC_NEVER_ENDS), ""),
        ],
        until: MIN,
        ..Row::default()
    });
}

#[test]
fn annotation_overrides() {
    check(Row {
        image: "myorg/app:1.0",
        annotation: Some("listen=8080@2s; ready=/healthz@5s; on-stop=exit:0@3s; log=Starting app"),
        http: &[(3000, 8080, "/healthz", 503), (6000, 8080, "/healthz", 200), (6000, 8080, "/", 200)],
        signals: &[(10_000, TERM)],
        until: MIN,
        exit: Some((0, 13_000, 13_010)),
        logs: &["Starting app"],
        listens: &[(8080, 2000, 2000)],
        ..Row::default()
    });
    check(Row {
        image: "myorg/app:1.0",
        annotation: Some("run=5s; exit=3"),
        until: MIN,
        exit: Some((3, 5000, 5000)),
        ..Row::default()
    });
    check(Row {
        image: "busybox",
        command: sh("echo hi; sleep 1"),
        annotation: Some("start=2s"),
        until: MIN,
        exit: Some((0, 3000, 3010)),
        ..Row::default()
    });
    check(Row {
        image: "nginx",
        annotation: Some("on-stop=ignore"),
        signals: &[(1000, Signal::Quit)],
        until: MIN,
        exit: None,
        ..Row::default()
    });
    check(Row {
        image: "busybox",
        command: sh("exit 0"),
        annotation: Some("exit=9"),
        until: MIN,
        exit: Some((9, 0, 10)),
        ..Row::default()
    });
    // Unknown images: the guess and how to override it are explained.
    let b = behavior(&Row { image: "myorg/app:1.0", annotation: Some("listen=abc"), ..Row::default() });
    let notes = b.inference.notes.join("\n");
    assert!(notes.contains("podsim.dev/app"), "{notes}");
    assert!(notes.contains("`abc` is not PORT"), "{notes}");
}

#[test]
fn image_facts() {
    let b = behavior(&Row { image: "nginx:1.27-alpine", ..Row::default() });
    assert_eq!(b.image.full_ref, "docker.io/library/nginx:1.27-alpine");
    assert_eq!(b.image.stop_signal, "SIGQUIT");
    assert!(b.image.size_bytes < 30_000_000);
    let b = behavior(&Row { image: "postgres", ..Row::default() });
    assert_eq!(b.image.stop_signal, "SIGINT");
    assert_eq!(b.argv(), ["docker-entrypoint.sh", "postgres"]);
    let b = behavior(&Row { image: "busybox:1.36", command: sh("sleep 3600"), ..Row::default() });
    assert!(b.inference.notes.iter().any(|n| n.contains("busybox ash")), "{:?}", b.inference.notes);
    assert!(b.inference.notes.iter().any(|n| n.contains("No trap")), "{:?}", b.inference.notes);
}

/// Tiny deterministic generator for the robustness test.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

#[test]
fn garbage_never_panics_or_hangs() {
    const PIECES: [&str; 48] = [
        "echo x",
        "sleep 1",
        "sleep 0",
        ";",
        "&&",
        "||",
        "&",
        "|",
        "(",
        ")",
        "{",
        "}",
        "if",
        "then",
        "else",
        "fi",
        "while",
        "until",
        "do",
        "done",
        "for i in 1 2",
        "trap 'exit 3' TERM",
        "trap '' INT",
        "wait",
        "wait $!",
        "exit",
        "$(",
        "`",
        "'",
        "\"",
        "${",
        "$((1/0))",
        "$((",
        "nc -zv localhost 80",
        "curl -f localhost",
        "wget x",
        "true",
        "false",
        "break",
        "continue",
        "f() { f; }",
        "f",
        "exec sleep 2",
        "touch /tmp/a",
        "cat /tmp/a",
        "\n",
        "python3 -m http.server 80",
        "kill $$",
    ];
    let mut rng = Lcg(42);
    for case in 0..400 {
        let n = 1 + rng.next(12);
        let script: String = (0..n).map(|_| PIECES[rng.next(PIECES.len())]).collect::<Vec<_>>().join(" ");
        let image = ["busybox", "ubuntu", "python:3.11", "myorg/x"][case % 4];
        let script: &'static str = Box::leak(script.into_boxed_str());
        let row = Row {
            image,
            command: sh(script),
            signals: &[(1500, TERM), (2500, Signal::Int)],
            until: 20_000,
            ..Row::default()
        };
        let run = simulate(&row);
        assert!(run.calls < 50_000, "{script:?} took {} calls", run.calls);
        // exec of the same garbage is bounded too.
        let b = behavior(&row);
        let (mut p, _) = b.start(0, &Net(BTreeSet::new()));
        let argv = vec!["sh".to_string(), "-c".to_string(), script.to_string()];
        let o = p.exec(&argv, 10, &Net(BTreeSet::new()));
        assert!(o.duration >= 1);
    }
    // Random argv as the container command.
    for _ in 0..200 {
        let n = rng.next(5);
        let argv: Vec<&'static str> = (0..n).map(|_| PIECES[rng.next(PIECES.len())]).collect();
        let argv: &'static [&'static str] = Box::leak(argv.into_boxed_slice());
        let run = simulate(&Row {
            image: "busybox",
            command: Some(argv),
            signals: &[(100, TERM)],
            until: 5000,
            ..Row::default()
        });
        assert!(run.calls < 50_000);
    }
}
