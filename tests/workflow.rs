//! Running an initiative from idea to done from the keyboard: forms, KPIs,
//! notes, lifecycle, checklist editing, detail, filter, sort, undo/redo and
//! follow-ups, through the real update loop on a real register.

mod common;

use common::{Fixture, press, render};
use improve::app::{Effect, Focus, Mode, Question, Screen};
use improve::domain::Status;

fn count(fx: &Fixture, sql: &str) -> i64 {
    fx.query::<i64>(sql)
}

#[test]
fn add_form_saves_and_validation_names_the_field_and_keeps_input() {
    let fx = Fixture::new();
    fx.add(&["existing"]);
    let mut app = fx.app();
    press(&mut app, "a");
    assert!(matches!(app.mode(), Mode::Form(_)));
    // Empty title: refused, nothing written.
    press(&mut app, "<C-s>");
    let Mode::Form(form) = app.mode() else {
        panic!("form closed")
    };
    assert_eq!(
        form.error.as_ref().map(|e| e.1.as_str()),
        Some("a title is needed")
    );
    assert_eq!(count(&fx, "SELECT count(*) FROM initiatives"), 1);

    press(
        &mut app,
        "Rotate on-call fairly<Tab>Spread pages<Tab><Tab>Sam<Tab><Right><Tab><Tab><Right><Tab>2026-13-01",
    );
    press(&mut app, "<C-s>");
    let Mode::Form(form) = app.mode() else {
        panic!("form closed on a bad date")
    };
    let (at, why) = form.error.clone().unwrap();
    assert_eq!(form.fields[at].label, "Due");
    assert_eq!(why, "\"2026-13-01\": there is no month 13");
    assert_eq!(
        form.value("Title"),
        "Rotate on-call fairly",
        "typed input kept"
    );
    assert!(render(&app, 80, 24).contains("Due: \"2026-13-01\": there is no month 13"));

    press(&mut app, "<C-u>2026-12-15<C-s>");
    assert_eq!(app.mode(), &Mode::Normal, "{:?}", app.flash());
    let id: i64 = fx.query("SELECT max(id) FROM initiatives");
    assert_eq!(
        fx.query::<String>(&format!("SELECT title || '|' || description || '|' || owner || '|' || priority || '|' || effort || '|' || due FROM initiatives WHERE id = {id}")),
        "Rotate on-call fairly|Spread pages|Sam|4|L|2026-12-15"
    );
    assert_eq!(
        app.selected_row().unwrap().id,
        id,
        "the new initiative is selected"
    );
    assert_eq!(
        count(
            &fx,
            &format!("SELECT count(*) FROM checklist_items WHERE initiative_id = {id}")
        ),
        45
    );
}

#[test]
fn a_goal_is_picked_or_created_inline() {
    let fx = Fixture::new();
    let mut app = fx.app();
    // Goal field: Left from "(none)" wraps to "new goal" typing.
    press(
        &mut app,
        "aFaster onboarding<Tab><Tab><Left>Happier new starters<C-s>",
    );
    assert_eq!(app.mode(), &Mode::Normal, "{:?}", app.flash());
    assert_eq!(
        fx.query::<String>("SELECT name FROM goals"),
        "Happier new starters"
    );
    assert_eq!(
        count(
            &fx,
            "SELECT count(*) FROM initiatives WHERE goal_id = (SELECT id FROM goals)"
        ),
        1
    );
    // The next form offers it as a choice.
    press(&mut app, "aSecond<Tab><Tab><Right><C-s>");
    assert_eq!(
        count(
            &fx,
            "SELECT count(*) FROM initiatives WHERE goal_id IS NOT NULL"
        ),
        2
    );
    assert_eq!(count(&fx, "SELECT count(*) FROM goals"), 1);
}

