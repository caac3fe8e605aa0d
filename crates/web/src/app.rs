//! The page: the manifest editor beside what the engine made of it.
//!
//! The text is saved to localStorage on every change and read back on load, so a reload or
//! a closed tab never loses what the user typed.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::pods::Pods;
use crate::state::{Action, Outcome, State};

/// localStorage key of the manifest text.
pub const STORAGE_KEY: &str = "podsim.manifest";

/// What a first visit shows: one pod with each kind of container.
pub const EXAMPLE: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  initContainers:
  - name: migrate
    image: busybox:1.36
    command: [\"sh\", \"-c\", \"sleep 2\"]
  - name: proxy
    image: envoyproxy/envoy:v1.29.0
    restartPolicy: Always
  containers:
  - name: app
    image: nginx:1.25
";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn load() -> Option<String> {
    storage()?.get_item(STORAGE_KEY).ok()?
}

/// Best effort: without storage (private mode, quota) the text still lives in the page.
fn save(text: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, text);
    }
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(|| State::new(load().unwrap_or_else(|| EXAMPLE.to_owned())));
    use_effect_with(state.manifest.clone(), |text| save(text));

    let oninput = {
        let state = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(Action::Edit(area.value()));
        })
    };

    html! {
        <main class="playground">
            <header class="top">
                <h1>{ "Podsim" }</h1>
                <p class="tagline">{ "A Kubernetes sidecar playground: type a manifest, see its pods." }</p>
            </header>
            <section class="editor">
                <label for="manifest">{ "Manifest (YAML)" }</label>
                <textarea id="manifest" spellcheck="false" autocomplete="off" value={state.manifest.clone()} {oninput} />
            </section>
            <section class="result" aria-live="polite">
                { outcome(&state.outcome) }
            </section>
        </main>
    }
}

fn outcome(outcome: &Outcome) -> Html {
    match outcome {
        Outcome::Empty => html! { <p class="hint">{ "Type or paste a Kubernetes manifest." }</p> },
        Outcome::Unreadable(message) => html! { <p class="error syntax">{ message }</p> },
        Outcome::Simulated(report) => html! {
            <>
                { messages("rejected", &report.rejected) }
                { messages("diagnostics", &report.diagnostics) }
                <Pods pods={report.pods.clone()} />
            </>
        },
    }
}

fn messages(class: &'static str, lines: &[String]) -> Html {
    if lines.is_empty() {
        return Html::default();
    }
    html! {
        <ul class={class}>
            { for lines.iter().map(|line| html! { <li>{ line }</li> }) }
        </ul>
    }
}
