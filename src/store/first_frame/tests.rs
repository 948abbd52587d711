use chrono::{Duration, TimeZone};
use rusqlite::params;

use super::*;
use crate::domain::metrics::compute;

/// The shared generator, answering in the signed seconds and days these
/// tests compute with.
struct Rng(crate::domain::rng::Rng);

impl Rng {
    fn below(&mut self, n: u64) -> i64 {
        self.0.below(n) as i64
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        *self.0.pick(items)
    }
}

/// A fixed instant with a fraction of a second, as the system clock has.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap() + Duration::nanoseconds(250_000_000)
}

fn open(dir: &tempfile::TempDir) -> Store {
    Store::open(&dir.path().join("r.db")).unwrap()
}

/// A timestamp on or next to a day boundary of `now` within `span`
/// days (a small span makes many ties), or anywhere in the last year,
/// or a little in the future.
fn near(rng: &mut Rng, now_s: i64, span: u64) -> i64 {
    let days = rng.below(span) - 3;
    let wobble = rng.pick(&[-1, 0, 1, 2, -86_399, 43_200]);
    match rng.below(5) {
        0 if span > 100 => now_s - rng.below(400 * 86_400),
        _ => now_s - days * 86_400 + wobble,
    }
}

/// `n` initiatives of every status, a few of another model, with
/// priority and time ties, dates on every boundary.
fn fill(store: &Store, n: usize, seed: u64) {
    let mut rng = Rng(crate::domain::rng::Rng(seed));
    let span = [6, 40, 120][seed as usize % 3];
    let now_s = now().timestamp();
    let today = now().date_naive();
    let tx = store.conn().unchecked_transaction().unwrap();
    {
        let mut insert = store
            .conn()
            .prepare(
                "INSERT INTO initiatives (title, model, step, status, priority, value, effort,
                    owner, due, created_at, updated_at, step_entered_at, done_at, returns)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13)",
            )
            .unwrap();
        for i in 0..n {
            let status = rng.pick(&Status::ALL);
            let (model, steps) = rng.pick(&[
                ("itil4", 7),
                ("itil4", 7),
                ("itil4", 7),
                ("pdca", 4),
                ("personal", 4),
                ("itil-csi", 7),
                ("aaa", 7),
                ("zzz", 7),
            ]);
            let step = if status == Status::Done {
                steps
            } else {
                1 + rng.below(steps as u64)
            };
            let entered = near(&mut rng, now_s, span);
            let created = entered - rng.below(3) * rng.below(200 * 86_400);
            let done_at = match (status, rng.below(6)) {
                (Status::Done, 0) => None,
                (Status::Done, _) | (_, 0) => Some(near(&mut rng, now_s, span).max(created - 5)),
                _ => None,
            };
            let due = (rng.below(3) > 0).then(|| {
                (today + Duration::days(rng.below(40) - 20))
                    .format("%Y-%m-%d")
                    .to_string()
            });
            insert
                .execute(params![
                    format!("initiative {i}"),
                    model,
                    step,
                    status.as_str(),
                    1 + rng.below(5),
                    1 + rng.below(10),
                    rng.pick(&["S", "M", "L", "XL"]),
                    "",
                    due,
                    created,
                    entered,
                    done_at,
                    rng.pick(&[0, 0, 0, 1, 2, 7]),
                ])
                .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn check(store: &Store, stale_days: i64, what: &str) {
    let model = Models::builtin();
    let all = store.backlog(&model).unwrap();
    let (now, today) = (now(), now().date_naive());
    let first = store
        .first_frame(&model, now, today, stale_days, 40)
        .unwrap()
        .unwrap_or_else(|| panic!("{what}: no first frame"));
    let expected = compute(&all, &model, now, today, stale_days);
    assert_eq!(
        first.metrics, expected,
        "{what}, stale after {stale_days} d"
    );
    assert_eq!(first.total, all.len(), "{what}");
    assert_eq!(first.max_id, all.iter().map(|r| r.id).max(), "{what}");
    assert_eq!(first.rows[..], all[..all.len().min(40)], "{what}");
}

#[test]
fn flow_equals_compute_on_random_registers() {
    for (seed, n) in [
        (1, 0),
        (2, 1),
        (3, 7),
        (4, 40),
        (5, 41),
        (6, 300),
        (7, 2_000),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir);
        fill(&store, n, seed);
        for stale_days in [1, 2, 30, 31, 90, 10_000] {
            check(&store, stale_days, &format!("seed {seed}, {n} initiatives"));
        }
    }
}

#[test]
fn a_generated_register_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir);
    crate::sample::generate(&mut store, &crate::domain::Model::itil4(), 1_500, now()).unwrap();
    check(&store, 30, "generated register");
}