#[test]
fn edit_writes_only_changed_fields_and_refuses_stale_ones() {
    let fx = Fixture::new();
    let id = fx.add(&["Old title"])[0];
    let mut app = fx.app();
    press(&mut app, "e");
    press(&mut app, "<C-w><C-w>New title<C-s>");
    assert_eq!(
        fx.query::<String>(&format!("SELECT title FROM initiatives WHERE id = {id}")),
        "New title"
    );

    // Someone else renames it while this form is open: refused, input kept.
    press(&mut app, "e<C-w><C-w>Mine");
    fx.store()
        .conn_for_tests()
        .execute("UPDATE initiatives SET title = 'Theirs'", [])
        .unwrap();
    press(&mut app, "<C-s>");
    assert!(matches!(app.mode(), Mode::Form(_)), "form kept");
    assert!(
        app.flash().unwrap().text.contains("changed elsewhere"),
        "{:?}",
        app.flash()
    );
    assert_eq!(
        fx.query::<String>(&format!("SELECT title FROM initiatives WHERE id = {id}")),
        "Theirs"
    );

    // A concurrent change to another field does not block this one.
    press(&mut app, "<Esc>y");
    press(&mut app, "e<Tab><Tab><Tab>Ana");
    fx.store()
        .conn_for_tests()
        .execute("UPDATE initiatives SET tags = 'ops'", [])
        .unwrap();
    press(&mut app, "<C-s>");
    assert_eq!(app.mode(), &Mode::Normal, "{:?}", app.flash());
    assert_eq!(
        fx.query::<String>(&format!(
            "SELECT owner || '/' || tags FROM initiatives WHERE id = {id}"
        )),
        "Ana/ops"
    );
}

#[test]
fn esc_in_a_form_asks_before_discarding_typed_text() {
    let fx = Fixture::new();
    let mut app = fx.app();
    press(&mut app, "aHalf typed<Esc>");
    assert!(matches!(
        app.mode(),
        Mode::Confirm(Question::DiscardForm(_))
    ));
    press(&mut app, "n");
    let Mode::Form(form) = app.mode() else {
        panic!("back to the form")
    };
    assert_eq!(form.value("Title"), "Half typed");
    press(&mut app, "<Esc>y");
    assert_eq!(app.mode(), &Mode::Normal);
    // An untouched form closes at once.
    press(&mut app, "a<Esc>");
    assert_eq!(app.mode(), &Mode::Normal);
}

#[test]
fn the_description_opens_in_the_editor_and_keeps_its_lines() {
    let fx = Fixture::new();
    let id = fx.add(&["x"])[0];
    let mut app = fx.app();
    press(&mut app, "e<Tab><C-e>");
    assert!(matches!(app.take_effect(), Some(Effect::EditText { .. })));
    app.editor_closed(Ok("First line\nSecond line\n".into()));
    press(&mut app, "<C-s>");
    assert_eq!(
        fx.query::<String>(&format!(
            "SELECT description FROM initiatives WHERE id = {id}"
        )),
        "First line\nSecond line"
    );
}

#[test]
fn hold_resume_close_cancel_and_delete() {
    let fx = Fixture::new();
    let ids = fx.add(&["a", "b", "c"]);
    let mut app = fx.app();
    press(&mut app, "hWaiting for the vendor<Enter>");
    let status =
        |id: i64| fx.query::<String>(&format!("SELECT status FROM initiatives WHERE id = {id}"));
    assert_eq!(status(ids[0]), "on_hold");
    assert_eq!(
        fx.query::<String>(&format!(
            "SELECT hold_reason FROM initiatives WHERE id = {}",
            ids[0]
        )),
        "Waiting for the vendor"
    );
    assert_eq!(
        app.metrics().per_model[0].active_per_step[0],
        2,
        "held does not count as active"
    );
    assert!(render(&app, 80, 24).contains("Vision 2"));
    press(&mut app, "h");
    assert_eq!(status(ids[0]), "active");

    press(&mut app, "jc<Right><Tab>Nothing measurable<C-s>");
    assert_eq!(status(ids[1]), "done");
    assert_eq!(
        fx.query::<String>(&format!(
            "SELECT closure_code || ':' || realised FROM initiatives WHERE id = {}",
            ids[1]
        )),
        "unsuccessful:Nothing measurable"
    );

    // Cancelling asks why; the reason is the cancellation's.
    press(&mut app, "jXsuperseded<Enter>");
    assert_eq!(status(ids[2]), "cancelled");
    assert_eq!(app.row_by_id(ids[2]).unwrap().status, Status::Cancelled);

    press(&mut app, "gdy");
    assert_eq!(
        count(
            &fx,
            &format!("SELECT count(*) FROM initiatives WHERE id = {}", ids[0])
        ),
        0
    );
    assert_eq!(
        count(
            &fx,
            &format!(
                "SELECT count(*) FROM checklist_items WHERE initiative_id = {}",
                ids[0]
            )
        ),
        0
    );
    // Undo brings it back whole.
    press(&mut app, "u");
    assert_eq!(
        count(
            &fx,
            &format!(
                "SELECT count(*) FROM checklist_items WHERE initiative_id = {}",
                ids[0]
            )
        ),
        45
    );
    assert_eq!(
        count(
            &fx,
            &format!(
                "SELECT count(*) FROM moves WHERE initiative_id = {}",
                ids[0]
            )
        ),
        1
    );
    assert!(app.row_by_id(ids[0]).is_some());
}

