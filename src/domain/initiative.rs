//! What an initiative is made of, as plain data.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use super::model::Step;

/// Lifecycle status, kept separate from the model step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Active,
    OnHold,
    Done,
    Cancelled,
}

impl Status {
    /// The status's place in [`Status::ALL`] (and in the metrics' counts).
    pub fn index(self) -> usize {
        match self {
            Status::Active => 0,
            Status::OnHold => 1,
            Status::Done => 2,
            Status::Cancelled => 3,
        }
    }

    pub const ALL: [Status; 4] = [
        Status::Active,
        Status::OnHold,
        Status::Done,
        Status::Cancelled,
    ];

    /// The stable name used in the database and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::OnHold => "on_hold",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }

    /// How people read it.
    pub fn label(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::OnHold => "on hold",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, Status::Active | Status::OnHold)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ParseError {}

impl FromStr for Status {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == key)
            .ok_or_else(|| {
                ParseError(format!(
                    "unknown status {s:?} (expected active, on_hold, done or cancelled)"
                ))
            })
    }
}

/// T-shirt effort estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effort {
    S,
    M,
    L,
    XL,
}

impl Effort {
    pub const ALL: [Effort; 4] = [Effort::S, Effort::M, Effort::L, Effort::XL];

    pub fn as_str(self) -> &'static str {
        match self {
            Effort::S => "S",
            Effort::M => "M",
            Effort::L => "L",
            Effort::XL => "XL",
        }
    }

    /// Relative size used by the score (value over effort).
    pub fn weight(self) -> f64 {
        match self {
            Effort::S => 1.0,
            Effort::M => 2.0,
            Effort::L => 3.0,
            Effort::XL => 5.0,
        }
    }
}

impl fmt::Display for Effort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Effort {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_ascii_uppercase();
        Effort::ALL
            .into_iter()
            .find(|e| e.as_str() == key)
            .ok_or_else(|| ParseError(format!("unknown effort {s:?} (expected S, M, L or XL)")))
    }
}

/// Score for triage: value (1-10) over effort weight.
pub fn score(value: u8, effort: Effort) -> f64 {
    f64::from(value) / effort.weight()
}

/// One line of the backlog: everything the table and the portfolio metrics
/// need, kept small so 100,000 of them sit comfortably in memory. The
/// description, which the filter also searches, is not kept: the filter's
/// search text (`filter::Haystacks`) is built from it as the rows are read.
#[derive(Debug, Clone, PartialEq)]
pub struct BacklogRow {
    pub id: i64,
    pub title: String,
    /// Model, owner and tags repeat from row to row (a register has few of
    /// each): shared, 100,000 rows hold one copy of each value.
    pub model: Arc<str>,
    pub step: Step,
    pub status: Status,
    pub priority: u8,
    pub value: u8,
    pub effort: Effort,
    pub owner: Arc<str>,
    pub due: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub step_entered_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    /// When it was done or cancelled (a cancellation's is its last
    /// change): its days in step stop counting there.
    pub closed_at: Option<DateTime<Utc>>,
    /// Backward moves so far (from the move log).
    pub returns: u32,
    /// Comma-separated.
    pub tags: Arc<str>,
    pub goal_id: Option<i64>,
    /// Done, but closed as unsuccessful: it finished without reaching its
    /// targets, which the backlog and the counts must not show as success.
    pub unsuccessful: bool,
}

/// Ticked and total checklist items of an initiative's current step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChecklistCount {
    pub done: u32,
    pub total: u32,
}

impl BacklogRow {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due.is_some_and(|d| d < today)
    }

    /// Default backlog order: open work first (active, then on hold), then
    /// by priority, then oldest first.
    pub fn backlog_order(&self) -> (Status, u8, i64) {
        (self.status, self.priority, self.id)
    }

    /// Whole days at its current step, up to now or until it closed.
    pub fn days_in_step(&self, now: DateTime<Utc>) -> i64 {
        let end = if self.status.is_open() {
            now
        } else {
            self.closed_at.map_or(now, |at| at.min(now))
        };
        (end - self.step_entered_at).num_days().max(0)
    }
}

/// A checklist item of one initiative at one step.
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistItem {
    pub id: i64,
    pub step: Step,
    pub position: i64,
    pub text: String,
    pub done_at: Option<DateTime<Utc>>,
}

impl ChecklistItem {
    pub fn is_done(&self) -> bool {
        self.done_at.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KpiDirection {
    HigherIsBetter,
    LowerIsBetter,
}

impl KpiDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            KpiDirection::HigherIsBetter => "higher",
            KpiDirection::LowerIsBetter => "lower",
        }
    }

    /// Why a target works against the direction (below the baseline when
    /// higher is better, or above it when lower is): most likely the
    /// direction or a number was mistyped, since reaching it would be a
    /// loss.
    pub fn contradiction(self, baseline: f64, target: f64) -> Option<String> {
        let (side, better) = match self {
            KpiDirection::HigherIsBetter if target < baseline => ("below", "higher"),
            KpiDirection::LowerIsBetter if target > baseline => ("above", "lower"),
            _ => return None,
        };
        Some(format!(
            "the target {target} is {side} the baseline {baseline}, but {better} is better"
        ))
    }
}

