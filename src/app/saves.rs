//! Saving forms: every value checked and named on its field when wrong,
//! only what changed written, and what was done said in the footer.

use chrono::NaiveDate;

use super::form::{Form, FormKind};
use super::forms::{AREAS, num_text};
use super::keymap::Scope;
use super::mode::{Mode, Question};
use super::state::App;
use crate::domain::detail::InitiativeDetail;
use crate::domain::{DateFormat, Effort, KpiDirection, dates};
use crate::store::{ClosureCode, Field, FieldEdit, KpiInput, NewInitiative, Value};

/// A date field as people type it (see `DateFormat::read`); empty is none.
fn parse_date(
    dates: &DateFormat,
    today: NaiveDate,
    text: &str,
) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    dates.read(text, today).map(Some)
}

fn parse_number(text: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| format!("{text:?} is not a number"))
}

fn text_value(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn optional_text(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::Text(s.to_string())
    }
}

/// A field's value as stored in `d`, as an edit guards on it.
fn stored(d: &crate::domain::detail::InitiativeDetail, field: Field) -> Value {
    match field {
        Field::Title => text_value(&d.title),
        Field::Description => text_value(&d.description),
        Field::Source => text_value(&d.source),
        Field::Priority => Value::Integer(i64::from(d.priority)),
        Field::Value => Value::Integer(i64::from(d.value)),
        Field::Effort => text_value(d.effort.as_str()),
        Field::Owner => text_value(&d.owner),
        Field::RaisedBy => text_value(&d.raised_by),
        Field::Due => optional_text(&d.due.map(|x| x.to_string()).unwrap_or_default()),
        Field::Goal => d
            .goal
            .as_ref()
            .map_or(Value::Null, |g| Value::Integer(g.id)),
        Field::Tags => text_value(&d.tags),
        Field::Area => optional_text(d.area.as_deref().unwrap_or("")),
        Field::Realised => optional_text(d.realised.as_deref().unwrap_or("")),
    }
}

impl App {
    /// Validates and saves a form. On any problem the form comes back with
    /// the field named and everything typed still in it.
    pub(super) fn submit(&mut self, form: Form) -> Result<(), Box<Form>> {
        let mut form = form;
        let result = match form.kind.clone() {
            FormKind::Initiative {
                id,
                parent,
                goals,
                original,
            } => self.save_initiative(&mut form, id.zip(original.map(|o| *o)), parent, &goals),
            FormKind::Note { id } => self.save_note(&mut form, id),
            FormKind::Measurement { id, kpis } => self.save_measurement(&mut form, id, &kpis),
            FormKind::Kpi { id, kpi } => self.save_kpi(&mut form, id, kpi),
            FormKind::Close { id } => self.save_close(&form, id),
            FormKind::Finish { id, plan } => self.save_finish(&form, id, plan),
        };
        match result {
            Ok(()) => Ok(()),
            Err(()) if form.ask.is_some() => {
                let why = form.ask.take().unwrap_or_default();
                self.mode = Mode::Confirm(Question::SaveAnyway {
                    form: Box::new(form),
                    why,
                });
                Ok(())
            }
            Err(()) => {
                if form.error.is_none()
                    && let Some(flash) = &self.flash
                {
                    form.error = Some((form.focus, flash.text.clone()));
                }
                Err(Box::new(form))
            }
        }
    }

