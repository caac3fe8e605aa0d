//! The theme menu: follow the system, or light, or dark. A preference of the reader's, not
//! part of a scenario, so it lives outside the app's reducer and share links: it is kept in
//! localStorage and applied as `data-theme` on `<html>`, which the stylesheet reads.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

const STORAGE_KEY: &str = "podsim.theme";
const THEMES: [(&str, &str); 3] = [("system", "System"), ("light", "Light"), ("dark", "Dark")];

fn stored() -> String {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .filter(|t| THEMES.iter().any(|(v, _)| v == t))
        .unwrap_or_else(|| "system".to_owned())
}

fn apply(theme: &str) {
    let Some(window) = web_sys::window() else { return };
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = match theme {
            "system" => root.remove_attribute("data-theme"),
            other => root.set_attribute("data-theme", other),
        };
    }
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.set_item(STORAGE_KEY, theme);
    }
}

#[function_component]
pub fn Theme() -> Html {
    let theme = use_state(stored);
    use_effect_with((*theme).clone(), |t| apply(t));
    let onchange = {
        let theme = theme.clone();
        Callback::from(move |e: Event| theme.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    html! {
        <label class="theme">
            { "Theme " }
            <select id="theme" {onchange} aria-label="Colour theme">
                { for THEMES.iter().map(|(value, label)| html! {
                    <option value={*value} selected={*value == theme.as_str()}>{ *label }</option>
                }) }
            </select>
        </label>
    }
}
