//! The register's history: one event per change, with when and who.
//!
//! Events are append-only: undo does not erase the change it takes back, it
//! adds an `undone` event, so the record shows what really happened. The
//! move log (`moves`) stays beside the history for the flow metrics, which
//! need exactly the moves that stand; the history keeps every move made.
//!
//! The JSON form of an event is `{"kind": "<word>", ...its own fields}`;
//! the words are a contract (README, "History"), never renamed.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One field's value before and after an edit, as text ("" for none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// What happened. Steps are the model's numbers; items and KPIs are named by
/// their text at the time, so the record reads the same after they change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    Created {
        title: String,
    },
    Moved {
        from: i64,
        to: i64,
        /// True for a move back (a return).
        back: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Items of the step left open when moving on.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        left_open: Vec<String>,
    },
    Held {
        reason: String,
    },
    Resumed,
    Cancelled {
        reason: String,
    },
    Closed {
        code: String,
        realised: String,
    },
    Reopened {
        reason: String,
        step: i64,
    },
    Edited {
        changes: Vec<FieldChange>,
    },
    Ticked {
        step: i64,
        item: String,
    },
    Unticked {
        step: i64,
        item: String,
    },
    ItemAdded {
        step: i64,
        item: String,
    },
    ItemRenamed {
        step: i64,
        before: String,
        after: String,
    },
    ItemRemoved {
        step: i64,
        item: String,
    },
    ItemsReordered {
        step: i64,
    },
    KpiAdded {
        kpi: String,
    },
    KpiChanged {
        kpi: String,
        changes: Vec<FieldChange>,
    },
    KpiRemoved {
        kpi: String,
    },
    Measured {
        kpi: String,
        value: f64,
        on: String,
    },
    Noted {
        note: String,
        body: String,
    },
    ModelChanged {
        from: String,
        to: String,
    },
    Imported {
        file: String,
    },
    Deleted {
        title: String,
    },
    Undone {
        change: String,
    },
    Redone {
        change: String,
    },
}

/// Every kind, in the order the README lists them.
pub const KINDS: [&str; 24] = [
    "created",
    "moved",
    "held",
    "resumed",
    "cancelled",
    "closed",
    "reopened",
    "edited",
    "ticked",
    "unticked",
    "item_added",
    "item_renamed",
    "item_removed",
    "items_reordered",
    "kpi_added",
    "kpi_changed",
    "kpi_removed",
    "measured",
    "noted",
    "model_changed",
    "imported",
    "deleted",
    "undone",
    "redone",
];

impl Event {
    /// The event's kind word, as stored and as JSON carries it.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Created { .. } => "created",
            Event::Moved { .. } => "moved",
            Event::Held { .. } => "held",
            Event::Resumed => "resumed",
            Event::Cancelled { .. } => "cancelled",
            Event::Closed { .. } => "closed",
            Event::Reopened { .. } => "reopened",
            Event::Edited { .. } => "edited",
            Event::Ticked { .. } => "ticked",
            Event::Unticked { .. } => "unticked",
            Event::ItemAdded { .. } => "item_added",
            Event::ItemRenamed { .. } => "item_renamed",
            Event::ItemRemoved { .. } => "item_removed",
            Event::ItemsReordered { .. } => "items_reordered",
            Event::KpiAdded { .. } => "kpi_added",
            Event::KpiChanged { .. } => "kpi_changed",
            Event::KpiRemoved { .. } => "kpi_removed",
            Event::Measured { .. } => "measured",
            Event::Noted { .. } => "noted",
            Event::ModelChanged { .. } => "model_changed",
            Event::Imported { .. } => "imported",
            Event::Deleted { .. } => "deleted",
            Event::Undone { .. } => "undone",
            Event::Redone { .. } => "redone",
        }
    }

    /// The event's own fields as a JSON object (without `kind`).
    pub fn fields(&self) -> serde_json::Map<String, serde_json::Value> {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(mut m)) => {
                m.remove("kind");
                m
            }
            _ => serde_json::Map::new(),
        }
    }
}

/// Whether `word` is a kind a filter can ask for.
pub fn is_kind(word: &str) -> bool {
    KINDS.contains(&word)
}

/// One stored event. `event` is `None` for a kind this version does not know
/// (written by a newer one): it is listed by its word and kept as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    pub id: i64,
    pub initiative: Option<i64>,
    pub at: DateTime<Utc>,
    /// Empty when unknown (moves made before authors were recorded).
    pub by: String,
    pub kind: String,
    pub event: Option<Event>,
}

impl HistoryEntry {
    pub fn author(&self) -> &str {
        if self.by.is_empty() {
            "unknown"
        } else {
            &self.by
        }
    }
}

