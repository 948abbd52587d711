//! Writes. Each is one IMMEDIATE transaction and a small delta guarded by
//! what the caller saw, so a change made elsewhere in the meantime is
//! detected instead of overwritten.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, TransactionBehavior, params};

use super::Store;
use crate::domain::moves::MovePlan;
use crate::domain::{Effort, Model, Status};

#[derive(Debug)]
pub enum WriteError {
    /// The initiative no longer exists.
    NotFound(i64),
    /// Someone else changed it first; nothing was written.
    Stale(String),
    Sqlite(rusqlite::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::NotFound(id) => write!(f, "initiative #{id} does not exist"),
            WriteError::Stale(what) => write!(f, "{what} was changed elsewhere; nothing written"),
            WriteError::Sqlite(e) => write!(f, "could not write to the register: {e}"),
        }
    }
}

impl std::error::Error for WriteError {}

impl From<rusqlite::Error> for WriteError {
    fn from(e: rusqlite::Error) -> Self {
        WriteError::Sqlite(e)
    }
}

/// What it takes to add an initiative; everything but the title has a default.
#[derive(Debug, Clone)]
pub struct NewInitiative {
    pub title: String,
    pub description: String,
    pub source: String,
    pub priority: u8,
    pub value: u8,
    pub effort: Effort,
    pub owner: String,
    pub raised_by: String,
    pub due: Option<NaiveDate>,
    pub goal_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub tags: String,
}

impl NewInitiative {
    pub fn titled(title: impl Into<String>) -> NewInitiative {
        NewInitiative {
            title: title.into(),
            description: String::new(),
            source: String::new(),
            priority: 3,
            value: 5,
            effort: Effort::M,
            owner: String::new(),
            raised_by: String::new(),
            due: None,
            goal_id: None,
            parent_id: None,
            tags: String::new(),
        }
    }
}

pub(super) fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Inserts an initiative at step 1 of `model`, copies every step's checklist
/// template onto it and logs its entry into step 1. Used inside a caller's
/// transaction so bulk loads stay fast.
pub(crate) fn insert_initiative(
    conn: &Connection,
    model: &Model,
    new: &NewInitiative,
    now: DateTime<Utc>,
) -> rusqlite::Result<i64> {
    let ts = now.timestamp();
    conn.prepare_cached(
        "INSERT INTO initiatives (title, description, source, model, step, status, priority,
            value, effort, owner, raised_by, due, goal_id, parent_id, tags,
            created_at, updated_at, step_entered_at)
         VALUES (?1, ?2, ?3, ?4, 1, 'active', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?14)",
    )?
    .execute(params![
        new.title,
        new.description,
        new.source,
        model.id,
        new.priority,
        new.value,
        new.effort.as_str(),
        new.owner,
        new.raised_by,
        new.due.map(date_text),
        new.goal_id,
        new.parent_id,
        new.tags,
        ts,
    ])?;
    let id = conn.last_insert_rowid();
    let mut item = conn.prepare_cached(
        "INSERT INTO checklist_items (initiative_id, step, position, text) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for step in model.steps() {
        for (pos, text) in model.def(step).checklist.iter().enumerate() {
            item.execute(params![id, step.number(), pos as i64, text])?;
        }
    }
    conn.prepare_cached(
        "INSERT INTO moves (initiative_id, from_step, to_step, at) VALUES (?1, NULL, 1, ?2)",
    )?
    .execute(params![id, ts])?;
    Ok(id)
}

impl Store {
    pub fn create_initiative(
        &mut self,
        model: &Model,
        new: &NewInitiative,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = insert_initiative(&tx, model, new, now)?;
        tx.commit()?;
        Ok(id)
    }

    /// Applies a planned move, provided the initiative is still where the
    /// plan found it, and logs it.
    pub fn apply_move(
        &mut self,
        id: i64,
        plan: MovePlan,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let ts = now.timestamp();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let status = plan.status_after();
        let changed = tx.execute(
            "UPDATE initiatives
                SET step = ?2, status = ?3,
                    step_entered_at = CASE WHEN ?2 = step THEN step_entered_at ELSE ?4 END,
                    done_at = CASE WHEN ?3 = 'done' THEN ?4 ELSE NULL END,
                    closure_code = CASE WHEN ?3 = 'done' THEN coalesce(closure_code, 'successful') ELSE closure_code END,
                    returns = returns + ?5,
                    updated_at = ?4, version = version + 1
              WHERE id = ?1 AND step = ?6 AND status = 'active'",
            params![
                id,
                plan.to().number(),
                status.as_str(),
                ts,
                i64::from(plan.is_return()),
                plan.from().number(),
            ],
        )?;
        if changed == 0 {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM initiatives WHERE id = ?1)",
                [id],
                |r| r.get(0),
            )?;
            return Err(if exists {
                WriteError::Stale(format!("#{id}"))
            } else {
                WriteError::NotFound(id)
            });
        }
        tx.execute(
            "INSERT INTO moves (initiative_id, from_step, to_step, at, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                id,
                plan.from().number(),
                plan.to().number(),
                ts,
                reason.map(str::trim).filter(|r| !r.is_empty()),
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Marks one checklist item done or open. Setting the state (rather than
    /// flipping it) makes the write idempotent: two people ticking the same
    /// item agree, and ticks of different items never collide.
    pub fn set_item_done(
        &mut self,
        item_id: i64,
        done: bool,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let initiative: Option<i64> = tx
            .query_row(
                "SELECT initiative_id FROM checklist_items WHERE id = ?1",
                [item_id],
                |r| r.get(0),
            )
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        let Some(initiative) = initiative else {
            return Err(WriteError::Stale("that checklist item".into()));
        };
        tx.execute(
            "UPDATE checklist_items
                SET done_at = CASE WHEN ?2 THEN coalesce(done_at, ?3) ELSE NULL END
              WHERE id = ?1",
            params![item_id, done, now.timestamp()],
        )?;
        tx.execute(
            "UPDATE initiatives SET updated_at = ?2, version = version + 1 WHERE id = ?1",
            params![initiative, now.timestamp()],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Status of one initiative as stored now.
    pub fn status(&self, id: i64) -> rusqlite::Result<Option<Status>> {
        use rusqlite::OptionalExtension;
        self.conn
            .query_row("SELECT status FROM initiatives WHERE id = ?1", [id], |r| {
                r.get::<_, String>(0)
            })
            .optional()
            .map(|s| s.and_then(|s| s.parse().ok()))
    }
}
