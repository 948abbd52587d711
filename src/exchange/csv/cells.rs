//! Reading one cell of a spreadsheet: dates, priorities, efforts, statuses
//! and steps as people and spreadsheets write them.

use chrono::NaiveDate;

use super::super::doc::Stamp;
use crate::domain::{Effort, Model, Status, fields};

/// A time in a cell: RFC 3339 (our export) or a date (noon UTC that day).
pub(super) fn when(v: &str) -> Result<Stamp, String> {
    if let Some(s) = Stamp::parse(v) {
        return crate::domain::fields::timestamp(s.0).map(Stamp);
    }
    date(v).map(|d| Stamp(crate::domain::time::noon(d).timestamp()))
}

pub(super) fn date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    // A spreadsheet's date-time ("2026-03-02 09:00" or ISO) keeps its date.
    let head = t.get(..10).unwrap_or(t);
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(head, "%Y/%m/%d"))
        .map_err(|_| format!("{t:?} is not a date (expected YYYY-MM-DD)"))
}

pub(super) fn priority(s: &str) -> Result<u8, String> {
    let t = s.trim().to_ascii_lowercase();
    let n = match t.as_str() {
        "critical" | "highest" => 1,
        "high" => 2,
        "medium" | "normal" => 3,
        "low" => 4,
        "lowest" => 5,
        _ => t
            .trim_start_matches('p')
            .parse::<i64>()
            .map_err(|_| format!("{s:?} is not a priority (expected 1-5)"))?,
    };
    fields::priority(n)
}

pub(super) fn value(s: &str) -> Result<u8, String> {
    match s.trim().parse::<i64>() {
        Ok(n) => fields::value(n),
        Err(_) => Err(format!("{s:?} is not a number (expected 1-10)")),
    }
}

pub(super) fn effort(s: &str) -> Result<Effort, String> {
    let t = s.trim().to_ascii_lowercase();
    let t = match t.as_str() {
        "small" => "s",
        "medium" => "m",
        "large" => "l",
        "xlarge" | "x-large" | "extra large" => "xl",
        other => other,
    };
    t.parse::<Effort>().map_err(|e| e.0)
}

pub(super) fn status(s: &str) -> Result<Status, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "open" | "new" | "in progress" | "in_progress" | "started" => Ok(Status::Active),
        "closed" | "complete" | "completed" | "finished" => Ok(Status::Done),
        "canceled" | "withdrawn" | "rejected" => Ok(Status::Cancelled),
        "paused" | "hold" | "blocked" => Ok(Status::OnHold),
        _ => s.parse::<Status>().map_err(|e| e.0),
    }
}

pub(super) fn step(s: &str, model: &Model) -> Result<i64, String> {
    let t = s.trim();
    let found = model.find_step(t).or_else(|| {
        // "4 Plan" (as our list prints it) or a step's full name.
        let first = t.split_whitespace().next().unwrap_or("");
        model.find_step(first).or_else(|| {
            model
                .steps()
                .find(|st| model.def(*st).name.eq_ignore_ascii_case(t))
        })
    });
    found.map(|st| i64::from(st.number())).ok_or_else(|| {
        format!(
            "{t:?} is not a step of {} (expected 1-{} or a name such as \"plan\")",
            model.name,
            model.len()
        )
    })
}

pub(super) fn area(s: &str) -> Result<String, String> {
    fields::area(s).map(Into::into)
}

pub(super) fn closure(s: &str) -> Result<String, String> {
    fields::closure_code(s).map(Into::into)
}
