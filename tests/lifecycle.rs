//! The dashboard's lifecycle keys as a person uses them: cancelling asks
//! why, finishing the last step asks how it closed and what it realised,
//! `O` reopens closed work, and the detail view shows who did what.

mod common;

use common::{Fixture, fixed_now, press, render};
use improve::app::Mode;
use improve::domain::Model;
use improve::domain::moves::plan_jump;

fn to_last_step(fx: &Fixture, id: i64) {
    let mut store = fx.store();
    let model = Model::itil4();
    let plan = plan_jump(
        model.step(1).unwrap(),
        improve::domain::Status::Active,
        model.last(),
    )
    .unwrap();
    store.apply_move(id, plan, None, fixed_now()).unwrap();
}

#[test]
fn cancelling_asks_why_and_keeps_the_reason_as_the_cancellations() {
    let fx = Fixture::new();
    let id = fx.add(&["Status page"])[0];
    let mut app = fx.app();
    press(&mut app, "X");
    assert!(matches!(app.mode(), Mode::Prompt(_)));
    assert!(render(&app, 80, 24).contains("Why is it cancelled?"));
    press(&mut app, "<Esc>");
    assert_eq!(
        fx.query::<String>("SELECT status FROM initiatives"),
        "active"
    );
    press(&mut app, "Xbought one instead<Enter>");
    assert_eq!(app.mode(), &Mode::Normal);
    assert_eq!(
        fx.query::<String>(&format!(
            "SELECT status || '|' || cancel_reason || '|' || coalesce(realised, '-') FROM initiatives WHERE id = {id}"
        )),
        "cancelled|bought one instead|-"
    );
    // The detail view names it as the cancellation's reason.
    press(&mut app, "<Enter>");
    let screen = render(&app, 100, 40);
    assert!(
        screen.contains("Cancelled") && screen.contains("bought one instead"),
        "{screen}"
    );
    assert!(!screen.contains("Realised"), "{screen}");
}

#[test]
fn finishing_the_last_step_asks_the_outcome_and_what_was_realised() {
    let fx = Fixture::new();
    let id = fx.add(&["Backups tested"])[0];
    to_last_step(&fx, id);
    let mut app = fx.app();
    press(&mut app, ">y");
    assert!(matches!(app.mode(), Mode::Form(_)), "{:?}", app.mode());
    assert!(render(&app, 80, 24).contains("Finish #1"));
    // Nothing is written until the form is saved.
    assert_eq!(
        fx.query::<String>("SELECT status FROM initiatives"),
        "active"
    );
    press(&mut app, "<Right><Tab>restores still fail<C-s>");
    assert_eq!(
        fx.query::<String>(&format!(
            "SELECT status || '|' || closure_code || '|' || realised FROM initiatives WHERE id = {id}"
        )),
        "done|unsuccessful|restores still fail"
    );
    // Then the follow-up question, as before.
    assert!(matches!(app.mode(), Mode::Confirm(_)));
    press(&mut app, "n");
    // A failure never reads as done: its own flag, title and count.
    let screen = render(&app, 120, 40);
    assert!(screen.contains("│▌ 1 ✗ Backups tested"), "{screen}");
    assert!(screen.contains("done · unsuccessful"), "{screen}");
    assert!(
        screen.contains("Done 0") && screen.contains("Unsuccessful 1"),
        "{screen}"
    );
    assert_eq!(app.metrics().unsuccessful, 1);
    // What it realised can be edited later: the edit form of a done one
    // has the field last, and the change is in the history.
    press(&mut app, "e");
    for _ in 0..11 {
        press(&mut app, "<Tab>");
    }
    press(&mut app, "<C-u>half of the restores pass<C-s>");
    assert_eq!(app.mode(), &Mode::Normal);
    assert_eq!(
        fx.query::<String>("SELECT realised FROM initiatives"),
        "half of the restores pass"
    );
    assert_eq!(
        fx.query::<String>("SELECT kind FROM events ORDER BY id DESC LIMIT 1"),
        "edited"
    );

    // O reopens it, asking why; the flow sees it open again.
    press(&mut app, "Omore restores to test<Enter>");
    assert_eq!(
        fx.query::<String>(&format!(
            "SELECT status || '|' || coalesce(done_at, '-') || '|' || coalesce(closure_code, '-') FROM initiatives WHERE id = {id}"
        )),
        "active|-|-"
    );
    press(&mut app, "<Enter>");
    let screen = render(&app, 120, 60);
    assert!(screen.contains("History ("), "{screen}");
    assert!(
        screen.contains("closed as unsuccessful: restores still fail"),
        "{screen}"
    );
    assert!(
        screen.contains("reopened at step 7: more restores to test"),
        "{screen}"
    );
}

#[test]
fn o_on_open_work_says_only_closed_work_reopens() {
    let fx = Fixture::new();
    fx.add(&["Open one"]);
    let mut app = fx.app();
    press(&mut app, "O");
    assert_eq!(app.mode(), &Mode::Normal);
    assert!(render(&app, 80, 24).contains("only done or cancelled work reopens"));
}

