//! Opening forms with the right fields (saving them is `saves`).

use chrono::NaiveDate;

use super::form::{Form, FormField, FormKind};
use super::keymap::Scope;
use super::mode::Mode;
use super::state::App;
use crate::domain::detail::NoteKind;
use crate::domain::{Effort, KpiDirection};
use crate::store::ClosureCode;

const PRIORITIES: [&str; 5] = ["1", "2", "3", "4", "5"];
const EFFORTS: [&str; 4] = ["S", "M", "L", "XL"];
pub(super) const AREAS: [&str; 4] = ["(none)", "people", "process", "technology"];
const NO_GOAL: &str = "(none)";

/// What the date fields say they take.
const DATE_HINT: &str = "YYYY-MM-DD, today, +3d, +2w, friday";

pub(super) fn num_text(v: f64) -> String {
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
        if detail.status == crate::domain::Status::Done {
            // What it realised can be told better later.
            let realised = detail.realised.clone().unwrap_or_default();
            form.fields
                .push(FormField::long_text("Realised", &realised));
            form.loaded.push(realised);
        }
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
        let Some(detail) = self.panes.detail() else {
            return;
        };
        let id = detail.id;
        if detail.kpis.is_empty() {
            let (pane, add) = (
                self.key_named(Scope::Panes, "next_pane"),
                self.key_named(Scope::Metrics, "add_here"),
            );
            return self.info(format!(
                "#{id} has no KPIs yet: {pane} to the metrics pane and press {add} to add one"
            ));
        }
        let names: Vec<&str> = detail.kpis.iter().map(|k| k.name.as_str()).collect();
        let kpis = detail.kpis.iter().map(|k| k.id).collect();
        let selected = self.panes.kpi_selected().min(names.len() - 1);
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
        let Some(detail) = self.panes.detail() else {
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

    /// Selects an initiative in the backlog, clearing a filter that hides it.
    pub(super) fn select_id(&mut self, id: i64) {
        let Some(at) = self.index_of(id) else {
            return;
        };
        if !self.backlog.select_at(at) {
            if self.filter_query().is_empty() {
                return;
            }
            // Every row shown again, the selection on it.
            self.clear_filter(Some(at));
        }
        let _ = self.load_detail();
    }
}
