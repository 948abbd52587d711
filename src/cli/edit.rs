//! The write commands. Each is one transaction through `Store::write`, so a
//! dashboard open on the same register sees it within a second.

use super::args::{
    AddArgs, CloseCode, DirectionArg, FinishCode, KpiAction, KpiValue, MoveDirection, NoteKindArg,
};
use super::commands::{
    Ctx, detail, find_goal, find_model, invalid, parse_date, warn, write_failed,
};
use super::failure::{Failure, code};
use crate::domain::dates;
use crate::domain::detail::InitiativeDetail;
use crate::domain::moves::{self, Direction};
use crate::domain::text::sanitize;
use crate::domain::{Effort, Kpi, KpiDirection, Status};
use crate::store::{ClosureCode, KpiInput, NewInitiative};

pub(super) fn add(ctx: &mut Ctx<'_>, a: AddArgs) -> Result<(), Failure> {
    let title = a.title.trim();
    if title.is_empty() {
        return Err(invalid("the title is empty"));
    }
    let effort: Effort = a.effort.parse().map_err(|e| invalid(format!("{e}")))?;
    let due = a
        .due
        .as_deref()
        .map(|d| parse_date(ctx, "due date", d))
        .transpose()?;
    let today = ctx.clock.today();
    warn(due.and_then(|d| dates::past_due(d, today, &ctx.dates)));
    let goal_id = match &a.goal {
        Some(g) => Some(find_goal(&ctx.store, g)?.id),
        None => None,
    };
    let tags: Vec<&str> = a
        .tags
        .iter()
        .flat_map(|t| t.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    let new = NewInitiative {
        title: title.to_owned(),
        description: a.description,
        source: a.source.trim().to_owned(),
        owner: a.owner.trim().to_owned(),
        raised_by: a.raised_by.trim().to_owned(),
        priority: a.priority,
        value: a.value,
        effort,
        due,
        goal_id,
        tags: tags.join(","),
        ..NewInitiative::titled("")
    };
    let model = match &a.model {
        Some(id) => find_model(&ctx.models, id)?,
        None => ctx.models.default_model(),
    }
    .clone();
    let id = ctx.store.create_initiative(&model, &new, ctx.clock.now())?;
    writeln!(ctx.out, "{id}").map_err(write_failed)
}

pub(super) fn move_cmd(
    ctx: &mut Ctx<'_>,
    id: i64,
    direction: Option<MoveDirection>,
    to: Option<String>,
    reason: Option<String>,
    finish: (Option<FinishCode>, Option<String>),
) -> Result<(), Failure> {
    let models = &ctx.models;
    let row = ctx
        .store
        .backlog_row(models, id)?
        .ok_or_else(|| super::commands::not_found(id))?;
    // `--to` takes the initiative's own model's step numbers and names.
    let model = models.resolve(&row.model);
    let plan = match (direction, to) {
        (_, Some(to)) => {
            let to = model.find_step(&to).ok_or_else(|| {
                invalid(format!(
                    "{to:?} is not a step of {} (#{id}'s model): {}",
                    model.name,
                    model.step_names()
                ))
            })?;
            moves::plan_jump(row.step, row.status, to)
        }
        (Some(MoveDirection::Back), None) => {
            moves::plan_move(model, row.step, row.status, Direction::Back)
        }
        _ => moves::plan_move(model, row.step, row.status, Direction::Forward),
    }
    .map_err(|e| invalid(format!("#{id} {e}")))?;
    let finishing = plan.status_after() == Status::Done;
    if !finishing && (finish.0.is_some() || finish.1.is_some()) {
        return Err(invalid(format!(
            "--code and --realised go with finishing the last step; #{id} moves to step {}",
            plan.to()
        )));
    }
    let code = match finish.0 {
        Some(FinishCode::Unsuccessful) => ClosureCode::Unsuccessful,
        _ => ClosureCode::Successful,
    };
    let realised = finish.1.unwrap_or_default();
    let now = ctx.clock.now();
    ctx.store.write("move", Some(id), |rec| {
        rec.finish_move(id, plan, reason.as_deref(), (code, &realised), now)
    })?;
    if let Some(r) = ctx.store.backlog_row(models, id)? {
        writeln!(
            ctx.out,
            "#{id} is at step {}/{} {} ({})",
            r.step,
            model.len(),
            model.def(r.step).short,
            r.status
        )
        .map_err(write_failed)?;
    }
    Ok(())
}

pub(super) fn check(ctx: &mut Ctx<'_>, id: i64, item: usize, undo: bool) -> Result<(), Failure> {
    let d = detail(ctx, id)?;
    let items: Vec<_> = d.checklist_of(d.step).collect();
    let Some(target) = item.checked_sub(1).and_then(|i| items.get(i)) else {
        return Err(Failure::new(
            code::NOT_FOUND,
            format!(
                "#{id} has no item {item} at step {} {} (it has {}; see `improve show {id}`)",
                d.step,
                ctx.models.resolve(&d.model).def(d.step).short,
                items.len()
            ),
        ));
    };
    let (item_id, text) = (target.id, target.text.clone());
    let now = ctx.clock.now();
    ctx.store
        .write(if undo { "untick" } else { "tick" }, Some(id), |rec| {
            rec.set_item_done(item_id, !undo, now)
        })?;
    let count = ctx.store.checklist_count(id)?;
    writeln!(
        ctx.out,
        "#{id} [{}] {} ({}/{} at step {} {})",
        if undo { " " } else { "x" },
        sanitize(&text),
        count.done,
        count.total,
        d.step,
        ctx.models.resolve(&d.model).def(d.step).short
    )
    .map_err(write_failed)
}

/// `improve set-model ID MODEL`: only at the first step (see
/// `Recorder::change_model`).
pub(super) fn set_model(ctx: &mut Ctx<'_>, id: i64, model: &str) -> Result<(), Failure> {
    let to = find_model(&ctx.models, model)?.clone();
    let d = detail(ctx, id)?;
    if d.model == to.id {
        return writeln!(ctx.out, "#{id} already follows {}", to.id).map_err(write_failed);
    }
    if d.step.number() != 1 {
        return Err(invalid(format!(
            "#{id} is at step {} of {}: its model can only be changed at the first step",
            d.step, d.model
        )));
    }
    ctx.store.change_model(id, &d.model, &to, ctx.clock.now())?;
    writeln!(
        ctx.out,
        "#{id} now follows {} ({}; step 1 {})",
        to.id,
        crate::domain::text::count(to.len() as u64, "step"),
        to.steps[0].short
    )
    .map_err(write_failed)
}

pub(super) fn note(
    ctx: &mut Ctx<'_>,
    id: i64,
    text: &str,
    kind: NoteKindArg,
) -> Result<(), Failure> {
    if text.trim().is_empty() {
        return Err(invalid("the note is empty"));
    }
    detail(ctx, id)?;
    let kind = match kind {
        NoteKindArg::Work => "work",
        NoteKindArg::Decision => "decision",
        NoteKindArg::Lesson => "lesson",
    };
    let now = ctx.clock.now();
    ctx.store
        .write("note", Some(id), |rec| rec.add_note(id, kind, text, now))?;
    writeln!(ctx.out, "#{id}: {kind} noted").map_err(write_failed)
}

/// Why a KPI's target works against its direction, if it does.
fn against_direction(k: &KpiInput) -> Option<String> {
    let ((baseline, _), (target, _)) = (k.baseline?, k.target?);
    k.direction.contradiction(baseline, target)
}

/// A new baseline or target that would make reaching the target a loss.
fn refuse_against_direction(k: &KpiInput, name: &str) -> Result<(), Failure> {
    match against_direction(k) {
        Some(why) => Err(invalid(format!(
            "{name:?}: {why}; check the number (the dashboard's KPI form, r, changes the direction)"
        ))),
        None => Ok(()),
    }
}

fn finite(what: &str, v: f64) -> Result<f64, Failure> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(invalid(format!("the {what} must be a number")))
    }
}

