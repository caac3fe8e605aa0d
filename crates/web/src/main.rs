//! Browser entry point: trunk builds this binary to wasm and calls `main` on page load.

fn main() {
    yew::Renderer::<podsim_web::app::App>::new().render();
}
