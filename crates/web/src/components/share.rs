//! The copy-link button: the state goes into the URL fragment, the link into the clipboard
//! (when the browser allows) and into a read-only field to copy by hand. The same state as a
//! scenario file (for `podsim check` or an exercise) or as an embed for a docs page (an
//! `<iframe>` of this very page, backend-free) is one click away.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The fragment for the current state (`#s=…`), computed when asked for.
    pub fragment: Callback<(), String>,
    /// The current state as a scenario file, computed when asked for.
    pub scenario: Callback<(), String>,
    /// The HTML that embeds the current state in another page, computed when asked for.
    pub embed: Callback<(), String>,
}

/// The text the two reveal buttons show: a scenario file or an embed snippet.
#[derive(Clone, Copy, PartialEq)]
enum Reveal {
    Scenario,
    Embed,
}

#[function_component]
pub fn Share(props: &ShareProps) -> Html {
    let link = use_state(String::new);
    let onclick = {
        let link = link.clone();
        let fragment = props.fragment.clone();
        Callback::from(move |_: MouseEvent| {
            let fragment = fragment.emit(());
            let Some(window) = web_sys::window() else { return };
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&fragment));
            }
            let href = window.location().href().unwrap_or(fragment);
            let _ = window.navigator().clipboard().write_text(&href);
            link.set(href);
        })
    };
    let shown = use_state(|| None::<(Reveal, String)>);
    let reveal = |which: Reveal, make: Callback<(), String>| {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| {
            if shown.as_ref().is_some_and(|(w, _)| *w == which) {
                shown.set(None);
                return;
            }
            let text = make.emit(());
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&text);
            }
            shown.set(Some((which, text)));
        })
    };
    let on_file = reveal(Reveal::Scenario, props.scenario.clone());
    let on_embed = reveal(Reveal::Embed, props.embed.clone());
    let open = |which: Reveal| shown.as_ref().is_some_and(|(w, _)| *w == which).to_string();
    html! {
        <section class="share" aria-label="Share">
            <button type="button" id="share" {onclick}>{ "Copy link" }</button>
            if !link.is_empty() {
                <input id="link" type="text" readonly=true value={(*link).clone()} aria-label="Link to this state" />
                <span class="copied" role="status">{ "Copied" }</span>
            }
            <button type="button" id="scenario-file" onclick={on_file} aria-expanded={open(Reveal::Scenario)}>
                { "Scenario file" }
            </button>
            <button type="button" id="embed" onclick={on_embed} aria-expanded={open(Reveal::Embed)}>{ "Embed" }</button>
            { match &*shown {
                None => html! {},
                Some((Reveal::Scenario, text)) => html! {
                    <div class="reveal">
                        <p class="hint">{ "Copied: the same state as a scenario file — run it with podsim check, or add expect: goals for an exercise." }</p>
                        <textarea id="scenario-text" readonly=true value={text.clone()} aria-label="This state as a scenario file" />
                    </div>
                },
                Some((Reveal::Embed, text)) => html! {
                    <div class="reveal">
                        <p class="hint">{ "Copied: paste this into a docs page to show this run live, with no server (the whole scenario is in the address)." }</p>
                        <textarea id="embed-code" readonly=true value={text.clone()} aria-label="HTML that embeds this run" />
                    </div>
                },
            } }
        </section>
    }
}
