//! Queries: the store's read side, returning domain types.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{OptionalExtension, Row, params};

use super::Store;
use crate::domain::filter::Haystacks;
use crate::domain::initiative::{ChecklistCount, Measurement, ParseError};
use crate::domain::{BacklogRow, ChecklistItem, Effort, Kpi, Model, Models, Status, Step};

/// Columns of a backlog row and its description (column 14, read for the
/// filter's search text, see [`description`]): the initiatives table alone,
/// so loading 100,000 rows touches no checklist page.
pub(super) const BACKLOG_SELECT: &str = "
    SELECT i.id, i.title, i.model, i.step, i.status, i.priority, i.value, i.effort,
           i.owner, i.due, i.created_at, i.step_entered_at, i.done_at, i.returns,
           i.description, i.tags, i.goal_id,
           i.status = 'done' AND i.closure_code IS 'unsuccessful',
           CASE i.status WHEN 'done' THEN coalesce(i.done_at, i.updated_at)
                         WHEN 'cancelled' THEN i.updated_at END
      FROM initiatives i";

pub(super) fn timestamp(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

pub(super) fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| date_bytes(t.as_bytes()))
}

/// A `YYYY-MM-DD` date. The canonical form (what the store writes) is read
/// by hand, several times faster than chrono's format parser, which reads
/// anything else.
fn date_bytes(b: &[u8]) -> Option<NaiveDate> {
    let digits = |s: &[u8]| {
        s.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if let [y @ .., b'-', m1, m2, b'-', d1, d2] = b
        && y.len() == 4
        && let (Some(y), Some(m), Some(d)) = (digits(y), digits(&[*m1, *m2]), digits(&[*d1, *d2]))
    {
        return NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    NaiveDate::parse_from_str(std::str::from_utf8(b).ok()?, "%Y-%m-%d").ok()
}

fn bad_value(col: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, what.into())
}

impl Store {
    pub fn is_empty(&self) -> rusqlite::Result<bool> {
        self.conn
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM initiatives)", [], |r| {
                r.get(0)
            })
    }

    /// The whole register in backlog order. Sorted here rather than by
    /// SQLite: sorting whole rows in SQL costs several times the scan.
    pub fn backlog(&self, models: &Models) -> rusqlite::Result<Vec<BacklogRow>> {
        let mut rows = Vec::with_capacity(self.count()?);
        self.scan(models, |row, _| rows.push(row))?;
        // Ids are unique, so the unstable sort gives the one order, without
        // the stable sort's buffer of half the rows.
        rows.sort_unstable_by_key(BacklogRow::backlog_order);
        Ok(rows)
    }

    /// The whole register in the table's order (not sorted: the dashboard
    /// keeps its own orders) with the filter's search text of every row,
    /// made from each row and its description as they are read, so that no
    /// description is kept.
    pub fn searchable_backlog(
        &self,
        models: &Models,
    ) -> rusqlite::Result<(Vec<BacklogRow>, Haystacks)> {
        let count = self.count()?;
        let mut rows = Vec::with_capacity(count);
        let mut search = Haystacks::with_capacity(count);
        self.scan(models, |row, description| {
            search.push(&row, description);
            rows.push(row);
        })?;
        search.shrink_to_fit();
        Ok((rows, search))
    }

    /// How many initiatives there are. A vector of 100,000 rows is sized
    /// by it up front: grown by doubling it would be copied several times
    /// over and touch twice the memory.
    fn count(&self) -> rusqlite::Result<usize> {
        let count: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM initiatives")?
            .query_row([], |r| r.get(0))?;
        Ok(usize::try_from(count).unwrap_or(0))
    }

    /// Every row with its description, in the table's order.
    fn scan(
        &self,
        models: &Models,
        mut each: impl FnMut(BacklogRow, &str),
    ) -> rusqlite::Result<()> {
        let mut stmt = self.conn.prepare_cached(BACKLOG_SELECT)?;
        let mut cursor = stmt.query([])?;
        let mut shared = Shared::default();
        while let Some(r) = cursor.next()? {
            each(backlog_row(r, models, &mut shared)?, description(r)?);
        }
        Ok(())
    }

    pub fn backlog_row(&self, models: &Models, id: i64) -> rusqlite::Result<Option<BacklogRow>> {
        Ok(self.searchable_row(models, id)?.map(|(row, _)| row))
    }

    /// One backlog row and its description (for the filter's search text).
    pub fn searchable_row(
        &self,
        models: &Models,
        id: i64,
    ) -> rusqlite::Result<Option<(BacklogRow, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{BACKLOG_SELECT} WHERE i.id = ?1"))?;
        stmt.query_row([id], |r| {
            let row = backlog_row(r, models, &mut Shared::default())?;
            Ok((row, description(r)?.to_owned()))
        })
        .optional()
    }

    /// Checklist counts of every initiative's current step. Driven from the
    /// initiatives (`CROSS JOIN` fixes that order), each looking up only its
    /// current step's items through `checklist_by_initiative`: at 100,000
    /// initiatives that reads a seventh of the 4.5 million checklist rows,
    /// where a pass over the checklist table reads them all (3x slower).
    pub fn checklist_counts(&self) -> rusqlite::Result<HashMap<i64, ChecklistCount>> {
        // Those lookups touch some 100,000 pages: read through a memory map
        // for this query alone, not one `pread` (and copy) per page, which
        // halves its time. Switched off again after, whatever happens.
        self.conn.execute_batch("PRAGMA mmap_size = 1073741824")?;
        let counts = self.checklist_counts_query();
        self.conn.execute_batch("PRAGMA mmap_size = 0")?;
        counts
    }

    fn checklist_counts_query(&self) -> rusqlite::Result<HashMap<i64, ChecklistCount>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, count(c.done_at), count(*)
               FROM initiatives i CROSS JOIN checklist_items c
                 ON c.initiative_id = i.id AND c.step = i.step
              GROUP BY i.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                ChecklistCount {
                    done: r.get(1)?,
                    total: r.get(2)?,
                },
            ))
        })?;
        rows.collect()
    }

    /// Checklist counts of one initiative's current step.
    pub fn checklist_count(&self, id: i64) -> rusqlite::Result<ChecklistCount> {
        self.conn
            .prepare_cached(
                "SELECT count(c.done_at), count(c.id)
                   FROM initiatives i LEFT JOIN checklist_items c ON c.initiative_id = i.id AND c.step = i.step
                  WHERE i.id = ?1",
            )?
            .query_row([id], |r| Ok(ChecklistCount { done: r.get(0)?, total: r.get(1)? }))
    }

    /// One step's checklist of one initiative, in order.
    pub fn checklist(
        &self,
        model: &Model,
        id: i64,
        step: Step,
    ) -> rusqlite::Result<Vec<ChecklistItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, step, position, text, done_at FROM checklist_items
              WHERE initiative_id = ?1 AND step = ?2 ORDER BY position, id",
        )?;
        let items = stmt.query_map(params![id, step.number()], |r| checklist_item(r, model))?;
        items.collect()
    }

    /// Every checklist item of one initiative, by step then position.
    pub fn checklists(&self, model: &Model, id: i64) -> rusqlite::Result<Vec<ChecklistItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, step, position, text, done_at FROM checklist_items
              WHERE initiative_id = ?1 ORDER BY step, position, id",
        )?;
        let items = stmt.query_map([id], |r| checklist_item(r, model))?;
        items.collect()
    }

    /// The KPIs of one initiative with their measurements, oldest first.
    pub fn kpis(&self, id: i64) -> rusqlite::Result<Vec<Kpi>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, unit, direction, baseline, baseline_date, target, target_date
               FROM kpis WHERE initiative_id = ?1 ORDER BY position, id",
        )?;
        let mut kpis = stmt
            .query_map([id], |r| {
                let direction: String = r.get(3)?;
                let pair = |v: Option<f64>, d: Option<NaiveDate>| v.zip(d);
                Ok(Kpi {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    unit: r.get(2)?,
                    direction: direction
                        .parse()
                        .map_err(|e| bad_value(3, format!("{e}")))?,
                    baseline: pair(r.get(4)?, date(r.get(5)?)),
                    target: pair(r.get(6)?, date(r.get(7)?)),
                    measurements: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<Kpi>>>()?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT value, measured_on FROM measurements WHERE kpi_id = ?1 ORDER BY measured_on, id",
        )?;
        for kpi in &mut kpis {
            kpi.measurements = stmt
                .query_map([kpi.id], |r| Ok((r.get::<_, f64>(0)?, date(r.get(1)?))))?
                .filter_map(|m| match m {
                    Ok((value, Some(on))) => Some(Ok(Measurement { value, on })),
                    Ok((_, None)) => None,
                    Err(e) => Some(Err(e)),
                })
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(kpis)
    }

    /// The move log of one initiative, oldest first.
    pub fn moves(&self, id: i64) -> rusqlite::Result<Vec<MoveRecord>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT from_step, to_step, at, reason FROM moves WHERE initiative_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(MoveRecord {
                from: r.get(0)?,
                to: r.get(1)?,
                at: timestamp(r.get(2)?),
                reason: r.get(3)?,
            })
        })?;
        rows.collect()
    }
}

