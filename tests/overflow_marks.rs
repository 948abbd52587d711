//! Nothing hidden without a mark: panes say what is above or below their
//! view, cut text ends in `…`, and every dialog keeps its answer line.

mod common;

use common::{Fixture, fixed_now, press, render};
use improve::app::{Action, App, Focus, Mode};
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

/// The rows of the checklist pane's border (top, bottom) at 80x24.
fn right_border_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .map(|l| l.chars().skip(46).collect::<String>())
        .filter(|l| l.starts_with('┌') || l.starts_with('└'))
        .collect()
}

#[test]
fn the_checklist_pane_marks_items_hidden_above_and_below() {
    let fx = Fixture::new();
    fx.add(&["Cut P1 MTTR"]);
    let mut app = fx.app();
    press(&mut app, "<Tab>");
    for n in 0..6 {
        press(
            &mut app,
            &format!("+extra item number {n} with words enough to wrap it<Enter>"),
        );
    }
    let total = app.detail().unwrap().checklist.len();
    press(&mut app, "g");
    let top = render(&app, 80, 24);
    let borders = right_border_rows(&top);
    assert!(!borders[0].contains('↑'), "{top}");
    assert!(borders[1].contains("more"), "{top}");
    press(&mut app, "G");
    let bottom = render(&app, 80, 24);
    let borders = right_border_rows(&bottom);
    assert!(borders[0].contains("↑"), "{bottom}");
    assert!(!borders[1].contains('↓'), "{bottom}");
    // The focused (last) item is shown whole, wrapped.
    assert!(
        bottom.contains("extra item number 5 with") && bottom.contains("enough to wrap it"),
        "{bottom}"
    );
    assert_eq!(app.checklist_selected(), total - 1);
    insta::assert_snapshot!("checklist_scrolled_80x24", bottom);
}

#[test]
fn the_metrics_pane_shows_every_step_s_count_at_120x40() {
    let (_fx, app) = sample_app(120, 40);
    let screen = render(&app, 120, 40);
    for step in ["Vision 3", "Act 5", "Check 2", "Momentum 1"] {
        assert!(screen.contains(step), "{step}: {screen}");
    }
}

#[test]
fn the_metrics_pane_marks_what_is_below_and_scrolls_to_it() {
    let (_fx, mut app) = sample_app(80, 24);
    let first = render(&app, 80, 24);
    assert!(first.contains("↓ 7 more"), "{first}");
    assert!(!first.contains("Active per step"));
    press(&mut app, "<Tab><Tab><End>");
    assert_eq!(app.focus(), Focus::Metrics);
    let end = render(&app, 80, 24);
    assert!(
        end.contains("Active per step") && end.contains("↑ 7 more"),
        "{end}"
    );
    insta::assert_snapshot!("metrics_scrolled_80x24", end);
}

#[test]
fn the_remove_kpi_dialog_keeps_its_answer_line_at_80x24() {
    let (_fx, mut app) = sample_app(80, 24);
    // The second KPI has the longer name: its question wraps.
    press(&mut app, "<Tab><Tab>j-");
    assert!(matches!(app.mode(), Mode::Confirm(_)));
    let screen = render(&app, 80, 24);
    assert!(screen.contains("y/Enter yes"), "{screen}");
    assert!(screen.contains("measurements?"), "{screen}");
    insta::assert_snapshot!("remove_kpi_80x24", screen);
}

#[test]
fn every_prompt_keeps_its_question_and_input_line_at_80x24() {
    let (_fx, mut app) = sample_app(80, 24);
    // Reopen asks the longest question; the sample's #10 is done.
    press(&mut app, "/status:done<Enter>O");
    assert!(matches!(app.mode(), Mode::Prompt(_)), "{:?}", app.mode());
    press(&mut app, "because");
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("closed)"),
        "the question wraps whole: {screen}"
    );
    assert!(screen.contains(" because"), "{screen}");
}

#[test]
fn a_form_field_that_does_not_fit_ends_in_an_ellipsis() {
    let (_fx, mut app) = sample_app(80, 24);
    press(&mut app, "e");
    let screen = render(&app, 80, 24);
    let line = screen
        .lines()
        .find(|l| l.contains("Description"))
        .unwrap()
        .to_string();
    assert!(
        line.contains("P1 incidents") && line.contains('…'),
        "{line}"
    );
}

#[test]
fn the_detail_view_gives_a_long_field_the_room_its_neighbours_leave() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (_fx, mut app) = sample_app(w, h);
        press(&mut app, "<Enter>");
        let screen = render(&app, w, h);
        assert!(
            screen.contains("Jonas (head of IT operations)"),
            "{w}x{h}:\n{screen}"
        );
    }
    let (_fx, mut app) = sample_app(120, 40);
    press(&mut app, "<Enter>");
    insta::assert_snapshot!("detail_top_120x40", render(&app, 120, 40));
}
