//! The one place each table is written: one insert per table, taking a
//! typed row. The dashboard's writes (`Recorder`), the bulk writer of import
//! and the sample (`bulk.rs`) and the history all come through here, so a
//! column added to a table is added once, and a second engine would
//! implement these few functions.
//!
//! Statements are `prepare_cached`: a bulk loop of a million rows looks its
//! statement up instead of parsing it again. An `id` of `None` lets SQLite
//! give the next one; `Some` keeps an id (an import into an empty register).
//! Every column is written, with the schema's default where a caller has
//! nothing to say, so no row depends on which caller wrote it.

use std::fmt::Write as _;

use rusqlite::types::Value;
use rusqlite::{Connection, Statement, params, params_from_iter};

use crate::domain::Model;

/// A row of `goals`.
#[derive(Debug, Clone, Copy)]
pub struct GoalRow<'a> {
    pub id: Option<i64>,
    pub name: &'a str,
    pub description: &'a str,
    pub created_at: i64,
}

/// A row of `initiatives`. `step_entered_at`, `done_at` and `returns` must
/// agree with the moves written for it (see `schema.rs`).
#[derive(Debug, Clone, Copy)]
pub struct InitiativeRow<'a> {
    pub id: Option<i64>,
    pub title: &'a str,
    pub description: &'a str,
    pub source: &'a str,
    pub model: &'a str,
    pub step: i64,
    /// `active`, `on_hold`, `done` or `cancelled`.
    pub status: &'a str,
    pub hold_reason: Option<&'a str>,
    pub closure_code: Option<&'a str>,
    pub realised: Option<&'a str>,
    pub priority: i64,
    pub value: i64,
    pub effort: &'a str,
    pub owner: &'a str,
    pub raised_by: &'a str,
    pub area: Option<&'a str>,
    pub tags: &'a str,
    pub goal_id: Option<i64>,
    pub parent_id: Option<i64>,
    /// `YYYY-MM-DD`.
    pub due: Option<&'a str>,
    pub created_at: i64,
    pub updated_at: i64,
    pub step_entered_at: i64,
    pub done_at: Option<i64>,
    pub returns: i64,
    pub version: i64,
    pub cancel_reason: Option<&'a str>,
}

/// A row of `checklist_items`.
#[derive(Debug, Clone, Copy)]
pub struct ItemRow<'a> {
    pub id: Option<i64>,
    pub initiative_id: i64,
    pub step: i64,
    pub position: i64,
    pub text: &'a str,
    pub done_at: Option<i64>,
}

/// A row of `moves`: `from_step` is `None` for the creation.
#[derive(Debug, Clone, Copy)]
pub struct MoveRow<'a> {
    pub id: Option<i64>,
    pub initiative_id: i64,
    pub from_step: Option<i64>,
    pub to_step: i64,
    pub at: i64,
    pub reason: Option<&'a str>,
}

/// A row of `kpis`; dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy)]
pub struct KpiRow<'a> {
    pub id: Option<i64>,
    pub initiative_id: i64,
    pub position: i64,
    pub name: &'a str,
    pub unit: &'a str,
    /// `higher` or `lower`.
    pub direction: &'a str,
    pub baseline: Option<f64>,
    pub baseline_date: Option<&'a str>,
    pub target: Option<f64>,
    pub target_date: Option<&'a str>,
}

/// A row of `measurements`.
#[derive(Debug, Clone, Copy)]
pub struct MeasurementRow<'a> {
    pub id: Option<i64>,
    pub kpi_id: i64,
    pub value: f64,
    /// `YYYY-MM-DD`.
    pub measured_on: &'a str,
    pub created_at: i64,
}

/// A row of `notes`; `kind` is `work`, `decision` or `lesson`.
#[derive(Debug, Clone, Copy)]
pub struct NoteRow<'a> {
    pub id: Option<i64>,
    pub initiative_id: i64,
    pub kind: &'a str,
    pub body: &'a str,
    pub at: i64,
}

/// A row of `events`: `data` is the event as JSON, kind included.
#[derive(Debug, Clone, Copy)]
pub struct EventRow<'a> {
    pub initiative_id: Option<i64>,
    pub at: i64,
    pub by: &'a str,
    pub kind: &'a str,
    pub data: &'a str,
}

