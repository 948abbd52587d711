//! The manual pages: `improve.1` for the dashboard and one page per
//! subcommand (`improve-show.1`, `improve-kpi-add.1`), each with the
//! sections a reader of `man` looks for: keys, environment, files, exit
//! status.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
// The manual pages' own sections are written with the roff clap_mangen uses.
use clap_mangen::roff::{Roff, bold, roman};

use super::args::Cli;
use crate::app::keymap::{FILTER_HELP, Scope, defaults};

/// Every page: the file name (`improve-kpi-add.1`) and its roff text.
pub fn pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut pages = Vec::new();
    collect(&root, true, &mut pages)?;
    Ok(pages)
}

/// The main page alone, as `improve man` prints it.
pub fn main_page() -> std::io::Result<Vec<u8>> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    page(&root, true)
}

/// Writes every page into `dir` (created if missing); the paths written.
pub fn write_all(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for (name, text) in pages()? {
        let path = dir.join(name);
        std::fs::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

fn collect(
    cmd: &clap::Command,
    top: bool,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> std::io::Result<()> {
    pages.push((format!("{}.1", page_name(cmd)), page(cmd, top)?));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, false, pages)?;
    }
    Ok(())
}

/// `improve`, `improve-show`, `improve-kpi-add`: what `man` is asked for.
fn page_name(cmd: &clap::Command) -> String {
    cmd.get_bin_name()
        .unwrap_or_else(|| cmd.get_name())
        .replace(' ', "-")
}

fn page(cmd: &clap::Command, top: bool) -> std::io::Result<Vec<u8>> {
    let name = page_name(cmd);
    let man = clap_mangen::Man::new(cmd.clone())
        .title(name.to_uppercase())
        .source(format!("improve {}", env!("CARGO_PKG_VERSION")))
        .manual("improve manual");
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(&mut out)?;
    }
    let mut roff = Roff::new();
    keys(&mut roff, top);
    environment(&mut roff);
    files(&mut roff);
    exit_status(&mut roff);
    see_also(&mut roff, cmd, top);
    roff.to_writer(&mut out)?;
    if top {
        man.render_version_section(&mut out)?;
    }
    Ok(out)
}

fn section(roff: &mut Roff, title: &str) {
    roff.control("SH", [title]);
}

/// A tagged paragraph: the term in bold, then what it means.
fn item(roff: &mut Roff, term: &str, text: &str) {
    roff.control("TP", []);
    roff.text([bold(term)]);
    roff.text([roman(text)]);
}

fn keys(roff: &mut Roff, top: bool) {
    section(roff, "KEYS");
    if !top {
        roff.text([
            roman("None: this command runs without the dashboard. Its keys are in "),
            bold("improve"),
            roman("(1); "),
            bold("?"),
            roman(" in the dashboard lists them too."),
        ]);
        return;
    }
    roff.text([roman(
        "The defaults; [keys] in the configuration file can change them, and ? in the \
         dashboard lists the keys in effect.",
    )]);
    let defaults = defaults();
    for scope in Scope::ALL {
        let mut bindings = defaults.iter().filter(|b| b.scope == scope).peekable();
        if bindings.peek().is_none() {
            continue;
        }
        roff.control("SS", [scope.title()]);
        for b in bindings {
            item(roff, &b.keys_label(), b.help);
        }
        if scope == Scope::Text {
            item(roff, "any character", "typed into the text");
        }
    }
    roff.control("SS", ["Filter terms (/)"]);
    for (keys, help) in FILTER_HELP {
        item(roff, keys, help);
    }
}

fn environment(roff: &mut Roff) {
    section(roff, "ENVIRONMENT");
    for (name, text) in [
        (
            "IMPROVE_DB",
            "The register file, as --db (which wins over it).",
        ),
        (
            "IMPROVE_CONFIG",
            "The configuration file, as --config (which wins over it).",
        ),
        (
            "IMPROVE_READ_ONLY",
            "1 (or true, yes, on) opens the register read-only, as --read-only.",
        ),
        (
            "IMPROVE_USER",
            "The name every change is signed with; else user in the configuration, else the login name.",
        ),
        (
            "IMPROVE_DEBUG",
            "1 prints the full error report (cause chain, source locations) instead of one line.",
        ),
        (
            "NO_COLOR",
            "Set and not empty: no colours, as --color never.",
        ),
        (
            "TERM, COLORTERM, LC_ALL, LC_CTYPE, LANG",
            "Which colours and line characters the terminal can show; TERM=dumb refuses the dashboard.",
        ),
        (
            "VISUAL, EDITOR",
            "The editor Ctrl-e opens for a long field in a form.",
        ),
    ] {
        item(roff, name, text);
    }
}

fn files(roff: &mut Roff) {
    section(roff, "FILES");
    for (name, text) in [
        (
            "~/.local/share/improve/improve.db",
            "The register on Linux (the platform data folder elsewhere): one SQLite file, \
             with -wal and -shm beside it while in use. The dashboard and writing commands \
             create it; reading commands (list, show, log, export, backup) exit 5 when it is missing.",
        ),
        (
            "~/.config/improve/config.toml",
            "The configuration (the platform config folder elsewhere); improve config --print \
             shows the settings in effect and where each came from.",
        ),
        (
            "~/.config/improve/models/*.toml",
            "Your own improvement models, read at every start (see improve models).",
        ),
        (
            "~/.local/share/improve/host_ed25519_key",
            "The SSH host key of improve serve, made on its first start.",
        ),
    ] {
        item(roff, name, text);
    }
}

fn exit_status(roff: &mut Roff) {
    section(roff, "EXIT STATUS");
    for (code, text) in [
        (
            "0",
            "Success, also when a pipe such as improve list | head closes early.",
        ),
        (
            "1",
            "Any other failure: a full disk, a disk error, a register locked for 5 seconds.",
        ),
        (
            "2",
            "Usage: an unknown command or option, a missing or malformed argument.",
        ),
        (
            "3",
            "Not found: no such initiative, checklist item, KPI, goal, import file or backup folder.",
        ),
        (
            "4",
            "Invalid data: a bad date, status, step or value; a change the initiative's status does not allow; a bad import.",
        ),
        (
            "5",
            "The register cannot be opened: not a register, written by a newer version, unreadable, or missing for a reading command.",
        ),
        (
            "6",
            "Read-only: a write asked of a register opened read-only, or of a file or folder this user may not write.",
        ),
    ] {
        item(roff, code, text);
    }
}

fn see_also(roff: &mut Roff, cmd: &clap::Command, top: bool) {
    section(roff, "SEE ALSO");
    let mut refs: Vec<String> = Vec::new();
    if !top {
        refs.push("improve".into());
    }
    refs.extend(
        cmd.get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(page_name),
    );
    let mut line = Vec::new();
    for (i, r) in refs.iter().enumerate() {
        if i > 0 {
            line.push(roman(", "));
        }
        line.push(bold(r.as_str()));
        line.push(roman("(1)"));
    }
    if line.is_empty() {
        line.push(bold("improve"));
        line.push(roman("(1)"));
    }
    roff.text(line);
}
