//! Reading the register into a [`RegisterDoc`] (export, `improve show`).
//!
//! Reads are one query per table inside one read transaction, so an export
//! is a consistent snapshot even while a dashboard writes. Writing one back
//! is `bulk.rs`.

use std::collections::HashMap;

use rusqlite::{Connection, Row};

use super::Store;
use crate::domain::register_doc::{
    EventDoc, GoalDoc, InitiativeDoc, ItemDoc, KIND, KpiDoc, MeasurementDoc, MoveDoc, NoteDoc,
    RegisterDoc, SCHEMA, Stamp,
};

const INITIATIVE_COLUMNS: &str = "id, title, description, source, model, step, status, hold_reason,
    closure_code, realised, priority, value, effort, owner, raised_by, area, tags, goal_id,
    parent_id, due, created_at, updated_at, step_entered_at, done_at, returns, version,
    cancel_reason";

fn initiative(r: &Row<'_>) -> rusqlite::Result<InitiativeDoc> {
    Ok(InitiativeDoc {
        id: r.get(0)?,
        title: r.get(1)?,
        description: r.get(2)?,
        source: r.get(3)?,
        model: r.get(4)?,
        step: r.get(5)?,
        status: r.get(6)?,
        hold_reason: r.get(7)?,
        closure_code: r.get(8)?,
        realised: r.get(9)?,
        priority: r.get(10)?,
        value: r.get(11)?,
        effort: r.get(12)?,
        owner: r.get(13)?,
        raised_by: r.get(14)?,
        area: r.get(15)?,
        tags: r.get(16)?,
        goal_id: r.get(17)?,
        parent_id: r.get(18)?,
        due: r.get(19)?,
        created_at: Stamp(r.get(20)?),
        updated_at: Stamp(r.get(21)?),
        step_entered_at: Stamp(r.get(22)?),
        done_at: r.get::<_, Option<i64>>(23)?.map(Stamp),
        returns: r.get(24)?,
        version: r.get(25)?,
        cancel_reason: r.get(26)?,
        history: Vec::new(),
        checklist: Vec::new(),
        moves: Vec::new(),
        kpis: Vec::new(),
        notes: Vec::new(),
    })
}

