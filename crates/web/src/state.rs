//! The app's state and its one reducer. Every change goes through [`Action`]; the reducer is
//! pure (the engine is a pure function too), so it is tested natively without a browser.
//!
//! The trace is computed once per change of [`Config`] (manifest, version, gate, until,
//! actions); playback, selection and the console only move the playhead or read the trace.

use std::collections::BTreeMap;
use std::rc::Rc;

use podsim::convert::{Candidate, Conversion};
use podsim::kubectl::Output;
use podsim::settings::{Component, Gate, KubeVersion, Validate};
use podsim::trace::Millis;
use podsim::{Scenario, Settings, Trace};
use yew::Reducible;

use crate::goals::Goal;
use crate::presets::Preset;

/// Playback speeds: simulated seconds per real second.
pub const SPEEDS: [u32; 4] = [1, 5, 30, 120];

/// Every Kubernetes version the engine models, oldest first.
pub fn versions() -> impl Iterator<Item = u32> {
    KubeVersion::OLDEST..=KubeVersion::NEWEST
}

/// The SidecarContainers gate as the user chose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GateChoice {
    /// The version's default (`Gate::default_in`).
    Default,
    On,
    Off,
}

impl GateChoice {
    pub const ALL: [GateChoice; 3] = [GateChoice::Default, GateChoice::On, GateChoice::Off];

    /// The `<option>` value and the share link's word.
    pub fn word(self) -> &'static str {
        match self {
            GateChoice::Default => "default",
            GateChoice::On => "on",
            GateChoice::Off => "off",
        }
    }

    pub fn from_word(word: &str) -> Option<GateChoice> {
        GateChoice::ALL.into_iter().find(|g| g.word() == word)
    }

    /// The value a feature gate map needs; `None` leaves the version's default.
    pub fn value(self) -> Option<bool> {
        match self {
            GateChoice::Default => None,
            GateChoice::On => Some(true),
            GateChoice::Off => Some(false),
        }
    }

    pub fn of(value: Option<bool>) -> GateChoice {
        match value {
            None => GateChoice::Default,
            Some(true) => GateChoice::On,
            Some(false) => GateChoice::Off,
        }
    }
}

/// Which components an advanced gate setting is given to, as the flags are spelt:
/// `--feature-gates` for every component, or one component's own flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    All,
    ApiServer,
    Kubelet,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::All, Scope::ApiServer, Scope::Kubelet];

    /// The share link's word.
    pub fn word(self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::ApiServer => "apiserver",
            Scope::Kubelet => "kubelet",
        }
    }

    pub fn from_word(word: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.word() == word)
    }
}

/// The gates the advanced panel offers: the SidecarContainers gate per component (the main
/// control sets it for all), and the CrashLoopBackOff gates.
pub const ADVANCED: [(Scope, Gate); 4] = [
    (Scope::ApiServer, Gate::SidecarContainers),
    (Scope::Kubelet, Gate::SidecarContainers),
    (Scope::All, Gate::ReduceDefaultCrashLoopBackOffDecay),
    (Scope::All, Gate::KubeletCrashLoopBackOffMax),
];

/// What the right-hand side of a comparison differs in from the editor's configuration.
#[derive(Debug, Clone, PartialEq)]
pub enum Against {
    /// The SidecarContainers gate set to this for every component.
    Gate(GateChoice),
    /// Another Kubernetes minor version.
    Version(u32),
    /// Another manifest, e.g. the text before a conversion to native sidecars.
    Manifest { text: String, label: String },
}

impl Against {
    /// The other side's configuration: the editor's with one difference.
    pub fn apply(&self, config: &Config) -> Config {
        match self {
            Against::Gate(gate) => Config { gate: *gate, gates: BTreeMap::new(), ..config.clone() },
            Against::Version(minor) => Config { minor: *minor, ..config.clone() },
            Against::Manifest { text, .. } => Config { manifest: text.clone(), ..config.clone() },
        }
    }

    /// How the side is labelled, e.g. `SidecarContainers off`, `Kubernetes 1.28`.
    pub fn label(&self) -> String {
        match self {
            Against::Gate(gate) => format!("SidecarContainers {}", gate.word()),
            Against::Version(minor) => format!("Kubernetes 1.{minor}"),
            Against::Manifest { label, .. } => label.clone(),
        }
    }
}

/// The conversion panel: containers that look like legacy sidecars, which of them the user
/// chose to move, and the converted text with its diff.
#[derive(Debug, Clone, PartialEq)]
pub struct Converting {
    /// The text the suggestions were made for.
    pub from: String,
    pub candidates: Vec<Candidate>,
    pub chosen: Vec<bool>,
    /// `None` while nothing is chosen; the engine's refusal as text.
    pub preview: Option<Result<Conversion, String>>,
}

impl Converting {
    fn of(text: &str) -> Converting {
        let candidates = podsim::convert::suggest(text);
        let chosen = vec![true; candidates.len()];
        Converting { from: text.to_owned(), candidates, chosen, preview: None }.previewed()
    }

