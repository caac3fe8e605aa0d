//! End-to-end test support: the built app (`dist/`, from `trunk build`) served over local
//! HTTP and driven in headless Chromium through chromedriver, as a user would see it.
//!
//! The browser tests need the built app, so they run only when `PODSIM_DIST` names it
//! (`cargo xtask test` sets it after building); plain `cargo test` skips them with a note.

pub mod browser;
pub mod server;

pub type Error = Box<dyn std::error::Error>;
pub type Result<T = ()> = std::result::Result<T, Error>;
