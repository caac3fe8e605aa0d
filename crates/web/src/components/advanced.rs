//! The advanced panel: feature gates per component (the SidecarContainers gate for the API
//! server or the kubelet alone, the CrashLoopBackOff gates) and kubectl's `--validate` mode.
//! Only gates the chosen version has are offered.

use std::collections::BTreeMap;

use podsim::settings::{Gate, KubeVersion, Validate};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::state::{GateChoice, Scope, ADVANCED};

#[derive(Properties, PartialEq)]
pub struct AdvancedProps {
    pub minor: u32,
    pub gates: BTreeMap<(Scope, Gate), bool>,
    pub validate: Validate,
    pub on_gate: Callback<(Scope, Gate, GateChoice)>,
    pub on_validate: Callback<Validate>,
}

fn flag(scope: Scope) -> &'static str {
    match scope {
        Scope::All => "--feature-gates",
        Scope::ApiServer => "kube-apiserver",
        Scope::Kubelet => "kubelet",
    }
}

#[function_component]
pub fn Advanced(props: &AdvancedProps) -> Html {
    let version = KubeVersion::new(props.minor);
    let onoff = |on: bool| if on { "on" } else { "off" };
    let gate_row = |(scope, gate): (Scope, Gate)| {
        let id = format!("gate-{}-{}", scope.word(), gate.name());
        let chosen = GateChoice::of(props.gates.get(&(scope, gate)).copied());
        let onchange = props.on_gate.reform(move |e: Event| {
            let word = e.target_unchecked_into::<HtmlSelectElement>().value();
            (scope, gate, GateChoice::from_word(&word).unwrap_or(GateChoice::Default))
        });
        let label = match scope {
            Scope::All => gate.name().to_owned(),
            other => format!("{} ({})", gate.name(), flag(other)),
        };
        html! {
            <label for={id.clone()}>
                { label }
                <select id={id} {onchange}>
                    { for GateChoice::ALL.into_iter().map(|g| {
                        let text = match g {
                            GateChoice::Default => format!("default ({})", onoff(gate.default_in(version))),
                            other => other.word().to_owned(),
                        };
                        html! { <option value={g.word()} selected={g == chosen}>{ text }</option> }
                    }) }
                </select>
            </label>
        }
    };
    let on_validate = props.on_validate.reform(|e: Event| {
        Validate::parse(&e.target_unchecked_into::<HtmlSelectElement>().value()).unwrap_or(Validate::Strict)
    });
    html! {
        <details class="advanced">
            <summary>{ "Advanced: gates per component, validation" }</summary>
            <div class="advanced-body">
                { for ADVANCED.into_iter().filter(|(_, g)| g.exists_in(version) && !g.locked_in(version)).map(gate_row) }
                <label for="validate">
                    { "kubectl apply --validate" }
                    <select id="validate" onchange={on_validate}>
                        { for [Validate::Strict, Validate::Warn, Validate::Ignore].into_iter().map(|v| html! {
                            <option value={v.as_str()} selected={v == props.validate}>{ v.as_str() }</option>
                        }) }
                    </select>
                </label>
            </div>
        </details>
    }
}
