//! The grammar of a key as the help and `[keys]` in `config.toml` write
//! it (`j`, `Ctrl-s`, `PgDn`, `Shift-Tab`), read and written back.

use super::keymap::{Key, KeyCode};

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

/// A key label written so that `parse_key` reads it back (arrows by name).
pub fn key_spec(label: &str) -> String {
    label
        .replace('↑', "Up")
        .replace('↓', "Down")
        .replace('←', "Left")
        .replace('→', "Right")
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
