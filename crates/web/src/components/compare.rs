//! Compare: the control that opens the split view, and the split view itself — a summary of
//! what ends differently, then the pods of both runs side by side at the shared playhead.

use yew::prelude::*;

use crate::compare::{facts, lines, Line};
use crate::components::pods::Pods;
use crate::model;
use crate::state::{versions, Against, GateChoice, Outcome, Selected};

#[derive(Properties, PartialEq)]
pub struct CompareMenuProps {
    /// The editor's Kubernetes minor version (not offered as the other side).
    pub minor: u32,
    pub against: Option<Against>,
    pub on_compare: Callback<Option<Against>>,
}

/// The option value of each choice; a manifest to compare with comes only from a conversion.
fn value(against: &Against) -> String {
    match against {
        Against::Gate(gate) => format!("gate-{}", gate.word()),
        Against::Version(minor) => format!("v{minor}"),
        Against::Manifest { .. } => "manifest".to_owned(),
    }
}

#[function_component]
pub fn CompareMenu(props: &CompareMenuProps) -> Html {
    let mut choices: Vec<Against> = vec![Against::Gate(GateChoice::On), Against::Gate(GateChoice::Off)];
    choices.extend(versions().filter(|m| *m != props.minor).map(Against::Version));
    if let Some(manifest @ Against::Manifest { .. }) = &props.against {
        choices.push(manifest.clone());
    }
    let onchange = {
        let (cb, choices) = (props.on_compare.clone(), choices.clone());
        Callback::from(move |e: Event| {
            let chosen = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            cb.emit(choices.iter().find(|a| value(a) == chosen).cloned());
        })
    };
    let current = props.against.as_ref().map(value).unwrap_or_default();
    html! {
        <label>
            { "Compare with " }
            <select id="compare" {onchange} aria-label="Compare with another run">
                <option value="" selected={current.is_empty()}>{ "nothing" }</option>
                { for choices.iter().map(|a| {
                    let v = value(a);
                    html! { <option value={v.clone()} selected={v == current}>{ a.label() }</option> }
                }) }
            </select>
        </label>
    }
}

#[derive(Properties, PartialEq)]
pub struct SplitProps {
    pub left_label: String,
    pub right_label: String,
    pub left: Outcome,
    pub right: Outcome,
    pub t: f64,
    pub selected: Option<Selected>,
    pub on_select: Callback<Selected>,
    pub on_close: Callback<()>,
    /// Puts the other side's manifest back in the editor (after a conversion).
    #[prop_or_default]
    pub on_revert: Option<Callback<()>>,
}

#[function_component]
pub fn Split(props: &SplitProps) -> Html {
    // Read once per pair of runs, not on every playback frame.
    let summary = use_memo((props.left.clone(), props.right.clone()), |(left, right)| match (left, right) {
        (Outcome::Simulated(l), Outcome::Simulated(r)) => lines(&facts(l), &facts(r)),
        _ => vec![],
    });
    let onclick = props.on_close.reform(|_: MouseEvent| ());
    let side = |label: &str, outcome: &Outcome, on_select: Callback<Selected>, which: &'static str| {
        html! {
            <section class="side" data-side={which} aria-label={format!("{which}: {label}")}>
                <h2 class="side-label">{ label }</h2>
                { match outcome {
                    Outcome::Empty => html! { <p class="hint">{ "Nothing to simulate." }</p> },
                    Outcome::Unreadable(e) => html! {
                        <p class="error syntax">{ format!("{}:{}: {}", e.line, e.column, e.message) }</p>
                    },
                    Outcome::Simulated(trace) => html! {
                        <Pods groups={model::groups(trace, props.t)} selected={props.selected.clone()} {on_select} />
                    },
                } }
            </section>
        }
    };
    html! {
        <section class="compare" aria-label="Comparison">
            <header class="compare-head">
                <h2>{ format!("{} vs {}", props.left_label, props.right_label) }</h2>
                if let Some(revert) = &props.on_revert {
                    <button type="button" class="revert" onclick={revert.reform(|_: MouseEvent| ())}>
                        { "Undo: edit the text before" }
                    </button>
                }
                <button type="button" class="close-compare" {onclick} aria-label="Close the comparison">{ "Close" }</button>
            </header>
            { summary_table(&summary, &props.left_label, &props.right_label) }
            <div class="split">
                { side(&props.left_label, &props.left, props.on_select.clone(), "left") }
                // The Why? pane explains the editor's run: the right side is for looking.
                { side(&props.right_label, &props.right, Callback::noop(), "right") }
            </div>
        </section>
    }
}

fn summary_table(lines: &[Line], left: &str, right: &str) -> Html {
    if lines.is_empty() {
        return html! {};
    }
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_owned());
    html! {
        <table class="summary" aria-label="What ends differently">
            <thead><tr><th>{ "" }</th><th>{ left }</th><th>{ right }</th></tr></thead>
            <tbody>
                { for lines.iter().map(|l| html! {
                    <tr class={classes!(l.differs().then_some("differs"))} data-key={l.key.clone()}>
                        <th scope="row">{ &l.key }</th>
                        <td class="lhs">{ shown(&l.left) }</td>
                        <td class="rhs">{ shown(&l.right) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