    /// Saves an initiative form; `edit` is the initiative being edited, as
    /// it was when the form opened (the guard against lost updates).
    fn save_initiative(
        &mut self,
        form: &mut Form,
        edit: Option<(i64, InitiativeDetail)>,
        parent: Option<i64>,
        goals: &[i64],
    ) -> Result<(), ()> {
        let title = form.value("Title");
        if title.is_empty() {
            form.fail("Title", "a title is needed");
            return Err(());
        }
        let value = match form
            .value("Value")
            .parse::<i64>()
            .map(crate::domain::fields::value)
        {
            Ok(Ok(v)) => v,
            _ => {
                form.fail("Value", "value is a whole number from 1 to 10");
                return Err(());
            }
        };
        let due = match parse_date(self.date_format(), self.today, &form.value("Due")) {
            Ok(d) => d,
            Err(why) => {
                form.fail("Due", why);
                return Err(());
            }
        };
        let past_due = due.and_then(|d| dates::past_due(d, self.today, self.date_format()));
        let goal_field = form.field("Goal");
        let new_goal = goal_field
            .is_new()
            .then(|| goal_field.value())
            .filter(|g| !g.is_empty());
        let goal = if goal_field.is_new() {
            None
        } else {
            goal_field
                .choice
                .checked_sub(1)
                .and_then(|i| goals.get(i).copied())
        };
        let priority = form.value("Priority").parse::<u8>().unwrap_or(3);
        let effort: Effort = form.value("Effort").parse().unwrap_or(Effort::M);
        let area = Some(form.value("Area")).filter(|a| a != AREAS[0]);
        let now = self.now;
        let chosen = form
            .fields
            .iter()
            .any(|f| f.label == "Model")
            .then(|| form.value("Model"));
        let model = chosen
            .as_deref()
            .and_then(|id| self.models.get(id))
            .unwrap_or_else(|| self.models.default_model())
            .clone();
        let new = NewInitiative {
            title: title.clone(),
            description: form.value("Description"),
            source: form.value("Source"),
            priority,
            value,
            effort,
            owner: form.value("Owner"),
            raised_by: String::new(),
            due,
            goal_id: goal,
            parent_id: parent,
            tags: form.value("Tags"),
        };
        match edit {
            None => {
                let created = self.commit("add", None, |rec| {
                    let mut new = new;
                    if let Some(name) = &new_goal {
                        new.goal_id = Some(rec.create_goal(name, now)?);
                    }
                    let id = rec.create_initiative(&model, &new, now)?;
                    if let Some(area) = &area {
                        rec.update_fields(
                            id,
                            &[FieldEdit {
                                field: Field::Area,
                                before: Value::Null,
                                after: text_value(area),
                            }],
                            now,
                        )?;
                    }
                    Ok(id)
                });
                let Some(id) = created else { return Err(()) };
                self.select_id(id);
                self.info_warned(format!("added #{id} {title}"), past_due);
            }
            Some((id, d)) => {
                let mut edits = vec![
                    (Field::Title, text_value(&d.title), text_value(&new.title)),
                    (
                        Field::Description,
                        text_value(&d.description),
                        text_value(&new.description),
                    ),
                    (Field::Owner, text_value(&d.owner), text_value(&new.owner)),
                    (
                        Field::Priority,
                        Value::Integer(i64::from(d.priority)),
                        Value::Integer(i64::from(priority)),
                    ),
                    (
                        Field::Value,
                        Value::Integer(i64::from(d.value)),
                        Value::Integer(i64::from(value)),
                    ),
                    (
                        Field::Effort,
                        text_value(d.effort.as_str()),
                        text_value(effort.as_str()),
                    ),
                    (
                        Field::Due,
                        optional_text(&d.due.map(|x| x.to_string()).unwrap_or_default()),
                        optional_text(&due.map(|x| x.to_string()).unwrap_or_default()),
                    ),
                    (Field::Tags, text_value(&d.tags), text_value(&new.tags)),
                    (
                        Field::Area,
                        optional_text(d.area.as_deref().unwrap_or("")),
                        optional_text(area.as_deref().unwrap_or("")),
                    ),
                    (
                        Field::Source,
                        text_value(&d.source),
                        text_value(&new.source),
                    ),
                ];
                if form.fields.iter().any(|f| f.label == "Realised") {
                    edits.push((
                        Field::Realised,
                        stored(&d, Field::Realised),
                        optional_text(form.value("Realised").trim()),
                    ));
                }
                let goal_before = d
                    .goal
                    .as_ref()
                    .map_or(Value::Null, |g| Value::Integer(g.id));
                // Only what this form changed is written, each guarded by the
                // value the form loaded: concurrent edits of other fields
                // both survive.
                let loaded: Vec<String> = form.loaded.clone();
                let changed = |label: &str| {
                    form.fields
                        .iter()
                        .zip(&loaded)
                        .any(|(f, l)| f.label == label && f.value() != *l)
                };
                // A field retyped to the same value ("2026-3-2" for
                // 2026-03-02) is no change either.
                edits.retain(|(field, before, after)| {
                    changed(field_label(*field)) && before != after
                });
                let goal_changed = changed("Goal");
                let remodel = chosen.is_some() && changed("Model");
                if edits.is_empty() && !goal_changed && !remodel {
                    self.info(format!("nothing changed on #{id}"));
                    return Ok(());
                }
                let old_model = d.model.clone();
                let ok = self.commit(format!("edit #{id}"), Some(id), |rec| {
                    let mut edits: Vec<FieldEdit> = edits
                        .into_iter()
                        .map(|(field, before, after)| FieldEdit {
                            field,
                            before,
                            after,
                        })
                        .collect();
                    if goal_changed {
                        let after = match &new_goal {
                            Some(name) => Value::Integer(rec.create_goal(name, now)?),
                            None => goal.map_or(Value::Null, Value::Integer),
                        };
                        edits.push(FieldEdit {
                            field: Field::Goal,
                            before: goal_before,
                            after,
                        });
                    }
                    if remodel {
                        rec.change_model(id, &old_model, &model, now)?;
                    }
                    rec.update_fields(id, &edits, now)
                });
                if ok.is_none() {
                    self.offer_keep_or_take(form, id, &d);
                    return Err(());
                }
                let past_due = past_due.filter(|_| changed("Due"));
                self.info_warned(format!("saved #{id}"), past_due);
            }
        }
        Ok(())
    }

