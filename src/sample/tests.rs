//! The samples are consistent registers: every invariant the dashboard
//! relies on holds for the hand-written and the generated one.

use chrono::TimeZone;
use rusqlite::params;
use rusqlite::types::Value;

use super::hand::scale_path;
use super::life::walk;
use super::*;
use crate::store::sample::{clear, has_data};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
}

fn open(dir: &tempfile::TempDir, name: &str) -> Store {
    Store::open(&dir.path().join(name)).unwrap()
}

fn count(store: &Store, sql: &str) -> i64 {
    store
        .conn_for_tests()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// Every invariant the dashboard relies on, checked per initiative.
fn assert_consistent(store: &Store, model: &Model, now: DateTime<Utc>) {
    let conn = store.conn_for_tests();
    let now = now.timestamp();
    let items: usize = model.steps.iter().map(|s| s.checklist.len()).sum();
    let mut stmt = conn
        .prepare(
            "SELECT id, step, status, hold_reason, closure_code, CASE WHEN status = 'cancelled' THEN cancel_reason ELSE realised END, created_at, updated_at,
                    step_entered_at, done_at, returns FROM initiatives",
        )
        .unwrap();
    let rows: Vec<_> = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, i64>(8)?,
                r.get::<_, Option<i64>>(9)?,
                r.get::<_, i64>(10)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(!rows.is_empty());
    let mut moves = conn
        .prepare(
            "SELECT from_step, to_step, at FROM moves WHERE initiative_id = ?1 ORDER BY at, id",
        )
        .unwrap();
    for (id, step, status, hold, code, realised, created, updated, entered, done_at, returns) in
        rows
    {
        let log: Vec<(Option<i64>, i64, i64)> = moves
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let ctx = format!("initiative {id}: {log:?}");
        assert_eq!(log[0], (None, 1, created), "{ctx}");
        assert_eq!(log.iter().filter(|m| m.0.is_none()).count(), 1, "{ctx}");
        for pair in log.windows(2) {
            assert_eq!(pair[1].0, Some(pair[0].1), "the log is a chain: {ctx}");
            assert!(pair[1].2 >= pair[0].2, "{ctx}");
        }
        let last = log.last().unwrap();
        assert_eq!(step, last.1, "{ctx}");
        let backs = log.iter().filter(|m| m.0.is_some_and(|f| m.1 < f)).count() as i64;
        assert_eq!(returns, backs, "{ctx}");
        let entered_log = log
            .iter()
            .filter(|m| m.0 != Some(m.1))
            .map(|m| m.2)
            .max()
            .unwrap();
        assert_eq!(entered, entered_log, "{ctx}");
        assert!(updated >= last.2 && updated <= now, "{ctx}");
        match status.as_str() {
            "done" => {
                assert_eq!(step, model.len() as i64, "{ctx}");
                assert_eq!(last.0, Some(step), "a completion is logged: {ctx}");
                assert_eq!(done_at, Some(last.2), "{ctx}");
                assert!(
                    matches!(code.as_deref(), Some("successful" | "unsuccessful")),
                    "{ctx}"
                );
                assert!(realised.is_some(), "{ctx}");
            }
            "active" | "on_hold" | "cancelled" => {
                assert_eq!(done_at, None, "{ctx}");
                assert_eq!(hold.is_some(), status == "on_hold", "{ctx}");
                assert_eq!(code.is_some(), status == "cancelled", "{ctx}");
                if status == "cancelled" {
                    // `realised` holds the cancellation's reason here.
                    assert_eq!(code.as_deref(), Some("withdrawn"));
                    assert!(realised.is_some());
                }
                assert_ne!(
                    last.0,
                    Some(last.1),
                    "only completions stay in place: {ctx}"
                );
            }
            other => panic!("status {other}"),
        }
        let later: i64 = conn
            .query_row(
                "SELECT (SELECT count(*) FROM checklist_items WHERE initiative_id = ?1 AND done_at > ?2)
                      + (SELECT count(*) FROM notes WHERE initiative_id = ?1 AND at > ?2)
                      + (SELECT count(*) FROM measurements m JOIN kpis k ON k.id = m.kpi_id
                          WHERE k.initiative_id = ?1 AND m.created_at > ?2)
                      + (SELECT count(*) FROM checklist_items WHERE initiative_id = ?1 AND done_at < ?3)",
                params![id, updated, created],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            later, 0,
            "all activity between creation and updated_at: {ctx}"
        );
        let copied: i64 = conn
            .query_row(
                "SELECT count(*) FROM checklist_items WHERE initiative_id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(copied, items as i64, "{ctx}");
    }
    // Checklists are exact copies of the model's templates.
    let mut stmt = conn
        .prepare("SELECT step, position, text FROM checklist_items WHERE initiative_id = (SELECT min(id) FROM initiatives) ORDER BY step, position")
        .unwrap();
    let texts: Vec<(u8, i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (step, position, text) in texts {
        assert_eq!(
            model.steps[usize::from(step) - 1].checklist[position as usize],
            text
        );
    }
    let today = date_text(DateTime::from_timestamp(now, 0).unwrap().date_naive());
    let future: i64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM moves WHERE at > ?1)
                  + (SELECT count(*) FROM measurements WHERE measured_on > ?2 OR created_at > ?1)
                  + (SELECT count(*) FROM kpis WHERE baseline_date > ?2)
                  + (SELECT count(*) FROM initiatives WHERE created_at > ?1)",
            params![now, today],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(future, 0, "nothing happens after now");
}

/// The tables the sample writes.
const TABLES: [&str; 7] = [
    "initiatives",
    "moves",
    "checklist_items",
    "kpis",
    "measurements",
    "notes",
    "goals",
];

#[test]
fn the_sample_is_a_rich_consistent_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, "r.db");
    let model = Model::itil4();
    assert!(!has_data(&store).unwrap());
    let summary = load_sample(&mut store, &model, now()).unwrap();
    assert!(has_data(&store).unwrap());

    assert!(summary.initiatives >= 20, "{summary:?}");
    assert_eq!(
        summary.initiatives as i64,
        count(&store, "SELECT count(*) FROM initiatives")
    );
    assert_eq!(
        summary.moves as i64,
        count(&store, "SELECT count(*) FROM moves")
    );
    assert_eq!(
        summary.kpis as i64,
        count(&store, "SELECT count(*) FROM kpis")
    );
    assert_eq!(
        summary.measurements as i64,
        count(&store, "SELECT count(*) FROM measurements")
    );
    assert_eq!(
        summary.notes as i64,
        count(&store, "SELECT count(*) FROM notes")
    );
    assert!(summary.goals >= 3);
    assert_eq!(
        summary.goals as i64,
        count(&store, "SELECT count(*) FROM goals")
    );

    assert_eq!(
        count(&store, "SELECT count(DISTINCT step) FROM initiatives"),
        7
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(DISTINCT step) FROM initiatives WHERE status = 'active'"
        ),
        7,
        "every step has active work"
    );
    assert_eq!(
        count(&store, "SELECT count(DISTINCT status) FROM initiatives"),
        4
    );
    assert!(
        count(
            &store,
            "SELECT count(*) FROM moves WHERE to_step < from_step"
        ) >= 5
    );
    assert!(
        count(
            &store,
            "SELECT count(*) FROM initiatives WHERE goal_id IS NOT NULL"
        ) >= 20
    );
    assert!(count(&store, "SELECT count(DISTINCT goal_id) FROM initiatives") >= 3);
    let follow_up_of_done =
        "SELECT count(*) FROM initiatives c JOIN initiatives p ON p.id = c.parent_id
                              WHERE p.status = 'done' AND c.created_at > p.done_at";
    assert_eq!(count(&store, follow_up_of_done), 1);
    let kpis_with_3 = "SELECT count(*) FROM kpis k
                        WHERE (SELECT count(*) FROM measurements m WHERE m.kpi_id = k.id) >= 3";
    assert!(count(&store, kpis_with_3) >= 10);
    assert_eq!(
        count(&store, "SELECT count(DISTINCT direction) FROM kpis"),
        2
    );
    assert_eq!(count(&store, "SELECT count(DISTINCT kind) FROM notes"), 3);
    let now_s = now().timestamp();
    let kpi_coverage = "SELECT count(*) FROM initiatives i WHERE i.step >= 3
                         AND EXISTS (SELECT 1 FROM kpis k WHERE k.initiative_id = i.id)";
    let at_3 = count(&store, "SELECT count(*) FROM initiatives WHERE step >= 3");
    assert!(
        count(&store, kpi_coverage) * 3 >= at_3 * 2,
        "most initiatives past step 2 have KPIs"
    );

    let today = now().date_naive();
    let overdue = format!(
        "SELECT count(*) FROM initiatives WHERE status IN ('active','on_hold') AND due < '{}'",
        date_text(today)
    );
    assert!(count(&store, &overdue) >= 2);
    let due_soon = format!(
        "SELECT count(*) FROM initiatives WHERE status = 'active' AND due BETWEEN '{}' AND '{}'",
        date_text(today),
        date_text(days_after(today, 14))
    );
    assert!(count(&store, &due_soon) >= 2);

    // Done across several of the last 12 weeks, so the sparkline has shape.
    let weeks = format!(
        "SELECT count(DISTINCT ({now_s} - done_at) / {}) FROM initiatives
          WHERE status = 'done' AND done_at > {now_s} - 84 * {DAY}",
        7 * DAY
    );
    assert!(count(&store, &weeks) >= 5);
    // Six months of history.
    assert!(count(&store, "SELECT min(created_at) FROM initiatives") < now_s - 150 * DAY);
    assert!(count(&store, "SELECT min(created_at) FROM initiatives") >= now_s - 181 * DAY);

    // Progress on KPIs goes both ways: overshoot and regression are both shown.
    let rows = store.backlog(&crate::domain::Models::builtin()).unwrap();
    let mut progress = Vec::new();
    for row in &rows {
        for kpi in store.kpis(row.id).unwrap() {
            if let Some(p) = kpi.progress() {
                progress.push(p);
            }
        }
    }
    assert!(progress.iter().any(|p| *p > 1.0), "{progress:?}");
    assert!(progress.iter().any(|p| *p < 0.4), "{progress:?}");

    assert_consistent(&store, &model, now());
}

