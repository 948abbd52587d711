//! A key as the app sees it, and its grammar as the help and `[keys]` in
//! `config.toml` write it (`j`, `Ctrl-s`, `PgDn`, `Shift-Tab`, `F1`), read
//! and written back.

/// A key as the app sees it, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Tab,
    BackTab,
    Enter,
    Esc,
    Backspace,
    Delete,
    /// A function key, F1 to F12.
    F(u8),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub shift: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            shift: false,
        }
    }
    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            shift: false,
        }
    }
    pub const fn shift(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            shift: true,
        }
    }

    /// Two keys match when code and Ctrl agree; Shift matters only for
    /// non-character keys (a `>` arrives with or without Shift depending on
    /// the terminal).
    pub fn matches(self, pressed: Key) -> bool {
        let pressed_code = match pressed.code {
            KeyCode::Char(c) if pressed.ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            code => code,
        };
        self.code == pressed_code
            && self.ctrl == pressed.ctrl
            && (matches!(self.code, KeyCode::Char(_)) || self.shift == pressed.shift)
    }

    /// How the key is written in the footer and help.
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::F(n) => format!("F{n}"),
        };
        match (self.ctrl, self.shift) {
            (true, _) => format!("Ctrl-{base}"),
            // Back-tab already says Shift.
            (false, true) if self.code != KeyCode::BackTab => format!("Shift-{base}"),
            _ => base,
        }
    }
}

/// A key as the help writes it: `j`, `Down`, `Ctrl-r`, `Shift-Right`,
/// `Space`, `Enter`, `Esc`, `PgDn`, `Tab`, `Shift-Tab`, or one character.
/// Shift-Tab stands for every encoding terminals send for it.
pub fn parse_key(s: &str) -> Result<Vec<Key>, String> {
    let bad = || {
        format!(
            "bad key \"{s}\" (write keys as the help shows them: j, Down, Ctrl-r, Shift-Right, Space, Enter, Esc, PgDn, Tab, Shift-Tab, F1)"
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
            f => match f.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                Some(n @ 1..=12) => KeyCode::F(n),
                _ => return Err(bad()),
            },
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
        assert_eq!(parse_key("F1"), Ok(vec![Key::plain(KeyCode::F(1))]));
        assert!(parse_key("F13").is_err());
        // Labels read back.
        for k in [
            Key::ctrl('r'),
            Key::shift(KeyCode::Left),
            Key::plain(KeyCode::End),
            Key::plain(KeyCode::F(12)),
        ] {
            assert_eq!(parse_key(&k.label()), Ok(vec![k]), "{}", k.label());
        }
    }
}
