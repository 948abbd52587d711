//! Command-line arguments and the subcommands that make the register
//! scriptable. The TUI is the default action.

mod args;
mod commands;
mod demo;
mod edit;
mod failure;
mod guard;
mod history;
mod list;
mod manual;
mod models;
mod progress;
mod shell;
mod suggest;
mod transfer;
pub mod usage;

#[cfg(feature = "serve")]
pub use args::ServeArgs;
pub use args::{Cli, ColorChoice, Command};
pub use commands::run;
pub use failure::{Failure, code};
pub use models::models;
pub use shell::{completions, man};
pub use suggest::dynamic as completion_command;