#[test]
fn checklist_items_are_added_renamed_reordered_and_removed_per_initiative() {
    let fx = Fixture::new();
    let ids = fx.add(&["a", "b"]);
    let mut app = fx.app();
    let items = |id: i64| -> String {
        let store = fx.store();
        let m = improve::domain::Model::itil4();
        store
            .checklist(&m, id, m.first())
            .unwrap()
            .iter()
            .map(|i| i.text.clone())
            .collect::<Vec<_>>()
            .join("|")
    };
    let template_b = items(ids[1]);
    press(&mut app, "<Tab>+Agree rota with HR<Enter>");
    assert!(items(ids[0]).ends_with("|Agree rota with HR"));
    assert_eq!(app.checklist_selected(), 7, "the new item is selected");
    press(&mut app, "K");
    assert!(items(ids[0]).ends_with("|Agree rota with HR|Record the business case: the problem, why now, the cost of doing nothing"));
    press(&mut app, "r<C-w><C-w>the unions<Enter>");
    assert!(
        items(ids[0]).contains("|Agree rota the unions|"),
        "{}",
        items(ids[0])
    );
    press(&mut app, "-y");
    assert!(!items(ids[0]).contains("unions"));
    assert_eq!(items(ids[1]), template_b, "other initiatives untouched");
    assert_eq!(app.focus(), Focus::Checklist);
}

#[test]
fn kpis_are_added_measured_and_shown_with_the_gap_closed() {
    let fx = Fixture::new();
    let id = fx.add(&["Cut P1 MTTR"])[0];
    let mut app = fx.app();
    press(&mut app, "m");
    assert!(app.flash().unwrap().text.contains("no KPIs yet"));
    press(
        &mut app,
        "<Tab><Tab>+MTTR<Tab>h<Tab><Right><Tab>24<Tab><Tab>16<Tab>2027-03-01<C-s>",
    );
    assert_eq!(app.mode(), &Mode::Normal, "{:?}", app.flash());
    assert_eq!(
        fx.query::<String>(&format!("SELECT name || unit || direction || baseline || target || target_date FROM kpis WHERE initiative_id = {id}")),
        "MTTRhlower24.016.02027-03-01"
    );
    press(&mut app, "m18<Tab><C-u>2026-12-01<C-s>");
    assert_eq!(fx.query::<f64>("SELECT value FROM measurements"), 18.0);
    let kpi = &app.detail().unwrap().kpis[0];
    assert_eq!(kpi.progress(), Some(0.75));
    assert!(
        render(&app, 100, 30).contains("24 → 18 → 16"),
        "{}",
        render(&app, 100, 30)
    );
    // Editing the KPI keeps its measurements.
    press(&mut app, "r<Tab><BS>min<C-s>");
    assert_eq!(fx.query::<String>("SELECT unit FROM kpis"), "min");
    assert_eq!(count(&fx, "SELECT count(*) FROM measurements"), 1);
}

