//! Convert to native sidecars: the containers the engine thinks are legacy sidecars, each
//! with its reason and a checkbox, the diff of the converted manifest, and the button that
//! puts it in the editor and opens Compare against the text before.

use podsim::convert::{Candidate, DiffLine};
use yew::prelude::*;

use crate::model::{diff_rows, DiffRow};
use crate::state::Converting;

#[derive(Properties, PartialEq)]
pub struct ConvertProps {
    pub converting: Converting,
    pub on_toggle: Callback<usize>,
    pub on_apply: Callback<()>,
    pub on_close: Callback<()>,
}

#[function_component]
pub fn Convert(props: &ConvertProps) -> Html {
    let c = &props.converting;
    let close = props.on_close.reform(|_: MouseEvent| ());
    let apply = props.on_apply.reform(|_: MouseEvent| ());
    let candidate = |(i, (cand, on)): (usize, (&Candidate, &bool))| {
        let onchange = props.on_toggle.reform(move |_: Event| i);
        let id = format!("candidate-{i}");
        html! {
            <li class="candidate" data-container={cand.container.clone()}>
                <input type="checkbox" id={id.clone()} checked={*on} {onchange} />
                <label for={id}>
                    <span class="what">{ format!("{} {}: ", cand.kind, cand.workload) }<code>{ &cand.container }</code></span>
                    <span class="reason">{ format!(" — {} (line {})", cand.reason, cand.line) }</span>
                </label>
            </li>
        }
    };
    let body = if c.candidates.is_empty() {
        html! {
            <p class="hint">{ "No regular container looks like a sidecar here: none runs forever beside a main container as a known proxy, agent or log shipper, or next to a container that finishes." }</p>
        }
    } else {
        html! {
            <>
                <ul class="candidates">{ for c.candidates.iter().zip(&c.chosen).enumerate().map(candidate) }</ul>
                { match &c.preview {
                    None => html! { <p class="hint">{ "Choose at least one container to move." }</p> },
                    Some(Err(message)) => html! { <p class="error convert-error">{ message }</p> },
                    Some(Ok(conversion)) => diff(&conversion.diff),
                } }
            </>
        }
    };
    let ready = matches!(c.preview, Some(Ok(_)));
    html! {
        <section class="convert" aria-label="Convert to native sidecars">
            <header class="convert-head">
                <h2>{ "Convert to native sidecars" }</h2>
                <button type="button" class="close-convert" onclick={close}>{ "Cancel" }</button>
            </header>
            <p class="hint">{ "Chosen containers move to initContainers with restartPolicy: Always (their probes stay); the rest of the text is kept as written." }</p>
            { body }
            <button type="button" id="apply-conversion" disabled={!ready} onclick={apply}>{ "Convert and compare" }</button>
        </section>
    }
}

/// The changed lines with a little context; long unchanged stretches fold into one row.
fn diff(lines: &[DiffLine]) -> Html {
    html! {
        <div class="diff" role="table" aria-label="Changes to the manifest">
            { for diff_rows(lines).into_iter().map(|row| match row {
                DiffRow::Line { sign, old, new, text } => html! {
                    <div role="row" class={classes!("diff-line", match sign { '+' => "added", '-' => "removed", _ => "same" })}>
                        <span role="cell" class="n">{ old.map(|n| n.to_string()).unwrap_or_default() }</span>
                        <span role="cell" class="n">{ new.map(|n| n.to_string()).unwrap_or_default() }</span>
                        <span role="cell" class="text">{ format!("{sign} {text}") }</span>
                    </div>
                },
                DiffRow::Folded(n) => html! {
                    <div role="row" class="diff-line folded"><span role="cell">{ format!("… {n} unchanged lines") }</span></div>
                },
            }) }
        </div>
    }
}
