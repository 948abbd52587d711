//! Writing the register as CSV, and keeping its text cells from running
//! as spreadsheet formulas.

use std::collections::HashMap;

use super::super::doc::{RegisterDoc, Stamp};
use crate::domain::Models;

/// The columns `export --format csv` writes, in order.
pub const COLUMNS: [&str; 30] = [
    "id",
    "title",
    "description",
    "source",
    "status",
    "step",
    "step_name",
    "priority",
    "value",
    "effort",
    "owner",
    "raised_by",
    "date_raised",
    "due",
    "goal",
    "tags",
    "area",
    "closure_code",
    "realised",
    "hold_reason",
    "done_on",
    "parent_id",
    "checklist_done",
    "checklist_total",
    "returns",
    "updated",
    "cancel_reason",
    "created_at",
    "step_entered_at",
    "done_at",
];

fn day(s: Stamp) -> String {
    s.utc().format("%Y-%m-%d").to_string()
}

/// What a spreadsheet runs as a formula when a cell starts with it.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as a spreadsheet will only show it (OWASP's advice): a cell
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
/// leading `'`. So that [`restore`] can undo exactly that, a cell that
/// already starts with quotes followed by one of those gets one more.
/// Numeric columns are not text cells and are never changed.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    if s.trim_start_matches('\'').starts_with(FORMULA_START) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// Undoes [`neutralise`]: one `'` is dropped from a cell that starts with
/// quotes followed by a formula character; any other cell is kept as is.
pub fn restore(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(FORMULA_START) => rest,
        _ => s,
    }
}

/// The register as CSV text.
pub fn write(doc: &RegisterDoc, models: &Models) -> Result<String, csv::Error> {
    let goals: HashMap<i64, &str> = doc.goals.iter().map(|g| (g.id, g.name.as_str())).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for i in &doc.initiatives {
        let model = models.resolve(&i.model);
        let step_name = model
            .step(i.step)
            .map(|s| model.def(s).short.clone())
            .unwrap_or_default();
        let current = i.checklist.iter().filter(|c| c.step == i.step);
        let (done, total) = current.fold((0, 0), |(d, t), c| {
            (d + usize::from(c.done_at.is_some()), t + 1)
        });
        let goal = i
            .goal_id
            .and_then(|g| goals.get(&g).copied())
            .unwrap_or_default();
        let t = |s: &str| neutralise(s).into_owned();
        w.write_record([
            i.id.to_string(),
            t(&i.title),
            t(&i.description),
            t(&i.source),
            t(&i.status),
            i.step.to_string(),
            t(&step_name),
            i.priority.to_string(),
            i.value.to_string(),
            t(&i.effort),
            t(&i.owner),
            t(&i.raised_by),
            day(i.created_at),
            t(i.due.as_deref().unwrap_or_default()),
            t(goal),
            t(&i.tags),
            t(i.area.as_deref().unwrap_or_default()),
            t(i.closure_code.as_deref().unwrap_or_default()),
            t(i.realised.as_deref().unwrap_or_default()),
            t(i.hold_reason.as_deref().unwrap_or_default()),
            i.done_at.map(day).unwrap_or_default(),
            i.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            done.to_string(),
            total.to_string(),
            i.returns.to_string(),
            i.updated_at.text(),
            t(i.cancel_reason.as_deref().unwrap_or_default()),
            i.created_at.text(),
            i.step_entered_at.text(),
            i.done_at.map(|d| d.text()).unwrap_or_default(),
        ])?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8"))
}
