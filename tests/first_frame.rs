//! The dashboard's fast start (`App::start`): the first frame, drawn from
//! the first page of the backlog and SQL figures, is the very frame drawn
//! once the whole register is in, cell for cell, colours included; and
//! everything after behaves as after `App::new`.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{fixed_now, press};
use improve::app::{Action, App, FIRST_PAGE};
use improve::domain::Model;
use improve::domain::time::Clock;
use improve::sample::{generate, load_sample};
use improve::store::Store;
use improve::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// What the event loop does before its first frame: size the page, draw.
fn frame(app: &mut App, width: u16, height: u16) -> Buffer {
    app.update(Action::Resize {
        backlog_rows: ui::backlog_rows(Rect::new(0, 0, width, height)),
    });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| ui::draw(f, app, &Theme::color()))
        .unwrap();
    terminal.backend().buffer().clone()
}

fn start(path: &std::path::Path, now: DateTime<Utc>, stale_days: i64) -> App {
    let store = Store::open(path).unwrap();
    App::start(store, Model::itil4(), Clock::Fixed(now), stale_days).unwrap()
}

/// The fast first frame equals the frame after the full load and the frame
/// of an app that loaded everything first, at several sizes.
fn assert_same_frames(path: &std::path::Path, now: DateTime<Utc>, fast: bool) {
    for (width, height) in [(80, 24), (120, 40), (100, 60), (60, 20)] {
        for stale_days in [30, 7] {
            let mut app = start(path, now, stale_days);
            assert_eq!(app.is_loading(), fast, "{width}x{height}");
            let first = frame(&mut app, width, height);
            let first_metrics = app.metrics().clone();
            app.finish_loading().unwrap();
            assert!(!app.is_loading());
            assert_eq!(app.metrics(), &first_metrics);
            let after = frame(&mut app, width, height);
            assert_eq!(first, after, "{width}x{height}, stale after {stale_days} d");

            let mut full = App::new(
                Store::open(path).unwrap(),
                Model::itil4(),
                Clock::Fixed(now),
            )
            .unwrap();
            full.set_stale_days(stale_days);
            assert_eq!(frame(&mut full, width, height), after, "{width}x{height}");
            assert_eq!(app.rows(), full.rows());
            assert_eq!(app.reloads(), 1, "one full load, as with App::new");
        }
    }
}

fn generated(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
    let path = dir.join("register.db");
    let mut store = Store::open(&path).unwrap();
    generate(&mut store, &Model::itil4(), n, fixed_now()).unwrap();
    path
}

#[test]
fn the_sample_starts_with_its_final_frame() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    let mut store = Store::open(&path).unwrap();
    load_sample(&mut store, &Model::itil4(), fixed_now()).unwrap();
    drop(store);
    // 30 initiatives fit the first page: loaded whole at once.
    assert_same_frames(&path, fixed_now(), false);
}

#[test]
fn an_empty_register_starts_with_the_welcome() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("register.db");
    assert_same_frames(&path, fixed_now(), false);
}

#[test]
fn a_large_register_starts_with_its_final_frame() {
    let dir = tempfile::tempdir().unwrap();
    let path = generated(dir.path(), 3_000);
    assert_same_frames(&path, fixed_now(), true);
    // A day later, and with the clock's fraction of a second.
    assert_same_frames(
        &path,
        fixed_now() + Duration::hours(27) + Duration::milliseconds(730),
        true,
    );
}

#[test]
fn holds_ties_and_other_models_start_with_their_final_frame() {
    let dir = tempfile::tempdir().unwrap();
    let path = generated(dir.path(), 3_000);
    let store = Store::open(&path).unwrap();
    // Many on hold, priority ties, equal waiting times (the oldest in a step
    // is the first in backlog order among equals), overdue open work,
    // another model's initiatives, done ones without a completion time.
    store
        .conn_for_tests()
        .execute_batch(
            "UPDATE initiatives SET status = 'on_hold' WHERE id % 5 = 0 AND status = 'active';
             UPDATE initiatives SET priority = 1 WHERE id % 3 = 0;
             UPDATE initiatives SET step_entered_at =
                    (SELECT min(step_entered_at) FROM initiatives) + id % 2
              WHERE id % 7 = 0;
             UPDATE initiatives SET due = '2026-11-01' WHERE id % 4 = 0 AND status != 'done';
             UPDATE initiatives SET model = 'other' WHERE id % 97 = 0;
             UPDATE initiatives SET done_at = NULL WHERE id % 13 = 0 AND status = 'done';",
        )
        .unwrap();
    drop(store);
    assert_same_frames(&path, fixed_now(), true);
}

#[test]
fn a_screen_taller_than_the_first_page_waits_for_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = generated(dir.path(), 1_000);
    let mut app = start(&path, fixed_now(), 30);
    assert!(app.is_loading());
    assert_eq!(app.rows().len(), FIRST_PAGE);
    app.update(Action::Resize {
        backlog_rows: FIRST_PAGE + 1,
    });
    assert!(!app.is_loading());
    assert_eq!(app.rows().len(), 1_000);
}

#[test]
fn a_key_before_the_full_load_waits_for_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = generated(dir.path(), 1_000);
    let mut full = App::new(
        Store::open(&path).unwrap(),
        Model::itil4(),
        Clock::Fixed(fixed_now()),
    )
    .unwrap();
    let mut app = start(&path, fixed_now(), 30);
    frame(&mut app, 80, 24);
    frame(&mut full, 80, 24);
    press(&mut app, "G");
    press(&mut full, "G");
    assert!(!app.is_loading());
    assert_eq!(app.selected_index(), 999);
    assert_eq!(app.selected_row(), full.selected_row());
    assert_eq!(frame(&mut app, 80, 24), frame(&mut full, 80, 24));
    // A filter works on every row.
    press(&mut app, "/zzzz-no-such-thing");
    assert_eq!(app.visible_len(), 0);
    assert_eq!(app.reloads(), 1);
}

#[test]
fn a_write_by_another_process_meanwhile_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = generated(dir.path(), 1_000);
    let mut app = start(&path, fixed_now(), 30);
    frame(&mut app, 80, 24);
    let first_id = app.selected_row().unwrap().id;
    let other = rusqlite::Connection::open(&path).unwrap();
    other
        .execute(
            "UPDATE initiatives SET title = 'Renamed elsewhere' WHERE id = ?1",
            [first_id],
        )
        .unwrap();
    app.finish_loading().unwrap();
    assert_eq!(app.selected_row().unwrap().title, "Renamed elsewhere");
    assert_eq!(app.rows().len(), 1_000);
    // Nothing more to notice.
    assert!(!app.poll_external());
}
