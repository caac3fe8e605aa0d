//! The human-readable summary of a run (`podsim run` without `--output json`): problems
//! with the input, the timeline of container happenings with their causes, and the final
//! `kubectl get pods`.

use std::fmt::Write;

use crate::trace::{Trace, What};

pub fn text(trace: &Trace) -> String {
    let mut out = String::new();
    for r in &trace.rejected {
        let _ = writeln!(out, "{}", r.message);
    }
    for d in &trace.diagnostics {
        let at = match (d.line, d.column) {
            (Some(l), Some(c)) => format!("{l}:{c}: "),
            _ => String::new(),
        };
        let severity = match d.severity {
            crate::diag::Severity::Error => "error",
            crate::diag::Severity::Warning => "warning",
            crate::diag::Severity::Info => "info",
        };
        let _ = writeln!(out, "{at}{severity}: {}", d.message);
    }
    if !trace.rejected.is_empty() || !trace.diagnostics.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(out, "Kubernetes {} · simulated {}s", trace.settings.k8s, trace.settings.until);
    for h in &trace.happenings {
        let mut line = format!("{:>8.3}s  {:<32} {:<20} {}", h.t, h.pod, h.container, what(h.what));
        if let Some(code) = h.exit_code {
            let _ = write!(line, " exitCode={code}");
        }
        if let Some(reason) = &h.reason {
            let _ = write!(line, " ({reason})");
        }
        if let (Some(sig), false) = (&h.signal, matches!(h.what, What::SigTerm | What::SigKill)) {
            let _ = write!(line, " {sig}");
        } else if let (Some(sig), What::SigTerm) = (&h.signal, h.what) {
            if sig != "SIGTERM" {
                let _ = write!(line, " ({sig})");
            }
        }
        if let Some(cause) = &h.cause {
            let _ = write!(line, "  — {}", cause.detail);
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out.push('\n');
    let _ = writeln!(out, "$ kubectl get pods   # at {}s", trace.settings.until);
    let get = crate::kubectl::run(trace, trace.settings.until, &["get".to_string(), "pods".to_string()]);
    out.push_str(&get.stdout);
    out.push_str(&get.stderr);
    out
}

fn what(w: What) -> &'static str {
    match w {
        What::Pulling => "Pulling",
        What::Pulled => "Pulled",
        What::Created => "Created",
        What::Started => "Started",
        What::PostStart => "PostStart",
        What::StartupComplete => "StartupComplete",
        What::Ready => "Ready",
        What::NotReady => "NotReady",
        What::StartupProbeFailed => "StartupProbeFailed",
        What::ReadinessProbeFailed => "ReadinessProbeFailed",
        What::LivenessProbeFailed => "LivenessProbeFailed",
        What::Killing => "Killing",
        What::PreStop => "PreStop",
        What::SigTerm => "SIGTERM",
        What::SigKill => "SIGKILL",
        What::Exited => "Exited",
    }
}
