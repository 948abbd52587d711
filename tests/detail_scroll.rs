//! The detail page scrolls as far as it is long, learned from the one
//! layout each frame makes of it: G and End land on the last line, and k
//! after them moves at once (no dead presses past the end).

mod common;

use common::{Fixture, press, screen_text};
use improve::app::{App, Screen};
use improve::ui::{Drawn, Theme, draw_frame};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Draws a frame as the event loop does, then tells the app what the frame
/// learned, as the event loop does.
fn frame(app: &mut App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut drawn = Drawn::default();
    terminal
        .draw(|f| drawn = draw_frame(f, app, &Theme::color()))
        .unwrap();
    if let Some(action) = drawn.feedback() {
        app.update(action);
    }
    screen_text(terminal.backend())
}

fn scroll(app: &App) -> u16 {
    match app.screen() {
        Screen::Detail { scroll, .. } => *scroll,
        other => panic!("not on the detail screen: {other:?}"),
    }
}

/// "21–40 of 52" in the page's bottom border: the first and last line shown
/// and the page's length.
fn position(screen: &str) -> (usize, usize, usize) {
    let line = screen
        .lines()
        .rev()
        .find(|l| l.contains(" of "))
        .unwrap_or_else(|| panic!("no position shown:\n{screen}"));
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    let n = nums.len();
    (nums[n - 3], nums[n - 2], nums[n - 1])
}

fn detail_app(fx: &Fixture) -> App {
    fx.add(&["Cut P1 incident MTTR"]);
    let mut app = fx.app();
    press(&mut app, "<Enter>");
    app
}

#[test]
fn g_lands_on_the_last_line_and_k_moves_up_at_once() {
    let fx = Fixture::new();
    let mut app = detail_app(&fx);
    let top = frame(&mut app, 80, 24);
    let (first, _, total) = position(&top);
    assert_eq!(first, 1, "{top}");
    press(&mut app, "G");
    let bottom = frame(&mut app, 80, 24);
    let (first, last, total_at_end) = position(&bottom);
    assert_eq!((last, total_at_end), (total, total), "{bottom}");
    let max = scroll(&app);
    assert_eq!(usize::from(max) + 1, first);
    assert!(max > 0, "the page must be longer than the screen:\n{top}");

    // One k after G shows one line less far down at once.
    press(&mut app, "k");
    assert_eq!(scroll(&app), max - 1);
    let up = frame(&mut app, 80, 24);
    assert_ne!(up, bottom);
    assert_eq!(position(&up).0, first - 1, "{up}");

    // j past the end stays at the end; End is G.
    press(&mut app, "jjjj");
    assert_eq!(scroll(&app), max);
    assert_eq!(frame(&mut app, 80, 24), bottom);
    press(&mut app, "g<End>");
    assert_eq!(scroll(&app), max);
    assert_eq!(frame(&mut app, 80, 24), bottom);
}

#[test]
fn a_resize_moves_the_end_and_k_still_moves_at_once() {
    let fx = Fixture::new();
    let mut app = detail_app(&fx);
    frame(&mut app, 80, 24);
    press(&mut app, "G");
    frame(&mut app, 80, 24);
    let short_max = scroll(&app);
    // Taller: the end comes nearer; the page shows its end and says so.
    let tall = frame(&mut app, 80, 30);
    let (_, last, total) = position(&tall);
    assert_eq!(last, total, "{tall}");
    let tall_max = scroll(&app);
    assert!(tall_max < short_max);
    press(&mut app, "k");
    assert_eq!(scroll(&app), tall_max - 1);
    // Back to the first size: G goes as far as that size allows.
    frame(&mut app, 80, 24);
    press(&mut app, "G");
    assert_eq!(scroll(&app), short_max);
}
