//! The flow metrics kept up to date row by row, so that a write costs the
//! rows it changes instead of a pass over the register.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};

use super::{FlowMetrics, Oldest, cycle_days, model_index, throughput_week};
use crate::domain::initiative::{BacklogRow, Status};
use crate::domain::models::Models;

/// An active row waiting in its step: when it entered, its id, its priority.
type Waiting = (DateTime<Utc>, i64, u8);

/// The flow metrics kept up to date row by row: a write that changes a few
/// rows takes their old contribution out and puts their new one in, instead
/// of a pass over every row (11 ms at 100,000).
///
/// Everything is as of the instant and day the tally was built (`now`,
/// `today`): a change is counted against those, so that the result is
/// always exactly [`compute`](super::compute) over the current rows at
/// that instant (a unit test checks this after many random edits). The app
/// builds a fresh tally at start, on a reload, over midnight and once an
/// hour.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// The models' ids, in `Models` order (the per-model figures' order).
    models: Vec<String>,
    now: DateTime<Utc>,
    today: NaiveDate,
    stale_days: i64,
    metrics: FlowMetrics,
    /// Cycle times of the done rows, sorted by `f64::total_cmp`.
    cycles: Vec<f64>,
    /// Per model and step, the active rows by when they entered it
    /// (`step_entered_at`, `id`, `priority`): the oldest is among the
    /// first, those with as many days as the very first.
    waiting: Vec<Vec<BTreeSet<Waiting>>>,
}

impl Tally {
    /// One pass over every row, as [`compute`](super::compute).
    pub fn new(
        rows: &[BacklogRow],
        models: &Models,
        now: DateTime<Utc>,
        today: NaiveDate,
        stale_days: i64,
    ) -> Tally {
        let mut tally = Tally {
            models: models.iter().map(|(m, _)| m.id.clone()).collect(),
            now,
            today,
            stale_days,
            metrics: FlowMetrics::for_models(models),
            cycles: Vec::new(),
            waiting: Vec::new(),
        };
        let mut waiting: Vec<Vec<Vec<Waiting>>> = models
            .iter()
            .map(|(m, _)| vec![Vec::new(); m.len()])
            .collect();
        let mut last = None;
        for row in rows {
            tally.count(row, true);
            if row.status == Status::Done
                && let Some(done) = row.done_at
            {
                tally.cycles.push(cycle_days(row.created_at, done));
            }
            if row.status == Status::Active
                && let Some(k) = model_index(models, &row.model, &mut last)
            {
                waiting[k][row.step.index()].push((row.step_entered_at, row.id, row.priority));
            }
        }
        tally.cycles.sort_by(f64::total_cmp);
        // From sorted input a BTreeSet is built in one linear pass.
        tally.waiting = waiting
            .into_iter()
            .map(|steps| {
                steps
                    .into_iter()
                    .map(|mut v| {
                        v.sort_unstable();
                        v.into_iter().collect()
                    })
                    .collect()
            })
            .collect();
        for k in 0..tally.waiting.len() {
            for i in 0..tally.waiting[k].len() {
                tally.update_oldest(k, i);
            }
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

    /// The model (by position) of an active initiative of a known model,
    /// which is counted per step and for the oldest.
    fn waits(&self, row: &BacklogRow) -> Option<usize> {
        if row.status != Status::Active {
            return None;
        }
        self.models.iter().position(|id| **id == *row.model)
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
        bump(&mut m.unsuccessful, u32::from(row.unsuccessful), add);
        if row.is_overdue(today) {
            bump(&mut m.overdue, 1, add);
        }
        match row.status {
            Status::Active => {
                if let Some(k) = self.models.iter().position(|id| **id == *row.model) {
                    bump(
                        &mut m.per_model[k].active_per_step[row.step.index()],
                        1,
                        add,
                    );
                }
                if row.days_in_step(now) >= stale_days {
                    bump(&mut m.stale, 1, add);
                }
            }
            Status::Done => {
                if let Some(week) = row.done_at.and_then(|done| throughput_week(done, now)) {
                    bump(&mut m.throughput[week], 1, add);
                }
            }
            _ => {}
        }
    }

    fn apply(&mut self, row: &BacklogRow, add: bool) {
        self.count(row, add);
        if row.status == Status::Done
            && let Some(done) = row.done_at
        {
            let days = cycle_days(row.created_at, done);
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
        if let Some(k) = self.waits(row) {
            let i = row.step.index();
            let key = (row.step_entered_at, row.id, row.priority);
            if add {
                self.waiting[k][i].insert(key);
            } else {
                let found = self.waiting[k][i].remove(&key);
                debug_assert!(found, "removed a row that was not counted");
            }
            self.update_oldest(k, i);
        }
    }

    /// The oldest of a step: the most days, then backlog order. The rows
    /// with the most days are the first few of the step (entered within
    /// the same day); only those are looked at.
    fn update_oldest(&mut self, model: usize, step: usize) {
        let now = self.now;
        let days = |entered: DateTime<Utc>| (now - entered).num_days().max(0);
        let mut waiting = self.waiting[model][step].iter();
        self.metrics.per_model[model].oldest_per_step[step] =
            waiting.next().map(|&(entered, id, priority)| {
                let most = days(entered);
                let (_, id) = waiting
                    .take_while(|(entered, ..)| days(*entered) == most)
                    .map(|&(_, id, priority)| (priority, id))
                    .fold((priority, id), |best, o| best.min(o));
                Oldest { id, days: most }
            });
    }

    fn update_cycles(&mut self) {
        self.metrics.set_cycle_times(&self.cycles);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::metrics::compute;
    use crate::domain::model::Model;
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
    fn random_row(rng: &mut Rng, id: i64, models: &Models, now: DateTime<Utc>) -> BacklogRow {
        // Mostly one model, some of every other, a few of an unknown one.
        let model = match rng.below(10) {
            0..=4 => models.at(0),
            _ => models.at(rng.below(models.len() as u64) as usize),
        };
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
            model: if rng.below(15) == 0 {
                "other".into()
            } else {
                model.id.as_str().into()
            },
            step: model
                .step(1 + rng.below(model.len() as u64) as i64)
                .unwrap(),
            status,
            priority: 1 + rng.below(5) as u8,
            due: (rng.below(3) == 0)
                .then(|| now.date_naive() + Duration::days(rng.below(60) as i64 - 30)),
            created_at,
            step_entered_at,
            done_at,
            closed_at: done_at,
            returns: rng.below(3) as u32,
            ..BacklogRow::example(id, now)
        }
    }

    #[test]
    fn a_tally_kept_row_by_row_equals_a_full_compute_after_every_change() {
        let model = Models::builtin();
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
        let models = Models::builtin();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap();
        let mut rng = Rng(7);
        let mut a = random_row(&mut rng, 9, &models, now);
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
        let m = compute(&rows, &models, now, now.date_naive(), 30);
        assert_eq!(
            m.per_model[0].oldest_per_step[0],
            Some(Oldest { id: 12, days: 3 })
        );
        let t = Tally::new(&rows, &models, now, now.date_naive(), 30);
        assert_eq!(t.metrics(), &m);
    }
}
