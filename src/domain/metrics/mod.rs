//! Portfolio flow metrics, derived from the backlog rows (whose step,
//! timestamps and return counts are maintained from the move log).
//!
//! One pass over the rows: at 100,000 initiatives this is a few milliseconds,
//! and the app only recomputes it when the data changed.

mod tally;

use chrono::{DateTime, NaiveDate, Utc};

use super::initiative::{BacklogRow, Status};
use super::models::Models;

pub use tally::Tally;

/// Weeks shown in the throughput sparkline.
pub const THROUGHPUT_WEEKS: usize = 12;
/// An active initiative with no move for this many days counts as stale,
/// unless the configuration says otherwise (`stale_days`).
pub const DEFAULT_STALE_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oldest {
    pub id: i64,
    pub days: i64,
}

/// One model's active initiatives, step by step.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StepFlow {
    /// Active initiatives per step of the model, index 0 = step 1.
    pub active_per_step: Vec<u32>,
    /// The active initiative that has waited longest in each step.
    pub oldest_per_step: Vec<Option<Oldest>>,
}

impl StepFlow {
    fn new(steps: usize) -> StepFlow {
        StepFlow {
            active_per_step: vec![0; steps],
            oldest_per_step: vec![None; steps],
        }
    }
}

/// Steps differ from model to model, so the per-step figures are kept per
/// model; everything else (cycle time, throughput, returns, stale, overdue)
/// is across the whole register, whatever model each initiative follows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlowMetrics {
    /// Per model, in the `Models` listing order. An active initiative of a
    /// model not known here is counted as active, not placed on a step.
    pub per_model: Vec<StepFlow>,
    /// Completed per week, oldest week first, the current week last.
    pub throughput: [u64; THROUGHPUT_WEEKS],
    /// Cycle time (created to done) in days.
    pub cycle_median: Option<f64>,
    pub cycle_p85: Option<f64>,
    pub returns: u64,
    pub overdue: u32,
    pub stale: u32,
    pub total: usize,
    pub by_status: [u32; 4],
    /// Of the done ones, those closed as unsuccessful (in `by_status[2]`
    /// too: throughput and cycle time measure flow, not success).
    pub unsuccessful: u32,
}

impl FlowMetrics {
    pub fn active(&self) -> u32 {
        self.by_status[0]
    }

    pub fn done_in_window(&self) -> u64 {
        self.throughput.iter().sum()
    }

    /// The per-step figures of the model at `index` in `Models` order.
    pub fn steps(&self, index: usize) -> Option<&StepFlow> {
        self.per_model.get(index)
    }

    /// The median and 85th percentile cycle times of these, sorted by
    /// `f64::total_cmp`.
    pub fn set_cycle_times(&mut self, sorted: &[f64]) {
        self.cycle_median = percentile(sorted, 50.0);
        self.cycle_p85 = percentile(sorted, 85.0);
    }

    /// Empty per-step figures for every model of `models`.
    pub fn for_models(models: &Models) -> FlowMetrics {
        FlowMetrics {
            per_model: models.iter().map(|(m, _)| StepFlow::new(m.len())).collect(),
            ..FlowMetrics::default()
        }
    }
}

/// Which model of `models` a row follows, by position; the previous row's
/// answer first (rows of one model come in runs).
fn model_index(models: &Models, id: &str, last: &mut Option<usize>) -> Option<usize> {
    if let Some(i) = *last
        && models.at(i).id == id
    {
        return Some(i);
    }
    let found = models.index_of(id);
    if found.is_some() {
        *last = found;
    }
    found
}

pub fn compute(
    rows: &[BacklogRow],
    models: &Models,
    now: DateTime<Utc>,
    today: NaiveDate,
    stale_days: i64,
) -> FlowMetrics {
    let mut m = FlowMetrics {
        total: rows.len(),
        ..FlowMetrics::for_models(models)
    };
    // The oldest: the most days in the step; of those, the first in backlog
    // order (priority, then id).
    let mut oldest: Vec<Vec<Option<(i64, u8, i64)>>> = models
        .iter()
        .map(|(model, _)| vec![None; model.len()])
        .collect();
    let mut cycles = Vec::new();
    let mut last = None;
    for row in rows {
        m.returns += u64::from(row.returns);
        m.by_status[row.status.index()] += 1;
        m.unsuccessful += u32::from(row.unsuccessful);
        if row.is_overdue(today) {
            m.overdue += 1;
        }
        match row.status {
            Status::Active => {
                let days = row.days_in_step(now);
                if days >= stale_days {
                    m.stale += 1;
                }
                if let Some(k) = model_index(models, &row.model, &mut last) {
                    let i = row.step.index();
                    m.per_model[k].active_per_step[i] += 1;
                    let oldest = &mut oldest[k][i];
                    if oldest.is_none_or(|(d, p, id)| (-days, row.priority, row.id) < (-d, p, id)) {
                        *oldest = Some((days, row.priority, row.id));
                    }
                }
            }
            Status::Done => {
                if let Some(done) = row.done_at {
                    cycles.push(cycle_days(row.created_at, done));
                    if let Some(week) = throughput_week(done, now) {
                        m.throughput[week] += 1;
                    }
                }
            }
            _ => {}
        }
    }
    for (flow, oldest) in m.per_model.iter_mut().zip(oldest) {
        for (slot, o) in flow.oldest_per_step.iter_mut().zip(oldest) {
            *slot = o.map(|(days, _, id)| Oldest { id, days });
        }
    }
    cycles.sort_by(f64::total_cmp);
    m.set_cycle_times(&cycles);
    m
}

