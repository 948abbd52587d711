//! Reading `config.toml` entry by entry, so that one bad entry is reported
//! with its line and the others still apply.

use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier, Style};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{ColorOverride, Config, KeyOverride, Source, ThemeName};
use crate::app::keymap::{self, Key, KeyCode};
use crate::domain::DateFormat;
use crate::ui::Theme;

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
        let at = line_of(text, role.span().start);
        let name = role.get_ref().as_ref();
        if !Theme::ROLES.contains(&name) {
            config.warn(
                Some(at),
                format!(
                    "unknown colour role \"{name}\" (roles: {})",
                    Theme::ROLES.join(", ")
                ),
            );
            continue;
        }
        let Some(spec) = value.get_ref().as_str() else {
            config.warn(
                Some(at),
                format!("colors.{name} must be a string such as \"bold cyan on black\""),
            );
            continue;
        };
        match parse_style(spec) {
            Ok(style) => config.colors.push(ColorOverride {
                role: name.to_string(),
                spec: spec.to_string(),
                style,
                line: at,
            }),
            Err(why) => config.warn(Some(at), format!("colors.{name}: {why}")),
        }
    }
}

fn keys(config: &mut Config, text: &str, table: &DeTable<'_>) {
    for (action, value) in table.iter() {
        let at = line_of(text, action.span().start);
        let name = action.get_ref().as_ref();
        if !keymap::action_names().any(|n| n == name) {
            config.warn(
                Some(at),
                format!(
                    "unknown action \"{name}\" in [keys] (actions: {})",
                    keymap::action_names().collect::<Vec<_>>().join(", ")
                ),
            );
            continue;
        }
        let written: Vec<&Spanned<DeValue<'_>>> = match value.get_ref() {
            DeValue::Array(a) => a.iter().collect(),
            _ => vec![value],
        };
        let mut o = KeyOverride {
            action: name.to_string(),
            keys: Vec::new(),
            labels: Vec::new(),
            line: at,
        };
        for v in written {
            let Some(s) = v.get_ref().as_str() else {
                config.warn(
                    Some(at),
                    format!(
                        "keys.{name}: a key is a string such as \"j\" or \"Ctrl-r\", not {}",
                        shown(v.get_ref())
                    ),
                );
                continue;
            };
            match parse_key(s) {
                Ok(keys) => {
                    o.keys.extend(keys);
                    o.labels.push(s.to_string());
                }
                Err(why) => config.warn(Some(at), format!("keys.{name}: {why}")),
            }
        }
        // With no usable key (each already warned about) the defaults stay.
        if !o.keys.is_empty() {
            config.keys.push(o);
        }
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

/// A colour: an ANSI name (`cyan`, `light_red`, `dark_gray`), `#rrggbb`,
/// an index 0-255, or `reset`.
pub fn parse_color(s: &str) -> Result<Color, String> {
    let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
    let c = match norm.as_str() {
        "reset" | "default" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "dark_gray" | "dark_grey" | "darkgray" | "darkgrey" => Color::DarkGray,
        "light_red" | "lightred" => Color::LightRed,
        "light_green" | "lightgreen" => Color::LightGreen,
        "light_yellow" | "lightyellow" => Color::LightYellow,
        "light_blue" | "lightblue" => Color::LightBlue,
        "light_magenta" | "lightmagenta" => Color::LightMagenta,
        "light_cyan" | "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        hex if hex.starts_with('#') => {
            let h = &hex[1..];
            if h.len() != 6 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(format!("bad colour \"{s}\" (write #rrggbb)"));
            }
            let v = u32::from_str_radix(h, 16).map_err(|_| format!("bad colour \"{s}\""))?;
            Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8)
        }
        n if n.parse::<u8>().is_ok() => Color::Indexed(n.parse().unwrap_or(0)),
        _ => {
            return Err(format!(
                "unknown colour \"{s}\" (ANSI names such as cyan, light_red, dark_gray, white, reset; or #rrggbb)"
            ));
        }
    };
    Ok(c)
}

fn parse_modifier(s: &str) -> Option<Modifier> {
    Some(match s {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underline" | "underlined" => Modifier::UNDERLINED,
        "reverse" | "reversed" => Modifier::REVERSED,
        "crossed_out" | "strikethrough" => Modifier::CROSSED_OUT,
        "blink" | "slow_blink" => Modifier::SLOW_BLINK,
        _ => return None,
    })
}

/// A style: modifiers, then a foreground colour, then `on` and a background:
/// `"bold cyan on black"`, `"reverse"`, `"#005f87"`, `"on white"`.
pub fn parse_style(s: &str) -> Result<Style, String> {
    let mut style = Style::new();
    let words: Vec<String> = s.split_whitespace().map(str::to_ascii_lowercase).collect();
    if words.is_empty() {
        return Err("empty colour".into());
    }
    let mut fg_set = false;
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        if let Some(m) = parse_modifier(w) {
            style = style.add_modifier(m);
        } else if w == "on" {
            let Some(bg) = words.get(i + 1) else {
                return Err(format!("\"{s}\": a colour must follow \"on\""));
            };
            style = style.bg(parse_color(bg)?);
            i += 1;
        } else if !fg_set {
            style = style.fg(parse_color(w)?);
            fg_set = true;
        } else {
            return Err(format!("\"{s}\": unexpected \"{w}\""));
        }
        i += 1;
    }
    Ok(style)
}

