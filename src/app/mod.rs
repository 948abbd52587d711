//! Application state and its update function: actions in, new state out.
//! Talks to the store; knows nothing of terminals.

pub mod action;
pub mod form;
mod forms;
pub mod input;
pub mod key;
pub mod keymap;
pub mod mode;
mod pointer;
mod sample;
mod saves;
mod state;
mod update;
mod writes;

pub use action::Action;
pub use mode::{Focus, Mode, Prompt, PromptKind, Question, Screen};
pub use state::{App, Effect, FIRST_PAGE, Flash, Selected};
