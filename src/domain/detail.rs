//! Everything about one initiative, as the detail view shows it: its fields,
//! its checklists of every step, KPIs, notes, move history and follow-up
//! chain. Plain data; the store fills it, the view draws it.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};

use super::initiative::{ParseError, score};
use super::{ChecklistItem, Effort, Kpi, Status, Step};

/// One initiative with all its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct InitiativeDetail {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub source: String,
    /// Id of the model it follows.
    pub model: String,
    pub step: Step,
    pub status: Status,
    pub hold_reason: Option<String>,
    pub closure_code: Option<String>,
    pub realised: Option<String>,
    pub priority: u8,
    pub value: u8,
    pub effort: Effort,
    pub owner: String,
    pub raised_by: String,
    pub area: Option<String>,
    /// Comma-separated.
    pub tags: String,
    pub goal: Option<Goal>,
    pub due: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub step_entered_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    /// Backward moves so far.
    pub returns: u32,
    /// Bumped by every write; an edit form guards on it.
    pub version: i64,
    /// The initiative this one follows up: `(id, title)`.
    pub parent: Option<(i64, String)>,
    /// Follow-ups of this one: `(id, title, status)`, oldest first.
    pub children: Vec<(i64, String, Status)>,
    /// Every step's items, by step then position.
    pub checklist: Vec<ChecklistItem>,
    pub kpis: Vec<Kpi>,
    /// Oldest first.
    pub notes: Vec<Note>,
    /// Oldest first; the first entry is the creation.
    pub moves: Vec<MoveEntry>,
    /// Why it was cancelled (status cancelled only).
    pub cancel_reason: Option<String>,
    /// Every change, oldest first, with who made it.
    pub history: Vec<crate::domain::history::HistoryEntry>,
}

impl InitiativeDetail {
    /// Ticked and total checklist items of one step.
    pub fn checklist_completion(&self, step: Step) -> (usize, usize) {
        self.checklist
            .iter()
            .filter(|item| item.step == step)
            .fold((0, 0), |(done, total), item| {
                (done + usize::from(item.is_done()), total + 1)
            })
    }

    /// One step's checklist items, in order.
    pub fn checklist_of(&self, step: Step) -> impl Iterator<Item = &ChecklistItem> {
        self.checklist.iter().filter(move |item| item.step == step)
    }

    /// Value over effort weight.
    pub fn score(&self) -> f64 {
        score(self.value, self.effort)
    }

    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|d| d < today)
    }

    /// Whole days at its current step, up to now or until it was done
    /// (or, cancelled, last changed).
    pub fn days_in_step(&self, now: DateTime<Utc>) -> i64 {
        let end = match self.status {
            Status::Done => self.done_at.unwrap_or(self.updated_at),
            Status::Cancelled => self.updated_at,
            Status::Active | Status::OnHold => now,
        };
        (end.min(now) - self.step_entered_at).num_days().max(0)
    }
}

/// An organisational goal an initiative serves.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub id: i64,
    pub name: String,
    pub description: String,
}

/// One entry of an initiative's journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub id: i64,
    pub kind: NoteKind,
    pub body: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoteKind {
    Work,
    Decision,
    Lesson,
}

impl NoteKind {
    pub const ALL: [NoteKind; 3] = [NoteKind::Work, NoteKind::Decision, NoteKind::Lesson];

    /// The stable name used in the database and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteKind::Work => "work",
            NoteKind::Decision => "decision",
            NoteKind::Lesson => "lesson",
        }
    }

    /// How people read it.
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Work => "work note",
            NoteKind::Decision => "decision",
            NoteKind::Lesson => "lesson",
        }
    }
}

impl fmt::Display for NoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for NoteKind {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase();
        let key = match key.as_str() {
            "work note" | "work_note" | "note" => "work",
            other => other,
        };
        NoteKind::ALL
            .into_iter()
            .find(|k| k.as_str() == key)
            .ok_or_else(|| {
                ParseError(format!(
                    "unknown note kind {s:?} (expected work, decision or lesson)"
                ))
            })
    }
}