#[test]
fn notes_are_journalled_with_their_kind() {
    let fx = Fixture::new();
    let id = fx.add(&["x"])[0];
    let mut app = fx.app();
    press(&mut app, "nGo with option B<Tab><Right><C-s>");
    assert_eq!(
        fx.query::<String>(&format!(
            "SELECT kind || ':' || body FROM notes WHERE initiative_id = {id}"
        )),
        "decision:Go with option B"
    );
    press(&mut app, "<Enter>");
    assert!(render(&app, 80, 90).contains("Go with option B"));
}

#[test]
fn detail_view_opens_and_esc_returns_to_the_same_place() {
    let fx = Fixture::new();
    let titles: Vec<String> = (0..60).map(|i| format!("initiative {i}")).collect();
    fx.add(&titles.iter().map(String::as_str).collect::<Vec<_>>());
    let mut app = fx.app();
    press(&mut app, "<PgDn><PgDn>jj");
    let (sel, off) = (app.selected_index(), app.offset());
    press(&mut app, "<Enter>");
    assert!(matches!(app.screen(), Screen::Detail { .. }));
    let screen = render(&app, 80, 24);
    assert!(
        screen.contains(&app.selected_row().unwrap().title),
        "{screen}"
    );
    press(&mut app, "jjj<Esc>");
    assert_eq!(app.screen(), &Screen::Dashboard);
    assert_eq!((app.selected_index(), app.offset()), (sel, off));
}

#[test]
fn filter_narrows_as_typed_shows_on_screen_and_esc_clears() {
    let fx = Fixture::new();
    let ids = fx.add(&[
        "Automate cert renewal",
        "Backup restore test",
        "Cert inventory",
    ]);
    fx.store()
        .conn_for_tests()
        .execute(
            &format!("UPDATE initiatives SET owner = 'sam' WHERE id = {}", ids[2]),
            [],
        )
        .unwrap();
    let mut app = fx.app();
    press(&mut app, "/cert");
    assert_eq!(app.visible_len(), 2);
    press(&mut app, " owner:sam");
    assert_eq!(app.visible_len(), 1);
    assert_eq!(app.selected_row().unwrap().id, ids[2]);
    press(&mut app, "<Enter>");
    assert_eq!(app.mode(), &Mode::Normal);
    assert!(render(&app, 80, 24).contains("/cert owner:sam"));
    press(&mut app, "<Esc>");
    assert_eq!(app.visible_len(), 3);
    press(&mut app, "/step:now<Enter>");
    assert_eq!(app.visible_len(), 0);
    assert!(render(&app, 80, 24).contains("No initiative matches"));
}

#[test]
fn sort_cycles_through_every_order_and_shows_it() {
    let fx = Fixture::new();
    fx.add(&["a", "b"]);
    let mut app = fx.app();
    let mut seen = vec![app.sort().label()];
    for _ in 0..4 {
        press(&mut app, "s");
        seen.push(app.sort().label());
        assert!(render(&app, 80, 24).contains(&format!("by {}", app.sort().label())));
    }
    assert_eq!(seen, ["priority", "score", "due date", "age in step", "id"]);
}

