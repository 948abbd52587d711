//! Application state and its update function: actions in, new state out.
//! Talks to the store; knows nothing of terminals.

pub mod action;
pub mod input;
pub mod keymap;
mod state;
mod update;

pub use action::Action;
pub use state::{App, Flash, Focus, Mode, Prompt, PromptKind, Question, Selected};
