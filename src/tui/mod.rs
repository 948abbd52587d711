//! The terminal: setup and restore, and the event loop that feeds the app.

mod backend;
mod editor;
mod event_loop;
#[cfg(unix)]
mod fatal;
mod keys;
mod lock_wait;
mod mouse;
mod terminal;
#[cfg_attr(not(unix), path = "watch_portable.rs")]
mod watch;

pub use event_loop::run;
pub use keys::to_keys;
pub use mouse::to_action as mouse_action;
pub use terminal::set_mouse;
pub use terminal::unusable_terminal;

/// Whether this dashboard is a session of `improve serve` (which sets
/// `IMPROVE_SESSION=ssh` in the environment it builds for each session):
/// then no `$EDITOR` runs, and the register is re-read when the server
/// signals a change instead of polled.
pub fn served() -> bool {
    std::env::var_os("IMPROVE_SESSION").is_some_and(|v| v == "ssh")
}
