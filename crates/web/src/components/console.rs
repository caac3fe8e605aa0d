//! The kubectl console: `get`, `describe` and `logs` at the playhead, through the engine's
//! kubectl printers; `delete pod`, `scale`, `set image` and `rollout restart` become timed
//! actions at the playhead; ↑/↓ walk the command history.

use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::state::Entry;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub entries: Vec<Entry>,
    /// The run's timed actions (from a preset, a link or this console).
    pub actions: Vec<podsim::Action>,
    pub on_run: Callback<String>,
}

#[function_component]
pub fn Console(props: &ConsoleProps) -> Html {
    // How far back ↑ has gone: 0 is the line being typed.
    let back = use_state(|| 0usize);
    let input = use_node_ref();
    let onkeydown = {
        let back = back.clone();
        let commands: Vec<String> = props.entries.iter().map(|e| e.command.clone()).collect();
        let on_run = props.on_run.clone();
        Callback::from(move |e: KeyboardEvent| {
            let field: HtmlInputElement = e.target_unchecked_into();
            match e.key().as_str() {
                "Enter" => {
                    e.prevent_default();
                    on_run.emit(field.value());
                    field.set_value("");
                    back.set(0);
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    let n = if e.key() == "ArrowUp" { (*back + 1).min(commands.len()) } else { back.saturating_sub(1) };
                    let text = if n == 0 { String::new() } else { commands[commands.len() - n].clone() };
                    field.set_value(&text);
                    back.set(n);
                }
                _ => {}
            }
        })
    };
    let output = use_node_ref();
    {
        let output = output.clone();
        use_effect_with(props.entries.len(), move |_| {
            if let Some(el) = output.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    html! {
        <section class="console" aria-label="kubectl console">
            <h2>{ "kubectl" }</h2>
            if !props.actions.is_empty() {
                <ul class="actions" aria-label="Timed actions">
                    { for props.actions.iter().map(|a| html! {
                        <li class="action">{ format!("at {}: {}", podsim::kubectl::human_duration(podsim::trace::secs(a.at)), a.command) }</li>
                    }) }
                </ul>
            }
            <div class="output" ref={output} role="log" aria-live="polite">
                { for props.entries.iter().map(|e| html! {
                    <div class="entry">
                        <pre class="command">{ format!("$ {}   # at {}", e.command, podsim::kubectl::human_duration(e.at)) }</pre>
                        <pre class="stdout">{ &e.output.stdout }</pre>
                        if !e.output.stderr.is_empty() {
                            <pre class="stderr">{ &e.output.stderr }</pre>
                        }
                    </div>
                }) }
            </div>
            <label class="prompt">
                <span aria-hidden="true">{ "$ kubectl " }</span>
                <input id="kubectl" ref={input} type="text" spellcheck="false" autocomplete="off"
                    placeholder="get pods · describe pod NAME · logs NAME -c C · get events · delete pod NAME"
                    aria-label="kubectl command (Enter runs it at the playhead, ↑/↓ history)" {onkeydown} />
            </label>
        </section>
    }
}
