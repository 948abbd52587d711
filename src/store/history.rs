//! The history table: writing one event, reading an initiative's history and
//! the register's log. See `domain/history.rs` for what an event is.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::Store;
use super::read::timestamp;
use crate::domain::history::{Event, HistoryEntry};

/// Appends one event. Not recorded for undo: undo adds its own event.
pub(super) fn append(
    conn: &Connection,
    initiative: Option<i64>,
    at: DateTime<Utc>,
    by: &str,
    event: &Event,
) -> rusqlite::Result<i64> {
    let data = serde_json::to_string(event).map_err(|e| {
        rusqlite::Error::ToSqlConversionFailure(
            Box::new(e) as Box<dyn std::error::Error + Send + Sync>
        )
    })?;
    super::rows::event(
        conn,
        &super::rows::EventRow {
            initiative_id: initiative,
            at: at.timestamp(),
            by,
            kind: event.kind(),
            data: &data,
        },
    )
}

/// Which events `improve log` lists.
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    pub initiative: Option<i64>,
    /// Unix seconds: events at or after it.
    pub since: Option<i64>,
    /// The author, exactly (case-insensitive).
    pub by: Option<String>,
    pub kind: Option<String>,
    /// Events after this id only (a live refresh's "what is new").
    pub after_id: Option<i64>,
    pub limit: Option<usize>,
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<HistoryEntry> {
    let kind: String = r.get(4)?;
    let data: String = r.get(5)?;
    Ok(HistoryEntry {
        id: r.get(0)?,
        initiative: r.get(1)?,
        at: timestamp(r.get(2)?),
        by: r.get(3)?,
        event: serde_json::from_str::<Event>(&data).ok(),
        kind,
    })
}

impl Store {
    /// One initiative's history, oldest first.
    pub fn history(&self, id: i64) -> rusqlite::Result<Vec<HistoryEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, initiative_id, at, by, kind, data FROM events
              WHERE initiative_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], entry)?;
        rows.collect()
    }

    /// Events across the register, newest first.
    pub fn log(&self, q: &LogQuery) -> rusqlite::Result<Vec<HistoryEntry>> {
        let mut sql =
            String::from("SELECT id, initiative_id, at, by, kind, data FROM events WHERE 1 = 1");
        let mut values: Vec<rusqlite::types::Value> = Vec::new();
        let mut push = |clause: &str, v: rusqlite::types::Value| {
            values.push(v);
            sql.push_str(&format!(" AND {clause} ?{}", values.len()));
        };
        if let Some(id) = q.initiative {
            push("initiative_id =", id.into());
        }
        if let Some(since) = q.since {
            push("at >=", since.into());
        }
        if let Some(by) = &q.by {
            push("by COLLATE NOCASE =", by.clone().into());
        }
        if let Some(kind) = &q.kind {
            push("kind =", kind.clone().into());
        }
        if let Some(after) = q.after_id {
            push("id >", after.into());
        }
        sql.push_str(" ORDER BY at DESC, id DESC");
        if let Some(limit) = q.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), entry)?;
        rows.collect()
    }

    /// The newest event's id (0 when there is none): where a live refresh
    /// starts looking for others' changes.
    pub fn last_event_id(&self) -> rusqlite::Result<i64> {
        self.conn
            .query_row("SELECT coalesce(max(id), 0) FROM events", [], |r| r.get(0))
    }
}
