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

mod flow;
#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OpenFlags, params};

use super::Store;
use super::open::BUSY_TIMEOUT;
use super::read::{BACKLOG_SELECT, Shared, backlog_row, description};
use super::schema::unusual;
use crate::domain::filter::Haystacks;
use crate::domain::metrics::FlowMetrics;
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
