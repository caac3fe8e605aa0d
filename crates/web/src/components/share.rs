//! The copy-link button: the state goes into the URL fragment, the link into the clipboard
//! (when the browser allows) and into a read-only field to copy by hand.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    /// The fragment for the current state (`#s=…`), computed when asked for.
    pub fragment: Callback<(), String>,
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
    html! {
        <section class="share" aria-label="Share">
            <button type="button" id="share" {onclick}>{ "Copy link" }</button>
            if !link.is_empty() {
                <input id="link" type="text" readonly=true value={(*link).clone()} aria-label="Link to this state" />
                <span class="copied" role="status">{ "Copied" }</span>
            }
        </section>
    }
}
