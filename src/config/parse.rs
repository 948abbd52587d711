//! Reading `config.toml` entry by entry, so that one bad entry is reported
//! with its line and the others still apply.

use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{ColorOverride, Config, KeyOverride, Source, ThemeName};
use crate::domain::DateFormat;

/// Top-level keys, for the "unknown key" warning.
const KEYS: &[&str] = &[
    "db",
    "theme",
    "colors",
    "keys",
    "date_format",
    "stale_days",
    "user",
    "model",
    "mouse",
];

/// Line (1-based) of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

pub(super) fn apply(config: &mut Config, file: &Path, text: &str) {
    let (table, errors) = DeTable::parse_recoverable(text);
    let line = |span: std::ops::Range<usize>| line_of(text, span.start);
    let mut broken: Vec<usize> = Vec::new();
    if !errors.is_empty() {
        let first_line = |e: &toml::de::Error| e.span().map(&line);
        let msg = |e: &toml::de::Error| {
            e.message()
                .lines()
                .next()
                .unwrap_or("syntax error")
                .to_string()
        };
        // Beyond a few errors the file is not TOML at all: say so once.
        if errors.len() > 3 || table.get_ref().is_empty() {
            config.warn(
                first_line(&errors[0]),
                format!("not valid TOML ({}); using the defaults", msg(&errors[0])),
            );
            return;
        }
        for e in &errors {
            broken.extend(first_line(e));
            config.warn(
                first_line(e),
                format!("not valid TOML ({}); this line is ignored", msg(e)),
            );
        }
    }
    let _ = file;
    for (key, value) in table.get_ref().iter() {
        let at = line(key.span());
        let value_line = line(value.span());
        // What the parser recovered from a broken line is not trusted.
        if broken.contains(&at) {
            continue;
        }
        match key.get_ref().as_ref() {
            "db" => match value.get_ref().as_str() {
                Some(s) if !s.trim().is_empty() => config.db = Some(expand_home(s)),
                _ => config.warn(Some(value_line), "db must be a path (a string)"),
            },
            "theme" => match value.get_ref().as_str().map(ThemeName::parse) {
                Some(Some(t)) => {
                    config.theme = t;
                    config.theme_source = Source::File;
                }
                _ => config.warn(
                    Some(value_line),
                    format!(
                        "theme must be \"dark\", \"light\" or \"mono\", not {}",
                        shown(value.get_ref())
                    ),
                ),
            },
            "colors" | "colours" => match value.get_ref().as_table() {
                Some(t) => colors(config, text, t),
                None => config.warn(Some(value_line), "[colors] must be a table"),
            },
            "keys" => match value.get_ref().as_table() {
                Some(t) => keys(config, text, t),
                None => config.warn(Some(value_line), "[keys] must be a table"),
            },
            "date_format" => match value.get_ref().as_str() {
                Some(f) => match DateFormat::parse(f) {
                    Ok(format) => {
                        config.date_format = format;
                        config.date_format_source = Source::File;
                    }
                    Err(why) => config.warn(Some(value_line), why),
                },
                None => config.warn(Some(value_line), "date_format must be a string"),
            },
            "stale_days" => match value
                .get_ref()
                .as_integer()
                .and_then(|i| i64::from_str_radix(i.as_str(), i.radix()).ok())
            {
                Some(n) if (1..=36_500).contains(&n) => {
                    config.stale_days = n;
                    config.stale_days_source = Source::File;
                }
                Some(n) => config.warn(
                    Some(value_line),
                    format!("stale_days must be a whole number of days from 1, not {n}"),
                ),
                None => config.warn(
                    Some(value_line),
                    format!(
                        "stale_days must be a whole number of days, not {}",
                        shown(value.get_ref())
                    ),
                ),
            },
            "mouse" => match value.get_ref().as_bool() {
                Some(on) => config.mouse = on,
                None => config.warn(
                    Some(value_line),
                    format!(
                        "mouse must be true or false, not {}",
                        shown(value.get_ref())
                    ),
                ),
            },
            "user" => match value.get_ref().as_str() {
                Some(u) if !u.trim().is_empty() => config.user = Some(u.trim().to_string()),
                _ => config.warn(Some(value_line), "user must be a name in quotes"),
            },
            // Whether the model exists is known once the model files are
            // read (`config::models::catalogue`).
            "model" => match value.get_ref().as_str() {
                Some(id) if crate::domain::model::valid_id(id.trim()) => {
                    config.model = Some(id.trim().to_string());
                    config.model_line = Some(value_line);
                }
                _ => config.warn(
                    Some(value_line),
                    format!(
                        "model must be a model id such as \"pdca\", not {}",
                        shown(value.get_ref())
                    ),
                ),
            },
            other => {
                let hint = KEYS
                    .iter()
                    .find(|k| close(k, other))
                    .map(|k| format!(" (did you mean \"{k}\"?)"))
                    .unwrap_or_default();
                config.warn(Some(at), format!("unknown key \"{other}\"{hint}"));
            }
        }
    }
    config.warnings.sort_by_key(|w| w.line);
}

