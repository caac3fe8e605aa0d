//! What podsim knows about common images (images-and-processes.md §3): the registry
//! reference the runtime reports, compressed size (pull time), STOPSIGNAL, ENTRYPOINT/CMD,
//! which shell and network tools are inside, and the programs the image exists to run as
//! timelines — when they print which lines, listen, answer HTTP, and how they stop.

use std::collections::BTreeMap;

use super::net_tools::{Curl, Nc, Wget};
use super::pi;
use super::proc::{Act, Cx, Route, Site, Spec};
use super::script::Flavour;
use super::tools::{exists, launch, strftime, Call, Launch};
use super::Signal;
use crate::trace::Millis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Busybox,
    Alpine,
    Ubuntu,
    Debian,
    Nginx,
    Httpd,
    Envoy,
    Istio,
    Linkerd,
    CloudSqlV2,
    CloudSqlV1,
    FluentBit,
    Fluentd,
    Python,
    Perl,
    Redis,
    Postgres,
    Mysql,
    Node,
    Golang,
    CurlImage,
    Netshoot,
    Netutils,
    PythonExample,
    Vault,
    Pause,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    Busybox,
    Alpine,
    Debian,
    Ubuntu,
    OracleLinux,
    Distroless,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Curl(Curl),
    Nc(Nc),
    Wget(Wget),
    Python,
    Perl,
    Node,
    Zsh,
}

#[derive(Debug, PartialEq)]
pub struct Image {
    /// Repositories, fully qualified without tag.
    repos: &'static [&'static str],
    pub kind: Kind,
    size: u64,
    /// Size of the `-alpine` / `-slim` variants (0: no such variant).
    alpine_size: u64,
    slim_size: u64,
    pub stop_signal: &'static str,
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    base: Base,
    tools: &'static [Tool],
    bins: &'static [&'static str],
    workdir: &'static str,
    /// Where the facts come from, for the "why?" panel.
    pub about: &'static str,
}

