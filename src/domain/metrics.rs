//! Portfolio flow metrics, derived from the backlog rows (whose step,
//! timestamps and return counts are maintained from the move log).
//!
//! One pass over the rows: at 100,000 initiatives this is a few milliseconds,
//! and the app only recomputes it when the data changed.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};

use super::initiative::{BacklogRow, Status};
use super::model::Model;

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

#[derive(Debug, Clone, PartialEq, Default)]
pub struct FlowMetrics {
    /// Active initiatives per step of the model, index 0 = step 1.
    pub active_per_step: Vec<u32>,
    /// The active initiative that has waited longest in each step.
    pub oldest_per_step: Vec<Option<Oldest>>,
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
}

impl FlowMetrics {
    pub fn active(&self) -> u32 {
        self.by_status[0]
    }

    pub fn done_in_window(&self) -> u64 {
        self.throughput.iter().sum()
    }
}

pub fn compute(
    rows: &[BacklogRow],
    model: &Model,
    now: DateTime<Utc>,
    today: NaiveDate,
    stale_days: i64,
) -> FlowMetrics {
    let steps = model.len();
    let mut m = FlowMetrics {
        active_per_step: vec![0; steps],
        oldest_per_step: vec![None; steps],
        total: rows.len(),
        ..FlowMetrics::default()
    };
    // The oldest: the most days in the step; of those, the first in backlog
    // order (priority, then id).
    let mut oldest: Vec<Option<(i64, u8, i64)>> = vec![None; steps];
    let mut cycles = Vec::new();
    for row in rows {
        m.returns += u64::from(row.returns);
        m.by_status[row.status.index()] += 1;
        if row.is_overdue(today) {
            m.overdue += 1;
        }
        match row.status {
            Status::Active if *row.model == *model.id => {
                let i = row.step.index();
                m.active_per_step[i] += 1;
                let days = row.days_in_step(now);
                if oldest[i].is_none_or(|(d, p, id)| (-days, row.priority, row.id) < (-d, p, id)) {
                    oldest[i] = Some((days, row.priority, row.id));
                }
                if days >= stale_days {
                    m.stale += 1;
                }
            }
            Status::Done => {
                if let Some(days) = cycle_days(row) {
                    cycles.push(days);
                }
                if let Some(week) = throughput_week(row, now) {
                    m.throughput[week] += 1;
                }
            }
            _ => {}
        }
    }
    for (slot, o) in m.oldest_per_step.iter_mut().zip(oldest) {
        *slot = o.map(|(days, _, id)| Oldest { id, days });
    }
    cycles.sort_by(f64::total_cmp);
    m.cycle_median = percentile(&cycles, 50.0);
    m.cycle_p85 = percentile(&cycles, 85.0);
    m
}

/// Cycle time of a done row (created to done) in days.
fn cycle_days(row: &BacklogRow) -> Option<f64> {
    let done = row.done_at?;
    let days = (done - row.created_at).num_seconds() as f64 / 86_400.0;
    Some(days.max(0.0))
}

/// The throughput slot a done row counts in, if it was done within the
/// window.
fn throughput_week(row: &BacklogRow, now: DateTime<Utc>) -> Option<usize> {
    let weeks_ago = (now - row.done_at?).num_days().div_euclid(7);
    (0..THROUGHPUT_WEEKS as i64)
        .contains(&weeks_ago)
        .then(|| THROUGHPUT_WEEKS - 1 - weeks_ago as usize)
}

/// The flow metrics kept up to date row by row: a write that changes a few
/// rows takes their old contribution out and puts their new one in, instead
/// of a pass over every row (11 ms at 100,000).
///
/// Everything is as of the instant and day the tally was built (`now`,
/// `today`): a change is counted against those, so that the result is
/// always exactly [`compute`] over the current rows at that instant (a unit
/// test checks this after many random edits). The app builds a fresh tally
/// at start, on a reload, over midnight and once an hour.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    model: String,
    now: DateTime<Utc>,
    today: NaiveDate,
    stale_days: i64,
    metrics: FlowMetrics,
    /// Cycle times of the done rows, sorted by `f64::total_cmp`.
    cycles: Vec<f64>,
    /// Per step, the active rows of the model by when they entered it
    /// (`step_entered_at`, `id`, `priority`): the oldest is among the
    /// first, those with as many days as the very first.
    waiting: Vec<BTreeSet<(DateTime<Utc>, i64, u8)>>,
}

