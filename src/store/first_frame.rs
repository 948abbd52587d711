//! What the dashboard's first frame shows, read without loading the whole
//! register: the first page of the backlog in its default order, the
//! register's size and largest id, and the flow metrics through SQL ranges
//! over the `V2` indexes. At 100,000 initiatives this is a few milliseconds
//! where the full load is a few hundred; the dashboard loads the rest on a
//! second connection while the first frame is on screen.
//!
//! The figures must be exactly what [`metrics::compute`] makes of the full
//! load, or the screen would change when the full load lands. Each query
//! below follows one part of `compute` (see the comments), and
//! `tests::flow_equals_compute_on_random_registers` checks the whole against
//! `compute` on random registers built to hit every boundary (day and week
//! edges, future timestamps, ties, other models, missing dates). Where the
//! SQL could read a value differently from the row decoder (an invalid due
//! date, a timestamp out of range, a value of the wrong type: the rows of the
//! `initiatives_unusual` index), or an active initiative sits past the
//! model's last step, [`Store::first_frame`] answers `None` and the dashboard
//! loads everything before its first frame, as before.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rusqlite::{OpenFlags, params};

use super::Store;
use super::open::BUSY_TIMEOUT;
use super::read::{BACKLOG_SELECT, Shared, backlog_row, description, timestamp};
use super::schema::unusual;
use crate::domain::filter::Haystacks;
use crate::domain::metrics::{self, FlowMetrics, Oldest, THROUGHPUT_WEEKS};
use crate::domain::{BacklogRow, Models, Status};

/// What the first frame shows of the register.
#[derive(Debug, Clone, PartialEq)]
pub struct FirstFrame {
    /// The first rows in backlog order (`BacklogRow::backlog_order`).
    pub rows: Vec<BacklogRow>,
    /// Their search text for the filter.
    pub search: Haystacks,
    /// How many initiatives there are.
    pub total: usize,
    /// The largest id (the backlog sizes its id column by it).
    pub max_id: Option<i64>,
    /// Exactly `metrics::compute` over every row.
    pub metrics: FlowMetrics,
}

/// The indexes the first frame reads through (schema `V2`).
const INDEXES: [&str; 4] = [
    "initiatives_by_backlog_order",
    "initiatives_flow",
    "initiatives_by_due",
    "initiatives_unusual",
];

const SECONDS_PER_DAY: i64 = 86_400;

impl Store {
    /// A second connection to the same file, for reading only (the full
    /// load runs on it in the background). `None` for a register in memory.
    pub fn reader(&self) -> Option<Store> {
        let path = self.conn.path().filter(|p| !p.is_empty())?;
        // Counted as open here, so no store closing meanwhile removes the
        // journal files this one reads through (see `journal::Tidy`).
        let tidy = super::journal::Tidy::new(std::path::Path::new(path), true);
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = rusqlite::Connection::open_with_flags(path, flags).ok()?;
        conn.busy_timeout(BUSY_TIMEOUT).ok()?;
        conn.execute_batch("PRAGMA query_only = ON;").ok()?;
        Some(Store::new(conn).tidied(tidy))
    }

    /// The register's first `limit` rows in backlog order and its flow
    /// metrics as `metrics::compute` would give them at `now`, all in one
    /// read transaction. `None` when this register cannot be read that way
    /// (no `V2` indexes: an older file opened read-only; or unusual rows, see
    /// the module comment): the caller then loads everything.
    pub fn first_frame(
        &self,
        models: &Models,
        now: DateTime<Utc>,
        today: NaiveDate,
        stale_days: i64,
        limit: usize,
    ) -> rusqlite::Result<Option<FirstFrame>> {
        let tx = self.conn.unchecked_transaction()?;
        // Everything inside the one read transaction, committed whatever
        // the outcome.
        let frame = (|| -> rusqlite::Result<Option<FirstFrame>> {
            if stale_days < 1
                || !self.has_first_frame_indexes()?
                || self.has_unusual_rows(models)?
            {
                return Ok(None);
            }
            let Some(metrics) = self.flow(models, now, today, stale_days)? else {
                return Ok(None);
            };
            let (rows, search) = self.backlog_page(models, limit)?;
            let max_id = self
                .conn
                .prepare_cached("SELECT max(id) FROM initiatives")?
                .query_row([], |r| r.get(0))?;
            Ok(Some(FirstFrame {
                rows,
                search,
                total: metrics.total,
                max_id,
                metrics,
            }))
        })();
        tx.commit()?;
        frame
    }

