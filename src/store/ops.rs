//! The register's write operations, each recorded for undo. They run inside
//! [`Store::write`]'s transaction and several can make up one change (an
//! edit that also creates a goal).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use rusqlite::types::Value;

use super::change::{Recorder, ids_where, read_row};
use super::write::{WriteError, date_text, insert_initiative};
use crate::domain::history::{Event, FieldChange};
use crate::domain::moves::MovePlan;
use crate::domain::{KpiDirection, Model, Step};
use crate::store::NewInitiative;

/// An initiative field a form can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Description,
    Source,
    Priority,
    Value,
    Effort,
    Owner,
    RaisedBy,
    Due,
    Goal,
    Tags,
    Area,
    /// What a closed initiative realised (editable after closing).
    Realised,
}

impl Field {
    fn column(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Description => "description",
            Field::Source => "source",
            Field::Priority => "priority",
            Field::Value => "value",
            Field::Effort => "effort",
            Field::Owner => "owner",
            Field::RaisedBy => "raised_by",
            Field::Due => "due",
            Field::Goal => "goal_id",
            Field::Tags => "tags",
            Field::Area => "area",
            Field::Realised => "realised",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Description => "description",
            Field::Source => "source",
            Field::Priority => "priority",
            Field::Value => "value",
            Field::Effort => "effort",
            Field::Owner => "owner",
            Field::RaisedBy => "raised by",
            Field::Due => "due date",
            Field::Goal => "goal",
            Field::Tags => "tags",
            Field::Area => "area",
            Field::Realised => "realised",
        }
    }
}

/// A stored value as the history shows it: "" for none.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Text(t) => t.clone(),
        Value::Blob(b) => format!("({} bytes)", b.len()),
    }
}

/// A checklist item as the history names it.
struct ItemInfo {
    initiative: i64,
    step: i64,
    text: String,
    done: bool,
}

/// One field changed by a form: what the form loaded and what it saves.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldEdit {
    pub field: Field,
    pub before: Value,
    pub after: Value,
}

/// A KPI's definition as a form edits it.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiInput {
    pub name: String,
    pub unit: String,
    pub direction: KpiDirection,
    pub baseline: Option<(f64, NaiveDate)>,
    pub target: Option<(f64, NaiveDate)>,
}

impl KpiInput {
    /// The KPI's columns in schema order, from `name` to `target_date`.
    fn columns(&self) -> [Value; 7] {
        let real = |v: Option<f64>| v.map_or(Value::Null, Value::Real);
        let date = |d: Option<NaiveDate>| d.map_or(Value::Null, |d| Value::Text(date_text(d)));
        [
            Value::Text(self.name.trim().to_string()),
            Value::Text(self.unit.trim().to_string()),
            Value::Text(self.direction.as_str().to_string()),
            real(self.baseline.map(|b| b.0)),
            date(self.baseline.map(|b| b.1)),
            real(self.target.map(|t| t.0)),
            date(self.target.map(|t| t.1)),
        ]
    }
}

/// How an initiative is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosureCode {
    Successful,
    Unsuccessful,
    Withdrawn,
}

impl ClosureCode {
    pub const ALL: [ClosureCode; 3] = [
        ClosureCode::Successful,
        ClosureCode::Unsuccessful,
        ClosureCode::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClosureCode::Successful => "successful",
            ClosureCode::Unsuccessful => "unsuccessful",
            ClosureCode::Withdrawn => "withdrawn",
        }
    }
}

