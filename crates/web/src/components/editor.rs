//! The manifest editor: line numbers with a marker on each line the engine has something to
//! say about, a textarea over a highlighted copy of its text (the diagnostics underlined),
//! YAML keys (Enter keeps the indentation, Tab / Shift+Tab indent and outdent), and the list
//! of messages, each a button that puts the cursor at its line and column.
//!
//! Key edits go through the browser's `insertText`, so Ctrl+Z undoes them like typing.

use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use crate::model::{offset_of, Note};
use crate::yamltext;

/// The textarea's line height in pixels (13 px × 1.5, see web/style.css).
const LINE_HEIGHT: f64 = 19.5;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub text: String,
    pub notes: Vec<Note>,
    pub on_edit: Callback<String>,
}

#[function_component]
pub fn Editor(props: &EditorProps) -> Html {
    let area = use_node_ref();
    let gutter = use_node_ref();
    let highlight = use_node_ref();

    // The textarea is not re-rendered from the text on every frame (playback renders often):
    // the text goes in only when it changed from outside (a preset, a link, a reload).
    {
        let area = area.clone();
        use_effect_with(props.text.clone(), move |text| {
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                if area.value() != *text {
                    area.set_value(text);
                }
            }
        });
    }
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_edit.emit(area.value());
        })
    };
    let onkeydown = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.alt_key() || e.meta_key() || e.is_composing() {
                return;
            }
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            let (Ok(Some(start)), Ok(Some(end))) = (area.selection_start(), area.selection_end()) else {
                return;
            };
            let (start, end) = (start as usize, end as usize);
            let text = area.value();
            let (next, sel_start, sel_end) = match e.key().as_str() {
                "Tab" => yamltext::tab(&text, start, end, e.shift_key()),
                "Enter" if !e.shift_key() => {
                    let at = yamltext::byte_at(&text, start.min(end));
                    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let insert = yamltext::newline(&text[line_start..at]);
                    let caret = start.min(end) + insert.encode_utf16().count();
                    let tail = yamltext::byte_at(&text, start.max(end));
                    (format!("{}{insert}{}", &text[..at], &text[tail..]), caret, caret)
                }
                _ => return,
            };
            e.prevent_default();
            let (from, to, middle) = yamltext::replacement(&text, &next);
            let _ = area.set_selection_range(from as u32, to as u32);
            if !insert_text(&middle) || area.value() != next {
                // Without insertText (or if it did something else): set the text directly.
                area.set_value(&next);
                on_edit.emit(next);
            }
            let _ = area.set_selection_range(sel_start as u32, sel_end as u32);
        })
    };
    let onscroll = {
        let (gutter, highlight) = (gutter.clone(), highlight.clone());
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(gutter) = gutter.cast::<HtmlElement>() {
                gutter.set_scroll_top(area.scroll_top());
            }
            if let Some(pre) = highlight.cast::<HtmlElement>() {
                pre.set_scroll_top(area.scroll_top());
                pre.set_scroll_left(area.scroll_left());
            }
        })
    };
    let jump = |line: usize, column: usize| {
        let area = area.clone();
        let text = props.text.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                let at = offset_of(&text, line, column);
                let _ = area.focus();
                let _ = area.set_selection_range(at, at);
                area.set_scroll_top(((line.saturating_sub(3)) as f64 * LINE_HEIGHT) as i32);
            }
        })
    };

    let lines = props.text.split('\n').count();
    let highlighted = props.text.split('\n').enumerate().map(|(i, line)| {
        let mark = props.notes.iter().find(|n| n.line == Some(i + 1)).map(|n| (n.severity, n.column));
        html! {
            <>
                { for yamltext::spans(line, mark).into_iter().map(|span| {
                    let mark = span.mark.map(|m| format!("mark {m}"));
                    html! { <span class={classes!(span.class, mark)}>{ span.text }</span> }
                }) }
                { "\n" }
            </>
        }
    });
    let gutter_lines = (1..=lines).map(|n| {
        let here: Vec<&Note> = props.notes.iter().filter(|note| note.line == Some(n)).collect();
        match here.first() {
            None => html! { <div class="ln">{ n }</div> },
            Some(first) => {
                let title: Vec<String> = here.iter().map(|note| format!("{}: {}", note.severity, note.message)).collect();
                html! {
                    <div class={classes!("ln", "marked", first.severity)} data-line={n.to_string()} title={title.join("\n")}>
                        { n }
                    </div>
                }
            }
        }
    });

    html! {
        <section class="editor" aria-label="Manifest editor">
            <label for="manifest">{ "Manifest (YAML)" }</label>
            <div class="code">
                <div class="gutter" ref={gutter} aria-hidden="true">{ for gutter_lines }</div>
                <div class="field">
                    // The same text, coloured, under the transparent textarea; one more line so
                    // it can scroll as far as the textarea does.
                    <pre class="highlight" ref={highlight} aria-hidden="true">{ for highlighted }{ " " }</pre>
                    <textarea id="manifest" ref={area.clone()} spellcheck="false" autocomplete="off" wrap="off"
                        aria-describedby="notes"
                        {oninput} {onkeydown} {onscroll} />
                </div>
            </div>
            <ul id="notes" class="notes" aria-label="Messages about the manifest">
                { for props.notes.iter().map(|note| {
                    let place = match (note.line, note.column) {
                        (Some(l), Some(c)) => format!("{l}:{c}"),
                        (Some(l), None) => format!("{l}"),
                        _ => String::new(),
                    };
                    let body = html! {
                        <>
                            <span class="severity">{ note.severity }</span>
                            if !place.is_empty() { <span class="place">{ place.clone() }</span> }
                            <span class="message">{ &note.message }</span>
                        </>
                    };
                    html! {
                        <li class={classes!("note", note.severity)}>
                            if let Some(line) = note.line {
                                <button type="button" class="jump" onclick={jump(line, note.column.unwrap_or(1))}
                                    aria-label={format!("Go to line {place}: {}", note.message)}>{ body }</button>
                            } else {
                                { body }
                            }
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// Replaces the textarea's selection as typing would (undoable, fires `input`); false when
/// the browser does not offer `insertText`.
fn insert_text(text: &str) -> bool {
    let document = web_sys::window().and_then(|w| w.document()).and_then(|d| d.dyn_into::<HtmlDocument>().ok());
    let Some(document) = document else { return false };
    if text.is_empty() {
        return document.exec_command("delete").unwrap_or(false);
    }
    document.exec_command_with_show_ui_and_value("insertText", false, text).unwrap_or(false)
}
