//! CSV: one row per initiative, for spreadsheets.
//!
//! Writing uses our column names (documented in the README). Reading matches
//! a spreadsheet's headers by name, ignoring case, spaces, `_` and `-`, and
//! knows the usual synonyms ("Date raised", "Raised by", "Assignee"...).
//! Columns it does not know are reported and ignored. Every bad value is
//! reported as `row N, column C: why`, where row 1 is the header, as a
//! spreadsheet numbers them.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::doc::{InitiativeDoc, ItemDoc, MoveDoc, RegisterDoc, Stamp};
use crate::domain::{Effort, Model, Models, Status, fields};

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

/// A time in a cell: RFC 3339 (our export) or a date (noon UTC that day).
fn when(v: &str) -> Result<Stamp, String> {
    if let Some(s) = Stamp::parse(v) {
        return crate::domain::fields::timestamp(s.0).map(Stamp);
    }
    date(v).map(|d| Stamp(crate::domain::time::noon(d).timestamp()))
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

/// What a column of an imported file means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Col {
    Id,
    Title,
    Description,
    Source,
    Owner,
    Priority,
    Value,
    Effort,
    Status,
    Step,
    Due,
    RaisedBy,
    DateRaised,
    Goal,
    Tags,
    Area,
    ClosureCode,
    Realised,
    HoldReason,
    CancelReason,
    /// Exact times, which keep the flow metrics through a round trip.
    CreatedAt,
    StepEnteredAt,
    DoneAt,
    /// The day it was done (our export's `done_on`; `done_at` wins).
    DoneOn,
    Updated,
    Returns,
    /// One of our own export's derived columns: read back, not needed.
    Derived,
}

/// Lowercase letters and digits only: "Date Raised", "date_raised" and
/// "DATE-RAISED" are one header.
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn column(header: &str) -> Option<Col> {
    Some(match normalise(header).as_str() {
        "id" | "ref" | "reference" | "number" | "no" => Col::Id,
        "title" | "name" | "summary" | "initiative" | "initiativename" | "initiativetitle"
        | "improvement" | "improvementtitle" => Col::Title,
        "description" | "details" | "detail" => Col::Description,
        "source" | "origin" => Col::Source,
        "owner" | "assignee" | "assignedto" | "responsible" => Col::Owner,
        "priority" | "prio" => Col::Priority,
        "value" | "benefit" => Col::Value,
        "effort" | "size" | "estimate" => Col::Effort,
        "status" | "state" => Col::Status,
        "step" | "stage" | "phase" => Col::Step,
        "due" | "duedate" | "deadline" | "targetdate" | "dueon" => Col::Due,
        "raisedby" | "requester" | "requestedby" | "reportedby" | "submittedby" => Col::RaisedBy,
        "dateraised" | "raised" | "raisedon" | "created" | "createdon" | "datecreated"
        | "dateopened" | "opened" => Col::DateRaised,
        "goal" | "objective" | "organisationalgoal" | "organizationalgoal" => Col::Goal,
        "tags" | "tag" | "labels" | "label" => Col::Tags,
        "area" | "category" => Col::Area,
        "closurecode" | "closure" => Col::ClosureCode,
        "realised" | "realized" | "benefitsrealised" | "benefitsrealized" => Col::Realised,
        "holdreason" => Col::HoldReason,
        "cancelreason" | "cancellationreason" => Col::CancelReason,
        "createdat" => Col::CreatedAt,
        "stepenteredat" | "stepentered" | "instepsince" => Col::StepEnteredAt,
        "doneat" => Col::DoneAt,
        "doneon" | "completedon" | "dateclosed" | "closedon" | "completed" => Col::DoneOn,
        "updated" | "updatedat" | "lastupdated" | "modified" => Col::Updated,
        "returns" => Col::Returns,
        "stepname" | "parentid" | "checklistdone" | "checklisttotal" => Col::Derived,
        _ => return None,
    })
}

