//! Clocks and numbers at their limits: a clock in the year 1 or 9999 (or
//! 1969), ids at i64::MAX, ages of millions of days, KPI values of ±1e308.
//! Nothing panics, and every column shows the whole value.

mod common;

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use common::{Fixture, press, render};
use improve::app::{Action, App};
use improve::domain::Model;
use improve::domain::metrics;
use improve::domain::time::{Clock, EARLIEST, LATEST};
use proptest::prelude::*;

const BIG: i64 = i64::MAX;

fn improve(f: &Fixture) -> Command {
    let mut c = Command::cargo_bin("improve").unwrap();
    c.env_remove("IMPROVE_READ_ONLY")
        .env_remove("IMPROVE_CONFIG")
        .env("NO_COLOR", "1")
        .arg("--db")
        .arg(&f.path);
    c
}

fn ok(c: &mut Command) -> String {
    String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
}

/// #1 an ordinary row; #i64::MAX with KPIs at ±1e308, entered its step in
/// the year 1; a done row with a cycle from the year 1 to 9999.
fn edge_register() -> Fixture {
    let f = Fixture::new();
    ok(improve(&f).args(["add", "Ordinary"]));
    ok(improve(&f).args(["add", "Huge id"]));
    ok(improve(&f).args(["add", "Long cycle"]));
    ok(improve(&f).args([
        "kpi",
        "2",
        "add",
        "wide",
        "--direction",
        "higher",
        "--baseline=-1e308",
        "--target",
        "1e308",
    ]));
    ok(improve(&f).args(["kpi", "2", "measure", "wide", "1e308"]));
    ok(improve(&f).args(["kpi", "2", "measure", "wide", "-1e308"]));
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF;
         UPDATE initiatives SET id = {BIG} WHERE id = 2;
         UPDATE checklist_items SET initiative_id = {BIG} WHERE initiative_id = 2;
         UPDATE moves SET initiative_id = {BIG} WHERE initiative_id = 2;
         UPDATE kpis SET initiative_id = {BIG} WHERE initiative_id = 2;
         UPDATE notes SET initiative_id = {BIG} WHERE initiative_id = 2;
         UPDATE initiatives SET step_entered_at = {EARLIEST}, created_at = {EARLIEST}
           WHERE id = {BIG};
         UPDATE initiatives SET status = 'done', closure_code = 'successful',
           created_at = {EARLIEST}, done_at = {LATEST}, due = '9999-12-31' WHERE id = 3;"
    ))
    .unwrap();
    f
}

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap()
}

fn app_at(f: &Fixture, now: DateTime<Utc>) -> App {
    let mut app = App::new(f.store(), Model::itil4(), Clock::Fixed(now)).unwrap();
    app.update(Action::Resize { backlog_rows: 18 });
    app
}

#[test]
fn a_huge_id_and_a_huge_age_show_whole_in_the_backlog() {
    let f = edge_register();
    let app = app_at(&f, at(LATEST));
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        let screen = render(&app, w, h);
        assert!(screen.contains(&BIG.to_string()), "{w}x{h}\n{screen}");
        // From the year 1 to 9999 in one step: 3,652,058 days.
        assert!(screen.contains("3652058d"), "{w}x{h}\n{screen}");
    }
}

#[test]
fn the_detail_view_and_metrics_at_the_limits_do_not_panic() {
    let f = edge_register();
    for now in [
        at(EARLIEST),
        at(-1),
        at(-86_400 * 365 * 20),
        at(0),
        at(LATEST),
    ] {
        let mut app = app_at(&f, now);
        for (w, h) in [(80, 24), (40, 12), (160, 48)] {
            let _ = render(&app, w, h);
        }
        // Select #i64::MAX (second in the backlog by default order or not:
        // walk them all) and open each one's detail.
        for _ in 0..3 {
            press(&mut app, "<Enter>");
            let screen = render(&app, 120, 60);
            assert!(!screen.is_empty());
            press(&mut app, "<Esc>j");
        }
        press(&mut app, "<Tab><Tab>");
        let _ = render(&app, 100, 30);
    }
    // The detail of the huge id shows it whole and the extreme values short.
    let mut app = app_at(&f, at(LATEST));
    while app.selected_row().map(|r| r.id) != Some(BIG) {
        press(&mut app, "j");
    }
    press(&mut app, "<Enter>");
    let screen = render(&app, 120, 60);
    assert!(screen.contains(&format!("#{BIG}")), "{screen}");
    assert!(screen.contains("1e308"), "{screen}");
    assert!(screen.contains("-1e308"), "{screen}");
}

#[test]
fn list_and_show_print_the_whole_id_and_short_extreme_values() {
    let f = edge_register();
    let list = ok(improve(&f).arg("list"));
    let line = list.lines().find(|l| l.contains("Huge id")).unwrap();
    assert!(line.trim_start().starts_with(&BIG.to_string()), "{list}");
    // The header's ID column is as wide as the widest id.
    let header = list.lines().next().unwrap();
    assert_eq!(header.find("STEP"), line.find("1 Vision"), "{list}");
    let show = ok(improve(&f).args(["show", &BIG.to_string()]));
    assert!(show.contains(&BIG.to_string()), "{show}");
    assert!(
        show.contains("baseline -1e308") && show.contains("target 1e308"),
        "{show}"
    );
    assert!(show.lines().all(|l| l.chars().count() < 200), "{show}");
    let json = ok(improve(&f).args(["show", &BIG.to_string(), "--json"]));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["id"].as_i64(), Some(BIG), "{json}");
}

#[test]
fn non_finite_values_are_never_stored() {
    let f = edge_register();
    for v in ["nan", "NaN", "inf", "-inf", "1e309", "-1e309"] {
        improve(&f)
            .args(["kpi", &BIG.to_string(), "measure", "wide", v])
            .assert()
            .code(predicates::ord::ne(0));
    }
    let bad: i64 = f.query(
        "SELECT count(*) FROM measurements WHERE value IS NULL OR value != value
            OR abs(value) > 1.7976931348623157e308",
    );
    assert_eq!(bad, 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any clock from the year 1 to 9999 over rows from any time in that
    /// range: the metrics and the dashboard never panic.
    #[test]
    fn metrics_and_views_hold_over_the_whole_clock_range(
        now in EARLIEST..=LATEST,
        stamps in proptest::collection::vec((EARLIEST..=LATEST, EARLIEST..=LATEST), 1..6),
        stale in 1i64..=i64::MAX,
    ) {
        let f = Fixture::new();
        f.add(&vec!["x"; stamps.len()]);
        let conn = rusqlite::Connection::open(&f.path).unwrap();
        for (i, (a, b)) in stamps.iter().enumerate() {
            let (created, later) = (*a.min(b), *a.max(b));
            let status = if i % 2 == 0 { "done" } else { "active" };
            conn.execute(
                "UPDATE initiatives SET created_at = ?1, step_entered_at = ?2, status = ?3,
                    done_at = CASE ?3 WHEN 'done' THEN ?2 END,
                    closure_code = CASE ?3 WHEN 'done' THEN 'successful' END
                  WHERE id = ?4",
                rusqlite::params![created, later, status, i as i64 + 1],
            )
            .unwrap();
        }
        let now = at(now);
        let mut app = app_at(&f, now);
        let _ = metrics::compute(app.rows(), app.models(), now, now.date_naive(), stale);
        let _ = render(&app, 80, 24);
        press(&mut app, "<Enter>");
        let _ = render(&app, 80, 40);
    }
}
