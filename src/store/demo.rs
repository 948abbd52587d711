//! Sample registers: a hand-written one for demos and screenshots, and a
//! generated one of any size for load tests.
//!
//! Both write each initiative's final state directly (row, copied checklists,
//! move log, KPIs, notes) inside one IMMEDIATE transaction. The columns the
//! dashboard reads instead of scanning the log (`step`, `step_entered_at`,
//! `done_at`, `returns`) are derived from the same in-memory history that
//! becomes the log, so they agree with it exactly as the interactive writes
//! in `write.rs` keep them agreeing: a completion is logged as a move from the
//! last step to itself at `done_at` and leaves `step_entered_at` alone.
//!
//! No randomness crate: variety comes from a seeded SplitMix64, so the same
//! `now` (and `n`) always gives the same database content, which snapshot
//! tests rely on.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use rusqlite::TransactionBehavior;

use super::Store;
use super::bulk::{BulkWriter, Load};
use super::rows::{GoalRow, InitiativeRow, KpiRow, MeasurementRow, MoveRow, NoteRow};
use super::write::date_text;
use crate::domain::rng::Rng;
use crate::domain::{Effort, Model};

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

/// True when the register holds any initiative or goal.
pub fn has_data(store: &Store) -> rusqlite::Result<bool> {
    store.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM initiatives) OR EXISTS (SELECT 1 FROM goals)",
        [],
        |r| r.get(0),
    )
}

/// Deletes every row of every table (used by `demo --force`), in one
/// IMMEDIATE transaction.
pub fn clear(store: &mut Store) -> rusqlite::Result<()> {
    // With foreign keys on, SQLite deletes row by row and looks up each
    // deleted row's parent; with them off, a DELETE without WHERE drops
    // the table's pages at once. Everything goes, so nothing dangles.
    super::bulk::unchecked(store.conn_mut(), |conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(
            "DELETE FROM measurements;
             DELETE FROM kpis;
             DELETE FROM notes;
             DELETE FROM moves;
             DELETE FROM events;
             DELETE FROM checklist_items;
             DELETE FROM sample_initiatives;
             DELETE FROM sample_goals;
             DELETE FROM initiatives;
             DELETE FROM goals;",
        )?;
        tx.commit()
    })
}

