//! Answering the dialogs: a yes/no question, a one-line prompt, and the
//! keys of an open form. A write asked for lands only once answered.

use super::action::Action;
use super::form::Form;
use super::keymap::Scope;
use super::mode::{Mode, Prompt, PromptKind, Question, Screen};
use super::state::{App, Effect};
use super::update::input_with;
use crate::store::ClosureCode;

impl App {
    pub(super) fn ask_about_selected(&mut self, question: impl FnOnce(i64) -> Question) {
        if let Some(id) = self.selected_row().map(|r| r.id) {
            self.mode = Mode::Confirm(question(id));
        }
    }

    pub(super) fn answer(&mut self, action: Action, question: Question) {
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
                let (id, now) = (self.panes.shown_id(), self.now);
                if self
                    .commit("remove item", id, |rec| rec.remove_item(item, now))
                    .is_some()
                {
                    self.info(format!("item removed ({} undoes)", self.undo_key()));
                }
            }
            Question::RemoveSample if yes => self.remove_sample(),
            Question::RemoveKpi { kpi } if yes => {
                let (id, now) = (self.panes.shown_id(), self.now);
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

    pub(super) fn prompt(&mut self, action: Action, mut prompt: Prompt) {
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
                            self.panes.select_last_item();
                        }
                        ok
                    }
                    PromptKind::RenameItem { item, before } => {
                        let id = self.panes.shown_id();
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

    pub(super) fn prompt_for(&mut self, kind: PromptKind, text: &str) {
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

    pub(super) fn form(&mut self, action: Action, mut form: Form) {
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
}
