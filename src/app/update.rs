//! The update function: one action in, the state changed in place.
//! Store errors never end the dashboard; they become a message in the footer.

use std::fmt::Display;

use super::action::Action;
use super::form::Form;
use super::input::TextInput;
use super::keymap::{Key, KeyCode, Place, Scope};
use super::mode::{Focus, Mode, Prompt, PromptKind, Question, Screen};
use super::state::{App, Effect, Flash};
use crate::domain::Status;
use crate::domain::filter::Filter;
use crate::domain::moves::{self, Direction, MovePlan};
use crate::store::ClosureCode;

impl App {
    /// Resolves a key in the current context and applies it. Returns whether
    /// anything changed (the caller redraws only then).
    pub fn handle_key(&mut self, key: Key) -> bool {
        match self.action_for(key) {
            Some(action) => {
                self.update(action);
                true
            }
            // An unbound key still clears a stale message.
            None => self.flash.take().is_some(),
        }
    }

    /// What `key` asks for where the user is now, by the keymap.
    pub fn action_for(&self, key: Key) -> Option<Action> {
        if key.ctrl && key.code == KeyCode::Char('c') {
            // As Esc does, a form with typed text asks before it is thrown
            // away; Ctrl-c again (at the question) quits.
            return Some(match &self.mode {
                Mode::Form(form) if form.is_dirty() => Action::Cancel,
                _ => Action::Quit,
            });
        }
        self.keymap.resolve(self.place(), key)
    }

    /// The first key of the binding `name` in `scope`, for messages that
    /// name a key.
    pub(super) fn key_named(&self, scope: Scope, name: &str) -> String {
        self.keymap.key_in(scope, name).unwrap_or_default()
    }

    /// The undo key, for messages after a write.
    fn undo_key(&self) -> String {
        self.key_named(Scope::Dashboard, "undo")
    }

    /// Where keys go now (the keymap's view of the mode and the screen).
    pub fn place(&self) -> Place {
        Place::of(&self.mode, &self.screen, self.focus, self.is_welcome())
    }

    pub fn update(&mut self, action: Action) {
        // Started with `App::start`: anything but a redraw at a size the
        // first page covers waits for the whole register.
        if self.loading.is_some()
            && match action {
                Action::Resize { backlog_rows } => backlog_rows > self.rows.len(),
                Action::DetailLimit(_) => false,
                _ => true,
            }
        {
            self.finish_loading_or_flash();
        }
        if !matches!(
            action,
            Action::Resize { .. }
                | Action::ExternalChange
                | Action::ClockTick
                | Action::DetailLimit(_)
        ) {
            self.flash = None;
        }
        self.now = self.clock.now();
        match action {
            Action::Quit => self.quit = true,
            Action::Resize { backlog_rows } => {
                self.page = backlog_rows.max(1);
                self.clamp_offset();
            }
            Action::DetailLimit(max) => {
                self.detail_limit = max;
                if let Screen::Detail { id, scroll } = self.screen {
                    self.screen = Screen::Detail {
                        id,
                        scroll: scroll.min(max),
                    };
                }
            }
            Action::ExternalChange => {
                if let Err(e) = self.reload() {
                    self.error("could not reload the register", e);
                } else {
                    self.notice_others();
                }
            }
            Action::ClockTick => {
                let today = self.clock.today();
                if today != self.today {
                    // A dashboard left open over midnight: due and overdue
                    // flags, ages, the metrics window and `is:overdue` move on.
                    self.today = today;
                    self.recompute_metrics();
                    let keep = self.selected_at();
                    self.rebuild_view_at(keep);
                } else if self.now - self.metrics.now() >= chrono::Duration::hours(1) {
                    // Ages and staleness move on with the clock; a write
                    // counts against the instant of the last full pass.
                    self.recompute_metrics();
                }
            }
            action if self.is_read_only() && action.writes() && self.mode == Mode::Normal => {
                self.refuse_read_only();
            }
            action => match self.mode.clone() {
                Mode::Normal => match self.screen {
                    Screen::Detail { id, scroll } => self.detail_screen(action, id, scroll),
                    Screen::Dashboard => self.normal(action),
                },
                Mode::Help { scroll } => self.help(action, scroll),
                Mode::Confirm(question) => self.answer(action, question),
                Mode::Prompt(prompt) => self.prompt(action, prompt),
                Mode::Filter(input) => self.filter_typing(action, input),
                Mode::Form(form) => self.form(action, form),
            },
        }
    }