fn opt_text(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

impl Recorder<'_> {
    fn conn(&self) -> &rusqlite::Connection {
        self.conn_ref()
    }

    /// Keeps `updated_at` and `version` honest for changes to an
    /// initiative's parts (not recorded: undo bumps them itself).
    fn touch(&self, id: i64, now: DateTime<Utc>) -> rusqlite::Result<()> {
        self.conn()
            .execute(
                "UPDATE initiatives SET updated_at = ?2, version = version + 1 WHERE id = ?1",
                params![id, now.timestamp()],
            )
            .map(|_| ())
    }

    fn item(&self, item: i64) -> rusqlite::Result<Option<ItemInfo>> {
        use rusqlite::OptionalExtension;
        self.conn()
            .query_row(
                "SELECT initiative_id, step, text, done_at IS NOT NULL FROM checklist_items WHERE id = ?1",
                [item],
                |r| {
                    Ok(ItemInfo {
                        initiative: r.get(0)?,
                        step: r.get(1)?,
                        text: r.get(2)?,
                        done: r.get(3)?,
                    })
                },
            )
            .optional()
    }

    fn kpi_name(&self, kpi: i64) -> rusqlite::Result<Option<(i64, String)>> {
        use rusqlite::OptionalExtension;
        self.conn()
            .query_row(
                "SELECT initiative_id, name FROM kpis WHERE id = ?1",
                [kpi],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
    }

    /// A field's value as the history shows it: goals by name.
    fn field_text(&self, field: Field, v: &Value) -> String {
        match (field, v) {
            (Field::Goal, Value::Integer(g)) => self
                .conn()
                .query_row("SELECT name FROM goals WHERE id = ?1", [g], |r| {
                    r.get::<_, String>(0)
                })
                .unwrap_or_else(|_| format!("goal {g}")),
            _ => value_text(v),
        }
    }

    fn stale_or_missing(&self, id: i64) -> WriteError {
        match read_row(self.conn(), "initiatives", id) {
            Ok(Some(_)) => WriteError::Stale(format!("#{id}")),
            Ok(None) => WriteError::NotFound(id),
            Err(e) => WriteError::Sqlite(e),
        }
    }

    pub fn create_initiative(
        &mut self,
        model: &Model,
        new: &NewInitiative,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        let id = insert_initiative(self.conn(), model, new, now)?;
        self.change.initiative = Some(id);
        self.event(
            Some(id),
            now,
            &Event::Created {
                title: new.title.clone(),
            },
        )?;
        self.inserted("initiatives", id)?;
        for item in ids_where(self.conn(), "checklist_items", "initiative_id", id)? {
            self.inserted("checklist_items", item)?;
        }
        for m in ids_where(self.conn(), "moves", "initiative_id", id)? {
            self.inserted("moves", m)?;
        }
        Ok(id)
    }

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
        self.insert(
            "moves",
            "INSERT INTO moves (initiative_id, from_step, to_step, at, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, plan.from().number(), plan.to().number(), ts, opt_text(reason)],
        )?;
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

    /// Sets (not flips) an item's state: two people ticking the same item
    /// agree, and ticks of different items never collide.
    pub fn set_item_done(
        &mut self,
        item: i64,
        done: bool,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let Some(info) = self.item(item)? else {
            return Err(WriteError::Stale("that checklist item".into()));
        };
        let owner = info.initiative;
        self.change.initiative = Some(owner);
        if info.done != done {
            let event = if done {
                Event::Ticked {
                    step: info.step,
                    item: info.text,
                }
            } else {
                Event::Unticked {
                    step: info.step,
                    item: info.text,
                }
            };
            self.event(Some(owner), now, &event)?;
        }
        self.update(
            "checklist_items",
            item,
            "UPDATE checklist_items SET done_at = CASE WHEN ?2 THEN coalesce(done_at, ?3) ELSE NULL END WHERE id = ?1",
            params![item, done, now.timestamp()],
        )?;
        self.touch(owner, now)?;
        Ok(())
    }

    /// Writes the fields a form changed, provided each still holds what the
    /// form loaded; a field changed elsewhere meanwhile is refused by name.
    pub fn update_fields(
        &mut self,
        id: i64,
        edits: &[FieldEdit],
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let Some(row) = read_row(self.conn(), "initiatives", id)? else {
            return Err(WriteError::NotFound(id));
        };
        for edit in edits {
            let current = row
                .iter()
                .find(|(c, _)| c == edit.field.column())
                .map(|(_, v)| v);
            if current != Some(&edit.before) {
                return Err(WriteError::Stale(format!(
                    "the {} of #{id}",
                    edit.field.label()
                )));
            }
        }
        let edits: Vec<&FieldEdit> = edits.iter().filter(|e| e.before != e.after).collect();
        if edits.is_empty() {
            return Ok(());
        }
        let changes = edits
            .iter()
            .map(|e| FieldChange {
                field: e.field.label().into(),
                before: self.field_text(e.field, &e.before),
                after: self.field_text(e.field, &e.after),
            })
            .collect();
        self.event(Some(id), now, &Event::Edited { changes })?;
        let sets: Vec<String> = edits
            .iter()
            .enumerate()
            .map(|(i, e)| format!("{} = ?{}", e.field.column(), i + 3))
            .collect();
        let mut values = vec![Value::Integer(id), Value::Integer(now.timestamp())];
        values.extend(edits.iter().map(|e| e.after.clone()));
        self.update(
            "initiatives",
            id,
            &format!(
                "UPDATE initiatives SET {}, updated_at = ?2, version = version + 1 WHERE id = ?1",
                sets.join(", ")
            ),
            rusqlite::params_from_iter(values.iter()),
        )?;
        Ok(())
    }

    pub fn create_goal(&mut self, name: &str, now: DateTime<Utc>) -> Result<i64, WriteError> {
        Ok(self.insert(
            "goals",
            "INSERT INTO goals (name, created_at) VALUES (?1, ?2)",
            params![name.trim(), now.timestamp()],
        )?)
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
            self.insert(
                "moves",
                "INSERT INTO moves (initiative_id, from_step, to_step, at, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, from, to, ts, why],
            )?;
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

    /// Deletes an initiative with everything it holds. Each row is recorded,
    /// children first, so undo restores the initiative before its parts.
    pub fn delete_initiative(&mut self, id: i64, now: DateTime<Utc>) -> Result<(), WriteError> {
        let Some(row) = read_row(self.conn(), "initiatives", id)? else {
            return Err(WriteError::NotFound(id));
        };
        let title = row
            .iter()
            .find(|(c, _)| c == "title")
            .map(|(_, v)| value_text(v))
            .unwrap_or_default();
        self.event(Some(id), now, &Event::Deleted { title })?;
        for child in ids_where(self.conn(), "initiatives", "parent_id", id)? {
            self.update(
                "initiatives",
                child,
                "UPDATE initiatives SET parent_id = NULL WHERE id = ?1",
                [child],
            )?;
        }
        for kpi in ids_where(self.conn(), "kpis", "initiative_id", id)? {
            for m in ids_where(self.conn(), "measurements", "kpi_id", kpi)? {
                self.delete("measurements", m)?;
            }
            self.delete("kpis", kpi)?;
        }
        for table in ["notes", "moves", "checklist_items"] {
            for row in ids_where(self.conn(), table, "initiative_id", id)? {
                self.delete(table, row)?;
            }
        }
        self.delete("initiatives", id)?;
        Ok(())
    }

    /// `kind` is `work`, `decision` or `lesson` (the schema checks it).
    pub fn add_note(
        &mut self,
        id: i64,
        kind: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        let note = self.insert(
            "notes",
            "INSERT INTO notes (initiative_id, kind, body, at) VALUES (?1, ?2, ?3, ?4)",
            params![id, kind, body.trim(), now.timestamp()],
        )?;
        self.touch(id, now)?;
        self.event(
            Some(id),
            now,
            &Event::Noted {
                note: kind.into(),
                body: body.trim().into(),
            },
        )?;
        Ok(note)
    }

    pub fn add_kpi(
        &mut self,
        id: i64,
        kpi: &KpiInput,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        let position: i64 = self.conn().query_row(
            "SELECT coalesce(max(position) + 1, 0) FROM kpis WHERE initiative_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        let kpi_id = self.insert(
            "kpis",
            "INSERT INTO kpis (initiative_id, position, name, unit, direction, baseline, baseline_date, target, target_date)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            rusqlite::params_from_iter([Value::Integer(id), Value::Integer(position)].into_iter().chain(kpi.columns())),
        )?;
        self.touch(id, now)?;
        self.event(
            Some(id),
            now,
            &Event::KpiAdded {
                kpi: kpi.name.trim().into(),
            },
        )?;
        Ok(kpi_id)
    }

    pub fn update_kpi(
        &mut self,
        kpi_id: i64,
        kpi: &KpiInput,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let n = self.update(
            "kpis",
            kpi_id,
            "UPDATE kpis SET name = ?2, unit = ?3, direction = ?4, baseline = ?5, baseline_date = ?6,
                             target = ?7, target_date = ?8
              WHERE id = ?1",
            rusqlite::params_from_iter(std::iter::once(Value::Integer(kpi_id)).chain(kpi.columns())),
        )?;
        if n == 0 {
            return Err(WriteError::Stale("that KPI".into()));
        }
        let owner: i64 = self.conn().query_row(
            "SELECT initiative_id FROM kpis WHERE id = ?1",
            [kpi_id],
            |r| r.get(0),
        )?;
        self.touch(owner, now)?;
        if let Some(rc) = self.change.rows.last().filter(|rc| rc.table == "kpis") {
            let (before, after) = (
                rc.before.clone().unwrap_or_default(),
                rc.after.clone().unwrap_or_default(),
            );
            let changes: Vec<FieldChange> = after
                .iter()
                .filter(|(c, v)| before.iter().find(|(b, _)| b == c).map(|(_, bv)| bv) != Some(v))
                .map(|(c, v)| FieldChange {
                    field: c.replace('_', " "),
                    before: before
                        .iter()
                        .find(|(b, _)| b == c)
                        .map(|(_, bv)| value_text(bv))
                        .unwrap_or_default(),
                    after: value_text(v),
                })
                .collect();
            let name = before
                .iter()
                .find(|(c, _)| c == "name")
                .map(|(_, v)| value_text(v))
                .unwrap_or_default();
            self.event(Some(owner), now, &Event::KpiChanged { kpi: name, changes })?;
        }
        Ok(())
    }

    pub fn delete_kpi(&mut self, kpi_id: i64, now: DateTime<Utc>) -> Result<(), WriteError> {
        if let Some((owner, kpi)) = self.kpi_name(kpi_id)? {
            self.event(Some(owner), now, &Event::KpiRemoved { kpi })?;
        }
        for m in ids_where(self.conn(), "measurements", "kpi_id", kpi_id)? {
            self.delete("measurements", m)?;
        }
        self.delete("kpis", kpi_id)?;
        Ok(())
    }

    pub fn add_measurement(
        &mut self,
        kpi_id: i64,
        value: f64,
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        let Some((owner, kpi)) = self.kpi_name(kpi_id)? else {
            return Err(WriteError::Stale("that KPI".into()));
        };
        self.event(
            Some(owner),
            now,
            &Event::Measured {
                kpi,
                value,
                on: date_text(on),
            },
        )?;
        let id = self.insert(
            "measurements",
            "INSERT INTO measurements (kpi_id, value, measured_on, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![kpi_id, value, date_text(on), now.timestamp()],
        )?;
        self.touch(owner, now)?;
        Ok(id)
    }

    pub fn add_item(
        &mut self,
        id: i64,
        step: Step,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        let position: i64 = self.conn().query_row(
            "SELECT coalesce(max(position) + 1, 0) FROM checklist_items WHERE initiative_id = ?1 AND step = ?2",
            params![id, step.number()],
            |r| r.get(0),
        )?;
        let item = self.insert(
            "checklist_items",
            "INSERT INTO checklist_items (initiative_id, step, position, text) VALUES (?1, ?2, ?3, ?4)",
            params![id, step.number(), position, text.trim()],
        )?;
        self.touch(id, now)?;
        self.event(
            Some(id),
            now,
            &Event::ItemAdded {
                step: step.number().into(),
                item: text.trim().into(),
            },
        )?;
        Ok(item)
    }

    pub fn rename_item(
        &mut self,
        item: i64,
        before: &str,
        after: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let n = self.update(
            "checklist_items",
            item,
            "UPDATE checklist_items SET text = ?3 WHERE id = ?1 AND text = ?2",
            params![item, before, after.trim()],
        )?;
        if n == 0 {
            return Err(WriteError::Stale("that checklist item".into()));
        }
        if let Some(info) = self.item(item)?.filter(|_| before != after.trim()) {
            self.event(
                Some(info.initiative),
                now,
                &Event::ItemRenamed {
                    step: info.step,
                    before: before.into(),
                    after: after.trim().into(),
                },
            )?;
        }
        Ok(())
    }

    pub fn remove_item(&mut self, item: i64, now: DateTime<Utc>) -> Result<(), WriteError> {
        let Some(info) = self.item(item)? else {
            return Err(WriteError::Stale("that checklist item".into()));
        };
        self.delete("checklist_items", item)?;
        self.event(
            Some(info.initiative),
            now,
            &Event::ItemRemoved {
                step: info.step,
                item: info.text,
            },
        )?;
        Ok(())
    }

    /// Swaps the positions of two items of one step (reordering).
    pub fn swap_items(&mut self, a: i64, b: i64, now: DateTime<Utc>) -> Result<(), WriteError> {
        if let Some(info) = self.item(a)? {
            self.event(
                Some(info.initiative),
                now,
                &Event::ItemsReordered { step: info.step },
            )?;
        }
        let pos = |id: i64| -> Result<i64, WriteError> {
            self.conn()
                .query_row(
                    "SELECT position FROM checklist_items WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .map_err(|_| WriteError::Stale("that checklist item".into()))
        };
        let (pa, pb) = (pos(a)?, pos(b)?);
        // Equal positions (an older register) still swap visibly.
        let (pa, pb) = if pa == pb { (pa, pa + 1) } else { (pa, pb) };
        self.update(
            "checklist_items",
            a,
            "UPDATE checklist_items SET position = ?2 WHERE id = ?1",
            params![a, pb],
        )?;
        self.update(
            "checklist_items",
            b,
            "UPDATE checklist_items SET position = ?2 WHERE id = ?1",
            params![b, pa],
        )?;
        Ok(())
    }
}
