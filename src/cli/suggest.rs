//! Values a shell can complete where clap cannot know them from a type:
//! step names, statuses, event kinds, models, efforts. They are offered,
//! not enforced: the commands check the value themselves (a step is a
//! step of the initiative's own model, which may be one of the user's).

use std::ffi::OsStr;
use std::sync::OnceLock;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser, ValueHint};

use crate::domain::Models;

/// A string argument whose completions are `values`.
#[derive(Clone)]
pub struct Suggest(fn() -> &'static [&'static str]);

impl TypedValueParser for Suggest {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.0)().iter().map(|v| PossibleValue::new(*v))))
    }
}

pub fn steps() -> Suggest {
    Suggest(step_names)
}

pub fn statuses() -> Suggest {
    Suggest(|| &["active", "on_hold", "done", "cancelled", "open", "closed"])
}

pub fn kinds() -> Suggest {
    Suggest(|| &crate::domain::history::KINDS)
}

pub fn models() -> Suggest {
    Suggest(model_ids)
}

pub fn efforts() -> Suggest {
    Suggest(|| &["S", "M", "L", "XL"])
}

/// Every shipped model's step names, each once, in model order.
fn step_names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<&'static str> = Vec::new();
        for (model, _) in Models::builtin().iter() {
            for step in model.steps() {
                let short = model.def(step).short.to_lowercase();
                if !names.contains(&short.as_str()) {
                    // Once per process, a few dozen bytes: clap's values are 'static.
                    names.push(Box::leak(short.into_boxed_str()));
                }
            }
        }
        names
    })
}

fn model_ids() -> &'static [&'static str] {
    static IDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    IDS.get_or_init(|| {
        Models::builtin()
            .iter()
            .map(|(m, _)| &*Box::leak(m.id.clone().into_boxed_str()))
            .collect()
    })
}

/// The command as completion scripts see it: a value that is free text (a
/// title, a reason, a date, a number) completes to nothing rather than to
/// the file names a shell offers by default; files stay for paths.
pub fn for_completion(cmd: clap::Command) -> clap::Command {
    let path = std::any::TypeId::of::<std::path::PathBuf>();
    let cmd = cmd.mut_args(|arg| {
        let free_text = arg.get_num_args().is_none_or(|n| n.takes_values())
            && arg.get_action().takes_values()
            && arg.get_possible_values().is_empty()
            && arg.get_value_hint() == ValueHint::Unknown
            && arg.get_value_parser().type_id() != path;
        if free_text {
            arg.value_hint(ValueHint::Other)
        } else {
            arg
        }
    });
    cmd.mut_subcommands(for_completion)
}

/// Initiative ids, with their titles as the help a shell shows beside
/// them, for the shells that ask the binary at each Tab (`COMPLETE=bash
/// improve`, see the README). The register is the one `IMPROVE_DB`, the
/// configuration or the default names (the shell does not pass `--db`);
/// none there, or one that cannot be read, offers nothing.
pub fn ids() -> clap_complete::engine::ArgValueCandidates {
    clap_complete::engine::ArgValueCandidates::new(initiative_ids)
}

fn initiative_ids() -> Vec<clap_complete::engine::CompletionCandidate> {
    use clap_complete::engine::CompletionCandidate;
    let Some(db) = register() else {
        return Vec::new();
    };
    if !db.is_file() {
        return Vec::new();
    }
    let Ok(store) = crate::store::Store::open_read_only(&db) else {
        return Vec::new();
    };
    let rows = store.backlog(&Models::builtin()).unwrap_or_default();
    rows.into_iter()
        .map(|row| {
            let title = crate::domain::text::sanitize(&row.title).into_owned();
            CompletionCandidate::new(row.id.to_string()).help(Some(title.into()))
        })
        .collect()
}

/// The register a command without `--db` would open.
fn register() -> Option<std::path::PathBuf> {
    if let Some(db) = std::env::var_os("IMPROVE_DB").filter(|v| !v.is_empty()) {
        return Some(db.into());
    }
    let flag = std::env::var_os(crate::config::ENV)
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from);
    let (path, source) = crate::config::locate(flag.as_deref(), flag.is_some());
    let config = crate::config::Config::load(path, source);
    config.db.clone().or_else(crate::store::default_path)
}

/// The command the shells' dynamic completion asks (`COMPLETE=fish improve`).
pub fn dynamic() -> clap::Command {
    for_completion(<super::args::Cli as clap::CommandFactory>::command())
}
