//! The app's state and its one reducer. Every change goes through [`Action`]; the reducer is
//! pure (the engine is a pure function too), so it is tested natively without a browser.

use std::rc::Rc;

use podsim::diag::Severity;
use podsim::{Scenario, Trace};
use yew::Reducible;

use crate::model::{self, PodView};

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The textarea's text, exactly as typed.
    pub manifest: String,
    /// What the engine made of `manifest`.
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nothing typed yet: nothing to simulate.
    Empty,
    /// The YAML could not be read: `line:column: message`.
    Unreadable(String),
    Simulated(Report),
}

/// A simulation's result as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub pods: Vec<PodView>,
    /// `Kind/name: message`, as `kubectl apply` would refuse them.
    pub rejected: Vec<String>,
    /// `severity line:column: message`, what the engine says about the input.
    pub diagnostics: Vec<String>,
}

pub enum Action {
    /// The user changed the manifest text.
    Edit(String),
}

impl State {
    pub fn new(manifest: String) -> Self {
        let outcome = Outcome::of(&manifest);
        State { manifest, outcome }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            // Unchanged text needs no new simulation (and no re-render).
            Action::Edit(text) if text == self.manifest => self,
            Action::Edit(text) => Rc::new(State::new(text)),
        }
    }
}

impl Outcome {
    fn of(manifest: &str) -> Self {
        if manifest.trim().is_empty() {
            return Outcome::Empty;
        }
        let scenario = Scenario { manifest: manifest.to_owned(), ..Scenario::default() };
        match podsim::simulate(&scenario) {
            Ok(trace) => Outcome::Simulated(Report::of(&trace)),
            Err(e) => Outcome::Unreadable(e.to_string()),
        }
    }
}

impl Report {
    fn of(trace: &Trace) -> Self {
        Report {
            pods: model::pods(&trace.objects()),
            rejected: trace.rejected.iter().map(|r| format!("{}: {}", r.object, r.message)).collect(),
            diagnostics: trace
                .diagnostics
                .iter()
                .map(|d| {
                    let severity = match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Info => "info",
                    };
                    match (d.line, d.column) {
                        (Some(line), Some(column)) => format!("{severity} {line}:{column}: {}", d.message),
                        _ => format!("{severity}: {}", d.message),
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(state: Rc<State>, text: &str) -> Rc<State> {
        state.reduce(Action::Edit(text.to_owned()))
    }

    #[test]
    fn blank_text_is_empty_not_an_error() {
        assert_eq!(State::new(String::new()).outcome, Outcome::Empty);
        assert_eq!(State::new("  \n\t\n".into()).outcome, Outcome::Empty);
    }

    #[test]
    fn edit_keeps_the_text_exactly() {
        let text = "kind: Pod\n  weird:   spacing\t\n";
        let state = edit(Rc::new(State::new(String::new())), text);
        assert_eq!(state.manifest, text);
    }

    #[test]
    fn unchanged_text_keeps_the_same_state() {
        let state = Rc::new(State::new("kind: Pod\n".into()));
        assert!(Rc::ptr_eq(&state, &edit(state.clone(), "kind: Pod\n")));
    }

    #[test]
    fn unreadable_yaml_reports_a_position() {
        let state = State::new("a: [\n".into());
        match state.outcome {
            Outcome::Unreadable(message) => {
                assert!(message.split(':').take(2).all(|n| n.parse::<usize>().is_ok()), "{message}")
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }
}
