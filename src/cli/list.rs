//! The read commands: `list`, `show` and `goal list`.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::args::ListArgs;
use super::commands::{Ctx, detail, find_goal, invalid, json_out, not_found, write_failed};
use super::failure::Failure;
use crate::domain::initiative::ChecklistCount;
use crate::domain::text::sanitize;
use crate::domain::text::{decimal, fit, percent, width};
use crate::domain::time::Clock;
use crate::domain::words::{self, StatusWord};
use crate::domain::{BacklogRow, DateFormat, Model, Models};
use crate::exchange::doc::{InitiativeDoc, SCHEMA};
use crate::exchange::read_initiative;
use crate::store::Store;

/// One initiative in `improve list --json`. Field names and meanings are a
/// documented contract; add fields, never rename or remove them.
#[derive(Serialize)]
struct ListEntry<'a> {
    id: i64,
    title: &'a str,
    model: &'a str,
    step: u8,
    step_name: &'a str,
    /// How many steps the initiative's model has.
    steps: usize,
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
    goal_id: Option<i64>,
    tags: Vec<&'a str>,
}

/// Current-step checklist counts by initiative id.
type Counts = HashMap<i64, ChecklistCount>;

/// Which rows a `list` shows.
struct Filters {
    /// Per model that has the asked step: its id and the step's number.
    step: Option<Vec<(String, u8)>>,
    status: Option<StatusWord>,
    owner: Option<String>,
    overdue: bool,
    goal: Option<i64>,
}

impl Filters {
    fn from_args(ctx: &Ctx<'_>, args: &ListArgs) -> Result<Filters, Failure> {
        // The dashboard's filter reads the same words (one parser).
        let step = match &args.step {
            Some(s) => Some(
                words::steps_named(&ctx.models, s)
                    .map_err(invalid)?
                    .into_iter()
                    .map(|(m, step)| (m, step.number()))
                    .collect(),
            ),
            None => None,
        };
        let status = match &args.status {
            None => None,
            Some(s) => Some(StatusWord::parse(s).map_err(invalid)?),
        };
        let goal = match &args.goal {
            Some(g) => Some(find_goal(&ctx.store, g)?.id),
            None => None,
        };
        Ok(Filters {
            step,
            status,
            owner: args.owner.as_ref().map(|o| o.trim().to_lowercase()),
            overdue: args.overdue,
            goal,
        })
    }

    fn keep(&self, r: &BacklogRow, today: chrono::NaiveDate) -> bool {
        self.step.as_ref().is_none_or(|steps| {
            steps
                .iter()
                .any(|(m, n)| r.step.number() == *n && **m == *r.model)
        }) && self.status.is_none_or(|s| s.matches(r.status))
            && self
                .owner
                .as_ref()
                .is_none_or(|o| r.owner.trim().to_lowercase() == *o)
            && (!self.overdue || r.is_overdue(today))
            && self.goal.is_none_or(|g| r.goal_id == Some(g))
    }
}

pub(super) fn list(ctx: &mut Ctx<'_>, args: &ListArgs) -> Result<(), Failure> {
    let filters = Filters::from_args(ctx, args)?;
    let today = ctx.clock.today();
    let (rows, counts) = backlog_and_counts(&ctx.store, &ctx.models)?;
    let rows: Vec<BacklogRow> = rows
        .into_iter()
        .filter(|r| filters.keep(r, today))
        .collect();
    // Standard output is line-buffered: without a buffer of its own, every
    // piece of a 100,000-row listing would be a write call (the JSON array
    // is one long line, and the table a line per row).
    let mut out = io::BufWriter::with_capacity(1 << 16, &mut *ctx.out);
    if args.json {
        list_json(ctx.clock, &ctx.models, &mut out, &rows, &counts)?;
    } else {
        list_table(&mut out, &rows, &counts, &ctx.models, &ctx.dates, today)
            .map_err(write_failed)?;
    }
    out.flush().map_err(write_failed)
}

