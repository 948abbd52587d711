//! The app driven by key events on a real register, asserting on state and
//! on what landed in the database.

mod common;

use common::{Fixture, press, render};
use improve::app::{Focus, Mode};
use improve::domain::moves::{MovePlan, plan_jump};
use improve::domain::{Model, Status};

#[test]
fn j_k_g_and_big_g_move_the_selection_and_the_checklist_follows() {
    let fx = Fixture::new();
    let ids = fx.add(&["alpha", "beta", "gamma"]);
    let mut app = fx.app();
    assert_eq!(app.selected_row().unwrap().id, ids[0]);
    press(&mut app, "j");
    assert_eq!(app.selected_row().unwrap().id, ids[1]);
    assert_eq!(app.detail().unwrap().id, ids[1]);
    press(&mut app, "G");
    assert_eq!(app.selected_index(), 2);
    press(&mut app, "j");
    assert_eq!(app.selected_index(), 2, "stays on the last row");
    press(&mut app, "k<Home>");
    assert_eq!(app.selected_index(), 0);
    press(&mut app, "<End>g<Down>");
    assert_eq!(app.selected_index(), 1);
}

#[test]
fn forward_with_open_items_asks_and_no_leaves_it_in_place() {
    let fx = Fixture::new();
    let id = fx.add(&["Cut P1 MTTR"])[0];
    let mut app = fx.app();
    press(&mut app, ">");
    assert!(matches!(app.mode(), Mode::Confirm(_)));
    assert!(render(&app, 80, 24).contains("7 checklist items are still open"));
    press(&mut app, "n");
    assert_eq!(app.mode(), &Mode::Normal);
    assert_eq!(
        fx.query::<i64>(&format!("SELECT step FROM initiatives WHERE id = {id}")),
        1
    );

    press(&mut app, "<S-Right>y");
    assert_eq!(
        fx.query::<i64>(&format!("SELECT step FROM initiatives WHERE id = {id}")),
        2
    );
    assert_eq!(
        fx.query::<String>(&format!(
            "SELECT from_step || '>' || to_step FROM moves WHERE initiative_id = {id} ORDER BY id DESC LIMIT 1"
        )),
        "1>2"
    );
    assert_eq!(
        app.selected_row().unwrap().step.number(),
        2,
        "screen updated at once"
    );
    assert_eq!(app.metrics().per_model[0].active_per_step[1], 1);
    assert!(render(&app, 80, 24).contains("Step 2 of 7"));
}

#[test]
fn forward_with_every_item_ticked_moves_without_asking() {
    let fx = Fixture::new();
    let id = fx.add(&["Automate cert renewal"])[0];
    let mut app = fx.app();
    press(&mut app, "<Tab>");
    assert_eq!(app.focus(), Focus::Checklist);
    let items = app.detail().unwrap().checklist.len();
    for _ in 0..items {
        press(&mut app, " j");
    }
    assert_eq!(
        fx.query::<i64>(&format!(
            "SELECT count(*) FROM checklist_items WHERE initiative_id = {id} AND step = 1 AND done_at IS NOT NULL"
        )),
        items as i64
    );
    assert_eq!(fx.store().checklist_count(id).unwrap().done, items as u32);
    press(&mut app, ">");
    assert_eq!(
        app.mode(),
        &Mode::Normal,
        "no question when nothing is open"
    );
    assert_eq!(
        fx.query::<i64>(&format!("SELECT step FROM initiatives WHERE id = {id}")),
        2
    );
}

#[test]
fn toggling_records_when_and_toggling_back_clears_it() {
    let fx = Fixture::new();
    let id = fx.add(&["x"])[0];
    let mut app = fx.app();
    press(&mut app, "<Tab>jx");
    let done_at = format!(
        "SELECT done_at FROM checklist_items WHERE initiative_id = {id} AND step = 1 ORDER BY position LIMIT 1 OFFSET 1"
    );
    assert_eq!(
        fx.query::<Option<i64>>(&done_at),
        Some(common::fixed_now().timestamp())
    );
    press(&mut app, "x");
    assert_eq!(fx.query::<Option<i64>>(&done_at), None);
    assert!(render(&app, 80, 24).contains("0/7"));
}