#[test]
fn undo_and_redo_every_kind_of_change() {
    let fx = Fixture::new();
    let id = fx.add(&["x"])[0];
    let mut app = fx.app();
    let step = || fx.query::<i64>(&format!("SELECT step FROM initiatives WHERE id = {id}"));
    press(&mut app, ">y");
    assert_eq!(step(), 2);
    press(&mut app, "u");
    assert_eq!(step(), 1);
    assert_eq!(
        count(&fx, "SELECT count(*) FROM moves"),
        1,
        "the move's log row is gone too"
    );
    press(&mut app, "<C-r>");
    assert_eq!(step(), 2);
    assert_eq!(count(&fx, "SELECT count(*) FROM moves"), 2);

    press(&mut app, "<Tab> ");
    let ticked = || {
        count(
            &fx,
            "SELECT count(*) FROM checklist_items WHERE done_at IS NOT NULL",
        )
    };
    assert_eq!(ticked(), 1);
    press(&mut app, "u");
    assert_eq!(ticked(), 0);
    press(&mut app, "<C-r>");
    assert_eq!(ticked(), 1);

    press(&mut app, "nLesson one<C-s>");
    assert_eq!(count(&fx, "SELECT count(*) FROM notes"), 1);
    press(&mut app, "u");
    assert_eq!(count(&fx, "SELECT count(*) FROM notes"), 0);

    // Undo never overwrites newer data: someone moved it meanwhile.
    press(&mut app, "<Tab><Tab>>y");
    assert_eq!(step(), 3);
    fx.store()
        .conn_for_tests()
        .execute("UPDATE initiatives SET step = 5", [])
        .unwrap();
    press(&mut app, "u");
    assert!(
        app.flash().unwrap().text.contains("cannot undo"),
        "{:?}",
        app.flash()
    );
    assert_eq!(step(), 5);
}

#[test]
fn finishing_step_seven_offers_a_linked_follow_up() {
    let fx = Fixture::new();
    let id = fx.add(&["Self-service password reset"])[0];
    fx.store()
        .conn_for_tests()
        .execute("UPDATE initiatives SET step = 7, owner = 'Tom'", [])
        .unwrap();
    let mut app = fx.app();
    // Yes to the open items, then the finish form saved as it is.
    press(&mut app, ">y<C-s>");
    assert!(matches!(app.mode(), Mode::Confirm(Question::FollowUp { parent }) if *parent == id));
    press(&mut app, "y");
    let Mode::Form(form) = app.mode() else {
        panic!("follow-up form")
    };
    assert_eq!(form.value("Owner"), "Tom");
    assert!(form.value("Title").starts_with("Follow-up: Self-service"));
    press(&mut app, "<C-s>");
    assert_eq!(
        count(
            &fx,
            &format!("SELECT count(*) FROM initiatives WHERE parent_id = {id}")
        ),
        1
    );
    press(&mut app, "<Enter>");
    assert!(render(&app, 80, 60).contains(&format!("#{id} Self-service password reset")));
}

/// The filter's search text is kept with the rows (the rows do not hold
/// the description): an edited description, a new initiative and a deleted
/// one are found, or not, at once, and the kept text and sort orders stay
/// what building them again gives.
#[test]
fn the_filter_follows_edits_additions_and_deletions() {
    let fx = Fixture::new();
    fx.add(&["alpha", "beta", "gamma"]);
    let mut app = fx.app();
    app.check_kept().unwrap();
    let edited = app.selected_row().unwrap().id;
    press(&mut app, "e<Tab>zebra crossing<C-s>");
    assert_eq!(app.mode(), &Mode::Normal, "{:?}", app.flash());
    app.check_kept().unwrap();
    press(&mut app, "/zebra");
    assert_eq!(app.visible_len(), 1);
    assert_eq!(app.selected_row().unwrap().id, edited);
    press(&mut app, "<Esc>");

    press(&mut app, "aNewcomer<Tab>a quokka<C-s>");
    assert_eq!(app.mode(), &Mode::Normal, "{:?}", app.flash());
    app.check_kept().unwrap();
    press(&mut app, "/quokka");
    assert_eq!(app.visible_len(), 1);
    assert_eq!(app.selected_row().unwrap().title, "Newcomer");
    press(&mut app, "<Enter>");
    for _ in 0..5 {
        press(&mut app, "s");
        assert_eq!(app.visible_len(), 1, "sorted by {:?}", app.sort());
    }

    press(&mut app, "dy");
    app.check_kept().unwrap();
    assert_eq!(app.visible_len(), 0);
    assert_eq!(app.rows().len(), 3);
    press(&mut app, "/<C-u>");
    assert_eq!(app.visible_len(), 3);
    press(&mut app, "<Esc>u");
    app.check_kept().unwrap();
    assert_eq!(app.rows().len(), 4, "undo brings it back");
}
