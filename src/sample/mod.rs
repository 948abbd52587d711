//! Sample registers: a hand-written one for demos and screenshots, and a
//! generated one of any size for load tests. Above the store: what the
//! sample says is data (`assets/sample/`, read in `data.rs`), and it is
//! written through the store's bulk writer, as an import is.
//!
//! Both write each initiative's final state directly (row, copied checklists,
//! move log, KPIs, notes) inside one IMMEDIATE transaction. The columns the
//! dashboard reads instead of scanning the log (`step`, `step_entered_at`,
//! `done_at`, `returns`) are derived from the same in-memory history that
//! becomes the log, so they agree with it exactly as the interactive writes
//! in `store/write.rs` keep them agreeing: a completion is logged as a move
//! from the last step to itself at `done_at` and leaves `step_entered_at`
//! alone.
//!
//! No randomness crate: variety comes from a seeded SplitMix64, so the same
//! `now` (and `n`) always gives the same database content, which snapshot
//! tests rely on.

mod data;
mod generated;
mod hand;
mod life;
#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::domain::rng::Rng;
use crate::domain::{Effort, Model};
use crate::store::bulk::{BulkWriter, Load};
use crate::store::rows::{GoalRow, InitiativeRow, KpiRow, MeasurementRow, MoveRow, NoteRow};
use crate::store::{self, Store, date_text};
use generated::Generator;
use life::{History, Outcome};

/// What a sample or generated load added to the register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub initiatives: usize,
    pub goals: usize,
    pub moves: usize,
    pub kpis: usize,
    pub measurements: usize,
    pub notes: usize,
}

/// The hand-written realistic sample register, dated relative to `now`.
/// Deterministic: same `now` => same database content.
pub fn load_sample(
    store: &mut Store,
    model: &Model,
    now: DateTime<Utc>,
) -> store::Result<DemoSummary> {
    store.bulk_write(Load::Checked, |bw| {
        let mut w = Writer::new(bw);
        let goals = w.goals(now.timestamp() - 200 * DAY)?;
        let mut rng = Rng(0x5EED_1717_C0FF_EE00);
        let samples = &data::data().initiatives;
        let mut ids: Vec<i64> = Vec::with_capacity(samples.len());
        for sample in samples {
            let id = hand::write_sample(&mut w, model, sample, &goals, &ids, now, &mut rng)?;
            ids.push(id);
        }
        let summary = w.summary;
        bw.history_from_moves(None)?;
        Ok(summary)
    })
}

/// `n` generated initiatives with histories, for load tests. Deterministic
/// for a given (n, now).
pub fn generate(
    store: &mut Store,
    model: &Model,
    n: usize,
    now: DateTime<Utc>,
) -> store::Result<DemoSummary> {
    generate_with_progress(store, model, n, now, &mut |_| {})
}

/// As [`generate`], telling `progress` how many initiatives are written
/// (every few hundred, and `n` before the commit, which takes a while too).
pub fn generate_with_progress(
    store: &mut Store,
    model: &Model,
    n: usize,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize),
) -> store::Result<DemoSummary> {
    store.bulk_write(Load::Fast, |bw| {
        let mut w = Writer::new(bw);
        let goals = w.goals(now.timestamp() - 200 * DAY)?;
        let mut generator = Generator::new(n, now);
        for number in 1..=n {
            generator.one(&mut w, model, &goals, number)?;
            if number % 256 == 0 {
                progress(number);
            }
        }
        progress(n);
        let summary = w.summary;
        bw.history_from_moves(None)?;
        Ok(summary)
    })
}

const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

struct Draft<'a> {
    title: &'a str,
    description: &'a str,
    source: &'a str,
    owner: &'a str,
    raised_by: &'a str,
    tags: &'a str,
    area: &'a str,
    priority: u8,
    value: u8,
    effort: Effort,
    goal_id: Option<i64>,
    parent_id: Option<i64>,
    due: Option<NaiveDate>,
    outcome: Outcome,
}

struct SampleKpiRow<'a> {
    initiative: i64,
    position: i64,
    name: &'a str,
    unit: &'a str,
    direction: &'a str,
    baseline: (f64, NaiveDate),
    target: Option<(f64, NaiveDate)>,
}

/// Writes the sample through the bulk writer, counting what it wrote.
struct Writer<'w, 'c> {
    w: &'w mut BulkWriter<'c>,
    summary: DemoSummary,
}