static IMAGES: &[Image] = &[
    Image {
        repos: &["docker.io/library/busybox"],
        kind: Kind::Busybox,
        size: 2_160_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &[],
        cmd: &["sh"],
        base: Base::Busybox,
        tools: &[],
        bins: &[],
        workdir: "/",
        about: "busybox has no ENTRYPOINT and CMD [\"sh\"]; sh is busybox ash",
    },
    Image {
        repos: &["docker.io/library/alpine"],
        kind: Kind::Alpine,
        size: 3_620_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &[],
        cmd: &["/bin/sh"],
        base: Base::Alpine,
        tools: &[],
        bins: &[],
        workdir: "/",
        about: "alpine has CMD [\"/bin/sh\"]; sh is busybox ash",
    },
    Image {
        repos: &["docker.io/library/ubuntu"],
        kind: Kind::Ubuntu,
        size: 29_700_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &[],
        cmd: &["/bin/bash"],
        base: Base::Ubuntu,
        tools: &[],
        bins: &[],
        workdir: "/",
        about: "ubuntu has CMD [\"/bin/bash\"]; sh is dash",
    },
    Image {
        repos: &["docker.io/library/debian"],
        kind: Kind::Debian,
        size: 48_500_000,
        alpine_size: 0,
        slim_size: 28_200_000,
        stop_signal: "SIGTERM",
        entrypoint: &[],
        cmd: &["bash"],
        base: Base::Debian,
        tools: &[],
        bins: &[],
        workdir: "/",
        about: "debian has CMD [\"bash\"]; sh is dash",
    },
    Image {
        repos: &["docker.io/library/nginx", "docker.io/nginxinc/nginx-unprivileged"],
        kind: Kind::Nginx,
        size: 72_100_000,
        alpine_size: 20_300_000,
        slim_size: 0,
        stop_signal: "SIGQUIT",
        entrypoint: &["/docker-entrypoint.sh"],
        cmd: &["nginx", "-g", "daemon off;"],
        base: Base::Debian,
        tools: &[Tool::Curl(Curl::Modern)],
        bins: &["/docker-entrypoint.sh", "nginx", "nginx-debug"],
        workdir: "/",
        about: "nginx runs /docker-entrypoint.sh → exec nginx (PID 1), listens on :80, STOPSIGNAL SIGQUIT",
    },
    Image {
        repos: &["docker.io/library/httpd"],
        kind: Kind::Httpd,
        size: 58_200_000,
        alpine_size: 23_100_000,
        slim_size: 0,
        stop_signal: "SIGWINCH",
        entrypoint: &[],
        cmd: &["httpd-foreground"],
        base: Base::Debian,
        tools: &[],
        bins: &["httpd-foreground", "httpd", "apachectl"],
        workdir: "/usr/local/apache2",
        about: "httpd runs httpd-foreground (exec httpd -DFOREGROUND), listens on :80, STOPSIGNAL SIGWINCH",
    },
    Image {
        repos: &["docker.io/envoyproxy/envoy"],
        kind: Kind::Envoy,
        size: 67_400_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &["/docker-entrypoint.sh"],
        cmd: &["envoy", "-c", "/etc/envoy/envoy.yaml"],
        base: Base::Ubuntu,
        tools: &[],
        bins: &["/docker-entrypoint.sh", "envoy"],
        workdir: "/",
        about: "envoy is PID 1 (entrypoint execs it), admin :9901 and listener :10000; SIGTERM stops it without drain",
    },
    Image {
        repos: &["docker.io/istio/proxyv2", "gcr.io/istio-release/proxyv2"],
        kind: Kind::Istio,
        size: 96_300_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &["/usr/local/bin/pilot-agent"],
        cmd: &[],
        base: Base::Ubuntu,
        tools: &[Tool::Curl(Curl::Modern), Tool::Nc(Nc::OpenBsd)],
        bins: &["/usr/local/bin/pilot-agent", "pilot-agent", "envoy"],
        workdir: "/",
        about: "istio proxyv2 runs pilot-agent (envoy as its child); /healthz/ready on :15021 turns 200 once config \
                arrives; SIGTERM drains for terminationDrainDuration (5 s)",
    },
    Image {
        repos: &["cr.l5d.io/linkerd/proxy", "ghcr.io/linkerd/proxy"],
        kind: Kind::Linkerd,
        size: 27_800_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &["/usr/lib/linkerd/linkerd2-proxy"],
        cmd: &[],
        base: Base::Distroless,
        tools: &[],
        bins: &["/usr/lib/linkerd/linkerd2-proxy", "linkerd2-proxy", "/usr/lib/linkerd/linkerd-await", "linkerd-await"],
        workdir: "/",
        about: "linkerd2-proxy: inbound :4143, admin :4191 (/ready, /live); SIGTERM starts a short shutdown",
    },
    Image {
        repos: &["gcr.io/cloud-sql-connectors/cloud-sql-proxy"],
        kind: Kind::CloudSqlV2,
        size: 17_600_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &["/cloud-sql-proxy"],
        cmd: &[],
        base: Base::Distroless,
        tools: &[],
        bins: &["/cloud-sql-proxy", "cloud-sql-proxy"],
        workdir: "/",
        about: "cloud-sql-proxy v2 listens on 127.0.0.1 per instance; SIGTERM exits 143 (0 with --exit-zero-on-sigterm)",
    },
    Image {
        repos: &["gcr.io/cloudsql-docker/gce-proxy"],
        kind: Kind::CloudSqlV1,
        size: 19_900_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &[],
        cmd: &[],
        base: Base::Distroless,
        tools: &[],
        bins: &["/cloud_sql_proxy", "cloud_sql_proxy"],
        workdir: "/",
        about: "cloud_sql_proxy v1 has no ENTRYPOINT/CMD; SIGTERM exits 0 when no connections are open",
    },
    Image {
        repos: &["docker.io/fluent/fluent-bit", "cr.fluentbit.io/fluent/fluent-bit"],
        kind: Kind::FluentBit,
        size: 33_400_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &["/fluent-bit/bin/fluent-bit"],
        cmd: &["/fluent-bit/bin/fluent-bit", "-c", "/fluent-bit/etc/fluent-bit.conf"],
        base: Base::Distroless,
        tools: &[],
        bins: &["/fluent-bit/bin/fluent-bit", "fluent-bit"],
        workdir: "/",
        about: "fluent-bit's default config prints a cpu record every second (HTTP server off); SIGTERM flushes, exit 0",
    },
    Image {
        repos: &["docker.io/fluent/fluentd"],
        kind: Kind::Fluentd,
        size: 94_800_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &["tini", "--", "/bin/entrypoint.sh"],
        cmd: &["fluentd"],
        base: Base::Debian,
        tools: &[],
        bins: &["/bin/entrypoint.sh", "fluentd", "tini"],
        workdir: "/home/fluent",
        about: "fluentd runs under tini (signals forwarded), forward input on :24224",
    },
    Image {
        repos: &["docker.io/library/python"],
        kind: Kind::Python,
        size: 381_000_000,
        alpine_size: 18_300_000,
        slim_size: 45_200_000,
        stop_signal: "SIGTERM",
        entrypoint: &[],
        cmd: &["python3"],
        base: Base::Debian,
        tools: &[Tool::Python, Tool::Perl, Tool::Curl(Curl::Modern), Tool::Wget(Wget::Gnu)],
        bins: &[],
        workdir: "/",
        about: "python has CMD [\"python3\"]; Python ignores SIGTERM as PID 1 and block-buffers stdout into a pipe",
    },
    Image {
        repos: &["docker.io/library/perl"],
        kind: Kind::Perl,
        size: 339_000_000,
        alpine_size: 0,
        slim_size: 41_300_000,
        stop_signal: "SIGTERM",
        entrypoint: &[],
        cmd: &["perl", "-de0"],
        base: Base::Debian,
        tools: &[Tool::Perl, Tool::Curl(Curl::Modern), Tool::Wget(Wget::Gnu)],
        bins: &[],
        workdir: "/",
        about: "perl has CMD [\"perl5.x\", \"-de0\"] (the debugger, which exits on empty stdin)",
    },
    Image {
        repos: &["docker.io/library/redis"],
        kind: Kind::Redis,
        size: 45_600_000,
        alpine_size: 17_100_000,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["redis-server"],
        base: Base::Debian,
        tools: &[],
        bins: &["docker-entrypoint.sh", "redis-server", "redis-cli"],
        workdir: "/data",
        about: "redis: entrypoint execs redis-server (PID 1), :6379 ready in ms; SIGTERM saves and exits 0",
    },
    Image {
        repos: &["docker.io/library/postgres"],
        kind: Kind::Postgres,
        size: 153_000_000,
        alpine_size: 104_000_000,
        slim_size: 0,
        stop_signal: "SIGINT",
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["postgres"],
        base: Base::Debian,
        tools: &[Tool::Perl],
        bins: &["docker-entrypoint.sh", "postgres", "pg_isready", "psql", "initdb"],
        workdir: "/",
        about: "postgres: needs POSTGRES_PASSWORD, first start runs initdb (~3 s), :5432; STOPSIGNAL SIGINT (fast shutdown)",
    },
    Image {
        repos: &["docker.io/library/mysql"],
        kind: Kind::Mysql,
        size: 171_000_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["mysqld"],
        base: Base::OracleLinux,
        tools: &[],
        bins: &["docker-entrypoint.sh", "mysqld", "mysql", "mysqladmin"],
        workdir: "/",
        about: "mysql: needs MYSQL_ROOT_PASSWORD (or ALLOW_EMPTY/RANDOM), initializes for ~15 s, :3306 and :33060",
    },
    Image {
        repos: &["docker.io/library/node"],
        kind: Kind::Node,
        size: 398_000_000,
        alpine_size: 49_800_000,
        slim_size: 74_600_000,
        stop_signal: "SIGTERM",
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["node"],
        base: Base::Debian,
        tools: &[Tool::Node, Tool::Python, Tool::Perl, Tool::Curl(Curl::Modern), Tool::Wget(Wget::Gnu)],
        bins: &["docker-entrypoint.sh"],
        workdir: "/",
        about: "node: entrypoint prepends node and execs it; Node ignores SIGTERM as PID 1 without a listener",
    },
    Image {
        repos: &["docker.io/library/golang"],
        kind: Kind::Golang,
        size: 292_000_000,
        alpine_size: 79_000_000,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &[],
        cmd: &["bash"],
        base: Base::Debian,
        tools: &[Tool::Perl, Tool::Curl(Curl::Modern), Tool::Wget(Wget::Gnu)],
        bins: &["go"],
        workdir: "/go",
        about: "golang has no CMD of its own (bash from its base)",
    },
    Image {
        repos: &["docker.io/curlimages/curl"],
        kind: Kind::CurlImage,
        size: 10_600_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &["/entrypoint.sh"],
        cmd: &["curl"],
        base: Base::Alpine,
        tools: &[Tool::Curl(Curl::Modern)],
        bins: &["/entrypoint.sh"],
        workdir: "/home/curl_user",
        about: "curlimages/curl: entrypoint prepends curl when the first argument is an option",
    },
    Image {
        repos: &["docker.io/nicolaka/netshoot"],
        kind: Kind::Netshoot,
        size: 196_000_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &[],
        cmd: &["zsh"],
        base: Base::Alpine,
        tools: &[Tool::Curl(Curl::Modern), Tool::Nc(Nc::OpenBsd), Tool::Zsh, Tool::Python],
        bins: &["socat", "nmap", "ncat", "dig", "tcpdump", "iperf3"],
        workdir: "/root",
        about: "netshoot has CMD [\"zsh\"] (exits on empty stdin); nc is netcat-openbsd",
    },
    Image {
        repos: &["docker.io/hwchiu/netutils"],
        kind: Kind::Netutils,
        size: 121_000_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &["/bin/bash", "./entrypoint.bash"],
        cmd: &[],
        base: Base::Ubuntu,
        tools: &[Tool::Nc(Nc::Traditional), Tool::Curl(Curl::Old), Tool::Wget(Wget::Gnu), Tool::Python, Tool::Perl],
        bins: &["iperf3", "tcpdump", "redis-cli", "dig", "telnet"],
        workdir: "/",
        about: "hwchiu/netutils (Ubuntu 16.04): entrypoint.bash prints `Hello! N secs elapsed...` every second and traps \
                INT/TERM (`Cleaning up...`, exit 0); nc is netcat-traditional",
    },
    Image {
        repos: &["docker.io/hwchiu/python-example"],
        kind: Kind::PythonExample,
        size: 62_300_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &[],
        cmd: &["python", "app.py"],
        base: Base::Debian,
        tools: &[Tool::Python, Tool::Curl(Curl::Modern)],
        bins: &[],
        workdir: "/app",
        about: "hwchiu/python-example: Flask debug server on :5000 after ~0.7 s, 404 for unknown paths, SIGTERM → exit 0",
    },
    Image {
        repos: &["docker.io/hashicorp/vault", "docker.io/library/vault"],
        kind: Kind::Vault,
        size: 61_500_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["server", "-dev"],
        base: Base::Alpine,
        tools: &[],
        bins: &["docker-entrypoint.sh", "vault", "/bin/vault", "dumb-init"],
        workdir: "/",
        about: "vault: dev server on :8200 by default; `vault agent` handles SIGTERM (exit 0)",
    },
    Image {
        repos: &["registry.k8s.io/pause", "k8s.gcr.io/pause"],
        kind: Kind::Pause,
        size: 320_000,
        alpine_size: 0,
        slim_size: 0,
        stop_signal: "SIGTERM",
        entrypoint: &["/pause"],
        cmd: &[],
        base: Base::Distroless,
        tools: &[],
        bins: &["/pause"],
        workdir: "/",
        about: "pause sleeps until SIGINT/SIGTERM, then exits 0",
    },
];

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRef {
    /// `docker.io/library/busybox`
    pub repo: String,
    pub tag: String,
    pub digest: Option<String>,
}

impl ImageRef {
    pub fn parse(image: &str) -> ImageRef {
        let image = image.trim();
        let (rest, digest) = match image.split_once('@') {
            Some((r, d)) => (r, Some(d.to_string())),
            None => (image, None),
        };
        let (name, tag) = match rest.rsplit_once(':') {
            Some((n, t)) if !t.contains('/') => (n, t.to_string()),
            _ => (rest, "latest".to_string()),
        };
        let first = name.split('/').next().unwrap_or("");
        let has_registry = name.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
        let repo = if has_registry {
            name.to_string()
        } else if name.contains('/') {
            format!("docker.io/{name}")
        } else {
            format!("docker.io/library/{name}")
        };
        ImageRef { repo: repo.to_ascii_lowercase(), tag, digest }
    }