/// A key as the help writes it: `j`, `Down`, `Ctrl-r`, `Shift-Right`,
/// `Space`, `Enter`, `Esc`, `PgDn`, `Tab`, `Shift-Tab`, or one character.
/// Shift-Tab stands for every encoding terminals send for it.
pub fn parse_key(s: &str) -> Result<Vec<Key>, String> {
    let bad = || {
        format!(
            "bad key \"{s}\" (write keys as the help shows them: j, Down, Ctrl-r, Shift-Right, Space, Enter, Esc, PgDn, Tab, Shift-Tab)"
        )
    };
    if s.chars().count() == 1 {
        return Ok(vec![Key::ch(s.chars().next().unwrap_or(' '))]);
    }
    let (mut ctrl, mut shift, mut rest) = (false, false, s);
    loop {
        let lower = rest.to_ascii_lowercase();
        if rest.chars().count() > 1 && (lower.starts_with("ctrl-") || lower.starts_with("ctrl+")) {
            ctrl = true;
            rest = &rest[5..];
        } else if rest.chars().count() > 1
            && (lower.starts_with("shift-") || lower.starts_with("shift+"))
        {
            shift = true;
            rest = &rest[6..];
        } else {
            break;
        }
    }
    let arrow = matches!(rest, "↑" | "↓" | "←" | "→");
    let code = if rest.chars().count() == 1 && !arrow {
        let c = rest.chars().next().unwrap_or(' ');
        if ctrl {
            if !c.is_ascii_alphabetic() {
                return Err(bad());
            }
            KeyCode::Char(c.to_ascii_lowercase())
        } else if shift {
            // Shift-a is A.
            KeyCode::Char(c.to_ascii_uppercase())
        } else {
            KeyCode::Char(c)
        }
    } else {
        match rest.to_ascii_lowercase().as_str() {
            "space" => KeyCode::Char(' '),
            "up" | "↑" => KeyCode::Up,
            "down" | "↓" => KeyCode::Down,
            "left" | "←" => KeyCode::Left,
            "right" | "→" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" | "pgdown" => KeyCode::PageDown,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "backspace" => KeyCode::Backspace,
            "del" | "delete" => KeyCode::Delete,
            _ => return Err(bad()),
        }
    };
    if matches!(code, KeyCode::Char(_)) {
        let key = if ctrl {
            Key::ctrl(match code {
                KeyCode::Char(c) => c,
                _ => ' ',
            })
        } else {
            Key::plain(code)
        };
        return Ok(vec![key]);
    }
    if (shift && code == KeyCode::Tab) || code == KeyCode::BackTab {
        return Ok(vec![
            Key::plain(KeyCode::BackTab),
            Key::shift(KeyCode::BackTab),
            Key::shift(KeyCode::Tab),
        ]);
    }
    Ok(vec![Key { code, ctrl, shift }])
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
    fn keys_read_as_the_help_writes_them() {
        assert_eq!(parse_key("j"), Ok(vec![Key::ch('j')]));
        assert_eq!(parse_key("Down"), Ok(vec![Key::plain(KeyCode::Down)]));
        assert_eq!(parse_key("Ctrl-r"), Ok(vec![Key::ctrl('r')]));
        assert_eq!(
            parse_key("Shift-Right"),
            Ok(vec![Key::shift(KeyCode::Right)])
        );
        assert_eq!(parse_key("Space"), Ok(vec![Key::ch(' ')]));
        assert_eq!(parse_key("PgDn"), Ok(vec![Key::plain(KeyCode::PageDown)]));
        assert_eq!(parse_key("Shift-Tab").map(|k| k.len()), Ok(3));
        assert_eq!(parse_key("-"), Ok(vec![Key::ch('-')]));
        assert!(parse_key("Hyper-x").is_err());
        assert!(parse_key("Ctrl-").is_err());
        assert!(parse_key("Ctrl-1").is_err());
        // Labels read back.
        for k in [
            Key::ctrl('r'),
            Key::shift(KeyCode::Left),
            Key::plain(KeyCode::End),
        ] {
            assert_eq!(parse_key(&k.label()), Ok(vec![k]), "{}", k.label());
        }
    }

    #[test]
    fn styles_read_modifiers_colours_and_backgrounds() {
        assert_eq!(
            parse_style("bold cyan on black"),
            Ok(Style::new()
                .fg(Color::Cyan)
                .bg(Color::Black)
                .add_modifier(Modifier::BOLD))
        );
        assert_eq!(
            parse_style("#ff8000"),
            Ok(Style::new().fg(Color::Rgb(255, 128, 0)))
        );
        assert_eq!(
            parse_style("light_red"),
            Ok(Style::new().fg(Color::LightRed))
        );
        assert_eq!(parse_style("reset"), Ok(Style::new().fg(Color::Reset)));
        assert!(parse_style("blurple").is_err());
        assert!(parse_style("#12345").is_err());
        assert!(parse_style("cyan on").is_err());
        assert!(parse_style("cyan red").is_err());
    }

    #[test]
    fn typos_are_recognised() {
        assert!(close("theme", "them"));
        assert!(close("colors", "colours"));
        assert!(close("stale_days", "stale_dayz"));
        assert!(!close("db", "keys"));
    }
}
