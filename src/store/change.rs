//! Undo and redo as row-level deltas.
//!
//! Every write records, for each row it touched, the row before and after.
//! Undo applies the inverse of one change; redo applies it again. Each is
//! guarded: a column is only written back if it still holds the value the
//! change left there, so undo never overwrites newer data from another
//! process or another dashboard; it refuses instead.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use super::Store;
use super::write::WriteError;
use crate::domain::history::Event;

/// A row as column name and value pairs, in table order.
pub type Row = Vec<(String, Value)>;

/// Columns every write bumps; they are never compared or restored.
const VOLATILE: [&str; 2] = ["updated_at", "version"];

#[derive(Debug, Clone, PartialEq)]
pub struct RowChange {
    pub table: &'static str,
    pub id: i64,
    pub before: Option<Row>,
    pub after: Option<Row>,
}

/// One user-visible change: what undo and redo work on.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// How the change reads in "undid: ..." messages.
    pub label: String,
    /// The initiative it concerns, to re-select it after undo.
    pub initiative: Option<i64>,
    pub rows: Vec<RowChange>,
}

impl Change {
    pub fn new(label: impl Into<String>, initiative: Option<i64>) -> Change {
        Change {
            label: label.into(),
            initiative,
            rows: Vec::new(),
        }
    }
}

pub(super) fn read_row(conn: &Connection, table: &str, id: i64) -> rusqlite::Result<Option<Row>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {table} WHERE id = ?1"))?;
    let names: Vec<String> = stmt.column_names().map(String::from).collect();
    stmt.query_row([id], |r| {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| Ok((n.clone(), r.get::<_, Value>(i)?)))
            .collect::<rusqlite::Result<Row>>()
    })
    .optional()
}

/// Ids of the rows of `table` whose `column` equals `value`.
pub(crate) fn ids_where(
    conn: &Connection,
    table: &str,
    column: &str,
    value: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id FROM {table} WHERE {column} = ?1 ORDER BY id"
    ))?;
    let ids = stmt.query_map([value], |r| r.get(0))?;
    ids.collect()
}

/// Records the rows a write touches, inside the write's transaction.
pub struct Recorder<'c> {
    conn: &'c Connection,
    pub change: Change,
    /// The author every event of this change is signed with.
    by: &'c str,
}

impl<'c> Recorder<'c> {
    pub(super) fn new(
        conn: &'c Connection,
        label: impl Into<String>,
        initiative: Option<i64>,
        by: &'c str,
    ) -> Recorder<'c> {
        Recorder {
            conn,
            change: Change::new(label, initiative),
            by,
        }
    }

    /// Adds an event to the history, signed by this change's author.
    pub(super) fn event(
        &mut self,
        initiative: Option<i64>,
        at: DateTime<Utc>,
        event: &Event,
    ) -> rusqlite::Result<()> {
        super::history::append(self.conn, initiative, at, self.by, event).map(|_| ())
    }

    pub(super) fn conn_ref(&self) -> &'c Connection {
        self.conn
    }

    /// Runs `sql` (which changes row `id` of `table`) and records the row
    /// before and after. Returns the number of rows changed.
    pub(super) fn update(
        &mut self,
        table: &'static str,
        id: i64,
        sql: &str,
        params: impl rusqlite::Params,
    ) -> rusqlite::Result<usize> {
        let before = read_row(self.conn, table, id)?;
        let n = self.conn.execute(sql, params)?;
        let after = read_row(self.conn, table, id)?;
        if n > 0 && before != after {
            self.change.rows.push(RowChange {
                table,
                id,
                before,
                after,
            });
        }
        Ok(n)
    }

    /// Records a row just inserted (through `rows.rs`) for undo.
    pub(super) fn inserted(&mut self, table: &'static str, id: i64) -> rusqlite::Result<()> {
        let after = read_row(self.conn, table, id)?;
        self.change.rows.push(RowChange {
            table,
            id,
            before: None,
            after,
        });
        Ok(())
    }

    /// Deletes row `id` of `table` and records what it held.
    pub(super) fn delete(&mut self, table: &'static str, id: i64) -> rusqlite::Result<()> {
        let before = read_row(self.conn, table, id)?;
        self.conn
            .execute(&format!("DELETE FROM {table} WHERE id = ?1"), [id])?;
        if before.is_some() {
            self.change.rows.push(RowChange {
                table,
                id,
                before,
                after: None,
            });
        }
        Ok(())
    }
}