/// One bad value: `row N, column C: why`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// As a spreadsheet numbers rows: the header is row 1.
    pub row: usize,
    pub column: String,
    pub why: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.column.is_empty() {
            write!(f, "row {}: {}", self.row, self.why)
        } else {
            write!(f, "row {}, column {}: {}", self.row, self.column, self.why)
        }
    }
}

/// A good row of an imported CSV, before it becomes an initiative.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvRow {
    /// The row number (header is 1), for messages.
    pub row: usize,
    pub id: Option<i64>,
    pub title: String,
    pub description: String,
    pub source: String,
    pub owner: String,
    pub priority: u8,
    pub value: u8,
    pub effort: Effort,
    pub status: Status,
    pub step: i64,
    pub due: Option<NaiveDate>,
    pub raised_by: String,
    pub raised_on: Option<NaiveDate>,
    pub goal: String,
    pub tags: String,
    pub area: Option<String>,
    pub closure_code: Option<String>,
    pub realised: Option<String>,
    pub hold_reason: Option<String>,
    pub cancel_reason: Option<String>,
    pub created_at: Option<Stamp>,
    pub step_entered_at: Option<Stamp>,
    pub done_at: Option<Stamp>,
    pub done_on: Option<Stamp>,
    pub updated: Option<Stamp>,
    pub returns: u32,
}

/// What reading a CSV found: the good rows, the bad values, and the columns
/// it ignored.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<CsvRow>,
    pub errors: Vec<RowError>,
    pub ignored: Vec<String>,
}

fn date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    // A spreadsheet's date-time ("2026-03-02 09:00" or ISO) keeps its date.
    let head = t.get(..10).unwrap_or(t);
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(head, "%Y/%m/%d"))
        .map_err(|_| format!("{t:?} is not a date (expected YYYY-MM-DD)"))
}

fn priority(s: &str) -> Result<u8, String> {
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

fn value(s: &str) -> Result<u8, String> {
    match s.trim().parse::<i64>() {
        Ok(n) => fields::value(n),
        Err(_) => Err(format!("{s:?} is not a number (expected 1-10)")),
    }
}

fn effort(s: &str) -> Result<Effort, String> {
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

fn status(s: &str) -> Result<Status, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "open" | "new" | "in progress" | "in_progress" | "started" => Ok(Status::Active),
        "closed" | "complete" | "completed" | "finished" => Ok(Status::Done),
        "canceled" | "withdrawn" | "rejected" => Ok(Status::Cancelled),
        "paused" | "hold" | "blocked" => Ok(Status::OnHold),
        _ => s.parse::<Status>().map_err(|e| e.0),
    }
}

