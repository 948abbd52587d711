//! The mouse through the real update loop: synthetic crossterm events,
//! placed on the screen by finding what the real view drew there.

mod common;

use std::time::Duration;

use common::pty::{FRAME_END, Session, dashboard};
use common::{Fixture, fixed_now, render};
use improve::app::{Action, App, Focus};
use improve::domain::Model;
use improve::domain::time::Clock;
use improve::sample::load_sample;
use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

const W: u16 = 120;
const H: u16 = 40;

fn sample_app() -> (Fixture, App) {
    let fx = Fixture::new();
    let mut store = fx.store();
    load_sample(&mut store, &Model::itil4(), fixed_now()).unwrap();
    let mut app = App::new(store, Model::itil4(), Clock::Fixed(fixed_now())).unwrap();
    app.update(Action::Resize {
        backlog_rows: improve::ui::backlog_rows(Rect::new(0, 0, W, H)),
    });
    (fx, app)
}

/// Where `text` is drawn on the screen (column, row), searched from
/// column `from` on.
fn find(app: &App, text: &str, from: usize) -> (u16, u16) {
    let screen = render(app, W, H);
    for (y, line) in screen.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let hay: String = chars.iter().skip(from).collect();
        if let Some(byte) = hay.find(text) {
            let x = from + hay[..byte].chars().count();
            return (x as u16, y as u16);
        }
    }
    panic!("{text:?} is not on screen:\n{screen}");
}

fn event(kind: MouseEventKind, (column, row): (u16, u16)) -> MouseEvent {
    MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }
}

/// The event through the one mapping, then the update loop.
fn send(app: &mut App, ev: MouseEvent) -> bool {
    match improve::tui::mouse_action(app, Rect::new(0, 0, W, H), ev) {
        Some(action) => {
            app.update(action);
            true
        }
        None => false,
    }
}

fn click(app: &mut App, at: (u16, u16)) -> bool {
    send(app, event(MouseEventKind::Down(MouseButton::Left), at))
}

#[test]
fn a_click_selects_the_backlog_row_under_it() {
    let (_fx, mut app) = sample_app();
    let at = find(&app, "Reduce change failure rate", 0);
    assert!(click(&mut app, at));
    assert_eq!(app.focus(), Focus::Backlog);
    assert_eq!(
        app.selected_row().unwrap().title,
        "Reduce change failure rate"
    );
    // A click below the last row only focuses.
    let (x, _) = at;
    assert!(click(&mut app, (x, H - 3)));
    assert_eq!(
        app.selected_row().unwrap().title,
        "Reduce change failure rate"
    );
}

#[test]
fn a_click_focuses_the_checklist_and_selects_the_item_under_it() {
    let (_fx, mut app) = sample_app();
    let item = app.detail().unwrap().checklist[3].text.clone();
    let words: String = item.chars().take(20).collect();
    let at = find(&app, &words, 60);
    assert!(click(&mut app, at));
    assert_eq!(app.focus(), Focus::Checklist);
    assert_eq!(app.checklist_selected(), 3);
    // The second line of a wrapped item is that item too.
    let first = app.detail().unwrap().checklist[0].text.clone();
    let (x, y) = find(&app, &first.chars().take(20).collect::<String>(), 60);
    assert!(click(&mut app, (x, y + 1)), "the wrapped line");
    assert_eq!(app.checklist_selected(), 0, "{first}");
    let at = find(&app, "Done/week", 60);
    assert!(click(&mut app, at));
    assert_eq!(app.focus(), Focus::Metrics);
    assert_eq!(app.kpi_selected(), 0);
    // The second KPI's values line selects it.
    let (x, y) = find(&app, "P1s with a commander", 60);
    assert!(click(&mut app, (x, y + 1)));
    assert_eq!(app.kpi_selected(), 1);
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let (_fx, mut app) = sample_app();
    let backlog = find(&app, "Title", 0);
    assert!(send(&mut app, event(MouseEventKind::ScrollDown, backlog)));
    assert_eq!(app.selected_index(), 3, "three rows a notch");
    assert!(send(&mut app, event(MouseEventKind::ScrollUp, backlog)));
    assert_eq!(app.selected_index(), 0);
    let checklist = find(&app, "Step 6 of 7", 60);
    assert!(send(&mut app, event(MouseEventKind::ScrollDown, checklist)));
    assert_eq!(app.focus(), Focus::Checklist);
    assert_eq!(app.checklist_selected(), 1);
    assert_eq!(app.selected_index(), 0, "the backlog stayed");
    let metrics = find(&app, "Done/week", 60);
    assert!(send(&mut app, event(MouseEventKind::ScrollDown, metrics)));
    assert_eq!(app.focus(), Focus::Metrics);
    assert_eq!(app.kpi_selected(), 1);
}

#[test]
fn a_click_on_a_header_step_filters_to_it_and_again_clears() {
    let (_fx, mut app) = sample_app();
    let all = app.visible_len();
    let plan = find(&app, "Plan 2", 0);
    assert_eq!(plan.1, 0, "in the header");
    assert!(click(&mut app, plan));
    assert_eq!(app.filter_query(), "step:4");
    let shown = app.visible_len();
    assert!((2..all).contains(&shown), "{shown}");
    for i in 0..shown {
        assert_eq!(app.visible(i).unwrap().step.number(), 4);
    }
    assert!(render(&app, W, H).contains("/step:4"));
    // The header now shows the selected (Plan) initiative's steps.
    let plan = find(&app, "Plan 2", 0);
    assert!(click(&mut app, plan));
    assert_eq!(app.filter_query(), "");
    assert_eq!(app.visible_len(), all);
    // The brand is no step.
    assert!(!click(&mut app, (1, 0)));
}

#[test]
fn shift_is_the_terminal_s_selection_and_dialogs_take_no_clicks() {
    let (_fx, mut app) = sample_app();
    let at = find(&app, "Reduce change failure rate", 0);
    let mut shifted = event(MouseEventKind::Down(MouseButton::Left), at);
    shifted.modifiers = KeyModifiers::SHIFT;
    assert!(!send(&mut app, shifted));
    assert_eq!(app.selected_index(), 0);
    common::press(&mut app, "d");
    assert!(!click(&mut app, at), "the delete question waits for y or n");
    common::press(&mut app, "n?");
    assert!(
        send(&mut app, event(MouseEventKind::ScrollDown, at)),
        "help scrolls"
    );
}

#[test]
fn the_dashboard_asks_for_clicks_and_wheel_only_and_mouse_false_asks_nothing() {
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("r.db");
    let off = dir.path().join("off.toml");
    std::fs::write(&off, "mouse = false\n").unwrap();
    for (config, on) in [(None, true), (Some(&off), false)] {
        let mut cmd = dashboard(&db);
        match config {
            Some(path) => cmd.env("IMPROVE_CONFIG", path),
            None => cmd.env("IMPROVE_CONFIG", "/dev/null"),
        }
        let mut s = Session::spawn(cmd, 80, 24);
        s.wait_for(FRAME_END);
        s.send(b"q");
        s.wait_exit(Duration::from_secs(10)).expect("quits");
        let out = s.output();
        assert_eq!(out.contains("\x1b[?1000h\x1b[?1006h"), on, "{config:?}");
        assert_eq!(out.contains("\x1b[?1006l\x1b[?1000l"), on, "given back");
        assert!(!out.contains("\x1b[?1003h"), "no motion tracking");
    }
}
