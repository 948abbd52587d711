//! The real view drawn into ratatui's TestBackend.

mod common;

use common::{Fixture, press, render};
use improve::app::keymap::defaults;

#[test]
fn no_size_panics_from_1x1_to_250x80() {
    let fx = Fixture::new();
    fx.add(&["Cut P1 incident MTTR", "改善 wide title 🚀", "x"]);
    let mut app = fx.app();
    let sizes = [
        (1, 1),
        (2, 1),
        (10, 3),
        (20, 5),
        (59, 15),
        (60, 16),
        (61, 17),
        (80, 24),
        (120, 40),
        (250, 80),
    ];
    for mode_keys in ["", "?", ">", "<"] {
        press(&mut app, "<Esc>");
        press(&mut app, mode_keys);
        for (w, h) in sizes {
            render(&app, w, h);
        }
    }
}

#[test]
fn below_the_minimum_the_screen_says_so() {
    let fx = Fixture::new();
    fx.add(&["x"]);
    let app = fx.app();
    let screen = render(&app, 50, 12);
    assert!(screen.contains("Terminal too small: 50x12"), "{screen}");
    assert!(!render(&app, 80, 24).contains("too small"));
}

#[test]
fn an_empty_register_shows_the_welcome_screen_and_d_loads_the_sample() {
    let fx = Fixture::new();
    let mut app = fx.app();
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Welcome to improve"), "{screen}");
    assert!(screen.contains("load the sample register"));
    assert!(!screen.contains("Backlog"), "no blank panes");
    press(&mut app, "D");
    assert!(
        app.rows().len() >= 20,
        "sample loaded: {}",
        app.rows().len()
    );
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Backlog"), "{screen}");
}

#[test]
fn the_help_overlay_lists_every_binding() {
    let fx = Fixture::new();
    fx.add(&["x"]);
    let mut app = fx.app();
    press(&mut app, "?");
    let screen = render(&app, 120, 200);
    for b in defaults() {
        assert!(
            screen.contains(b.help),
            "help is missing {:?}\n{screen}",
            b.help
        );
    }
}

#[test]
fn the_footer_shows_the_keys_of_the_focused_pane() {
    let fx = Fixture::new();
    fx.add(&["x"]);
    let mut app = fx.app();
    let backlog = render(&app, 100, 24);
    let footer = backlog.lines().last().unwrap().to_string();
    assert!(
        footer.contains("> forward") && !footer.contains("check"),
        "{footer}"
    );
    press(&mut app, "<Tab>");
    let screen = render(&app, 100, 24);
    let footer = screen.lines().last().unwrap();
    assert!(footer.contains("Space check"), "{footer}");
}

#[test]
fn hostile_titles_never_reach_the_screen_as_escapes() {
    let fx = Fixture::new();
    fx.add(&[
        "\x1b[2J\x1b]0;pwned\x07evil\u{202e}txt",
        &"long ".repeat(20_000),
    ]);
    let app = fx.app();
    let screen = render(&app, 80, 24);
    assert!(!screen.contains('\x1b') && !screen.contains('\x07') && !screen.contains('\u{202e}'));
    assert!(screen.contains("␛[2J"), "{screen}");
    for line in screen.lines() {
        assert_eq!(
            unicode_width::UnicodeWidthStr::width(line),
            80,
            "layout stays aligned: {line}"
        );
    }
}

#[test]
fn the_checklist_pane_names_the_initiative_its_step_question_and_a_status_other_than_active() {
    let fx = Fixture::new();
    let ids = fx.add(&["Cut P1 incident MTTR"]);
    let mut app = fx.app();
    let title_row = |screen: &str| screen.lines().nth(1).unwrap().to_string();
    let screen = render(&app, 80, 24);
    let title = title_row(&screen);
    assert!(
        title.contains(&format!("Checklist #{} ", ids[0])),
        "{title}"
    );
    assert!(!title.contains("on hold"), "{title}");
    // At 80x24 the question does not fit beside the step: it wraps whole
    // onto the next line rather than being cut.
    let pane: Vec<String> = screen
        .lines()
        .map(|l| l.chars().skip(47).collect())
        .collect();
    assert!(
        pane[2].starts_with("Step 1 of 7 · What is the "),
        "{screen}"
    );
    assert!(pane[3].starts_with("vision? "), "{screen}");
    press(&mut app, "hWaiting for the vendor<Enter>");
    let title = title_row(&render(&app, 80, 24));
    assert!(
        title.contains(&format!("Checklist #{} on hold", ids[0])),
        "{title}"
    );
}

#[test]
fn the_filter_bar_counts_matches_in_words() {
    let fx = Fixture::new();
    fx.add(&["Patch servers", "Patch laptops", "Review access"]);
    let mut app = fx.app();
    let footer = |app: &improve::app::App| render(app, 100, 24).lines().last().unwrap().to_string();
    press(&mut app, "/patch");
    assert!(footer(&app).contains("2 matches"), "{}", footer(&app));
    press(&mut app, " servers");
    assert!(footer(&app).contains("1 match "), "{}", footer(&app));
    press(&mut app, "x");
    assert!(footer(&app).contains("0 matches"), "{}", footer(&app));
}