/// A KPI of an initiative by its 1-based number or its name.
fn find_kpi<'d>(d: &'d InitiativeDetail, key: &str) -> Result<&'d Kpi, Failure> {
    let key = key.trim();
    let by_number = key
        .parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| d.kpis.get(i));
    by_number
        .or_else(|| {
            d.kpis
                .iter()
                .find(|k| k.name.trim().eq_ignore_ascii_case(key))
        })
        .ok_or_else(|| {
            Failure::new(
                code::NOT_FOUND,
                format!(
                    "#{} has no KPI {key:?} (it has {}; see `improve show {}`)",
                    d.id,
                    d.kpis.len(),
                    d.id
                ),
            )
        })
}

fn input_of(k: &Kpi) -> KpiInput {
    KpiInput {
        name: k.name.clone(),
        unit: k.unit.clone(),
        direction: k.direction,
        baseline: k.baseline,
        target: k.target,
    }
}

pub(super) fn kpi(ctx: &mut Ctx<'_>, id: i64, action: KpiAction) -> Result<(), Failure> {
    let d = detail(ctx, id)?;
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    let on = |date: &Option<String>| -> Result<chrono::NaiveDate, Failure> {
        date.as_deref()
            .map_or(Ok(today), |t| parse_date(ctx, "date", t))
    };
    match action {
        KpiAction::Add {
            name,
            unit,
            direction,
            baseline,
            baseline_date,
            target,
            target_date,
        } => {
            let name = name.trim();
            if name.is_empty() {
                return Err(invalid("the KPI name is empty"));
            }
            if name.parse::<usize>().is_ok() {
                return Err(invalid("a KPI name cannot be a number (numbers pick KPIs)"));
            }
            if d.kpis
                .iter()
                .any(|k| k.name.trim().eq_ignore_ascii_case(name))
            {
                return Err(invalid(format!("#{id} already has a KPI named {name:?}")));
            }
            let baseline = match baseline {
                Some(v) => Some((finite("baseline", v)?, on(&baseline_date)?)),
                None => None,
            };
            let target = match target {
                Some(v) => Some((finite("target", v)?, on(&target_date)?)),
                None => None,
            };
            let input = KpiInput {
                name: name.to_owned(),
                unit: unit.trim().to_owned(),
                direction: match direction {
                    DirectionArg::Higher => KpiDirection::HigherIsBetter,
                    DirectionArg::Lower => KpiDirection::LowerIsBetter,
                },
                baseline,
                target,
            };
            if let Some(why) = against_direction(&input) {
                let other = match input.direction {
                    KpiDirection::HigherIsBetter => "lower",
                    KpiDirection::LowerIsBetter => "higher",
                };
                return Err(invalid(format!(
                    "{why}; if {other} values are better, say --direction {other}"
                )));
            }
            ctx.store
                .write("add KPI", Some(id), |rec| rec.add_kpi(id, &input, now))?;
            writeln!(ctx.out, "#{id}: KPI {} {:?} added", d.kpis.len() + 1, name)
                .map_err(write_failed)
        }
        KpiAction::Baseline(KpiValue { kpi, value, date }) => {
            let k = find_kpi(&d, &kpi)?;
            let mut input = input_of(k);
            input.baseline = Some((finite("baseline", value)?, on(&date)?));
            refuse_against_direction(&input, &k.name)?;
            let kpi_id = k.id;
            ctx.store.write("KPI baseline", Some(id), |rec| {
                rec.update_kpi(kpi_id, &input, now)
            })?;
            writeln!(ctx.out, "#{id}: baseline of {:?} set", k.name).map_err(write_failed)
        }
        KpiAction::Target(KpiValue { kpi, value, date }) => {
            let k = find_kpi(&d, &kpi)?;
            let mut input = input_of(k);
            input.target = Some((finite("target", value)?, on(&date)?));
            refuse_against_direction(&input, &k.name)?;
            let kpi_id = k.id;
            ctx.store.write("KPI target", Some(id), |rec| {
                rec.update_kpi(kpi_id, &input, now)
            })?;
            writeln!(ctx.out, "#{id}: target of {:?} set", k.name).map_err(write_failed)
        }
        KpiAction::Measure(KpiValue { kpi, value, date }) => {
            let k = find_kpi(&d, &kpi)?;
            let (kpi_id, value, on) = (k.id, finite("value", value)?, on(&date)?);
            warn(dates::future_measurement(on, today, &ctx.dates));
            ctx.store.write("measurement", Some(id), |rec| {
                rec.add_measurement(kpi_id, value, on, now)
            })?;
            writeln!(
                ctx.out,
                "#{id}: {:?} measured {} on {}",
                k.name,
                crate::domain::text::extreme_number(value).unwrap_or_else(|| value.to_string()),
                ctx.dates.date(on)
            )
            .map_err(write_failed)
        }
    }
}