/// The backlog and every initiative's checklist counts, read side by side
/// on two connections (on 100,000 initiatives each takes a few hundred
/// milliseconds, the counts mostly waiting on page reads). Two connections
/// read two snapshots: they are the same one if no other process committed
/// in between, which `data_version` tells; if one did, both are read again
/// on the one connection.
fn backlog_and_counts(store: &Store, model: &Models) -> Result<(Vec<BacklogRow>, Counts), Failure> {
    let file = store.file();
    if let Some(file) = file {
        let before = store.data_version()?;
        let (rows, counts) = std::thread::scope(|s| {
            let counts = s.spawn(|| {
                Store::open_read_only(&file)
                    .map_err(Failure::from)
                    .and_then(|other| Ok(other.checklist_counts()?))
            });
            let rows = store.backlog(model);
            (rows, counts.join())
        });
        if let (Ok(rows), Ok(Ok(counts))) = (rows, counts)
            && store.data_version()? == before
        {
            return Ok((rows, counts));
        }
    }
    Ok((store.backlog(model)?, store.checklist_counts()?))
}

fn list_json(
    clock: Clock,
    models: &Models,
    out: &mut dyn Write,
    rows: &[BacklogRow],
    counts: &Counts,
) -> Result<(), Failure> {
    let (now, today) = (clock.now(), clock.today());
    let entries: Vec<ListEntry> = rows
        .iter()
        .map(|r| (r, models.resolve(&r.model)))
        .map(|(r, model)| ListEntry {
            id: r.id,
            title: &r.title,
            model: &r.model,
            step: r.step.number(),
            step_name: &model.def(r.step).short,
            steps: model.len(),
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
            goal_id: r.goal_id,
            tags: split_tags(&r.tags),
        })
        .collect();
    json_out(out, &entries)
}

fn split_tags(tags: &str) -> Vec<&str> {
    tags.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect()
}

fn list_table(
    out: &mut dyn Write,
    rows: &[BacklogRow],
    counts: &Counts,
    models: &Models,
    dates: &DateFormat,
    today: chrono::NaiveDate,
) -> io::Result<()> {
    // Room for the widest date and the overdue mark.
    let due_w = dates.width() + 1;
    let id_w = rows
        .iter()
        .map(|r| r.id.to_string().len())
        .max()
        .unwrap_or(2)
        .max(2);
    let step_name = |r: &BacklogRow| {
        let model = models.resolve(&r.model);
        format!("{} {}", r.step, model.def(r.step).short)
    };
    // As wide as the longest step name shown (models name steps differently).
    let step_w = rows
        .iter()
        .map(|r| width(&step_name(r)))
        .max()
        .unwrap_or(0)
        .max(10);
    writeln!(
        out,
        "{:>id_w$}  {:<step_w$}  {:<9}  P  {:<12}  {:<due_w$}  {:>5}  TITLE",
        "ID", "STEP", "STATUS", "OWNER", "DUE", "CHECK"
    )?;
    for r in rows {
        let due = r.due.map_or(String::new(), |d| dates.date(d));
        let due = if r.is_overdue(today) {
            format!("{due}!")
        } else {
            due
        };
        let owner = fit(&sanitize(&r.owner), 12);
        let owner_pad = 12usize.saturating_sub(width(&owner));
        writeln!(
            out,
            "{:>id_w$}  {:<step_w$}  {:<9}  {}  {}{}  {:<due_w$}  {:>5}  {}",
            r.id,
            step_name(r),
            r.status.label(),
            r.priority,
            owner,
            " ".repeat(owner_pad),
            due,
            counts
                .get(&r.id)
                .map_or("0/0".into(), |c| format!("{}/{}", c.done, c.total)),
            fit(&sanitize(&r.title), 72),
        )?;
    }
    Ok(())
}

/// `improve show --json`: the initiative as in an export, plus what is
/// derived from it. Documented in the README; versioned by `schema`.
#[derive(Serialize)]
struct ShowJson<'a> {
    schema: u32,
    #[serde(flatten)]
    initiative: &'a InitiativeDoc,
    step_name: &'a str,
    goal: Option<GoalRef<'a>>,
    overdue: bool,
    days_in_step: i64,
    score: f64,
    checklist_done: usize,
    checklist_total: usize,
    children: Vec<ChildRef<'a>>,
    kpi_progress: Vec<KpiProgress<'a>>,
}

#[derive(Serialize)]
struct GoalRef<'a> {
    id: i64,
    name: &'a str,
}

#[derive(Serialize)]
struct ChildRef<'a> {
    id: i64,
    title: &'a str,
    status: &'static str,
}

