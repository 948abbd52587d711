//! Writes that move an initiative through its model and its lifecycle:
//! moves (finishing the last step included), hold, resume, close, cancel,
//! reopen. Each appends its event to the history.

use chrono::{DateTime, Utc};
use rusqlite::params;
use rusqlite::types::Value;

use super::change::{Recorder, read_row};
use super::ops::{ClosureCode, opt_text};
use super::rows::{self, MoveRow};
use super::write::WriteError;
use crate::domain::history::Event;
use crate::domain::moves::MovePlan;

impl Recorder<'_> {
    pub fn apply_move(
        &mut self,
        id: i64,
        plan: MovePlan,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        self.finish_move(id, plan, reason, (ClosureCode::Successful, ""), now)
    }

    /// [`apply_move`](Self::apply_move), saying how a finishing move closes
    /// the initiative: its closure code (successful or unsuccessful) and
    /// what it realised. Other moves ignore `outcome`.
    pub fn finish_move(
        &mut self,
        id: i64,
        plan: MovePlan,
        reason: Option<&str>,
        outcome: (ClosureCode, &str),
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let ts = now.timestamp();
        let (code, realised) = match outcome.0 {
            ClosureCode::Withdrawn => (ClosureCode::Successful, outcome.1),
            c => (c, outcome.1),
        };
        let left_open: Vec<String> = if plan.is_return() {
            Vec::new()
        } else {
            let mut stmt = self.conn().prepare_cached(
                "SELECT text FROM checklist_items
                  WHERE initiative_id = ?1 AND step = ?2 AND done_at IS NULL ORDER BY position, id",
            )?;
            let texts = stmt.query_map(params![id, plan.from().number()], |r| r.get(0))?;
            texts.collect::<rusqlite::Result<_>>()?
        };
        let status = plan.status_after();
        let changed = self.update(
            "initiatives",
            id,
            "UPDATE initiatives
                SET step = ?2, status = ?3,
                    step_entered_at = CASE WHEN ?2 = step THEN step_entered_at ELSE ?4 END,
                    done_at = CASE WHEN ?3 = 'done' THEN ?4 ELSE NULL END,
                    closure_code = CASE WHEN ?3 = 'done' THEN ?7 ELSE closure_code END,
                    realised = CASE WHEN ?3 = 'done' THEN ?8 ELSE realised END,
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
                code.as_str(),
                opt_text(Some(realised))
            ],
        )?;
        if changed == 0 {
            return Err(self.stale_or_missing(id));
        }
        let mv = rows::log_move(
            self.conn(),
            &MoveRow {
                id: None,
                initiative_id: id,
                from_step: Some(plan.from().number().into()),
                to_step: plan.to().number().into(),
                at: ts,
                reason: opt_text(reason),
            },
        )?;
        self.inserted("moves", mv)?;
        self.event(
            Some(id),
            now,
            &Event::Moved {
                from: plan.from().number().into(),
                to: plan.to().number().into(),
                back: plan.is_return(),
                reason: opt_text(reason).map(String::from),
                left_open,
            },
        )?;
        if status == crate::domain::Status::Done {
            self.event(
                Some(id),
                now,
                &Event::Closed {
                    code: code.as_str().into(),
                    realised: realised.trim().into(),
                },
            )?;
        }
        Ok(())
    }

    pub fn hold(&mut self, id: i64, reason: &str, now: DateTime<Utc>) -> Result<(), WriteError> {
        let n = self.update(
            "initiatives",
            id,
            "UPDATE initiatives SET status = 'on_hold', hold_reason = ?2, updated_at = ?3, version = version + 1
              WHERE id = ?1 AND status = 'active'",
            params![id, opt_text(Some(reason)), now.timestamp()],
        )?;
        if n == 0 {
            return Err(self.stale_or_missing(id));
        }
        self.event(
            Some(id),
            now,
            &Event::Held {
                reason: reason.trim().into(),
            },
        )?;
        Ok(())
    }

    pub fn resume(&mut self, id: i64, now: DateTime<Utc>) -> Result<(), WriteError> {
        let n = self.update(
            "initiatives",
            id,
            "UPDATE initiatives SET status = 'active', hold_reason = NULL, updated_at = ?2, version = version + 1
              WHERE id = ?1 AND status = 'on_hold'",
            params![id, now.timestamp()],
        )?;
        if n == 0 {
            return Err(self.stale_or_missing(id));
        }
        self.event(Some(id), now, &Event::Resumed)?;
        Ok(())
    }

    /// Closes an open initiative: done when successful or unsuccessful,
    /// cancelled when withdrawn. `text` is what was realised, or for a
    /// withdrawal the reason it was cancelled.
    pub fn close(
        &mut self,
        id: i64,
        code: ClosureCode,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let withdrawn = code == ClosureCode::Withdrawn;
        let status = if withdrawn { "cancelled" } else { "done" };
        let n = self.update(
            "initiatives",
            id,
            "UPDATE initiatives
                SET status = ?2, closure_code = ?3,
                    realised = CASE WHEN ?2 = 'done' THEN ?4 ELSE realised END,
                    cancel_reason = CASE WHEN ?2 = 'cancelled' THEN ?4 ELSE NULL END,
                    hold_reason = NULL,
                    done_at = CASE WHEN ?2 = 'done' THEN ?5 ELSE NULL END,
                    updated_at = ?5, version = version + 1
              WHERE id = ?1 AND status IN ('active', 'on_hold')",
            params![
                id,
                status,
                code.as_str(),
                opt_text(Some(text)),
                now.timestamp()
            ],
        )?;
        if n == 0 {
            return Err(self.stale_or_missing(id));
        }
        let event = if withdrawn {
            Event::Cancelled {
                reason: text.trim().into(),
            }
        } else {
            Event::Closed {
                code: code.as_str().into(),
                realised: text.trim().into(),
            }
        };
        self.event(Some(id), now, &event)?;
        Ok(())
    }

    /// Brings a done or cancelled initiative back to active, at `step` (its
    /// own when `None`). A different step is a move in the log, so the
    /// flow metrics see it; a step back counts as a return.
    pub fn reopen(
        &mut self,
        id: i64,
        step: Option<i64>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        let Some(row) = read_row(self.conn(), "initiatives", id)? else {
            return Err(WriteError::NotFound(id));
        };
        let from = match row.iter().find(|(c, _)| c == "step").map(|(_, v)| v) {
            Some(Value::Integer(s)) => *s,
            _ => 1,
        };
        let to = step.unwrap_or(from);
        let ts = now.timestamp();
        let n = self.update(
            "initiatives",
            id,
            "UPDATE initiatives
                SET status = 'active', closure_code = NULL, cancel_reason = NULL, done_at = NULL,
                    hold_reason = NULL, step = ?2,
                    step_entered_at = CASE WHEN ?2 = step THEN step_entered_at ELSE ?3 END,
                    returns = returns + (?2 < step),
                    updated_at = ?3, version = version + 1
              WHERE id = ?1 AND status IN ('done', 'cancelled')",
            params![id, to, ts],
        )?;
        if n == 0 {
            return Err(WriteError::Stale(format!("#{id} is open: it")));
        }
        let reason = reason.trim();
        if to != from {
            let why = if reason.is_empty() {
                "reopened".to_string()
            } else {
                format!("reopened: {reason}")
            };
            let mv = rows::log_move(
                self.conn(),
                &MoveRow {
                    id: None,
                    initiative_id: id,
                    from_step: Some(from),
                    to_step: to,
                    at: ts,
                    reason: Some(&why),
                },
            )?;
            self.inserted("moves", mv)?;
        }
        self.event(
            Some(id),
            now,
            &Event::Reopened {
                reason: reason.into(),
                step: to,
            },
        )?;
        Ok(to)
    }
}
