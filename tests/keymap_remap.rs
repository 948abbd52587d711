//! One keymap for every place: every remappable action, moved to another
//! key, works by its new key and no longer by its old ones, in every place
//! it applies to (panes, detail, help, questions, prompts, the filter bar,
//! forms), and the footer and the help show the new key.

mod common;

use common::{Fixture, press, render};
use improve::app::keymap::{Key, KeyCode, Keymap, Place, action_names};
use improve::app::{App, Focus, Mode};

/// An app at `place`, driven there with the default keys as a user would.
fn app_at(place: Place) -> Option<(Fixture, App)> {
    let fx = Fixture::new();
    if place != Place::Welcome {
        fx.add(&["Cut P1 incident MTTR", "Automate patching"]);
    }
    let mut app = fx.app();
    let keys = match place {
        Place::Welcome | Place::Pane(Focus::Backlog) => "",
        Place::Pane(Focus::Checklist) => "<Tab>",
        Place::Pane(Focus::Metrics) => "<Tab><Tab>",
        Place::Detail => "<Enter>",
        Place::Help => "?",
        Place::Confirm => "d",
        Place::Prompt => "h",
        Place::Filter => "/",
        Place::Form { .. } => "a",
        // The terminal layer's, while a write waits for a lock.
        Place::Waiting => return None,
    };
    press(&mut app, keys);
    if place == (Place::Form { text_field: false }) {
        for _ in 0..20 {
            if app.place() == place {
                break;
            }
            press(&mut app, "<Tab>");
        }
    }
    (app.place() == place).then_some((fx, app))
}

/// A key no default uses anywhere.
const NEW: Key = Key::plain(KeyCode::F(5));

/// The footer line of the screen.
fn footer(app: &App) -> String {
    render(app, 250, 40)
        .lines()
        .last()
        .unwrap_or("")
        .to_string()
}

#[test]
fn every_action_remapped_works_by_its_new_key_in_every_place_and_shows_it() {
    let defaults = Keymap::default();
    // Asking what a key means and drawing change nothing: one app per place.
    let mut apps: Vec<(Place, Fixture, App)> = Place::ALL
        .into_iter()
        .filter(|&p| p != Place::Waiting)
        .map(|p| {
            let (fx, app) = app_at(p).unwrap_or_else(|| panic!("could not reach {p:?}"));
            (p, fx, app)
        })
        .collect();
    let mut checked = 0;
    for name in action_names() {
        let (map, problems) = Keymap::with_overrides(&[(name, &[NEW])]);
        assert!(problems.is_empty(), "{name}: {problems:?}");
        for row in defaults.bindings().iter().filter(|b| b.name == name) {
            for place in Place::ALL.into_iter().filter(|&p| row.scope.applies(p)) {
                if place == Place::Waiting {
                    // No app to drive there: the terminal layer resolves
                    // with the same keymap (tests/lock_wait.rs runs it).
                    assert_eq!(map.resolve(place, NEW), Some(row.action.clone()));
                    for &old in &row.keys {
                        assert_ne!(map.resolve(place, old), Some(row.action.clone()));
                    }
                    checked += 1;
                    continue;
                }
                let app = &mut apps.iter_mut().find(|a| a.0 == place).unwrap().2;
                app.set_keymap(map.clone());
                let at = format!("{name} at {place:?}");
                assert_eq!(app.action_for(NEW), Some(row.action.clone()), "{at}");
                for &old in &row.keys {
                    // Ctrl-c always quits.
                    if old == Key::ctrl('c') {
                        continue;
                    }
                    assert_ne!(
                        app.action_for(old),
                        Some(row.action.clone()),
                        "{at}: the old key {} still works",
                        old.label()
                    );
                }
                // The footer: an entry of its own, or the move pair.
                let line = footer(app);
                if place == Place::Filter {
                    // The filter bar says how to keep and clear it.
                    let said = match name {
                        "submit" => "F5 keep",
                        "cancel" => "F5 clear",
                        _ => "",
                    };
                    assert!(line.contains(said), "{at}: {line}");
                } else if let Some(label) = row.footer {
                    assert!(line.contains(&format!("F5 {label}")), "{at}: {line}");
                } else if matches!(name, "down" | "up")
                    && matches!(place, Place::Pane(_) | Place::Detail | Place::Help)
                {
                    assert!(line.contains("F5"), "{at}: {line}");
                }
                if let Some(label) = row.footer.filter(|_| place != Place::Filter) {
                    let old = row.keys[0].label();
                    assert!(
                        !line.contains(&format!("{old} {label}")),
                        "{at}: the footer still says {old}: {line}"
                    );
                }
                checked += 1;
            }
            // The help lists the row with its new key.
            let app = &mut apps.iter_mut().find(|a| a.0 == Place::Help).unwrap().2;
            app.set_keymap(map.clone());
            let screen = render(app, 200, 250);
            let line = screen
                .lines()
                .find(|l| l.contains(row.help))
                .unwrap_or_else(|| panic!("{name}: help lacks {:?}\n{screen}", row.help));
            assert!(line.contains("F5"), "{name}: {line}");
        }
    }
    assert!(checked > 80, "only {checked} (action, place) pairs checked");
}