pub(super) fn goal(conn: &Connection, g: &GoalRow<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO goals (id, name, description, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![g.id, g.name, g.description, g.created_at])?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn initiative(conn: &Connection, i: &InitiativeRow<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO initiatives (id, title, description, source, model, step, status,
            hold_reason, closure_code, realised, priority, value, effort, owner, raised_by,
            area, tags, goal_id, parent_id, due, created_at, updated_at, step_entered_at,
            done_at, returns, version, cancel_reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                 ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)",
    )?
    .execute(params![
        i.id,
        i.title,
        i.description,
        i.source,
        i.model,
        i.step,
        i.status,
        i.hold_reason,
        i.closure_code,
        i.realised,
        i.priority,
        i.value,
        i.effort,
        i.owner,
        i.raised_by,
        i.area,
        i.tags,
        i.goal_id,
        i.parent_id,
        i.due,
        i.created_at,
        i.updated_at,
        i.step_entered_at,
        i.done_at,
        i.returns,
        i.version,
        i.cancel_reason,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Sets the initiative an initiative follows on from (an import links
/// follow-ups once every initiative has its id).
pub(super) fn set_parent(conn: &Connection, id: i64, parent: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE initiatives SET parent_id = ?2 WHERE id = ?1")?
        .execute(params![id, parent])?;
    Ok(())
}

pub(super) fn item(conn: &Connection, c: &ItemRow<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO checklist_items (id, initiative_id, step, position, text, done_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        c.id,
        c.initiative_id,
        c.step,
        c.position,
        c.text,
        c.done_at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The model's checklist, every step's items unticked, onto initiative
/// `initiative_id`; the new items' ids in order.
pub(super) fn fresh_checklist(
    conn: &Connection,
    initiative_id: i64,
    model: &Model,
) -> rusqlite::Result<Vec<i64>> {
    let mut ids = Vec::new();
    for step in model.steps() {
        for (pos, text) in model.def(step).checklist.iter().enumerate() {
            let row = ItemRow {
                id: None,
                initiative_id,
                step: step.number().into(),
                position: pos as i64,
                text,
                done_at: None,
            };
            ids.push(item(conn, &row)?);
        }
    }
    Ok(ids)
}

/// A model's whole checklist copied onto new initiatives, one statement per
/// initiative with the template texts bound once: per initiative only its
/// id and the items' `done_at` change, so a 100,000-initiative load runs
/// 100,000 statements for its 4.5 million items instead of one per item.
/// The rows (and their ids) come in model order, as [`item`] one by one
/// would give them.
pub struct ChecklistCopy<'c> {
    /// `None` for a model without checklist items.
    stmt: Option<Statement<'c>>,
    items: usize,
}

impl<'c> ChecklistCopy<'c> {
    /// Parameters: `?1` the initiative, `?2..` the texts, then the
    /// `done_at`s, in model order.
    pub(super) fn new(conn: &'c Connection, model: &Model) -> rusqlite::Result<ChecklistCopy<'c>> {
        let texts: Vec<(u8, usize, &str)> = model
            .steps()
            .flat_map(|step| {
                model
                    .def(step)
                    .checklist
                    .iter()
                    .enumerate()
                    .map(move |(pos, text)| (step.number(), pos, text.as_str()))
            })
            .collect();
        if texts.is_empty() {
            return Ok(ChecklistCopy {
                stmt: None,
                items: 0,
            });
        }
        let n = texts.len();
        // OR FAIL, not the default ABORT: an ABORT-able multi-row statement
        // keeps a statement journal of every page it touches, and a failure
        // rolls the whole load back anyway.
        let mut sql = String::from(
            "INSERT OR FAIL INTO checklist_items (initiative_id, step, position, text, done_at) VALUES ",
        );
        for (k, (step, pos, _)) in texts.iter().enumerate() {
            let sep = if k == 0 { "" } else { ", " };
            let _ = write!(sql, "{sep}(?1, {step}, {pos}, ?{}, ?{})", k + 2, n + k + 2);
        }
        let mut stmt = conn.prepare(&sql)?;
        for (k, (_, _, text)) in texts.iter().enumerate() {
            stmt.raw_bind_parameter(k + 2, text)?;
        }
        Ok(ChecklistCopy {
            stmt: Some(stmt),
            items: n,
        })
    }

    /// Copies the checklist onto `initiative`, item `k` done at `done_at[k]`.
    pub(super) fn copy(
        &mut self,
        initiative: i64,
        done_at: &[Option<i64>],
    ) -> rusqlite::Result<()> {
        let Some(stmt) = &mut self.stmt else {
            return Ok(());
        };
        debug_assert_eq!(done_at.len(), self.items);
        stmt.raw_bind_parameter(1, initiative)?;
        for (k, at) in done_at.iter().enumerate() {
            stmt.raw_bind_parameter(self.items + 2 + k, at)?;
        }
        stmt.raw_execute()?;
        Ok(())
    }
}

pub(super) fn log_move(conn: &Connection, m: &MoveRow<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO moves (id, initiative_id, from_step, to_step, at, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        m.id,
        m.initiative_id,
        m.from_step,
        m.to_step,
        m.at,
        m.reason
    ])?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn kpi(conn: &Connection, k: &KpiRow<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO kpis (id, initiative_id, position, name, unit, direction, baseline,
            baseline_date, target, target_date)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        k.id,
        k.initiative_id,
        k.position,
        k.name,
        k.unit,
        k.direction,
        k.baseline,
        k.baseline_date,
        k.target,
        k.target_date
    ])?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn measurement(conn: &Connection, m: &MeasurementRow<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO measurements (id, kpi_id, value, measured_on, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        m.id,
        m.kpi_id,
        m.value,
        m.measured_on,
        m.created_at
    ])?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn note(conn: &Connection, n: &NoteRow<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO notes (id, initiative_id, kind, body, at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![n.id, n.initiative_id, n.kind, n.body, n.at])?;
    Ok(conn.last_insert_rowid())
}

pub(super) fn event(conn: &Connection, e: &EventRow<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO events (initiative_id, at, by, kind, data) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![e.initiative_id, e.at, e.by, e.kind, e.data])?;
    Ok(conn.last_insert_rowid())
}

/// Gives initiatives `created` and `moved` events from their move log,
/// author unknown: with `None`, every initiative that has no history yet
/// (registers filled in bulk: the sample); with `Some(id)`, that one,
/// whatever history it has (an import whose file carried none).
pub(super) fn events_from_moves(conn: &Connection, only: Option<i64>) -> rusqlite::Result<usize> {
    conn.execute(
        "INSERT INTO events (initiative_id, at, by, kind, data)
         SELECT m.initiative_id, m.at, '',
                CASE WHEN m.from_step IS NULL THEN 'created' ELSE 'moved' END,
                CASE WHEN m.from_step IS NULL
                     THEN json_object('kind', 'created', 'title', i.title)
                     ELSE json_object('kind', 'moved', 'from', m.from_step, 'to', m.to_step,
                                      'back', json(CASE WHEN m.to_step < m.from_step THEN 'true' ELSE 'false' END),
                                      'reason', m.reason)
                END
           FROM moves m JOIN initiatives i ON i.id = m.initiative_id
          WHERE CASE WHEN ?1 IS NULL
                     THEN NOT EXISTS (SELECT 1 FROM events e WHERE e.initiative_id = m.initiative_id)
                     ELSE m.initiative_id = ?1 END
          ORDER BY m.at, m.id",
        [only],
    )
}

/// Marks an initiative as the sample's, at the version it was loaded with
/// (`sample.rs` removes the ones nobody changed since).
pub(super) fn sample_initiative(conn: &Connection, id: i64, version: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO sample_initiatives (id, version) VALUES (?1, ?2)")?
        .execute([id, version])?;
    Ok(())
}

/// Marks a goal as the sample's.
pub(super) fn sample_goal(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO sample_goals (id) VALUES (?1)")?
        .execute([id])?;
    Ok(())
}

/// Puts a row back as undo or redo recorded it, column by column
/// (`change.rs`): the row image came from this table, so it fits it.
pub(super) fn restore(
    conn: &Connection,
    table: &str,
    row: &[(String, Value)],
) -> rusqlite::Result<()> {
    let cols: Vec<&str> = row.iter().map(|(c, _)| c.as_str()).collect();
    let marks = vec!["?"; cols.len()].join(", ");
    conn.execute(
        &format!("INSERT INTO {table} ({}) VALUES ({marks})", cols.join(", ")),
        params_from_iter(row.iter().map(|(_, v)| v)),
    )?;
    Ok(())
}