/// One entry of the move log. Steps are raw numbers here: the log is history
/// and may mention steps of a model that has since changed.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveRecord {
    pub from: Option<i64>,
    pub to: i64,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

fn step_of(model: &Model, col: usize, n: i64) -> rusqlite::Result<Step> {
    // A step beyond the model (a model that lost steps) shows as its last.
    model
        .step(n)
        .or_else(|| (n > model.len() as i64).then(|| model.last()))
        .ok_or_else(|| bad_value(col, format!("step {n} is not in model {}", model.id)))
}

/// One backlog row. Run 100,000 times at start-up, so it avoids what the
/// generic accessors cost per value: status and effort are matched as bytes
/// (no `String` each), dates are parsed by hand.
pub(super) fn backlog_row(
    r: &Row<'_>,
    models: &Models,
    shared: &mut Shared,
) -> rusqlite::Result<BacklogRow> {
    let model = shared.text(r, 2)?;
    let status = match r.get_ref(4)?.as_bytes()? {
        b"active" => Status::Active,
        b"on_hold" => Status::OnHold,
        b"done" => Status::Done,
        b"cancelled" => Status::Cancelled,
        other => String::from_utf8_lossy(other)
            .parse()
            .map_err(|e: ParseError| bad_value(4, e.0))?,
    };
    let effort = match r.get_ref(7)?.as_bytes()? {
        b"S" => Effort::S,
        b"M" => Effort::M,
        b"L" => Effort::L,
        b"XL" => Effort::XL,
        other => String::from_utf8_lossy(other)
            .parse()
            .map_err(|e: ParseError| bad_value(7, e.0))?,
    };
    let due = match r.get_ref(9)? {
        ValueRef::Null => None,
        v => date_bytes(v.as_bytes()?),
    };
    Ok(BacklogRow {
        id: r.get(0)?,
        title: text(r, 1)?,
        step: step_of(models.resolve(&model), 3, r.get(3)?)?,
        model,
        status,
        priority: r.get(5)?,
        value: r.get(6)?,
        effort,
        owner: shared.text(r, 8)?,
        due,
        created_at: timestamp(r.get(10)?),
        step_entered_at: timestamp(r.get(11)?),
        done_at: r.get::<_, Option<i64>>(12)?.map(timestamp),
        returns: r.get(13)?,
        tags: shared.text(r, 15)?,
        goal_id: r.get(16)?,
        unsuccessful: r.get(17)?,
        closed_at: r.get::<_, Option<i64>>(18)?.map(timestamp),
    })
}