    /// Rows the SQL figures could read differently from the row decoder.
    fn has_unusual_rows(&self, models: &Models) -> rusqlite::Result<bool> {
        let unusual: bool = self
            .conn
            .prepare_cached(concat!(
                "SELECT EXISTS (SELECT 1 FROM initiatives WHERE ",
                unusual!(),
                ")"
            ))?
            .query_row([], |r| r.get(0))?;
        // An active initiative past its model's last step counts at its last
        // step in `compute`; rare (a model that lost steps), and left to it.
        let mut past_last = self.conn.prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM initiatives
              WHERE status = 'active' AND model = ?1 AND step > ?2)",
        )?;
        for (model, _) in models.iter() {
            if past_last.query_row(params![model.id, model.len() as i64], |r| r.get(0))? {
                return Ok(true);
            }
        }
        Ok(unusual)
    }

    /// The first `limit` rows in backlog order: status in `Status` order,
    /// then priority, then id, read through `initiatives_by_backlog_order`
    /// one status at a time, decoded by the full load's own decoder, with
    /// their search text.
    pub fn backlog_page(
        &self,
        models: &Models,
        limit: usize,
    ) -> rusqlite::Result<(Vec<BacklogRow>, Haystacks)> {
        let mut rows = Vec::with_capacity(limit.min(1024));
        let mut search = Haystacks::with_capacity(limit.min(1024));
        let mut stmt = self.conn.prepare_cached(&format!(
            "{BACKLOG_SELECT} WHERE i.status = ?1 ORDER BY i.priority, i.id LIMIT ?2"
        ))?;
        let mut shared = Shared::default();
        for status in Status::ALL {
            let left = limit - rows.len();
            if left == 0 {
                break;
            }
            let mut cursor = stmt.query(params![status.as_str(), left as i64])?;
            while let Some(r) = cursor.next()? {
                let row = backlog_row(r, models, &mut shared)?;
                search.push(&row, description(r)?);
                rows.push(row);
            }
        }
        Ok((rows, search))
    }

    /// `metrics::compute` over every row, through ranges of the `V2`
    /// indexes. `None` if `today` cannot be compared as text.
    fn flow(
        &self,
        models: &Models,
        now: DateTime<Utc>,
        today: NaiveDate,
        stale_days: i64,
    ) -> rusqlite::Result<Option<FlowMetrics>> {
        if !(0..=9999).contains(&today.year()) {
            return Ok(None);
        }
        let mut m = FlowMetrics::for_models(models);
        // `days_in_step` is `(now - entered).num_days().max(0)`, whole days
        // of whole seconds: at least `d` days exactly when `entered` is at
        // or before `now_s - d * 86,400` (d ≥ 1; `now`'s fraction of a
        // second never adds a day).
        let now_s = now.timestamp();
        let at_least = |days: i64| now_s.saturating_sub(days.saturating_mul(SECONDS_PER_DAY));

        // Every active row (`initiatives_flow`): count, returns, stale ones.
        let (count, returns, stale): (u32, Option<i64>, u32) = self
            .conn
            .prepare_cached(
                "SELECT count(*), sum(returns), count(CASE WHEN step_entered_at <= ?1 THEN 1 END)
                   FROM initiatives WHERE status = 'active'",
            )?
            .query_row([at_least(stale_days)], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        m.by_status[0] += count;
        m.returns += returns.unwrap_or(0) as u64;
        m.stale += stale;

        // Active rows of each known model, step by step (`initiatives_flow`):
        // the count and the longest waiting. Rows of a model not known here
        // are counted above, not placed on a step.
        let mut per_step = self.conn.prepare_cached(
            "SELECT count(*), min(step_entered_at)
               FROM initiatives WHERE status = 'active' AND model = ?1 AND step = ?2",
        )?;
        // `compute` keeps the first row (backlog order: priority, id) of
        // those with the most days; they entered at or before `hi`.
        let mut first_oldest = self.conn.prepare_cached(
            "SELECT id FROM initiatives
              WHERE status = 'active' AND model = ?1 AND step = ?2 AND step_entered_at <= ?3
              ORDER BY priority, id LIMIT 1",
        )?;
        for (k, (model, _)) in models.iter().enumerate() {
            let flow = &mut m.per_model[k];
            for i in 0..model.len() {
                let step = i as i64 + 1;
                let (count, oldest): (u32, Option<i64>) =
                    per_step.query_row(params![model.id, step], |r| Ok((r.get(0)?, r.get(1)?)))?;
                flow.active_per_step[i] = count;
                if let Some(entered) = oldest {
                    let days = (now - timestamp(entered)).num_days().max(0);
                    let hi = if days > 0 { at_least(days) } else { i64::MAX };
                    let id = first_oldest.query_row(params![model.id, step, hi], |r| r.get(0))?;
                    flow.oldest_per_step[i] = Some(Oldest { id, days });
                }
            }
        }

        let mut by_status = self
            .conn
            .prepare_cached("SELECT count(*), sum(returns) FROM initiatives WHERE status = ?1")?;
        for status in [Status::OnHold, Status::Cancelled] {
            let (count, returns): (u32, Option<i64>) =
                by_status.query_row([status.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
            m.by_status[status.index()] += count;
            m.returns += returns.unwrap_or(0) as u64;
        }

        // Done rows, one by one (there are fewer, and cycle times need each):
        // the same arithmetic as `compute`.
        let mut done = self.conn.prepare_cached(
            "SELECT created_at, done_at, returns FROM initiatives WHERE status = 'done'",
        )?;
        let mut cursor = done.query([])?;
        let mut cycles = Vec::new();
        while let Some(r) = cursor.next()? {
            m.by_status[2] += 1;
            m.returns += r.get::<_, u32>(2)? as u64;
            if let Some(done_at) = r.get::<_, Option<i64>>(1)? {
                let (created, done) = (timestamp(r.get(0)?), timestamp(done_at));
                let days = (done - created).num_seconds() as f64 / 86_400.0;
                cycles.push(days.max(0.0));
                let weeks_ago = (now - done).num_days().div_euclid(7);
                if (0..THROUGHPUT_WEEKS as i64).contains(&weeks_ago) {
                    m.throughput[THROUGHPUT_WEEKS - 1 - weeks_ago as usize] += 1;
                }
            }
        }
        drop(cursor);
        // Through a partial index that holds exactly these rows.
        m.unsuccessful = self.conn.query_row(
            "SELECT count(*) FROM initiatives WHERE status = 'done' AND closure_code = 'unsuccessful'",
            [],
            |r| r.get(0),
        )?;
        cycles.sort_by(f64::total_cmp);
        m.cycle_median = metrics::percentile(&cycles, 50.0);
        m.cycle_p85 = metrics::percentile(&cycles, 85.0);

        // Open rows due before today (`initiatives_by_due`): every due date
        // is a valid `YYYY-MM-DD` here (no unusual rows), so text order is
        // date order.
        let today_text = today.format("%Y-%m-%d").to_string();
        let mut overdue = self
            .conn
            .prepare_cached("SELECT count(*) FROM initiatives WHERE status = ?1 AND due < ?2")?;
        for status in [Status::Active, Status::OnHold] {
            m.overdue +=
                overdue.query_row(params![status.as_str(), today_text], |r| r.get::<_, u32>(0))?;
        }
        m.total = m.by_status.iter().map(|&n| n as usize).sum();
        Ok(Some(m))
    }

    /// Whether the first frame's indexes are there (an older file opened
    /// read-only has none).
    pub fn has_first_frame_indexes(&self) -> rusqlite::Result<bool> {
        let n: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN (?1, ?2, ?3, ?4)",
            )?
            .query_row(INDEXES, |r| r.get(0))?;
        Ok(n == INDEXES.len() as i64)
    }
}

#[cfg(test)]
mod tests {
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
                    (Status::Done, _) | (_, 0) => {
                        Some(near(&mut rng, now_s, span).max(created - 5))
                    }
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
}