    /// As the runtime reports it in `status.containerStatuses[].image`.
    pub fn full(&self) -> String {
        match &self.digest {
            Some(d) if self.tag == "latest" => format!("{}@{d}", self.repo),
            _ => format!("{}:{}", self.repo, self.tag),
        }
    }
}

pub fn lookup(r: &ImageRef) -> Option<&'static Image> {
    let repo = r.repo.strip_prefix("index.docker.io/").map(|s| format!("docker.io/{s}")).unwrap_or(r.repo.clone());
    IMAGES.iter().find(|i| i.repos.contains(&repo.as_str()))
}

/// Which flavour of the image a tag selects.
fn variant(tag: &str) -> (bool, bool) {
    (tag.contains("alpine"), tag.contains("slim"))
}

impl Image {
    pub fn size(&self, tag: &str) -> u64 {
        match variant(tag) {
            (true, _) if self.alpine_size > 0 => self.alpine_size,
            (_, true) if self.slim_size > 0 => self.slim_size,
            _ => self.size,
        }
    }
}

/// Everything a process of one container can rely on: the image's contents and the
/// container's environment.
#[derive(Debug, Clone, PartialEq)]
pub struct Env {
    pub image: Option<&'static Image>,
    pub tag: String,
    pub sh: Option<Flavour>,
    pub bash: bool,
    pub zsh: bool,
    pub nc: Option<Nc>,
    pub curl: Option<Curl>,
    pub wget: Option<Wget>,
    pub python: bool,
    pub perl: bool,
    pub node: bool,
    pub bins: &'static [&'static str],
    pub vars: BTreeMap<String, String>,
    pub workdir: String,
    /// Unix seconds of t = 0 (for dates in log lines).
    pub epoch: i64,
}

