//! What the mouse does, once the terminal layer has placed a click or a
//! wheel turn on a pane, a row or a step (see `ui::hit`).

use super::action::Action;
use super::mode::Focus;
use super::state::App;

/// Backlog rows per wheel notch; the other panes move one item.
const BACKLOG_NOTCH: usize = 3;

impl App {
    /// Focuses the pane and selects the row or item clicked.
    pub(super) fn click(&mut self, pane: Focus, index: Option<usize>) {
        self.focus = pane;
        let Some(index) = index else { return };
        match pane {
            Focus::Backlog => {
                if self.backlog.select(index)
                    && let Err(e) = self.load_detail()
                {
                    self.error("could not load the initiative", e);
                }
            }
            pane => self.panes.click(pane, index),
        }
    }

    /// Focuses the pane under the wheel and moves through it.
    pub(super) fn scroll(&mut self, pane: Focus, down: bool) {
        self.focus = pane;
        let step = if down { Action::Down } else { Action::Up };
        let notch = if pane == Focus::Backlog {
            BACKLOG_NOTCH
        } else {
            1
        };
        for _ in 0..notch {
            self.navigate(step.clone());
        }
    }

    /// Filters the backlog to one step of the model the header shows (its
    /// steps are the selected initiative's model's); the same click again
    /// clears that filter.
    pub(super) fn filter_step(&mut self, index: usize) {
        let model = self.model();
        if index >= model.len() {
            return;
        }
        let mut query = format!("step:{}", index + 1);
        if model.id != self.models.default_model().id {
            query = format!("{query} model:{}", model.id);
        }
        if self.filter_query() == query {
            query.clear();
        }
        self.set_filter(query);
    }
}
