//! `improve`: a terminal dashboard for the ITIL 4 continual improvement model.
//!
//! Layers, arrows pointing down only: `tui`/`ui` → `app` → `store` → `domain`.

pub mod domain;
pub mod store;
pub mod app;
pub mod ui;
pub mod tui;
pub mod cli;