fn colors(config: &mut Config, text: &str, table: &DeTable<'_>) {
    for (role, value) in table.iter() {
        // Whether the role and the style are valid is the theme's to say
        // (`settings::theme`); the entry keeps its line for the warning.
        config.colors.push(ColorOverride {
            role: role.get_ref().as_ref().to_string(),
            spec: value.get_ref().as_str().map(str::to_string),
            line: line_of(text, role.span().start),
        });
    }
}

fn keys(config: &mut Config, text: &str, table: &DeTable<'_>) {
    for (action, value) in table.iter() {
        let written: Vec<&Spanned<DeValue<'_>>> = match value.get_ref() {
            DeValue::Array(a) => a.iter().collect(),
            _ => vec![value],
        };
        // Whether the action and the keys are valid is the keymap's to say
        // (`settings::keymap`); what is not a string is kept as shown.
        config.keys.push(KeyOverride {
            action: action.get_ref().as_ref().to_string(),
            written: written
                .into_iter()
                .map(|v| {
                    v.get_ref()
                        .as_str()
                        .map(str::to_string)
                        .ok_or_else(|| shown(v.get_ref()))
                })
                .collect(),
            line: line_of(text, action.span().start),
        });
    }
}

fn shown(v: &DeValue<'_>) -> String {
    match v {
        DeValue::String(s) => format!("\"{s}\""),
        DeValue::Integer(i) => i.as_str().to_string(),
        other => format!("a {}", other.type_str()),
    }
}

/// Two names one typo apart (same length, one letter different, or one
/// letter added or missing), or the same up to `s`/`u` spelling.
fn close(a: &str, b: &str) -> bool {
    let b = b.replace("colour", "color");
    if a == b {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    match a.len().abs_diff(b.len()) {
        0 => a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1,
        1 => {
            let (short, long) = if a.len() < b.len() {
                (&a, &b)
            } else {
                (&b, &a)
            };
            (0..long.len()).any(|i| {
                let mut l = long.clone();
                l.remove(i);
                &l == short
            })
        }
        _ => false,
    }
}

fn expand_home(s: &str) -> PathBuf {
    if let Some(rest) = s.strip_prefix("~/")
        && let Some(home) = directories::BaseDirs::new()
    {
        return home.home_dir().join(rest);
    }
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mouse_is_on_unless_turned_off_and_a_wrong_value_is_a_warning() {
        assert!(Config::default().mouse);
        let mut config = Config::default();
        apply(&mut config, Path::new("c.toml"), "mouse = false\n");
        assert!(!config.mouse);
        assert!(config.warnings.is_empty());
        let mut config = Config::default();
        apply(&mut config, Path::new("c.toml"), "mouse = \"no\"\n");
        assert!(config.mouse, "left on");
        assert!(
            config.warnings[0].message.contains("true or false"),
            "{:?}",
            config.warnings
        );
    }

    #[test]
    fn typos_are_recognised() {
        assert!(close("theme", "them"));
        assert!(close("colors", "colours"));
        assert!(close("stale_days", "stale_dayz"));
        assert!(!close("db", "keys"));
    }
}
