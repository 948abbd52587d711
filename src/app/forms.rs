//! Opening forms with the right fields, and saving them.

use chrono::NaiveDate;

use super::form::{Form, FormField, FormKind};
use super::state::{App, Mode};
use crate::domain::detail::{InitiativeDetail, NoteKind};
use crate::domain::{DateFormat, Effort, KpiDirection, dates};
use crate::store::{ClosureCode, Field, FieldEdit, KpiInput, NewInitiative, Value};

const PRIORITIES: [&str; 5] = ["1", "2", "3", "4", "5"];
const EFFORTS: [&str; 4] = ["S", "M", "L", "XL"];
const AREAS: [&str; 4] = ["(none)", "people", "process", "technology"];
const NO_GOAL: &str = "(none)";

/// What the date fields say they take.
const DATE_HINT: &str = "YYYY-MM-DD, today, +3d, +2w, friday";

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

fn num_text(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// The values an initiative form shows, by field.
struct Values {
    title: String,
    description: String,
    goal: Option<i64>,
    owner: String,
    priority: u8,
    value: u8,
    effort: Effort,
    due: Option<NaiveDate>,
    tags: String,
    area: Option<String>,
    source: String,
    /// The model, when it may be chosen: always when adding, when editing
    /// only at the first step (`Recorder::change_model`).
    model: Option<String>,
}

impl App {
    fn goal_field(&self, selected: Option<i64>) -> (FormField, Vec<i64>) {
        let mut names = vec![NO_GOAL.to_string()];
        let mut ids = Vec::new();
        for g in &self.goals {
            names.push(g.name.clone());
            ids.push(g.id);
        }
        let choice = selected
            .and_then(|id| ids.iter().position(|g| *g == id))
            .map_or(0, |i| i + 1);
        let field = FormField::choice_or_new(
            "Goal",
            names,
            choice,
            "←/→ pick a goal; the last choice types a new one",
        );
        (field, ids)
    }

    fn initiative_form(
        &self,
        id: Option<i64>,
        parent: Option<i64>,
        title: String,
        v: Values,
    ) -> Form {
        let (goal, goals) = self.goal_field(v.goal);
        let area = v
            .area
            .as_deref()
            .and_then(|a| AREAS.iter().position(|x| *x == a))
            .unwrap_or(0);
        let fields = vec![
            FormField::text(
                "Title",
                &v.title,
                "what the initiative improves, in a few words",
            ),
            FormField::long_text("Description", &v.description),
            goal,
            FormField::text("Owner", &v.owner, "one accountable person"),
            FormField::choice(
                "Priority",
                &PRIORITIES,
                usize::from(v.priority.clamp(1, 5) - 1),
                "1 is the most urgent; ←/→ to change",
            ),
            FormField::whole("Value", &v.value.to_string(), "expected value, 1 to 10"),
            FormField::choice(
                "Effort",
                &EFFORTS,
                EFFORTS
                    .iter()
                    .position(|e| *e == v.effort.as_str())
                    .unwrap_or(1),
                "S, M, L or XL; ←/→ to change",
            ),
            FormField::whole(
                "Due",
                &v.due.map(|d| d.to_string()).unwrap_or_default(),
                "YYYY-MM-DD, today, +2w, friday; or empty",
            ),
            FormField::text("Tags", &v.tags, "comma-separated"),
            FormField::choice("Area", &AREAS, area, "people, process or technology"),
            FormField::text(
                "Source",
                &v.source,
                "where the idea came from: an incident, a review, a person",
            ),
        ];
        let mut fields = fields;
        if let Some(model) = &v.model {
            let ids: Vec<&str> = self.models.iter().map(|(m, _)| m.id.as_str()).collect();
            let at = ids.iter().position(|id| id == model).unwrap_or(0);
            fields.push(FormField::choice(
                "Model",
                &ids,
                at,
                "the improvement model it follows; ←/→ to change",
            ));
        }
        Form::new(
            FormKind::Initiative {
                id,
                parent,
                goals,
                original: None,
            },
            title,
            fields,
        )
    }

    pub(super) fn open_add_form(&mut self, parent: Option<i64>) {
        let mut v = Values {
            title: String::new(),
            description: String::new(),
            goal: None,
            owner: String::new(),
            priority: 3,
            value: 5,
            effort: Effort::M,
            due: None,
            tags: String::new(),
            area: None,
            source: String::new(),
            model: Some(self.models.default_model().id.clone()),
        };
        let mut title = "Add an initiative".to_string();
        if let Some(p) =
            parent.and_then(|p| self.store.initiative_detail(&self.models, p).ok().flatten())
        {
            // A follow-up carries on its parent's goal with the same owner.
            v.title = format!("Follow-up: {}", p.title);
            v.goal = p.goal.as_ref().map(|g| g.id);
            v.owner = p.owner.clone();
            v.tags = p.tags.clone();
            v.area = p.area.clone();
            v.source = format!("follow-up of #{}", p.id);
            v.model = Some(p.model.clone());
            title = format!("Follow-up of #{}", p.id);
        }
        self.mode = Mode::Form(self.initiative_form(None, parent, title, v));
    }

    pub(super) fn open_edit_form(&mut self) {
        let Some(id) = self.selected_row().map(|r| r.id) else {
            return;
        };
        let detail = match self.store.initiative_detail(&self.models, id) {
            Ok(Some(d)) => d,
            Ok(None) => return self.fail(format!("#{id} no longer exists")),
            Err(e) => return self.error("could not read the initiative", e),
        };
        let v = Values {
            title: detail.title.clone(),
            description: detail.description.clone(),
            goal: detail.goal.as_ref().map(|g| g.id),
            owner: detail.owner.clone(),
            priority: detail.priority,
            value: detail.value,
            effort: detail.effort,
            due: detail.due,
            tags: detail.tags.clone(),
            area: detail.area.clone(),
            source: detail.source.clone(),
            model: (detail.step.number() == 1).then(|| detail.model.clone()),
        };
        let mut form = self.initiative_form(Some(id), None, format!("Edit #{id}"), v);
        if let FormKind::Initiative { original, .. } = &mut form.kind {
            *original = Some(Box::new(detail));
        }
        self.mode = Mode::Form(form);
    }

    pub(super) fn open_note_form(&mut self) {
        let Some(id) = self.selected_row().map(|r| r.id) else {
            return;
        };
        let kinds: Vec<&str> = NoteKind::ALL.iter().map(|k| k.as_str()).collect();
        let form = Form::new(
            FormKind::Note { id },
            format!("Note on #{id}"),
            vec![
                FormField::long_text("Note", ""),
                FormField::choice(
                    "Kind",
                    &kinds,
                    0,
                    "work note, decision or lesson; ←/→ to change",
                ),
            ],
        );
        self.mode = Mode::Form(form);
    }

    pub(super) fn open_measure_form(&mut self) {
        let Some(detail) = self.detail.as_ref() else {
            return;
        };
        let id = detail.id;
        if detail.kpis.is_empty() {
            return self.info(format!(
                "#{id} has no KPIs yet: Tab to the metrics pane and press + to add one"
            ));
        }
        let names: Vec<&str> = detail.kpis.iter().map(|k| k.name.as_str()).collect();
        let kpis = detail.kpis.iter().map(|k| k.id).collect();
        let selected = self.kpi_selected.min(names.len() - 1);
        let form = Form::new(
            FormKind::Measurement { id, kpis },
            format!("Measurement for #{id}"),
            vec![
                FormField::choice("KPI", &names, selected, "←/→ to pick the KPI"),
                FormField::whole("Value", "", "the measured value"),
                FormField::whole("Date", &self.today.to_string(), DATE_HINT),
            ],
        );
        let mut form = form;
        form.focus = 1;
        self.mode = Mode::Form(form);
    }

    pub(super) fn open_kpi_form(&mut self, kpi: Option<i64>) {
        let Some(detail) = self.detail.as_ref() else {
            return;
        };
        let id = detail.id;
        let existing = kpi
            .and_then(|k| detail.kpis.iter().find(|x| x.id == k))
            .cloned();
        let pair = |p: Option<(f64, NaiveDate)>| {
            p.map_or((String::new(), String::new()), |(v, d)| {
                (num_text(v), d.to_string())
            })
        };
        let (bv, bd) = pair(existing.as_ref().and_then(|k| k.baseline));
        let (tv, td) = pair(existing.as_ref().and_then(|k| k.target));
        // A new KPI's dates start as today and a quarter on: the value
        // is what matters, and a date with no value is not saved.
        let (bd, td) = if existing.is_none() {
            let quarter = self
                .today
                .checked_add_months(chrono::Months::new(3))
                .unwrap_or(self.today);
            (self.today.to_string(), quarter.to_string())
        } else {
            (bd, td)
        };
        let lower = existing
            .as_ref()
            .is_some_and(|k| k.direction == KpiDirection::LowerIsBetter);
        let fields = vec![
            FormField::text(
                "Name",
                existing.as_ref().map_or("", |k| &k.name),
                "what is measured",
            ),
            FormField::text(
                "Unit",
                existing.as_ref().map_or("", |k| &k.unit),
                "h, %, tickets/week...",
            ),
            FormField::choice(
                "Better",
                &["higher", "lower"],
                usize::from(lower),
                "is a higher or a lower value better?",
            ),
            FormField::whole("Baseline", &bv, "the value now (step 2)"),
            FormField::whole("Baseline date", &bd, DATE_HINT),
            FormField::whole("Target", &tv, "the value to reach (step 3)"),
            FormField::whole("Target date", &td, DATE_HINT),
        ];
        let title = if existing.is_some() {
            format!("Edit KPI of #{id}")
        } else {
            format!("New KPI for #{id}")
        };
        self.mode = Mode::Form(Form::new(FormKind::Kpi { id, kpi }, title, fields));
    }

    pub(super) fn open_close_form(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let id = row.id;
        if !row.status.is_open() {
            return self.info(format!("#{id} is already {}", row.status));
        }
        let codes: Vec<&str> = ClosureCode::ALL.iter().map(|c| c.as_str()).collect();
        let form = Form::new(
            FormKind::Close { id },
            format!("Close #{id}"),
            vec![
                FormField::choice(
                    "Outcome",
                    &codes,
                    0,
                    "successful, unsuccessful or withdrawn; ←/→",
                ),
                FormField::long_text("Realised", ""),
            ],
        );
        self.mode = Mode::Form(form);
    }

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
                self.mode = Mode::Confirm(super::state::Question::SaveAnyway {
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
        let due = match parse_date(&self.date_format, self.today, &form.value("Due")) {
            Ok(d) => d,
            Err(why) => {
                form.fail("Due", why);
                return Err(());
            }
        };
        let past_due = due.and_then(|d| dates::past_due(d, self.today, &self.date_format));
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
        let on = match parse_date(&self.date_format, self.today, &form.value("Date")) {
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
            dates::future_measurement(on, self.today, &self.date_format),
        );
        Ok(())
    }

    fn save_kpi(&mut self, form: &mut Form, id: i64, kpi: Option<i64>) -> Result<(), ()> {
        let name = form.value("Name");
        if name.is_empty() {
            form.fail("Name", "a KPI needs a name");
            return Err(());
        }
        let (dates, today) = (self.date_format.clone(), self.today);
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
                let last = self
                    .detail
                    .as_ref()
                    .map_or(0, |d| d.kpis.len().saturating_sub(1));
                self.kpi_selected = last;
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

    /// Finishing the last step: successful unless said otherwise, and what
    /// was realised (optional; it can be edited later).
    pub(super) fn open_finish_form(&mut self, id: i64, plan: crate::domain::MovePlan) {
        let form = Form::new(
            FormKind::Finish { id, plan },
            format!("Finish #{id}"),
            vec![
                FormField::choice(
                    "Outcome",
                    &["successful", "unsuccessful"],
                    0,
                    "did it reach its targets? ←/→",
                ),
                FormField::long_text("Realised", ""),
            ],
        );
        self.mode = Mode::Form(form);
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
        self.mode = Mode::Confirm(super::state::Question::FollowUp { parent: id });
        Ok(())
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
            self.mode = Mode::Confirm(super::state::Question::FollowUp { parent: id });
        }
        Ok(())
    }

    /// Selects an initiative in the backlog, clearing a filter that hides it.
    pub(super) fn select_id(&mut self, id: i64) {
        let Some(at) = self.index_of(id) else {
            return;
        };
        if !self.view.contains(&at) && !self.filter_query.is_empty() {
            self.filter_query.clear();
            self.filter = Default::default();
            self.rebuild_view_at(Some(at));
        }
        if let Some(i) = self.view.iter().position(|&r| r == at) {
            self.selected = i;
            self.clamp_offset();
            let _ = self.load_detail();
        }
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