    fn save_note(&mut self, form: &mut Form, id: i64) -> Result<(), ()> {
        let body = form.value("Note");
        if body.is_empty() {
            form.fail("Note", "the note is empty");
            return Err(());
        }
        let kind = form.value("Kind");
        let now = self.now;
        self.commit(format!("note on #{id}"), Some(id), |rec| {
            rec.add_note(id, &kind, &body, now)
        })
        .ok_or(())?;
        self.info(format!("{kind} note added to #{id}"));
        Ok(())
    }

    fn save_measurement(&mut self, form: &mut Form, id: i64, kpis: &[i64]) -> Result<(), ()> {
        let value = match parse_number(&form.value("Value")) {
            Ok(Some(v)) => v,
            Ok(None) => {
                form.fail("Value", "a value is needed");
                return Err(());
            }
            Err(why) => {
                form.fail("Value", why);
                return Err(());
            }
        };
        let on = match parse_date(self.date_format(), self.today, &form.value("Date")) {
            Ok(Some(d)) => d,
            Ok(None) => {
                form.fail("Date", "a date is needed");
                return Err(());
            }
            Err(why) => {
                form.fail("Date", why);
                return Err(());
            }
        };
        let kpi = kpis[form.field("KPI").choice.min(kpis.len() - 1)];
        let now = self.now;
        self.commit(format!("measurement on #{id}"), Some(id), |rec| {
            rec.add_measurement(kpi, value, on, now)
        })
        .ok_or(())?;
        self.info_warned(
            format!("{} recorded for {}", num_text(value), form.value("KPI")),
            dates::future_measurement(on, self.today, self.date_format()),
        );
        Ok(())
    }

    fn save_kpi(&mut self, form: &mut Form, id: i64, kpi: Option<i64>) -> Result<(), ()> {
        let name = form.value("Name");
        if name.is_empty() {
            form.fail("Name", "a KPI needs a name");
            return Err(());
        }
        let (dates, today) = (self.date_format().clone(), self.today);
        let mut pair = |value: &str, date: &str| -> Result<Option<(f64, NaiveDate)>, ()> {
            let v = parse_number(&form.value(value)).map_err(|why| form.fail(value, why))?;
            let d =
                parse_date(&dates, today, &form.value(date)).map_err(|why| form.fail(date, why))?;
            match (v, d) {
                (Some(v), Some(d)) => Ok(Some((v, d))),
                (None, _) => Ok(None),
                (Some(_), None) => {
                    form.fail(date, "a value needs its date");
                    Err(())
                }
            }
        };
        let baseline = pair("Baseline", "Baseline date")?;
        let target = pair("Target", "Target date")?;
        let input = KpiInput {
            name: name.clone(),
            unit: form.value("Unit"),
            direction: if form.value("Better") == "lower" {
                KpiDirection::LowerIsBetter
            } else {
                KpiDirection::HigherIsBetter
            },
            baseline,
            target,
        };
        if let (Some((b, _)), Some((t, _))) = (baseline, target)
            && !form.sure
            && let Some(why) = input.direction.contradiction(b, t)
        {
            form.ask = Some(why);
            return Err(());
        }
        let now = self.now;
        match kpi {
            None => {
                self.commit(format!("KPI on #{id}"), Some(id), |rec| {
                    rec.add_kpi(id, &input, now)
                })
                .ok_or(())?;
                self.panes.select_last_kpi();
                self.info(format!("KPI {name} added to #{id}"));
            }
            Some(kpi) => {
                self.commit(format!("KPI edit on #{id}"), Some(id), |rec| {
                    rec.update_kpi(kpi, &input, now)
                })
                .ok_or(())?;
                self.info(format!("KPI {name} saved"));
            }
        }
        Ok(())
    }