/// One line a person reads: "moved forward 3 → 4 (reason)".
pub struct Summary<'a>(pub &'a Event);

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn reason(f: &mut fmt::Formatter<'_>, r: &str) -> fmt::Result {
            if r.trim().is_empty() {
                Ok(())
            } else {
                write!(f, ": {r}")
            }
        }
        match self.0 {
            Event::Created { title } => write!(f, "created \"{title}\""),
            Event::Moved {
                from,
                to,
                back,
                reason: why,
                left_open,
            } => {
                if from == to {
                    write!(f, "finished step {to}")?;
                } else {
                    let dir = if *back { "back" } else { "forward" };
                    write!(f, "moved {dir} {from} → {to}")?;
                }
                if let Some(r) = why {
                    reason(f, r)?;
                }
                // The names are in the event; a line names only a few.
                match left_open.len() {
                    0 => Ok(()),
                    1 => write!(f, " (1 item left open: {})", left_open[0]),
                    2 => write!(f, " (2 items left open: {})", left_open.join("; ")),
                    n => write!(f, " ({n} items left open)"),
                }
            }
            Event::Held { reason: r } => {
                f.write_str("put on hold")?;
                reason(f, r)
            }
            Event::Resumed => f.write_str("resumed"),
            Event::Cancelled { reason: r } => {
                f.write_str("cancelled")?;
                reason(f, r)
            }
            Event::Closed { code, realised } => {
                write!(f, "closed as {code}")?;
                reason(f, realised)
            }
            Event::Reopened { reason: r, step } => {
                write!(f, "reopened at step {step}")?;
                reason(f, r)
            }
            Event::Edited { changes } | Event::KpiChanged { changes, .. } => {
                if let Event::KpiChanged { kpi, .. } = self.0 {
                    write!(f, "KPI \"{kpi}\" changed: ")?;
                } else {
                    f.write_str("edited ")?;
                }
                for (i, c) in changes.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{} \"{}\" → \"{}\"", c.field, c.before, c.after)?;
                }
                Ok(())
            }
            Event::Ticked { step, item } => write!(f, "ticked \"{item}\" (step {step})"),
            Event::Unticked { step, item } => write!(f, "unticked \"{item}\" (step {step})"),
            Event::ItemAdded { step, item } => write!(f, "added item \"{item}\" (step {step})"),
            Event::ItemRenamed {
                step,
                before,
                after,
            } => write!(f, "renamed item \"{before}\" → \"{after}\" (step {step})"),
            Event::ItemRemoved { step, item } => {
                write!(f, "removed item \"{item}\" (step {step})")
            }
            Event::ItemsReordered { step } => write!(f, "reordered the items of step {step}"),
            Event::KpiAdded { kpi } => write!(f, "added KPI \"{kpi}\""),
            Event::KpiRemoved { kpi } => write!(f, "removed KPI \"{kpi}\""),
            Event::Measured { kpi, value, on } => {
                write!(f, "measured \"{kpi}\": {value} on {on}")
            }
            Event::Noted { note, body } => {
                let first = body.lines().next().unwrap_or("");
                write!(f, "added a {note} note: {first}")
            }
            Event::ModelChanged { from, to } => write!(f, "model changed {from} → {to}"),
            Event::Imported { file } => write!(f, "imported from {file}"),
            Event::Deleted { title } => write!(f, "deleted \"{title}\""),
            Event::Undone { change } => write!(f, "undid: {change}"),
            Event::Redone { change } => write!(f, "redid: {change}"),
        }
    }
}

impl HistoryEntry {
    /// How the entry reads in one line, without its time and author.
    pub fn summary(&self) -> String {
        match &self.event {
            Some(e) => Summary(e).to_string(),
            None => self.kind.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_json_with_its_word() {
        let events = [
            Event::Created { title: "t".into() },
            Event::Moved {
                from: 2,
                to: 1,
                back: true,
                reason: Some("r".into()),
                left_open: vec!["x".into()],
            },
            Event::Resumed,
            Event::Edited {
                changes: vec![FieldChange {
                    field: "title".into(),
                    before: "a".into(),
                    after: "b".into(),
                }],
            },
            Event::Measured {
                kpi: "k".into(),
                value: 1.5,
                on: "2026-01-02".into(),
            },
            Event::Undone {
                change: "move".into(),
            },
        ];
        for e in events {
            let json = serde_json::to_string(&e).unwrap();
            assert!(
                json.contains(&format!("\"kind\":\"{}\"", e.kind())),
                "{json}"
            );
            assert!(is_kind(e.kind()));
            let back: Event = serde_json::from_str(&json).unwrap();
            assert_eq!(back, e);
            assert!(!e.fields().contains_key("kind"));
        }
    }

    #[test]
    fn summaries_read_as_sentences() {
        let moved = Event::Moved {
            from: 6,
            to: 4,
            back: true,
            reason: Some("targets missed".into()),
            left_open: vec![],
        };
        assert_eq!(
            Summary(&moved).to_string(),
            "moved back 6 → 4: targets missed"
        );
        let cancelled = Event::Cancelled {
            reason: "no budget".into(),
        };
        assert_eq!(Summary(&cancelled).to_string(), "cancelled: no budget");
    }
}
