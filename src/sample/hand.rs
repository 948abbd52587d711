//! The hand-written sample (`assets/sample/initiatives.toml`), dated
//! relative to the day it is loaded.

use chrono::{DateTime, Utc};

use super::data::{self, Initiative};
use super::life::{History, Outcome};
use super::{DAY, Draft, HOUR, SampleKpiRow, Writer, between, day_of, days_after};
use crate::domain::Model;
use crate::domain::rng::Rng;
use crate::store;

/// Maps a path written for the seven ITIL steps onto a model with another
/// number of steps, dropping moves that would stay in place.
pub(super) fn scale_path(path: &[u8], steps: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(path.len());
    let mut at = 1u8;
    for &s in path {
        let to = if steps == 7 {
            s
        } else {
            (usize::from(s) * steps).div_ceil(7).clamp(1, steps) as u8
        };
        if to != at {
            out.push(to);
            at = to;
        }
    }
    out
}

/// How a sample initiative ends, from its `status` and the field that
/// goes with it (checked when the data is read).
fn outcome(s: &'static Initiative) -> Outcome {
    let text = |t: &'static Option<String>| t.as_deref().unwrap_or_default();
    match s.status.as_str() {
        "on_hold" => Outcome::OnHold(text(&s.hold_reason)),
        "done" => Outcome::Done {
            code: text(&s.closure_code),
            realised: text(&s.realised),
        },
        "cancelled" => Outcome::Cancelled(text(&s.cancel_reason)),
        _ => Outcome::Active,
    }
}

/// Writes one sample initiative; `ids` are those of the ones before it,
/// in the file's order.
pub(super) fn write_sample(
    w: &mut Writer<'_, '_>,
    model: &Model,
    s: &'static Initiative,
    goals: &[i64],
    ids: &[i64],
    now: DateTime<Utc>,
    rng: &mut Rng,
) -> store::Result<i64> {
    let data = data::data();
    let now_ts = now.timestamp();
    let outcome = outcome(s);
    let done = outcome.is_done();
    let path = scale_path(&s.path, model.len());
    let created = now_ts - s.age * DAY - rng.below(6 * HOUR as u64) as i64;
    let last = if path.is_empty() && !done {
        created
    } else {
        (now_ts - s.since * DAY - rng.below(6 * HOUR as u64) as i64).max(created + 1)
    };
    let end = if done {
        last
    } else {
        between(last, now_ts, rng.range(0.4, 0.9))
    };
    let mut h = History::build(rng, model.len(), created, last, &path, done, end);
    let mut reasons = s.returns.iter();
    h.explain_returns(|| reasons.next().map(String::as_str));
    let mut ticks = Vec::new();
    h.ticks(rng, model, &mut ticks);

    let due = s.due.map(|d| days_after(now.date_naive(), d));
    let draft = Draft {
        title: &s.title,
        description: &s.description,
        source: &s.source,
        owner: &s.owner,
        raised_by: &s.raised_by,
        tags: &s.tags,
        area: &s.area,
        priority: s.priority,
        value: s.value,
        effort: s.effort(),
        goal_id: s
            .goal
            .as_deref()
            .and_then(|g| data.goal_index(g))
            .and_then(|g| goals.get(g).copied()),
        parent_id: s
            .follows
            .as_deref()
            .and_then(|p| data.initiatives.iter().position(|e| e.title == p))
            .and_then(|p| ids.get(p).copied()),
        due,
        outcome,
    };
    let id = w.initiative(model, &draft, &h, &ticks)?;

    // The baseline is recorded on leaving "Where are we now?", the target
    // while deciding "Where do we want to be?".
    let target_step = 3.min(model.len() as u8);
    let entered_target = h.first_entry(target_step).filter(|_| target_step > 1);
    let baseline_at = entered_target.map_or_else(
        || between(h.step_entered_at, end, 0.5),
        |t| (t - DAY / 2).max(created),
    );
    let target_day = due.unwrap_or_else(|| days_after(day_of(entered_target.unwrap_or(end)), 90));
    for (position, k) in s.kpi.iter().enumerate() {
        let kpi = w.kpi(&SampleKpiRow {
            initiative: id,
            position: position as i64,
            name: &k.name,
            unit: &k.unit,
            direction: &k.direction,
            baseline: (k.baseline, day_of(baseline_at)),
            target: k.target.map(|t| (t, target_day)),
        })?;
        let n = k.values.len() as f64;
        for (i, value) in k.values.iter().enumerate() {
            w.measurement(kpi, *value, between(baseline_at, end, (i as f64 + 1.0) / n))?;
        }
    }
    for n in &s.note {
        w.note(id, &n.kind, &n.body, between(created, end, n.share))?;
    }
    Ok(id)
}
