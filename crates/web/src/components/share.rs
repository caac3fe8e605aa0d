//! The copy-link button: the state goes into the URL fragment, the link into the clipboard
//! (when the browser allows) and into a read-only field to copy by hand. The same state as a
//! scenario file, for `podsim check`, an exercise or a docs page, is one click away.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The fragment for the current state (`#s=…`), computed when asked for.
    pub fragment: Callback<(), String>,
    /// The current state as a scenario file, computed when asked for.
    pub scenario: Callback<(), String>,
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
    let file = use_state(|| None::<String>);
    let on_file = {
        let (file, scenario) = (file.clone(), props.scenario.clone());
        Callback::from(move |_: MouseEvent| {
            if file.is_some() {
                file.set(None);
                return;
            }
            let text = scenario.emit(());
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&text);
            }
            file.set(Some(text));
        })
    };
    html! {
        <section class="share" aria-label="Share">
            <button type="button" id="share" {onclick}>{ "Copy link" }</button>
            if !link.is_empty() {
                <input id="link" type="text" readonly=true value={(*link).clone()} aria-label="Link to this state" />
                <span class="copied" role="status">{ "Copied" }</span>
            }
            <button type="button" id="scenario-file" onclick={on_file} aria-expanded={file.is_some().to_string()}>
                { "Scenario file" }
            </button>
            if let Some(text) = &*file {
                <div class="scenario-file">
                    <p class="hint">{ "Copied: the same state as a scenario file — run it with podsim check, or add expect: goals for an exercise." }</p>
                    <textarea id="scenario-text" readonly=true value={text.clone()} aria-label="This state as a scenario file" />
                </div>
            }
        </section>
    }
}