    fn previewed(mut self) -> Converting {
        let picks: Vec<(usize, String)> = self
            .candidates
            .iter()
            .zip(&self.chosen)
            .filter(|(_, on)| **on)
            .map(|(c, _)| (c.doc, c.container.clone()))
            .collect();
        self.preview =
            (!picks.is_empty()).then(|| podsim::convert::convert(&self.from, &picks).map_err(|e| e.to_string()));
        self
    }
}

/// What a share link carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub config: Config,
    pub compare: Option<Against>,
    /// The playhead, seconds.
    pub t: f64,
}

/// The split view: the editor's run on the left, the other one on the right, one clock.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub against: Against,
    pub config: Config,
    pub outcome: Outcome,
}

impl Comparison {
    fn of(against: Against, left: &Config) -> Comparison {
        let config = against.apply(left);
        let outcome = Outcome::of(&config);
        Comparison { against, config, outcome }
    }

    /// The same comparison for a changed left side; re-simulated only if the right side changed.
    fn follow(&self, left: &Config) -> Comparison {
        let config = self.against.apply(left);
        if config == self.config {
            return self.clone();
        }
        Comparison::of(self.against.clone(), left)
    }
}

/// Everything a simulation depends on: what a share link carries (with the playhead).
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub manifest: String,
    /// Kubernetes minor version, 27 ..= 34.
    pub minor: u32,
    pub gate: GateChoice,
    /// The advanced panel's gates ([`ADVANCED`]); absent means the default.
    pub gates: BTreeMap<(Scope, Gate), bool>,
    pub validate: Validate,
    pub until: Millis,
    pub actions: Vec<podsim::Action>,
    /// The scenario's goals (`expect:`), checked over every run; they stay while the text is
    /// edited, which is what makes a link with goals an exercise.
    pub goals: Vec<Goal>,
}

impl Config {
    /// A manifest with the engine's default settings.
    pub fn new(manifest: String) -> Config {
        let defaults = Settings::default();
        Config {
            manifest,
            minor: defaults.version.minor,
            gate: GateChoice::Default,
            gates: BTreeMap::new(),
            validate: defaults.validate,
            until: defaults.until,
            actions: vec![],
            goals: vec![],
        }
    }

    pub fn from_preset(preset: &Preset) -> Config {
        Config { goals: preset.goals.clone(), ..Config::from_scenario(&preset.scenario) }
    }

    /// The configuration of a scenario (a preset, a link, a file); its seed is not kept.
    pub fn from_scenario(scenario: &Scenario) -> Config {
        let settings = &scenario.settings;
        let mut gates = BTreeMap::new();
        for (scope, map) in [
            (Scope::All, &settings.feature_gates),
            (Scope::ApiServer, &settings.apiserver_gates),
            (Scope::Kubelet, &settings.kubelet_gates),
        ] {
            for (name, on) in map {
                if let Some(gate) = Gate::from_name(name) {
                    gates.insert((scope, gate), *on);
                }
            }
        }
        let gate = GateChoice::of(gates.remove(&(Scope::All, Gate::SidecarContainers)));
        Config {
            manifest: scenario.manifest.clone(),
            minor: settings.version.minor,
            gate,
            gates,
            validate: settings.validate,
            until: settings.until,
            actions: scenario.actions.clone(),
            goals: vec![],
        }
    }

    pub fn scenario(&self) -> Scenario {
        let mut settings = Settings {
            version: KubeVersion::new(self.minor),
            validate: self.validate,
            until: self.until,
            ..Settings::default()
        };
        if let Some(on) = self.gate.value() {
            settings.feature_gates.insert(Gate::SidecarContainers.name().to_owned(), on);
        }
        // A gate the version does not have is left out rather than refused: the panel hides it.
        for (&(scope, gate), &on) in self.gates.iter().filter(|((_, g), _)| g.exists_in(settings.version)) {
            let map = match scope {
                Scope::All => &mut settings.feature_gates,
                Scope::ApiServer => &mut settings.apiserver_gates,
                Scope::Kubelet => &mut settings.kubelet_gates,
            };
            map.insert(gate.name().to_owned(), on);
        }
        Scenario { manifest: self.manifest.clone(), settings, actions: self.actions.clone() }
    }

    /// Simulated seconds the run covers.
    pub fn until_secs(&self) -> f64 {
        podsim::trace::secs(self.until)
    }
}

/// A syntax error's place and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    /// Nothing typed yet: nothing to simulate.
    Empty,
    /// The YAML could not be read.
    Unreadable(Unreadable),
    Simulated(Rc<Trace>),
}