#[test]
fn back_asks_for_a_reason_and_logs_it() {
    let fx = Fixture::new();
    let id = fx.add(&["Reduce change failure rate"])[0];
    let mut store = fx.store();
    let m = Model::itil4();
    store
        .apply_move(
            id,
            plan_jump(m.first(), Status::Active, m.step(6).unwrap()).unwrap(),
            None,
            common::fixed_now(),
        )
        .unwrap();
    let mut app = fx.app();
    press(&mut app, "<");
    assert!(matches!(app.mode(), Mode::Prompt(_)));
    press(&mut app, "targets missed oops<C-w><BS> by 3 points<Enter>");
    assert_eq!(app.mode(), &Mode::Normal);
    assert_eq!(
        fx.query::<i64>(&format!("SELECT step FROM initiatives WHERE id = {id}")),
        5
    );
    assert_eq!(
        fx.query::<String>(&format!(
            "SELECT reason FROM moves WHERE initiative_id = {id} ORDER BY id DESC LIMIT 1"
        )),
        "targets missed by 3 points"
    );
    assert_eq!(
        fx.query::<i64>(&format!("SELECT returns FROM initiatives WHERE id = {id}")),
        1
    );
    assert_eq!(app.metrics().returns, 1);

    // Enter with nothing typed: moved, no reason.
    press(&mut app, "<S-Left><Enter>");
    assert_eq!(
        fx.query::<i64>(&format!("SELECT step FROM initiatives WHERE id = {id}")),
        4
    );
    assert_eq!(
        fx.query::<Option<String>>(&format!(
            "SELECT reason FROM moves WHERE initiative_id = {id} ORDER BY id DESC LIMIT 1"
        )),
        None
    );

    // Esc cancels: nothing moves.
    press(&mut app, "<abc<Esc>");
    assert_eq!(
        fx.query::<i64>(&format!("SELECT step FROM initiatives WHERE id = {id}")),
        4
    );
}

#[test]
fn back_at_the_first_step_says_so() {
    let fx = Fixture::new();
    fx.add(&["x"]);
    let mut app = fx.app();
    press(&mut app, "<");
    assert_eq!(app.mode(), &Mode::Normal);
    assert!(
        app.flash()
            .unwrap()
            .text
            .contains("already at the first step")
    );
}

#[test]
fn finishing_the_last_step_marks_the_initiative_done() {
    let fx = Fixture::new();
    let id = fx.add(&["Weekly retro habit"])[0];
    let m = Model::itil4();
    fx.store()
        .apply_move(
            id,
            plan_jump(m.first(), Status::Active, m.last()).unwrap(),
            None,
            common::fixed_now(),
        )
        .unwrap();
    let mut app = fx.app();
    press(&mut app, ">");
    let Mode::Confirm(improve::app::Question::ForwardWithOpenItems { plan, .. }) =
        app.mode().clone()
    else {
        panic!("expected a question, got {:?}", app.mode());
    };
    assert!(matches!(plan, MovePlan::Complete { .. }));
    // Yes, then the finish form: the outcome (successful by default) and
    // what was realised; Enter on its last field saves.
    press(&mut app, "<Enter>");
    assert!(matches!(app.mode(), Mode::Form(_)), "{:?}", app.mode());
    press(&mut app, "<Tab><Enter>");
    assert_eq!(
        fx.query::<String>(&format!("SELECT status FROM initiatives WHERE id = {id}")),
        "done"
    );
    assert!(
        fx.query::<Option<i64>>(&format!("SELECT done_at FROM initiatives WHERE id = {id}"))
            .is_some()
    );
    assert_eq!(app.selected_row().unwrap().status, Status::Done);
    assert_eq!(app.metrics().done_in_window(), 1);
    // Finishing offers a follow-up; no declines it.
    assert!(matches!(
        app.mode(),
        Mode::Confirm(improve::app::Question::FollowUp { .. })
    ));
    press(&mut app, "n");
    // A done initiative no longer moves.
    press(&mut app, ">");
    assert!(
        app.flash()
            .unwrap()
            .text
            .contains("only active initiatives move")
    );
}

#[test]
fn help_opens_and_closes_and_q_quits() {
    let fx = Fixture::new();
    fx.add(&["x"]);
    let mut app = fx.app();
    press(&mut app, "?");
    assert!(matches!(app.mode(), Mode::Help { .. }));
    press(&mut app, "<Esc>");
    assert_eq!(app.mode(), &Mode::Normal);
    assert!(!app.should_quit());
    press(&mut app, "q");
    assert!(app.should_quit());
}