impl Tally {
    /// One pass over every row, as [`compute`].
    pub fn new(
        rows: &[BacklogRow],
        model: &Model,
        now: DateTime<Utc>,
        today: NaiveDate,
        stale_days: i64,
    ) -> Tally {
        let steps = model.len();
        let mut tally = Tally {
            model: model.id.as_str().into(),
            now,
            today,
            stale_days,
            metrics: FlowMetrics {
                active_per_step: vec![0; steps],
                oldest_per_step: vec![None; steps],
                ..FlowMetrics::default()
            },
            cycles: Vec::new(),
            waiting: Vec::new(),
        };
        let mut waiting: Vec<Vec<(DateTime<Utc>, i64, u8)>> = vec![Vec::new(); steps];
        for row in rows {
            tally.count(row, true);
            if let Some(days) = cycle_days(row).filter(|_| row.status == Status::Done) {
                tally.cycles.push(days);
            }
            if tally.waits(row) {
                waiting[row.step.index()].push((row.step_entered_at, row.id, row.priority));
            }
        }
        tally.cycles.sort_by(f64::total_cmp);
        // From sorted input a BTreeSet is built in one linear pass.
        tally.waiting = waiting
            .into_iter()
            .map(|mut v| {
                v.sort_unstable();
                v.into_iter().collect()
            })
            .collect();
        for i in 0..steps {
            tally.update_oldest(i);
        }
        tally.update_cycles();
        tally
    }

    /// Metrics computed elsewhere (SQL aggregates for the first frame),
    /// only to be shown: a tally made so cannot follow changes, and must be
    /// replaced by [`Tally::new`] before any.
    pub fn shown(metrics: FlowMetrics, now: DateTime<Utc>) -> Tally {
        Tally {
            metrics,
            now,
            ..Tally::default()
        }
    }

    pub fn metrics(&self) -> &FlowMetrics {
        &self.metrics
    }

    /// The instant the tally counts against.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// A row joined the register.
    pub fn add(&mut self, row: &BacklogRow) {
        self.apply(row, true);
    }

    /// A row left the register; `row` must be as it was counted.
    pub fn remove(&mut self, row: &BacklogRow) {
        self.apply(row, false);
    }

    /// A row changed from `old` (as it was counted) to `new`.
    pub fn replace(&mut self, old: &BacklogRow, new: &BacklogRow) {
        self.remove(old);
        self.add(new);
    }

    /// Whether the row is an active initiative of the model (counted per
    /// step, for the oldest and for staleness).
    fn waits(&self, row: &BacklogRow) -> bool {
        row.status == Status::Active && *row.model == *self.model
    }

    /// The scalar counts: everything but cycle times and the oldest.
    fn count(&mut self, row: &BacklogRow, add: bool) {
        fn bump<T>(x: &mut T, by: T, add: bool)
        where
            T: Copy + std::ops::Add<Output = T> + std::ops::Sub<Output = T>,
        {
            *x = if add { *x + by } else { *x - by };
        }
        let (now, today, stale_days) = (self.now, self.today, self.stale_days);
        let m = &mut self.metrics;
        bump(&mut m.total, 1, add);
        bump(&mut m.returns, u64::from(row.returns), add);
        bump(&mut m.by_status[row.status.index()], 1, add);
        if row.is_overdue(today) {
            bump(&mut m.overdue, 1, add);
        }
        match row.status {
            Status::Active if *row.model == *self.model => {
                bump(&mut m.active_per_step[row.step.index()], 1, add);
                if row.days_in_step(now) >= stale_days {
                    bump(&mut m.stale, 1, add);
                }
            }
            Status::Done => {
                if let Some(week) = throughput_week(row, now) {
                    bump(&mut m.throughput[week], 1, add);
                }
            }
            _ => {}
        }
    }

