//! Writes. Each is one IMMEDIATE transaction and a small delta guarded by
//! what the caller saw, so a change made elsewhere in the meantime is
//! detected instead of overwritten.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, ErrorCode};

use super::change::{Change, Recorder};

use super::Store;
use super::rows::{self, InitiativeRow, MoveRow};
use crate::domain::moves::MovePlan;
use crate::domain::{Effort, Model, Status};

#[derive(Debug)]
pub enum WriteError {
    /// The initiative no longer exists.
    NotFound(i64),
    /// Someone else changed it first; nothing was written.
    Stale(String),
    /// A rule of the register refused it (the reason says which).
    Refused(String),
    /// The register was locked by another program and the user stopped
    /// waiting; nothing was written.
    GaveUp,
    Sqlite(rusqlite::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::NotFound(id) => write!(f, "initiative #{id} does not exist"),
            WriteError::Stale(what) => write!(f, "{what} was changed elsewhere; nothing written"),
            WriteError::Refused(why) => write!(f, "{why}; nothing written"),
            WriteError::GaveUp => write!(
                f,
                "busy: another program holds the register; stopped waiting, nothing written"
            ),
            WriteError::Sqlite(e) => match e.sqlite_error_code() {
                // The busy timeout has run out: say what happened in words,
                // never SQLite's "database is locked".
                Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => write!(
                    f,
                    "the register is busy: another program held it for {} s; nothing written, try again",
                    super::open::BUSY_TIMEOUT.as_secs()
                ),
                Some(ErrorCode::DiskFull) => {
                    write!(
                        f,
                        "the disk is full; nothing written (free some space, then try again)"
                    )
                }
                Some(ErrorCode::ReadOnly) => write!(
                    f,
                    "the register cannot be written (read-only file, folder or disk); nothing written"
                ),
                Some(ErrorCode::SystemIoFailure) => {
                    write!(f, "the disk failed to write ({e}); nothing written")
                }
                _ => write!(f, "could not write to the register: {e}"),
            },
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

/// A calendar date as the register stores it: `YYYY-MM-DD`.
pub fn date_text(d: NaiveDate) -> String {
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
    let due = new.due.map(date_text);
    let id = rows::initiative(
        conn,
        &InitiativeRow {
            id: None,
            title: &new.title,
            description: &new.description,
            source: &new.source,
            model: &model.id,
            step: 1,
            status: "active",
            hold_reason: None,
            closure_code: None,
            realised: None,
            priority: new.priority.into(),
            value: new.value.into(),
            effort: new.effort.as_str(),
            owner: &new.owner,
            raised_by: &new.raised_by,
            area: None,
            tags: &new.tags,
            goal_id: new.goal_id,
            parent_id: new.parent_id,
            due: due.as_deref(),
            created_at: ts,
            updated_at: ts,
            step_entered_at: ts,
            done_at: None,
            returns: 0,
            version: 1,
            cancel_reason: None,
        },
    )?;
    rows::fresh_checklist(conn, id, model)?;
    rows::log_move(
        conn,
        &MoveRow {
            id: None,
            initiative_id: id,
            from_step: None,
            to_step: 1,
            at: ts,
            reason: None,
        },
    )?;
    Ok(id)
}

impl Store {
    /// Runs `f` in one IMMEDIATE transaction, recording every row it
    /// touches so the change can be undone. Nothing is written if `f` fails.
    pub fn write<T>(
        &mut self,
        label: impl Into<String>,
        initiative: Option<i64>,
        f: impl FnOnce(&mut Recorder<'_>) -> Result<T, WriteError>,
    ) -> Result<(T, Change), WriteError> {
        // The author outlives the transaction's borrow of `self`.
        let author = self.author.clone();
        let tx = self.begin_write()?;
        let mut rec = Recorder::new(&tx, label, initiative, &author);
        let value = f(&mut rec)?;
        let change = rec.change;
        tx.commit()?;
        self.written();
        Ok((value, change))
    }

    pub fn create_initiative(
        &mut self,
        model: &Model,
        new: &NewInitiative,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        self.write("add", None, |rec| rec.create_initiative(model, new, now))
            .map(|(id, _)| id)
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
        self.write("move", Some(id), |rec| {
            rec.apply_move(id, plan, reason, now)
        })
        .map(|_| ())
    }

    /// Marks one checklist item done or open.
    pub fn set_item_done(
        &mut self,
        item_id: i64,
        done: bool,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        self.write("tick", None, |rec| rec.set_item_done(item_id, done, now))
            .map(|_| ())
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