impl Env {
    pub fn new(r: &ImageRef, container_env: &[(String, String)]) -> Env {
        let image = lookup(r);
        let mut env = Env {
            image,
            tag: r.tag.clone(),
            sh: Some(Flavour::Dash),
            bash: true,
            zsh: false,
            nc: None,
            curl: None,
            wget: None,
            python: false,
            perl: false,
            node: false,
            bins: &[],
            vars: BTreeMap::new(),
            workdir: "/".into(),
            epoch: 0,
        };
        env.vars.insert("PATH".into(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into());
        env.vars.insert("HOME".into(), "/root".into());
        if let Some(img) = image {
            let (alpine, slim) = variant(&r.tag);
            let base = if alpine && img.alpine_size > 0 { Base::Alpine } else { img.base };
            let (sh, bash) = match base {
                Base::Busybox | Base::Alpine => (Some(Flavour::Ash), false),
                Base::Debian | Base::Ubuntu => (Some(Flavour::Dash), true),
                Base::OracleLinux => (Some(Flavour::Bash), true),
                Base::Distroless => (None, false),
            };
            env.sh = sh;
            env.bash = bash || img.kind == Kind::Netshoot;
            if matches!(base, Base::Busybox | Base::Alpine) {
                env.nc = Some(Nc::Busybox);
                env.wget = Some(Wget::Busybox);
            }
            for t in img.tools {
                // slim variants drop the extra tools, but keep their main interpreter.
                let keep = !slim || matches!(t, Tool::Python | Tool::Perl | Tool::Node);
                match *t {
                    _ if !keep => {}
                    Tool::Curl(c) => env.curl = Some(c),
                    Tool::Nc(n) => env.nc = Some(n),
                    Tool::Wget(w) if !alpine => env.wget = Some(w),
                    Tool::Wget(_) => {}
                    Tool::Python => env.python = true,
                    Tool::Perl => env.perl = true,
                    Tool::Node => env.node = true,
                    Tool::Zsh => env.zsh = true,
                }
            }
            match img.kind {
                Kind::Python => env.python = true,
                Kind::Node => env.node = true,
                Kind::FluentBit if r.tag.contains("debug") => {
                    env.sh = Some(Flavour::Dash);
                    env.bash = true;
                    env.curl = Some(Curl::Modern);
                    env.nc = Some(Nc::OpenBsd);
                }
                _ => {}
            }
            env.bins = img.bins;
            env.workdir = img.workdir.into();
        }
        for (k, v) in container_env {
            env.vars.insert(k.clone(), v.clone());
        }
        env
    }

    pub fn known(&self) -> bool {
        self.image.is_some()
    }

    pub fn kind(&self) -> Option<Kind> {
        self.image.map(|i| i.kind)
    }

    fn has(&self, name: &str) -> bool {
        self.bins.iter().any(|b| *b == name || b.rsplit('/').next() == Some(name))
    }

    /// Files of the image that scripts may read or run.
    pub fn files(&self) -> Vec<(String, String)> {
        match self.kind() {
            Some(Kind::Netutils) => vec![("/entrypoint.bash".into(), NETUTILS_ENTRYPOINT.into())],
            _ => Vec::new(),
        }
    }
}

/// Behaviour of hwchiu/netutils' `entrypoint.bash` (a `cleanup` function trapped on INT and
/// TERM, and a loop printing bash's `$SECONDS` every `sleep 1s`), written as a podsim script.
const NETUTILS_ENTRYPOINT: &str = "#!/bin/bash
cleanup() {
    echo \"Cleaning up...\"
    exit
}
trap cleanup INT TERM
while :; do
    echo \"Hello! ${SECONDS} secs elapsed...\"
    sleep 1s
done
";

/// A program nobody told podsim about: runs until stopped and ignores the stop signal.
pub fn guess(name: &str) -> Spec {
    Spec::new(name)
}

fn stamp(env: &Env, now: Millis, off: Millis, fmt: &str) -> String {
    stamp_at(env.epoch, now + off, fmt)
}

/// Simulated time `t` as a log timestamp in `fmt` (strftime, plus `%L` for milliseconds).
pub(super) fn stamp_at(epoch: i64, t: Millis, fmt: &str) -> String {
    let secs = epoch + (t / 1000) as i64;
    strftime(fmt, secs).replace("%L", &format!("{:03}", t % 1000))
}

/// A reaction's line stamped when it is written; `line` holds `{ts}` where the time goes.
fn later(env: &Env, fmt: &'static str, err: bool, line: String) -> Act {
    Act::Stamped { err, fmt, epoch: env.epoch, line }
}

/// Image programs by name; `None` lets the generic tools handle the name.
pub fn program(name: &str, args: &[String], call: &Call, cx: &mut Cx) -> Option<Launch> {
    let env = cx.env;
    let now = call.now;
    let kind = env.kind();
    let prog = |s: Spec| Some(Launch::Prog(s));
    match name {
        "docker-entrypoint.sh" | "entrypoint.sh" | "entrypoint.bash" if env.has(name) || name == "entrypoint.sh" => {
            entrypoint(kind, args, call, cx)
        }
        "nginx" | "nginx-debug" if env.has(name) => {
            if args.iter().any(|a| a == "-t" || a == "-v" || a == "-V") {
                let v = nginx_version(&env.tag);
                return Some(Launch::Done {
                    status: 0,
                    out: String::new(),
                    err: format!("nginx version: nginx/{v}\n"),
                    cost: 20,
                });
            }
            prog(nginx(env, now, 0))
        }
        "httpd-foreground" | "httpd" if env.has(name) => prog(httpd(env, now)),
        "envoy" if env.has(name) => prog(envoy(env, now)),
        "pilot-agent" if env.has(name) => match args.first().map(String::as_str) {
            Some("proxy") | None => prog(istio(env, now)),
            Some("wait") => Some(await_ready(cx, 15021, "/healthz/ready", WaitStyle::Istio)),
            _ => Some(Launch::Done { status: 0, out: String::new(), err: String::new(), cost: 20 }),
        },
        "linkerd2-proxy" if env.has(name) => prog(linkerd(now)),
        "linkerd-await" if env.has(name) => Some(await_ready(cx, 4191, "/ready", WaitStyle::Linkerd)),
        "cloud-sql-proxy" if env.has(name) => prog(cloud_sql_v2(env, args, now)),
        "cloud_sql_proxy" if env.has(name) => prog(cloud_sql_v1(env, args, now)),
        "fluent-bit" if env.has(name) => prog(fluent_bit(env, now)),
        "fluentd" if env.has(name) => prog(fluentd(env, now)),
        "redis-server" if env.has(name) => prog(redis(env, now)),
        "redis-cli" if env.has(name) => {
            let up = cx.listening(6379);
            Some(if up {
                Launch::Done { status: 0, out: "PONG\n".into(), err: String::new(), cost: 2 }
            } else {
                Launch::Done {
                    status: 1,
                    out: String::new(),
                    err: "Could not connect to Redis at 127.0.0.1:6379: Connection refused\n".into(),
                    cost: 2,
                }
            })
        }
        "postgres" if env.has(name) => prog(postgres(env, now)),
        "pg_isready" if env.has(name) => {
            let up = cx.listening(5432);
            let out = if up {
                "/var/run/postgresql:5432 - accepting connections\n"
            } else {
                "/var/run/postgresql:5432 - no response\n"
            };
            Some(Launch::Done { status: if up { 0 } else { 2 }, out: out.into(), err: String::new(), cost: 5 })
        }
        "mysqld" if env.has(name) => prog(mysql(env, now)),
        "vault" if env.has(name) => prog(vault(args)),
        "pause" if env.has(name) => prog(Spec::new("pause").on(
            &[Signal::Term, Signal::Int],
            vec![(1, Act::Err("Shutting down, got signal: Terminated".into())), (1, Act::Exit(0))],
        )),
        n if env.python && (n == "python" || n == "python3" || n.starts_with("python3.")) => {
            Some(python(env, args, call))
        }
        n if env.perl && (n == "perl" || n.starts_with("perl5")) => Some(perl(env, args)),
        "node" | "nodejs" if env.node => Some(match args.first() {
            None => Launch::Done { status: 0, out: String::new(), err: String::new(), cost: 40 },
            Some(script) => Launch::Prog(guess(&format!("node {script}"))),
        }),
        _ => None,
    }
}

/// The `docker-entrypoint.sh`-style wrappers: set up, then `exec "$@"` (their program is PID 1).
fn entrypoint(kind: Option<Kind>, args: &[String], call: &Call, cx: &mut Cx) -> Option<Launch> {
    let env = cx.env;
    let mut argv = args.to_vec();
    let prepend = |argv: &mut Vec<String>, prog: &str, always_opt: bool| {
        let first = argv.first().cloned().unwrap_or_default();
        if first.starts_with('-') || (!always_opt && !first.is_empty() && !exists(&first, env)) || first.is_empty() {
            argv.insert(0, prog.to_string());
        }
    };
    match kind {
        Some(Kind::Nginx) => {
            if matches!(argv.first().map(String::as_str), Some("nginx" | "nginx-debug")) {
                if argv.iter().any(|a| a == "-t" || a == "-v") {
                    return program("nginx", &argv[1..], call, cx);
                }
                return Some(Launch::Prog(nginx(env, call.now, 1)));
            }
        }
        Some(Kind::Redis) => {
            let wants = argv.first().is_none_or(|a| a.starts_with('-') || a.ends_with(".conf"));
            argv.splice(0..0, wants.then(|| "redis-server".to_string()));
        }
        Some(Kind::Postgres) => prepend(&mut argv, "postgres", true),
        Some(Kind::Mysql) => prepend(&mut argv, "mysqld", true),
        Some(Kind::Envoy) => prepend(&mut argv, "envoy", true),
        Some(Kind::Node) => prepend(&mut argv, "node", false),
        Some(Kind::CurlImage) => prepend(&mut argv, "curl", false),
        Some(Kind::Vault) => {
            let wants = matches!(argv.first().map(String::as_str), Some("server" | "agent") | None);
            argv.splice(0..0, wants.then(|| "vault".to_string()));
        }
        _ => {}
    }
    if argv.is_empty() {
        return Some(Launch::Done { status: 0, out: String::new(), err: String::new(), cost: 5 });
    }
    Some(launch(&Call { argv: &argv, ..*call }, cx))
}

fn nginx_version(tag: &str) -> String {
    let v: String = tag.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    match v.matches('.').count() {
        2 => v,
        1 => format!("{v}.0"),
        _ => "1.27.3".into(),
    }
}

const NGINX_WELCOME: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href=\"http://nginx.org/\">nginx.org</a>.<br/>
Commercial support is available at
<a href=\"http://nginx.com/\">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

/// nginx (§3.4); `entry`: the entrypoint's lines come first (started via /docker-entrypoint.sh).
fn nginx(env: &Env, now: Millis, entry: u8) -> Spec {
    let mut s = Spec::new("nginx");
    let mut t = 0;
    if entry > 0 {
        s = s.out(
            0,
            &[
                "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
                "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
                "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
                "/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh",
                "/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh",
                "/docker-entrypoint.sh: Configuration complete; ready for start up",
            ],
        );
        t = 60;
    }
    let ts = |off| stamp(env, now, off, "%Y/%m/%d %H:%M:%S");
    let v = nginx_version(&env.tag);
    let n = |off: Millis, who: &str, msg: &str| Act::Err(format!("{} [notice] {who}: {msg}", ts(off)));
    for (i, m) in [
        "using the \"epoll\" event method".to_string(),
        format!("nginx/{v}"),
        "built by gcc 12.2.0 (Debian 12.2.0-14)".into(),
        "OS: Linux 6.1.0".into(),
        "getrlimit(RLIMIT_NOFILE): 1048576:1048576".into(),
        "start worker processes".into(),
        "start worker process 29".into(),
        "start worker process 30".into(),
    ]
    .iter()
    .enumerate()
    {
        s = s.at(t + 8 + i as Millis / 4, n(t + 8, "1#1", m));
    }
    s.bind_error = format!("{} [emerg] 1#1: bind() to 0.0.0.0:{{port}} failed (98: Address already in use)", ts(t + 8));
    let mut s = s.at(t + 8, Act::Listen(80)).site(Site::new(
        80,
        vec![
            Route::new("/", 200).body(NGINX_WELCOME),
            Route::new("/index.html", 200).body(NGINX_WELCOME),
            Route::new("/50x.html", 200),
        ],
        404,
    ));
    let notice = |line: &str| later(env, "%Y/%m/%d %H:%M:%S", true, format!("{{ts}} [notice] {line}"));
    let quit = |sig: &str, graceful: bool| {
        let mut r = vec![(0, notice(&format!("1#1: signal {sig}")))];
        if graceful {
            r.push((0, notice("29#29: gracefully shutting down")));
        }
        for l in [
            "29#29: exiting",
            "29#29: exit",
            "1#1: signal 17 (SIGCHLD) received from 29",
            "1#1: worker process 29 exited with code 0",
            "1#1: exit",
        ] {
            r.push((10, notice(l)));
        }
        r.push((20, Act::Exit(0)));
        r
    };
    s = s.on(&[Signal::Quit], quit("3 (SIGQUIT) received, shutting down", true));
    s = s.on(&[Signal::Term], quit("15 (SIGTERM) received, exiting", false));
    s.on(&[Signal::Int], quit("2 (SIGINT) received, exiting", false))
}

fn httpd(env: &Env, now: Millis) -> Spec {
    let ts = |off| stamp(env, now, off, "%a %b %d %H:%M:%S.%L000 %Y");
    let fqdn = "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 10.244.0.5. Set the 'ServerName' directive globally to suppress this message";
    let mut s = Spec::new("httpd")
        .err(30, &[fqdn, fqdn])
        .at(60, Act::Err(format!("[{}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations", ts(60))))
        .at(60, Act::Err(format!("[{}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'", ts(60))))
        .at(60, Act::Listen(80))
        .site(Site::new(80, vec![Route::new("/", 200).body("<html><body><h1>It works!</h1></body></html>")], 404));
    s.bind_error = "(98)Address already in use: AH00072: make_sock: could not bind to address 0.0.0.0:{port}".into();
    let stop = |msg: &str, delay| {
        let fmt = "%a %b %d %H:%M:%S.%L000 %Y";
        vec![
            (0, later(env, fmt, true, format!("[{{ts}}] [mpm_event:notice] [pid 1:tid 1] {msg}"))),
            (delay, Act::Exit(0)),
        ]
    };
    s = s.on(&[Signal::Winch], stop("AH00492: caught SIGWINCH, shutting down gracefully", 1000));
    s.on(&[Signal::Term, Signal::Int], stop("AH00491: caught SIGTERM, shutting down", 40))
}

fn envoy(env: &Env, now: Millis) -> Spec {
    let ts = |off| stamp(env, now, off, "[%Y-%m-%d %H:%M:%S.%L]");
    let l = |off, lvl: &str, msg: &str| {
        Act::Err(format!("{}[1][{lvl}][main] [source/server/server.cc:430] {msg}", ts(off)))
    };
    let then = |lvl: &str, msg: &str| {
        let line = format!("{{ts}}[1][{lvl}][main] [source/server/server.cc:430] {msg}");
        later(env, "[%Y-%m-%d %H:%M:%S.%L]", true, line)
    };
    let stop = vec![
        (0, then("warning", "caught ENVOY_SIGTERM")),
        (1, then("info", "shutting down server instance")),
        (2, then("info", "main dispatch loop exited")),
        (3, then("info", "exiting")),
        (5, Act::Exit(0)),
    ];
    Spec::new("envoy")
        .at(20, l(20, "info", "initializing epoch 0 (base id=0, hot restart version=11.104)"))
        .at(200, l(200, "info", "admin address: 0.0.0.0:9901"))
        .at(250, Act::Listen(9901))
        .at(280, l(280, "info", "all clusters initialized. initializing init manager"))
        .at(290, l(290, "info", "all dependencies initialized. starting workers"))
        .at(300, Act::Listen(10000))
        .at(300, l(300, "info", "starting main dispatch loop"))
        .site(Site::new(9901, vec![Route::new("/ready", 200).body("LIVE"), Route::new("/stats", 200).prefix()], 404))
        .site(Site::new(10000, vec![Route::new("/", 200).prefix()], 404))
        .on(&[Signal::Term, Signal::Int], stop)
}

/// istio `pilot-agent proxy sidecar` (§3.7): ready ~1.5 s after start; drains 5 s on SIGTERM.
fn istio(env: &Env, now: Millis) -> Spec {
    let ts = |off| stamp(env, now, off, "%Y-%m-%dT%H:%M:%S.%L000Z");
    let info = |off, msg: &str| Act::Err(format!("{}\tinfo\t{msg}", ts(off)));
    let then = |msg: &str| later(env, "%Y-%m-%dT%H:%M:%S.%L000Z", true, format!("{{ts}}\tinfo\t{msg}"));
    let drain = vec![
        (0, then("Agent draining Proxy for termination")),
        (0, then("Graceful termination period is 5s, starting...")),
        (0, Act::Ready(false)),
        (5000, then("Graceful termination period complete, terminating remaining proxies.")),
        (5000, then("Envoy aborted normally")),
        (5000, then("Aborted proxy instance")),
        (5000, then("Agent has successfully terminated")),
        (5001, Act::Exit(0)),
    ];
    let ready = Route::new("/healthz/ready", 200).gated(503);
    Spec::new("pilot-agent")
        .unready()
        .at(50, info(50, "Opening status port 15020"))
        .at(50, Act::Listen(15020))
        .at(50, Act::Listen(15021))
        .at(60, info(60, "Starting proxy agent"))
        .at(80, info(80, "Envoy command: [-c etc/istio/proxy/envoy-rev.json --drain-time-s 45 --drain-strategy immediate --local-address-ip-version v4 --file-flush-interval-msec 1000 --disable-hot-restart --allow-unknown-static-fields -l warning]"))
        .at(400, Act::Listen(15001))
        .at(400, Act::Listen(15006))
        .at(400, Act::Listen(15090))
        .at(1500, Act::Ready(true))
        .at(1500, info(1500, "Readiness succeeded in 1.5s"))
        .at(1500, info(1500, "Envoy proxy is ready"))
        .site(Site::new(15021, vec![ready], 404))
        .site(Site::new(15020, vec![Route::new("/healthz/ready", 200).gated(503), Route::new("/stats/prometheus", 200)], 404))
        .site(Site::new(15090, vec![Route::new("/stats/prometheus", 200)], 404))
        .on(&[Signal::Term, Signal::Int], drain)
}

fn linkerd(now: Millis) -> Spec {
    let _ = now;
    let l = |secs: &str, msg: &str| Act::Err(format!("[{secs:>12}s]  INFO ThreadId(01) {msg}"));
    Spec::new("linkerd2-proxy")
        .unready()
        .at(2, l("0.002146", "linkerd2_proxy: release 2.14.10 by linkerd on 2024-01-01T00:00:00Z"))
        .at(10, l("0.010532", "linkerd2_proxy: Admin interface on 0.0.0.0:4191"))
        .at(10, Act::Listen(4191))
        .at(10, l("0.010598", "linkerd2_proxy: Inbound interface on 0.0.0.0:4143"))
        .at(10, Act::Listen(4143))
        .at(10, l("0.010601", "linkerd2_proxy: Outbound interface on 127.0.0.1:4140"))
        .at(10, l("0.010604", "linkerd2_proxy: Tap DISABLED"))
        .at(900, l("0.900842", "daemon:identity: linkerd_app: Certified identity id=default.default.serviceaccount.identity.linkerd.cluster.local"))
        .at(900, Act::Ready(true))
        .site(Site::new(4191, vec![Route::new("/ready", 200).gated(503).body("ready"), Route::new("/live", 200).body("live"), Route::new("/metrics", 200)], 404))
        .on(&[Signal::Term, Signal::Int], vec![(0, l("", "linkerd2_proxy::signal: received SIGTERM, starting shutdown")), (50, Act::Exit(0))])
}

fn flag<'a>(args: &'a [String], names: &[&str]) -> Option<&'a str> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        for n in names {
            if a == n {
                return it.next().map(String::as_str);
            }
            if let Some(v) = a.strip_prefix(n).and_then(|r| r.strip_prefix('=')) {
                return Some(v);
            }
        }
    }
    None
}