/// Cycle time (created to done) in days, never negative.
pub fn cycle_days(created: DateTime<Utc>, done: DateTime<Utc>) -> f64 {
    let days = (done - created).num_seconds() as f64 / 86_400.0;
    days.max(0.0)
}

/// The throughput slot of what was done at `done`, if that is within the
/// window.
pub fn throughput_week(done: DateTime<Utc>, now: DateTime<Utc>) -> Option<usize> {
    let weeks_ago = (now - done).num_days().div_euclid(7);
    (0..THROUGHPUT_WEEKS as i64)
        .contains(&weeks_ago)
        .then(|| THROUGHPUT_WEEKS - 1 - weeks_ago as usize)
}

/// Nearest-rank percentile of sorted values: the smallest value with at
/// least `p` percent of the values at or below it.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::Model;
    use chrono::{Duration, TimeZone};

    fn row(id: i64, step: u8, status: Status) -> BacklogRow {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        BacklogRow {
            step: Model::itil4().step(i64::from(step)).unwrap(),
            status,
            ..BacklogRow::example(id, t0)
        }
    }

    #[test]
    fn percentiles_use_nearest_rank() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), Some(10.0));
        assert_eq!(percentile(&v, 85.0), Some(17.0));
        assert_eq!(percentile(&[4.0], 85.0), Some(4.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn counts_active_per_step_and_ignores_held_and_closed() {
        let _model = Model::itil4();
        let rows = vec![
            row(1, 1, Status::Active),
            row(2, 1, Status::Active),
            row(3, 4, Status::Active),
            row(4, 4, Status::OnHold),
            row(5, 7, Status::Cancelled),
        ];
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        let models = Models::builtin();
        let m = compute(&rows, &models, now, now.date_naive(), DEFAULT_STALE_DAYS);
        assert_eq!(m.per_model[0].active_per_step, vec![2, 0, 0, 1, 0, 0, 0]);
        assert_eq!(m.by_status, [3, 1, 0, 1]);
        assert_eq!(m.stale, 3, "59 days without a move");
        let m = compute(&rows, &models, now, now.date_naive(), 60);
        assert_eq!(m.stale, 0, "59 days are not stale when stale_days is 60");
    }

    #[test]
    fn cycle_time_and_throughput_come_from_done_rows() {
        let _model = Model::itil4();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        let mut rows = Vec::new();
        for (id, days, ago) in [(1, 10, 0), (2, 20, 8), (3, 30, 100)] {
            let mut r = row(id, 7, Status::Done);
            r.done_at = Some(now - Duration::days(ago));
            r.created_at = now - Duration::days(ago + days);
            rows.push(r);
        }
        let m = compute(
            &rows,
            &Models::builtin(),
            now,
            now.date_naive(),
            DEFAULT_STALE_DAYS,
        );
        assert_eq!(m.cycle_median, Some(20.0));
        assert_eq!(m.cycle_p85, Some(30.0));
        assert_eq!(m.throughput[11], 1, "this week");
        assert_eq!(m.throughput[10], 1, "last week");
        assert_eq!(m.done_in_window(), 2, "100 days ago is outside 12 weeks");
    }

    #[test]
    fn overdue_counts_only_open_items_past_due() {
        let _model = Model::itil4();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        let today = now.date_naive();
        let mut late = row(1, 2, Status::Active);
        late.due = today.pred_opt();
        let mut late_done = row(2, 7, Status::Done);
        late_done.due = today.pred_opt();
        let mut due_today = row(3, 2, Status::OnHold);
        due_today.due = Some(today);
        let m = compute(
            &[late, late_done, due_today],
            &Models::builtin(),
            now,
            today,
            DEFAULT_STALE_DAYS,
        );
        assert_eq!(m.overdue, 1);
    }
}
