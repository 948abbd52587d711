//! `improve`: a terminal dashboard for the ITIL 4 continual improvement model.
//!
//! Layers, arrows pointing down only: `tui`/`ui` → `app` → `store` → `domain`.

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod exchange;
pub mod files;
#[cfg(feature = "serve")]
pub mod serve;
pub mod settings;
pub mod store;
pub mod tui;
pub mod ui;
