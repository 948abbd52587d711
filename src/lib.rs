//! `improve`: a terminal dashboard for the ITIL 4 continual improvement model.
//!
//! Layers, arrows pointing down only (`tests/layers.rs` checks them):
//!
//! - `main.rs`, `cli` (subcommands), `serve` (SSH) and `tui` (the event loop)
//!   sit on top; `settings` there turns the configuration into a keymap and
//!   a theme.
//! - `ui` draws: `ui/assemble.rs` reads an `App` into the plain data each
//!   pane (a widget) takes; `app` is state and update on actions, with the
//!   one keymap every place dispatches from; `exchange` reads and writes
//!   files of initiatives.
//! - `sample` makes the sample registers (`improve demo`), from data in
//!   `assets/sample/`, through the store's bulk writer.
//! - `store` holds the SQLite register and opens it for everyone
//!   (`store::open_for`); all SQL lives there, each table written by one
//!   function (`store/rows.rs`).
//! - `domain` is the model and its rules, pure; `config` reads
//!   `config.toml` into plain values and knows neither keys nor colours;
//!   `files` reads the files a user names.

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod exchange;
pub mod files;
pub mod sample;
#[cfg(feature = "serve")]
pub mod serve;
pub mod settings;
pub mod store;
pub mod tui;
pub mod ui;
