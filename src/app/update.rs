//! The update function: one action in, the state changed in place.
//! Store errors never end the dashboard; they become a message in the footer.

use std::fmt::Display;

use super::action::Action;
use super::input::TextInput;
use super::keymap::{self, Key};
use super::state::{App, Flash, Focus, Mode, Prompt, PromptKind, Question};
use crate::domain::moves::{self, Direction, MovePlan};
use crate::store::{WriteError, demo};

impl App {
    /// Resolves a key in the current context and applies it. Returns whether
    /// anything changed (the caller redraws only then).
    pub fn handle_key(&mut self, key: Key) -> bool {
        match keymap::resolve(&self.mode, self.focus, self.is_welcome(), key) {
            Some(action) => {
                self.update(action);
                true
            }
            // An unbound key still clears a stale message.
            None => self.flash.take().is_some(),
        }
    }

    pub fn update(&mut self, action: Action) {
        if !matches!(
            action,
            Action::Resize { .. } | Action::ExternalChange | Action::ClockTick
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
            Action::ExternalChange => {
                if let Err(e) = self.reload() {
                    self.error("could not reload the register", e);
                }
            }
            Action::ClockTick => {
                let today = self.clock.today();
                if today != self.today {
                    self.today = today;
                    self.recompute_metrics();
                }
            }
            action => match self.mode.clone() {
                Mode::Normal => self.normal(action),
                Mode::Help { scroll } => self.help(action, scroll),
                Mode::Confirm(question) => self.answer(action, question),
                Mode::Prompt(prompt) => self.prompt(action, prompt),
            },
        }
    }

    /// Checks whether another process changed the register and reloads if
    /// so. Cheap: one pragma read. Returns whether anything changed.
    pub fn poll_external(&mut self) -> bool {
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
            Action::Help => self.mode = Mode::Help { scroll: 0 },
            Action::Forward => self.request_move(Direction::Forward),
            Action::Back => self.request_move(Direction::Back),
            Action::Toggle => self.toggle(),
            Action::LoadSample => self.load_sample(),
            _ => {}
        }
    }

    fn navigate(&mut self, action: Action) {
        match self.focus {
            Focus::Backlog => {
                let last = self.rows.len().saturating_sub(1);
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
                let last = len.saturating_sub(1);
                self.checklist_selected = match action {
                    Action::Up => self.checklist_selected.saturating_sub(1),
                    Action::Down => (self.checklist_selected + 1).min(last),
                    Action::Top | Action::PageUp => 0,
                    Action::Bottom | Action::PageDown => last,
                    _ => self.checklist_selected,
                };
            }
            Focus::Metrics => {
                self.metrics_scroll = match action {
                    Action::Up => self.metrics_scroll.saturating_sub(1),
                    Action::Down => self.metrics_scroll.saturating_add(1).min(200),
                    Action::Top | Action::PageUp => 0,
                    Action::Bottom | Action::PageDown => {
                        self.metrics_scroll.saturating_add(10).min(200)
                    }
                    _ => self.metrics_scroll,
                };
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
            _ => Mode::Help { scroll },
        };
    }

    fn request_move(&mut self, direction: Direction) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let (id, step, status) = (row.id, row.step, row.status);
        let plan = match moves::plan_move(&self.model, step, status, direction) {
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
        match (action, question) {
            (Action::Confirm, Question::ForwardWithOpenItems { id, plan, .. }) => {
                self.mode = Mode::Normal;
                self.apply_move(id, plan, None);
            }
            (Action::Cancel, Question::ForwardWithOpenItems { id, .. }) => {
                self.mode = Mode::Normal;
                self.info(format!("#{id} not moved"));
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
                let PromptKind::BackReason { id, .. } = prompt.kind;
                self.info(format!("#{id} not moved"));
            }
            Action::Confirm => {
                let PromptKind::BackReason { id, plan } = prompt.kind;
                let reason = prompt.input.text().trim().to_owned();
                // Leave the prompt only once the write has landed, so a failed
                // write keeps what was typed.
                if self.apply_move(id, plan, Some(&reason).filter(|r| !r.is_empty())) {
                    self.mode = Mode::Normal;
                }
            }
            _ => {}
        }
    }

    /// Writes a move and refreshes what it touched. Returns whether it landed.
    fn apply_move(&mut self, id: i64, plan: MovePlan, reason: Option<&String>) -> bool {
        match self
            .store
            .apply_move(id, plan, reason.map(String::as_str), self.now)
        {
            Ok(()) => {
                self.refresh_row(id);
                let def = self.model.def(plan.to());
                let n = self.model.len();
                self.info(match plan {
                    MovePlan::Complete { .. } => format!("#{id} completed: all {n} steps done"),
                    MovePlan::Advance { to, .. } => {
                        format!("#{id} moved forward to {} ({to}/{n})", def.short)
                    }
                    MovePlan::Return { to, .. } => {
                        format!("#{id} moved back to {} ({to}/{n})", def.short)
                    }
                });
                true
            }
            Err(WriteError::Stale(what)) => {
                let _ = self.reload();
                self.mode = Mode::Normal;
                self.fail(format!(
                    "{what} was changed elsewhere; reloaded, nothing written"
                ));
                false
            }
            Err(e) => {
                self.error("move not saved", e);
                false
            }
        }
    }

    fn toggle(&mut self) {
        let Some(item) = self
            .detail
            .as_ref()
            .and_then(|d| d.checklist.get(self.checklist_selected))
            .cloned()
        else {
            return;
        };
        let Some(id) = self.detail.as_ref().map(|d| d.id) else {
            return;
        };
        match self.store.set_item_done(item.id, !item.is_done(), self.now) {
            Ok(()) => self.refresh_row(id),
            Err(WriteError::Stale(_)) => {
                let _ = self.reload();
                self.fail("that item was removed elsewhere; reloaded".to_string());
            }
            Err(e) => self.error("checklist not saved", e),
        }
    }

    /// Re-reads one initiative after our own write. The row keeps its place
    /// in the backlog so the selection does not jump.
    fn refresh_row(&mut self, id: i64) {
        match self.store.backlog_row(&self.model, id) {
            Ok(Some(row)) => {
                if let Some(slot) = self.rows.iter_mut().find(|r| r.id == id) {
                    *slot = row;
                }
                self.recompute_metrics();
                if let Err(e) = self.load_detail() {
                    self.error("could not load the initiative", e);
                }
            }
            Ok(None) => {
                let _ = self.reload();
            }
            Err(e) => self.error("could not read the initiative back", e),
        }
    }

    fn load_sample(&mut self) {
        if !self.rows.is_empty() {
            return;
        }
        let result = demo::load_sample(&mut self.store, &self.model, self.now);
        match result {
            Ok(summary) => match self.reload() {
                Ok(()) => self.info(format!(
                    "Loaded the sample register: {} initiatives, {} goals. Press ? for keys.",
                    summary.initiatives, summary.goals
                )),
                Err(e) => self.error("could not load the register", e),
            },
            Err(e) => self.error("could not write the sample register", e),
        }
    }

    fn info(&mut self, text: String) {
        self.flash = Some(Flash { text, error: false });
    }

    fn fail(&mut self, text: String) {
        self.flash = Some(Flash { text, error: true });
    }

    fn error(&mut self, what: &str, e: impl Display) {
        self.fail(format!("{what}: {e}"));
    }
}
