//! Shell integration: completion scripts and the manual page.

use std::io::{self, Write};

use clap::CommandFactory;

use super::args::Cli;
use super::commands::write_failed;
use super::failure::Failure;

/// Writes all of `bytes` to standard output; a closed pipe is not an error.
fn emit(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(bytes).map_err(write_failed)?;
    out.flush().map_err(write_failed)
}

pub fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    // Rendered in memory first: the generator panics on a write error.
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "improve", &mut buf);
    emit(&buf)
}

pub fn man() -> Result<(), Failure> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut buf)
        .map_err(write_failed)?;
    emit(&buf)
}