    /// Checks whether another process changed the register and reloads if
    /// so. Cheap: one pragma read. Returns whether anything changed.
    pub fn poll_external(&mut self) -> bool {
        if self.loading.is_some() {
            // Reads the register again itself if it changed meanwhile.
            self.finish_loading_or_flash();
            return true;
        }
        self.store.follow();
        match self.store.data_version() {
            Ok(v) if v != self.data_version => {
                self.data_version = v;
                self.update(Action::ExternalChange);
                true
            }
            Ok(_) => false,
            Err(e) => {
                self.error("could not check the register for changes", e);
                true
            }
        }
    }

    /// The editor opened for a form field has closed.
    pub fn editor_closed(&mut self, result: Result<String, String>) {
        match (result, &mut self.mode) {
            (Ok(text), Mode::Form(form)) => {
                let focus = form.focus;
                form.set_text(focus, &text);
            }
            (Err(why), _) => self.fail(format!("editor: {why}")),
            _ => {}
        }
    }

    fn normal(&mut self, action: Action) {
        match action {
            Action::Up
            | Action::Down
            | Action::Top
            | Action::Bottom
            | Action::PageUp
            | Action::PageDown => self.navigate(action),
            Action::FocusNext => self.focus = self.focus.next(),
            Action::FocusPrev => self.focus = self.focus.prev(),
            Action::Open => self.open_detail(),
            Action::Filter => self.mode = Mode::Filter(input_with(&self.filter_query)),
            Action::Cancel if !self.filter_query.is_empty() => self.set_filter(String::new()),
            Action::Sort => {
                let keep = self.selected_at();
                self.sort = self.sort.next();
                self.rebuild_view_at(keep);
                self.info(format!("sorted by {}", self.sort.label()));
            }
            Action::Toggle => self.toggle(),
            Action::AddHere => self.add_here(),
            Action::EditHere => self.edit_here(),
            Action::RemoveHere => self.remove_here(),
            Action::ItemDown => self.shift_item(true),
            Action::StepBack => self.browse_step(false),
            Action::StepOn => self.browse_step(true),
            Action::ItemUp => self.shift_item(false),
            Action::LoadSample => self.load_sample(),
            Action::RemoveSample => self.ask_remove_sample(),
            Action::Click { pane, index } => self.click(pane, index),
            Action::Scroll { pane, down } => self.scroll(pane, down),
            Action::FilterStep(step) => self.filter_step(step),
            other => self.on_initiative(other),
        }
    }

    /// Actions that work the same on the dashboard and on the detail screen.
    fn on_initiative(&mut self, action: Action) {
        match action {
            Action::Help => self.mode = Mode::Help { scroll: 0 },
            Action::Forward => self.request_move(Direction::Forward),
            Action::Back => self.request_move(Direction::Back),
            Action::Add => self.open_add_form(None),
            Action::EditInitiative => self.open_edit_form(),
            Action::Note => self.open_note_form(),
            Action::Measure => self.open_measure_form(),
            Action::Hold => self.hold_or_resume(),
            Action::Close => self.open_close_form(),
            Action::CancelInitiative => self.prompt_cancel(),
            Action::Reopen => self.prompt_reopen(),
            Action::Delete => self.ask_about_selected(|id| Question::Delete { id }),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            _ => {}
        }
    }

