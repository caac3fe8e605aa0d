//! Pods at the playhead as cards grouped by owner: phase, kubectl's READY/STATUS/RESTARTS,
//! conditions, and a lane per container marked init / sidecar / app, coloured by state, with
//! a badge for its latest start, exit, signal or failed probe.
//! A lane is a button: it selects the container for the Why? pane.

use yew::prelude::*;

use crate::model::{ContainerView, Group, PodView};
use crate::state::Selected;

#[derive(Properties, PartialEq)]
pub struct PodsProps {
    pub groups: Vec<Group>,
    #[prop_or_default]
    pub selected: Option<Selected>,
    #[prop_or_default]
    pub on_select: Callback<Selected>,
}

#[function_component]
pub fn Pods(props: &PodsProps) -> Html {
    if props.groups.is_empty() {
        return html! { <p class="hint">{ "No pods at this moment: press play or move the time slider." }</p> };
    }
    html! {
        <div class="pods">
            { for props.groups.iter().map(|g| html! {
                <section class="group" aria-label={g.title.clone()}>
                    <h2 class="owner">{ &g.title }</h2>
                    { for g.pods.iter().map(|p| pod(p, props)) }
                </section>
            }) }
        </div>
    }
}

fn pod(pod: &PodView, props: &PodsProps) -> Html {
    html! {
        <article class="pod" data-pod={pod.name.clone()} data-status={pod.status.clone()}>
            <header>
                <h3 class="pod-name">{ &pod.name }</h3>
                if let Some(phase) = &pod.phase {
                    <span class="phase">{ phase }</span>
                }
            </header>
            <dl class="kubectl">
                <div><dt>{ "READY" }</dt><dd class="ready">{ &pod.ready }</dd></div>
                <div><dt>{ "STATUS" }</dt><dd class="status">{ &pod.status }</dd></div>
                <div><dt>{ "RESTARTS" }</dt><dd class="restarts">{ &pod.restarts }</dd></div>
                <div><dt>{ "AGE" }</dt><dd class="age">{ &pod.age }</dd></div>
            </dl>
            <ol class="containers">
                { for pod.containers.iter().map(|c| container(&pod.name, c, props)) }
            </ol>
            if !pod.conditions.is_empty() {
                <ul class="conditions" aria-label="Conditions">
                    { for pod.conditions.iter().map(|(t, s)| html! {
                        <li class={classes!("condition", (s == "True").then_some("true"))}>{ format!("{t}={s}") }</li>
                    }) }
                </ul>
            }
        </article>
    }
}

fn container(pod: &str, c: &ContainerView, props: &PodsProps) -> Html {
    let me = Selected::Container { pod: pod.to_owned(), container: c.name.clone() };
    let is_selected = props.selected.as_ref() == Some(&me);
    let onclick = props.on_select.reform(move |_: MouseEvent| me.clone());
    html! {
        <li class={classes!("container", c.lane.state)} data-kind={c.kind.label()} data-name={c.name.clone()} data-state={c.lane.state}>
            <button type="button" class="lane" {onclick} aria-pressed={is_selected.to_string()}
                aria-label={format!("{} container {}: {}; why?", c.kind.label(), c.name, c.lane.label)}>
                <span class={classes!("kind", c.kind.label())}>{ c.kind.label() }</span>
                <span class="name">{ &c.name }</span>
                <span class="state">
                    { &c.lane.label }
                    if let Some(flash) = &c.lane.flash {
                        // Keyed by time so a new happening restarts the badge's animation.
                        <span key={flash.label.clone()} class={classes!("flash", flash.kind)} title={flash.label.clone()}>
                            { &flash.word }
                        </span>
                    }
                </span>
                <span class="restarts" title="restarts">
                    { if c.lane.restarts > 0 { format!("↻{}", c.lane.restarts) } else { String::new() } }
                </span>
                <span class="image">{ &c.image }</span>
            </button>
        </li>
    }
}
