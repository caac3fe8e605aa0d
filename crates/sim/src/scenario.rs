//! A scenario: manifests + settings + timed actions. One format serves the CLI, tests,
//! presets, shared links, embeds and exercises.

use crate::settings::Settings;
use crate::trace::Millis;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// The manifest text exactly as the user typed it (multi-document YAML).
    pub manifest: String,
    pub settings: Settings,
    pub actions: Vec<Action>,
}

/// A timed operation, e.g. `kubectl delete pod web --grace-period=5` at 30 s.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub at: Millis,
    pub command: String,
}

impl Action {
    /// Parses the CLI form `30s: kubectl delete pod NAME`.
    pub fn parse(text: &str) -> Result<Action, String> {
        let (at, command) =
            text.split_once(':').ok_or_else(|| format!("invalid action {text:?}: expected \"DURATION: COMMAND\""))?;
        let at = crate::duration::parse(at)?;
        Ok(Action { at, command: command.trim().to_string() })
    }
}
