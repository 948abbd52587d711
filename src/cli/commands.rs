//! What each subcommand does.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::args::{Command, MoveDirection};
use super::failure::{Failure, code};
use crate::domain::initiative::ChecklistCount;
use crate::domain::moves::{self, Direction};
use crate::domain::time::Clock;
use crate::domain::{BacklogRow, Effort, Model};
use crate::store::{NewInitiative, Store, demo};
use crate::ui::text::fit;

pub fn run(command: Command, db: &Path) -> Result<(), Failure> {
    let model = Model::itil4();
    let mut store = Store::open(db)?;
    let clock = Clock::System;
    let out = &mut io::stdout().lock();
    match command {
        Command::Demo { initiatives, force } => {
            if demo::has_data(&store)? {
                if !force {
                    return Err(Failure::new(
                        code::INVALID,
                        format!(
                            "{} already holds data; use --force to replace it",
                            db.display()
                        ),
                    ));
                }
                demo::clear(&mut store)?;
            }
            let summary = match initiatives {
                Some(n) => demo::generate(&mut store, &model, n, clock.now())?,
                None => demo::load_sample(&mut store, &model, clock.now())?,
            };
            writeln!(
                out,
                "{}: {} initiatives, {} goals, {} moves, {} KPIs, {} measurements, {} notes",
                db.display(),
                summary.initiatives,
                summary.goals,
                summary.moves,
                summary.kpis,
                summary.measurements,
                summary.notes
            )
            .map_err(write_failed)?;
        }
        Command::List { json } => {
            let rows = store.backlog(&model)?;
            let counts = store.checklist_counts()?;
            if json {
                list_json(out, &rows, &counts, &model, clock)?;
            } else {
                list_table(out, &rows, &counts, &model, clock).map_err(write_failed)?;
            }
        }
        Command::Move {
            id,
            direction,
            to,
            reason,
        } => {
            let row = store.backlog_row(&model, id)?.ok_or_else(|| {
                Failure::new(code::NOT_FOUND, format!("initiative #{id} does not exist"))
            })?;
            let plan = match (direction, to) {
                (_, Some(to)) => {
                    let to = model.find_step(&to).ok_or_else(|| {
                        Failure::new(
                            code::INVALID,
                            format!("{to:?} is not a step of {}", model.name),
                        )
                    })?;
                    moves::plan_jump(row.step, row.status, to)
                }
                (Some(MoveDirection::Back), None) => {
                    moves::plan_move(&model, row.step, row.status, Direction::Back)
                }
                _ => moves::plan_move(&model, row.step, row.status, Direction::Forward),
            }
            .map_err(|e| Failure::new(code::INVALID, format!("#{id} {e}")))?;
            store.apply_move(id, plan, reason.as_deref(), clock.now())?;
            let after = store.backlog_row(&model, id)?.map(|r| (r.step, r.status));
            if let Some((step, status)) = after {
                writeln!(
                    out,
                    "#{id} is at step {step}/{} {} ({status})",
                    model.len(),
                    model.def(step).short
                )
                .map_err(write_failed)?;
            }
        }
        Command::Add {
            title,
            description,
            owner,
            priority,
            value,
            effort,
            due,
        } => {
            if title.trim().is_empty() {
                return Err(Failure::new(code::INVALID, "the title is empty"));
            }
            let effort: Effort = effort
                .parse()
                .map_err(|e| Failure::new(code::INVALID, format!("{e}")))?;
            let due = due
                .map(|d| {
                    NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                        Failure::new(
                            code::INVALID,
                            format!("due date {d:?} is not a date (expected YYYY-MM-DD)"),
                        )
                    })
                })
                .transpose()?;
            let new = NewInitiative {
                title: title.trim().to_owned(),
                description,
                owner,
                priority,
                value,
                effort,
                due,
                ..NewInitiative::titled("")
            };
            let id = store.create_initiative(&model, &new, clock.now())?;
            writeln!(out, "{id}").map_err(write_failed)?;
        }
    }
    out.flush().map_err(write_failed)
}

fn write_failed(e: io::Error) -> Failure {
    // `improve list | head` closing the pipe early is not an error.
    if e.kind() == io::ErrorKind::BrokenPipe {
        return Failure::new(0, "");
    }
    Failure::new(code::FAILURE, format!("cannot write output: {e}"))
}

/// One initiative in `improve list --json`. Field names and meanings are a
/// documented contract; add fields, never rename or remove them.
#[derive(Serialize)]
struct ListEntry<'a> {
    id: i64,
    title: &'a str,
    model: &'a str,
    step: u8,
    step_name: &'a str,
    status: &'static str,
    priority: u8,
    value: u8,
    effort: &'static str,
    owner: &'a str,
    due: Option<String>,
    overdue: bool,
    days_in_step: i64,
    returns: u32,
    checklist_done: u32,
    checklist_total: u32,
}

/// Current-step checklist counts by initiative id.
type Counts = HashMap<i64, ChecklistCount>;

fn list_json(
    out: &mut impl Write,
    rows: &[BacklogRow],
    counts: &Counts,
    model: &Model,
    clock: Clock,
) -> Result<(), Failure> {
    let (now, today) = (clock.now(), clock.today());
    let entries: Vec<ListEntry> = rows
        .iter()
        .map(|r| ListEntry {
            id: r.id,
            title: &r.title,
            model: &r.model,
            step: r.step.number(),
            step_name: &model.def(r.step).short,
            status: r.status.as_str(),
            priority: r.priority,
            value: r.value,
            effort: r.effort.as_str(),
            owner: &r.owner,
            due: r.due.map(|d| d.format("%Y-%m-%d").to_string()),
            overdue: r.is_overdue(today),
            days_in_step: r.days_in_step(now),
            returns: r.returns,
            checklist_done: counts.get(&r.id).map_or(0, |c| c.done),
            checklist_total: counts.get(&r.id).map_or(0, |c| c.total),
        })
        .collect();
    serde_json::to_writer(&mut *out, &entries).map_err(|e| match e.io_error_kind() {
        Some(kind) => write_failed(kind.into()),
        None => Failure::new(code::FAILURE, e.to_string()),
    })?;
    writeln!(out).map_err(write_failed)
}

fn list_table(
    out: &mut impl Write,
    rows: &[BacklogRow],
    counts: &Counts,
    model: &Model,
    clock: Clock,
) -> io::Result<()> {
    let today = clock.today();
    let id_w = rows
        .iter()
        .map(|r| r.id.to_string().len())
        .max()
        .unwrap_or(2)
        .max(2);
    writeln!(
        out,
        "{:>id_w$}  {:<10}  {:<9}  P  {:<12}  {:<11}  {:>5}  TITLE",
        "ID", "STEP", "STATUS", "OWNER", "DUE", "CHECK"
    )?;
    for r in rows {
        let due = r
            .due
            .map_or(String::new(), |d| d.format("%Y-%m-%d").to_string());
        let due = if r.is_overdue(today) {
            format!("{due}!")
        } else {
            due
        };
        let owner = fit(&r.owner, 12);
        let owner_pad = 12usize.saturating_sub(crate::ui::text::width(&owner));
        writeln!(
            out,
            "{:>id_w$}  {:<10}  {:<9}  {}  {}{}  {:<11}  {:>5}  {}",
            r.id,
            format!("{} {}", r.step, model.def(r.step).short),
            r.status.label(),
            r.priority,
            owner,
            " ".repeat(owner_pad),
            due,
            counts
                .get(&r.id)
                .map_or("0/0".into(), |c| format!("{}/{}", c.done, c.total)),
            fit(&r.title, 72),
        )?;
    }
    Ok(())
}