fn cloud_sql_v2(env: &Env, args: &[String], now: Millis) -> Spec {
    let ts = |off| stamp(env, now, off, "%Y/%m/%d %H:%M:%S");
    let instances: Vec<&String> = args.iter().filter(|a| !a.starts_with('-') && a.contains(':')).collect();
    if instances.is_empty() {
        return Spec::new("cloud-sql-proxy")
            .err(
                5,
                &[
                    "Error: missing instance_connection_name (e.g., project:region:instance)",
                    "Usage:",
                    "  cloud-sql-proxy INSTANCE_CONNECTION_NAME... [flags]",
                ],
            )
            .at(6, Act::Exit(1));
    }
    let has = |f: &str| args.iter().any(|a| a == f || a.starts_with(&format!("{f}=")));
    let addr = flag(args, &["--address", "-a"]).unwrap_or("127.0.0.1").to_string();
    let mut port: u16 = flag(args, &["--port", "-p"]).and_then(|p| p.parse().ok()).unwrap_or(5432);
    let mut s = Spec::new("cloud-sql-proxy")
        .at(300, Act::Err(format!("{} Authorizing with Application Default Credentials", ts(300))));
    for inst in &instances {
        let name = inst.split('?').next().unwrap_or(inst);
        let p = inst.split("port=").nth(1).and_then(|p| p.parse().ok()).unwrap_or(port);
        s = s.at(800, Act::Err(format!("{} [{name}] Listening on {addr}:{p}", ts(800))));
        // Loopback-only listeners cannot be reached by kubelet probes (they use the pod IP).
        s = s.at(800, Act::Listen(p));
        port = p.saturating_add(1);
    }
    s = s
        .at(800, Act::Err(format!("{} The proxy has started successfully and is ready for new connections!", ts(800))));
    if has("--health-check") {
        let hp: u16 = flag(args, &["--http-port"]).and_then(|p| p.parse().ok()).unwrap_or(9090);
        let ha = flag(args, &["--http-address"]).unwrap_or("localhost");
        if ha != "localhost" && ha != "127.0.0.1" {
            s = s.at(800, Act::Listen(hp)).site(Site::new(
                hp,
                vec![
                    Route::new("/startup", 200).body("ok"),
                    Route::new("/readiness", 200).body("ok"),
                    Route::new("/liveness", 200).body("ok"),
                ],
                404,
            ));
        }
        s = s.at(800, Act::Err(format!("{} Starting health check server at {ha}:{hp}", ts(800))));
    }
    let term_code = if has("--exit-zero-on-sigterm") { 0 } else { 143 };
    let delay = flag(args, &["--min-sigterm-delay"]).and_then(super::tools::duration_ms).flatten().unwrap_or(0);
    s.on(
        &[Signal::Term],
        vec![
            (0, later(env, "%Y/%m/%d %H:%M:%S", true, "{ts} SIGTERM signal received. Shutting down...".into())),
            (delay + 5, Act::Exit(term_code)),
        ],
    )
    .on(
        &[Signal::Int],
        vec![
            (0, later(env, "%Y/%m/%d %H:%M:%S", true, "{ts} SIGINT signal received. Shutting down...".into())),
            (5, Act::Exit(130)),
        ],
    )
}