impl<'w, 'c> Writer<'w, 'c> {
    fn new(w: &'w mut BulkWriter<'c>) -> Writer<'w, 'c> {
        Writer {
            w,
            summary: DemoSummary::default(),
        }
    }

    fn goals(&mut self, at: i64) -> store::Result<Vec<i64>> {
        let goals = &data::data().goals;
        let mut ids = Vec::with_capacity(goals.len());
        for (i, goal) in goals.iter().enumerate() {
            let id = self.w.goal(&GoalRow {
                id: None,
                name: &goal.name,
                description: &goal.description,
                created_at: at + i as i64 * HOUR,
            })?;
            self.w.mark_sample_goal(id)?;
            ids.push(id);
        }
        self.summary.goals += ids.len();
        Ok(ids)
    }

    fn initiative(
        &mut self,
        model: &Model,
        d: &Draft<'_>,
        h: &History,
        ticks: &[Option<i64>],
    ) -> store::Result<i64> {
        let (status, hold_reason, closure_code, realised) = d.outcome.columns();
        // A withdrawal's text is why it was cancelled, not what it realised.
        let (realised, cancel_reason) = match status {
            "cancelled" => (None, realised),
            _ => (realised, None),
        };
        // One version per logged change, as the interactive writes count them.
        let version = (h.moves.len() + ticks.iter().flatten().count()) as i64;
        let due = d.due.map(date_text);
        let id = self.w.initiative(&InitiativeRow {
            id: None,
            title: d.title,
            description: d.description,
            source: d.source,
            model: &model.id,
            step: h.step.into(),
            status,
            hold_reason,
            closure_code,
            realised,
            priority: d.priority.into(),
            value: d.value.into(),
            effort: d.effort.as_str(),
            owner: d.owner,
            raised_by: d.raised_by,
            area: Some(d.area),
            tags: d.tags,
            goal_id: d.goal_id,
            parent_id: d.parent_id,
            due: due.as_deref(),
            created_at: h.moves[0].at,
            updated_at: h.end,
            step_entered_at: h.step_entered_at,
            done_at: h.done_at,
            returns: h.returns,
            version,
            cancel_reason,
        })?;
        self.w.mark_sample_initiative(id, version)?;
        self.w.checklist(model, id, ticks)?;
        for m in &h.moves {
            self.w.log_move(&MoveRow {
                id: None,
                initiative_id: id,
                from_step: m.from.map(i64::from),
                to_step: m.to.into(),
                at: m.at,
                reason: m.reason,
            })?;
        }
        self.summary.initiatives += 1;
        self.summary.moves += h.moves.len();
        Ok(id)
    }

    fn kpi(&mut self, k: &SampleKpiRow<'_>) -> store::Result<i64> {
        let baseline_date = date_text(k.baseline.1);
        let target_date = k.target.map(|t| date_text(t.1));
        let id = self.w.kpi(&KpiRow {
            id: None,
            initiative_id: k.initiative,
            position: k.position,
            name: k.name,
            unit: k.unit,
            direction: k.direction,
            baseline: Some(k.baseline.0),
            baseline_date: Some(&baseline_date),
            target: k.target.map(|t| t.0),
            target_date: target_date.as_deref(),
        })?;
        self.summary.kpis += 1;
        Ok(id)
    }

    fn measurement(&mut self, kpi: i64, value: f64, at: i64) -> store::Result<()> {
        let on = date_text(day_of(at));
        self.w.measurement(&MeasurementRow {
            id: None,
            kpi_id: kpi,
            value,
            measured_on: &on,
            created_at: at,
        })?;
        self.summary.measurements += 1;
        Ok(())
    }

    fn note(&mut self, initiative: i64, kind: &str, body: &str, at: i64) -> store::Result<()> {
        self.w.note(&NoteRow {
            id: None,
            initiative_id: initiative,
            kind,
            body,
            at,
        })?;
        self.summary.notes += 1;
        Ok(())
    }
}

fn day_of(ts: i64) -> NaiveDate {
    DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .date_naive()
}

fn days_after(day: NaiveDate, days: i64) -> NaiveDate {
    day.checked_add_signed(TimeDelta::days(days)).unwrap_or(day)
}

/// A point `share` of the way from `from` to `to`.
fn between(from: i64, to: i64, share: f64) -> i64 {
    from + ((to - from) as f64 * share) as i64
}
