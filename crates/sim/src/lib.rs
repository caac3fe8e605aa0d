//! Podsim: a deterministic, kubelet-faithful simulation of Kubernetes pods.
//!
//! A simulation is a pure function of (manifests, settings, timed actions, seed) → [`Trace`].
//! No I/O, no clocks, no global randomness: the same input gives the same trace on every
//! platform, natively and in wasm.

pub mod actions;
pub mod api;
mod cluster;
mod controllers;
pub mod convert;
pub mod diag;
pub mod duration;
pub mod expect;
pub mod kubectl;
pub mod kubelet;
pub mod manifest;
pub mod names;
pub mod process;
pub mod report;
pub mod scenario;
mod scheduler;
pub mod settings;
pub mod trace;
pub mod yaml;

pub use scenario::{Action, Scenario};
pub use settings::Settings;
pub use trace::Trace;

/// Unreadable YAML: the one input error that stops a simulation before it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// Runs a scenario to its `until` and returns the trace.
pub fn simulate(scenario: &Scenario) -> Result<Trace, SyntaxError> {
    let settings = &scenario.settings;
    let mut diagnostics = Vec::new();
    let mut rejected = Vec::new();
    let mut world = cluster::World::new(settings, &scenario.actions);
    match settings.check_gates() {
        Err(message) => diagnostics.push(diag::Diagnostic::new(diag::Severity::Error, message)),
        Ok(()) => {
            let applied = manifest::apply(&scenario.manifest, settings)?;
            diagnostics.extend(applied.diagnostics);
            rejected.extend(applied.rejected);
            world.apply(applied.objects);
            world.run();
        }
    }
    Ok(world.into_trace(diagnostics, rejected))
}
