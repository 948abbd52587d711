//! The keys of the detail screen, the help, questions, prompts, the
//! filter bar and forms, and of text being typed.

use super::row;
use crate::app::action::Action as A;
use crate::app::input::Edit;
use crate::app::key::KeyCode as K;
use crate::app::keymap::Key;
use crate::app::keymap::Scope as S;

const fn key(code: K) -> Key {
    Key::plain(code)
}

pub(super) fn rows() -> Vec<crate::app::keymap::Binding> {
    let edit = A::Edit;
    vec![
        row(
            "close_view",
            S::Detail,
            &[key(K::Esc), Key::ch('q')],
            A::Cancel,
            Some("close"),
            "back to the dashboard",
        ),
        row(
            "close_view",
            S::Help,
            &[key(K::Esc), Key::ch('q')],
            A::Cancel,
            Some("close"),
            "close this help",
        ),
        row(
            "help",
            S::Help,
            &[Key::ch('?')],
            A::Cancel,
            None,
            "close this help (the key that opened it)",
        ),
        row(
            "yes",
            S::Confirm,
            &[Key::ch('y'), key(K::Enter), Key::ch('Y')],
            A::Confirm,
            Some("yes"),
            "answer yes",
        ),
        row(
            "no",
            S::Confirm,
            &[Key::ch('n'), key(K::Esc), Key::ch('N')],
            A::Cancel,
            Some("no"),
            "answer no",
        ),
        row(
            "submit",
            S::Prompt,
            &[key(K::Enter)],
            A::Confirm,
            Some("save"),
            "save the prompt; keep the filter and leave the bar",
        ),
        row(
            "cancel",
            S::Prompt,
            &[key(K::Esc)],
            A::Cancel,
            Some("cancel"),
            "cancel the prompt; clear the filter",
        ),
        row(
            "next_field",
            S::Form,
            &[key(K::Tab), key(K::Down)],
            A::NextField,
            Some("next field"),
            "next field",
        ),
        row(
            "previous_field",
            S::Form,
            &[
                key(K::BackTab),
                Key::shift(K::BackTab),
                Key::shift(K::Tab),
                key(K::Up),
            ],
            A::PrevField,
            None,
            "previous field",
        ),
        row(
            "save",
            S::Form,
            &[Key::ctrl('s')],
            A::Save,
            Some("save"),
            "save from any field",
        ),
        row(
            "submit",
            S::Form,
            &[key(K::Enter)],
            A::Confirm,
            None,
            "next field; saves on the last one",
        ),
        row(
            "cancel",
            S::Form,
            &[key(K::Esc)],
            A::Cancel,
            Some("cancel"),
            "cancel (asks first if something was typed)",
        ),
        row(
            "editor",
            S::TextField,
            &[Key::ctrl('e')],
            A::ExternalEditor,
            Some("editor"),
            "edit the field in $VISUAL / $EDITOR",
        ),
        row(
            "cursor_left",
            S::Input,
            &[key(K::Left)],
            edit(Edit::Left),
            None,
            "cursor left; in a form's choice field, the previous choice",
        ),
        row(
            "cursor_right",
            S::Input,
            &[key(K::Right)],
            edit(Edit::Right),
            None,
            "cursor right; in a form's choice field, the next choice",
        ),
        row(
            "line_start",
            S::Text,
            &[key(K::Home), Key::ctrl('a')],
            edit(Edit::Home),
            None,
            "cursor to the start",
        ),
        row(
            "line_end",
            S::Text,
            &[key(K::End)],
            edit(Edit::End),
            None,
            "cursor to the end",
        ),
        row(
            "delete_back",
            S::Text,
            &[key(K::Backspace)],
            edit(Edit::Backspace),
            None,
            "delete the character before the cursor",
        ),
        row(
            "delete_forward",
            S::Text,
            &[key(K::Delete)],
            edit(Edit::Delete),
            None,
            "delete the character under the cursor",
        ),
        row(
            "delete_word",
            S::Text,
            &[Key::ctrl('w')],
            edit(Edit::DeleteWord),
            Some("delete word"),
            "delete the word before the cursor",
        ),
        row(
            "delete_to_start",
            S::Text,
            &[Key::ctrl('u')],
            edit(Edit::DeleteToStart),
            None,
            "delete to the start",
        ),
    ]
}