fn cloud_sql_v1(env: &Env, args: &[String], now: Millis) -> Spec {
    let ts = |off| stamp(env, now, off, "%Y/%m/%d %H:%M:%S");
    let spec = flag(args, &["-instances", "--instances"]).unwrap_or("");
    let mut s = Spec::new("cloud_sql_proxy");
    for inst in spec.split(',').filter(|i| !i.is_empty()) {
        let (name, port) = match inst.split_once("=tcp:") {
            Some((n, p)) => (n, p.rsplit(':').next().and_then(|p| p.parse::<u16>().ok()).unwrap_or(5432)),
            None => (inst, 5432),
        };
        s = s
            .at(500, Act::Err(format!("{} Listening on 127.0.0.1:{port} for {name}", ts(500))))
            .at(500, Act::Listen(port));
    }
    if spec.is_empty() {
        return s.err(5, &["2024/01/01 00:00:00 no instance selected"]).at(6, Act::Exit(1));
    }
    s.at(500, Act::Err(format!("{} Ready for new connections", ts(500)))).on(
        &[Signal::Term, Signal::Int],
        vec![
            (
                0,
                later(
                    env,
                    "%Y/%m/%d %H:%M:%S",
                    true,
                    "{ts} Received TERM signal. Waiting up to 0s before terminating.".into(),
                ),
            ),
            (5, Act::Exit(0)),
        ],
    )
}

fn fluent_bit(env: &Env, now: Millis) -> Spec {
    let ts = |off| stamp(env, now, off, "[%Y/%m/%d %H:%M:%S]");
    let i = |off, msg: &str| Act::Err(format!("{} [ info] {msg}", ts(off)));
    let then = |msg: &str| later(env, "[%Y/%m/%d %H:%M:%S]", true, format!("{{ts}} {msg}"));
    let mut s = Spec::new("fluent-bit")
        .err(
            0,
            &[
                "Fluent Bit v3.1.9",
                "* Copyright (C) 2015-2024 The Fluent Bit Authors",
                "* Fluent Bit is a CNCF sub-project under the umbrella of Fluentd",
                "* https://fluentbit.io",
                "",
            ],
        )
        .at(5, i(5, "[fluent bit] version=3.1.9, commit=431fa79ae2, pid=1"))
        .at(5, i(5, "[storage] ver=1.5.2, type=memory, sync=normal, checksum=off, max_chunks_up=128"))
        .at(6, i(6, "[cmetrics] version=0.9.6"))
        .at(6, i(6, "[input:cpu:cpu.0] initializing"))
        .at(7, i(7, "[sp] stream processor started"))
        .at(7, i(7, "[output:stdout:stdout.0] worker #0 started"));
    // One cpu record per second from the default config, for the first minutes.
    for k in 1..=600u64 {
        let secs = env.epoch + ((now + k * 1000) / 1000) as i64;
        s = s.at(k * 1000, Act::Out(format!("[0] cpu.local: [[{secs}.000000000, {{}}], {{\"cpu_p\"=>0.500000, \"user_p\"=>0.250000, \"system_p\"=>0.250000}}]")));
    }
    s.on(
        &[Signal::Term, Signal::Int],
        vec![
            (0, then("[engine] caught signal (SIGTERM)")),
            (0, then("[ warn] [engine] service will shutdown in max 5 seconds")),
            (500, then("[ info] [engine] service has stopped (0 pending tasks)")),
            (500, then("[ info] [output:stdout:stdout.0] thread worker #0 stopping...")),
            (501, then("[ info] [output:stdout:stdout.0] thread worker #0 stopped")),
            (502, Act::Exit(0)),
        ],
    )
}

fn fluentd(env: &Env, now: Millis) -> Spec {
    let ts = |off| stamp(env, now, off, "%Y-%m-%d %H:%M:%S +0000");
    let i = |off, msg: &str| Act::Out(format!("{} [info]: {msg}", ts(off)));
    let then = |msg: &str| later(env, "%Y-%m-%d %H:%M:%S +0000", false, format!("{{ts}} [info]: {msg}"));
    Spec::new("fluentd")
        .at(800, i(800, "init supervisor logger path=nil rotate_age=nil rotate_size=nil"))
        .at(900, i(900, "parsing config file is succeeded path=\"/fluentd/etc/fluent.conf\""))
        .at(1200, i(1200, "starting fluentd-1.16.5 pid=7 ruby=\"3.2.4\""))
        .at(2000, i(2000, "#0 [input1] listening port port=24224 bind=\"0.0.0.0\""))
        .at(2000, Act::Listen(24224))
        .at(2100, i(2100, "#0 fluentd worker is now running worker=0"))
        .on(
            &[Signal::Term, Signal::Int],
            vec![
                (0, then("Received graceful stop")),
                (900, then("#0 fluentd worker is now stopping worker=0")),
                (1000, Act::Exit(0)),
            ],
        )
}

fn redis(env: &Env, now: Millis) -> Spec {
    let ts = |off| stamp(env, now, off, "%d %b %Y %H:%M:%S.%L");
    let c = |off, m: &str| Act::Out(format!("1:C {} {m}", ts(off)));
    let mm = |off, m: &str| Act::Out(format!("1:M {} {m}", ts(off)));
    let then = |m: &str| later(env, "%d %b %Y %H:%M:%S.%L", false, format!("1:M {{ts}} {m}"));
    let mut s = Spec::new("redis-server")
        .at(1, c(1, "# oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo"))
        .at(1, c(1, "# Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=1, just started"))
        .at(1, c(1, "# Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf"))
        .at(2, mm(2, "* monotonic clock: POSIX clock_gettime"))
        .at(2, mm(2, "* Running mode=standalone, port=6379."))
        .at(3, mm(3, "* Server initialized"))
        .at(3, Act::Listen(6379))
        .at(3, mm(3, "* Ready to accept connections tcp"));
    s.bind_error =
        "1:M # Warning: Could not create server TCP listening socket *:{port}: bind: Address already in use".into();
    let stop = vec![
        (0, later(env, "%s", false, "1:signal-handler ({ts}) Received SIGTERM scheduling shutdown...".into())),
        (10, then("# User requested shutdown...")),
        (10, then("* Saving the final RDB snapshot before exiting.")),
        (15, then("* DB saved on disk")),
        (15, then("# Redis is now ready to exit, bye bye...")),
        (20, Act::Exit(0)),
    ];
    s.on(&[Signal::Term, Signal::Int], stop)
}

