//! The terminal: setup and restore, and the event loop that feeds the app.

mod backend;
mod editor;
mod event_loop;
#[cfg(unix)]
mod fatal;
mod keys;
mod lock_wait;
mod terminal;
#[cfg_attr(not(unix), path = "watch_portable.rs")]
mod watch;

pub use event_loop::run;
pub use keys::to_keys;
pub use terminal::unusable_terminal;