/// The text of columns that repeat from row to row (model, owner, tags),
/// one shared copy per value: at 100,000 rows that is 100,000 allocations
/// fewer per column, about 4 MB each. Values stop being remembered after
/// [`Shared::LIMIT`] different ones (a column of unique values gains
/// nothing from it).
#[derive(Default)]
pub(super) struct Shared {
    seen: HashSet<Arc<str>>,
}

impl Shared {
    const LIMIT: usize = 4096;

    fn text(&mut self, r: &Row<'_>, col: usize) -> rusqlite::Result<Arc<str>> {
        let s = r.get_ref(col)?.as_str()?;
        if let Some(seen) = self.seen.get(s) {
            return Ok(Arc::clone(seen));
        }
        let new: Arc<str> = Arc::from(s);
        if self.seen.len() < Self::LIMIT {
            self.seen.insert(Arc::clone(&new));
        }
        Ok(new)
    }
}

/// The description of a row of [`BACKLOG_SELECT`], borrowed from SQLite.
pub(super) fn description<'r>(r: &'r Row<'_>) -> rusqlite::Result<&'r str> {
    Ok(r.get_ref(14)?.as_str()?)
}

/// A TEXT column as an owned string; an empty one allocates nothing.
fn text(r: &Row<'_>, col: usize) -> rusqlite::Result<String> {
    match r.get_ref(col)?.as_str()? {
        "" => Ok(String::new()),
        s => Ok(s.to_owned()),
    }
}

fn checklist_item(r: &Row<'_>, model: &Model) -> rusqlite::Result<ChecklistItem> {
    Ok(ChecklistItem {
        id: r.get(0)?,
        step: step_of(model, 1, r.get(1)?)?,
        position: r.get(2)?,
        text: r.get(3)?,
        done_at: r.get::<_, Option<i64>>(4)?.map(timestamp),
    })
}