    fn apply(&mut self, row: &BacklogRow, add: bool) {
        self.count(row, add);
        if row.status == Status::Done
            && let Some(days) = cycle_days(row)
        {
            let at = self.cycles.partition_point(|c| c.total_cmp(&days).is_lt());
            if add {
                self.cycles.insert(at, days);
            } else {
                debug_assert!(
                    self.cycles
                        .get(at)
                        .is_some_and(|c| c.total_cmp(&days).is_eq())
                );
                self.cycles.remove(at);
            }
            self.update_cycles();
        }
        if self.waits(row) {
            let i = row.step.index();
            let key = (row.step_entered_at, row.id, row.priority);
            if add {
                self.waiting[i].insert(key);
            } else {
                let found = self.waiting[i].remove(&key);
                debug_assert!(found, "removed a row that was not counted");
            }
            self.update_oldest(i);
        }
    }

    /// The oldest of a step: the most days, then backlog order. The rows
    /// with the most days are the first few of the step (entered within
    /// the same day); only those are looked at.
    fn update_oldest(&mut self, step: usize) {
        let now = self.now;
        let days = |entered: DateTime<Utc>| (now - entered).num_days().max(0);
        let mut waiting = self.waiting[step].iter();
        self.metrics.oldest_per_step[step] = waiting.next().map(|&(entered, id, priority)| {
            let most = days(entered);
            let (_, id) = waiting
                .take_while(|(entered, ..)| days(*entered) == most)
                .map(|&(_, id, priority)| (priority, id))
                .fold((priority, id), |best, o| best.min(o));
            Oldest { id, days: most }
        });
    }

    fn update_cycles(&mut self) {
        self.metrics.cycle_median = percentile(&self.cycles, 50.0);
        self.metrics.cycle_p85 = percentile(&self.cycles, 85.0);
    }
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
    use crate::domain::initiative::Effort;
    use chrono::{Duration, TimeZone};

    fn row(id: i64, step: u8, status: Status) -> BacklogRow {
        let model = Model::itil4();
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        BacklogRow {
            id,
            title: format!("#{id}"),
            model: model.id.as_str().into(),
            step: model.step(i64::from(step)).unwrap(),
            status,
            priority: 3,
            value: 5,
            effort: Effort::M,
            owner: "".into(),
            due: None,
            created_at: t0,
            step_entered_at: t0,
            done_at: None,
            returns: 0,
            tags: "".into(),
            goal_id: None,
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
        let model = Model::itil4();
        let rows = vec![
            row(1, 1, Status::Active),
            row(2, 1, Status::Active),
            row(3, 4, Status::Active),
            row(4, 4, Status::OnHold),
            row(5, 7, Status::Cancelled),
        ];
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        let m = compute(&rows, &model, now, now.date_naive(), DEFAULT_STALE_DAYS);
        assert_eq!(m.active_per_step, vec![2, 0, 0, 1, 0, 0, 0]);
        assert_eq!(m.by_status, [3, 1, 0, 1]);
        assert_eq!(m.stale, 3, "59 days without a move");
        let m = compute(&rows, &model, now, now.date_naive(), 60);
        assert_eq!(m.stale, 0, "59 days are not stale when stale_days is 60");
    }

    #[test]
    fn cycle_time_and_throughput_come_from_done_rows() {
        let model = Model::itil4();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        let mut rows = Vec::new();
        for (id, days, ago) in [(1, 10, 0), (2, 20, 8), (3, 30, 100)] {
            let mut r = row(id, 7, Status::Done);
            r.done_at = Some(now - Duration::days(ago));
            r.created_at = now - Duration::days(ago + days);
            rows.push(r);
        }
        let m = compute(&rows, &model, now, now.date_naive(), DEFAULT_STALE_DAYS);
        assert_eq!(m.cycle_median, Some(20.0));
        assert_eq!(m.cycle_p85, Some(30.0));
        assert_eq!(m.throughput[11], 1, "this week");
        assert_eq!(m.throughput[10], 1, "last week");
        assert_eq!(m.done_in_window(), 2, "100 days ago is outside 12 weeks");
    }

    #[test]
    fn overdue_counts_only_open_items_past_due() {
        let model = Model::itil4();
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
            &model,
            now,
            today,
            DEFAULT_STALE_DAYS,
        );
        assert_eq!(m.overdue, 1);
    }
}

#[cfg(test)]
mod tally_tests {
    use super::*;
    use crate::domain::initiative::Effort;
    use chrono::{Duration, TimeZone};

