//! KPIs that make sense, and edits that say what they did: a target
//! against the KPI's direction is asked about (form) or refused (command
//! line); the KPI form prefills both dates; typing into a prefilled number
//! replaces it; an edit that changes nothing says so.

mod common;

use assert_cmd::Command;
use common::{Fixture, press, render};
use improve::app::{Mode, Question};

#[test]
fn a_target_against_the_direction_is_asked_about_and_no_returns_to_it() {
    let fx = Fixture::new();
    let id = fx.add(&["Raise first-call resolution"])[0];
    let mut app = fx.app();
    press(&mut app, "<Tab><Tab>+");
    let Mode::Form(form) = app.mode() else {
        panic!("no KPI form")
    };
    // Both dates prefilled: today, and the target a quarter on.
    assert_eq!(form.value("Baseline date"), "2026-11-27");
    assert_eq!(form.value("Target date"), "2027-02-27");
    // Higher is better (the default), yet the target is below the baseline.
    press(&mut app, "FCR<Tab>%<Tab><Tab>70<Tab><Tab>60<C-s>");
    assert!(
        matches!(app.mode(), Mode::Confirm(Question::SaveAnyway { .. })),
        "{:?}",
        app.mode()
    );
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains("The target 60 is below the baseline 70, but higher is better."),
        "{screen}"
    );
    assert_eq!(
        fx.query::<i64>("SELECT count(*) FROM kpis"),
        0,
        "asked first"
    );

    // No: back on the target, and what is typed replaces it.
    press(&mut app, "n");
    let Mode::Form(form) = app.mode() else {
        panic!("n did not return to the form")
    };
    assert_eq!(form.fields[form.focus].label, "Target");
    press(&mut app, "85<C-s>");
    assert_eq!(app.mode(), &Mode::Normal, "{:?}", app.flash());
    assert_eq!(
        fx.query::<String>(&format!(
            "SELECT direction || ' ' || baseline || ' ' || target || ' ' || target_date FROM kpis WHERE initiative_id = {id}"
        )),
        "higher 70.0 85.0 2027-02-27"
    );

    // Yes: saved as typed (a register may record a KPI that got worse on purpose).
    press(&mut app, "+Abandon rate<Tab><Tab><Tab>5<Tab><Tab>9<C-s>y");
    assert_eq!(app.mode(), &Mode::Normal, "{:?}", app.flash());
    assert_eq!(
        fx.query::<f64>("SELECT target FROM kpis WHERE name = 'Abandon rate'"),
        9.0
    );
}

#[test]
fn typing_into_a_prefilled_number_replaces_it() {
    let fx = Fixture::new();
    fx.add(&["Cut MTTR"]);
    let mut app = fx.app();
    press(
        &mut app,
        "<Tab><Tab>+MTTR<Tab>h<Tab><Right><Tab>24<Tab><Tab>16<C-s>",
    );
    assert_eq!(app.mode(), &Mode::Normal, "{:?}", app.flash());
    // Edit: Tab to the baseline and type; it was 24, it becomes 20, not 2420.
    press(&mut app, "r<Tab><Tab><Tab>20<C-s>");
    assert_eq!(app.mode(), &Mode::Normal, "{:?}", app.flash());
    assert_eq!(fx.query::<f64>("SELECT baseline FROM kpis"), 20.0);
    // Moving the cursor first edits in place.
    press(&mut app, "r<Tab><Tab><Tab><End>5<C-s>");
    assert_eq!(fx.query::<f64>("SELECT baseline FROM kpis"), 205.0);
}

#[test]
fn an_edit_that_changes_nothing_says_so() {
    let fx = Fixture::new();
    let id = fx.add(&["Same as before"])[0];
    let mut app = fx.app();
    let events = |fx: &Fixture| fx.query::<i64>("SELECT count(*) FROM events");
    let before = events(&fx);
    press(&mut app, "e<C-s>");
    assert_eq!(app.mode(), &Mode::Normal);
    assert_eq!(
        app.flash().map(|f| f.text.as_str()),
        Some(format!("nothing changed on #{id}").as_str())
    );
    // Retyped to the same value is no change either.
    press(
        &mut app,
        "e<Tab><Tab><Tab><Tab><Tab><Tab><Tab>2099-1-2<C-s>",
    );
    assert!(
        app.flash().unwrap().text.starts_with("saved"),
        "{:?}",
        app.flash()
    );
    press(
        &mut app,
        "e<Tab><Tab><Tab><Tab><Tab><Tab><Tab>2099-01-02<C-s>",
    );
    assert_eq!(
        app.flash().map(|f| f.text.as_str()),
        Some(format!("nothing changed on #{id}").as_str())
    );
    assert_eq!(events(&fx), before + 1, "only the real change was recorded");
}

#[test]
fn the_command_line_refuses_a_target_against_the_direction_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let run = |args: &[&str]| {
        let out = Command::cargo_bin("improve")
            .unwrap()
            .env_remove("IMPROVE_READ_ONLY")
            .env("IMPROVE_CONFIG", "/dev/null")
            .env("IMPROVE_DB", &db)
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };
    assert_eq!(run(&["add", "Cut MTTR"]).0, Some(0));
    let (code, err) = run(&[
        "kpi",
        "1",
        "add",
        "MTTR",
        "--direction",
        "higher",
        "--baseline",
        "24",
        "--target",
        "16",
    ]);
    assert_eq!(code, Some(4));
    assert_eq!(
        err,
        "improve: the target 16 is below the baseline 24, but higher is better; if lower values are better, say --direction lower\n"
    );
    let (code, err) = run(&[
        "kpi",
        "1",
        "add",
        "MTTR",
        "--direction",
        "lower",
        "--baseline",
        "24",
        "--target",
        "16",
    ]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    let (code, err) = run(&["kpi", "1", "target", "MTTR", "30"]);
    assert_eq!(code, Some(4));
    assert!(
        err.starts_with("improve: \"MTTR\": the target 30 is above the baseline 24, but lower is better; check the number"),
        "{err}"
    );
    let (code, _) = run(&["kpi", "1", "baseline", "MTTR", "10"]);
    assert_eq!(
        code,
        Some(4),
        "a baseline that puts the target on the wrong side too"
    );
    assert_eq!(run(&["kpi", "1", "target", "MTTR", "12"]).0, Some(0));
}
