//! crossterm key events into the app's own key type.

use ratatui::crossterm::event::{KeyCode as C, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::key::{Key, KeyCode};

/// The app's keys for one key event: none for releases (Windows reports
/// them) and keys the app does not use, one for most, and two for Alt with
/// a key. Terminals send Alt+q as Esc then q, and so does a user typing Esc
/// then q quickly over SSH, when both arrive in one packet; the app binds
/// nothing to Alt, so it is read as the Esc the user most likely pressed,
/// then the key. (Ctrl+Alt is left alone: it is AltGr on Windows, which
/// types characters such as `@`.)
pub fn to_keys(event: KeyEvent) -> impl Iterator<Item = Key> {
    let key = to_key(event);
    let alt = event.modifiers.contains(KeyModifiers::ALT)
        && !event.modifiers.contains(KeyModifiers::CONTROL);
    let esc = (alt && key.is_some()).then_some(Key {
        code: KeyCode::Esc,
        ctrl: false,
        shift: false,
    });
    esc.into_iter().chain(key)
}

fn to_key(event: KeyEvent) -> Option<Key> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let code = match event.code {
        C::Char(c) => KeyCode::Char(c),
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        C::Tab => KeyCode::Tab,
        C::BackTab => KeyCode::BackTab,
        C::Enter => KeyCode::Enter,
        C::Esc => KeyCode::Esc,
        C::Backspace => KeyCode::Backspace,
        C::Delete => KeyCode::Delete,
        C::F(n @ 1..=12) => KeyCode::F(n),
        _ => return None,
    };
    Some(Key {
        code,
        ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        shift: event.modifiers.contains(KeyModifiers::SHIFT),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(code: C, modifiers: KeyModifiers) -> Vec<Key> {
        to_keys(KeyEvent::new(code, modifiers)).collect()
    }

    fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            shift: false,
        }
    }

    #[test]
    fn alt_with_a_key_is_esc_then_the_key() {
        assert_eq!(
            keys(C::Char('q'), KeyModifiers::ALT),
            [plain(KeyCode::Esc), plain(KeyCode::Char('q'))]
        );
        assert_eq!(
            keys(C::Enter, KeyModifiers::ALT),
            [plain(KeyCode::Esc), plain(KeyCode::Enter)]
        );
    }

    #[test]
    fn other_keys_are_one_key_and_altgr_is_left_alone() {
        assert_eq!(
            keys(C::Char('q'), KeyModifiers::NONE),
            [plain(KeyCode::Char('q'))]
        );
        assert_eq!(
            keys(C::Char('@'), KeyModifiers::CONTROL | KeyModifiers::ALT),
            [Key {
                code: KeyCode::Char('@'),
                ctrl: true,
                shift: false
            }]
        );
        assert!(keys(C::Insert, KeyModifiers::ALT).is_empty());
        assert!(keys(C::F(13), KeyModifiers::NONE).is_empty());
        assert_eq!(
            keys(C::F(1), KeyModifiers::NONE),
            [Key::plain(KeyCode::F(1))]
        );
    }
}