/// "#3 is done" as a refusal for a lifecycle change that needs another status.
fn wrong_status(id: i64, status: Status, needs: &str) -> Failure {
    invalid(format!("#{id} is {status}: {needs}"))
}

pub(super) fn hold(ctx: &mut Ctx<'_>, id: i64, reason: &str) -> Result<(), Failure> {
    if reason.trim().is_empty() {
        return Err(invalid("say why it is on hold (--reason)"));
    }
    let d = detail(ctx, id)?;
    if d.status != Status::Active {
        return Err(wrong_status(
            id,
            d.status,
            "only active initiatives can be put on hold",
        ));
    }
    let now = ctx.clock.now();
    ctx.store
        .write("hold", Some(id), |rec| rec.hold(id, reason, now))?;
    writeln!(ctx.out, "#{id} is on hold").map_err(write_failed)
}

pub(super) fn resume(ctx: &mut Ctx<'_>, id: i64) -> Result<(), Failure> {
    let d = detail(ctx, id)?;
    if d.status != Status::OnHold {
        return Err(wrong_status(
            id,
            d.status,
            "only initiatives on hold can be resumed",
        ));
    }
    let now = ctx.clock.now();
    ctx.store
        .write("resume", Some(id), |rec| rec.resume(id, now))?;
    writeln!(ctx.out, "#{id} is active again").map_err(write_failed)
}

