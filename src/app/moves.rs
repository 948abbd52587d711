//! Moving the selected initiative: forward and back through its model's
//! steps, on hold and back, cancelled, reopened.

use super::input::TextInput;
use super::mode::{Mode, Prompt, PromptKind, Question};
use super::state::App;
use crate::domain::Status;
use crate::domain::moves::{self, Direction, MovePlan};

impl App {
    pub(super) fn request_move(&mut self, direction: Direction) {
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
                let open = self.detail().filter(|d| d.id == id).map_or(0, |d| {
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
        self.panes.forget_browsed();
        if self.panes.shown_id() == Some(id) {
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

    pub(super) fn hold_or_resume(&mut self) {
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

    pub(super) fn prompt_cancel(&mut self) {
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

    pub(super) fn prompt_reopen(&mut self) {
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
}
