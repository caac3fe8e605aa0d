//! The kubectl console: `get`, `describe` and `logs` at the playhead, through the engine's
//! kubectl printers; `delete pod`, `scale`, `set image` and `rollout restart` become timed
//! actions at the playhead; ↑/↓ walk the command history; Tab completes commands, resource
//! types, object names at the playhead and container names.

use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

use crate::complete::Completion;
use crate::state::Entry;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub entries: Vec<Entry>,
    /// The run's timed actions (from a preset, a link or this console).
    pub actions: Vec<podsim::Action>,
    pub on_run: Callback<String>,
    /// Completes a line (`crate::complete::complete` at the playhead).
    pub on_complete: Callback<String, Completion>,
}

#[function_component]
pub fn Console(props: &ConsoleProps) -> Html {
    // How far back ↑ has gone: 0 is the line being typed.
    let back = use_state(|| 0usize);
    // The words Tab found when more than one fits.
    let choices = use_state(Vec::<String>::new);
    let input = use_node_ref();
    let onkeydown = {
        let back = back.clone();
        let choices = choices.clone();
        let on_complete = props.on_complete.clone();
        let commands: Vec<String> = props.entries.iter().map(|e| e.command.clone()).collect();
        let on_run = props.on_run.clone();
        Callback::from(move |e: KeyboardEvent| {
            let field: HtmlInputElement = e.target_unchecked_into();
            if e.key() != "Tab" && !choices.is_empty() {
                choices.set(Vec::new());
            }
            match e.key().as_str() {
                "Tab" if !e.shift_key() => {
                    e.prevent_default();
                    let completion = on_complete.emit(field.value());
                    field.set_value(&completion.line);
                    choices.set(completion.choices);
                }
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
            if !choices.is_empty() {
                <p class="completions" role="status" aria-label="Completions">{ choices.join("  ") }</p>
            }
            <label class="prompt">
                <span aria-hidden="true">{ "$ kubectl " }</span>
                <input id="kubectl" ref={input} type="text" spellcheck="false" autocomplete="off"
                    placeholder="get pods · describe pod NAME · logs NAME -c C · get events · delete pod NAME"
                    aria-label="kubectl command (Enter runs it at the playhead, ↑/↓ history, Tab completes)" {onkeydown} />
            </label>
        </section>
    }
}
