//! The Podsim playground: a Yew app that runs the engine (`podsim`) in the browser.
//!
//! Split so that everything but the DOM glue is plain Rust and testable natively:
//! [`model`] turns a trace into what the page shows, [`state`] is the app's one reducer,
//! [`app`] and [`pods`] are the function components that draw it.

pub mod app;
pub mod model;
pub mod pods;
pub mod state;