    fn save_finish(
        &mut self,
        form: &Form,
        id: i64,
        plan: crate::domain::MovePlan,
    ) -> Result<(), ()> {
        let code = [ClosureCode::Successful, ClosureCode::Unsuccessful]
            [form.field("Outcome").choice.min(1)];
        let realised = form.value("Realised");
        let now = self.now;
        self.commit(format!("move #{id}"), Some(id), |rec| {
            rec.finish_move(id, plan, None, (code, &realised), now)
        })
        .ok_or(())?;
        let n = self.model().len();
        self.info(format!(
            "#{id} completed ({}): all {} done",
            code.as_str(),
            crate::domain::text::count(n as u64, "step")
        ));
        // Improvement is continual: offer the next round.
        self.mode = Mode::Confirm(Question::FollowUp { parent: id });
        Ok(())
    }

    /// After an edit refused because someone changed a field this form
    /// changed too: the form takes the register's values as its new
    /// starting point (so the next save is guarded by them) and keeps what
    /// was typed, and says whose value is there now. Ctrl-s again keeps
    /// yours; Esc leaves theirs.
    fn offer_keep_or_take(
        &mut self,
        form: &mut Form,
        id: i64,
        loaded: &crate::domain::detail::InitiativeDetail,
    ) {
        let Ok(Some(current)) = self.store.initiative_detail(&self.models, id) else {
            return;
        };
        let typed_over: Vec<Field> = [
            Field::Title,
            Field::Description,
            Field::Source,
            Field::Priority,
            Field::Value,
            Field::Effort,
            Field::Owner,
            Field::Due,
            Field::Goal,
            Field::Tags,
            Field::Area,
        ]
        .into_iter()
        .filter(|f| {
            let label = field_label(*f);
            form.fields
                .iter()
                .zip(&form.loaded)
                .any(|(x, l)| x.label == label && x.value() != *l)
                && stored(loaded, *f) != stored(&current, *f)
        })
        .collect();
        let Some(&first) = typed_over.first() else {
            return;
        };
        let who = self
            .store
            .log(&crate::store::history::LogQuery {
                initiative: Some(id),
                limit: Some(1),
                ..Default::default()
            })
            .ok()
            .and_then(|e| e.into_iter().next())
            .map_or("someone".to_string(), |e| e.author().to_string());
        let theirs = crate::store::value_text(&stored(&current, first));
        if let FormKind::Initiative { original, .. } = &mut form.kind {
            *original = Some(Box::new(current));
        }
        let at = form
            .fields
            .iter()
            .position(|f| f.label == field_label(first))
            .unwrap_or(form.focus);
        let more = match typed_over.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        form.error = Some((
            at,
            format!(
                "{} was changed by {who} to \"{theirs}\"{more}: {} again keeps yours, {} leaves theirs",
                field_label(first),
                self.key_named(Scope::Form, "save"),
                self.key_named(Scope::Form, "cancel"),
            ),
        ));
    }

    fn save_close(&mut self, form: &Form, id: i64) -> Result<(), ()> {
        let code = ClosureCode::ALL[form.field("Outcome").choice.min(2)];
        let realised = form.value("Realised");
        let now = self.now;
        self.commit(format!("close #{id}"), Some(id), |rec| {
            rec.close(id, code, &realised, now)
        })
        .ok_or(())?;
        self.info(format!("#{id} closed: {}", code.as_str()));
        if code == ClosureCode::Successful {
            self.mode = Mode::Confirm(Question::FollowUp { parent: id });
        }
        Ok(())
    }
}

fn field_label(field: Field) -> &'static str {
    match field {
        Field::Title => "Title",
        Field::Description => "Description",
        Field::Source => "Source",
        Field::Priority => "Priority",
        Field::Value => "Value",
        Field::Effort => "Effort",
        Field::Owner => "Owner",
        Field::RaisedBy => "Raised by",
        Field::Due => "Due",
        Field::Goal => "Goal",
        Field::Tags => "Tags",
        Field::Area => "Area",
        Field::Realised => "Realised",
    }
}