/// Rows of a child table grouped by their owner, in the query's order.
fn grouped<T>(
    conn: &Connection,
    sql: &str,
    only: Option<i64>,
    f: impl Fn(&Row<'_>) -> rusqlite::Result<(i64, T)>,
) -> rusqlite::Result<HashMap<i64, Vec<T>>> {
    let mut stmt = conn.prepare(sql)?;
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    let mut rows = stmt.query([only])?;
    while let Some(r) = rows.next()? {
        let (owner, item) = f(r)?;
        out.entry(owner).or_default().push(item);
    }
    Ok(out)
}

/// Initiatives (all, or one) with their parts.
fn initiatives(conn: &Connection, only: Option<i64>) -> rusqlite::Result<Vec<InitiativeDoc>> {
    let filter = "(?1 IS NULL OR initiative_id = ?1)";
    let mut list: Vec<InitiativeDoc> = conn
        .prepare(&format!(
            "SELECT {INITIATIVE_COLUMNS} FROM initiatives WHERE (?1 IS NULL OR id = ?1) ORDER BY id"
        ))?
        .query_map([only], initiative)?
        .collect::<rusqlite::Result<_>>()?;
    let mut items = grouped(
        conn,
        &format!(
            "SELECT initiative_id, id, step, position, text, done_at FROM checklist_items
              WHERE {filter} ORDER BY initiative_id, step, position, id"
        ),
        only,
        |r| {
            Ok((
                r.get(0)?,
                ItemDoc {
                    id: r.get(1)?,
                    step: r.get(2)?,
                    position: r.get(3)?,
                    text: r.get(4)?,
                    done_at: r.get::<_, Option<i64>>(5)?.map(Stamp),
                },
            ))
        },
    )?;
    let mut moves = grouped(
        conn,
        &format!(
            "SELECT initiative_id, id, from_step, to_step, at, reason FROM moves
              WHERE {filter} ORDER BY initiative_id, at, id"
        ),
        only,
        |r| {
            Ok((
                r.get(0)?,
                MoveDoc {
                    id: r.get(1)?,
                    from_step: r.get(2)?,
                    to_step: r.get(3)?,
                    at: Stamp(r.get(4)?),
                    reason: r.get(5)?,
                },
            ))
        },
    )?;
    let mut notes = grouped(
        conn,
        &format!(
            "SELECT initiative_id, id, kind, body, at FROM notes
              WHERE {filter} ORDER BY initiative_id, at, id"
        ),
        only,
        |r| {
            Ok((
                r.get(0)?,
                NoteDoc {
                    id: r.get(1)?,
                    kind: r.get(2)?,
                    body: r.get(3)?,
                    at: Stamp(r.get(4)?),
                },
            ))
        },
    )?;
    let mut measurements = grouped(
        conn,
        "SELECT m.kpi_id, m.id, m.value, m.measured_on, m.created_at
           FROM measurements m JOIN kpis k ON k.id = m.kpi_id
          WHERE (?1 IS NULL OR k.initiative_id = ?1) ORDER BY m.kpi_id, m.measured_on, m.id",
        only,
        |r| {
            Ok((
                r.get(0)?,
                MeasurementDoc {
                    id: r.get(1)?,
                    value: r.get(2)?,
                    measured_on: r.get(3)?,
                    created_at: Stamp(r.get(4)?),
                },
            ))
        },
    )?;
    let mut kpis = grouped(
        conn,
        &format!(
            "SELECT initiative_id, id, position, name, unit, direction, baseline, baseline_date,
                    target, target_date FROM kpis
              WHERE {filter} ORDER BY initiative_id, position, id"
        ),
        only,
        |r| {
            let id: i64 = r.get(1)?;
            Ok((
                r.get(0)?,
                KpiDoc {
                    id,
                    position: r.get(2)?,
                    name: r.get(3)?,
                    unit: r.get(4)?,
                    direction: r.get(5)?,
                    baseline: r.get(6)?,
                    baseline_date: r.get(7)?,
                    target: r.get(8)?,
                    target_date: r.get(9)?,
                    measurements: Vec::new(),
                },
            ))
        },
    )?;
    let mut events = grouped(
        conn,
        &format!(
            "SELECT initiative_id, id, at, by, kind, data FROM events
              WHERE initiative_id IS NOT NULL AND {} ORDER BY initiative_id, id",
            filter
        ),
        only,
        |r| {
            let data: String = r.get(5)?;
            let mut fields = match serde_json::from_str(&data) {
                Ok(serde_json::Value::Object(m)) => m,
                _ => serde_json::Map::new(),
            };
            fields.remove("kind");
            Ok((
                r.get(0)?,
                EventDoc {
                    at: Stamp(r.get(2)?),
                    by: r.get(3)?,
                    kind: r.get(4)?,
                    fields,
                },
            ))
        },
    )?;
    for i in &mut list {
        i.history = events.remove(&i.id).unwrap_or_default();
        i.checklist = items.remove(&i.id).unwrap_or_default();
        i.moves = moves.remove(&i.id).unwrap_or_default();
        i.notes = notes.remove(&i.id).unwrap_or_default();
        i.kpis = kpis.remove(&i.id).unwrap_or_default();
        for k in &mut i.kpis {
            k.measurements = measurements.remove(&k.id).unwrap_or_default();
        }
    }
    Ok(list)
}

fn goals(conn: &Connection) -> rusqlite::Result<Vec<GoalDoc>> {
    conn.prepare("SELECT id, name, description, created_at FROM goals ORDER BY id")?
        .query_map([], |r| {
            Ok(GoalDoc {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                created_at: Stamp(r.get(3)?),
            })
        })?
        .collect()
}

/// The whole register, read in one snapshot.
pub fn read_register(store: &Store, now: Stamp) -> rusqlite::Result<RegisterDoc> {
    let conn = store.conn();
    let _snapshot = conn.unchecked_transaction()?;
    Ok(RegisterDoc {
        schema: SCHEMA,
        kind: KIND.into(),
        exported_at: now,
        goals: goals(conn)?,
        initiatives: initiatives(conn, None)?,
        models: Vec::new(),
    })
}

/// One initiative with its parts, or `None`.
pub fn read_initiative(store: &Store, id: i64) -> rusqlite::Result<Option<InitiativeDoc>> {
    let conn = store.conn();
    let _snapshot = conn.unchecked_transaction()?;
    Ok(initiatives(conn, Some(id))?.pop())
}

/// How many of `rows` (id, reference, title) are in the register already:
/// an initiative with the same title and the row's id, or with the
/// reference an earlier import kept as its source ("imported CI-7").
pub fn rows_already_there(
    store: &Store,
    rows: &[(Option<i64>, &str, &str)],
) -> rusqlite::Result<usize> {
    let mut by_id = std::collections::HashSet::new();
    let mut by_source = std::collections::HashSet::new();
    let mut stmt = store
        .conn()
        .prepare("SELECT id, source, title FROM initiatives")?;
    let mut found = stmt.query([])?;
    while let Some(r) = found.next()? {
        let (id, source, title): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        by_id.insert((id, title.clone()));
        if !source.is_empty() {
            by_source.insert((source, title));
        }
    }
    Ok(rows
        .iter()
        .filter(|(id, reference, title)| {
            id.is_some_and(|id| by_id.contains(&(id, title.to_string())))
                || by_source.contains(&(format!("imported {reference}"), title.to_string()))
        })
        .count())
}