#[derive(Serialize)]
struct KpiProgress<'a> {
    name: &'a str,
    latest: Option<f64>,
    /// Share of the gap from baseline to target closed (1.0 = reached).
    gap_closed: Option<f64>,
}

pub(super) fn show(ctx: &mut Ctx<'_>, id: i64, json: bool) -> Result<(), Failure> {
    let d = detail(ctx, id)?;
    let (now, today) = (ctx.clock.now(), ctx.clock.today());
    if json {
        let doc = read_initiative(&ctx.store, id)?.ok_or_else(|| not_found(id))?;
        let (done, total) = d.checklist_completion(d.step);
        let value = ShowJson {
            schema: SCHEMA,
            initiative: &doc,
            step_name: &ctx.models.resolve(&d.model).def(d.step).short,
            goal: d.goal.as_ref().map(|g| GoalRef {
                id: g.id,
                name: &g.name,
            }),
            overdue: d.is_overdue(today),
            days_in_step: d.days_in_step(now),
            score: d.score(),
            checklist_done: done,
            checklist_total: total,
            children: d
                .children
                .iter()
                .map(|(id, title, status)| ChildRef {
                    id: *id,
                    title,
                    status: status.as_str(),
                })
                .collect(),
            kpi_progress: d
                .kpis
                .iter()
                .map(|k| KpiProgress {
                    name: &k.name,
                    latest: k.latest(),
                    gap_closed: k.progress(),
                })
                .collect(),
        };
        return json_out(&mut *ctx.out, &value);
    }
    let model = ctx.models.resolve(&d.model);
    show_text(&mut *ctx.out, &d, model, &ctx.dates, now, today).map_err(write_failed)
}

