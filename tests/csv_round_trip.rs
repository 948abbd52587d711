//! A CSV round trip keeps the figures: the sample register exported as CSV
//! and imported into an empty register gives the same flow metrics (done per
//! week, cycle time, returns, overdue, stale) and the same days in step, and
//! the import says in one warning what a CSV cannot carry.

mod common;

use assert_cmd::Command;
use common::{Fixture, fixed_now};
use improve::domain::metrics::{self, DEFAULT_STALE_DAYS};
use improve::domain::{Model, Models};
use improve::exchange::{self, Format, doc::Stamp};
use improve::sample::load_sample;
use improve::store::Store;

fn figures(store: &Store) -> (metrics::FlowMetrics, Vec<(i64, i64, String)>) {
    let model = Models::builtin();
    let rows = store.backlog(&model).unwrap();
    let now = fixed_now();
    let m = metrics::compute(&rows, &model, now, now.date_naive(), DEFAULT_STALE_DAYS);
    let mut days: Vec<(i64, i64, String)> = rows
        .iter()
        .map(|r| {
            (
                r.id,
                (now - r.step_entered_at).num_days(),
                format!("{}{:?}", r.status, r.done_at),
            )
        })
        .collect();
    days.sort();
    (m, days)
}

#[test]
fn a_csv_round_trip_gives_the_same_metrics_and_days_in_step() {
    let original = Fixture::new();
    let mut store = original.store();
    let model = Model::itil4();
    load_sample(&mut store, &model, fixed_now()).unwrap();
    let doc = exchange::read_register(&store, Stamp(fixed_now().timestamp())).unwrap();
    let models = Models::builtin();
    let csv = exchange::csv::write(&doc, &models).unwrap();

    let copy = Fixture::new();
    let mut imported = copy.store();
    let report = exchange::import(
        &mut imported,
        &csv,
        Format::Csv,
        &models,
        Stamp(fixed_now().timestamp()),
        false,
    )
    .unwrap();
    assert_eq!(report.imported.initiatives, doc.initiatives.len());

    let (before, days_before) = figures(&store);
    let (after, days_after) = figures(&imported);
    assert!(before.done_in_window() > 0 && before.returns > 0 && before.stale > 0);
    assert_eq!(after, before);
    assert_eq!(days_after, days_before);
    // What it could not carry is said, once.
    assert_eq!(report.warnings.len(), 1);
    assert!(report.warnings[0].contains("returns are imported as counts"));
}

#[test]
fn the_import_command_prints_the_warning_once_on_standard_error() {
    let fx = Fixture::new();
    let csv = fx.dir.path().join("register.csv");
    std::fs::write(
        &csv,
        "title,status,step,returns,done_on\nOne,done,7,2,2026-11-02\nTwo,active,3,0,\n",
    )
    .unwrap();
    let out = Command::cargo_bin("improve")
        .unwrap()
        .env("IMPROVE_DB", &fx.path)
        .env("IMPROVE_CONFIG", "/dev/null")
        .args(["import"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("improve: warning: a CSV carries no move log")
            .count(),
        1,
        "{err}"
    );
    // done_on is honoured, not replaced by the time of the import.
    let done: String =
        fx.query("SELECT date(done_at, 'unixepoch') FROM initiatives WHERE title = 'One'");
    assert_eq!(done, "2026-11-02");
    let returns: i64 = fx.query("SELECT returns FROM initiatives WHERE title = 'One'");
    assert_eq!(returns, 2);
}