fn step(s: &str, model: &Model) -> Result<i64, String> {
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

fn area(s: &str) -> Result<String, String> {
    fields::area(s).map(Into::into)
}

fn closure(s: &str) -> Result<String, String> {
    fields::closure_code(s).map(Into::into)
}

/// Reads a spreadsheet CSV. A missing or empty title, or any value that
/// does not parse, makes its row bad; the other rows still parse so every
/// problem is reported at once.
pub fn parse(text: &str, model: &Model) -> Parsed {
    let mut out = Parsed::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.errors.push(RowError {
                row: 1,
                column: String::new(),
                why: format!("cannot read the header: {e}"),
            });
            return out;
        }
    };
    let mut cols: Vec<(usize, Col, String)> = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, h) in headers.iter().enumerate() {
        match column(h) {
            Some(c) if seen.insert(c) || c == Col::Derived => cols.push((i, c, h.to_owned())),
            Some(_) => out.errors.push(RowError {
                row: 1,
                column: h.to_owned(),
                why: "this column appears twice".into(),
            }),
            None if h.trim().is_empty() => {}
            None => out.ignored.push(h.to_owned()),
        }
    }
    if !cols.iter().any(|(_, c, _)| *c == Col::Title) {
        out.errors.push(RowError {
            row: 1,
            column: String::new(),
            why: "no title column (expected a header such as \"title\" or \"name\")".into(),
        });
        return out;
    }
    let mut ids = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let row = n + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(RowError {
                    row,
                    column: String::new(),
                    why: e.to_string(),
                });
                continue;
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let mut r = CsvRow {
            row,
            id: None,
            title: String::new(),
            description: String::new(),
            source: String::new(),
            owner: String::new(),
            priority: 3,
            value: 5,
            effort: Effort::M,
            status: Status::Active,
            step: 1,
            due: None,
            raised_by: String::new(),
            raised_on: None,
            goal: String::new(),
            tags: String::new(),
            area: None,
            closure_code: None,
            realised: None,
            hold_reason: None,
            cancel_reason: None,
            created_at: None,
            step_entered_at: None,
            done_at: None,
            done_on: None,
            updated: None,
            returns: 0,
        };
        let before = out.errors.len();
        for (i, col, name) in &cols {
            let raw = restore(record.get(*i).unwrap_or(""));
            let v = raw.trim();
            if v.is_empty() && *col != Col::Title {
                continue;
            }
            let mut bad = |why: String| {
                out.errors.push(RowError {
                    row,
                    column: name.clone(),
                    why,
                })
            };
            let text = || Some(v.to_owned());
            match col {
                Col::Id => match v.trim_start_matches('#').parse::<i64>() {
                    Ok(id) if id > 0 => match ids.insert(id, row) {
                        Some(first) => bad(format!("id {id} is also on row {first}")),
                        None => r.id = Some(id),
                    },
                    // A spreadsheet's own reference ("CI-042") is kept as the source.
                    _ if r.source.is_empty() => r.source = format!("imported {v}"),
                    _ => {}
                },
                Col::Title => {
                    if v.is_empty() {
                        bad("the title is empty".into());
                    }
                    r.title = v.to_owned();
                }
                Col::Description => r.description = raw.trim_end().to_owned(),
                Col::Source => r.source = v.to_owned(),
                Col::Owner => r.owner = v.to_owned(),
                Col::Priority => match priority(v) {
                    Ok(p) => r.priority = p,
                    Err(e) => bad(e),
                },
                Col::Value => match value(v) {
                    Ok(x) => r.value = x,
                    Err(e) => bad(e),
                },
                Col::Effort => match effort(v) {
                    Ok(e) => r.effort = e,
                    Err(e) => bad(e),
                },
                Col::Status => match status(v) {
                    Ok(s) => r.status = s,
                    Err(e) => bad(e),
                },
                Col::Step => match step(v, model) {
                    Ok(s) => r.step = s,
                    Err(e) => bad(e),
                },
                Col::Due => match date(v) {
                    Ok(d) => r.due = Some(d),
                    Err(e) => bad(e),
                },
                Col::RaisedBy => r.raised_by = v.to_owned(),
                Col::DateRaised => match date(v) {
                    Ok(d) => r.raised_on = Some(d),
                    Err(e) => bad(e),
                },
                Col::Goal => r.goal = v.to_owned(),
                Col::Tags => {
                    r.tags = v
                        .split([',', ';'])
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .collect::<Vec<_>>()
                        .join(",")
                }
                Col::Area => match area(v) {
                    Ok(a) => r.area = Some(a),
                    Err(e) => bad(e),
                },
                Col::ClosureCode => match closure(v) {
                    Ok(c) => r.closure_code = Some(c),
                    Err(e) => bad(e),
                },
                Col::Realised => r.realised = text(),
                Col::HoldReason => r.hold_reason = text(),
                Col::CancelReason => r.cancel_reason = text(),
                Col::CreatedAt => match when(v) {
                    Ok(s) => r.created_at = Some(s),
                    Err(e) => bad(e),
                },
                Col::StepEnteredAt => match when(v) {
                    Ok(s) => r.step_entered_at = Some(s),
                    Err(e) => bad(e),
                },
                Col::DoneAt => match when(v) {
                    Ok(s) => r.done_at = Some(s),
                    Err(e) => bad(e),
                },
                Col::DoneOn => match when(v) {
                    Ok(s) => r.done_on = Some(s),
                    Err(e) => bad(e),
                },
                Col::Updated => match when(v) {
                    Ok(s) => r.updated = Some(s),
                    Err(e) => bad(e),
                },
                Col::Returns => match crate::domain::fields::returns(v.parse().unwrap_or(-1)) {
                    Ok(n) => r.returns = n,
                    Err(e) => bad(e),
                },
                Col::Derived => {}
            }
        }
        if out.errors.len() == before {
            out.rows.push(r);
        }
    }
    out
}

