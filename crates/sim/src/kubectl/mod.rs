//! kubectl, as printed against a real cluster of the simulated version: pure functions
//! over the objects, events and logs of a trace at one moment.

use crate::trace::Trace;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
}

/// Runs `kubectl ARGS` against the cluster as it is at `at` seconds.
pub fn run(trace: &Trace, at: f64, args: &[String]) -> Output {
    let _ = (trace, at, args);
    Output { stdout: String::new(), stderr: "error: not implemented yet\n".into(), exit_code: 1 }
}