/// The hand-written realistic sample register, dated relative to `now`.
/// Deterministic: same `now` => same database content.
pub fn load_sample(
    store: &mut Store,
    model: &Model,
    now: DateTime<Utc>,
) -> rusqlite::Result<DemoSummary> {
    store.bulk_write(Load::Checked, |bw| {
        let mut w = Writer::new(bw);
        let goals = w.goals(now.timestamp() - 200 * DAY)?;
        let mut rng = Rng(0x5EED_1717_C0FF_EE00);
        let mut ids: Vec<i64> = Vec::with_capacity(SAMPLES.len());
        for sample in SAMPLES {
            let id = write_sample(&mut w, model, sample, &goals, &ids, now, &mut rng)?;
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
) -> rusqlite::Result<DemoSummary> {
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
) -> rusqlite::Result<DemoSummary> {
    store.bulk_write(Load::Fast, |bw| {
        let mut w = Writer::new(bw);
        let goals = w.goals(now.timestamp() - 200 * DAY)?;
        let mut generator = Generator {
            rng: Rng(0x1DEA_5EED_0000_0001 ^ n as u64),
            now: now.timestamp(),
            today: now.date_naive(),
            title: String::new(),
            description: String::new(),
            path: Vec::new(),
            ticks: Vec::new(),
        };
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

/// How an initiative ends up, with the columns each status requires.
#[derive(Debug, Clone, Copy)]
enum Outcome {
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
    fn columns(
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

    fn is_done(self) -> bool {
        matches!(self, Outcome::Done { .. })
    }
}

struct Move {
    from: Option<u8>,
    to: u8,
    at: i64,
    reason: Option<&'static str>,
}

/// An initiative's life as it will be logged.
struct History {
    /// The creation move first, oldest first.
    moves: Vec<Move>,
    /// Start and end of each step's most recent visit, index 0 = step 1.
    visits: Vec<Option<(i64, i64)>>,
    step: u8,
    step_entered_at: i64,
    done_at: Option<i64>,
    /// Nothing about the initiative (tick, note, measurement) happens later:
    /// this is its `updated_at`.
    end: i64,
    returns: i64,
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
    fn build(
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
    fn first_entry(&self, step: u8) -> Option<i64> {
        self.moves.iter().find(|m| m.to == step).map(|m| m.at)
    }

    /// Gives the backward moves their reasons, in order.
    fn explain_returns(&mut self, mut reason: impl FnMut() -> Option<&'static str>) {
        for m in &mut self.moves {
            if m.from.is_some_and(|from| m.to < from) {
                m.reason = reason();
            }
        }
    }

    /// Fills `ticks` with each checklist item's `done_at`, in model order.
    /// Steps already left are mostly done (judgement beats procedure, so not
    /// all), the current step partly, steps never reached not at all.
    fn ticks(&self, rng: &mut Rng, model: &Model, ticks: &mut Vec<Option<i64>>) {
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

    fn goals(&mut self, at: i64) -> rusqlite::Result<Vec<i64>> {
        let mut ids = Vec::with_capacity(GOALS.len());
        for (i, (name, description)) in GOALS.iter().enumerate() {
            let id = self.w.goal(&GoalRow {
                id: None,
                name,
                description,
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
    ) -> rusqlite::Result<i64> {
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

    fn kpi(&mut self, k: &SampleKpiRow<'_>) -> rusqlite::Result<i64> {
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

    fn measurement(&mut self, kpi: i64, value: f64, at: i64) -> rusqlite::Result<()> {
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

    fn note(&mut self, initiative: i64, kind: &str, body: &str, at: i64) -> rusqlite::Result<()> {
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

const GOALS: [(&str, &str); 4] = [
    (
        "Stable, resilient services",
        "Fewer and shorter outages of customer-facing services: P1 mean time to restore under 4 hours \
         and a change failure rate under 10% by the end of the year.",
    ),
    (
        "Less toil through automation",
        "Automate repetitive operational work so engineers spend at least half their time improving \
         services instead of doing manual chores.",
    ),
    (
        "A better service experience",
        "Raise end-user satisfaction with IT support from 3.6 to 4.3 out of 5 and make the common \
         requests self-service.",
    ),
    (
        "Personal growth at a sustainable pace",
        "My own goal: learn one new skill a quarter, protect focus time and keep a weekly review habit.",
    ),
];

struct SampleKpi {
    name: &'static str,
    unit: &'static str,
    direction: &'static str,
    baseline: f64,
    target: Option<f64>,
    values: &'static [f64],
}

struct Sample {
    title: &'static str,
    description: &'static str,
    source: &'static str,
    owner: &'static str,
    raised_by: &'static str,
    tags: &'static str,
    area: &'static str,
    priority: u8,
    value: u8,
    effort: Effort,
    /// Index into [`GOALS`].
    goal: Option<usize>,
    /// Index of an earlier entry of [`SAMPLES`].
    parent: Option<usize>,
    /// Days from today; negative is overdue.
    due: Option<i64>,
    /// Days since it was raised.
    age: i64,
    /// Days since its last move (for a done one: since it was completed).
    since: i64,
    /// Steps entered after step 1, in order; a done one ends at the last step.
    path: &'static [u8],
    outcome: Outcome,
    /// Reasons for the backward moves in `path`, in order.
    returns: &'static [&'static str],
    kpis: &'static [SampleKpi],
    /// `(kind, share of its life elapsed, body)`
    notes: &'static [(&'static str, f64, &'static str)],
}

const BASE: Sample = Sample {
    title: "",
    description: "",
    source: "",
    owner: "",
    raised_by: "",
    tags: "",
    area: "process",
    priority: 3,
    value: 5,
    effort: Effort::M,
    goal: None,
    parent: None,
    due: None,
    age: 30,
    since: 30,
    path: &[],
    outcome: Outcome::Active,
    returns: &[],
    kpis: &[],
    notes: &[],
};

const FULL: &[u8] = &[2, 3, 4, 5, 6, 7];

const fn lower(
    name: &'static str,
    unit: &'static str,
    baseline: f64,
    target: f64,
    values: &'static [f64],
) -> SampleKpi {
    SampleKpi {
        name,
        unit,
        direction: "lower",
        baseline,
        target: Some(target),
        values,
    }
}

const fn higher(
    name: &'static str,
    unit: &'static str,
    baseline: f64,
    target: f64,
    values: &'static [f64],
) -> SampleKpi {
    SampleKpi {
        name,
        unit,
        direction: "higher",
        baseline,
        target: Some(target),
        values,
    }
}

/// An IT operations team's register, with a few entries of one of its
/// engineers (Lena) who also uses it as a personal improvement log.
const SAMPLES: &[Sample] = &[
    Sample {
        title: "Cut P1 incident MTTR",
        description: "P1 incidents take 7.5 hours on average to restore, mostly lost finding the right people. \
                      Introduce an incident commander rota and swarming to get under 4 hours.",
        source: "Post-incident review of INC-48213 (payments outage)",
        owner: "Marcus",
        raised_by: "Jonas (head of IT operations)",
        tags: "incident,mttr,major-incident",
        priority: 1,
        value: 9,
        effort: Effort::L,
        goal: Some(0),
        due: Some(12),
        age: 170,
        since: 4,
        path: &[2, 3, 4, 5, 6, 4, 5, 6],
        returns: &[
            "Targets missed, re-plan: MTTR 5.4 h against a 4 h target; night-shift escalations still slow",
        ],
        kpis: &[
            lower(
                "P1 mean time to restore",
                "h",
                7.5,
                4.0,
                &[6.9, 6.2, 5.3, 5.4, 4.7, 4.2],
            ),
            higher(
                "P1s with a commander within 15 min",
                "%",
                35.0,
                90.0,
                &[48.0, 62.0, 71.0, 83.0, 88.0],
            ),
        ],
        notes: &[
            (
                "work",
                0.08,
                "PIR for INC-48213: 3 h 10 min lost finding the payments database owner; no incident commander until hour 2.",
            ),
            (
                "decision",
                0.35,
                "Adopt swarming for P1s instead of tiered escalation. Incident commander rota agreed with the three team leads.",
            ),
            (
                "lesson",
                0.7,
                "Night-shift P1s stayed slow because the commander role had no cover after 22:00. Fixed the rota before the second round of Act.",
            ),
            (
                "work",
                0.96,
                "Latest re-measure: 4.2 h over 9 P1s. Waiting for one more month of data before calling it.",
            ),
        ],
        ..BASE
    },
    Sample {
        title: "Automate TLS certificate renewal",
        description: "Certificates are renewed by hand from a spreadsheet; two expired last year. \
                      Renew every certificate automatically and alert 21 days before any expiry.",
        source: "INC-47790: expired certificate on the partner API gateway",
        owner: "Priya",
        raised_by: "Priya",
        tags: "automation,certificates,toil",
        area: "technology",
        priority: 2,
        value: 8,
        goal: Some(1),
        due: Some(-6),
        age: 120,
        since: 9,
        path: &[2, 3, 4, 5, 6, 5],
        returns: &[
            "Check found two internal CAs not covered by ACME; extend the rollout before closing",
        ],
        kpis: &[
            higher(
                "Certificates renewed automatically",
                "%",
                12.0,
                95.0,
                &[31.0, 57.0, 80.0, 86.0],
            ),
            lower(
                "Certificate-expiry incidents per quarter",
                "count",
                3.0,
                0.0,
                &[2.0, 1.0, 0.0],
            ),
        ],
        notes: &[
            (
                "work",
                0.2,
                "Inventory: 214 certificates, 27 on the partner API gateway, 9 issued by internal CAs.",
            ),
            (
                "decision",
                0.4,
                "cert-manager with ACME for public endpoints; the internal CAs go through the Vault PKI engine.",
            ),
            (
                "work",
                0.9,
                "Vault PKI role for the second internal CA is in review (CHG-2287).",
            ),
        ],
        ..BASE
    },
    Sample {
        title: "Reduce change failure rate",
        description: "18% of normal changes cause an incident or a rollback. Add peer review, a pre-change \
                      checklist and automated smoke tests to bring it under 8%.",
        source: "Change advisory board monthly report",
        owner: "Sofia",
        raised_by: "CAB",
        tags: "change,cab,quality",
        priority: 2,
        value: 8,
        effort: Effort::XL,
        goal: Some(0),
        due: Some(40),
        age: 160,
        since: 21,
        path: &[2, 3, 4, 5, 4, 5],
        returns: &[
            "Pilot showed CAB approvals slower than expected; re-plan with standard changes first",
        ],
        kpis: &[lower(
            "Change failure rate",
            "%",
            18.0,
            8.0,
            &[17.4, 15.2, 12.6, 13.3, 11.1],
        )],
        notes: &[
            (
                "work",
                0.15,
                "Baseline: 41 of 228 changes in Q2 caused an incident or were rolled back.",
            ),
            (
                "decision",
                0.55,
                "Mandatory pre-change checklist and peer review for every normal change; automated smoke tests for the web tier.",
            ),
            (
                "work",
                0.85,
                "Rollout to the database team delayed by the change freeze; application teams at 100%.",
            ),
        ],
        ..BASE
    },
    Sample {
        title: "Self-service password reset",
        description: "Password resets are 22% of service desk tickets. Let users reset their own password, \
                      verified by SMS or the authenticator app.",
        source: "Service desk ticket analysis",
        owner: "Tom",
        raised_by: "Service desk",
        tags: "self-service,service-desk,identity",
        area: "technology",
        priority: 2,
        value: 9,
        goal: Some(2),
        due: Some(-45),
        age: 175,
        since: 52,
        path: &[2, 3, 2, 3, 4, 5, 6, 7],
        outcome: Outcome::Done {
            code: "successful",
            realised: "Password-reset tickets fell from 410 to 95 a month, freeing about 50 service desk hours a month; \
                       CSAT for access requests rose to 4.3.",
        },
        returns: &[
            "Baseline disputed by the service desk: ticket categories were inconsistent; re-measure over four weeks",
        ],
        kpis: &[
            lower(
                "Password reset tickets per month",
                "tickets",
                410.0,
                120.0,
                &[388.0, 262.0, 141.0, 95.0],
            ),
            higher("Service desk CSAT", "/5", 3.6, 4.2, &[3.7, 4.0, 4.3]),
        ],
        notes: &[
            (
                "decision",
                0.3,
                "Use the identity provider's built-in reset with SMS and authenticator verification; no new tool.",
            ),
            (
                "work",
                0.6,
                "Registration campaign: 78% of staff enrolled after two reminder emails and a desk drop-in.",
            ),
            (
                "lesson",
                0.97,
                "The re-measured baseline is what convinced the sponsor. Measure before arguing.",
            ),
        ],
        ..BASE
    },
    Sample {
        title: "Extend self-service reset to MFA re-enrolment",
        description: "Lost or replaced phones are now the top access ticket. Let users re-enrol their \
                      second factor themselves after a video identity check.",
        source: "Follow-up from Self-service password reset",
        owner: "Tom",
        raised_by: "Tom",
        tags: "self-service,identity,mfa",
        area: "technology",
        value: 7,
        goal: Some(2),
        parent: Some(3),
        due: Some(60),
        age: 45,
        since: 12,
        path: &[2, 3],
        kpis: &[lower(
            "MFA re-enrolment tickets per month",
            "tickets",
            130.0,
            40.0,
            &[128.0, 133.0],
        )],
        notes: &[(
            "work",
            0.4,
            "Security wants a live identity check; asking the vendor whether the video check can be scripted.",
        )],
        ..BASE
    },
    Sample {
        title: "On-call handover checklist",
        description: "Follow-ups get lost between shifts. A one-page handover checklist for every shift change.",
        source: "Team retrospective (sprint 42)",
        owner: "Aisha",
        raised_by: "Night shift",
        tags: "on-call,handover,checklist",
        area: "people",
        value: 6,
        effort: Effort::S,
        goal: Some(0),
        age: 95,
        since: 16,
        path: FULL,
        outcome: Outcome::Done {
            code: "successful",
            realised: "Checklist used at every shift change; missed follow-ups fell from 9 to 1 a month.",
        },
        kpis: &[lower(
            "Missed follow-ups after handover",
            "per month",
            9.0,
            2.0,
            &[6.0, 3.0, 1.0],
        )],
        notes: &[
            (
                "work",
                0.3,
                "Drafted with day and night shift: open P1/P2s, pending changes, noisy alerts, anything promised to a customer.",
            ),
            (
                "lesson",
                0.95,
                "Keep it to one screen. The first draft had 25 items and nobody used it.",
            ),
        ],
        ..BASE
    },
    Sample {
        title: "Weekly personal retro habit",
        description: "A 20-minute weekly look back at what went well, what drained me and one thing to change.",
        source: "Personal retro",
        owner: "Lena",
        raised_by: "Lena",
        tags: "personal,habit,reflection",
        area: "people",
        priority: 4,
        value: 6,
        effort: Effort::S,
        goal: Some(3),
        age: 110,
        since: 3,
        path: &[2, 3, 4, 5, 4, 5, 6],
        returns: &["Friday slot kept getting eaten by incidents; re-plan to Monday 08:30"],
        kpis: &[higher(
            "Retros held per month",
            "count",
            1.0,
            4.0,
            &[2.0, 1.0, 3.0, 4.0, 4.0],
        )],
        notes: &[
            (
                "decision",
                0.3,
                "Format: 20 minutes, three questions: what went well, what drained me, one thing to change next week.",
            ),
            (
                "lesson",
                0.6,
                "Fridays do not work: two of four cancelled by incidents. Monday before stand-up is protected.",
            ),
            (
                "work",
                0.95,
                "Eight retros in a row. Check: is it changing anything, or just a ritual?",
            ),
        ],
        ..BASE
    },
    Sample {
        title: "Reduce monitoring alert noise",
        description: "Two thirds of pages are not actionable and on-call is burning out. Every paging alert \
                      needs an owner and a runbook, or it becomes a ticket.",
        source: "On-call survey",
        owner: "Marcus",
        raised_by: "Priya",
        tags: "monitoring,alerting,on-call",
        area: "technology",
        priority: 2,
        value: 8,
        effort: Effort::L,
        goal: Some(0),
        due: Some(25),
        age: 130,
        since: 30,
        path: &[2, 3, 4, 3, 4, 5],
        returns: &["Target of 80% fewer pages too ambitious for one quarter; reset to 50%"],
        kpis: &[
            lower(
                "Non-actionable pages per week",
                "pages",
                140.0,
                70.0,
                &[131.0, 117.0, 96.0, 88.0],
            ),
            higher(
                "Actionable share of pages",
                "%",
                36.0,
                70.0,
                &[41.0, 49.0, 58.0],
            ),
        ],
        notes: &[
            (
                "work",
                0.2,
                "Survey: 64% of pages were not actionable; the worst offenders are disk-space and JVM heap alerts.",
            ),
            (
                "decision",
                0.5,
                "No runbook link, no page: alerts without one are downgraded to tickets on 1 March.",
            ),
        ],
        ..BASE
    },
    Sample {
        title: "Patch compliance for Linux servers",
        description: "38% of Linux servers are more than 30 days behind on security patches. \
                      Get 95% patched within 30 days of release.",
        source: "Internal audit finding A-24-07",
        owner: "Priya",
        raised_by: "Internal audit",
        tags: "patching,security,audit",
        area: "technology",
        priority: 1,
        value: 8,
        effort: Effort::L,
        goal: Some(0),
        due: Some(-14),
        age: 150,
        since: 40,
        path: &[2, 3, 4, 5],
        kpis: &[higher(
            "Servers patched within 30 days",
            "%",
            62.0,
            95.0,
            &[71.0, 79.0, 74.0, 69.0],
        )],
        notes: &[
            (
                "work",
                0.3,
                "Patching is scripted but needs a maintenance window per change.",
            ),
            (
                "work",
                0.8,
                "Two maintenance windows cancelled by the change freeze; compliance is slipping back.",
            ),
            (
                "decision",
                0.9,
                "Ask the CAB for a standing weekly patch window instead of approval per change.",
            ),
        ],
        ..BASE
    },
    Sample {
        title: "Quarterly backup restore test",
        description: "A restore failed during INC-46102 although every backup report was green. \
                      Test a real restore of every tier-1 system each quarter.",
        source: "Problem PRB-1042",
        owner: "Sofia",
        raised_by: "Marcus",
        tags: "backup,restore,dr",
        area: "technology",
        priority: 1,
        value: 9,
        goal: Some(0),
        due: Some(-20),
        age: 85,
        since: 31,
        path: FULL,
        outcome: Outcome::Done {
            code: "successful",
            realised: "Every tier-1 system restore-tested each quarter; the first run found and fixed two broken backup jobs.",
        },
        kpis: &[higher(
            "Tier-1 systems with a tested restore",
            "%",
            20.0,
            100.0,
            &[45.0, 80.0, 100.0],
        )],
        notes: &[(
            "lesson",
            0.9,
            "The restore test found problems the backup reports never showed. Test restores, not backups.",
        )],
        ..BASE
    },
    Sample {
        title: "Standard change catalogue for routine changes",
        description: "The CAB spends most of its time on low-risk routine changes. Pre-approve them as standard changes.",
        source: "CAB retrospective",
        owner: "Sofia",
        raised_by: "CAB",
        tags: "change,standard-change,cab",
        value: 7,
        goal: Some(1),
        age: 100,
        since: 23,
        path: FULL,
        outcome: Outcome::Done {
            code: "successful",
            realised: "31 routine change types pre-approved as standard changes; the CAB agenda went from 40 to 15 items a week.",
        },
        kpis: &[lower(
            "Changes needing CAB review per week",
            "changes",
            40.0,
            20.0,
            &[33.0, 22.0, 15.0],
        )],
        notes: &[(
            "decision",
            0.4,
            "A change type qualifies after five successful runs with the same runbook.",
        )],
        ..BASE
    },
    Sample {
        title: "Knowledge-centred service at the service desk",
        description: "Agents solve the same problems from scratch. Capture and reuse knowledge articles while \
                      solving tickets to raise first-contact resolution.",
        source: "Quarterly CSAT survey (Q2)",
        owner: "Tom",
        raised_by: "Jonas (head of IT operations)",
        tags: "knowledge,kcs,service-desk",
        value: 6,
        goal: Some(2),
        age: 60,
        since: 18,
        path: &[2],
        kpis: &[SampleKpi {
            name: "First-contact resolution",
            unit: "%",
            direction: "higher",
            baseline: 58.0,
            target: None,
            values: &[],
        }],
        notes: &[(
            "work",
            0.5,
            "First-contact resolution from the ITSM tool: 58% last quarter, but the categories are messy.",
        )],
        ..BASE
    },
    Sample {
        title: "Automate new-starter account provisioning",
        description: "New starters wait three days for their accounts. Create them from the HR system automatically.",
        source: "HR request",
        owner: "Priya",
        raised_by: "Maria (HR)",
        tags: "automation,onboarding,identity",
        area: "technology",
        priority: 2,
        value: 8,
        effort: Effort::L,
        goal: Some(1),
        due: Some(5),
        age: 140,
        since: 6,
        path: FULL,
        kpis: &[
            lower(
                "Days from start date to full access",
                "days",
                3.2,
                0.5,
                &[2.6, 1.5, 0.7, 0.4],
            ),
            lower(
                "Accounts created by hand",
                "%",
                100.0,
                10.0,
                &[72.0, 38.0, 12.0],
            ),
        ],
        notes: &[
            (
                "decision",
                0.35,
                "The HR system triggers account creation through the identity provider's SCIM connector; only admin rights stay manual.",
            ),
            (
                "work",
                0.9,
                "Runbook and knowledge article updated; presenting the result at Thursday's ops review.",
            ),
        ],
        ..BASE
    },
    Sample {
        title: "Major incident communication templates",
        description: "Stakeholders hear about P1s late and from the wrong people. Prepared status-page and \
                      stakeholder update templates.",
        source: "Post-incident review of INC-48213",
        owner: "Aisha",
        raised_by: "Marcus",
        tags: "major-incident,communication,templates",
        priority: 2,
        value: 7,
        effort: Effort::S,
        goal: Some(2),
        age: 70,
        since: 9,
        path: FULL,
        outcome: Outcome::Done {
            code: "successful",
            realised: "Templates used in the last three P1s; the first stakeholder update now goes out in 12 minutes on average.",
        },
        kpis: &[lower(
            "Minutes to first stakeholder update",
            "min",
            47.0,
            15.0,
            &[31.0, 18.0, 12.0],
        )],
        notes: &[(
            "lesson",
            0.9,
            "A fixed update rhythm (every 30 minutes) mattered more than the wording.",
        )],
        ..BASE
    },
    Sample {
        title: "Storage capacity dashboard",
        description: "Volumes fill up without warning. A dashboard with a 30-day forecast per volume.",
        source: "INC-47310: database volume full",
        owner: "Marcus",
        raised_by: "Night shift",
        tags: "capacity,monitoring,storage",
        area: "technology",
        value: 6,
        goal: Some(0),
        age: 40,
        since: 40,
        notes: &[(
            "work",
            0.5,
            "Raised after INC-47310 (database volume full at 03:00). Needs a sponsor before going further.",
        )],
        ..BASE
    },
    Sample {
        title: "Chatbot for access and password requests",
        description: "Answer the most common access questions in the chat tool, out of hours too.",
        source: "Service desk ticket analysis",
        owner: "Tom",
        raised_by: "Service desk",
        tags: "chatbot,self-service,service-desk",
        area: "technology",
        priority: 4,
        effort: Effort::L,
        goal: Some(2),
        age: 20,
        since: 20,
        ..BASE
    },
    Sample {
        title: "Automate log rotation and disk clean-up",
        description: "Engineers clean full disks by hand several times a week. Rotate and prune logs automatically.",
        source: "Toil survey of the ops team",
        owner: "Priya",
        raised_by: "Priya",
        tags: "toil,automation,linux",
        area: "technology",
        value: 6,
        effort: Effort::S,
        goal: Some(1),
        age: 55,
        since: 11,
        path: &[2, 3, 4],
        kpis: &[lower(
            "Manual disk clean-up per month",
            "h",
            14.0,
            2.0,
            &[13.5, 12.0],
        )],
        ..BASE
    },
    Sample {
        title: "Problem backlog clean-up",
        description: "64 problems have been open for more than 90 days. Close, merge or fix them.",
        source: "Problem management report",
        owner: "Sofia",
        raised_by: "Jonas (head of IT operations)",
        tags: "problem-management,backlog",
        value: 7,
        goal: Some(0),
        age: 150,
        since: 66,
        path: FULL,
        outcome: Outcome::Done {
            code: "unsuccessful",
            realised: "Problems open over 90 days cut from 64 to 41, short of the target of 20. \
                       Follow-up idea: a monthly problem review board.",
        },
        kpis: &[lower(
            "Problems open over 90 days",
            "count",
            64.0,
            20.0,
            &[58.0, 47.0, 41.0],
        )],
        notes: &[(
            "lesson",
            0.95,
            "A one-off clean-up does not stick without a recurring review; the backlog grew back while we worked.",
        )],
        ..BASE
    },
    Sample {
        title: "Protect focus time for deep work",
        description: "My days are all interruptions. Block four 2-hour focus sessions a week and keep them.",
        source: "Personal retro",
        owner: "Lena",
        raised_by: "Lena",
        tags: "personal,focus,calendar",
        area: "people",
        value: 7,
        effort: Effort::S,
        goal: Some(3),
        age: 90,
        since: 12,
        path: FULL,
        outcome: Outcome::Done {
            code: "successful",
            realised: "Four focus blocks a week kept for eight weeks; finished the Kubernetes course in them.",
        },
        kpis: &[higher(
            "Focus hours per week",
            "h",
            2.0,
            8.0,
            &[4.0, 6.0, 7.5, 8.5],
        )],
        notes: &[(
            "lesson",
            0.8,
            "Mornings work, afternoons do not: the on-call hand-off at 14:00 breaks them.",
        )],
        ..BASE
    },
    Sample {
        title: "Learn Terraform for infrastructure as code",
        description: "Write and get reviewed six Terraform modules for our own lab environment.",
        source: "Personal development plan",
        owner: "Lena",
        raised_by: "Lena",
        tags: "personal,learning,iac",
        area: "people",
        priority: 4,
        value: 6,
        goal: Some(3),
        due: Some(45),
        age: 65,
        since: 14,
        path: &[2, 3, 4, 5],
        kpis: &[higher(
            "Modules written and reviewed",
            "count",
            0.0,
            6.0,
            &[1.0, 2.0, 4.0],
        )],
        notes: &[(
            "work",
            0.7,
            "Network module merged after Priya's review; next: the database module.",
        )],
        ..BASE
    },
    Sample {
        title: "Migrate monitoring to Prometheus",
        description: "Replace the end-of-life monitoring server with Prometheus and Alertmanager.",
        source: "Technology roadmap",
        owner: "Marcus",
        raised_by: "Marcus",
        tags: "monitoring,prometheus,eol",
        area: "technology",
        value: 7,
        effort: Effort::XL,
        goal: Some(1),
        age: 125,
        since: 50,
        path: &[2, 3, 4],
        outcome: Outcome::OnHold(
            "Waiting for the network team's firewall change window (CHG-2231) in January",
        ),
        kpis: &[higher(
            "Hosts scraped by Prometheus",
            "%",
            0.0,
            100.0,
            &[3.0, 5.0, 8.0],
        )],
        ..BASE
    },
    Sample {
        title: "Reduce printer-related tickets",
        description: "Printers cause 9% of tickets, mostly paper jams and driver problems on two old models.",
        source: "Service desk ticket analysis",
        owner: "Tom",
        raised_by: "Service desk",
        tags: "printing,service-desk",
        area: "technology",
        priority: 5,
        value: 3,
        goal: Some(2),
        age: 80,
        since: 60,
        path: &[2],
        outcome: Outcome::OnHold("Parked until the print-fleet contract is renewed in Q1"),
        ..BASE
    },
    Sample {
        title: "Build an in-house status page",
        description: "Publish service status for users during incidents.",
        source: "Post-incident review of INC-47012",
        owner: "Aisha",
        raised_by: "Aisha",
        tags: "major-incident,communication",
        area: "technology",
        priority: 4,
        value: 4,
        effort: Effort::L,
        goal: Some(2),
        age: 115,
        since: 70,
        path: &[2, 3],
        outcome: Outcome::Cancelled(
            "Withdrawn: a hosted status page came with the incident tool renewal, so there is nothing to build.",
        ),
        ..BASE
    },
    Sample {
        title: "Daily inbox-zero routine",
        description: "Thirty minutes every morning to empty the inbox.",
        source: "Personal retro",
        owner: "Lena",
        raised_by: "Lena",
        tags: "personal,email,habit",
        area: "people",
        priority: 5,
        value: 3,
        effort: Effort::S,
        goal: Some(3),
        age: 100,
        since: 85,
        path: &[2],
        outcome: Outcome::Cancelled(
            "Withdrawn: the focus-time blocks solved the same problem with less effort.",
        ),
        ..BASE
    },
    Sample {
        title: "Shorten new-laptop delivery time",
        description: "Hardware requests are the lowest-rated service in the survey: 11 days from request to laptop.",
        source: "Quarterly CSAT survey (Q3)",
        owner: "Aisha",
        raised_by: "Maria (HR)",
        tags: "hardware,onboarding,service-desk",
        value: 6,
        goal: Some(2),
        due: Some(30),
        age: 35,
        since: 8,
        path: &[2, 3],
        kpis: &[lower(
            "Days from request to laptop delivered",
            "days",
            11.0,
            4.0,
            &[11.5, 10.0],
        )],
        ..BASE
    },
    Sample {
        title: "Database failover runbook",
        description: "Nobody on the night shift has run a database failover. Write and rehearse the runbook.",
        source: "INC-46102 post-incident review",
        owner: "Marcus",
        raised_by: "Sofia",
        tags: "runbook,database,dr",
        area: "technology",
        priority: 2,
        value: 8,
        goal: Some(0),
        age: 30,
        since: 10,
        path: &[2, 1, 2],
        returns: &["Scope too broad: split the database runbooks from the application-server ones"],
        ..BASE
    },
    Sample {
        title: "Monthly service review with the business",
        description: "Review service performance and upcoming changes with each business unit every month.",
        source: "Jonas (head of IT operations)",
        owner: "Sofia",
        raised_by: "Jonas (head of IT operations)",
        tags: "service-review,relationship",
        value: 6,
        effort: Effort::S,
        goal: Some(2),
        age: 8,
        since: 8,
        ..BASE
    },
    Sample {
        title: "Follow through on post-incident actions",
        description: "Only 41% of post-incident actions are closed by their due date. Track them in one place \
                      and review them weekly.",
        source: "Post-incident review of INC-48213",
        owner: "Aisha",
        raised_by: "Marcus",
        tags: "incident,problem-management,follow-up",
        priority: 2,
        value: 7,
        goal: Some(0),
        due: Some(-3),
        age: 58,
        since: 5,
        path: &[2, 3, 4],
        kpis: &[higher(
            "Post-incident actions closed on time",
            "%",
            41.0,
            85.0,
            &[44.0, 47.0],
        )],
        ..BASE
    },
    Sample {
        title: "Automate the weekly patch compliance report",
        description: "The patch report takes two hours of copy and paste every Monday.",
        source: "Priya",
        owner: "Priya",
        raised_by: "Priya",
        tags: "automation,reporting,patching",
        area: "technology",
        priority: 4,
        effort: Effort::S,
        goal: Some(1),
        age: 40,
        since: 2,
        path: FULL,
        outcome: Outcome::Done {
            code: "successful",
            realised: "The report is generated and emailed every Monday at 07:00; saves about two hours a week.",
        },
        ..BASE
    },
    Sample {
        title: "Tidy CMDB ownership data",
        description: "A third of production configuration items have no owning team, which slows incident routing.",
        source: "Internal audit finding A-24-03",
        owner: "Sofia",
        raised_by: "Internal audit",
        tags: "cmdb,data-quality,audit",
        goal: Some(0),
        age: 178,
        since: 110,
        path: FULL,
        outcome: Outcome::Done {
            code: "successful",
            realised: "Every production configuration item now has an owning team; 1,240 records corrected.",
        },
        ..BASE
    },
];

/// Maps a path written for the seven ITIL steps onto a model with another
/// number of steps, dropping moves that would stay in place.
fn scale_path(path: &[u8], steps: usize) -> Vec<u8> {
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

fn write_sample(
    w: &mut Writer<'_, '_>,
    model: &Model,
    s: &Sample,
    goals: &[i64],
    ids: &[i64],
    now: DateTime<Utc>,
    rng: &mut Rng,
) -> rusqlite::Result<i64> {
    let now_ts = now.timestamp();
    let done = s.outcome.is_done();
    let path = scale_path(s.path, model.len());
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
    h.explain_returns(|| reasons.next().copied());
    let mut ticks = Vec::new();
    h.ticks(rng, model, &mut ticks);

    let due = s.due.map(|d| days_after(now.date_naive(), d));
    let draft = Draft {
        title: s.title,
        description: s.description,
        source: s.source,
        owner: s.owner,
        raised_by: s.raised_by,
        tags: s.tags,
        area: s.area,
        priority: s.priority,
        value: s.value,
        effort: s.effort,
        goal_id: s.goal.and_then(|g| goals.get(g).copied()),
        parent_id: s.parent.and_then(|p| ids.get(p).copied()),
        due,
        outcome: s.outcome,
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
    for (position, k) in s.kpis.iter().enumerate() {
        let kpi = w.kpi(&SampleKpiRow {
            initiative: id,
            position: position as i64,
            name: k.name,
            unit: k.unit,
            direction: k.direction,
            baseline: (k.baseline, day_of(baseline_at)),
            target: k.target.map(|t| (t, target_day)),
        })?;
        let n = k.values.len() as f64;
        for (i, value) in k.values.iter().enumerate() {
            w.measurement(kpi, *value, between(baseline_at, end, (i as f64 + 1.0) / n))?;
        }
    }
    for (kind, share, body) in s.notes {
        w.note(id, kind, body, between(created, end, *share))?;
    }
    Ok(id)
}

const VERBS: &[&str] = &[
    "Automate",
    "Simplify",
    "Standardise",
    "Document",
    "Measure",
    "Speed up",
    "Harden",
    "Review",
    "Streamline",
    "Improve",
];

const OBJECTS: &[&str] = &[
    "backup restore test",
    "certificate renewal",
    "patch rollout",
    "user onboarding",
    "change approvals",
    "incident triage",
    "alert routing",
    "password resets",
    "laptop delivery",
    "log retention",
    "capacity reporting",
    "DNS changes",
    "firewall requests",
    "database failover",
    "on-call handover",
    "knowledge articles",
    "licence tracking",
    "VPN access",
    "release notes",
    "access reviews",
];

const OWNERS: &[&str] = &[
    "Priya", "Marcus", "Sofia", "Tom", "Aisha", "Lena", "Jonas", "Maria", "Kenji", "Olu",
];

const TEAMS: &[&str] = &[
    "service desk",
    "network",
    "platform",
    "database",
    "security",
    "end-user computing",
];

const SOURCES: &[&str] = &[
    "Post-incident review",
    "Problem record",
    "Quarterly CSAT survey",
    "Team retrospective",
    "Internal audit",
    "Change advisory board",
    "On-call survey",
];

const TAGS: &[&str] = &[
    "automation",
    "incident",
    "change",
    "toil",
    "self-service",
    "monitoring",
    "security",
    "service-desk",
];

const AREAS: &[&str] = &["people", "process", "technology"];

const BACK_REASONS: &[&str] = &[
    "Targets missed, re-plan",
    "Baseline disputed; re-measure",
    "Scope too broad; narrow it",
    "Pilot failed; try another approach",
    "Stakeholders did not agree the targets",
];

const HOLD_REASONS: &[&str] = &[
    "Waiting for a change window",
    "Owner on leave",
    "Blocked by a vendor",
    "Budget not approved yet",
];

const REALISED: &[&str] = &[
    "Targets met and the change is embedded in the runbooks.",
    "Most of the gap closed; monitoring in place so it does not slip back.",
    "Manual effort roughly halved.",
];

const CANCELLED: &[&str] = &[
    "Withdrawn: superseded by another initiative.",
    "Withdrawn: the problem went away with a platform change.",
    "Withdrawn: no longer a priority.",
];

const NOTES: &[(&str, &str)] = &[
    ("work", "Kick-off with the stakeholders; scope agreed."),
    ("work", "Baseline taken from last quarter's ticket data."),
    ("decision", "Pilot with one team before rolling out."),
    (
        "work",
        "Blocked on the vendor's answer; chased again today.",
    ),
    ("lesson", "Measure before changing anything."),
];

/// `(name, unit, direction, baseline, target)`
const KPIS: &[(&str, &str, &str, f64, f64)] = &[
    ("Mean time to restore", "h", "lower", 8.0, 4.0),
    ("Change failure rate", "%", "lower", 15.0, 8.0),
    ("Tickets per month", "tickets", "lower", 300.0, 150.0),
    ("CSAT", "/5", "higher", 3.6, 4.3),
    ("Automated share", "%", "higher", 20.0, 80.0),
];

/// Buffers reused across generated initiatives.
struct Generator {
    rng: Rng,
    now: i64,
    today: NaiveDate,
    title: String,
    description: String,
    path: Vec<u8>,
    ticks: Vec<Option<i64>>,
}

impl Generator {
    fn one(
        &mut self,
        w: &mut Writer<'_, '_>,
        model: &Model,
        goals: &[i64],
        number: usize,
    ) -> rusqlite::Result<()> {
        use std::fmt::Write as _;

        let rng = &mut self.rng;
        let steps = model.len();
        let verb = rng.word(VERBS);
        let object = rng.word(OBJECTS);
        self.title.clear();
        let _ = write!(self.title, "{verb} {object} #{number}");
        self.description.clear();
        let _ = write!(
            self.description,
            "Generated for load testing: {} {object} for the {} team.",
            verb.to_lowercase(),
            rng.word(TEAMS)
        );

        let roll = rng.unit();
        let outcome = if roll < 0.60 {
            Outcome::Active
        } else if roll < 0.70 {
            Outcome::OnHold(rng.word(HOLD_REASONS))
        } else if roll < 0.92 {
            let code = if rng.chance(0.85) {
                "successful"
            } else {
                "unsuccessful"
            };
            Outcome::Done {
                code,
                realised: rng.word(REALISED),
            }
        } else {
            Outcome::Cancelled(rng.word(CANCELLED))
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
        h.explain_returns(|| rng.chance(0.8).then(|| rng.word(BACK_REASONS)));
        h.ticks(rng, model, &mut self.ticks);

        let due = rng
            .chance(0.4)
            .then(|| days_after(self.today, rng.below(120) as i64 - 30));
        let first_tag = rng.word(TAGS);
        let second_tag = rng.word(TAGS);
        let tags = if first_tag == second_tag {
            first_tag.to_owned()
        } else {
            format!("{first_tag},{second_tag}")
        };
        let draft = Draft {
            title: &self.title,
            description: &self.description,
            source: rng.word(SOURCES),
            owner: rng.word(OWNERS),
            raised_by: rng.word(OWNERS),
            tags: &tags,
            area: rng.word(AREAS),
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
            let (kind, body) = *rng.pick(NOTES);
            let at = between(created, end, rng.unit());
            w.note(id, kind, body, at)?;
        }
        if (h.step >= 3 || done) && rng.below(8) == 0 {
            let (name, unit, direction, baseline, aim) = *rng.pick(KPIS);
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

/// Fills `path` with the steps entered after step 1 on the way to `target`,
/// with a few returns (the model is not linear) that are then re-done.
fn walk(rng: &mut Rng, steps: u8, target: u8, path: &mut Vec<u8>) {
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use rusqlite::types::Value;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
    }

    fn open(dir: &tempfile::TempDir, name: &str) -> Store {
        Store::open(&dir.path().join(name)).unwrap()
    }

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    /// Every invariant the dashboard relies on, checked per initiative.
    fn assert_consistent(store: &Store, model: &Model, now: DateTime<Utc>) {
        let conn = store.conn();
        let now = now.timestamp();
        let items: usize = model.steps.iter().map(|s| s.checklist.len()).sum();
        let mut stmt = conn
            .prepare(
                "SELECT id, step, status, hold_reason, closure_code, CASE WHEN status = 'cancelled' THEN cancel_reason ELSE realised END, created_at, updated_at,
                        step_entered_at, done_at, returns FROM initiatives",
            )
            .unwrap();
        let rows: Vec<_> = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, i64>(7)?,
                    r.get::<_, i64>(8)?,
                    r.get::<_, Option<i64>>(9)?,
                    r.get::<_, i64>(10)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(!rows.is_empty());
        let mut moves = conn
            .prepare(
                "SELECT from_step, to_step, at FROM moves WHERE initiative_id = ?1 ORDER BY at, id",
            )
            .unwrap();
        for (id, step, status, hold, code, realised, created, updated, entered, done_at, returns) in
            rows
        {
            let log: Vec<(Option<i64>, i64, i64)> = moves
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let ctx = format!("initiative {id}: {log:?}");
            assert_eq!(log[0], (None, 1, created), "{ctx}");
            assert_eq!(log.iter().filter(|m| m.0.is_none()).count(), 1, "{ctx}");
            for pair in log.windows(2) {
                assert_eq!(pair[1].0, Some(pair[0].1), "the log is a chain: {ctx}");
                assert!(pair[1].2 >= pair[0].2, "{ctx}");
            }
            let last = log.last().unwrap();
            assert_eq!(step, last.1, "{ctx}");
            let backs = log.iter().filter(|m| m.0.is_some_and(|f| m.1 < f)).count() as i64;
            assert_eq!(returns, backs, "{ctx}");
            let entered_log = log
                .iter()
                .filter(|m| m.0 != Some(m.1))
                .map(|m| m.2)
                .max()
                .unwrap();
            assert_eq!(entered, entered_log, "{ctx}");
            assert!(updated >= last.2 && updated <= now, "{ctx}");
            match status.as_str() {
                "done" => {
                    assert_eq!(step, model.len() as i64, "{ctx}");
                    assert_eq!(last.0, Some(step), "a completion is logged: {ctx}");
                    assert_eq!(done_at, Some(last.2), "{ctx}");
                    assert!(
                        matches!(code.as_deref(), Some("successful" | "unsuccessful")),
                        "{ctx}"
                    );
                    assert!(realised.is_some(), "{ctx}");
                }
                "active" | "on_hold" | "cancelled" => {
                    assert_eq!(done_at, None, "{ctx}");
                    assert_eq!(hold.is_some(), status == "on_hold", "{ctx}");
                    assert_eq!(code.is_some(), status == "cancelled", "{ctx}");
                    if status == "cancelled" {
                        // `realised` holds the cancellation's reason here.
                        assert_eq!(code.as_deref(), Some("withdrawn"));
                        assert!(realised.is_some());
                    }
                    assert_ne!(
                        last.0,
                        Some(last.1),
                        "only completions stay in place: {ctx}"
                    );
                }
                other => panic!("status {other}"),
            }
            let later: i64 = conn
                .query_row(
                    "SELECT (SELECT count(*) FROM checklist_items WHERE initiative_id = ?1 AND done_at > ?2)
                          + (SELECT count(*) FROM notes WHERE initiative_id = ?1 AND at > ?2)
                          + (SELECT count(*) FROM measurements m JOIN kpis k ON k.id = m.kpi_id
                              WHERE k.initiative_id = ?1 AND m.created_at > ?2)
                          + (SELECT count(*) FROM checklist_items WHERE initiative_id = ?1 AND done_at < ?3)",
                    params![id, updated, created],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(
                later, 0,
                "all activity between creation and updated_at: {ctx}"
            );
            let copied: i64 = conn
                .query_row(
                    "SELECT count(*) FROM checklist_items WHERE initiative_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(copied, items as i64, "{ctx}");
        }
        // Checklists are exact copies of the model's templates.
        let mut stmt = conn
            .prepare("SELECT step, position, text FROM checklist_items WHERE initiative_id = (SELECT min(id) FROM initiatives) ORDER BY step, position")
            .unwrap();
        let texts: Vec<(u8, i64, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for (step, position, text) in texts {
            assert_eq!(
                model.steps[usize::from(step) - 1].checklist[position as usize],
                text
            );
        }
        let today = date_text(DateTime::from_timestamp(now, 0).unwrap().date_naive());
        let future: i64 = conn
            .query_row(
                "SELECT (SELECT count(*) FROM moves WHERE at > ?1)
                      + (SELECT count(*) FROM measurements WHERE measured_on > ?2 OR created_at > ?1)
                      + (SELECT count(*) FROM kpis WHERE baseline_date > ?2)
                      + (SELECT count(*) FROM initiatives WHERE created_at > ?1)",
                params![now, today],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(future, 0, "nothing happens after now");
    }

    #[test]
    fn the_sample_is_a_rich_consistent_register() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir, "r.db");
        let model = Model::itil4();
        assert!(!has_data(&store).unwrap());
        let summary = load_sample(&mut store, &model, now()).unwrap();
        assert!(has_data(&store).unwrap());

        assert!(summary.initiatives >= 20, "{summary:?}");
        assert_eq!(
            summary.initiatives as i64,
            count(&store, "SELECT count(*) FROM initiatives")
        );
        assert_eq!(
            summary.moves as i64,
            count(&store, "SELECT count(*) FROM moves")
        );
        assert_eq!(
            summary.kpis as i64,
            count(&store, "SELECT count(*) FROM kpis")
        );
        assert_eq!(
            summary.measurements as i64,
            count(&store, "SELECT count(*) FROM measurements")
        );
        assert_eq!(
            summary.notes as i64,
            count(&store, "SELECT count(*) FROM notes")
        );
        assert!(summary.goals >= 3);
        assert_eq!(
            summary.goals as i64,
            count(&store, "SELECT count(*) FROM goals")
        );

        assert_eq!(
            count(&store, "SELECT count(DISTINCT step) FROM initiatives"),
            7
        );
        assert_eq!(
            count(
                &store,
                "SELECT count(DISTINCT step) FROM initiatives WHERE status = 'active'"
            ),
            7,
            "every step has active work"
        );
        assert_eq!(
            count(&store, "SELECT count(DISTINCT status) FROM initiatives"),
            4
        );
        assert!(
            count(
                &store,
                "SELECT count(*) FROM moves WHERE to_step < from_step"
            ) >= 5
        );
        assert!(
            count(
                &store,
                "SELECT count(*) FROM initiatives WHERE goal_id IS NOT NULL"
            ) >= 20
        );
        assert!(count(&store, "SELECT count(DISTINCT goal_id) FROM initiatives") >= 3);
        let follow_up_of_done =
            "SELECT count(*) FROM initiatives c JOIN initiatives p ON p.id = c.parent_id
                                  WHERE p.status = 'done' AND c.created_at > p.done_at";
        assert_eq!(count(&store, follow_up_of_done), 1);
        let kpis_with_3 = "SELECT count(*) FROM kpis k
                            WHERE (SELECT count(*) FROM measurements m WHERE m.kpi_id = k.id) >= 3";
        assert!(count(&store, kpis_with_3) >= 10);
        assert_eq!(
            count(&store, "SELECT count(DISTINCT direction) FROM kpis"),
            2
        );
        assert_eq!(count(&store, "SELECT count(DISTINCT kind) FROM notes"), 3);
        let now_s = now().timestamp();
        let kpi_coverage = "SELECT count(*) FROM initiatives i WHERE i.step >= 3
                             AND EXISTS (SELECT 1 FROM kpis k WHERE k.initiative_id = i.id)";
        let at_3 = count(&store, "SELECT count(*) FROM initiatives WHERE step >= 3");
        assert!(
            count(&store, kpi_coverage) * 3 >= at_3 * 2,
            "most initiatives past step 2 have KPIs"
        );

        let today = now().date_naive();
        let overdue = format!(
            "SELECT count(*) FROM initiatives WHERE status IN ('active','on_hold') AND due < '{}'",
            date_text(today)
        );
        assert!(count(&store, &overdue) >= 2);
        let due_soon = format!(
            "SELECT count(*) FROM initiatives WHERE status = 'active' AND due BETWEEN '{}' AND '{}'",
            date_text(today),
            date_text(days_after(today, 14))
        );
        assert!(count(&store, &due_soon) >= 2);

        // Done across several of the last 12 weeks, so the sparkline has shape.
        let weeks = format!(
            "SELECT count(DISTINCT ({now_s} - done_at) / {}) FROM initiatives
              WHERE status = 'done' AND done_at > {now_s} - 84 * {DAY}",
            7 * DAY
        );
        assert!(count(&store, &weeks) >= 5);
        // Six months of history.
        assert!(count(&store, "SELECT min(created_at) FROM initiatives") < now_s - 150 * DAY);
        assert!(count(&store, "SELECT min(created_at) FROM initiatives") >= now_s - 181 * DAY);

        // Progress on KPIs goes both ways: overshoot and regression are both shown.
        let rows = store.backlog(&crate::domain::Models::builtin()).unwrap();
        let mut progress = Vec::new();
        for row in &rows {
            for kpi in store.kpis(row.id).unwrap() {
                if let Some(p) = kpi.progress() {
                    progress.push(p);
                }
            }
        }
        assert!(progress.iter().any(|p| *p > 1.0), "{progress:?}");
        assert!(progress.iter().any(|p| *p < 0.4), "{progress:?}");

        assert_consistent(&store, &model, now());
    }

    #[test]
    fn the_sample_is_deterministic() {
        let dir = tempfile::tempdir().unwrap();
        let model = Model::itil4();
        let dump = |name: &str| {
            let mut store = open(&dir, name);
            load_sample(&mut store, &model, now()).unwrap();
            let mut all = Vec::new();
            for table in [
                "initiatives",
                "moves",
                "checklist_items",
                "kpis",
                "measurements",
                "notes",
                "goals",
            ] {
                let mut stmt = store
                    .conn()
                    .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
                    .unwrap();
                let columns = stmt.column_count();
                let rows: Vec<Vec<Value>> = stmt
                    .query_map([], |r| (0..columns).map(|i| r.get::<_, Value>(i)).collect())
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                all.push(rows);
            }
            all
        };
        let a = dump("a.db");
        assert!(!a[0].is_empty());
        assert_eq!(a, dump("b.db"));
    }

    #[test]
    fn clear_empties_every_table() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir, "r.db");
        load_sample(&mut store, &Model::itil4(), now()).unwrap();
        clear(&mut store).unwrap();
        assert!(!has_data(&store).unwrap());
        assert_eq!(count(&store, "PRAGMA foreign_keys"), 1);
        assert_eq!(count(&store, "PRAGMA ignore_check_constraints"), 0);
        for table in [
            "initiatives",
            "moves",
            "checklist_items",
            "kpis",
            "measurements",
            "notes",
            "goals",
        ] {
            assert_eq!(
                count(&store, &format!("SELECT count(*) FROM {table}")),
                0,
                "{table}"
            );
        }
        // And the register is usable again.
        load_sample(&mut store, &Model::itil4(), now()).unwrap();
        assert!(has_data(&store).unwrap());
    }

    #[test]
    fn goals_alone_count_as_data() {
        let dir = tempfile::tempdir().unwrap();
        let store = open(&dir, "r.db");
        store
            .conn()
            .execute("INSERT INTO goals (name, created_at) VALUES ('g', 0)", [])
            .unwrap();
        assert!(has_data(&store).unwrap());
    }

    #[test]
    fn generated_registers_are_consistent_and_varied() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir, "r.db");
        let model = Model::itil4();
        let summary = generate(&mut store, &model, 500, now()).unwrap();
        assert_eq!(summary.initiatives, 500);
        assert_eq!(summary.goals, 4);
        assert_eq!(count(&store, "SELECT count(*) FROM initiatives"), 500);
        assert_eq!(
            summary.moves as i64,
            count(&store, "SELECT count(*) FROM moves")
        );
        let per = summary.moves as f64 / 500.0;
        assert!((7.0..=11.0).contains(&per), "{per} moves per initiative");
        assert!(
            count(
                &store,
                "SELECT count(*) FROM moves WHERE to_step < from_step"
            ) > 100
        );
        let active = count(
            &store,
            "SELECT count(*) FROM initiatives WHERE status = 'active'",
        );
        assert!((250..=350).contains(&active), "{active}");
        assert_eq!(
            count(&store, "SELECT count(DISTINCT status) FROM initiatives"),
            4
        );
        assert_eq!(
            count(&store, "SELECT count(DISTINCT step) FROM initiatives"),
            7
        );
        assert_eq!(
            count(&store, "SELECT count(DISTINCT owner) FROM initiatives"),
            OWNERS.len() as i64
        );
        assert!(
            count(
                &store,
                "SELECT count(*) FROM initiatives WHERE due IS NOT NULL"
            ) > 100
        );
        assert!(summary.kpis > 0 && summary.measurements == 3 * summary.kpis && summary.notes > 0);
        // The load skipped constraint checks; the data must satisfy them anyway,
        // and the connection must enforce them again afterwards.
        let check: Vec<String> = store
            .conn()
            .prepare("PRAGMA integrity_check")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(check, ["ok"]);
        assert_eq!(
            count(&store, "SELECT count(*) FROM pragma_foreign_key_check"),
            0
        );
        assert_eq!(count(&store, "PRAGMA foreign_keys"), 1);
        assert_eq!(count(&store, "PRAGMA ignore_check_constraints"), 0);
        // The bulk-load settings are gone again: the log, fsync, the cache.
        let journal: String = store
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(journal, "wal");
        assert_eq!(count(&store, "PRAGMA synchronous"), 1, "NORMAL");
        assert_eq!(count(&store, "PRAGMA cache_size"), -2000);
        assert_consistent(&store, &model, now());

        // Deterministic for the same (n, now).
        let mut again = open(&dir, "again.db");
        assert_eq!(generate(&mut again, &model, 500, now()).unwrap(), summary);
        let titles = |s: &Store| -> Vec<(String, i64, i64)> {
            let mut stmt = s
                .conn()
                .prepare("SELECT title, step, updated_at FROM initiatives ORDER BY id")
                .unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        assert_eq!(titles(&store), titles(&again));
    }

    #[test]
    fn generating_nothing_still_adds_goals() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = open(&dir, "r.db");
        let summary = generate(&mut store, &Model::itil4(), 0, now()).unwrap();
        assert_eq!(
            summary,
            DemoSummary {
                goals: 4,
                ..DemoSummary::default()
            }
        );
    }

    #[test]
    fn walks_end_at_their_target() {
        let mut rng = Rng(7);
        let mut path = Vec::new();
        for target in 1..=7 {
            for _ in 0..200 {
                walk(&mut rng, 7, target, &mut path);
                assert_eq!(path.last().copied().unwrap_or(1), target);
                let mut at = 1;
                for &to in &path {
                    assert!((1..=7).contains(&to) && to != at);
                    assert!(
                        to < at || to == at + 1,
                        "forward moves go one step at a time"
                    );
                    at = to;
                }
            }
        }
        walk(&mut rng, 1, 1, &mut path);
        assert!(path.is_empty());
    }

    #[test]
    fn sample_paths_fit_smaller_models() {
        assert_eq!(scale_path(&[2, 3, 4, 5, 6, 7], 7), [2, 3, 4, 5, 6, 7]);
        assert_eq!(scale_path(&[2, 3, 4, 5, 6, 7], 4), [2, 3, 4]);
        assert_eq!(scale_path(&[2, 3, 4, 5, 6, 4, 5, 6], 4), [2, 3, 4, 3, 4]);
        assert!(scale_path(&[2, 3], 1).is_empty());
    }
}
