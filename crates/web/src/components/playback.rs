//! Playback: play/pause, step to the next happening, speed, and a scrubbable time axis over
//! `0 ..= until`, with the simulated clock as kubectl counts AGE.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::SPEEDS;

#[derive(Properties, PartialEq)]
pub struct PlaybackProps {
    pub t: f64,
    pub until: f64,
    pub playing: bool,
    pub speed: u32,
    pub on_toggle: Callback<()>,
    pub on_step: Callback<()>,
    pub on_seek: Callback<f64>,
    pub on_speed: Callback<u32>,
}

#[function_component]
pub fn Playback(props: &PlaybackProps) -> Html {
    let on_toggle = props.on_toggle.reform(|_: MouseEvent| ());
    let on_step = props.on_step.reform(|_: MouseEvent| ());
    let on_seek = props.on_seek.reform(|e: InputEvent| {
        e.target_unchecked_into::<HtmlInputElement>().value().parse::<f64>().unwrap_or_default()
    });
    let age = podsim::kubectl::human_duration(props.t);
    html! {
        <section class="playback" aria-label="Playback">
            <button type="button" id="play" class="play" onclick={on_toggle} aria-pressed={props.playing.to_string()}
                aria-label={if props.playing { "Pause" } else { "Play" }}>
                { if props.playing { "Pause" } else { "Play" } }
            </button>
            <button type="button" id="step" onclick={on_step} aria-label="Step to the next happening">{ "Step ›" }</button>
            <span class="speeds" role="group" aria-label="Speed">
                { for SPEEDS.into_iter().map(|s| {
                    let cb = props.on_speed.reform(move |_: MouseEvent| s);
                    html! {
                        <button type="button" class="speed" data-speed={s.to_string()} aria-pressed={(s == props.speed).to_string()}
                            onclick={cb}>{ format!("{s}×") }</button>
                    }
                }) }
            </span>
            <input type="range" id="time" min="0" max={props.until.to_string()} step="0.1" value={props.t.to_string()}
                oninput={on_seek} aria-label="Simulated time" aria-valuetext={format!("{age} ({:.1} s)", props.t)} />
            <output id="clock" class="clock" for="time" aria-live="off" data-t={format!("{:.3}", props.t)}>
                <span class="age">{ age }</span>
                <span class="secs">{ format!(" t = {:.1}s / {}", props.t, podsim::kubectl::human_duration(props.until)) }</span>
            </output>
        </section>
    }
}
