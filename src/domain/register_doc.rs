//! The register as a JSON document: every row of every table, so an export
//! imported into an empty register gives the same register back.
//!
//! Timestamps are RFC 3339 in UTC to the second (`2026-03-02T12:00:00Z`);
//! calendar dates are `YYYY-MM-DD`. The shape is versioned by [`SCHEMA`].

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::Model;

/// Version of the JSON documents (`export --format json`, `show --json`).
/// Bumped only when a field is renamed or removed; fields may be added.
pub const SCHEMA: u32 = 1;

/// What `kind` says in an export, so a stray JSON file is told apart.
pub const KIND: &str = "improve-register";

/// Unix seconds, written as RFC 3339 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp(pub i64);

impl Stamp {
    pub fn text(self) -> String {
        DateTime::<Utc>::from_timestamp(self.0, 0)
            .unwrap_or_default()
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    }

    pub fn parse(s: &str) -> Option<Stamp> {
        DateTime::parse_from_rfc3339(s.trim())
            .ok()
            .map(|d| Stamp(d.timestamp()))
    }

    pub fn utc(self) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(self.0, 0).unwrap_or_default()
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text())
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Stamp, D::Error> {
        let text = String::deserialize(d)?;
        Stamp::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("{text:?} is not an RFC 3339 timestamp"))
        })
    }
}

/// The whole register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterDoc {
    pub schema: u32,
    pub kind: String,
    pub exported_at: Stamp,
    pub goals: Vec<GoalDoc>,
    pub initiatives: Vec<InitiativeDoc>,
    /// The definitions of the models the initiatives follow that are not
    /// shipped in the binary (users' own), so the file is self-contained.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<Model>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalDoc {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub created_at: Stamp,
}

/// One initiative with every row that belongs to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InitiativeDoc {
    pub id: i64,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub source: String,
    pub model: String,
    pub step: i64,
    pub status: String,
    #[serde(default)]
    pub hold_reason: Option<String>,
    #[serde(default)]
    pub closure_code: Option<String>,
    #[serde(default)]
    pub realised: Option<String>,
    /// Why it was cancelled (a cancelled initiative only).
    #[serde(default)]
    pub cancel_reason: Option<String>,
    pub priority: i64,
    pub value: i64,
    pub effort: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub raised_by: String,
    #[serde(default)]
    pub area: Option<String>,
    /// Comma-separated.
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub goal_id: Option<i64>,
    #[serde(default)]
    pub parent_id: Option<i64>,
    #[serde(default)]
    pub due: Option<String>,
    pub created_at: Stamp,
    pub updated_at: Stamp,
    pub step_entered_at: Stamp,
    #[serde(default)]
    pub done_at: Option<Stamp>,
    #[serde(default)]
    pub returns: i64,
    #[serde(default = "one")]
    pub version: i64,
    #[serde(default)]
    pub checklist: Vec<ItemDoc>,
    #[serde(default)]
    pub moves: Vec<MoveDoc>,
    #[serde(default)]
    pub kpis: Vec<KpiDoc>,
    #[serde(default)]
    pub notes: Vec<NoteDoc>,
    /// Every change, oldest first: `at`, `by`, `kind` and the event's own
    /// fields (README, "History"). Imported as it is, so a round trip keeps
    /// who did what.
    #[serde(default)]
    pub history: Vec<EventDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDoc {
    pub at: Stamp,
    #[serde(default)]
    pub by: String,
    pub kind: String,
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemDoc {
    pub id: i64,
    pub step: i64,
    pub position: i64,
    pub text: String,
    #[serde(default)]
    pub done_at: Option<Stamp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoveDoc {
    pub id: i64,
    /// `null`: the initiative was created at `to_step`.
    pub from_step: Option<i64>,
    pub to_step: i64,
    pub at: Stamp,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiDoc {
    pub id: i64,
    pub position: i64,
    pub name: String,
    #[serde(default)]
    pub unit: String,
    /// `higher` or `lower` is better.
    pub direction: String,
    #[serde(default)]
    pub baseline: Option<f64>,
    #[serde(default)]
    pub baseline_date: Option<String>,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub target_date: Option<String>,
    #[serde(default)]
    pub measurements: Vec<MeasurementDoc>,
}

impl KpiDoc {
    pub fn latest(&self) -> Option<f64> {
        self.measurements
            .iter()
            .max_by(|a, b| (&a.measured_on, a.id).cmp(&(&b.measured_on, b.id)))
            .map(|m| m.value)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasurementDoc {
    pub id: i64,
    pub value: f64,
    pub measured_on: String,
    pub created_at: Stamp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteDoc {
    pub id: i64,
    /// `work`, `decision` or `lesson`.
    pub kind: String,
    pub body: String,
    pub at: Stamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_round_trip_as_rfc3339() {
        let s = Stamp(1_772_452_800);
        assert_eq!(s.text(), "2026-03-02T12:00:00Z");
        assert_eq!(Stamp::parse(&s.text()), Some(s));
        assert_eq!(
            Stamp::parse("2026-03-02T13:00:00+01:00"),
            Some(s),
            "offsets are converted to UTC"
        );
        assert_eq!(Stamp::parse("yesterday"), None);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, "\"2026-03-02T12:00:00Z\"");
        assert_eq!(serde_json::from_str::<Stamp>(&json).unwrap(), s);
        assert!(serde_json::from_str::<Stamp>("\"nope\"").is_err());
    }
}
