//! The app's components in a real browser (headless Chromium via wasm-bindgen-test-runner):
//! what the DOM shows, that user text stays text, and that typing is saved.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use podsim_web::app::{App, STORAGE_KEY};
use podsim_web::components::pods::{Pods, PodsProps};
use podsim_web::model::{ContainerView, Group, Kind, Lane, PodView};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element to mount a component in.
fn root() -> Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Yew renders asynchronously: poll until `css` matches under `root`, or fail after 5 s.
async fn wait_for(root: &Element, css: &str) -> Element {
    for _ in 0..500 {
        if let Some(found) = root.query_selector(css).unwrap() {
            return found;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("nothing matched {css:?}; the page shows: {:?}", root.text_content());
}

/// The editor's text is put in by an effect after the first render: poll until it is there.
async fn value_of(area: &HtmlTextAreaElement) -> String {
    for _ in 0..500 {
        if !area.value().is_empty() {
            break;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    area.value()
}

fn type_into(area: &HtmlTextAreaElement, text: &str) {
    area.set_value(text);
    area.dispatch_event(&web_sys::InputEvent::new("input").unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn pods_show_each_container_with_its_kind_as_plain_text() {
    let root = root();
    let lane = Lane { state: "running", label: "running".into(), restarts: 0, flash: None };
    let container =
        |name: &str, kind| ContainerView { name: name.into(), image: "<b>img</b>".into(), kind, lane: lane.clone() };
    let pods = vec![PodView {
        name: "<i>web</i>".into(),
        phase: Some("Running".into()),
        ready: "0/3".into(),
        status: "Init:0/1".into(),
        restarts: "0".into(),
        age: "5s".into(),
        conditions: vec![("Ready".into(), "False".into())],
        containers: vec![
            container("setup", Kind::Init),
            container("proxy", Kind::Sidecar),
            container("app", Kind::App),
        ],
    }];
    let groups = vec![Group { title: "Pods".into(), pods }];
    let props = PodsProps { groups, selected: None, on_select: Default::default() };
    yew::Renderer::<Pods>::with_root_and_props(root.clone(), props).render();

    wait_for(&root, ".container").await;
    let kinds: Vec<_> = (0..3)
        .map(|i| {
            let li = root.query_selector_all(".container").unwrap().item(i).unwrap().dyn_into::<Element>().unwrap();
            (
                li.get_attribute("data-kind").unwrap(),
                li.query_selector(".kind").unwrap().unwrap().text_content().unwrap(),
            )
        })
        .collect();
    let expected = [("init", "init"), ("sidecar", "sidecar"), ("app", "app")];
    assert_eq!(kinds, expected.map(|(a, b)| (a.to_owned(), b.to_owned())));
    // Names and images from YAML are text, never markup.
    assert!(root.query_selector("b, i").unwrap().is_none(), "user text became HTML");
    let text = root.text_content().unwrap();
    assert!(text.contains("<i>web</i>") && text.contains("<b>img</b>"), "{text}");
}

#[wasm_bindgen_test]
async fn typing_is_saved_and_restored_on_the_next_visit() {
    storage().remove_item(STORAGE_KEY).unwrap();
    let first = root();
    yew::Renderer::<App>::with_root(first.clone()).render();
    let area: HtmlTextAreaElement = wait_for(&first, "textarea").await.dyn_into().unwrap();
    assert!(value_of(&area).await.contains("kind: Pod"), "a first visit shows the example");

    type_into(&area, "kind: Pod\n# mine\n");
    for _ in 0..500 {
        if storage().get_item(STORAGE_KEY).unwrap().as_deref() == Some("kind: Pod\n# mine\n") {
            break;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(storage().get_item(STORAGE_KEY).unwrap().as_deref(), Some("kind: Pod\n# mine\n"));

    let second = root();
    yew::Renderer::<App>::with_root(second.clone()).render();
    let area: HtmlTextAreaElement = wait_for(&second, "textarea").await.dyn_into().unwrap();
    assert_eq!(value_of(&area).await, "kind: Pod\n# mine\n");
}

#[wasm_bindgen_test]
async fn unreadable_yaml_shows_where() {
    let root = root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    let area: HtmlTextAreaElement = wait_for(&root, "textarea").await.dyn_into().unwrap();
    type_into(&area, "kind: Pod\nspec: [\n");
    let error = wait_for(&root, ".error.syntax").await.text_content().unwrap();
    assert!(error.split(':').take(2).all(|n| n.parse::<usize>().is_ok()), "no line:column in {error:?}");
}
