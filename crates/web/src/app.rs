//! The page: editor and controls beside the pods at the playhead, playback, happenings with
//! their causes, and the kubectl console.
//!
//! Start-up: a share link (`#s=…`) restores its state; otherwise the text saved in
//! localStorage (on every change) comes back, or the example on a first visit.

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::{Interval, Timeout};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::advanced::Advanced;
use crate::components::compare::{CompareMenu, Split};
use crate::components::console::Console;
use crate::components::controls::Controls;
use crate::components::convert::Convert;
use crate::components::editor::Editor;
use crate::components::goals::Goals;
use crate::components::playback::Playback;
use crate::components::pods::Pods;
use crate::components::share::Share;
use crate::components::theme::Theme;
use crate::components::timeline::Timeline;
use crate::components::why::Why;
use crate::model;
use crate::presets;
use crate::state::{Action, Against, Config, Outcome, Shared, State};

/// localStorage key of the manifest text.
pub const STORAGE_KEY: &str = "podsim.manifest";
/// localStorage key of the user's own text while a preset or a link fills the editor.
pub const DRAFT_KEY: &str = "podsim.draft";

/// Typing pauses this long before the text is simulated.
const DEBOUNCE_MS: u32 = 150;
/// Playback frame period.
const FRAME_MS: u32 = 50;

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

fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Best effort: without storage (private mode, quota) the text still lives in the page.
fn save(key: &str, text: Option<&str>) {
    if let Some(storage) = storage() {
        let _ = match text {
            Some(text) => storage.set_item(key, text),
            None => storage.remove_item(key),
        };
    }
}

fn shared() -> Option<Shared> {
    crate::share::decode(&web_sys::window()?.location().hash().ok()?)
}

/// Whether the page was opened as an embed (`#e=…`): the run without the editor.
fn embedded() -> bool {
    web_sys::window().and_then(|w| w.location().hash().ok()).is_some_and(|h| crate::share::is_embed(&h))
}

/// The page's address without its fragment, for links and embeds.
fn page_address() -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

fn initial() -> State {
    let stored = load(STORAGE_KEY);
    let mut state = match shared() {
        Some(shared) => {
            let mut state =
                Rc::new(State::new(Config::new(String::new()))).reduce(Action::Restore(shared)).as_ref().clone();
            // A link fills the editor: what the user had typed is kept aside, not overwritten.
            state.draft = stored.filter(|text| *text != state.text && !text.trim().is_empty());
            state
        }
        None => State::new(Config::new(stored.unwrap_or_else(|| EXAMPLE.to_owned()))),
    };
    if state.draft.is_none() {
        state.draft = load(DRAFT_KEY);
    }
    state
}

/// Whether the page may animate: playback starts by itself unless the user asked the system
/// for reduced motion (then it waits for Play).
fn motion_allowed() -> bool {
    let reduce = web_sys::window().and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten());
    !reduce.is_some_and(|q| q.matches())
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

fn now_ms() -> f64 {
    performance().map(|p| p.now()).unwrap_or_default()
}

/// User Timing marks the measuring harness reads (`cargo xtask measure`): the first drawn
/// simulation, and each playback frame from its tick to the end of its render.
mod timing {
    use std::cell::Cell;

    pub const FIRST_FRAME: &str = "podsim-first-frame";
    pub const TICK: &str = "podsim-tick";
    pub const FRAME: &str = "podsim-frame";
    /// Frames measured per page: enough for statistics, bounded so playing all day cannot
    /// fill the browser's timeline buffer.
    const MAX_FRAMES: u32 = 3000;

    thread_local! {
        static FIRST: Cell<bool> = const { Cell::new(true) };
        static FRAMES: Cell<u32> = const { Cell::new(0) };
    }

    pub fn first_frame() {
        if FIRST.replace(false) {
            if let Some(p) = super::performance() {
                let _ = p.mark(FIRST_FRAME);
            }
        }
    }

    pub fn tick() {
        if FRAMES.get() < MAX_FRAMES {
            if let Some(p) = super::performance() {
                let _ = p.mark(TICK);
            }
        }
    }

    pub fn frame_drawn() {
        let n = FRAMES.get();
        if n < MAX_FRAMES {
            FRAMES.set(n + 1);
            if let Some(p) = super::performance() {
                let _ = p.measure_with_start_mark(FRAME, TICK);
            }
        }
    }
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(initial);
    // Parsed once: the page re-renders on every playback frame.
    let presets = use_memo((), |()| presets::all());
    // An embed shows someone else's scenario: it never touches what the user keeps.
    let embed = *use_memo((), |()| embedded());
    use_effect_with((state.text.clone(), embed), |(text, embed)| {
        if !embed {
            save(STORAGE_KEY, Some(text));
        }
    });
    use_effect_with((state.draft.clone(), embed), |(draft, embed)| {
        if !embed {
            save(DRAFT_KEY, draft.as_deref());
        }
    });

