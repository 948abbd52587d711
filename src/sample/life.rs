//! An initiative's life as the sample writes it: how it ends, the moves it
//! made, when each step was visited and which checklist items were ticked.

use crate::domain::Model;
use crate::domain::rng::Rng;

/// How an initiative ends up, with the columns each status requires.
#[derive(Debug, Clone, Copy)]
pub(super) enum Outcome {
    Active,
    OnHold(&'static str),
    Done {
        code: &'static str,
        realised: &'static str,
    },
    Cancelled(&'static str),
}

impl Outcome {
    /// `(status, hold_reason, closure_code, realised)`
    pub(super) fn columns(
        self,
    ) -> (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    ) {
        match self {
            Outcome::Active => ("active", None, None, None),
            Outcome::OnHold(why) => ("on_hold", Some(why), None, None),
            Outcome::Done { code, realised } => ("done", None, Some(code), Some(realised)),
            Outcome::Cancelled(realised) => ("cancelled", None, Some("withdrawn"), Some(realised)),
        }
    }

    pub(super) fn is_done(self) -> bool {
        matches!(self, Outcome::Done { .. })
    }
}

pub(super) struct Move {
    pub(super) from: Option<u8>,
    pub(super) to: u8,
    pub(super) at: i64,
    pub(super) reason: Option<&'static str>,
}

/// An initiative's life as it will be logged.
pub(super) struct History {
    /// The creation move first, oldest first.
    pub(super) moves: Vec<Move>,
    /// Start and end of each step's most recent visit, index 0 = step 1.
    pub(super) visits: Vec<Option<(i64, i64)>>,
    pub(super) step: u8,
    pub(super) step_entered_at: i64,
    pub(super) done_at: Option<i64>,
    /// Nothing about the initiative (tick, note, measurement) happens later:
    /// this is its `updated_at`.
    pub(super) end: i64,
    pub(super) returns: i64,
}

/// Relative time spent in each ITIL step: acting takes longest.
const STEP_WEIGHT: [f64; 7] = [1.0, 1.6, 1.0, 1.4, 3.0, 1.2, 1.0];

fn step_weight(step: u8) -> f64 {
    STEP_WEIGHT
        .get(usize::from(step) - 1)
        .copied()
        .unwrap_or(1.5)
}

impl History {
    /// Walks from step 1 (entered at `created`) through `path`, then, when
    /// `done`, completes the last step. The final move happens at `last`;
    /// the moves in between share the time by how long each step usually
    /// takes. `end` (>= `last`) closes the current step's visit.
    pub(super) fn build(
        rng: &mut Rng,
        steps: usize,
        created: i64,
        last: i64,
        path: &[u8],
        done: bool,
        end: i64,
    ) -> History {
        let mut events: Vec<(u8, u8)> = Vec::with_capacity(path.len() + 1);
        let mut at_step = 1u8;
        for &to in path {
            events.push((at_step, to));
            at_step = to;
        }
        if done {
            events.push((at_step, at_step));
        }
        let weights: Vec<f64> = events
            .iter()
            .map(|&(from, _)| step_weight(from) * rng.range(0.5, 1.5))
            .collect();
        let total: f64 = weights.iter().sum();
        let span = (last - created) as f64;

        let mut moves = Vec::with_capacity(events.len() + 1);
        moves.push(Move {
            from: None,
            to: 1,
            at: created,
            reason: None,
        });
        let mut visits = vec![None; steps];
        let mut open = (1u8, created);
        let mut step_entered_at = created;
        let mut done_at = None;
        let mut returns = 0;
        let mut cumulative = 0.0;
        for (i, (&(from, to), w)) in events.iter().zip(&weights).enumerate() {
            cumulative += w;
            let at = if i + 1 == events.len() {
                last
            } else {
                created + (span * cumulative / total) as i64
            };
            visits[usize::from(open.0) - 1] = Some((open.1, at));
            if from == to {
                done_at = Some(at);
            } else {
                open = (to, at);
                step_entered_at = at;
                returns += i64::from(to < from);
            }
            moves.push(Move {
                from: Some(from),
                to,
                at,
                reason: None,
            });
        }
        if done_at.is_none() {
            visits[usize::from(open.0) - 1] = Some((open.1, end));
        }
        History {
            moves,
            visits,
            step: at_step,
            step_entered_at,
            done_at,
            end,
            returns,
        }
    }

    /// When the initiative first entered `step`.
    pub(super) fn first_entry(&self, step: u8) -> Option<i64> {
        self.moves.iter().find(|m| m.to == step).map(|m| m.at)
    }

    /// Gives the backward moves their reasons, in order.
    pub(super) fn explain_returns(&mut self, mut reason: impl FnMut() -> Option<&'static str>) {
        for m in &mut self.moves {
            if m.from.is_some_and(|from| m.to < from) {
                m.reason = reason();
            }
        }
    }

    /// Fills `ticks` with each checklist item's `done_at`, in model order.
    /// Steps already left are mostly done (judgement beats procedure, so not
    /// all), the current step partly, steps never reached not at all.
    pub(super) fn ticks(&self, rng: &mut Rng, model: &Model, ticks: &mut Vec<Option<i64>>) {
        ticks.clear();
        let finished = self.done_at.is_some();
        let current_share = rng.range(0.15, 0.85);
        for step in model.steps() {
            let n = step.number();
            let share = if n == self.step && !finished {
                current_share
            } else if n <= self.step {
                0.9
            } else {
                // Reached once, then stepped back from.
                0.6
            };
            let visit = self.visits[step.index()];
            for _ in &model.def(step).checklist {
                ticks.push(
                    visit.filter(|_| rng.chance(share)).map(|(from, to)| {
                        from + ((to - from) as f64 * rng.range(0.05, 0.95)) as i64
                    }),
                );
            }
        }
    }
}

/// Fills `path` with the steps entered after step 1 on the way to `target`,
/// with a few returns (the model is not linear) that are then re-done.
pub(super) fn walk(rng: &mut Rng, steps: u8, target: u8, path: &mut Vec<u8>) {
    path.clear();
    let mut returns = if steps < 2 {
        0
    } else {
        match rng.below(100) {
            0..25 => 0,
            25..60 => 1,
            60..85 => 2,
            _ => 3,
        }
    };
    let mut at = 1u8;
    while at != target || returns > 0 {
        if returns > 0 && at >= 2 && (at >= target || rng.chance(0.35)) {
            let back = (rng.below(3) as u8 + 1).min(at - 1);
            at -= back;
            returns -= 1;
        } else if at < target || (at == 1 && returns > 0) {
            at += 1;
        } else {
            // Past the target with no returns left: cannot happen, since
            // only a pending return moves beyond the target.
            at = target;
        }
        path.push(at);
    }
}
