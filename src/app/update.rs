//! The update function: one action in, the state changed in place. Here
//! an action is routed by where the user is (the dashboard, the detail
//! screen, a dialog); what it then does lives with its job (`moves`,
//! `items`, `dialogs`, `forms`, `writes`, `undo`).
//! Store errors never end the dashboard; they become a message in the footer.

use super::action::Action;
use super::input::TextInput;
use super::keymap::{Key, KeyCode, Place, Scope};
use super::mode::{Focus, Mode, Question, Screen};
use super::state::App;
use crate::domain::filter::Filter;
use crate::domain::moves::Direction;

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
    pub(super) fn undo_key(&self) -> String {
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
                Action::Resize { backlog_rows } => backlog_rows > self.rows().len(),
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
                let shown = self.visible_len();
                self.backlog.set_page(backlog_rows, shown);
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
            Action::Filter => self.mode = Mode::Filter(input_with(self.filter_query())),
            Action::Cancel if !self.filter_query().is_empty() => self.set_filter(String::new()),
            Action::Sort => {
                self.next_sort();
                self.info(format!("sorted by {}", self.sort().label()));
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
            Action::PageDown => scroll.saturating_add(self.backlog.page() as u16),
            Action::PageUp => scroll.saturating_sub(self.backlog.page() as u16),
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
                if self.backlog.navigate(&action)
                    && let Err(e) = self.load_detail()
                {
                    self.error("could not load the initiative", e);
                }
            }
            pane => self.panes.navigate(pane, &action),
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
        self.apply_filter(query, filter);
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
                if let Some(problem) = self.filter_problems().first() {
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
}

pub(super) fn input_with(text: &str) -> TextInput {
    let mut input = TextInput::default();
    input.apply(super::input::Edit::Paste(text.to_string()));
    input
}
