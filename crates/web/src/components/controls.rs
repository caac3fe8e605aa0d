//! Cluster controls and presets: the Kubernetes version, the SidecarContainers gate (showing
//! the version's default) and the scenario menu with the chosen preset's story.

use podsim::settings::{Gate, KubeVersion};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::presets::Preset;
use crate::state::{versions, GateChoice};

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub minor: u32,
    pub gate: GateChoice,
    pub presets: Vec<Preset>,
    /// The file of the preset shown, while unedited.
    pub preset: Option<String>,
    /// Whether the user's own text is kept aside (choosing "Your manifest" brings it back).
    pub has_draft: bool,
    pub on_version: Callback<u32>,
    pub on_gate: Callback<GateChoice>,
    pub on_preset: Callback<String>,
}

fn selected(e: Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

#[function_component]
pub fn Controls(props: &ControlsProps) -> Html {
    let on_version = props.on_version.reform(|e: Event| selected(e).parse().unwrap_or(KubeVersion::NEWEST));
    let on_gate = props.on_gate.reform(|e: Event| GateChoice::from_word(&selected(e)).unwrap_or(GateChoice::Default));
    let on_preset = {
        let cb = props.on_preset.clone();
        Callback::from(move |e: Event| {
            cb.emit(selected(e));
        })
    };
    let version = KubeVersion::new(props.minor);
    let default_on = Gate::SidecarContainers.default_in(version);
    let onoff = |on: bool| if on { "on" } else { "off" };
    let gate_note = if !Gate::SidecarContainers.exists_in(version) {
        "no such gate in this version".to_owned()
    } else if Gate::SidecarContainers.locked_in(version) {
        "GA: locked on".to_owned()
    } else {
        format!("default {} in {version}", onoff(default_on))
    };
    let story =
        props.preset.as_ref().and_then(|f| props.presets.iter().find(|p| &p.file == f)).map(|p| p.story.clone());

    html! {
        <section class="controls" aria-label="Cluster and scenario">
            <label>
                { "Scenario " }
                <select id="preset" onchange={on_preset} aria-label="Scenario preset">
                    <option value="" selected={props.preset.is_none()}>{ "Your manifest" }</option>
                    { for props.presets.iter().map(|p| html! {
                        <option value={p.file.clone()} selected={props.preset.as_deref() == Some(p.file.as_str())}>{ &p.name }</option>
                    }) }
                </select>
            </label>
            <label>
                { "Kubernetes " }
                <select id="version" onchange={on_version} aria-label="Kubernetes version">
                    { for versions().map(|m| html! {
                        <option value={m.to_string()} selected={m == props.minor}>{ format!("1.{m}") }</option>
                    }) }
                </select>
            </label>
            <label>
                { "SidecarContainers " }
                <select id="gate" onchange={on_gate} aria-label="SidecarContainers feature gate">
                    { for GateChoice::ALL.into_iter().map(|g| {
                        let label = match g {
                            GateChoice::Default => format!("default ({})", onoff(default_on)),
                            other => other.word().to_owned(),
                        };
                        html! { <option value={g.word()} selected={g == props.gate}>{ label }</option> }
                    }) }
                </select>
                <span class="gate-note">{ gate_note }</span>
            </label>
            if props.has_draft {
                <p class="draft-note" role="status">
                    { "Your own text is kept aside. " }
                    <button type="button" id="restore-draft" onclick={props.on_preset.reform(|_: MouseEvent| String::new())}>
                        { "Switch back to it" }
                    </button>
                </p>
            }
            if let Some(story) = story {
                <p class="story">{ story }</p>
            }
        </section>
    }
}
