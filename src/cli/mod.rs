//! Command-line arguments and the subcommands that make the register
//! scriptable. The TUI is the default action.

mod args;
mod commands;
mod failure;

pub use args::{Cli, Command};
pub use commands::run;
pub use failure::{Failure, code};