#[test]
fn unusual_rows_make_the_whole_register_load_first() {
    let model = Models::builtin();
    for (column, value) in [
        ("due", rusqlite::types::Value::Text("2026-02-30".into())),
        ("due", rusqlite::types::Value::Text("2026-1-5".into())),
        ("due", rusqlite::types::Value::Integer(20260101)),
        (
            "created_at",
            rusqlite::types::Value::Text("yesterday".into()),
        ),
        (
            "step_entered_at",
            rusqlite::types::Value::Integer(i64::MAX / 2),
        ),
        ("done_at", rusqlite::types::Value::Real(1.5)),
        ("returns", rusqlite::types::Value::Integer(-1)),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir);
        fill(&store, 20, 9);
        let (now, today) = (now(), now().date_naive());
        assert!(
            store
                .first_frame(&model, now, today, 30, 10)
                .unwrap()
                .is_some()
        );
        store
            .conn()
            .execute(
                &format!("UPDATE initiatives SET {column} = ?1 WHERE id = 3"),
                [value],
            )
            .unwrap();
        assert_eq!(
            store.first_frame(&model, now, today, 30, 10).unwrap(),
            None,
            "{column}"
        );
    }
    // An active initiative past the model's last step.
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    fill(&store, 20, 9);
    store
        .conn()
        .execute(
            "UPDATE initiatives SET status = 'active', model = 'itil4', step = 9 WHERE id = 3",
            [],
        )
        .unwrap();
    assert_eq!(
        store
            .first_frame(&model, now(), now().date_naive(), 30, 10)
            .unwrap(),
        None
    );
}

/// The SQL's idea of a valid due date is the row decoder's, for every
/// month and day number a two-digit field can hold.
#[test]
fn unusual_due_dates_are_the_ones_the_decoder_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir);
    let conn = store.conn();
    let mut insert = conn
        .prepare(
            "INSERT INTO initiatives (title, model, step, created_at, updated_at,
                step_entered_at, due) VALUES ('t', 'itil4', 1, 0, 0, 0, ?1)",
        )
        .unwrap();
    let mut dues = Vec::new();
    for year in [0, 1, 1900, 2000, 2023, 2024, 2025, 2100, 2400, 9999] {
        for month in 0..=13 {
            for day in 0..=32 {
                dues.push(format!("{year:04}-{month:02}-{day:02}"));
            }
        }
    }
    dues.extend(
        [
            "2026-1-05",
            "26-01-05",
            "2026-01-05 ",
            "2026/01/05",
            "",
            "+2026-01-05",
        ]
        .map(String::from),
    );
    for due in &dues {
        insert.execute([due]).unwrap();
    }
    let unusual: Vec<String> = conn
        .prepare(concat!(
            "SELECT due FROM initiatives WHERE ",
            unusual!(),
            " ORDER BY id"
        ))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let rejected: Vec<String> = dues
        .iter()
        .filter(|d| {
            let canonical = super::super::read::date(Some(d.to_string()));
            canonical.is_none_or(|c| c.format("%Y-%m-%d").to_string() != **d)
        })
        .cloned()
        .collect();
    assert_eq!(unusual, rejected);
}

#[test]
fn an_older_register_read_only_is_refused_and_no_indexes_load_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    {
        let store = Store::open(&path).unwrap();
        fill(&store, 50, 11);
        // Back to schema 1, as an older improve left it.
        store
            .conn()
            .execute_batch(
                "DROP INDEX initiatives_by_backlog_order; DROP INDEX initiatives_flow;
                 DROP INDEX initiatives_by_due; DROP INDEX initiatives_unusual;
                 DROP TABLE events; DROP INDEX initiatives_unsuccessful;
                 ALTER TABLE initiatives DROP COLUMN cancel_reason;
                 DROP TABLE sample_initiatives; DROP TABLE sample_goals;
                 PRAGMA user_version = 1;",
            )
            .unwrap();
    }
    let model = Models::builtin();
    // Schema 3 added the history every view reads: a read-only open of
    // an older file says how to upgrade it instead of failing later.
    let refused = Store::open_read_only(&path).err().expect("refused");
    assert!(
        refused
            .to_string()
            .contains("open it once without --read-only"),
        "{refused}"
    );
    // Without the indexes the first frame waits for the whole register.
    let store = Store::open(&path).unwrap();
    store
        .conn()
        .execute_batch(
            "DROP INDEX initiatives_by_backlog_order; DROP INDEX initiatives_flow;
             DROP INDEX initiatives_by_due; DROP INDEX initiatives_unusual;",
        )
        .unwrap();
    assert!(!store.has_first_frame_indexes().unwrap());
    assert_eq!(
        store
            .first_frame(&model, now(), now().date_naive(), 30, 10)
            .unwrap(),
        None
    );
    assert_eq!(store.backlog(&model).unwrap().len(), 50);
}
