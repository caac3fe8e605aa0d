//! The page's function components, one per file. They draw plain data from [`crate::model`]
//! and send [`crate::state::Action`]s; none of them knows any Kubernetes rule. Every piece
//! of user text (YAML, names, messages, kubectl output) goes into text nodes or attributes,
//! never into HTML.

pub mod advanced;
pub mod compare;
pub mod console;
pub mod controls;
pub mod convert;
pub mod editor;
pub mod goals;
pub mod playback;
pub mod pods;
pub mod share;
pub mod theme;
pub mod timeline;
pub mod why;