/// One entry of the move log. Steps are raw numbers: the log is history and
/// may mention steps of a model that has since changed.
#[derive(Debug, Clone, PartialEq)]
pub struct MoveEntry {
    /// `None`: the initiative was created at `to`.
    pub from: Option<i64>,
    pub to: i64,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

impl MoveEntry {
    pub fn is_creation(&self) -> bool {
        self.from.is_none()
    }

    /// A step back to re-evaluate (counted as a return).
    pub fn is_return(&self) -> bool {
        self.from.is_some_and(|from| self.to < from)
    }

    /// Finishing the last step: the log records it as a move to the same step.
    pub fn is_completion(&self) -> bool {
        self.from == Some(self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Model;
    use chrono::TimeZone;

    fn detail(model: &Model) -> InitiativeDetail {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let item = |id: i64, step: i64, done: bool| ChecklistItem {
            id,
            step: model.step(step).unwrap(),
            position: id,
            text: format!("item {id}"),
            done_at: done.then_some(t0),
        };
        InitiativeDetail {
            id: 1,
            title: "t".into(),
            description: String::new(),
            source: String::new(),
            model: model.id.clone(),
            step: model.step(2).unwrap(),
            status: Status::Active,
            hold_reason: None,
            closure_code: None,
            realised: None,
            priority: 3,
            value: 8,
            effort: Effort::M,
            owner: String::new(),
            raised_by: String::new(),
            area: None,
            tags: String::new(),
            goal: None,
            due: NaiveDate::from_ymd_opt(2026, 1, 10),
            created_at: t0,
            updated_at: t0,
            step_entered_at: t0,
            done_at: None,
            returns: 0,
            version: 1,
            parent: None,
            children: Vec::new(),
            checklist: vec![
                item(1, 1, true),
                item(2, 1, true),
                item(3, 2, true),
                item(4, 2, false),
                item(5, 2, false),
            ],
            kpis: Vec::new(),
            notes: Vec::new(),
            cancel_reason: None,
            history: Vec::new(),
            moves: Vec::new(),
        }
    }

    #[test]
    fn checklist_completion_counts_one_step() {
        let m = Model::itil4();
        let d = detail(&m);
        assert_eq!(d.checklist_completion(m.step(1).unwrap()), (2, 2));
        assert_eq!(d.checklist_completion(m.step(2).unwrap()), (1, 3));
        assert_eq!(d.checklist_completion(m.step(3).unwrap()), (0, 0));
        assert_eq!(d.checklist_of(m.step(2).unwrap()).count(), 3);
        assert_eq!(d.score(), 4.0);
    }

    #[test]
    fn overdue_only_while_open() {
        let m = Model::itil4();
        let mut d = detail(&m);
        let later = NaiveDate::from_ymd_opt(2026, 1, 11).unwrap();
        assert!(d.is_overdue(later));
        assert!(!d.is_overdue(NaiveDate::from_ymd_opt(2026, 1, 10).unwrap()));
        d.status = Status::Done;
        assert!(!d.is_overdue(later));
    }

    #[test]
    fn note_kinds_round_trip() {
        for k in NoteKind::ALL {
            assert_eq!(k.as_str().parse::<NoteKind>(), Ok(k));
        }
        assert_eq!(" Decision ".parse::<NoteKind>(), Ok(NoteKind::Decision));
        assert!("rant".parse::<NoteKind>().is_err());
    }

    #[test]
    fn move_entries_know_their_kind() {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mv = |from: Option<i64>, to: i64| MoveEntry {
            from,
            to,
            at,
            reason: None,
        };
        assert!(mv(None, 1).is_creation());
        assert!(mv(Some(6), 4).is_return());
        assert!(!mv(Some(4), 5).is_return());
        assert!(mv(Some(7), 7).is_completion());
        assert!(!mv(None, 1).is_return());
    }
}