/// Turns good CSV rows into initiatives of `model`, each with its own copy of
/// the model's checklists and a creation entry in its move log at its step.
/// Rows without an id get ids after the largest one in the file.
pub fn to_initiatives(
    rows: &[CsvRow],
    model: &Model,
    goal_ids: &HashMap<String, i64>,
    now: Stamp,
) -> Vec<InitiativeDoc> {
    let used: std::collections::HashSet<i64> = rows.iter().filter_map(|r| r.id).collect();
    // After the largest id, or from 1 when the largest is the last integer.
    let mut next_id = used
        .iter()
        .max()
        .and_then(|m| m.checked_add(1))
        .unwrap_or(1);
    let (mut item_id, mut move_id) = (1, 1);
    rows.iter()
        .map(|r| {
            let id = r.id.unwrap_or_else(|| {
                while used.contains(&next_id) {
                    next_id += 1;
                }
                next_id += 1;
                next_id - 1
            });
            let done = r.done_at.or(r.done_on).map(|d| d.min(now));
            // Without a creation date, a done row was created when it was
            // done (a cycle time of zero rather than a negative one).
            let created = r
                .created_at
                .or(r
                    .raised_on
                    .map(|d| Stamp(crate::domain::time::noon(d).timestamp())))
                .or(done)
                .unwrap_or(now)
                .min(now);
            let entered = r.step_entered_at.unwrap_or(created).clamp(created, now);
            let mut checklist = Vec::new();
            for st in model.steps() {
                for (pos, text) in model.def(st).checklist.iter().enumerate() {
                    checklist.push(ItemDoc {
                        id: item_id,
                        step: i64::from(st.number()),
                        position: pos as i64,
                        text: text.clone(),
                        done_at: None,
                    });
                    item_id += 1;
                }
            }
            let moves = vec![MoveDoc {
                id: move_id,
                from_step: None,
                to_step: r.step,
                at: created,
                reason: None,
            }];
            move_id += 1;
            let closure_code = match r.status {
                Status::Done => Some(r.closure_code.clone().unwrap_or("successful".into())),
                Status::Cancelled => Some(r.closure_code.clone().unwrap_or("withdrawn".into())),
                _ => None,
            };
            InitiativeDoc {
                id,
                title: r.title.clone(),
                description: r.description.clone(),
                source: r.source.clone(),
                model: model.id.clone(),
                step: r.step,
                status: r.status.as_str().into(),
                hold_reason: (r.status == Status::OnHold)
                    .then(|| r.hold_reason.clone())
                    .flatten(),
                closure_code,
                realised: r.realised.clone(),
                priority: i64::from(r.priority),
                value: i64::from(r.value),
                effort: r.effort.as_str().into(),
                owner: r.owner.clone(),
                raised_by: r.raised_by.clone(),
                area: r.area.clone(),
                tags: r.tags.clone(),
                goal_id: goal_ids.get(&r.goal.to_lowercase()).copied(),
                parent_id: None,
                due: r.due.map(|d| d.format("%Y-%m-%d").to_string()),
                created_at: created,
                updated_at: r.updated.unwrap_or(now).clamp(created, now),
                step_entered_at: entered,
                // The file's own completion date; a done row without one
                // is done as of the import.
                done_at: (r.status == Status::Done)
                    .then(|| done.unwrap_or(now).clamp(created, now)),
                returns: i64::from(r.returns),
                version: 1,
                checklist,
                moves,
                kpis: Vec::new(),
                cancel_reason: (r.status == Status::Cancelled)
                    .then(|| r.cancel_reason.clone())
                    .flatten(),
                history: Vec::new(),
                notes: Vec::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Model::itil4()
    }

    #[test]
    fn headers_match_by_name_ignoring_case_and_spacing() {
        assert_eq!(normalise(" Date Raised "), "dateraised");
        assert_eq!(normalise("date_raised"), "dateraised");
        assert_eq!(normalise("DATE-RAISED"), "dateraised");
        let text = "Ref,Initiative Name, OWNER ,Prio,Raised By,Date Raised,Due Date,Stage,State,Colour\n\
                    CI-7,Cut MTTR,Ana,P1,Bo,2026-01-05,2026-06-30,plan,open,blue\n";
        let p = parse(text, &model());
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.ignored, ["Colour"]);
        let r = &p.rows[0];
        assert_eq!(r.title, "Cut MTTR");
        assert_eq!(r.owner, "Ana");
        assert_eq!(r.priority, 1);
        assert_eq!(r.raised_by, "Bo");
        assert_eq!(r.raised_on, NaiveDate::from_ymd_opt(2026, 1, 5));
        assert_eq!(r.due, NaiveDate::from_ymd_opt(2026, 6, 30));
        assert_eq!(r.step, 4);
        assert_eq!(r.status, Status::Active);
        assert_eq!(r.id, None);
        assert_eq!(r.source, "imported CI-7");
    }

    #[test]
    fn every_bad_value_is_reported_with_row_and_column() {
        let text = "title,priority,due,effort\n\
                    Good,2,2026-01-01,S\n\
                    ,9,soon,S\n\
                    Also good,,,\n\
                    Bad effort,3,,huge\n";
        let p = parse(text, &model());
        let msgs: Vec<String> = p.errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "row 3, column title: the title is empty",
                "row 3, column priority: 9 is out of range (expected 1-5)",
                "row 3, column due: \"soon\" is not a date (expected YYYY-MM-DD)",
                "row 5, column effort: unknown effort \"huge\" (expected S, M, L or XL)",
            ]
        );
        let titles: Vec<&str> = p.rows.iter().map(|r| r.title.as_str()).collect();
        assert_eq!(titles, ["Good", "Also good"]);
    }

    #[test]
    fn a_file_without_a_title_column_is_refused() {
        let p = parse("owner,priority\nAna,2\n", &model());
        assert_eq!(p.rows.len(), 0);
        assert_eq!(
            p.errors[0].to_string(),
            "row 1: no title column (expected a header such as \"title\" or \"name\")"
        );
    }

    #[test]
    fn duplicate_ids_are_bad() {
        let p = parse("id,title\n4,A\n4,B\n", &model());
        assert_eq!(
            p.errors[0].to_string(),
            "row 3, column id: id 4 is also on row 2"
        );
    }

    #[test]
    fn rows_become_initiatives_with_checklists_and_a_creation_move() {
        let p = parse(
            "id,title,step,status,goal\n5,A,3,done,Stability\n,B,,,\n",
            &model(),
        );
        let goals = HashMap::from([("stability".to_owned(), 9)]);
        let now = Stamp(1_772_452_800);
        let docs = to_initiatives(&p.rows, &model(), &goals, now);
        assert_eq!(docs.iter().map(|d| d.id).collect::<Vec<_>>(), [5, 6]);
        assert_eq!(docs[0].step, 3);
        assert_eq!(docs[0].status, "done");
        assert_eq!(docs[0].closure_code.as_deref(), Some("successful"));
        assert_eq!(docs[0].goal_id, Some(9));
        assert_eq!(docs[0].moves[0].to_step, 3);
        let total: usize = model().steps.iter().map(|s| s.checklist.len()).sum();
        assert_eq!(docs[1].checklist.len(), total);
        let ids: BTreeSet<i64> = docs
            .iter()
            .flat_map(|d| d.checklist.iter().map(|c| c.id))
            .collect();
        assert_eq!(ids.len(), 2 * total, "item ids are unique");
    }
}
