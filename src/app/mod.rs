//! Application state and its update function: actions in, new state out.
//! Talks to the store; knows nothing of terminals.

pub mod action;
mod backlog;
mod dialogs;
mod flash;
pub mod form;
mod forms;
pub mod input;
mod items;
pub mod key;
pub mod keymap;
mod loading;
pub mod mode;
mod moves;
mod panes;
mod pointer;
mod sample;
mod saves;
mod settings;
mod state;
mod undo;
mod update;
mod writes;

pub use action::Action;
pub use mode::{Focus, Mode, Prompt, PromptKind, Question, Screen};
pub use flash::Flash;
pub use loading::FIRST_PAGE;
pub use panes::Selected;
pub use state::{App, Effect};