fn show_text(
    out: &mut dyn Write,
    d: &crate::domain::detail::InitiativeDetail,
    model: &Model,
    dates: &DateFormat,
    now: chrono::DateTime<chrono::Utc>,
    today: chrono::NaiveDate,
) -> io::Result<()> {
    let s = |t: &str| sanitize(t).into_owned();
    let def = model.def(d.step);
    writeln!(out, "#{} {}", d.id, s(&d.title))?;
    let mut status = d.status.label().to_owned();
    if let Some(r) = &d.hold_reason {
        status = format!("{status}: {}", s(r));
    }
    if let Some(c) = &d.closure_code {
        status = format!("{status} ({c})");
    }
    writeln!(
        out,
        "Step {}/{} {} · {}   {}, {}d in step",
        d.step,
        model.len(),
        def.short,
        def.question,
        status,
        d.days_in_step(now)
    )?;
    let owner = if d.owner.is_empty() {
        "-".into()
    } else {
        s(&d.owner)
    };
    writeln!(
        out,
        "Owner {}   Priority P{}   Value {}   Effort {}   Score {:.1}",
        owner,
        d.priority,
        d.value,
        d.effort,
        d.score()
    )?;
    let due = match d.due {
        Some(due) if d.is_overdue(today) => format!("{} (overdue)", dates.date(due)),
        Some(due) => dates.date(due),
        None => "-".into(),
    };
    let goal = d
        .goal
        .as_ref()
        .map_or("-".into(), |g| format!("{} (#{})", s(&g.name), g.id));
    writeln!(out, "Due {due}   Goal {goal}")?;
    let mut extra = Vec::new();
    if !d.tags.is_empty() {
        extra.push(format!("Tags {}", s(&d.tags)));
    }
    if let Some(a) = &d.area {
        extra.push(format!("Area {a}"));
    }
    if !d.raised_by.is_empty() {
        extra.push(format!("Raised by {}", s(&d.raised_by)));
    }
    if !d.source.is_empty() {
        extra.push(format!("Source {}", s(&d.source)));
    }
    extra.push(format!(
        "Created {}   Updated {}",
        dates.day(d.created_at),
        dates.day(d.updated_at)
    ));
    writeln!(out, "{}", extra.join("   "))?;
    if let Some((id, title)) = &d.parent {
        writeln!(out, "Follows up #{id} {}", s(title))?;
    }
    for (id, title, status) in &d.children {
        writeln!(out, "Followed up by #{id} {} ({status})", s(title))?;
    }
    if let Some(r) = &d.realised {
        writeln!(out, "Realised: {}", s(r))?;
    }
    if let Some(r) = d.cancel_reason.as_deref().filter(|r| !r.trim().is_empty()) {
        writeln!(out, "Cancelled because: {}", s(r))?;
    }
    if !d.description.trim().is_empty() {
        writeln!(out, "\nDescription")?;
        for line in d.description.lines() {
            writeln!(out, "  {}", s(line))?;
        }
    }

    let (done, total) = d.checklist_completion(d.step);
    writeln!(
        out,
        "\nChecklist of step {} {} ({done}/{total})",
        d.step, def.short
    )?;
    for (n, item) in d.checklist_of(d.step).enumerate() {
        let mark = if item.is_done() { "x" } else { " " };
        writeln!(out, "  {:>2} [{mark}] {}", n + 1, s(&item.text))?;
    }
    let others: Vec<String> = model
        .steps()
        .filter(|st| *st != d.step)
        .map(|st| {
            let (done, total) = d.checklist_completion(st);
            format!("{} {} {done}/{total}", st, model.def(st).short)
        })
        .collect();
    writeln!(out, "  other steps: {}", others.join(" · "))?;

    if !d.kpis.is_empty() {
        writeln!(out, "\nKPIs")?;
        for (n, k) in d.kpis.iter().enumerate() {
            let unit = if k.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", s(&k.unit))
            };
            let pair = |p: Option<(f64, chrono::NaiveDate)>| {
                p.map_or("-".into(), |(v, on)| {
                    format!("{}{unit} ({})", decimal(v), dates.date(on))
                })
            };
            let latest = k
                .latest()
                .map_or("-".into(), |v| format!("{}{unit}", decimal(v)));
            let progress = k.progress().map_or(String::new(), |p| {
                format!(", {} of the gap closed", percent(p))
            });
            writeln!(
                out,
                "  {:>2} {} ({} is better): baseline {} → latest {} → target {}{progress}",
                n + 1,
                s(&k.name),
                k.direction.as_str(),
                pair(k.baseline),
                latest,
                pair(k.target),
            )?;
            for m in &k.measurements {
                writeln!(
                    out,
                    "       {} {}{unit}",
                    dates.date(m.on),
                    decimal(m.value)
                )?;
            }
        }
    }
    if !d.notes.is_empty() {
        writeln!(out, "\nNotes")?;
        for n in &d.notes {
            writeln!(
                out,
                "  {} {}: {}",
                dates.stamp(n.at),
                n.kind.as_str(),
                s(&n.body)
            )?;
        }
    }
    writeln!(out, "\nHistory")?;
    let by_w = d
        .history
        .iter()
        .map(|e| unicode_width::UnicodeWidthStr::width(e.author()))
        .max()
        .unwrap_or(0)
        .min(16);
    for e in &d.history {
        writeln!(
            out,
            "  {}  {:<by_w$}  {}",
            dates.stamp(e.at),
            s(e.author()),
            s(&e.summary())
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct GoalEntry<'a> {
    id: i64,
    name: &'a str,
    description: &'a str,
    initiatives: i64,
}

pub(super) fn goals(ctx: &mut Ctx<'_>, json: bool) -> Result<(), Failure> {
    let goals = ctx.store.goals()?;
    let counts: HashMap<i64, i64> = ctx.store.goal_counts()?;
    let entries: Vec<GoalEntry> = goals
        .iter()
        .map(|g| GoalEntry {
            id: g.id,
            name: &g.name,
            description: &g.description,
            initiatives: counts.get(&g.id).copied().unwrap_or(0),
        })
        .collect();
    if json {
        return json_out(&mut *ctx.out, &entries);
    }
    let write = |out: &mut dyn Write| -> io::Result<()> {
        writeln!(out, "{:>4}  {:>11}  NAME", "ID", "INITIATIVES")?;
        for g in &entries {
            let desc = if g.description.is_empty() {
                String::new()
            } else {
                format!(" — {}", fit(&sanitize(g.description), 60))
            };
            writeln!(
                out,
                "{:>4}  {:>11}  {}{desc}",
                g.id,
                g.initiatives,
                sanitize(g.name)
            )?;
        }
        Ok(())
    };
    write(&mut *ctx.out).map_err(write_failed)
}
