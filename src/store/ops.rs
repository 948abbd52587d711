//! The register's write operations, each recorded for undo. They run inside
//! [`Store::write`]'s transaction and several can make up one change (an
//! edit that also creates a goal).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use rusqlite::types::Value;

use super::change::{Recorder, ids_where, read_row};
use super::write::{WriteError, date_text, insert_initiative};
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
        }
    }
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
        let ts = now.timestamp();
        let status = plan.status_after();
        let changed = self.update(
            "initiatives",
            id,
            "UPDATE initiatives
                SET step = ?2, status = ?3,
                    step_entered_at = CASE WHEN ?2 = step THEN step_entered_at ELSE ?4 END,
                    done_at = CASE WHEN ?3 = 'done' THEN ?4 ELSE NULL END,
                    closure_code = CASE WHEN ?3 = 'done' THEN coalesce(closure_code, 'successful') ELSE closure_code END,
                    returns = returns + ?5,
                    updated_at = ?4, version = version + 1
              WHERE id = ?1 AND step = ?6 AND status = 'active'",
            params![id, plan.to().number(), status.as_str(), ts, i64::from(plan.is_return()), plan.from().number()],
        )?;
        if changed == 0 {
            return Err(self.stale_or_missing(id));
        }
        self.insert(
            "moves",
            "INSERT INTO moves (initiative_id, from_step, to_step, at, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, plan.from().number(), plan.to().number(), ts, opt_text(reason)],
        )?;
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
        let owner: Option<i64> = self
            .conn()
            .query_row(
                "SELECT initiative_id FROM checklist_items WHERE id = ?1",
                [item],
                |r| r.get(0),
            )
            .ok();
        let Some(owner) = owner else {
            return Err(WriteError::Stale("that checklist item".into()));
        };
        self.change.initiative = Some(owner);
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
            Err(self.stale_or_missing(id))
        } else {
            Ok(())
        }
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
            Err(self.stale_or_missing(id))
        } else {
            Ok(())
        }
    }

    /// Closes an open initiative: done when successful or unsuccessful,
    /// cancelled when withdrawn.
    pub fn close(
        &mut self,
        id: i64,
        code: ClosureCode,
        realised: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let status = if code == ClosureCode::Withdrawn {
            "cancelled"
        } else {
            "done"
        };
        let n = self.update(
            "initiatives",
            id,
            "UPDATE initiatives
                SET status = ?2, closure_code = ?3, realised = ?4, hold_reason = NULL,
                    done_at = CASE WHEN ?2 = 'done' THEN ?5 ELSE NULL END,
                    updated_at = ?5, version = version + 1
              WHERE id = ?1 AND status IN ('active', 'on_hold')",
            params![
                id,
                status,
                code.as_str(),
                opt_text(Some(realised)),
                now.timestamp()
            ],
        )?;
        if n == 0 {
            Err(self.stale_or_missing(id))
        } else {
            Ok(())
        }
    }

    /// Deletes an initiative with everything it holds. Each row is recorded,
    /// children first, so undo restores the initiative before its parts.
    pub fn delete_initiative(&mut self, id: i64) -> Result<(), WriteError> {
        if read_row(self.conn(), "initiatives", id)?.is_none() {
            return Err(WriteError::NotFound(id));
        }
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
        Ok(())
    }

    pub fn delete_kpi(&mut self, kpi_id: i64) -> Result<(), WriteError> {
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
        let owner: Option<i64> = self
            .conn()
            .query_row(
                "SELECT initiative_id FROM kpis WHERE id = ?1",
                [kpi_id],
                |r| r.get(0),
            )
            .ok();
        let Some(owner) = owner else {
            return Err(WriteError::Stale("that KPI".into()));
        };
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
        Ok(item)
    }

    pub fn rename_item(&mut self, item: i64, before: &str, after: &str) -> Result<(), WriteError> {
        let n = self.update(
            "checklist_items",
            item,
            "UPDATE checklist_items SET text = ?3 WHERE id = ?1 AND text = ?2",
            params![item, before, after.trim()],
        )?;
        if n == 0 {
            Err(WriteError::Stale("that checklist item".into()))
        } else {
            Ok(())
        }
    }

    pub fn remove_item(&mut self, item: i64) -> Result<(), WriteError> {
        if read_row(self.conn(), "checklist_items", item)?.is_none() {
            return Err(WriteError::Stale("that checklist item".into()));
        }
        self.delete("checklist_items", item)?;
        Ok(())
    }

    /// Swaps the positions of two items of one step (reordering).
    pub fn swap_items(&mut self, a: i64, b: i64) -> Result<(), WriteError> {
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