#[test]
fn undo_is_recorded_not_erased() {
    let fx = Fixture::new();
    let id = fx.add(&["Undo me"])[0];
    let mut app = fx.app();
    press(&mut app, "hwaiting<Enter>u");
    assert_eq!(
        fx.query::<String>("SELECT status FROM initiatives"),
        "active"
    );
    let kinds = fx.query::<String>(&format!(
        "SELECT group_concat(kind, ',') FROM (SELECT kind FROM events WHERE initiative_id = {id} ORDER BY id)"
    ));
    assert_eq!(kinds, "created,held,undone");
}

#[test]
fn an_earlier_steps_items_are_ticked_without_moving_back() {
    let fx = Fixture::new();
    let id = fx.add(&["Browse me"])[0];
    let mut app = fx.app();
    // To step 2, leaving step 1's items open.
    press(&mut app, ">y");
    press(&mut app, "<Tab>");
    assert!(render(&app, 80, 24).contains("Step 2 of 7"));
    press(&mut app, "[");
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Step 1 of 7"), "{screen}");
    assert!(
        screen.contains("at 2"),
        "the title says where it really is\n{screen}"
    );
    press(&mut app, "x");
    let ticked: i64 = fx.query(&format!(
        "SELECT count(*) FROM checklist_items WHERE initiative_id = {id} AND step = 1 AND done_at IS NOT NULL"
    ));
    assert_eq!(ticked, 1);
    assert_eq!(
        fx.query::<i64>(&format!("SELECT step FROM initiatives WHERE id = {id}")),
        2,
        "it did not move"
    );
    let last: String = fx.query(&format!(
        "SELECT data FROM events WHERE initiative_id = {id} ORDER BY id DESC LIMIT 1"
    ));
    assert!(
        last.contains("\"kind\":\"ticked\"") && last.contains("\"step\":1"),
        "{last}"
    );
    // `[` at the first step says so; `]` comes back to the current step.
    press(&mut app, "[");
    assert!(render(&app, 80, 24).contains("the model's first"));
    press(&mut app, "]");
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains("Step 2 of 7") && !screen.contains("at 2"),
        "{screen}"
    );
    // The move that left step 1 named the items it left open.
    let moved: String = fx.query(&format!(
        "SELECT data FROM events WHERE initiative_id = {id} AND kind = 'moved'"
    ));
    assert!(moved.contains("left_open"), "{moved}");
}

fn signed(fx: &Fixture, who: &str) -> improve::store::Store {
    let mut store = fx.store();
    store.set_author(who);
    store
}

fn retitle(store: &mut improve::store::Store, id: i64, from: &str, to: &str) {
    use improve::store::{Field, FieldEdit, Value};
    store
        .write("edit", Some(id), |rec| {
            rec.update_fields(
                id,
                &[FieldEdit {
                    field: Field::Title,
                    before: Value::Text(from.into()),
                    after: Value::Text(to.into()),
                }],
                fixed_now(),
            )
        })
        .unwrap();
}

/// The dashboard as `who` opens it: its writes signed with that name.
fn app_as(fx: &Fixture, who: &str) -> improve::app::App {
    let mut app = improve::app::App::new(
        signed(fx, who),
        Model::itil4(),
        improve::domain::time::Clock::Fixed(fixed_now()),
    )
    .unwrap();
    app.update(improve::app::Action::Resize { backlog_rows: 18 });
    app
}

#[test]
fn a_live_refresh_says_what_someone_else_changed_and_who() {
    let fx = Fixture::new();
    let id = fx.add(&["Cut MTTR"])[0];
    let mut app = app_as(&fx, "me");
    // Its own change is not news.
    press(&mut app, "nmine<C-s>");
    assert!(
        !app.poll_external(),
        "its own write is not an outside change"
    );
    retitle(&mut signed(&fx, "alex"), id, "Cut MTTR", "Cut P1 MTTR");
    assert!(app.poll_external());
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains("#1 edited title \"Cut MTTR\" → \"Cut P1 MTTR\" (by alex)"),
        "{screen}"
    );
}

#[test]
fn a_same_field_conflict_offers_to_keep_yours_and_never_locks_the_form() {
    let fx = Fixture::new();
    let id = fx.add(&["Cut MTTR"])[0];
    let mut app = app_as(&fx, "me");
    press(&mut app, "e<C-u>Mine");
    // Meanwhile alex renames it too.
    retitle(&mut signed(&fx, "alex"), id, "Cut MTTR", "Theirs");
    press(&mut app, "<C-s>");
    assert!(
        matches!(app.mode(), Mode::Form(_)),
        "the form stays, typed text kept"
    );
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains("Title was changed by alex to \"Theirs\""),
        "{screen}"
    );
    assert_eq!(
        fx.query::<String>("SELECT title FROM initiatives"),
        "Theirs"
    );
    // Ctrl-s again keeps yours: the form is guarded by their value now.
    press(&mut app, "<C-s>");
    assert_eq!(app.mode(), &Mode::Normal);
    assert_eq!(fx.query::<String>("SELECT title FROM initiatives"), "Mine");
}
