//! Reading the register into a [`RegisterDoc`] and writing one back.
//!
//! Reads are one query per table inside one read transaction, so an export
//! is a consistent snapshot even while a dashboard writes. An import is one
//! IMMEDIATE transaction: all of it lands or none of it.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};

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

/// What an import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    pub initiatives: usize,
    pub goals: usize,
    /// Whether ids were kept as in the file (the register was empty).
    pub kept_ids: bool,
}

/// Adds `goals` and `initiatives` to the register in one transaction.
///
/// Into an empty register every id is kept, so export then import gives the
/// same register. Into one that holds data, new ids are given and every
/// reference (goal, parent, KPI of a measurement) follows; a goal whose name
/// already exists (ignoring case) is reused rather than duplicated.
pub fn write_register(
    store: &mut Store,
    goals: &[GoalDoc],
    initiatives: &[InitiativeDoc],
    from: &str,
) -> rusqlite::Result<Imported> {
    let author = store.author().to_string();
    let now = chrono::Utc::now().timestamp();
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let empty: bool = tx.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM initiatives) AND NOT EXISTS (SELECT 1 FROM goals)",
        [],
        |r| r.get(0),
    )?;
    let keep = |id: i64| empty.then_some(id);
    let mut summary = Imported {
        kept_ids: empty,
        ..Imported::default()
    };

    let mut goal_ids = HashMap::new();
    for g in goals {
        let existing: Option<i64> = if empty {
            None
        } else {
            tx.query_row(
                "SELECT id FROM goals WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
                [g.name.trim()],
                |r| r.get(0),
            )
            .optional()?
        };
        let id = match existing {
            Some(id) => id,
            None => {
                tx.execute(
                    "INSERT INTO goals (id, name, description, created_at) VALUES (?1, ?2, ?3, ?4)",
                    params![keep(g.id), g.name, g.description, g.created_at.0],
                )?;
                summary.goals += 1;
                tx.last_insert_rowid()
            }
        };
        goal_ids.insert(g.id, id);
    }

    let mut ids = HashMap::new();
    for i in initiatives {
        tx.prepare_cached(
            "INSERT INTO initiatives (id, title, description, source, model, step, status,
                hold_reason, closure_code, realised, priority, value, effort, owner, raised_by,
                area, tags, goal_id, parent_id, due, created_at, updated_at, step_entered_at,
                done_at, returns, version, cancel_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                     ?18, NULL, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
        )?
        .execute(params![
            keep(i.id),
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
            i.goal_id.and_then(|g| goal_ids.get(&g).copied()),
            i.due,
            i.created_at.0,
            i.updated_at.0,
            i.step_entered_at.0,
            i.done_at.map(|s| s.0),
            i.returns,
            i.version,
            i.cancel_reason,
        ])?;
        let id = tx.last_insert_rowid();
        ids.insert(i.id, id);
        // The file's history as it was, then this import, signed.
        let mut event = tx.prepare_cached(
            "INSERT INTO events (initiative_id, at, by, kind, data) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for e in &i.history {
            let mut data = e.fields.clone();
            data.insert("kind".into(), e.kind.clone().into());
            let data = serde_json::Value::Object(data).to_string();
            event.execute(params![id, e.at.0, e.by, e.kind, data])?;
        }

        summary.initiatives += 1;
        let mut item = tx.prepare_cached(
            "INSERT INTO checklist_items (id, initiative_id, step, position, text, done_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for c in &i.checklist {
            item.execute(params![
                keep(c.id),
                id,
                c.step,
                c.position,
                c.text,
                c.done_at.map(|s| s.0)
            ])?;
        }
        let mut mv = tx.prepare_cached(
            "INSERT INTO moves (id, initiative_id, from_step, to_step, at, reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for m in &i.moves {
            mv.execute(params![
                keep(m.id),
                id,
                m.from_step,
                m.to_step,
                m.at.0,
                m.reason
            ])?;
        }
        let mut note = tx.prepare_cached(
            "INSERT INTO notes (id, initiative_id, kind, body, at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for n in &i.notes {
            note.execute(params![keep(n.id), id, n.kind, n.body, n.at.0])?;
        }
        for k in &i.kpis {
            tx.prepare_cached(
                "INSERT INTO kpis (id, initiative_id, position, name, unit, direction, baseline,
                    baseline_date, target, target_date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(params![
                keep(k.id),
                id,
                k.position,
                k.name,
                k.unit,
                k.direction,
                k.baseline,
                k.baseline_date,
                k.target,
                k.target_date
            ])?;
            let kpi = tx.last_insert_rowid();
            let mut m = tx.prepare_cached(
                "INSERT INTO measurements (id, kpi_id, value, measured_on, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for x in &k.measurements {
                m.execute(params![
                    keep(x.id),
                    kpi,
                    x.value,
                    x.measured_on,
                    x.created_at.0
                ])?;
            }
        }
    }
    // Without a history in the file, an initiative's moves are its history
    // (author unknown); then the import itself, signed.
    let imported = crate::domain::history::Event::Imported {
        file: from.to_string(),
    };
    let imported_json = serde_json::to_string(&imported).unwrap_or_default();
    for i in initiatives {
        let Some(&id) = ids.get(&i.id) else { continue };
        if i.history.is_empty() {
            crate::store::history::backfill_from_moves(&tx, Some(id))?;
        }
        tx.prepare_cached(
            "INSERT INTO events (initiative_id, at, by, kind, data) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![id, now, author, imported.kind(), imported_json])?;
    }
    // Parents last: a follow-up may come before the initiative it follows.
    for i in initiatives {
        if let Some(parent) = i.parent_id.and_then(|p| ids.get(&p))
            && let Some(id) = ids.get(&i.id)
        {
            tx.execute(
                "UPDATE initiatives SET parent_id = ?2 WHERE id = ?1",
                params![id, parent],
            )?;
        }
    }
    tx.commit()?;
    Ok(summary)
}
