//! The Podsim playground: a Yew app that runs the engine (`podsim`) in the browser.
//!
//! Split so that everything but the DOM glue is plain Rust and testable natively:
//! [`model`] turns a trace into what the page shows at the playhead, [`state`] is the app's
//! one reducer, [`presets`] the scenario menu, [`share`] the link codec; [`app`] and
//! [`components`] are the function components that draw it.

pub mod app;
pub mod compare;
pub mod complete;
pub mod components;
pub mod goals;
pub mod model;
pub mod presets;
pub mod share;
pub mod state;
pub mod yamltext;
