//! The rules an imported document must meet before anything is written:
//! every field by the same rules as the command line and the forms
//! (`domain::fields`), ids unique per table, and every reference (goal,
//! parent) to a record in the same file. What passes is written back in the
//! stored spelling (`Active` becomes `active`), so SQLite's own checks never
//! have the last word and every reader can read what was written.

use std::collections::HashMap;

use super::doc::{GoalDoc, InitiativeDoc, Stamp};
use crate::domain::{Model, fields};

/// One refused field: `record N (id X), field F: why`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// "goal" for a goal record; empty for an initiative.
    pub kind: &'static str,
    /// 1-based place in the file's list.
    pub record: usize,
    pub id: i64,
    pub field: String,
    pub why: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.kind.is_empty() {
            String::new()
        } else {
            format!("{} ", self.kind)
        };
        write!(
            f,
            "{kind}record {} (id {}), field {}: {}",
            self.record, self.id, self.field, self.why
        )
    }
}

/// Checks the goals; every problem found (a goal problem is never skipped:
/// initiatives refer to goals).
pub fn goals(goals: &mut [GoalDoc]) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen: HashMap<i64, usize> = HashMap::new();
    for (n, g) in goals.iter_mut().enumerate() {
        let mut bad = |field: &str, why: String| {
            out.push(Problem {
                kind: "goal",
                record: n + 1,
                id: g.id,
                field: field.into(),
                why,
            })
        };
        if let Err(why) = fields::id(g.id) {
            bad("id", why);
        } else if let Some(first) = seen.insert(g.id, n + 1) {
            bad("id", format!("goal record {first} has the same id"));
        }
        if g.name.trim().is_empty() {
            bad("name", "the name is empty".into());
        }
        stamp(&mut bad, "created_at", g.created_at);
    }
    out
}

fn stamp(bad: &mut impl FnMut(&str, String), field: &str, s: Stamp) {
    if let Err(why) = fields::timestamp(s.0) {
        bad(field, why);
    }
}

fn opt_stamp(bad: &mut impl FnMut(&str, String), field: &str, s: Option<Stamp>) {
    if let Some(s) = s {
        stamp(bad, field, s);
    }
}

fn opt_date(bad: &mut impl FnMut(&str, String), field: &str, d: &mut Option<String>) {
    if let Some(text) = d {
        match fields::date(text) {
            Ok(day) => *text = day.format("%Y-%m-%d").to_string(),
            Err(why) => bad(field, why),
        }
    }
}

/// Ids already used by the records of one table, with the record that
/// used each first.
#[derive(Default)]
struct Seen(HashMap<i64, usize>);

impl Seen {
    /// `Err` names the earlier record with the same id.
    fn add(&mut self, id: i64, record: usize) -> Result<(), String> {
        fields::id(id)?;
        match self.0.insert(id, record) {
            Some(first) => {
                self.0.insert(id, first);
                Err(format!("record {first} has the same id"))
            }
            None => Ok(()),
        }
    }
}

