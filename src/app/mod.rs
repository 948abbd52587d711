//! Application state and its update function: actions in, new state out.
//! Talks to the store; knows nothing of terminals.
//!
//! A key becomes an action in one place: `keymap`, one table for every
//! place the user can be (`mode` says which: a pane, the detail screen, the
//! help, a question, a prompt, the filter bar, a form), with the key's
//! grammar beside `Key` (`key`). The footers, the help and every hint that
//! names a key are made from the same table.
//!
//! `App` (`state`) holds one part per job, each in its own file with its
//! own tests: the backlog view with its rows, filter, sort orders,
//! selection and scroll (`backlog`, pure), the selected initiative's
//! checklist and KPI panes (`panes`), undo and redo (`undo`), the settings
//! (`settings`) and the start-up load (`loading`). `update` routes an action
//! by where the user is; what it does lives with its job: moves (`moves`),
//! checklist items and KPIs (`items`), dialogs (`dialogs`), forms opened
//! (`forms`) and saved (`saves`), writes and the refresh after them
//! (`writes`), the mouse (`pointer`), the sample (`sample`) and the footer's
//! messages (`flash`).

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
pub use flash::Flash;
pub use loading::FIRST_PAGE;
pub use mode::{Focus, Mode, Prompt, PromptKind, Question, Screen};
pub use panes::Selected;
pub use state::{App, Effect};
