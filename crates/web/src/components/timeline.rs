//! The Gantt timeline: a bar per container over `0 ..= until`, coloured by running, ready
//! and terminating, with the playhead; clicking a track moves the playhead there.

use std::rc::Rc;

use podsim::Trace;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

use crate::model::{timeline, Bar};

/// Bars shown at most: a 1000-replica Deployment stays readable and fast.
const BARS: usize = 24;

#[derive(Properties)]
pub struct TimelineProps {
    pub trace: Rc<Trace>,
    pub t: f64,
    pub until: f64,
    pub on_seek: Callback<f64>,
}

impl PartialEq for TimelineProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.trace, &other.trace)
            && self.t == other.t
            && self.until == other.until
            && self.on_seek == other.on_seek
    }
}

/// Compares traces by identity, for `use_memo`.
#[derive(Clone)]
struct Same(Rc<Trace>, f64);

impl PartialEq for Same {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) && self.1 == other.1
    }
}

fn pct(x: f64, until: f64) -> f64 {
    if until > 0.0 {
        (x / until * 100.0).clamp(0.0, 100.0)
    } else {
        0.0
    }
}

#[function_component]
pub fn Timeline(props: &TimelineProps) -> Html {
    // Computed once per trace: playback only moves the playhead line.
    let bars: Rc<Vec<Bar>> = use_memo(Same(props.trace.clone(), props.until), |s| timeline(&s.0, s.1, BARS));
    if bars.is_empty() {
        return Html::default();
    }
    let until = props.until;
    let onclick = props.on_seek.reform(move |e: MouseEvent| {
        // Yew delegates events to its root: find the track from the clicked element.
        let track =
            e.target().and_then(|t| t.dyn_into::<Element>().ok()).and_then(|el| el.closest(".track").ok().flatten());
        let Some(track) = track else {
            return 0.0;
        };
        let rect = track.get_bounding_client_rect();
        let x = f64::from(e.client_x()) - rect.left();
        (x / rect.width().max(1.0) * until).clamp(0.0, until)
    });
    let playhead = format!("left: {:.3}%", pct(props.t, until));
    html! {
        <section class="timeline" aria-label="Timeline of each container">
            <h2>{ "Timeline" }</h2>
            <div class="rows">
                { for bars.iter().map(|b| html! {
                    <div class="row" data-container={b.container.clone()}>
                        <span class="label" title={format!("{}/{}", b.pod, b.container)}>{ &b.container }</span>
                        <div class="track" onclick={onclick.clone()} aria-hidden="true">
                            { for b.segments.iter().map(|s| html! {
                                <span class={classes!("seg", s.state)} data-state={s.state}
                                    title={format!("{} {:.1}s – {:.1}s", s.state, s.from, s.to)}
                                    style={format!("left: {:.3}%; width: {:.3}%", pct(s.from, until), pct(s.to, until) - pct(s.from, until))} />
                            }) }
                            <span class="now" style={playhead.clone()} />
                        </div>
                    </div>
                }) }
            </div>
        </section>
    }
}
