//! The happenings up to the playhead (each selectable) and the Why? pane: the cause of the
//! selected happening, or why the selected container waits, with the upstream rule and a
//! link to the Kubernetes docs.

use std::rc::Rc;

use podsim::Trace;
use yew::prelude::*;

use crate::model::{happenings_until, what_word, why};
use crate::state::Selected;

/// The happenings list shows at most this many, the latest.
const SHOWN: usize = 40;

#[derive(Properties)]
pub struct WhyProps {
    pub trace: Rc<Trace>,
    pub t: f64,
    pub selected: Option<Selected>,
    pub on_select: Callback<Selected>,
}

impl PartialEq for WhyProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.trace, &other.trace)
            && self.t == other.t
            && self.selected == other.selected
            && self.on_select == other.on_select
    }
}

#[function_component]
pub fn Why(props: &WhyProps) -> Html {
    let range = happenings_until(&props.trace, props.t, SHOWN);
    let list = range.clone().rev().map(|i| {
        let h = &props.trace.happenings[i];
        let me = Selected::Happening(i);
        let pressed = props.selected.as_ref() == Some(&me);
        let onclick = props.on_select.reform(move |_: MouseEvent| me.clone());
        let mut text = format!("{:>8.3}s  {}/{}  {}", h.t, h.pod, h.container, what_word(h.what));
        if let Some(code) = h.exit_code {
            text.push_str(&format!(" exitCode={code}"));
        }
        html! {
            <li><button type="button" class="happening" data-index={i.to_string()} aria-pressed={pressed.to_string()} {onclick}>{ text }</button></li>
        }
    });
    let explained = props.selected.as_ref().map(|s| why(&props.trace, props.t, s));
    html! {
        <section class="why" aria-label="Happenings and their causes">
            <div class="happenings">
                <h2>{ "Happenings" }</h2>
                if range.is_empty() {
                    <p class="hint">{ "Nothing has happened yet: press play or step." }</p>
                }
                <ol reversed=true>{ for list }</ol>
            </div>
            <div class="explain" id="why" aria-live="polite">
                <h2>{ "Why?" }</h2>
                { match explained {
                    None => html! { <p class="hint">{ "Select a happening or a container to see its cause." }</p> },
                    Some(w) => html! {
                        <>
                            <p class="subject">{ w.title }</p>
                            if w.causes.is_empty() {
                                <p class="hint">{ "The trace records no cause for this at the playhead." }</p>
                            }
                            { for w.causes.iter().map(|c| html! {
                                <div class="cause">
                                    <p class="detail">{ &c.detail }</p>
                                    <p class="rule-line">
                                        <span class="when">{ &c.when }</span>{ " · rule " }
                                        <a class="rule" href={c.docs} target="_blank" rel="noopener noreferrer">{ &c.rule }</a>
                                    </p>
                                </div>
                            }) }
                        </>
                    },
                } }
            </div>
        </section>
    }
}