    fn detail_screen(&mut self, action: Action, id: i64, scroll: u16) {
        let scroll = match action {
            Action::Cancel => {
                self.screen = Screen::Dashboard;
                self.detail_view = None;
                return;
            }
            Action::Down => scroll.saturating_add(1),
            Action::Up => scroll.saturating_sub(1),
            Action::Top => 0,
            Action::Bottom => self.detail_limit,
            Action::PageDown => scroll.saturating_add(self.page as u16),
            Action::PageUp => scroll.saturating_sub(self.page as u16),
            other => return self.on_initiative(other),
        };
        self.screen = Screen::Detail {
            id,
            scroll: scroll.min(self.detail_limit),
        };
    }

    fn open_detail(&mut self) {
        let Some(id) = self.selected_row().map(|r| r.id) else {
            return;
        };
        self.screen = Screen::Detail { id, scroll: 0 };
        self.reload_detail_view();
    }

    pub(super) fn navigate(&mut self, action: Action) {
        match self.focus {
            Focus::Backlog => {
                let last = self.view.len().saturating_sub(1);
                let page = self.page.max(1);
                let target = match action {
                    Action::Up => self.selected.saturating_sub(1),
                    Action::Down => (self.selected + 1).min(last),
                    Action::Top => 0,
                    Action::Bottom => last,
                    Action::PageUp => self.selected.saturating_sub(page),
                    Action::PageDown => (self.selected + page).min(last),
                    _ => self.selected,
                };
                if target != self.selected {
                    self.selected = target;
                    self.clamp_offset();
                    if let Err(e) = self.load_detail() {
                        self.error("could not load the initiative", e);
                    }
                }
            }
            Focus::Checklist => {
                let len = self.detail.as_ref().map_or(0, |d| d.checklist.len());
                self.checklist_selected = step_index(self.checklist_selected, len, &action);
            }
            Focus::Metrics => {
                let len = self.detail.as_ref().map_or(0, |d| d.kpis.len());
                self.kpi_selected = step_index(self.kpi_selected, len, &action);
            }
        }
    }

    fn help(&mut self, action: Action, scroll: u16) {
        self.mode = match action {
            Action::Cancel | Action::Help => Mode::Normal,
            Action::Down => Mode::Help {
                scroll: scroll.saturating_add(1).min(100),
            },
            Action::Up => Mode::Help {
                scroll: scroll.saturating_sub(1),
            },
            Action::PageDown => Mode::Help {
                scroll: scroll.saturating_add(10).min(100),
            },
            Action::PageUp => Mode::Help {
                scroll: scroll.saturating_sub(10),
            },
            Action::Top => Mode::Help { scroll: 0 },
            Action::Bottom => Mode::Help { scroll: 100 },
            _ => Mode::Help { scroll },
        };
    }

    pub(super) fn set_filter(&mut self, query: String) {
        let filter = Filter::parse(&query, &self.models);
        self.filter_query = query;
        self.apply_filter(filter);
        if let Err(e) = self.load_detail() {
            self.error("could not load the initiative", e);
        }
    }

    fn filter_typing(&mut self, action: Action, mut input: TextInput) {
        match action {
            Action::Edit(edit) => {
                input.apply(edit);
                let query = input.text().to_string();
                self.mode = Mode::Filter(input);
                self.set_filter(query);
            }
            Action::Confirm => {
                self.mode = Mode::Normal;
                // Kept with a term it did not understand: said once more,
                // now that the filter bar is gone.
                if let Some(problem) = self.filter.problems().first() {
                    self.fail(format!("filter: {problem}"));
                }
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                self.set_filter(String::new());
            }
            _ => {}
        }
    }

    fn ask_about_selected(&mut self, question: impl FnOnce(i64) -> Question) {
        if let Some(id) = self.selected_row().map(|r| r.id) {
            self.mode = Mode::Confirm(question(id));
        }
    }

