//! Where the configuration meets the keymap and the theme: `config/` reads
//! `config.toml` into plain strings with their lines, and this turns them
//! into a [`Keymap`] and a [`Theme`] with the grammar that lives beside
//! `Key` ([`crate::app::key`]) and `Theme` ([`crate::ui::style_spec`]).
//! What does not read becomes a warning on its line, like any bad entry.

use std::path::Path;

use crate::app::key::{key_spec, parse_key};
use crate::app::keymap::{Key, Keymap, action_names};
use crate::config::{Config, Effective, Source, ThemeName};
use crate::ui::Theme;
use crate::ui::style_spec::{parse_style, style_spec};

/// The keymap: the defaults with `[keys]` applied; an unknown action, a
/// bad key or a conflicting one becomes a warning on the override's line.
pub fn keymap(config: &mut Config) -> Keymap {
    let mut overrides: Vec<(String, Vec<Key>, usize)> = Vec::new();
    let mut warnings: Vec<(usize, String)> = Vec::new();
    for o in &config.keys {
        let name = o.action.as_str();
        if !action_names().any(|n| n == name) {
            warnings.push((
                o.line,
                format!(
                    "unknown action \"{name}\" in [keys] (actions: {})",
                    action_names().collect::<Vec<_>>().join(", ")
                ),
            ));
            continue;
        }
        let mut keys = Vec::new();
        for w in &o.written {
            match w {
                Err(shown) => warnings.push((
                    o.line,
                    format!(
                        "keys.{name}: a key is a string such as \"j\" or \"Ctrl-r\", not {shown}"
                    ),
                )),
                Ok(s) => match parse_key(s) {
                    Ok(k) => keys.extend(k),
                    Err(why) => warnings.push((o.line, format!("keys.{name}: {why}"))),
                },
            }
        }
        // With no usable key (each already warned about) the defaults stay.
        if !keys.is_empty() {
            overrides.push((o.action.clone(), keys, o.line));
        }
    }
    let list: Vec<(&str, &[Key])> = overrides
        .iter()
        .map(|(a, k, _)| (a.as_str(), k.as_slice()))
        .collect();
    let (map, problems) = Keymap::with_overrides(&list);
    for (i, message) in problems {
        warnings.push((overrides[i].2, message));
    }
    for (line, message) in warnings {
        config.warn(Some(line), message);
    }
    config.warnings.sort_by_key(|w| w.line);
    map
}

/// The theme: the preset named by the file with its `[colors]` over it; an
/// unknown role or a bad style becomes a warning on its line. (`--color
/// never` and `NO_COLOR` are decided by the caller, which then uses
/// `Theme::mono()` whatever the file says.)
pub fn theme(config: &mut Config) -> Theme {
    let (theme, warnings) = theme_of(config);
    for (line, message) in warnings {
        config.warn(Some(line), message);
    }
    config.warnings.sort_by_key(|w| w.line);
    theme
}

fn preset(name: ThemeName) -> Theme {
    match name {
        ThemeName::Dark => Theme::color(),
        ThemeName::Light => Theme::light(),
        ThemeName::Mono => Theme::mono(),
    }
}

/// The theme and the `[colors]` entries it refused, without touching the
/// configuration's warnings.
fn theme_of(config: &Config) -> (Theme, Vec<(usize, String)>) {
    let mut theme = preset(config.theme);
    let mut warnings = Vec::new();
    for c in &config.colors {
        let name = c.role.as_str();
        let Some(role) = theme.role_mut(name) else {
            warnings.push((
                c.line,
                format!(
                    "unknown colour role \"{name}\" (roles: {})",
                    Theme::ROLES.join(", ")
                ),
            ));
            continue;
        };
        let Some(spec) = &c.spec else {
            warnings.push((
                c.line,
                format!("colors.{name} must be a string such as \"bold cyan on black\""),
            ));
            continue;
        };
        match parse_style(spec) {
            Ok(style) => *role = style,
            Err(why) => warnings.push((c.line, format!("colors.{name}: {why}"))),
        }
    }
    (theme, warnings)
}

/// `improve config --print`: the effective configuration as TOML, every
/// colour role and every action with where its value came from.
pub fn to_toml(config: &Config, db: Option<(&Path, Source)>) -> String {
    let (theme, _) = theme_of(config);
    let colors: Vec<Effective> = Theme::ROLES
        .iter()
        .map(|role| {
            // The last valid entry for a role is the one in effect.
            let from_file = config.colors.iter().rev().find_map(|c| {
                let spec = c.spec.as_deref().filter(|_| c.role == *role)?;
                parse_style(spec).ok().map(|_| spec.to_string())
            });
            let (spec, source) = match from_file {
                Some(spec) => (spec, "file"),
                None => (
                    style_spec(theme.role(role).unwrap_or_default()),
                    config.theme.name(),
                ),
            };
            Effective {
                name: role.to_string(),
                values: vec![spec],
                source,
            }
        })
        .collect();
    let keymap = keymap(&mut config.clone());
    let mut keys: Vec<Effective> = Vec::new();
    for b in keymap.bindings() {
        if keys.iter().any(|k| k.name == b.name) {
            continue;
        }
        let mut labels: Vec<String> = Vec::new();
        for k in &b.keys {
            let l = key_spec(&k.label());
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
        // An entry whose every key was refused left the defaults in place.
        let from_file = config.keys.iter().any(|o| {
            o.action == b.name
                && o.written
                    .iter()
                    .any(|w| w.as_deref().is_ok_and(|s| parse_key(s).is_ok()))
        });
        let source = if from_file { "file" } else { "default" };
        keys.push(Effective {
            name: b.name.to_string(),
            values: labels,
            source,
        });
    }
    config.to_toml(db, &colors, &keys)
}