#[test]
fn a_remapped_edit_key_opens_the_form_from_the_detail_screen() {
    // The case the issue found: `edit = "E"`, and the detail screen's
    // footer still said `e edit`; `e` did nothing there.
    let (map, problems) = Keymap::with_overrides(&[("edit", &[Key::ch('E')])]);
    assert!(problems.is_empty(), "{problems:?}");
    let (_fx, mut app) = app_at(Place::Detail).unwrap();
    app.set_keymap(map);
    let line = footer(&app);
    assert!(
        line.contains("E edit") && !line.contains("e edit"),
        "{line}"
    );
    press(&mut app, "e");
    assert_eq!(app.place(), Place::Detail, "e does nothing now");
    press(&mut app, "E");
    assert!(matches!(app.mode(), Mode::Form(_)), "{:?}", app.mode());
}

#[test]
fn a_remapped_down_key_moves_and_the_footer_says_so() {
    // `down = "n"` (with the note moved to N): the footer said `j/k move`.
    let (map, problems) =
        Keymap::with_overrides(&[("down", &[Key::ch('n')]), ("note", &[Key::ch('N')])]);
    assert!(problems.is_empty(), "{problems:?}");
    let (_fx, mut app) = app_at(Place::Pane(Focus::Backlog)).unwrap();
    app.set_keymap(map);
    assert!(footer(&app).contains("n/k move"), "{}", footer(&app));
    press(&mut app, "j");
    assert_eq!(app.selected_index(), 0, "j no longer moves");
    press(&mut app, "n");
    assert_eq!(app.selected_index(), 1);
    // Help scrolls with it too.
    press(&mut app, "?n");
    assert_eq!(app.mode(), &Mode::Help { scroll: 1 });
}

#[test]
fn footers_name_the_place_they_are_for() {
    for (place, title) in [
        (Place::Confirm, " Question "),
        (Place::Prompt, " Prompt "),
        (Place::Form { text_field: true }, " Form "),
        (Place::Help, " Help "),
        (Place::Detail, " Detail "),
    ] {
        let (_fx, app) = app_at(place).unwrap();
        let line = footer(&app);
        assert!(line.starts_with(title), "{place:?}: {line}");
    }
}

#[test]
fn hints_and_messages_name_the_keys_in_effect() {
    let (map, problems) = Keymap::with_overrides(&[
        ("undo", &[Key::ch('U')]),
        ("cursor_left", &[Key::plain(KeyCode::F(2))]),
        ("cursor_right", &[Key::plain(KeyCode::F(3))]),
        ("clear_filter", &[Key::plain(KeyCode::F(4))]),
        ("step_back", &[Key::plain(KeyCode::F(6))]),
        ("step_on", &[Key::plain(KeyCode::F(7))]),
    ]);
    assert!(problems.is_empty(), "{problems:?}");
    // The delete question, and the message after it.
    let (_fx, mut app) = app_at(Place::Confirm).unwrap();
    app.set_keymap(map.clone());
    let screen = render(&app, 100, 30);
    assert!(screen.contains("U undoes this."), "{screen}");
    press(&mut app, "y");
    let line = footer(&app);
    assert!(line.contains("(U undoes)"), "{line}");
    // A form's choice field says which keys change it.
    let (_fx, mut app) = app_at(Place::Form { text_field: false }).unwrap();
    app.set_keymap(map.clone());
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains("F2/F3") && !screen.contains("←/→"),
        "{screen}"
    );
    // The checklist pane, showing an earlier step, says how to browse.
    let (_fx, mut app) = app_at(Place::Pane(Focus::Checklist)).unwrap();
    app.set_keymap(map.clone());
    app.handle_key(Key::plain(KeyCode::F(7)));
    let screen = render(&app, 100, 30);
    assert!(screen.contains("· F6 F7"), "{screen}");
    // A filter that hides every row says how to clear it.
    let (_fx, mut app) = app_at(Place::Filter).unwrap();
    app.set_keymap(map);
    press(&mut app, "zzzz<Enter>");
    let screen = render(&app, 100, 30);
    assert!(screen.contains("F4 clears the filter"), "{screen}");
}

#[test]
fn the_help_lists_the_keys_of_where_it_was_opened_first() {
    let (_fx, mut app) = app_at(Place::Detail).unwrap();
    press(&mut app, "?");
    let screen = render(&app, 100, 40);
    assert!(screen.contains("Detail view"), "{screen}");
    assert!(!screen.contains("Checklist pane"), "{screen}");
    let (_fx, mut app) = app_at(Place::Pane(Focus::Checklist)).unwrap();
    press(&mut app, "?");
    let screen = render(&app, 100, 40);
    assert!(screen.contains("Checklist pane"), "{screen}");
    assert!(!screen.contains("Detail view"), "{screen}");
}