#[test]
fn tab_and_shift_tab_cycle_the_panes() {
    let fx = Fixture::new();
    fx.add(&["x"]);
    let mut app = fx.app();
    press(&mut app, "<Tab>");
    assert_eq!(app.focus(), Focus::Checklist);
    press(&mut app, "<Tab>");
    assert_eq!(app.focus(), Focus::Metrics);
    press(&mut app, "<Tab>");
    assert_eq!(app.focus(), Focus::Backlog);
    press(&mut app, "<BTab>");
    assert_eq!(app.focus(), Focus::Metrics);
}

#[test]
fn navigation_never_reloads_the_whole_register() {
    let fx = Fixture::new();
    let titles: Vec<String> = (0..300).map(|i| format!("initiative {i}")).collect();
    let refs: Vec<&str> = titles.iter().map(String::as_str).collect();
    fx.add(&refs);
    let mut app = fx.app();
    let before = app.reloads();
    press(&mut app, "jjjjk<PgDn><PgDn><PgUp>G<Home><Tab>jj<Tab>j<Tab>");
    assert_eq!(app.reloads(), before);
    assert_eq!(app.selected_index(), 0);
    press(&mut app, "<PgDn>");
    assert_eq!(app.selected_index(), 18, "a page is what the screen shows");
    assert_eq!(app.offset(), 1);
}

#[test]
fn a_change_by_another_process_shows_up_and_keeps_the_selection() {
    let fx = Fixture::new();
    let ids = fx.add(&["a", "b"]);
    let mut app = fx.app();
    press(&mut app, "j");
    assert!(!app.poll_external(), "nothing changed yet");
    fx.add(&["c"]);
    assert!(app.poll_external());
    assert_eq!(app.rows().len(), 3);
    assert_eq!(app.selected_row().unwrap().id, ids[1]);
}

#[test]
fn a_move_on_stale_data_is_refused_and_reloaded() {
    let fx = Fixture::new();
    let id = fx.add(&["x"])[0];
    // Someone else moves it forward first.
    let m = Model::itil4();
    let mut other = fx.store();
    other
        .apply_move(
            id,
            plan_jump(m.first(), Status::Active, m.step(3).unwrap()).unwrap(),
            None,
            common::fixed_now(),
        )
        .unwrap();
    let mut app2 = fx.app();
    press(&mut app2, "<");
    assert!(matches!(app2.mode(), Mode::Prompt(_)));
    // A third party moves it again before this dashboard answers.
    other
        .apply_move(
            id,
            plan_jump(m.step(3).unwrap(), Status::Active, m.step(4).unwrap()).unwrap(),
            None,
            common::fixed_now(),
        )
        .unwrap();
    press(&mut app2, "why<Enter>");
    assert!(app2.flash().unwrap().error, "{:?}", app2.flash());
    assert!(app2.flash().unwrap().text.contains("changed elsewhere"));
    assert_eq!(
        fx.query::<i64>(&format!("SELECT step FROM initiatives WHERE id = {id}")),
        4
    );
    assert_eq!(app2.selected_row().unwrap().step.number(), 4, "reloaded");
}

#[test]
fn a_dashboard_left_open_over_midnight_moves_today_on() {
    use chrono::{TimeZone, Utc};
    use improve::domain::time::Clock;
    let fx = Fixture::new();
    let id = fx.add(&["Due today"])[0];
    fx.store()
        .conn_for_tests()
        .execute(
            &format!("UPDATE initiatives SET due = '2026-11-27' WHERE id = {id}"),
            [],
        )
        .unwrap();
    let mut app = fx.app();
    app.set_clock(Clock::Fixed(
        Utc.with_ymd_and_hms(2026, 11, 27, 23, 59, 59).unwrap(),
    ));
    app.update(improve::app::Action::ClockTick);
    press(&mut app, "/is:overdue<Enter>");
    assert_eq!((app.metrics().overdue, app.visible_len()), (0, 0));
    app.set_clock(Clock::Fixed(
        Utc.with_ymd_and_hms(2026, 11, 28, 0, 0, 1).unwrap(),
    ));
    app.update(improve::app::Action::ClockTick);
    assert_eq!(app.today().to_string(), "2026-11-28");
    assert_eq!((app.metrics().overdue, app.visible_len()), (1, 1));
    assert!(
        render(&app, 80, 24).contains(" 1 ! Due today"),
        "{}",
        render(&app, 80, 24)
    );
}