    fn request_move(&mut self, direction: Direction) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let (id, step, status) = (row.id, row.step, row.status);
        let plan = match moves::plan_move(self.model_of(row), step, status, direction) {
            Ok(plan) => plan,
            Err(e) => return self.info(format!("#{id} {e}")),
        };
        match direction {
            Direction::Forward => {
                let open = self.detail.as_ref().filter(|d| d.id == id).map_or(0, |d| {
                    d.checklist.iter().filter(|i| !i.is_done()).count() as u32
                });
                if open > 0 {
                    self.mode = Mode::Confirm(Question::ForwardWithOpenItems { id, plan, open });
                } else {
                    self.apply_move(id, plan, None);
                }
            }
            Direction::Back => {
                self.mode = Mode::Prompt(Prompt {
                    kind: PromptKind::BackReason { id, plan },
                    input: TextInput::default(),
                });
            }
        }
    }

    fn answer(&mut self, action: Action, question: Question) {
        let yes = match action {
            Action::Confirm => true,
            Action::Cancel => false,
            _ => return,
        };
        self.mode = Mode::Normal;
        match question {
            Question::ForwardWithOpenItems { id, plan, .. } if yes => {
                self.apply_move(id, plan, None);
            }
            Question::ForwardWithOpenItems { id, .. } => self.info(format!("#{id} not moved")),
            Question::Delete { id } if yes => {
                let title = self.title_of(id);
                let now = self.now;
                if self
                    .commit(format!("delete #{id}"), Some(id), |rec| {
                        rec.delete_initiative(id, now)
                    })
                    .is_some()
                {
                    self.screen = Screen::Dashboard;
                    self.info(format!(
                        "deleted #{id} {title} ({} undoes)",
                        self.undo_key()
                    ));
                }
            }
            Question::FollowUp { parent } if yes => self.open_add_form(Some(parent)),
            Question::DiscardForm(form) if !yes => self.mode = Mode::Form(*form),
            Question::SaveAnyway { mut form, .. } if yes => {
                form.sure = true;
                if let Err(back) = self.submit(*form) {
                    self.mode = Mode::Form(*back);
                }
            }
            Question::SaveAnyway { mut form, .. } => {
                // Back to the number most likely mistyped, ready to retype.
                if form.fields.iter().any(|f| f.label == "Target") {
                    form.focus = form.index_of("Target");
                }
                form.arrived = true;
                self.mode = Mode::Form(*form);
            }
            Question::RemoveItem { item } if yes => {
                let (id, now) = (self.detail.as_ref().map(|d| d.id), self.now);
                if self
                    .commit("remove item", id, |rec| rec.remove_item(item, now))
                    .is_some()
                {
                    self.info(format!("item removed ({} undoes)", self.undo_key()));
                }
            }
            Question::RemoveSample if yes => self.remove_sample(),
            Question::RemoveKpi { kpi } if yes => {
                let (id, now) = (self.detail.as_ref().map(|d| d.id), self.now);
                if self
                    .commit("remove KPI", id, |rec| rec.delete_kpi(kpi, now))
                    .is_some()
                {
                    self.info(format!("KPI removed ({} undoes)", self.undo_key()));
                }
            }
            _ => {}
        }
    }

    fn prompt(&mut self, action: Action, mut prompt: Prompt) {
        match action {
            Action::Edit(edit) => {
                prompt.input.apply(edit);
                self.mode = Mode::Prompt(prompt);
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                match prompt.kind {
                    PromptKind::BackReason { id, .. } => self.info(format!("#{id} not moved")),
                    PromptKind::CancelReason { id } => self.info(format!("#{id} not cancelled")),
                    PromptKind::ReopenReason { id } => self.info(format!("#{id} not reopened")),
                    _ => {}
                }
            }
            Action::Confirm => {
                let text = prompt.input.text().trim().to_owned();
                let now = self.now;
                // Leave the prompt only once the write has landed, so a failed
                // write keeps what was typed.
                let done = match prompt.kind.clone() {
                    PromptKind::BackReason { id, plan } => {
                        self.apply_move(id, plan, Some(&text).filter(|r| !r.is_empty()))
                    }
                    PromptKind::CancelReason { id } => {
                        let ok = self
                            .commit(format!("cancel #{id}"), Some(id), |rec| {
                                rec.close(id, ClosureCode::Withdrawn, &text, now)
                            })
                            .is_some();
                        if ok {
                            self.info(format!("#{id} cancelled ({} undoes)", self.undo_key()));
                        }
                        ok
                    }
                    PromptKind::ReopenReason { id } => {
                        let ok = self
                            .commit(format!("reopen #{id}"), Some(id), |rec| {
                                rec.reopen(id, None, &text, now)
                            })
                            .is_some();
                        if ok {
                            self.info(format!(
                                "#{id} is active again ({} undoes)",
                                self.undo_key()
                            ));
                        }
                        ok
                    }
                    PromptKind::HoldReason { .. }
                    | PromptKind::AddItem { .. }
                    | PromptKind::RenameItem { .. }
                        if text.is_empty() =>
                    {
                        let esc = self.key_named(Scope::Prompt, "cancel");
                        self.fail(format!("type something first ({esc} cancels)"));
                        false
                    }
                    PromptKind::HoldReason { id } => {
                        let ok = self
                            .commit(format!("hold #{id}"), Some(id), |rec| {
                                rec.hold(id, &text, now)
                            })
                            .is_some();
                        if ok {
                            self.info(format!("#{id} on hold: {text}"));
                        }
                        ok
                    }
                    PromptKind::AddItem { id, step } => {
                        let ok = self
                            .commit("add item", Some(id), |rec| {
                                rec.add_item(id, step, &text, now)
                            })
                            .is_some();
                        if ok {
                            let last = self
                                .detail
                                .as_ref()
                                .map_or(0, |d| d.checklist.len().saturating_sub(1));
                            self.checklist_selected = last;
                        }
                        ok
                    }
                    PromptKind::RenameItem { item, before } => {
                        let id = self.detail.as_ref().map(|d| d.id);
                        self.commit("rename item", id, |rec| {
                            rec.rename_item(item, &before, &text, now)
                        })
                        .is_some()
                    }
                };
                self.mode = if done {
                    Mode::Normal
                } else {
                    Mode::Prompt(prompt)
                };
            }
            _ => self.mode = Mode::Prompt(prompt),
        }
    }

    fn form(&mut self, action: Action, mut form: Form) {
        match action {
            Action::Edit(edit) => form.edit(edit),
            Action::NextField => form.next(),
            Action::PrevField => form.prev(),
            Action::ExternalEditor => {
                self.effect = Some(Effect::EditText {
                    text: form.focused().input.text().to_string(),
                });
            }
            Action::Confirm if !form.is_last_field() && form.fields.len() > 1 => form.next(),
            Action::Confirm | Action::Save => {
                // The form stays open, with everything typed, until the
                // write lands.
                form.error = None;
                self.mode = Mode::Normal;
                if let Err(back) = self.submit(form) {
                    self.mode = Mode::Form(*back);
                }
                return;
            }
            Action::Cancel if form.is_dirty() => {
                self.mode = Mode::Confirm(Question::DiscardForm(Box::new(form)));
                return;
            }
            Action::Cancel => {
                self.mode = Mode::Normal;
                return;
            }
            _ => {}
        }
        self.mode = Mode::Form(form);
    }

    /// Writes a move and refreshes what it touched. Returns whether it landed.
    pub(super) fn apply_move(&mut self, id: i64, plan: MovePlan, reason: Option<&String>) -> bool {
        if let MovePlan::Complete { .. } = plan {
            // Finishing asks how it closed and what it realised first.
            self.open_finish_form(id, plan);
            return true;
        }
        let now = self.now;
        let label = format!("move #{id}");
        if self
            .commit(label, Some(id), |rec| {
                rec.apply_move(id, plan, reason.map(String::as_str), now)
            })
            .is_none()
        {
            return false;
        }
        // After a move the pane shows the step it is at now.
        self.checklist_step = None;
        if self.detail.as_ref().is_some_and(|d| d.id == id) {
            let _ = self.load_detail();
        }
        let model = self
            .row_by_id(id)
            .map_or(self.models.default_model(), |r| self.model_of(r));
        let (short, n) = (model.def(plan.to()).short.clone(), model.len());
        match plan {
            MovePlan::Complete { .. } => {
                let steps = crate::domain::text::count(n as u64, "step");
                self.info(format!("#{id} completed: all {steps} done"));
                // Improvement is continual: offer the next round.
                self.mode = Mode::Confirm(Question::FollowUp { parent: id });
            }
            MovePlan::Advance { to, .. } => {
                self.info(format!("#{id} moved forward to {short} ({to}/{n})"))
            }
            MovePlan::Return { to, .. } => {
                self.info(format!("#{id} moved back to {short} ({to}/{n})"))
            }
        }
        true
    }

    fn toggle(&mut self) {
        let Some(detail) = self.detail.as_ref() else {
            return;
        };
        let Some(item) = detail.checklist.get(self.checklist_selected).cloned() else {
            return;
        };
        let now = self.now;
        self.commit("tick", Some(detail.id), |rec| {
            rec.set_item_done(item.id, !item.is_done(), now)
        });
    }

    /// Shows the previous or next step's checklist in the checklist pane.
    fn browse_step(&mut self, on: bool) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let (id, current) = (row.id, row.step);
        let model = self.models.resolve(&row.model);
        let shown = self.detail.as_ref().map_or(current, |d| d.step);
        let next = if on {
            model.step(i64::from(shown.number()) + 1)
        } else {
            model.step(i64::from(shown.number()) - 1)
        };
        let Some(step) = next else {
            let end = if on { "last" } else { "first" };
            return self.info(format!("step {shown} is the model's {end}"));
        };
        self.checklist_step = (step != current).then_some((id, step));
        self.checklist_selected = 0;
        if let Err(e) = self.load_detail() {
            self.error("could not read the checklist", e);
        }
    }

    fn prompt_cancel(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let (id, status) = (row.id, row.status);
        if !status.is_open() {
            return self.info(format!("#{id} is already {status}"));
        }
        self.mode = Mode::Prompt(Prompt {
            kind: PromptKind::CancelReason { id },
            input: TextInput::default(),
        });
    }

    fn prompt_reopen(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let (id, status) = (row.id, row.status);
        if status.is_open() {
            return self.info(format!(
                "#{id} is {status}: only done or cancelled work reopens"
            ));
        }
        self.mode = Mode::Prompt(Prompt {
            kind: PromptKind::ReopenReason { id },
            input: TextInput::default(),
        });
    }

    fn hold_or_resume(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let (id, status) = (row.id, row.status);
        match status {
            Status::Active => {
                self.mode = Mode::Prompt(Prompt {
                    kind: PromptKind::HoldReason { id },
                    input: TextInput::default(),
                })
            }
            Status::OnHold => {
                let now = self.now;
                if self
                    .commit(format!("resume #{id}"), Some(id), |rec| rec.resume(id, now))
                    .is_some()
                {
                    self.info(format!("#{id} resumed"));
                }
            }
            other => self.info(format!("#{id} is {other}")),
        }
    }

    /// `+`: a checklist item in the checklist pane, a KPI in the metrics pane.
    fn add_here(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        // The step the checklist pane shows (browsed to, or its own).
        let step = self
            .detail
            .as_ref()
            .filter(|d| d.id == row.id)
            .map_or(row.step, |d| d.step);
        let id = row.id;
        match self.focus {
            Focus::Checklist => self.prompt_for(PromptKind::AddItem { id, step }, ""),
            Focus::Metrics => self.open_kpi_form(None),
            Focus::Backlog => {}
        }
    }

    fn edit_here(&mut self) {
        let Some(detail) = self.detail.as_ref() else {
            return;
        };
        match self.focus {
            Focus::Checklist => {
                if let Some(item) = detail.checklist.get(self.checklist_selected) {
                    let (item, before) = (item.id, item.text.clone());
                    self.prompt_for(
                        PromptKind::RenameItem {
                            item,
                            before: before.clone(),
                        },
                        &before,
                    );
                }
            }
            Focus::Metrics => {
                if let Some(kpi) = detail.kpis.get(self.kpi_selected).map(|k| k.id) {
                    self.open_kpi_form(Some(kpi));
                }
            }
            Focus::Backlog => {}
        }
    }

    fn remove_here(&mut self) {
        let Some(detail) = self.detail.as_ref() else {
            return;
        };
        let question = match self.focus {
            Focus::Checklist => detail
                .checklist
                .get(self.checklist_selected)
                .map(|i| Question::RemoveItem { item: i.id }),
            Focus::Metrics => detail
                .kpis
                .get(self.kpi_selected)
                .map(|k| Question::RemoveKpi { kpi: k.id }),
            Focus::Backlog => None,
        };
        if let Some(q) = question {
            self.mode = Mode::Confirm(q);
        }
    }

    fn shift_item(&mut self, down: bool) {
        let Some(detail) = self.detail.as_ref() else {
            return;
        };
        let i = self.checklist_selected;
        let j = if down { i + 1 } else { i.wrapping_sub(1) };
        let (Some(a), Some(b)) = (detail.checklist.get(i), detail.checklist.get(j)) else {
            return;
        };
        let (a, b, id, now) = (a.id, b.id, detail.id, self.now);
        if self
            .commit("reorder items", Some(id), |rec| rec.swap_items(a, b, now))
            .is_some()
        {
            self.checklist_selected = j;
        }
    }

    fn prompt_for(&mut self, kind: PromptKind, text: &str) {
        self.mode = Mode::Prompt(Prompt {
            kind,
            input: input_with(text),
        });
    }

    pub(super) fn title_of(&self, id: i64) -> String {
        self.row_by_id(id)
            .map(|r| r.title.clone())
            .unwrap_or_default()
    }

    pub(super) fn info(&mut self, text: String) {
        self.flash = Some(Flash { text, error: false });
    }

    /// What was done, and a warning about it if there is one (a due date
    /// already past): the save stands, the footer says both.
    pub(super) fn info_warned(&mut self, text: String, warning: Option<String>) {
        match warning {
            Some(w) => self.info(format!("{text}; warning: {w}")),
            None => self.info(text),
        }
    }

    pub(super) fn fail(&mut self, text: String) {
        self.flash = Some(Flash { text, error: true });
    }

    /// Says in the footer that nothing can be changed, and why.
    pub(super) fn refuse_read_only(&mut self) {
        let why = self.read_only.as_deref().unwrap_or("read-only");
        self.fail(format!("read-only: {why}; nothing can be changed"));
    }

    pub(super) fn error(&mut self, what: &str, e: impl Display) {
        self.fail(format!("{what}: {e}"));
    }
}

fn input_with(text: &str) -> TextInput {
    let mut input = TextInput::default();
    input.apply(super::input::Edit::Paste(text.to_string()));
    input
}

fn step_index(current: usize, len: usize, action: &Action) -> usize {
    let last = len.saturating_sub(1);
    match action {
        Action::Up => current.saturating_sub(1),
        Action::Down => (current + 1).min(last),
        Action::Top | Action::PageUp => 0,
        Action::Bottom | Action::PageDown => last,
        _ => current,
    }
}
