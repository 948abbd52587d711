//! The generated sample (`improve demo --initiatives N`): initiatives of
//! every status with histories, drawn from `assets/sample/words.toml`.

use std::fmt::Write as _;

use chrono::{DateTime, NaiveDate, Utc};

use super::data;
use super::life::{History, Outcome, walk};
use super::{DAY, Draft, HOUR, SampleKpiRow, Writer, between, day_of, days_after};
use crate::domain::rng::Rng;
use crate::domain::{Effort, Model};
use crate::store;

/// Buffers reused across generated initiatives.
pub(super) struct Generator {
    rng: Rng,
    now: i64,
    today: NaiveDate,
    title: String,
    description: String,
    path: Vec<u8>,
    ticks: Vec<Option<i64>>,
}

impl Generator {
    /// The generator of a sample of `n` initiatives as of `now`: the seed
    /// depends on `n`, so each size is its own register.
    pub(super) fn new(n: usize, now: DateTime<Utc>) -> Generator {
        Generator {
            rng: Rng(0x1DEA_5EED_0000_0001 ^ n as u64),
            now: now.timestamp(),
            today: now.date_naive(),
            title: String::new(),
            description: String::new(),
            path: Vec::new(),
            ticks: Vec::new(),
        }
    }

    pub(super) fn one(
        &mut self,
        w: &mut Writer<'_, '_>,
        model: &Model,
        goals: &[i64],
        number: usize,
    ) -> store::Result<()> {
        let words = &data::data().words;
        let word = |rng: &mut Rng, list: &'static [String]| rng.pick(list).as_str();
        let rng = &mut self.rng;
        let steps = model.len();
        let verb = word(rng, &words.verbs);
        let object = word(rng, &words.objects);
        self.title.clear();
        let _ = write!(self.title, "{verb} {object} #{number}");
        self.description.clear();
        let _ = write!(
            self.description,
            "Generated for load testing: {} {object} for the {} team.",
            verb.to_lowercase(),
            word(rng, &words.teams)
        );

        let roll = rng.unit();
        let outcome = if roll < 0.60 {
            Outcome::Active
        } else if roll < 0.70 {
            Outcome::OnHold(word(rng, &words.hold_reasons))
        } else if roll < 0.92 {
            let code = if rng.chance(0.85) {
                "successful"
            } else {
                "unsuccessful"
            };
            Outcome::Done {
                code,
                realised: word(rng, &words.realised),
            }
        } else {
            Outcome::Cancelled(word(rng, &words.cancelled))
        };
        let done = outcome.is_done();
        let target = if done {
            steps as u8
        } else {
            rng.below(steps as u64) as u8 + 1
        };
        walk(rng, steps as u8, target, &mut self.path);

        let created = self.now - HOUR - rng.below((180 * DAY - HOUR) as u64) as i64;
        let last = if self.path.is_empty() && !done {
            created
        } else if done {
            between(created, self.now, rng.range(0.3, 1.0))
        } else {
            between(created, self.now, rng.range(0.2, 0.95))
        };
        let end = if done {
            last
        } else {
            between(last, self.now, rng.range(0.3, 1.0))
        };
        let mut h = History::build(rng, steps, created, last, &self.path, done, end);
        h.explain_returns(|| rng.chance(0.8).then(|| word(rng, &words.back_reasons)));
        h.ticks(rng, model, &mut self.ticks);

        let due = rng
            .chance(0.4)
            .then(|| days_after(self.today, rng.below(120) as i64 - 30));
        let first_tag = word(rng, &words.tags);
        let second_tag = word(rng, &words.tags);
        let tags = if first_tag == second_tag {
            first_tag.to_owned()
        } else {
            format!("{first_tag},{second_tag}")
        };
        let draft = Draft {
            title: &self.title,
            description: &self.description,
            source: word(rng, &words.sources),
            owner: word(rng, &words.owners),
            raised_by: word(rng, &words.owners),
            tags: &tags,
            area: word(rng, &words.areas),
            priority: rng.below(5) as u8 + 1,
            value: rng.below(10) as u8 + 1,
            effort: *rng.pick(&Effort::ALL),
            goal_id: rng.chance(0.7).then(|| *rng.pick(goals)),
            parent_id: None,
            due,
            outcome,
        };
        let id = w.initiative(model, &draft, &h, &self.ticks)?;

        if rng.below(6) == 0 {
            let note = rng.pick(&words.note);
            let (kind, body) = (note.kind.as_str(), note.body.as_str());
            let at = between(created, end, rng.unit());
            w.note(id, kind, body, at)?;
        }
        if (h.step >= 3 || done) && rng.below(8) == 0 {
            let k = rng.pick(&words.kpi);
            let (name, unit, direction, baseline, aim) = (
                k.name.as_str(),
                k.unit.as_str(),
                k.direction.as_str(),
                k.baseline,
                k.target,
            );
            let baseline_at = h.first_entry(3).unwrap_or(h.step_entered_at);
            let kpi = w.kpi(&SampleKpiRow {
                initiative: id,
                position: 0,
                name,
                unit,
                direction,
                baseline: (baseline, day_of(baseline_at)),
                target: Some((aim, days_after(day_of(baseline_at), 90))),
            })?;
            for i in 1..=3 {
                let share = f64::from(i) / 3.0;
                let value = baseline + (aim - baseline) * share * rng.range(0.5, 1.2);
                w.measurement(
                    kpi,
                    (value * 10.0).round() / 10.0,
                    between(baseline_at, end, share),
                )?;
            }
        }
        Ok(())
    }
}