fn value_of<'r>(row: &'r Row, col: &str) -> Option<&'r Value> {
    row.iter().find(|(c, _)| c == col).map(|(_, v)| v)
}

/// Columns that differ between two versions of a row (volatile ones aside).
fn changed_columns<'r>(from: &'r Row, to: &Row) -> Vec<&'r str> {
    from.iter()
        .filter(|(c, v)| !VOLATILE.contains(&c.as_str()) && value_of(to, c) != Some(v))
        .map(|(c, _)| c.as_str())
        .collect()
}

/// Why a change cannot be applied any more.
fn conflict(rc: &RowChange) -> WriteError {
    let what = match rc.table {
        "initiatives" => format!("#{}", rc.id),
        "checklist_items" => "a checklist item".into(),
        "kpis" => "a KPI".into(),
        "measurements" => "a measurement".into(),
        "notes" => "a note".into(),
        "moves" => "the move log".into(),
        other => other.to_string(),
    };
    WriteError::Stale(what)
}

/// Brings one row from `from` to `to`, provided it is still as `from` says
/// in every column the change touches.
fn apply_row(
    conn: &Connection,
    rc: &RowChange,
    from: &Option<Row>,
    to: &Option<Row>,
    now: DateTime<Utc>,
) -> Result<(), WriteError> {
    let current = read_row(conn, rc.table, rc.id)?;
    match (from, to, &current) {
        (None, Some(t), None) => {
            super::rows::restore(conn, rc.table, t)?;
        }
        (Some(f), None, Some(c)) => {
            if !changed_columns(f, &Vec::new())
                .iter()
                .all(|col| value_of(c, col) == value_of(f, col))
            {
                return Err(conflict(rc));
            }
            conn.execute(&format!("DELETE FROM {} WHERE id = ?1", rc.table), [rc.id])?;
        }
        (Some(f), Some(t), Some(c)) => {
            let cols = changed_columns(t, f);
            if !cols.iter().all(|col| value_of(c, col) == value_of(f, col)) {
                return Err(conflict(rc));
            }
            if cols.is_empty() {
                return Ok(());
            }
            let sets: Vec<String> = cols
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", i + 2))
                .collect();
            let mut values: Vec<Value> = vec![Value::Integer(rc.id)];
            values.extend(
                cols.iter()
                    .map(|c| value_of(t, c).cloned().unwrap_or(Value::Null)),
            );
            conn.execute(
                &format!("UPDATE {} SET {} WHERE id = ?1", rc.table, sets.join(", ")),
                params_from_iter(values.iter()),
            )?;
        }
        (None, None, None) => {}
        _ => return Err(conflict(rc)),
    }
    if rc.table == "initiatives" && to.is_some() {
        conn.execute(
            "UPDATE initiatives SET version = version + 1, updated_at = ?2 WHERE id = ?1",
            (rc.id, now.timestamp()),
        )?;
    }
    Ok(())
}

impl Store {
    /// Applies the inverse of `change` (undo) or `change` itself again
    /// (redo), all or nothing.
    pub fn apply_change(
        &mut self,
        change: &Change,
        undo: bool,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let author = self.author.clone();
        let tx = self.begin_write()?;
        let rows: Box<dyn Iterator<Item = &RowChange>> = if undo {
            Box::new(change.rows.iter().rev())
        } else {
            Box::new(change.rows.iter())
        };
        for rc in rows {
            let (from, to) = if undo {
                (&rc.after, &rc.before)
            } else {
                (&rc.before, &rc.after)
            };
            apply_row(&tx, rc, from, to, now)?;
        }
        let event = if undo {
            Event::Undone {
                change: change.label.clone(),
            }
        } else {
            Event::Redone {
                change: change.label.clone(),
            }
        };
        super::history::append(&tx, change.initiative, now, &author, &event)?;
        tx.commit()?;
        self.written();
        Ok(())
    }
}