/// Checks and normalises the initiatives against `goals` (already checked).
/// Problems are returned per record, so `--skip-invalid` can leave out the
/// records that have any.
pub fn initiatives(
    list: &mut [InitiativeDoc],
    goals: &[GoalDoc],
    models: &crate::domain::Models,
) -> Vec<Vec<Problem>> {
    let goal_ids: std::collections::HashSet<i64> = goals.iter().map(|g| g.id).collect();
    let ids: std::collections::HashSet<i64> = list.iter().map(|i| i.id).collect();
    let mut initiative_ids = Seen::default();
    let (mut items, mut moves, mut kpis, mut measurements, mut notes) = (
        Seen::default(),
        Seen::default(),
        Seen::default(),
        Seen::default(),
        Seen::default(),
    );
    let mut out = Vec::with_capacity(list.len());
    for (n, i) in list.iter_mut().enumerate() {
        let record = n + 1;
        let mut problems = Vec::new();
        let id = i.id;
        let mut bad = |field: &str, why: String| {
            problems.push(Problem {
                kind: "",
                record,
                id,
                field: field.into(),
                why,
            })
        };
        if let Err(why) = initiative_ids.add(i.id, record) {
            bad("id", why);
        }
        if let Err(why) = fields::title(&i.title) {
            bad("title", why);
        }
        let model = match models.get(&i.model) {
            Some(m) => Some(m),
            None => {
                bad("model", format!("unknown model {:?}", i.model));
                None
            }
        };
        let step_ok = |model: &Option<&Model>, n: i64| match model {
            Some(m) => fields::step(m, n).map(|_| ()),
            None => Ok(()),
        };
        if let Err(why) = step_ok(&model, i.step) {
            bad("step", why);
        }
        match fields::status(&i.status) {
            Ok(s) => i.status = s.as_str().into(),
            Err(why) => bad("status", why),
        }
        match fields::effort(&i.effort) {
            Ok(e) => i.effort = e.as_str().into(),
            Err(why) => bad("effort", why),
        }
        if let Err(why) = fields::priority(i.priority) {
            bad("priority", why);
        }
        if let Err(why) = fields::value(i.value) {
            bad("value", why);
        }
        if let Err(why) = fields::returns(i.returns) {
            bad("returns", why);
        }
        if let Err(why) = fields::version(i.version) {
            bad("version", why);
        }
        if let Some(c) = &mut i.closure_code {
            match fields::closure_code(c) {
                Ok(code) => *c = code.into(),
                Err(why) => bad("closure_code", why),
            }
        }
        if let Some(a) = &mut i.area {
            match fields::area(a) {
                Ok(area) => *a = area.into(),
                Err(why) => bad("area", why),
            }
        }
        if let Some(g) = i.goal_id
            && !goal_ids.contains(&g)
        {
            bad("goal_id", format!("goal {g} is not in the file"));
        }
        if let Some(p) = i.parent_id
            && !ids.contains(&p)
        {
            bad("parent_id", format!("initiative {p} is not in the file"));
        }
        opt_date(&mut bad, "due", &mut i.due);
        stamp(&mut bad, "created_at", i.created_at);
        stamp(&mut bad, "updated_at", i.updated_at);
        stamp(&mut bad, "step_entered_at", i.step_entered_at);
        opt_stamp(&mut bad, "done_at", i.done_at);
        for c in &i.checklist {
            if let Err(why) = items.add(c.id, record) {
                bad("checklist.id", format!("{}: {why}", c.id));
            }
            if let Err(why) = step_ok(&model, c.step) {
                bad("checklist.step", why);
            }
            opt_stamp(&mut bad, "checklist.done_at", c.done_at);
        }
        for m in &i.moves {
            if let Err(why) = moves.add(m.id, record) {
                bad("moves.id", format!("{}: {why}", m.id));
            }
            if let Some(from) = m.from_step
                && let Err(why) = step_ok(&model, from)
            {
                bad("moves.from_step", why);
            }
            if let Err(why) = step_ok(&model, m.to_step) {
                bad("moves.to_step", why);
            }
            stamp(&mut bad, "moves.at", m.at);
        }
        for k in &mut i.kpis {
            if let Err(why) = kpis.add(k.id, record) {
                bad("kpis.id", format!("{}: {why}", k.id));
            }
            if k.name.trim().is_empty() {
                bad("kpis.name", "the name is empty".into());
            }
            match fields::direction(&k.direction) {
                Ok(d) => k.direction = d.as_str().into(),
                Err(why) => bad("kpis.direction", why),
            }
            for v in [k.baseline, k.target].into_iter().flatten() {
                if let Err(why) = fields::number(v) {
                    bad("kpis.baseline/target", why);
                }
            }
            opt_date(&mut bad, "kpis.baseline_date", &mut k.baseline_date);
            opt_date(&mut bad, "kpis.target_date", &mut k.target_date);
            for m in &mut k.measurements {
                if let Err(why) = measurements.add(m.id, record) {
                    bad("kpis.measurements.id", format!("{}: {why}", m.id));
                }
                if let Err(why) = fields::number(m.value) {
                    bad("kpis.measurements.value", why);
                }
                let mut on = Some(std::mem::take(&mut m.measured_on));
                opt_date(&mut bad, "kpis.measurements.measured_on", &mut on);
                m.measured_on = on.unwrap_or_default();
                stamp(&mut bad, "kpis.measurements.created_at", m.created_at);
            }
        }
        for note in &mut i.notes {
            if let Err(why) = notes.add(note.id, record) {
                bad("notes.id", format!("{}: {why}", note.id));
            }
            match fields::note_kind(&note.kind) {
                Ok(k) => note.kind = k.as_str().into(),
                Err(why) => bad("notes.kind", why),
            }
            stamp(&mut bad, "notes.at", note.at);
        }
        out.push(problems);
    }
    out
}
