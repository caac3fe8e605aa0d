//! The manifest editor: line numbers with a marker on each line the engine has something to
//! say about, a textarea where Tab inserts two spaces, and the list of messages, each a
//! button that puts the cursor at its line and column.

use web_sys::{HtmlElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use crate::model::{offset_of, Note};

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
            if e.key() != "Tab" || e.shift_key() || e.ctrl_key() || e.alt_key() || e.meta_key() {
                return;
            }
            e.prevent_default();
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            let (Ok(Some(start)), Ok(Some(end))) = (area.selection_start(), area.selection_end()) else {
                return;
            };
            let units: Vec<u16> = area.value().encode_utf16().collect();
            let (start, end) = ((start as usize).min(units.len()), (end as usize).min(units.len()));
            let mut next = String::from_utf16_lossy(&units[..start.min(end)]);
            next.push_str("  ");
            next.push_str(&String::from_utf16_lossy(&units[end.max(start)..]));
            area.set_value(&next);
            let cursor = (start.min(end) + 2) as u32;
            let _ = area.set_selection_range(cursor, cursor);
            on_edit.emit(next);
        })
    };
    let onscroll = {
        let gutter = gutter.clone();
        Callback::from(move |e: Event| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            if let Some(gutter) = gutter.cast::<HtmlElement>() {
                gutter.set_scroll_top(area.scroll_top());
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
                <textarea id="manifest" ref={area.clone()} spellcheck="false" autocomplete="off" wrap="off"
                    aria-describedby="notes"
                    {oninput} {onkeydown} {onscroll} />
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
