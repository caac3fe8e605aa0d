//! Draws pods and their containers. Every piece of user text (names, images, messages)
//! goes into text nodes or attributes, never into HTML.

use yew::prelude::*;

use crate::model::PodView;

#[derive(Properties, PartialEq)]
pub struct PodsProps {
    pub pods: Vec<PodView>,
}

#[function_component]
pub fn Pods(props: &PodsProps) -> Html {
    if props.pods.is_empty() {
        return html! { <p class="hint">{ "No pods in this manifest." }</p> };
    }
    html! {
        <div class="pods">
            { for props.pods.iter().map(pod) }
        </div>
    }
}

fn pod(pod: &PodView) -> Html {
    html! {
        <article class="pod" data-pod={pod.name.clone()}>
            <header>
                <h2 class="pod-name">{ &pod.name }</h2>
                if let Some(phase) = &pod.phase {
                    <span class="phase">{ phase }</span>
                }
            </header>
            <ol class="containers">
                { for pod.containers.iter().map(|c| html! {
                    <li class="container" data-kind={c.kind.label()} data-name={c.name.clone()}>
                        <span class={classes!("kind", c.kind.label())}>{ c.kind.label() }</span>
                        <span class="name">{ &c.name }</span>
                        <span class="image">{ &c.image }</span>
                    </li>
                }) }
            </ol>
        </article>
    }
}