#[test]
fn the_sample_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let model = Model::itil4();
    let dump = |name: &str| {
        let mut store = open(&dir, name);
        load_sample(&mut store, &model, now()).unwrap();
        let mut all = Vec::new();
        for table in TABLES {
            let mut stmt = store
                .conn_for_tests()
                .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
                .unwrap();
            let columns = stmt.column_count();
            let rows: Vec<Vec<Value>> = stmt
                .query_map([], |r| (0..columns).map(|i| r.get::<_, Value>(i)).collect())
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            all.push(rows);
        }
        all
    };
    let a = dump("a.db");
    assert!(!a[0].is_empty());
    assert_eq!(a, dump("b.db"));
}

#[test]
fn clear_empties_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, "r.db");
    load_sample(&mut store, &Model::itil4(), now()).unwrap();
    clear(&mut store).unwrap();
    assert!(!has_data(&store).unwrap());
    assert_eq!(count(&store, "PRAGMA foreign_keys"), 1);
    assert_eq!(count(&store, "PRAGMA ignore_check_constraints"), 0);
    for table in TABLES {
        assert_eq!(
            count(&store, &format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    // And the register is usable again.
    load_sample(&mut store, &Model::itil4(), now()).unwrap();
    assert!(has_data(&store).unwrap());
}

#[test]
fn goals_alone_count_as_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir, "r.db");
    store
        .conn_for_tests()
        .execute("INSERT INTO goals (name, created_at) VALUES ('g', 0)", [])
        .unwrap();
    assert!(has_data(&store).unwrap());
}