    /// A small deterministic generator (xorshift), so failures replay.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0.wrapping_shl(13);
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0.wrapping_shl(17);
            self.0 % n
        }
    }

    /// A random row: any status, step and model, dates around `now` with
    /// many ties (whole days and hours), sometimes due, sometimes done.
    fn random_row(rng: &mut Rng, id: i64, model: &Model, now: DateTime<Utc>) -> BacklogRow {
        let status = Status::ALL[rng.below(4) as usize];
        let at = |rng: &mut Rng| now - Duration::hours(rng.below(24 * 200) as i64 / 6 * 6);
        let created_at = at(rng);
        let step_entered_at = created_at.max(at(rng));
        let done_at = match (status, rng.below(5)) {
            (Status::Done, 0) => None,
            (Status::Done | Status::Cancelled, _) => Some(step_entered_at.max(at(rng))),
            _ => None,
        };
        BacklogRow {
            id,
            title: format!("#{id}"),
            model: if rng.below(10) == 0 {
                "other".into()
            } else {
                model.id.as_str().into()
            },
            step: model
                .step(1 + rng.below(model.len() as u64) as i64)
                .unwrap(),
            status,
            priority: 1 + rng.below(5) as u8,
            value: 5,
            effort: Effort::M,
            owner: "".into(),
            due: (rng.below(3) == 0)
                .then(|| now.date_naive() + Duration::days(rng.below(60) as i64 - 30)),
            created_at,
            step_entered_at,
            done_at,
            returns: rng.below(3) as u32,
            tags: "".into(),
            goal_id: None,
        }
    }

    #[test]
    fn a_tally_kept_row_by_row_equals_a_full_compute_after_every_change() {
        let model = Model::itil4();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap();
        let today = now.date_naive();
        for seed in 1..=20u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut next_id = 1;
            let mut rows: Vec<BacklogRow> = (0..rng.below(40))
                .map(|_| {
                    next_id += 1;
                    random_row(&mut rng, next_id, &model, now)
                })
                .collect();
            let stale_days = 1 + rng.below(60) as i64;
            let mut tally = Tally::new(&rows, &model, now, today, stale_days);
            assert_eq!(
                tally.metrics(),
                &compute(&rows, &model, now, today, stale_days)
            );
            for _ in 0..300 {
                match rng.below(4) {
                    // A row changes (a move, a tick, an edit).
                    0 | 1 if !rows.is_empty() => {
                        let i = rng.below(rows.len() as u64) as usize;
                        let new = random_row(&mut rng, rows[i].id, &model, now);
                        tally.replace(&rows[i], &new);
                        rows[i] = new;
                    }
                    // A row is deleted.
                    2 if !rows.is_empty() => {
                        let i = rng.below(rows.len() as u64) as usize;
                        tally.remove(&rows.remove(i));
                    }
                    // A row is added.
                    _ => {
                        next_id += 1;
                        let row = random_row(&mut rng, next_id, &model, now);
                        tally.add(&row);
                        rows.push(row);
                    }
                }
                assert_eq!(
                    tally.metrics(),
                    &compute(&rows, &model, now, today, stale_days),
                    "seed {seed}"
                );
            }
        }
    }

    #[test]
    fn the_oldest_has_the_most_days_and_a_tie_goes_by_priority_then_id() {
        let model = Model::itil4();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap();
        let mut rng = Rng(7);
        let mut a = random_row(&mut rng, 9, &model, now);
        a.status = Status::Active;
        a.model = model.id.as_str().into();
        a.step = model.first();
        a.step_entered_at = now - Duration::days(3);
        a.priority = 3;
        let mut b = a.clone();
        b.id = 4;
        // Three days too (entered an hour earlier), more important.
        let mut c = a.clone();
        c.id = 12;
        c.priority = 2;
        c.step_entered_at = now - Duration::days(3) - Duration::hours(1);
        // Two days only, most important.
        let mut d = a.clone();
        d.id = 1;
        d.priority = 1;
        d.step_entered_at = now - Duration::days(2);
        let rows = [a, b, c, d];
        let m = compute(&rows, &model, now, now.date_naive(), 30);
        assert_eq!(m.oldest_per_step[0], Some(Oldest { id: 12, days: 3 }));
        let t = Tally::new(&rows, &model, now, now.date_naive(), 30);
        assert_eq!(t.metrics(), &m);
    }
}