fn postgres(env: &Env, now: Millis) -> Spec {
    let pw = env.vars.get("POSTGRES_PASSWORD").is_some_and(|p| !p.is_empty())
        || env.vars.get("POSTGRES_HOST_AUTH_METHOD").map(String::as_str) == Some("trust");
    if !pw {
        return Spec::new("postgres")
            .err(
                20,
                &[
                    "Error: Database is uninitialized and superuser password is not specified.",
                    "       You must specify POSTGRES_PASSWORD to a non-empty value for the",
                    "       superuser. For example, \"-e POSTGRES_PASSWORD=password\" on \"docker run\".",
                    "",
                    "       You may also use \"POSTGRES_HOST_AUTH_METHOD=trust\" to allow all",
                    "       connections without a password. This is *not* recommended.",
                    "",
                    "       See PostgreSQL documentation about \"trust\":",
                    "       https://www.postgresql.org/docs/current/auth-trust.html",
                ],
            )
            .at(21, Act::Exit(1));
    }
    let ts = |off| stamp(env, now, off, "%Y-%m-%d %H:%M:%S.%L UTC");
    let log = |off, pid: u32, m: &str| Act::Err(format!("{} [{pid}] LOG:  {m}", ts(off)));
    let up = 3000;
    let then = |pid: u32, m: &str| later(env, "%Y-%m-%d %H:%M:%S.%L UTC", true, format!("{{ts}} [{pid}] LOG:  {m}"));
    let down = |first: &str| {
        vec![
            (0, then(1, first)),
            (1, then(1, "aborting any active transactions")),
            (5, then(1, "background worker \"logical replication launcher\" (PID 32) exited with exit code 1")),
            (10, then(27, "shutting down")),
            (20, then(27, "checkpoint starting: shutdown immediate")),
            (30, then(1, "database system is shut down")),
            (31, Act::Exit(0)),
        ]
    };
    Spec::new("postgres")
        .out(100, &["The files belonging to this database system will be owned by user \"postgres\".", "This user must also own the server process.", ""])
        .out(800, &["Success. You can now start the database server using:", ""])
        .out(2900, &["PostgreSQL init process complete; ready for start up.", ""])
        .at(up, log(up, 1, "starting PostgreSQL 17.2 (Debian 17.2-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit"))
        .at(up, log(up, 1, "listening on IPv4 address \"0.0.0.0\", port 5432"))
        .at(up, Act::Listen(5432))
        .at(up, log(up, 1, "listening on IPv6 address \"::\", port 5432"))
        .at(up, log(up, 1, "listening on Unix socket \"/var/run/postgresql/.s.PGSQL.5432\""))
        .at(up + 10, log(up + 10, 1, "database system is ready to accept connections"))
        .on(&[Signal::Int], down("received fast shutdown request"))
        .on(&[Signal::Term], down("received smart shutdown request"))
        .on(&[Signal::Quit], vec![(0, then(1, "received immediate shutdown request")), (5, Act::Exit(0))])
}

fn mysql(env: &Env, now: Millis) -> Spec {
    let ts = |off| stamp(env, now, off, "%Y-%m-%d %H:%M:%S+00:00");
    let note = |off, m: &str| Act::Out(format!("{} [Note] [Entrypoint]: {m}", ts(off)));
    let ok = ["MYSQL_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD"]
        .iter()
        .any(|k| env.vars.get(*k).is_some_and(|v| !v.is_empty()));
    let s = Spec::new("mysqld")
        .at(10, note(10, "Entrypoint script for MySQL Server 8.4.3-1.el9 started."))
        .at(20, note(20, "Switching to dedicated user 'mysql'"))
        .at(30, note(30, "Entrypoint script for MySQL Server 8.4.3-1.el9 started."));
    if !ok {
        return s
            .at(
                40,
                Act::Err(format!(
                    "{} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified",
                    ts(40)
                )),
            )
            .err(
                40,
                &[
                    "    You need to specify one of the following as an environment variable:",
                    "    - MYSQL_ROOT_PASSWORD",
                    "    - MYSQL_ALLOW_EMPTY_PASSWORD",
                    "    - MYSQL_RANDOM_ROOT_PASSWORD",
                ],
            )
            .at(41, Act::Exit(1));
    }
    let up = 15_000;
    let sys = |off, m: &str| Act::Err(format!("{}Z 0 [System] {m}", stamp(env, now, off, "%Y-%m-%dT%H:%M:%S.%L000")));
    let then = |m: &str| later(env, "%Y-%m-%dT%H:%M:%S.%L000", true, format!("{{ts}}Z 0 [System] {m}"));
    s.at(40, note(40, "Initializing database files"))
        .at(9000, note(9000, "Database files initialized"))
        .at(9500, note(9500, "Temporary server started."))
        .at(14_000, note(14_000, "MySQL init process done. Ready for start up."))
        .at(up, sys(up, "[MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.3'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL."))
        .at(up, Act::Listen(3306))
        .at(up, Act::Listen(33060))
        .at(up, sys(up, "[MY-011323] [Server] X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock"))
        .on(&[Signal::Term, Signal::Int], vec![(0, then("[MY-013172] [Server] Received SHUTDOWN from user <via user signal>. Shutting down mysqld (Version: 8.4.3).")), (2000, then("[MY-010910] [Server] /usr/sbin/mysqld: Shutdown complete (mysqld 8.4.3)  MySQL Community Server - GPL.")), (2001, Act::Exit(0))])
}

fn vault(args: &[String]) -> Spec {
    match args.first().map(String::as_str) {
        Some("server") => Spec::new("vault")
            .out(
                0,
                &[
                    "==> Vault server configuration:",
                    "",
                    "             Api Address: http://0.0.0.0:8200",
                    "                     Cgo: disabled",
                    "         Cluster Address: https://0.0.0.0:8201",
                    "",
                    "==> Vault server started! Log data will stream in below:",
                    "",
                ],
            )
            .out(
                600,
                &[
                    "WARNING! dev mode is enabled! In this mode, Vault runs entirely in-memory",
                    "and starts unsealed with a single unseal key. The root token is already",
                    "authenticated to the CLI, so you can immediately begin using Vault.",
                ],
            )
            .at(500, Act::Listen(8200))
            .site(Site::new(8200, vec![Route::new("/v1/sys/health", 200)], 404))
            .on(
                &[Signal::Term, Signal::Int],
                vec![(0, Act::Out("==> Vault shutdown triggered".into())), (100, Act::Exit(0))],
            ),
        Some("agent") => {
            let once = args.iter().any(|a| a.contains("exit-after-auth"));
            let s = Spec::new("vault agent")
                .out(0, &["==> Vault Agent started! Log data will stream in below:", ""])
                .at(100, Act::Out("[INFO]  agent.auth.handler: authenticating".into()));
            let s = if once {
                s.at(
                    800,
                    Act::Out("[INFO]  agent.auth.handler: authentication successful, sending token to sinks".into()),
                )
                .at(900, Act::Exit(0))
            } else {
                s
            };
            s.on(
                &[Signal::Term, Signal::Int],
                vec![(0, Act::Out("==> Vault Agent shutdown triggered".into())), (50, Act::Exit(0))],
            )
        }
        _ => Spec::done("vault", 0, "", "", 30),
    }
}

/// `python …` (§2.5, §3.13): http.server, the Flask example app, bare python; other scripts
/// are guessed to run until stopped.
fn python(env: &Env, args: &[String], call: &Call) -> Launch {
    let unbuffered = args.iter().take_while(|a| a.starts_with('-')).any(|a| a == "-u")
        || call.vars.get("PYTHONUNBUFFERED").is_some_and(|v| !v.is_empty());
    let rest: Vec<&String> = args.iter().filter(|a| a.as_str() != "-u").collect();
    match rest.as_slice() {
        [] => Launch::Done { status: 0, out: String::new(), err: String::new(), cost: 30 },
        [dash] if dash.as_str() == "-" => Launch::Done { status: 0, out: String::new(), err: String::new(), cost: 30 },
        [m, module, more @ ..] if m.as_str() == "-m" && module.as_str() == "http.server" => {
            let mut port = 8000u16;
            let mut bind = "0.0.0.0".to_string();
            let mut it = more.iter();
            while let Some(a) = it.next() {
                if a.as_str() == "--bind" || a.as_str() == "-b" {
                    bind = it.next().map(|s| s.to_string()).unwrap_or(bind);
                } else if let Ok(p) = a.parse() {
                    port = p;
                }
            }
            let serving = format!("Serving HTTP on {bind} port {port} (http://{bind}:{port}/) ...");
            // Listening takes ~0.8 s here (module imports on a cold node; 160 ms measured on a
            // warm machine): enough for the seed article's first `nc` to lose the race.
            let listen_at = 800;
            let mut s = Spec::new("python3 -m http.server").at(listen_at, Act::Listen(port));
            if unbuffered {
                s = s.at(listen_at, Act::Out(serving.clone()));
            }
            s.bind_error = "OSError: [Errno 98] Address already in use".into();
            // SIGINT → KeyboardInterrupt: buffered stdout is flushed at the normal exit.
            let mut on_int = vec![];
            if !unbuffered {
                on_int.push((20, Act::Out(serving)));
            }
            on_int.push((20, Act::Out(String::new())));
            on_int.push((20, Act::Out("Keyboard interrupt received, exiting.".into())));
            on_int.push((21, Act::Exit(0)));
            Launch::Prog(s.site(Site::new(port, vec![Route::new("/", 200)], 404)).on(&[Signal::Int], on_int))
        }
        [script, ..] if script.as_str() == "app.py" && env.kind() == Some(Kind::PythonExample) => {
            Launch::Prog(flask_example(env, call.now))
        }
        [c, ..] if c.as_str() == "-c" => Launch::Prog(guess("python3 -c")),
        [script, ..] => Launch::Prog(guess(&format!("python {script}"))),
    }
}

