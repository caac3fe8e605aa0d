//! The Gantt timeline: an SVG bar per container over `0 ..= until`, coloured by running,
//! ready and terminating, with a marker for each start, exit, signal and failed probe
//! (hover one to read it) and the playhead; clicking a track moves the playhead there.

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
    // Tracks are drawn in a 0..1000 box stretched to the track's width.
    let x = |t: f64| pct(t, until) * 10.0;
    let now = x(props.t);
    html! {
        <section class="timeline" aria-label="Timeline of each container">
            <h2>{ "Timeline" }</h2>
            <div class="rows">
                { for bars.iter().map(|b| html! {
                    <div class="row" data-container={b.container.clone()}>
                        <span class="label" title={format!("{}/{}", b.pod, b.container)}>{ &b.container }</span>
                        <svg class="track" viewBox="0 0 1000 16" preserveAspectRatio="none" onclick={onclick.clone()}
                            role="img" aria-label={format!("{} over time", b.container)}>
                            <rect class="bg" x="0" y="1" width="1000" height="14" />
                            { for b.segments.iter().map(|s| html! {
                                <rect class={classes!("seg", s.state)} data-state={s.state}
                                    x={format!("{:.2}", x(s.from))} y="1" height="14"
                                    width={format!("{:.2}", (x(s.to) - x(s.from)).max(0.5))}>
                                    <title>{ format!("{} {:.1}s – {:.1}s", s.state, s.from, s.to) }</title>
                                </rect>
                            }) }
                            { for b.marks.iter().map(|m| html! {
                                <rect class={classes!("mark", m.kind)} x={format!("{:.2}", (x(m.t) - 1.5).max(0.0))} y="0"
                                    width="3" height="16">
                                    <title>{ &m.label }</title>
                                </rect>
                            }) }
                            <rect class="now" x={format!("{:.2}", (now - 1.0).max(0.0))} y="0" width="2" height="16" />
                        </svg>
                    </div>
                }) }
            </div>
        </section>
    }
}
