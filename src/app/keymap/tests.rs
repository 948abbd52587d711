use super::*;
use crate::app::mode::Focus;
use KeyCode as K;

fn pane(focus: Focus, key: Key) -> Option<Action> {
    Keymap::default().resolve(Place::Pane(focus), key)
}

#[test]
fn design_keys_resolve_in_the_backlog() {
    let f = Focus::Backlog;
    assert_eq!(pane(f, Key::ch('j')), Some(Action::Down));
    assert_eq!(pane(f, Key::plain(K::Down)), Some(Action::Down));
    assert_eq!(pane(f, Key::ch('G')), Some(Action::Bottom));
    assert_eq!(pane(f, Key::plain(K::End)), Some(Action::Bottom));
    assert_eq!(pane(f, Key::ch('>')), Some(Action::Forward));
    // Some terminals report '>' with Shift held.
    let shifted = Key {
        code: K::Char('>'),
        ctrl: false,
        shift: true,
    };
    assert_eq!(pane(f, shifted), Some(Action::Forward));
    assert_eq!(pane(f, Key::shift(K::Right)), Some(Action::Forward));
    assert_eq!(pane(f, Key::shift(K::Left)), Some(Action::Back));
    assert_eq!(pane(f, Key::plain(K::Right)), None);
    assert_eq!(pane(f, Key::plain(K::BackTab)), Some(Action::FocusPrev));
    assert_eq!(pane(f, Key::ctrl('c')), Some(Action::Quit));
}

#[test]
fn toggle_applies_in_the_checklist_only() {
    assert_eq!(pane(Focus::Backlog, Key::ch(' ')), None);
    assert_eq!(pane(Focus::Checklist, Key::ch(' ')), Some(Action::Toggle));
    assert_eq!(pane(Focus::Checklist, Key::ch('x')), Some(Action::Toggle));
    assert_eq!(pane(Focus::Checklist, Key::ch('>')), Some(Action::Forward));
}

#[test]
fn welcome_screen_has_its_own_keys() {
    let map = Keymap::default();
    assert_eq!(
        map.resolve(Place::Welcome, Key::ch('D')),
        Some(Action::LoadSample)
    );
    assert_eq!(map.resolve(Place::Welcome, Key::ch('>')), None);
    assert_eq!(
        map.resolve(Place::Pane(Focus::Backlog), Key::ch('D')),
        Some(Action::RemoveSample)
    );
}

#[test]
fn every_place_answers_its_keys() {
    let map = Keymap::default();
    let r = |place, key| map.resolve(place, key);
    assert_eq!(r(Place::Detail, Key::ch('q')), Some(Action::Cancel));
    assert_eq!(r(Place::Detail, Key::ch(' ')), Some(Action::PageDown));
    assert_eq!(r(Place::Detail, Key::ch('e')), Some(Action::EditInitiative));
    assert_eq!(r(Place::Detail, Key::plain(K::Enter)), None);
    assert_eq!(r(Place::Help, Key::ch('?')), Some(Action::Cancel));
    assert_eq!(r(Place::Help, Key::ch('j')), Some(Action::Down));
    assert_eq!(r(Place::Help, Key::ch('e')), None);
    assert_eq!(r(Place::Confirm, Key::ch('Y')), Some(Action::Confirm));
    assert_eq!(r(Place::Confirm, Key::plain(K::Esc)), Some(Action::Cancel));
    assert_eq!(r(Place::Confirm, Key::ch('q')), None);
    assert_eq!(
        r(Place::Prompt, Key::ch('q')),
        Some(Action::Edit(Edit::Insert('q')))
    );
    assert_eq!(
        r(Place::Filter, Key::ctrl('w')),
        Some(Action::Edit(Edit::DeleteWord))
    );
    let text = Place::Form { text_field: true };
    let choice = Place::Form { text_field: false };
    assert_eq!(r(text, Key::ctrl('e')), Some(Action::ExternalEditor));
    assert_eq!(r(choice, Key::ctrl('e')), None);
    assert_eq!(r(choice, Key::plain(K::Down)), Some(Action::NextField));
    assert_eq!(r(text, Key::ctrl('s')), Some(Action::Save));
    assert_eq!(r(text, Key::ctrl('x')), None);
}