fn flask_example(env: &Env, now: Millis) -> Spec {
    let _ = (env, now);
    let ok = |p: &str, body: &str| Route::new(p, 200).body(body);
    Spec::new("python app.py")
        .err(
            300,
            &[
                " * Serving Flask app 'app'",
                " * Debug mode: on",
                "\u{1b}[31m\u{1b}[1mWARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.\u{1b}[0m",
                " * Running on all addresses (0.0.0.0)",
                " * Running on http://127.0.0.1:5000",
                " * Running on http://10.244.0.5:5000",
                "\u{1b}[33mPress CTRL+C to quit\u{1b}[0m",
                " * Restarting with stat",
            ],
        )
        .at(680, Act::Listen(5000))
        .err(690, &[" * Debugger is active!", " * Debugger PIN: 799-862-867"])
        .site(Site::new(
            5000,
            vec![
                ok("/", "Hello, Docker!"),
                ok("/health", "{\"message\":\"Hello, Docker!\"}"),
                ok("/api/v1/hello", "{\"message\":\"Hello, API!\"}"),
                ok("/metrics", ""),
                ok("/api2", ""),
                ok("/api3", ""),
                ok("/message", "Redis integration is not enabled."),
            ],
            404,
        ))
        // Werkzeug's reloader: SIGTERM → sys.exit(0); SIGINT → KeyboardInterrupt, exit 0.
        .on(&[Signal::Term, Signal::Int], vec![(100, Act::Exit(0))])
}

/// `perl …` (§3.14): the bignum π Job, the debugger, or a guess.
fn perl(env: &Env, args: &[String]) -> Launch {
    // The program text follows the first switch cluster with `e` (`-e`, `-wle`, `-E` …).
    let script = args
        .iter()
        .position(|a| a.starts_with('-') && !a.starts_with("-M") && a[1..].chars().any(|c| c == 'e' || c == 'E'))
        .and_then(|i| args.get(i + 1));
    let uses_bignum = args.iter().any(|a| a.starts_with("-Mbignum") || a.starts_with("-Mbigrat"));
    if args.is_empty() || args.iter().any(|a| a == "-de0") {
        return Launch::Prog(
            Spec::new("perl -de0")
                .err(
                    80,
                    &[
                        "",
                        "Loading DB routines from perl5db.pl version 1.77",
                        "Editor support available.",
                        "",
                        "Enter h or 'h h' for help, or 'man perldebug' for more help.",
                        "",
                        "main::(-e:1):\t0",
                    ],
                )
                .at(81, Act::Exit(0)),
        );
    }
    let code = script.map(String::as_str).unwrap_or("");
    let n =
        code.find("bpi(").and_then(|i| code[i + 4..].split(')').next()).and_then(|d| d.trim().parse::<usize>().ok());
    if let (true, Some(n)) = (uses_bignum, n) {
        // perl 5.36's Math::BigInt::Calc breaks bpi (§3.14 "version trap").
        if env.tag.starts_with("5.36") {
            return Launch::Prog(
                Spec::new("perl")
                    .at(3500, Act::Err("Can't use an undefined value as an ARRAY reference at /usr/local/lib/perl5/5.36.0/Math/BigInt/Calc.pm line 1049.".into()))
                    .at(3501, Act::Exit(255)),
            );
        }
        // 3.2 s of CPU for 2000 digits measured; the work grows with the square of N.
        let ratio = n as f64 / 2000.0;
        let cost = (400.0 + 3600.0 * ratio * ratio).min(86_400_000.0) as Millis;
        let digits = if n <= pi::MAX_DIGITS {
            pi::bpi(n)
        } else {
            format!("{} (podsim computes at most {} digits)", pi::bpi(pi::MAX_DIGITS), pi::MAX_DIGITS)
        };
        return Launch::Prog(Spec::new("perl").at(cost, Act::Out(digits)).at(cost + 1, Act::Exit(0)));
    }
    Launch::Prog(guess("perl"))
}

#[derive(Clone, Copy)]
enum WaitStyle {
    Istio,
    Linkerd,
}

/// `pilot-agent wait` / `linkerd-await` against the pod as it is now (an exec sees the
/// process's future readiness through [`super::Process::exec`], which handles these first).
fn await_ready(cx: &mut Cx, port: u16, path: &str, style: WaitStyle) -> Launch {
    let ready = cx.listening(port) && cx.http(port, path).status < 400;
    match (style, ready) {
        (WaitStyle::Istio, true) => Launch::Done {
            status: 0,
            out: String::new(),
            err: "Waiting for Envoy proxy to be ready (timeout: 60 seconds)...\nEnvoy is ready!\n".into(),
            cost: 500,
        },
        (WaitStyle::Istio, false) => Launch::Done {
            status: 1,
            out: String::new(),
            err: format!("Waiting for Envoy proxy to be ready (timeout: 60 seconds)...\nError: timeout waiting for Envoy proxy to become ready. Last error: Get \"http://localhost:{port}{path}\": dial tcp 127.0.0.1:{port}: connect: connection refused\n"),
            cost: 60_000,
        },
        (WaitStyle::Linkerd, true) => Launch::Done { status: 0, out: String::new(), err: String::new(), cost: 100 },
        (WaitStyle::Linkerd, false) => Launch::Done { status: 1, out: String::new(), err: "linkerd-await: timed out waiting for proxy readiness\n".into(), cost: 120_000 },
    }
}

/// How a ready-wait that runs as an exec finishes, given when the own process turns ready.
pub fn await_outcome(name: &str, ready_in: Option<Millis>) -> Option<(i32, Millis, String)> {
    let (timeout, ok, fail) = match name {
        "pilot-agent" => (
            60_000,
            "Waiting for Envoy proxy to be ready (timeout: 60 seconds)...\nEnvoy is ready!\n",
            "Waiting for Envoy proxy to be ready (timeout: 60 seconds)...\nError: timeout waiting for Envoy proxy to become ready. Last error: Get \"http://localhost:15021/healthz/ready\": dial tcp 127.0.0.1:15021: connect: connection refused\n",
        ),
        "linkerd-await" => (120_000, "", "linkerd-await: timed out waiting for proxy readiness\n"),
        _ => return None,
    };
    Some(match ready_in {
        // Polls every 500 ms.
        Some(d) if d <= timeout => (0, d.div_ceil(500) * 500 + 1, ok.to_string()),
        _ => (1, timeout, fail.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_qualified() {
        let r = ImageRef::parse("busybox:1.36");
        assert_eq!(r.full(), "docker.io/library/busybox:1.36");
        assert_eq!(ImageRef::parse("hwchiu/netutils").full(), "docker.io/hwchiu/netutils:latest");
        assert_eq!(
            ImageRef::parse("gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0").full(),
            "gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.8.0"
        );
        assert_eq!(ImageRef::parse("localhost:5000/app").full(), "localhost:5000/app:latest");
        assert_eq!(ImageRef::parse("nginx@sha256:abc").full(), "docker.io/library/nginx@sha256:abc");
        assert!(lookup(&ImageRef::parse("docker.io/library/nginx:1.27")).is_some());
        assert!(lookup(&ImageRef::parse("myorg/app")).is_none());
    }

    #[test]
    fn variants_pick_shell_and_tools() {
        let alpine = Env::new(&ImageRef::parse("python:3.11-alpine"), &[]);
        assert_eq!(alpine.sh, Some(Flavour::Ash));
        assert_eq!(alpine.wget, Some(Wget::Busybox));
        assert!(alpine.python);
        let slim = Env::new(&ImageRef::parse("python:3.11-slim"), &[]);
        assert_eq!(slim.curl, None);
        let nu = Env::new(&ImageRef::parse("hwchiu/netutils"), &[]);
        assert_eq!(nu.nc, Some(Nc::Traditional));
        assert_eq!(Env::new(&ImageRef::parse("cr.l5d.io/linkerd/proxy:stable-2.14.10"), &[]).sh, None);
    }
}
