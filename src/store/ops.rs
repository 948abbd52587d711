//! The register's write operations, each recorded for undo. They run inside
//! [`Store::write`]'s transaction and several can make up one change (an
//! edit that also creates a goal).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use rusqlite::types::Value;

use super::change::{Recorder, ids_where, read_row};
use super::rows::{self, GoalRow, NoteRow};
use super::write::{WriteError, date_text, insert_initiative};
use crate::domain::history::{Event, FieldChange};
use crate::domain::{KpiDirection, Model};
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
pub(super) struct ItemInfo {
    pub(super) initiative: i64,
    pub(super) step: i64,
    pub(super) text: String,
    pub(super) done: bool,
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
    pub(super) fn columns(&self) -> [Value; 7] {
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

pub(super) fn opt_text(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

impl Recorder<'_> {
    pub(super) fn conn(&self) -> &rusqlite::Connection {
        self.conn_ref()
    }

    /// Keeps `updated_at` and `version` honest for changes to an
    /// initiative's parts (not recorded: undo bumps them itself).
    pub(super) fn touch(&self, id: i64, now: DateTime<Utc>) -> rusqlite::Result<()> {
        self.conn()
            .execute(
                "UPDATE initiatives SET updated_at = ?2, version = version + 1 WHERE id = ?1",
                params![id, now.timestamp()],
            )
            .map(|_| ())
    }

    pub(super) fn item(&self, item: i64) -> rusqlite::Result<Option<ItemInfo>> {
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

    pub(super) fn kpi_name(&self, kpi: i64) -> rusqlite::Result<Option<(i64, String)>> {
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

    pub(super) fn stale_or_missing(&self, id: i64) -> WriteError {
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
        self.add_goal(name, "", now)
    }

    /// Adds a goal with its description; both are trimmed.
    pub fn add_goal(
        &mut self,
        name: &str,
        description: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        let id = rows::goal(
            self.conn(),
            &GoalRow {
                id: None,
                name: name.trim(),
                description: description.trim(),
                created_at: now.timestamp(),
            },
        )?;
        self.inserted("goals", id)?;
        Ok(id)
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
        let note = rows::note(
            self.conn(),
            &NoteRow {
                id: None,
                initiative_id: id,
                kind,
                body: body.trim(),
                at: now.timestamp(),
            },
        )?;
        self.inserted("notes", note)?;
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
}
