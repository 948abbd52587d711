//! Whole-screen snapshots of the sample register with a fixed clock.
//! Review changes with `cargo insta review` (or set INSTA_UPDATE=always).

mod common;

use common::{Fixture, fixed_now, press, render};
use improve::app::{Action, App};
use improve::domain::Model;
use improve::domain::time::Clock;
use improve::sample::load_sample;

fn sample_app(width: u16, height: u16) -> (Fixture, App) {
    let fx = Fixture::new();
    let mut store = fx.store();
    load_sample(&mut store, &Model::itil4(), fixed_now()).unwrap();
    let mut app = App::new(store, Model::itil4(), Clock::Fixed(fixed_now())).unwrap();
    let area = ratatui::layout::Rect::new(0, 0, width, height);
    app.update(Action::Resize {
        backlog_rows: improve::ui::backlog_rows(area),
    });
    (fx, app)
}

#[test]
fn dashboard_80x24() {
    let (_fx, app) = sample_app(80, 24);
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn dashboard_120x40() {
    let (_fx, app) = sample_app(120, 40);
    insta::assert_snapshot!(render(&app, 120, 40));
}

#[test]
fn dashboard_checklist_focused_80x24() {
    let (_fx, mut app) = sample_app(80, 24);
    press(&mut app, "jjj<Tab>jj");
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn help_overlay_80x24() {
    let (_fx, mut app) = sample_app(80, 24);
    press(&mut app, "?");
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn back_reason_prompt_80x24() {
    let (_fx, mut app) = sample_app(80, 24);
    press(&mut app, "jj<targets missed");
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn welcome_80x24() {
    let fx = Fixture::new();
    let app = fx.app();
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn add_form_80x24() {
    let (_fx, mut app) = sample_app(80, 24);
    press(
        &mut app,
        "aRotate on-call fairly<Tab>Spread pages evenly<Tab><Right>",
    );
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn form_validation_error_80x24() {
    let (_fx, mut app) = sample_app(80, 24);
    press(&mut app, "e<Tab><Tab><Tab><Tab><Tab><C-u>11<C-s>");
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn detail_view_80x24() {
    let (_fx, mut app) = sample_app(80, 24);
    press(&mut app, "<Enter>");
    insta::assert_snapshot!(render(&app, 80, 24));
}

#[test]
fn detail_view_scrolled_120x40() {
    let (_fx, mut app) = sample_app(120, 40);
    press(&mut app, "<Enter><PgDn>");
    insta::assert_snapshot!(render(&app, 120, 40));
}

#[test]
fn filter_bar_80x24() {
    let (_fx, mut app) = sample_app(80, 24);
    press(&mut app, "/automate is:overdue");
    insta::assert_snapshot!(render(&app, 80, 24));
}