impl PartialEq for Outcome {
    fn eq(&self, other: &Outcome) -> bool {
        match (self, other) {
            (Outcome::Empty, Outcome::Empty) => true,
            (Outcome::Unreadable(a), Outcome::Unreadable(b)) => a == b,
            // A trace is only ever compared with itself: one per simulation.
            (Outcome::Simulated(a), Outcome::Simulated(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Outcome {
    pub fn of(config: &Config) -> Outcome {
        if config.manifest.trim().is_empty() {
            return Outcome::Empty;
        }
        match podsim::simulate(&config.scenario()) {
            Ok(trace) => Outcome::Simulated(Rc::new(trace)),
            Err(e) => Outcome::Unreadable(Unreadable { line: e.line, column: e.column, message: e.message }),
        }
    }

    pub fn trace(&self) -> Option<&Rc<Trace>> {
        match self {
            Outcome::Simulated(trace) => Some(trace),
            _ => None,
        }
    }
}

/// What the Why? pane explains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selected {
    /// `trace.happenings[i]`.
    Happening(usize),
    Container {
        pod: String,
        container: String,
    },
}

/// One command typed in the kubectl console and what it printed.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub command: String,
    /// The playhead it ran at, seconds.
    pub at: f64,
    pub output: Output,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub config: Config,
    /// The text the editor shows; `config.manifest` catches up on [`Action::Simulate`].
    pub text: String,
    pub outcome: Outcome,
    /// The playhead, simulated seconds in `0 ..= until`.
    pub t: f64,
    pub playing: bool,
    /// One of [`SPEEDS`].
    pub speed: u32,
    pub selected: Option<Selected>,
    pub console: Vec<Entry>,
    /// The preset last loaded, while its text is unchanged.
    pub preset: Option<String>,
    /// The split view, while open.
    pub compare: Option<Comparison>,
    /// The conversion panel, while open.
    pub converting: Option<Converting>,
    /// The user's own text, kept aside while a preset or a link fills the editor, so trying
    /// one never loses what was typed ("Your manifest" in the menu brings it back).
    pub draft: Option<String>,
}

pub enum Action {
    /// The user changed the editor's text (simulated on [`Action::Simulate`], debounced).
    Edit(String),
    /// Simulate the editor's text now.
    Simulate,
    SetVersion(u32),
    SetGate(GateChoice),
    /// An advanced panel gate ([`ADVANCED`]).
    SetAdvanced(Scope, Gate, GateChoice),
    SetValidate(Validate),
    /// Opens (or changes) the split view; `None` closes it.
    Compare(Option<Against>),
    /// Opens the conversion panel with suggestions for the editor's text; `false` closes it.
    Convert(bool),
    /// Chooses or unchooses the panel's `i`th suggestion.
    ToggleCandidate(usize),
    /// Puts the converted text in the editor and compares it with the text before.
    ApplyConversion,
    /// Puts the text compared with back in the editor and closes the split view.
    Revert,
    /// Puts the user's own text (kept aside by a preset or a link) back in the editor, and
    /// keeps the editor's text aside in turn when it is the user's too.
    RestoreDraft,
    LoadPreset(Preset),
    /// A share link: the whole configuration, the comparison and the playhead.
    Restore(Shared),
    TogglePlay,
    /// `ms` real milliseconds passed while playing.
    Tick(f64),
    /// To the next happening after the playhead.
    Step,
    Seek(f64),
    SetSpeed(u32),
    Select(Option<Selected>),
    /// Runs a kubectl command line at the playhead.
    Run(String),
}

impl State {
    pub fn new(config: Config) -> Self {
        let outcome = Outcome::of(&config);
        State {
            text: config.manifest.clone(),
            config,
            outcome,
            t: 0.0,
            playing: false,
            speed: SPEEDS[1],
            selected: None,
            console: Vec::new(),
            preset: None,
            compare: None,
            converting: None,
            draft: None,
        }
    }

    pub fn until(&self) -> f64 {
        self.config.until_secs()
    }

    /// The same state with a new configuration, simulated; the playhead stays where it was.
    fn configure(&self, config: Config) -> State {
        let outcome = if config == self.config { self.outcome.clone() } else { Outcome::of(&config) };
        let t = self.t.min(config.until_secs());
        let compare = self.compare.as_ref().map(|c| c.follow(&config));
        let converting = self.converting.clone().filter(|c| c.from == config.manifest);
        State { text: config.manifest.clone(), config, outcome, t, selected: None, compare, converting, ..self.clone() }
    }

    /// What the page shows, for a link, a scenario file or an embed.
    pub fn shared(&self) -> Shared {
        Shared { config: self.config.clone(), compare: self.compare.as_ref().map(|c| c.against.clone()), t: self.t }
    }

    /// What to keep aside when the editor's text is replaced: the text itself if the user
    /// wrote or changed it, else what was already kept.
    fn kept_aside(&self) -> Option<String> {
        let own = self.preset.is_none() && !self.text.trim().is_empty();
        if own {
            Some(self.text.clone())
        } else {
            self.draft.clone()
        }
    }

    /// The editor's configuration with the text typed so far.
    fn current(&self) -> Config {
        Config { manifest: self.text.clone(), ..self.config.clone() }
    }

    /// A console command that changes the cluster (`delete pod`, `scale`, `set image`,
    /// `rollout restart`) becomes a timed action at the playhead, and the run is simulated
    /// again with it; the playhead stays.
    fn timed_action(&self, command: String) -> State {
        let at = (self.t * 1000.0).round() as Millis;
        let (mut next, output) = match podsim::actions::parse(&command) {
            Ok(_) => {
                let line = if command.starts_with("kubectl ") { command.clone() } else { format!("kubectl {command}") };
                let mut config = Config { manifest: self.text.clone(), ..self.config.clone() };
                config.actions.push(podsim::Action { at, command: line });
                config.actions.sort_by_key(|a| a.at);
                let stdout = format!(
                    "# a timed action at {}: the run was simulated again with it ({} in all)\n",
                    podsim::kubectl::human_duration(self.t),
                    config.actions.len()
                );
                (self.configure(config), Output { stdout, stderr: String::new(), exit_code: 0 })
            }
            Err(e) => (self.clone(), Output { stdout: String::new(), stderr: format!("error: {e}\n"), exit_code: 1 }),
        };
        next.console.push(Entry { command, at: self.t, output });
        next
    }

    /// How the split view names its two sides: what the editor's run has and what the other
    /// one has instead.
    pub fn labels(&self) -> (String, String) {
        let Some(compare) = &self.compare else {
            return (String::new(), String::new());
        };
        let left = match &compare.against {
            Against::Gate(_) => {
                let on = self.config.scenario().settings.gate(Gate::SidecarContainers, Component::Kubelet);
                Against::Gate(if on { GateChoice::On } else { GateChoice::Off }).label()
            }
            Against::Version(_) => Against::Version(self.config.minor).label(),
            Against::Manifest { .. } => "this manifest".to_owned(),
        };
        (left, compare.against.label())
    }

    /// The first happening strictly after the playhead on either side, if any.
    pub fn next_happening(&self) -> Option<f64> {
        let right = self.compare.as_ref().and_then(|c| c.outcome.trace());
        let next = |trace: &Rc<Trace>| {
            let i = trace.happenings.partition_point(|h| h.t <= self.t + 1e-9);
            trace.happenings.get(i).map(|h| h.t)
        };
        [self.outcome.trace(), right].into_iter().flatten().filter_map(next).min_by(f64::total_cmp)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = match action {
            // Unchanged text needs no new state (and no re-render).
            Action::Edit(text) if text == self.text => return self,
            // Suggestions belong to the text they were made for.
            Action::Edit(text) => State { text, converting: None, ..(*self).clone() },
            Action::Simulate if self.text == self.config.manifest => return self,
            Action::Simulate => {
                let mut next = self.configure(Config { manifest: self.text.clone(), ..self.config.clone() });
                next.preset = None;
                next
            }
            Action::SetVersion(minor) => {
                // The panel offers only the gates this version has; one it lacks is dropped
                // rather than kept out of sight.
                let mut config = Config { minor, ..self.current() };
                config.gates.retain(|(_, gate), _| gate.exists_in(KubeVersion::new(minor)));
                self.configure(config)
            }
            Action::SetGate(gate) => self.configure(Config { gate, ..self.current() }),
            Action::SetAdvanced(scope, gate, choice) => {
                let mut config = self.current();
                match choice.value() {
                    Some(on) => config.gates.insert((scope, gate), on),
                    None => config.gates.remove(&(scope, gate)),
                };
                self.configure(config)
            }
            Action::SetValidate(validate) => self.configure(Config { validate, ..self.current() }),
            Action::Compare(against) => {
                let config = self.current();
                let mut next = self.configure(config.clone());
                next.compare = against.map(|a| Comparison::of(a, &config));
                next
            }
            Action::Convert(true) => State { converting: Some(Converting::of(&self.text)), ..(*self).clone() },
            Action::Convert(false) => State { converting: None, ..(*self).clone() },
            Action::ToggleCandidate(i) => {
                let Some(mut converting) = self.converting.clone() else { return self };
                let Some(on) = converting.chosen.get_mut(i) else { return self };
                *on = !*on;
                State { converting: Some(converting.previewed()), ..(*self).clone() }
            }
            Action::ApplyConversion => {
                let Some(Some(Ok(conversion))) = self.converting.as_ref().map(|c| c.preview.clone()) else {
                    return self;
                };
                let before = self.converting.as_ref().map(|c| c.from.clone()).unwrap_or_default();
                let config = Config { manifest: conversion.text, ..self.config.clone() };
                let mut next = State { converting: None, ..(*self).clone() }.configure(config);
                next.compare = Some(Comparison::of(
                    Against::Manifest { text: before, label: "before conversion".to_owned() },
                    &next.config,
                ));
                next.preset = None;
                next
            }
            Action::Revert => {
                let Some(Comparison { against: Against::Manifest { text, .. }, .. }) = &self.compare else {
                    return self;
                };
                let config = Config { manifest: text.clone(), ..self.config.clone() };
                let mut next = State { compare: None, ..(*self).clone() }.configure(config);
                next.preset = None;
                next
            }
            Action::RestoreDraft => {
                let Some(text) = self.draft.clone() else { return self };
                // A swap: the text in the editor is kept aside in turn if it is the user's.
                let kept = (self.preset.is_none() && !self.text.trim().is_empty()).then(|| self.text.clone());
                // The user's own text does not carry the goals of what replaced it.
                let config = Config { manifest: text, goals: vec![], ..self.current() };
                let mut next = State { compare: None, ..(*self).clone() }.configure(config);
                next.preset = None;
                next.draft = kept;
                next
            }
            Action::LoadPreset(preset) => {
                // Another manifest to compare with belongs to the text being replaced.
                let mut next = match &self.compare {
                    Some(Comparison { against: Against::Manifest { .. }, .. }) => {
                        State { compare: None, ..(*self).clone() }.configure(Config::from_preset(&preset))
                    }
                    _ => self.configure(Config::from_preset(&preset)),
                };
                next.t = 0.0;
                next.playing = false;
                next.preset = Some(preset.file);
                next.draft = self.kept_aside();
                next
            }
            Action::Restore(shared) => {
                let mut next = self.configure(shared.config);
                next.draft = self.kept_aside();
                next.compare = shared.compare.map(|a| Comparison::of(a, &next.config));
                next.t = shared.t.clamp(0.0, next.until());
                next.playing = false;
                next.preset = None;
                next
            }
            Action::TogglePlay => {
                // Play from the start once the end is reached.
                let t = if !self.playing && self.t >= self.until() { 0.0 } else { self.t };
                State { playing: !self.playing, t, ..(*self).clone() }
            }
            Action::Tick(_) if !self.playing => return self,
            Action::Tick(ms) => {
                let t = self.t + ms / 1000.0 * f64::from(self.speed);
                let end = self.until();
                State { t: t.min(end), playing: t < end, ..(*self).clone() }
            }
            Action::Step => match self.next_happening() {
                Some(t) => State { t, playing: false, ..(*self).clone() },
                None => State { t: self.until(), playing: false, ..(*self).clone() },
            },
            Action::Seek(t) => State { t: t.clamp(0.0, self.until()), ..(*self).clone() },
            Action::SetSpeed(speed) if SPEEDS.contains(&speed) => State { speed, ..(*self).clone() },
            Action::SetSpeed(_) => return self,
            Action::Select(selected) => State { selected, ..(*self).clone() },
            Action::Run(line) => {
                let command = line.trim().to_owned();
                if command.is_empty() {
                    return self;
                }
                let args = kubectl_args(&command);
                if matches!(args.first().map(String::as_str), Some("delete" | "scale" | "set" | "rollout")) {
                    return Rc::new(self.timed_action(command));
                }
                let output = match self.outcome.trace() {
                    Some(trace) => podsim::kubectl::run(trace, self.t, &kubectl_args(&command)),
                    None => Output {
                        stdout: String::new(),
                        stderr: "error: nothing is running: the manifest has no simulation\n".to_owned(),
                        exit_code: 1,
                    },
                };
                let mut console = self.console.clone();
                console.push(Entry { command, at: self.t, output });
                // The console keeps the latest commands only.
                let excess = console.len().saturating_sub(50);
                console.drain(..excess);
                State { console, ..(*self).clone() }
            }
        };
        Rc::new(next)
    }
}

/// The words of a console line, without a leading `kubectl`; quotes group words.
pub fn kubectl_args(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut any = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            (None, c) => word.push(c),
        }
    }
    if any || !word.is_empty() {
        words.push(word);
    }
    if words.first().map(String::as_str) == Some("kubectl") {
        words.remove(0);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets;

    fn state(text: &str) -> Rc<State> {
        Rc::new(State::new(Config::new(text.to_owned())))
    }

    fn preset(name: &str) -> Preset {
        presets::all().into_iter().find(|p| p.file == name).expect(name)
    }

    #[test]
    fn blank_text_is_empty_not_an_error() {
        assert_eq!(state("").outcome, Outcome::Empty);
        assert_eq!(state("  \n\t\n").outcome, Outcome::Empty);
    }

    #[test]
    fn edit_keeps_the_text_and_simulates_only_when_asked() {
        let text = "kind: Pod\n  weird:   spacing\t\n";
        let edited = state("").reduce(Action::Edit(text.to_owned()));
        assert_eq!(edited.text, text);
        assert_eq!(edited.outcome, Outcome::Empty, "the debounce has not fired yet");
        let simulated = edited.reduce(Action::Simulate);
        assert_eq!(simulated.config.manifest, text);
    }

    #[test]
    fn unchanged_text_keeps_the_same_state() {
        let s = state("kind: Pod\n");
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::Edit("kind: Pod\n".into()))));
        assert!(Rc::ptr_eq(&s, &s.clone().reduce(Action::Simulate)));
    }

    #[test]
    fn unreadable_yaml_reports_a_position() {
        match &state("a: [\n").outcome {
            Outcome::Unreadable(e) => assert!(e.line >= 1 && e.column >= 1, "{e:?}"),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn playback_moves_the_playhead_not_the_trace() {
        let s = Rc::new(State::new(Config::from_preset(&preset("native-job.yaml"))));
        let trace = s.outcome.trace().cloned().expect("simulated");
        let paused = s.clone().reduce(Action::Tick(1000.0));
        assert_eq!(paused.t, 0.0, "ticks do nothing while paused");
        let playing = s.reduce(Action::TogglePlay).reduce(Action::SetSpeed(30)).reduce(Action::Tick(500.0));
        assert_eq!(playing.t, 15.0);
        assert!(Rc::ptr_eq(playing.outcome.trace().expect("trace"), &trace), "no re-simulation");
        let end = playing.reduce(Action::Tick(1e9));
        assert_eq!((end.t, end.playing), (end.until(), false), "stops at the end");
        let again = end.reduce(Action::TogglePlay);
        assert_eq!((again.t, again.playing), (0.0, true), "play at the end starts over");
    }

    #[test]
    fn step_goes_to_each_next_happening_and_seek_clamps() {
        let s = Rc::new(State::new(Config::from_preset(&preset("native-job.yaml"))));
        let first = s.outcome.trace().expect("trace").happenings[0].t;
        let stepped = s.reduce(Action::Step);
        assert_eq!(stepped.t, first);
        let next = stepped.clone().reduce(Action::Step);
        assert!(next.t > first);
        assert_eq!(stepped.clone().reduce(Action::Seek(-5.0)).t, 0.0);
        assert_eq!(stepped.clone().reduce(Action::Seek(1e12)).t, stepped.until());
        assert_eq!(stepped.clone().reduce(Action::SetSpeed(7)).speed, stepped.speed, "only listed speeds");
    }

    #[test]
    fn settings_resimulate_and_keep_the_playhead() {
        let s = Rc::new(State::new(Config::from_preset(&preset("gate-off-trap.yaml")))).reduce(Action::Seek(60.0));
        let on = s.clone().reduce(Action::SetGate(GateChoice::On));
        assert_eq!(on.t, 60.0);
        assert!(on.outcome != s.outcome, "a new trace");
        assert_eq!(on.config.scenario().settings.feature_gates.get("SidecarContainers"), Some(&true));
        let v = on.reduce(Action::SetVersion(33));
        assert_eq!(v.config.scenario().settings.version.minor, 33);
    }

    #[test]
    fn console_runs_kubectl_at_the_playhead() {
        let s = Rc::new(State::new(Config::from_preset(&preset("native-job.yaml"))))
            .reduce(Action::Seek(30.0))
            .reduce(Action::Run("kubectl get pods".into()));
        let entry = s.console.last().expect("an entry");
        assert_eq!((entry.command.as_str(), entry.at), ("kubectl get pods", 30.0));
        assert!(entry.output.stdout.starts_with("NAME"), "{:?}", entry.output);
        let blank = s.clone().reduce(Action::Run("  ".into()));
        assert!(Rc::ptr_eq(&s, &blank));
    }

    #[test]
    fn console_deletes_become_timed_actions_and_resimulate() {
        let s = Rc::new(State::new(Config::from_preset(&preset("native-deployment.yaml")))).reduce(Action::Seek(60.0));
        let pod = crate::model::groups(s.outcome.trace().expect("trace"), 60.0)[0].pods[0].name.clone();
        let deleted = s.clone().reduce(Action::Run(format!("delete pod {pod}")));
        assert_eq!(
            deleted.config.actions,
            [podsim::Action { at: 60_000, command: format!("kubectl delete pod {pod}") }]
        );
        assert_eq!(deleted.t, 60.0);
        assert!(deleted.outcome != s.outcome, "simulated again");
        let later = crate::model::groups(deleted.outcome.trace().expect("trace"), 100.0);
        assert!(later[0].pods.iter().all(|p| p.name != pod), "the deleted pod is gone and replaced");
        assert_eq!(later[0].pods.len(), 3);
        let bad = deleted.reduce(Action::Run("delete job pi".into()));
        assert_eq!(bad.config.actions.len(), 1);
        assert_eq!(bad.console.last().expect("entry").output.exit_code, 1);
    }

    #[test]
    fn compare_runs_the_other_side_and_follows_the_editor() {
        let s = Rc::new(State::new(Config::from_preset(&preset("legacy-job.yaml"))))
            .reduce(Action::Compare(Some(Against::Version(30))));
        let compare = s.compare.as_ref().expect("open");
        assert_eq!((compare.config.minor, s.config.minor), (30, 28));
        assert!(compare.outcome.trace().is_some());
        assert_eq!(s.labels(), ("Kubernetes 1.28".to_owned(), "Kubernetes 1.30".to_owned()));
        // The editor's change reaches both sides; a change the other side overrides does not.
        let edited = s.clone().reduce(Action::Edit(s.text.replace("pi", "tau"))).reduce(Action::Simulate);
        assert!(edited.compare.as_ref().expect("open").config.manifest.contains("tau"));
        let moved = edited.clone().reduce(Action::SetVersion(31));
        assert_eq!(moved.compare.as_ref().expect("open").outcome, edited.compare.as_ref().expect("open").outcome);
        assert!(moved.reduce(Action::Compare(None)).compare.is_none());
    }

    #[test]
    fn step_stops_at_happenings_of_either_side() {
        let s = Rc::new(State::new(Config::from_preset(&preset("gate-off-trap.yaml"))));
        let alone: Vec<f64> =
            std::iter::successors(Some(s.clone()), |s| (s.t < s.until()).then(|| s.clone().reduce(Action::Step)))
                .map(|s| s.t)
                .collect();
        let both = s.reduce(Action::Compare(Some(Against::Gate(GateChoice::On))));
        let on = both.compare.as_ref().and_then(|c| c.outcome.trace()).expect("right trace");
        let first_right = on.happenings[0].t;
        let stepped = both.reduce(Action::Step);
        assert_eq!(stepped.t, alone[1].min(first_right));
    }

    #[test]
    fn a_manifest_to_compare_with_goes_with_its_preset() {
        let s = Rc::new(State::new(Config::from_preset(&preset("legacy-job.yaml"))));
        let against = Against::Manifest { text: s.text.clone(), label: "before".to_owned() };
        let s = s.reduce(Action::Compare(Some(against)));
        assert_eq!(s.labels().1, "before");
        assert!(s.clone().reduce(Action::LoadPreset(preset("native-job.yaml"))).compare.is_none());
        let gate = s.reduce(Action::Compare(Some(Against::Gate(GateChoice::Off))));
        assert!(gate.reduce(Action::LoadPreset(preset("native-job.yaml"))).compare.is_some(), "a setting carries over");
    }

    #[test]
    fn advanced_gates_reach_their_component_only_in_versions_that_have_them() {
        let s = Rc::new(State::new(Config::from_preset(&preset("native-job.yaml"))))
            .reduce(Action::SetAdvanced(Scope::Kubelet, Gate::SidecarContainers, GateChoice::Off))
            .reduce(Action::SetAdvanced(Scope::All, Gate::ReduceDefaultCrashLoopBackOffDecay, GateChoice::On));
        let settings = s.config.scenario().settings;
        assert_eq!(settings.kubelet_gates.get("SidecarContainers"), Some(&false));
        assert!(settings.apiserver_gates.is_empty());
        assert!(!settings.feature_gates.contains_key("ReduceDefaultCrashLoopBackOffDecay"), "1.29 has no such gate");
        let newer = s.clone().reduce(Action::SetVersion(33));
        let chosen =
            newer.reduce(Action::SetAdvanced(Scope::All, Gate::ReduceDefaultCrashLoopBackOffDecay, GateChoice::On));
        assert_eq!(
            chosen.config.scenario().settings.feature_gates.get("ReduceDefaultCrashLoopBackOffDecay"),
            Some(&true)
        );
        let older = chosen.reduce(Action::SetVersion(32));
        assert!(!older.config.gates.contains_key(&(Scope::All, Gate::ReduceDefaultCrashLoopBackOffDecay)), "dropped");
        let cleared = s.reduce(Action::SetAdvanced(Scope::Kubelet, Gate::SidecarContainers, GateChoice::Default));
        assert!(cleared.config.scenario().settings.kubelet_gates.is_empty());
        let warn = cleared.reduce(Action::SetValidate(Validate::Warn));
        assert_eq!(warn.config.scenario().settings.validate, Validate::Warn);
    }

    #[test]
    fn converting_moves_the_sidecar_and_compares_with_the_text_before() {
        let s = Rc::new(State::new(Config::from_preset(&preset("legacy-job.yaml"))));
        let before = s.text.clone();
        let open = s.reduce(Action::Convert(true));
        let converting = open.converting.as_ref().expect("panel open");
        assert_eq!(converting.candidates.len(), 1, "{:?}", converting.candidates);
        assert!(matches!(converting.preview, Some(Ok(_))));
        // Unchoosing the only candidate leaves nothing to apply.
        let none = open.clone().reduce(Action::ToggleCandidate(0));
        assert_eq!(none.converting.as_ref().expect("open").preview, None);
        assert!(Rc::ptr_eq(&none, &none.clone().reduce(Action::ApplyConversion)));
        let applied = open.reduce(Action::ApplyConversion);
        assert!(applied.converting.is_none());
        let proxy =
            "      - name: network-proxy\n        image: hwchiu/netutils\n        command: [\"sleep\", \"infinity\"]\n";
        let moved = "      initContainers:\n      - name: network-proxy\n        restartPolicy: Always\n        image: hwchiu/netutils\n        command: [\"sleep\", \"infinity\"]\n      containers:\n";
        assert!(before.contains(proxy));
        assert_eq!(applied.text, before.replace(proxy, "").replace("      containers:\n", moved));
        assert_eq!(applied.text, applied.config.manifest, "simulated at once");
        let compare = applied.compare.as_ref().expect("compare open");
        assert_eq!(compare.against, Against::Manifest { text: before.clone(), label: "before conversion".into() });
        let (native, legacy) = (applied.outcome.trace().expect("trace"), compare.outcome.trace().expect("trace"));
        let job = |t: &Trace| {
            crate::compare::facts(t).into_iter().find(|f| f.key == "Job pi").map(|f| f.value).unwrap_or_default()
        };
        assert!(job(native).starts_with("complete at"), "{}", job(native));
        assert!(job(legacy).starts_with("not complete"), "{}", job(legacy));
        let reverted = applied.reduce(Action::Revert);
        assert_eq!((reverted.text.as_str(), reverted.compare.is_none()), (before.as_str(), true));
    }

    #[test]
    fn typing_closes_the_suggestions_made_for_the_old_text() {
        let s = Rc::new(State::new(Config::from_preset(&preset("legacy-job.yaml")))).reduce(Action::Convert(true));
        assert!(s.converting.is_some());
        let typed = s.clone().reduce(Action::Edit(format!("{}\n# more", s.text)));
        assert!(typed.converting.is_none());
        assert!(Rc::ptr_eq(&typed, &typed.clone().reduce(Action::ApplyConversion)), "nothing to apply");
    }

    #[test]
    fn a_preset_or_a_link_keeps_the_users_text_aside() {
        let mine = "# mine\nkind: Pod\n";
        let s = state(mine).reduce(Action::LoadPreset(preset("native-job.yaml")));
        assert_eq!(s.draft.as_deref(), Some(mine));
        // Another preset keeps the same draft: the first preset's text is not the user's.
        let s = s.reduce(Action::LoadPreset(preset("legacy-job.yaml")));
        assert_eq!(s.draft.as_deref(), Some(mine));
        let back = s.clone().reduce(Action::RestoreDraft);
        assert_eq!((back.text.as_str(), back.draft.is_none(), back.preset.is_none()), (mine, true, true));
        // Text from a link (or typed) is swapped, not dropped.
        let link = Shared { config: Config::new("kind: Service\n".into()), compare: None, t: 0.0 };
        let swapped = back.reduce(Action::Restore(link)).reduce(Action::RestoreDraft);
        assert_eq!((swapped.text.as_str(), swapped.draft.as_deref()), (mine, Some("kind: Service\n")));
        // An edited preset is the user's text too.
        let edited = s.reduce(Action::Edit("kind: Job\n".into())).reduce(Action::Simulate);
        let link = Shared { config: Config::new("kind: Deployment\n".into()), compare: None, t: 0.0 };
        let linked = edited.reduce(Action::Restore(link));
        assert_eq!(linked.draft.as_deref(), Some("kind: Job\n"));
        let nothing = state("").reduce(Action::LoadPreset(preset("native-job.yaml")));
        assert_eq!(nothing.draft, None, "an empty editor keeps nothing");
        assert!(Rc::ptr_eq(&nothing, &nothing.clone().reduce(Action::RestoreDraft)));
    }

    #[test]
    fn console_words() {
        assert_eq!(kubectl_args("kubectl  logs -p 'a b' c"), ["logs", "-p", "a b", "c"]);
        assert_eq!(kubectl_args("get pods"), ["get", "pods"]);
        assert_eq!(kubectl_args("get \"\""), ["get", ""]);
    }
}

#[cfg(test)]
mod typing {
    use super::*;

    /// Every prefix of a manifest typed key by key simulates and renders without a panic.
    #[test]
    fn every_prefix_of_a_typed_manifest_is_handled() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: demo\nspec:\n  initContainers:\n  - name: log-shipper\n    image: fluent/fluent-bit:3.0\n    restartPolicy: Always\n  containers:\n  - name: main\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"sleep 3600\"]\n";
        let mut state = Rc::new(State::new(Config::new(String::new()))).reduce(Action::Seek(3.0));
        for end in (0..=text.len()).filter(|i| text.is_char_boundary(*i)) {
            state = state.reduce(Action::Edit(text[..end].to_owned())).reduce(Action::Simulate);
            if let Some(trace) = state.outcome.trace() {
                let _ = crate::model::groups(trace, state.t);
                let _ = crate::model::notes(trace);
            }
        }
    }
}