fn close_with(
    ctx: &mut Ctx<'_>,
    id: i64,
    code: ClosureCode,
    realised: &str,
) -> Result<(), Failure> {
    let d = detail(ctx, id)?;
    if !d.status.is_open() {
        return Err(wrong_status(id, d.status, "it is already closed"));
    }
    let now = ctx.clock.now();
    ctx.store
        .write("close", Some(id), |rec| rec.close(id, code, realised, now))?;
    let status = if code == ClosureCode::Withdrawn {
        "cancelled"
    } else {
        "done"
    };
    writeln!(ctx.out, "#{id} is {status} ({})", code.as_str()).map_err(write_failed)
}

pub(super) fn cancel(ctx: &mut Ctx<'_>, id: i64, reason: Option<String>) -> Result<(), Failure> {
    close_with(
        ctx,
        id,
        ClosureCode::Withdrawn,
        reason.as_deref().unwrap_or(""),
    )
}

pub(super) fn close(
    ctx: &mut Ctx<'_>,
    id: i64,
    code: CloseCode,
    realised: Option<String>,
) -> Result<(), Failure> {
    let code = match code {
        CloseCode::Successful => ClosureCode::Successful,
        CloseCode::Unsuccessful => ClosureCode::Unsuccessful,
        CloseCode::Withdrawn => ClosureCode::Withdrawn,
    };
    close_with(ctx, id, code, realised.as_deref().unwrap_or(""))
}

pub(super) fn goal_add(ctx: &mut Ctx<'_>, name: &str, description: &str) -> Result<(), Failure> {
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid("the goal name is empty"));
    }
    if let Some(g) = ctx
        .store
        .goals()?
        .into_iter()
        .find(|g| g.name.trim().eq_ignore_ascii_case(name))
    {
        return Err(invalid(format!("goal {name:?} exists already (#{})", g.id)));
    }
    let now = ctx.clock.now();
    let (id, _) = ctx
        .store
        .write("goal", None, |rec| rec.add_goal(name, description, now))?;
    writeln!(ctx.out, "{id}").map_err(write_failed)
}