#[test]
fn generated_registers_are_consistent_and_varied() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, "r.db");
    let model = Model::itil4();
    let summary = generate(&mut store, &model, 500, now()).unwrap();
    assert_eq!(summary.initiatives, 500);
    assert_eq!(summary.goals, 4);
    assert_eq!(count(&store, "SELECT count(*) FROM initiatives"), 500);
    assert_eq!(
        summary.moves as i64,
        count(&store, "SELECT count(*) FROM moves")
    );
    let per = summary.moves as f64 / 500.0;
    assert!((7.0..=11.0).contains(&per), "{per} moves per initiative");
    assert!(
        count(
            &store,
            "SELECT count(*) FROM moves WHERE to_step < from_step"
        ) > 100
    );
    let active = count(
        &store,
        "SELECT count(*) FROM initiatives WHERE status = 'active'",
    );
    assert!((250..=350).contains(&active), "{active}");
    assert_eq!(
        count(&store, "SELECT count(DISTINCT status) FROM initiatives"),
        4
    );
    assert_eq!(
        count(&store, "SELECT count(DISTINCT step) FROM initiatives"),
        7
    );
    assert_eq!(
        count(&store, "SELECT count(DISTINCT owner) FROM initiatives"),
        data::data().words.owners.len() as i64
    );
    assert!(
        count(
            &store,
            "SELECT count(*) FROM initiatives WHERE due IS NOT NULL"
        ) > 100
    );
    assert!(summary.kpis > 0 && summary.measurements == 3 * summary.kpis && summary.notes > 0);
    // The load skipped constraint checks; the data must satisfy them anyway,
    // and the connection must enforce them again afterwards.
    let check: Vec<String> = store
        .conn_for_tests()
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(check, ["ok"]);
    assert_eq!(
        count(&store, "SELECT count(*) FROM pragma_foreign_key_check"),
        0
    );
    assert_eq!(count(&store, "PRAGMA foreign_keys"), 1);
    assert_eq!(count(&store, "PRAGMA ignore_check_constraints"), 0);
    // The bulk-load settings are gone again: the log, fsync, the cache.
    let journal: String = store
        .conn_for_tests()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    assert_eq!(count(&store, "PRAGMA synchronous"), 1, "NORMAL");
    assert_eq!(count(&store, "PRAGMA cache_size"), -2000);
    assert_consistent(&store, &model, now());

    // Deterministic for the same (n, now).
    let mut again = open(&dir, "again.db");
    assert_eq!(generate(&mut again, &model, 500, now()).unwrap(), summary);
    let titles = |s: &Store| -> Vec<(String, i64, i64)> {
        let mut stmt = s
            .conn_for_tests()
            .prepare("SELECT title, step, updated_at FROM initiatives ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(titles(&store), titles(&again));
}

#[test]
fn generating_nothing_still_adds_goals() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir, "r.db");
    let summary = generate(&mut store, &Model::itil4(), 0, now()).unwrap();
    assert_eq!(
        summary,
        DemoSummary {
            goals: 4,
            ..DemoSummary::default()
        }
    );
}

#[test]
fn walks_end_at_their_target() {
    let mut rng = Rng(7);
    let mut path = Vec::new();
    for target in 1..=7 {
        for _ in 0..200 {
            walk(&mut rng, 7, target, &mut path);
            assert_eq!(path.last().copied().unwrap_or(1), target);
            let mut at = 1;
            for &to in &path {
                assert!((1..=7).contains(&to) && to != at);
                assert!(
                    to < at || to == at + 1,
                    "forward moves go one step at a time"
                );
                at = to;
            }
        }
    }
    walk(&mut rng, 1, 1, &mut path);
    assert!(path.is_empty());
}

#[test]
fn sample_paths_fit_smaller_models() {
    assert_eq!(scale_path(&[2, 3, 4, 5, 6, 7], 7), [2, 3, 4, 5, 6, 7]);
    assert_eq!(scale_path(&[2, 3, 4, 5, 6, 7], 4), [2, 3, 4]);
    assert_eq!(scale_path(&[2, 3, 4, 5, 6, 4, 5, 6], 4), [2, 3, 4, 3, 4]);
    assert!(scale_path(&[2, 3], 1).is_empty());
}
