//! Reading a spreadsheet CSV: headers matched by name, every bad value
//! reported with its row and column.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::super::doc::Stamp;
use super::cells::{DateOrder, area, closure, date, effort, priority, status, step, value, when};
use super::write::restore;
use crate::domain::{Effort, Model, Status};

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
    /// Free text kept as a work note.
    Notes,
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
        "notes" | "note" | "comments" | "comment" | "remarks" | "updates" | "progressnotes" => {
            Col::Notes
        }
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
    /// The row's own id or reference as the file wrote it ("4", "CI-7"),
    /// to tell a file imported before.
    pub reference: Option<String>,
    /// A notes column, imported as one work note.
    pub notes: Option<String>,
}

/// What reading a CSV found: the good rows, the bad values, the columns
/// it ignored and the separator it read.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rows: Vec<CsvRow>,
    pub errors: Vec<RowError>,
    pub ignored: Vec<String>,
    pub separator: Separator,
}

/// What separates the cells: a comma, or what spreadsheets write where
/// the comma is the decimal mark (a semicolon) or a tab.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Separator {
    #[default]
    Comma,
    Semicolon,
    Tab,
}

impl Separator {
    fn byte(self) -> u8 {
        match self {
            Separator::Comma => b',',
            Separator::Semicolon => b';',
            Separator::Tab => b'\t',
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Separator::Comma => "commas",
            Separator::Semicolon => "semicolons",
            Separator::Tab => "tabs",
        }
    }

    /// The one the header line uses most, outside quotes; a comma when
    /// there is a tie or none (a file of one column).
    fn of(text: &str) -> Separator {
        let (mut counts, mut quoted) = ([0usize; 3], false);
        for c in text.chars() {
            match c {
                '"' => quoted = !quoted,
                '\n' | '\r' if !quoted => break,
                ',' if !quoted => counts[0] += 1,
                ';' if !quoted => counts[1] += 1,
                '\t' if !quoted => counts[2] += 1,
                _ => {}
            }
        }
        let most = counts.iter().copied().max().unwrap_or(0);
        if most == 0 || counts[0] == most {
            Separator::Comma
        } else if counts[1] == most {
            Separator::Semicolon
        } else {
            Separator::Tab
        }
    }
}

/// How to read a CSV beyond what it says itself.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The order of `3/4/2026`; without it such a date is refused.
    pub date_order: Option<DateOrder>,
    /// The configured `date_format`, read as well as ISO.
    pub dates: Option<crate::domain::DateFormat>,
}

/// Reads a spreadsheet CSV. A missing or empty title, or any value that
/// does not parse, makes its row bad; the other rows still parse so every
/// problem is reported at once.
pub fn parse(text: &str, model: &Model) -> Parsed {
    parse_with(text, model, ReadOptions::default())
}

/// [`parse`], with dates in the order given.
pub fn parse_with(text: &str, model: &Model, options: ReadOptions) -> Parsed {
    let mut out = Parsed::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    out.separator = Separator::of(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(out.separator.byte())
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
            reference: None,
            notes: None,
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
                Col::Id => {
                    r.reference = Some(v.to_owned());
                    match v.trim_start_matches('#').parse::<i64>() {
                        Ok(id) if id > 0 => match ids.insert(id, row) {
                            Some(first) => bad(format!("id {id} is also on row {first}")),
                            None => r.id = Some(id),
                        },
                        // A spreadsheet's own reference ("CI-042") is kept as the source.
                        _ if r.source.is_empty() => r.source = format!("imported {v}"),
                        _ => {}
                    }
                }
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
                Col::Due => match date(v, &options) {
                    Ok(d) => r.due = Some(d),
                    Err(e) => bad(e),
                },
                Col::RaisedBy => r.raised_by = v.to_owned(),
                Col::DateRaised => match date(v, &options) {
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
                Col::CreatedAt => match when(v, &options) {
                    Ok(s) => r.created_at = Some(s),
                    Err(e) => bad(e),
                },
                Col::StepEnteredAt => match when(v, &options) {
                    Ok(s) => r.step_entered_at = Some(s),
                    Err(e) => bad(e),
                },
                Col::DoneAt => match when(v, &options) {
                    Ok(s) => r.done_at = Some(s),
                    Err(e) => bad(e),
                },
                Col::DoneOn => match when(v, &options) {
                    Ok(s) => r.done_on = Some(s),
                    Err(e) => bad(e),
                },
                Col::Updated => match when(v, &options) {
                    Ok(s) => r.updated = Some(s),
                    Err(e) => bad(e),
                },
                Col::Returns => match crate::domain::fields::returns(v.parse().unwrap_or(-1)) {
                    Ok(n) => r.returns = n,
                    Err(e) => bad(e),
                },
                Col::Notes => r.notes = Some(raw.trim().to_owned()),
                Col::Derived => {}
            }
        }
        if out.errors.len() == before {
            out.rows.push(r);
        }
    }
    out
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
                "row 3, column due: \"soon\" is not a date (expected YYYY-MM-DD, d/m/yyyy, m/d/yyyy or a spreadsheet's date number such as 46083)",
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
    fn semicolons_and_tabs_are_detected_and_a_bom_is_skipped() {
        let semi = "\u{feff}Title;Owner;Notes\n\"Cut MTTR; fast\";Ana;\"a, b; c\"\n";
        let p = parse(semi, &model());
        assert_eq!(p.separator, Separator::Semicolon);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.rows[0].title, "Cut MTTR; fast");
        assert_eq!(p.rows[0].owner, "Ana");
        assert_eq!(p.rows[0].notes.as_deref(), Some("a, b; c"));
        let tabs = parse("title\towner\nA, B\tBo\n", &model());
        assert_eq!(tabs.separator, Separator::Tab);
        assert_eq!(tabs.rows[0].title, "A, B");
        // A comma file whose quoted header has semicolons stays a comma file.
        let commas = parse("title,\"owner; first\"\nA;B,Bo\n", &model());
        assert_eq!(commas.separator, Separator::Comma);
        assert_eq!(commas.rows[0].title, "A;B");
        assert_eq!(parse("title\nA\n", &model()).separator, Separator::Comma);
    }

    #[test]
    fn ambiguous_dates_need_an_order_and_references_are_kept() {
        let text = "ID,title,due,status\nCI-7,A,3/4/2026,Not started\n12,B,46083,Blocked\n";
        let p = parse(text, &model());
        assert_eq!(p.errors.len(), 1);
        assert!(p.errors[0].why.contains("--date-order"), "{}", p.errors[0]);
        let dmy = ReadOptions {
            date_order: Some(DateOrder::Dmy),
            dates: None,
        };
        let p = parse_with(text, &model(), dmy);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.rows[0].due, NaiveDate::from_ymd_opt(2026, 4, 3));
        assert_eq!(p.rows[0].reference.as_deref(), Some("CI-7"));
        assert_eq!(p.rows[1].due, NaiveDate::from_ymd_opt(2026, 3, 2));
        assert_eq!(p.rows[1].status, Status::OnHold);
        assert_eq!(p.rows[1].reference.as_deref(), Some("12"));
    }
}
