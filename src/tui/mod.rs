//! The terminal: setup and restore, and the event loop that feeds the app.

mod editor;
mod event_loop;
mod keys;
mod terminal;

pub use event_loop::run;
pub use keys::to_key;
