//! Shell integration: completion scripts and the manual page.

use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;

use super::args::Cli;
use super::commands::write_failed;
use super::failure::{Failure, code};
use super::{manual, suggest};

/// Writes all of `bytes` to standard output; a closed pipe is not an error.
fn emit(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(bytes).map_err(write_failed)?;
    out.flush().map_err(write_failed)
}

pub fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    // Rendered in memory first: the generator panics on a write error.
    let mut buf = Vec::new();
    let mut cmd = suggest::for_completion(Cli::command());
    clap_complete::generate(shell, &mut cmd, "improve", &mut buf);
    emit(&buf)
}

/// `improve man`: the main page on standard output; with `--out DIR`,
/// every page written into DIR and their paths listed.
pub fn man(out: Option<&Path>) -> Result<(), Failure> {
    let Some(dir) = out else {
        return emit(&manual::main_page().map_err(write_failed)?);
    };
    let written = manual::write_all(dir).map_err(|e| {
        Failure::new(
            code::CANNOT_OPEN,
            format!("cannot write the manual pages to {}: {e}", dir.display()),
        )
    })?;
    let mut list = String::new();
    for path in &written {
        list.push_str(&format!("{}\n", path.display()));
    }
    emit(list.as_bytes())
}