    // Debounced simulation: each change of the text restarts the timer.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.text.clone(), move |_| {
            let timer = Timeout::new(DEBOUNCE_MS, move || dispatcher.dispatch(Action::Simulate));
            move || drop(timer)
        });
    }
    // A first visit (not a share link, which restores its playhead) starts playing.
    {
        let dispatcher = state.dispatcher();
        let restored = shared().is_some();
        use_effect_with((), move |()| {
            if !restored && motion_allowed() {
                dispatcher.dispatch(Action::TogglePlay);
            }
        });
    }
    // A link pasted into this tab changes only the fragment: restore it as a fresh page would.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |()| {
            let listener = Closure::<dyn Fn()>::new(move || {
                if let Some(shared) = shared() {
                    dispatcher.dispatch(Action::Restore(shared));
                }
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    // Playback: while playing, advance by the real time that passed.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.playing, move |playing| {
            let timer = playing.then(|| {
                let last = Rc::new(Cell::new(now_ms()));
                Interval::new(FRAME_MS, move || {
                    let now = now_ms();
                    timing::tick();
                    dispatcher.dispatch(Action::Tick((now - last.replace(now)).max(0.0)));
                })
            });
            move || drop(timer)
        });
    }

    // Effects run once the render is in the DOM: that is when a frame is drawn.
    {
        let (playing, simulated) = (state.playing, state.outcome.trace().is_some());
        use_effect_with(state.t.to_bits(), move |_| {
            if simulated {
                timing::first_frame();
            }
            if playing {
                timing::frame_drawn();
            }
        });
    }

    let d = state.dispatcher();
    let on_edit = Callback::from({
        let d = d.clone();
        move |text| d.dispatch(Action::Edit(text))
    });
    let on_version = Callback::from({
        let d = d.clone();
        move |m| d.dispatch(Action::SetVersion(m))
    });
    let on_gate = Callback::from({
        let d = d.clone();
        move |g| d.dispatch(Action::SetGate(g))
    });
    let on_advanced = Callback::from({
        let d = d.clone();
        move |(scope, gate, choice)| d.dispatch(Action::SetAdvanced(scope, gate, choice))
    });
    let on_validate = Callback::from({
        let d = d.clone();
        move |v| d.dispatch(Action::SetValidate(v))
    });
    let on_compare = Callback::from({
        let d = d.clone();
        move |against| d.dispatch(Action::Compare(against))
    });
    let on_close_compare = Callback::from({
        let d = d.clone();
        move |()| d.dispatch(Action::Compare(None))
    });
    let on_open_convert = Callback::from({
        let d = d.clone();
        move |_: MouseEvent| d.dispatch(Action::Convert(true))
    });
    let on_close_convert = Callback::from({
        let d = d.clone();
        move |()| d.dispatch(Action::Convert(false))
    });
    let on_toggle_candidate = Callback::from({
        let d = d.clone();
        move |i| d.dispatch(Action::ToggleCandidate(i))
    });
    let on_apply_conversion = Callback::from({
        let d = d.clone();
        move |()| d.dispatch(Action::ApplyConversion)
    });
    let on_revert = Callback::from({
        let d = d.clone();
        move |()| d.dispatch(Action::Revert)
    });
    let on_preset = Callback::from({
        let d = d.clone();
        move |file: String| {
            if file.is_empty() {
                d.dispatch(Action::RestoreDraft);
            } else if let Some(p) = presets::find(&file) {
                d.dispatch(Action::LoadPreset(p));
                if motion_allowed() {
                    d.dispatch(Action::TogglePlay);
                }
            }
        }
    });
    let on_toggle = Callback::from({
        let d = d.clone();
        move |()| d.dispatch(Action::TogglePlay)
    });
    let on_step = Callback::from({
        let d = d.clone();
        move |()| d.dispatch(Action::Step)
    });
    let on_seek = Callback::from({
        let d = d.clone();
        move |t| d.dispatch(Action::Seek(t))
    });
    let on_seek_timeline = on_seek.clone();
    let on_speed = Callback::from({
        let d = d.clone();
        move |s| d.dispatch(Action::SetSpeed(s))
    });
    let on_select = Callback::from({
        let d = d.clone();
        move |s| d.dispatch(Action::Select(Some(s)))
    });
    let on_complete = {
        let (trace, t) = (state.outcome.trace().cloned(), state.t);
        Callback::from(move |line: String| crate::complete::complete(&line, trace.as_deref(), t))
    };
    let on_run = Callback::from({
        let d = d.clone();
        move |line| d.dispatch(Action::Run(line))
    });
    let fragment = {
        let shared = state.shared();
        Callback::from(move |()| crate::share::encode(&shared))
    };
    let scenario = {
        let shared = state.shared();
        Callback::from(move |()| crate::share::scenario_file(&shared))
    };
    let embed_code = {
        let shared = state.shared();
        Callback::from(move |()| {
            let src = format!("{}{}", page_address(), crate::share::encode_embed(&shared));
            let src = src.replace('&', "&amp;").replace('"', "&quot;");
            format!(
                "<iframe src=\"{src}\" title=\"Podsim\" width=\"100%\" height=\"640\" style=\"border: 0\"></iframe>"
            )
        })
    };

    let notes = match &state.outcome {
        Outcome::Simulated(trace) => model::notes(trace),
        Outcome::Unreadable(e) => vec![model::Note {
            severity: "error",
            line: Some(e.line),
            column: Some(e.column),
            message: e.message.clone(),
        }],
        Outcome::Empty => vec![],
    };

    // What both the playground and the embed show: the run at the playhead.
    let run = html! {
        if let Some(compare) = &state.compare {
            <Split left_label={state.labels().0} right_label={state.labels().1}
                left={state.outcome.clone()} right={compare.outcome.clone()} t={state.t}
                selected={state.selected.clone()} on_select={on_select.clone()} on_close={on_close_compare}
                on_revert={matches!(compare.against, Against::Manifest { .. }).then_some(on_revert)} />
        } else {
            <section class="result" aria-label="Pods at the playhead">
                { match &state.outcome {
                    Outcome::Empty => html! { <p class="hint">{ "Type or paste a Kubernetes manifest." }</p> },
                    Outcome::Unreadable(e) => html! {
                        <p class="error syntax">{ format!("{}:{}: {}", e.line, e.column, e.message) }</p>
                    },
                    Outcome::Simulated(trace) => html! {
                        <Pods groups={model::groups(trace, state.t)} selected={state.selected.clone()} on_select={on_select.clone()} />
                    },
                } }
            </section>
        }
    };
    let goals_and_timeline = html! {
        <>
            if let (Some(trace), false) = (state.outcome.trace(), state.config.goals.is_empty()) {
                <Goals trace={trace.clone()} goals={state.config.goals.clone()} />
            }
            if let Some(trace) = state.outcome.trace() {
                <Timeline trace={trace.clone()} t={state.t} until={state.until()} on_seek={on_seek_timeline} />
            }
        </>
    };
    if embed {
        let open = format!("{}{}", page_address(), crate::share::encode(&state.shared()));
        return html! {
            <main class="embed">
                <header class="embed-top">
                    <strong>{ "Podsim" }</strong>
                    <span class="tagline">{ "a live Kubernetes example" }</span>
                    <a class="open" href={open} target="_blank" rel="noopener">{ "Open in the playground ↗" }</a>
                </header>
                <Playback t={state.t} until={state.until()} playing={state.playing} speed={state.speed}
                    {on_toggle} {on_step} {on_seek} {on_speed} />
                { run }
                { goals_and_timeline }
            </main>
        };
    }

    html! {
        <main class="playground">
            <header class="top">
                <h1>{ "Podsim" }</h1>
                <p class="tagline">{ "A Kubernetes sidecar playground: paste a manifest, watch it run." }</p>
                <Share {fragment} {scenario} embed={embed_code} />
                <Theme />
            </header>
            <div class="left">
                <Controls minor={state.config.minor} gate={state.config.gate} presets={(*presets).clone()}
                    preset={state.preset.clone()} has_draft={state.draft.is_some()} {on_version} {on_gate} {on_preset} />
                <Advanced minor={state.config.minor} gates={state.config.gates.clone()} validate={state.config.validate}
                    on_gate={on_advanced} {on_validate} />
                <div class="tools">
                    <CompareMenu minor={state.config.minor} against={state.compare.as_ref().map(|c| c.against.clone())}
                        {on_compare} />
                    <button type="button" id="convert" onclick={on_open_convert}>{ "Convert to native sidecars…" }</button>
                </div>
                if let Some(converting) = &state.converting {
                    <Convert converting={converting.clone()} on_toggle={on_toggle_candidate}
                        on_apply={on_apply_conversion} on_close={on_close_convert} />
                }
                <Editor text={state.text.clone()} {notes} {on_edit} />
            </div>
            <div class="right">
                <Playback t={state.t} until={state.until()} playing={state.playing} speed={state.speed}
                    {on_toggle} {on_step} {on_seek} {on_speed} />
                { run.clone() }
                { goals_and_timeline.clone() }
                if let Some(trace) = state.outcome.trace() {
                    <Why trace={trace.clone()} t={state.t} selected={state.selected.clone()} {on_select} />
                }
                <Console entries={state.console.clone()} actions={state.config.actions.clone()} {on_run} {on_complete} />
            </div>
        </main>
    }
}
