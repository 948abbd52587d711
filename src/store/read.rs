//! Queries: the store's read side, returning domain types.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::Store;
use crate::domain::initiative::{ChecklistCount, Measurement};
use crate::domain::{BacklogRow, ChecklistItem, Kpi, Model, Status, Step};

/// Columns of a backlog row: the initiatives table alone, so loading
/// 100,000 rows touches no checklist page.
const BACKLOG_SELECT: &str = "
    SELECT i.id, i.title, i.model, i.step, i.status, i.priority, i.value, i.effort,
           i.owner, i.due, i.created_at, i.step_entered_at, i.done_at, i.returns,
           i.description, i.tags, i.goal_id
      FROM initiatives i";

pub(super) fn timestamp(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

pub(super) fn date(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
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
    pub fn backlog(&self, model: &Model) -> rusqlite::Result<Vec<BacklogRow>> {
        let mut stmt = self.conn.prepare_cached(BACKLOG_SELECT)?;
        let rows = stmt.query_map([], |r| backlog_row(r, model))?;
        let mut rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        rows.sort_by_key(BacklogRow::backlog_order);
        Ok(rows)
    }

    pub fn backlog_row(&self, model: &Model, id: i64) -> rusqlite::Result<Option<BacklogRow>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{BACKLOG_SELECT} WHERE i.id = ?1"))?;
        stmt.query_row([id], |r| backlog_row(r, model)).optional()
    }

    /// Checklist counts of every initiative's current step, in one pass over
    /// the checklist table.
    pub fn checklist_counts(&self) -> rusqlite::Result<HashMap<i64, ChecklistCount>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.initiative_id, count(c.done_at), count(*)
               FROM checklist_items c JOIN initiatives i ON i.id = c.initiative_id AND i.step = c.step
              GROUP BY c.initiative_id",
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

fn backlog_row(r: &Row<'_>, model: &Model) -> rusqlite::Result<BacklogRow> {
    let status: String = r.get(4)?;
    let effort: String = r.get(7)?;
    Ok(BacklogRow {
        id: r.get(0)?,
        title: r.get(1)?,
        model: r.get(2)?,
        step: step_of(model, 3, r.get(3)?)?,
        status: status.parse::<Status>().map_err(|e| bad_value(4, e.0))?,
        priority: r.get(5)?,
        value: r.get(6)?,
        effort: effort
            .parse()
            .map_err(|e: crate::domain::initiative::ParseError| bad_value(7, e.0))?,
        owner: r.get(8)?,
        due: date(r.get(9)?),
        created_at: timestamp(r.get(10)?),
        step_entered_at: timestamp(r.get(11)?),
        done_at: r.get::<_, Option<i64>>(12)?.map(timestamp),
        returns: r.get(13)?,
        description: r.get(14)?,
        tags: r.get(15)?,
        goal_id: r.get(16)?,
    })
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