impl FromStr for KpiDirection {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "higher" | "up" => Ok(KpiDirection::HigherIsBetter),
            "lower" | "down" => Ok(KpiDirection::LowerIsBetter),
            _ => Err(ParseError(format!(
                "unknown KPI direction {s:?} (expected higher or lower)"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    pub value: f64,
    pub on: NaiveDate,
}

/// A key performance indicator with its baseline, target and measurements
/// (oldest first).
#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub direction: KpiDirection,
    pub baseline: Option<(f64, NaiveDate)>,
    pub target: Option<(f64, NaiveDate)>,
    pub measurements: Vec<Measurement>,
}

impl Kpi {
    pub fn latest(&self) -> Option<f64> {
        self.measurements.last().map(|m| m.value)
    }

    /// Share of the gap between baseline and target closed by the latest
    /// measurement; see [`gap_closed`].
    pub fn progress(&self) -> Option<f64> {
        gap_closed(self.baseline?.0, self.latest()?, self.target?.0)
    }
}

/// Share of the gap closed: `(latest - baseline) / (target - baseline)`.
///
/// The formula is direction-free: a "lower is better" KPI has a target below
/// its baseline, so both differences are negative. `None` when baseline and
/// target coincide (there is no gap to close). Not clamped: overshooting the
/// target gives more than 1, moving the wrong way gives less than 0.
pub fn gap_closed(baseline: f64, latest: f64, target: f64) -> Option<f64> {
    let gap = target - baseline;
    if gap.abs() < f64::EPSILON || !gap.is_finite() || !latest.is_finite() {
        return None;
    }
    // 1e308 over a gap of 1 is no share anyone can read.
    Some((latest - baseline) / gap).filter(|share| share.is_finite())
}

#[cfg(test)]
impl BacklogRow {
    /// A row for unit tests to change what they look at: active in the
    /// first step of ITIL 4, priority 3, value 5, effort M, created and in
    /// its step since `at`, titled `#id`, nothing else set.
    pub(crate) fn example(id: i64, at: DateTime<Utc>) -> BacklogRow {
        let model = super::model::Model::itil4();
        BacklogRow {
            id,
            title: format!("#{id}"),
            model: model.id.as_str().into(),
            step: model.first(),
            status: Status::Active,
            priority: 3,
            value: 5,
            effort: Effort::M,
            owner: "".into(),
            due: None,
            created_at: at,
            step_entered_at: at,
            done_at: None,
            closed_at: None,
            returns: 0,
            tags: "".into(),
            goal_id: None,
            unsuccessful: false,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_status_index_is_its_place_in_all() {
        for (i, status) in Status::ALL.into_iter().enumerate() {
            assert_eq!(status.index(), i);
        }
    }

    use super::*;

    #[test]
    fn gap_closed_works_both_ways() {
        // MTTR from 24h to a target of 16h, now 18h: 6 of 8 hours closed.
        assert_eq!(gap_closed(24.0, 18.0, 16.0), Some(0.75));
        // Satisfaction from 60 to 80, now 70: half way.
        assert_eq!(gap_closed(60.0, 70.0, 80.0), Some(0.5));
        // Overshoot and regression are reported, not hidden.
        assert_eq!(gap_closed(60.0, 90.0, 80.0), Some(1.5));
        assert_eq!(gap_closed(60.0, 50.0, 80.0), Some(-0.5));
        assert_eq!(gap_closed(5.0, 7.0, 5.0), None);
    }

    #[test]
    fn status_and_effort_round_trip() {
        for s in Status::ALL {
            assert_eq!(s.as_str().parse::<Status>(), Ok(s));
        }
        assert_eq!("On hold".parse::<Status>(), Ok(Status::OnHold));
        assert!("paused".parse::<Status>().is_err());
        for e in Effort::ALL {
            assert_eq!(e.as_str().parse::<Effort>(), Ok(e));
        }
        assert_eq!("xl".parse::<Effort>(), Ok(Effort::XL));
    }

    #[test]
    fn score_is_value_over_effort() {
        assert_eq!(score(8, Effort::S), 8.0);
        assert_eq!(score(8, Effort::M), 4.0);
        assert!(score(10, Effort::XL) < score(3, Effort::S));
    }

    #[test]
    fn a_target_against_the_direction_is_named() {
        let (up, down) = (KpiDirection::HigherIsBetter, KpiDirection::LowerIsBetter);
        assert_eq!(
            up.contradiction(24.0, 16.0).as_deref(),
            Some("the target 16 is below the baseline 24, but higher is better")
        );
        assert_eq!(
            down.contradiction(0.5, 2.25).as_deref(),
            Some("the target 2.25 is above the baseline 0.5, but lower is better")
        );
        assert!(up.contradiction(16.0, 24.0).is_none() && down.contradiction(24.0, 16.0).is_none());
        assert!(up.contradiction(5.0, 5.0).is_none());
    }
}
