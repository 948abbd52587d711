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
    Suggest(|| &["active", "on_hold", "done", "cancelled", "open"])
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