#[test]
fn no_key_is_bound_twice_in_one_place() {
    let map = Keymap::default();
    for place in Place::ALL {
        let active: Vec<&Binding> = map.active(place).collect();
        for (i, a) in active.iter().enumerate() {
            for b in &active[i + 1..] {
                for k in &a.keys {
                    assert!(
                        !b.keys.iter().any(|k2| same_key(*k2, *k)),
                        "{k:?} is bound to {} and {} at {place:?}",
                        a.name,
                        b.name
                    );
                }
            }
        }
        if place.takes_text() {
            for b in &active {
                assert!(
                    b.keys
                        .iter()
                        .all(|k| k.ctrl || !matches!(k.code, KeyCode::Char(_))),
                    "{} takes a typed character at {place:?}",
                    b.name
                );
            }
        }
    }
}

#[test]
fn an_override_applies_to_every_row_of_its_name() {
    let f1 = Key::plain(K::F(1));
    let (map, problems) =
        Keymap::with_overrides(&[("help", &[f1]), ("close_view", &[Key::ch('f')])]);
    assert!(problems.is_empty(), "{problems:?}");
    for b in map.bindings().iter().filter(|b| b.name == "help") {
        assert_eq!(b.keys, vec![f1], "{:?}", b.scope);
    }
    // The key that opens the help closes it.
    assert_eq!(
        map.resolve(Place::Pane(Focus::Backlog), f1),
        Some(Action::Help)
    );
    assert_eq!(map.resolve(Place::Help, f1), Some(Action::Cancel));
    assert_eq!(map.resolve(Place::Help, Key::ch('?')), None);
    assert_eq!(
        map.resolve(Place::Detail, Key::ch('f')),
        Some(Action::Cancel)
    );
    assert_eq!(map.resolve(Place::Help, Key::ch('f')), Some(Action::Cancel));
    assert_eq!(map.resolve(Place::Detail, Key::ch('q')), None);
}

#[test]
fn the_default_keymap_is_the_table() {
    let map = Keymap::default();
    assert_eq!(map.bindings(), defaults());
    let (same, problems) = Keymap::with_overrides(&[]);
    assert_eq!(same, map);
    assert!(problems.is_empty());
}

#[test]
fn overrides_replace_keys_and_conflicts_are_refused() {
    let (map, problems) = Keymap::with_overrides(&[
        ("forward", &[Key::ch('>'), Key::ch('L')]),
        ("sort", &[Key::ch('j')]),
        ("redo", &[Key::ctrl('c')]),
        ("save", &[Key::ch('s')]),
    ]);
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert_eq!(
        problems.iter().map(|p| p.0).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert!(problems[2].1.contains("types text"), "{problems:?}");
    let r = |k| map.resolve(Place::Pane(Focus::Backlog), k);
    assert_eq!(r(Key::ch('L')), Some(Action::Forward));
    assert_eq!(r(Key::shift(K::Right)), None, "replaced, not added");
    assert_eq!(r(Key::ch('j')), Some(Action::Down));
    assert_eq!(r(Key::ch('s')), Some(Action::Sort), "refused: default kept");
    assert_eq!(r(Key::ctrl('r')), Some(Action::Redo));
    // The detail screen follows the keymap too.
    assert_eq!(
        map.resolve(Place::Detail, Key::ch('L')),
        Some(Action::Forward)
    );
    // A refused form key keeps its default.
    assert_eq!(
        map.resolve(Place::Form { text_field: true }, Key::ctrl('s')),
        Some(Action::Save)
    );
}

#[test]
fn footers_come_from_the_table() {
    let (map, problems) = Keymap::with_overrides(&[
        ("down", &[Key::ch('n')]),
        ("note", &[Key::ch('N')]),
        ("yes", &[Key::ch('o')]),
    ]);
    assert!(problems.is_empty(), "{problems:?}");
    let footer = |place| {
        map.footer(place, true)
            .into_iter()
            .map(|(k, l)| format!("{k} {l}"))
            .collect::<Vec<_>>()
    };
    assert_eq!(footer(Place::Pane(Focus::Backlog))[0], "n/k move");
    assert!(footer(Place::Detail).contains(&"N note".to_string()));
    assert_eq!(footer(Place::Confirm), vec!["o yes", "n/Esc no"]);
    let read_only = map.footer(Place::Detail, false);
    assert!(read_only.iter().all(|(_, l)| *l != "note"), "{read_only:?}");
}
