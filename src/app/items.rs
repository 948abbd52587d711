//! Keys that act in the focused side pane on the selected initiative's
//! checklist items and KPIs: tick, add, rename, remove, reorder, and browse
//! another step's checklist.

use super::mode::{Focus, Mode, PromptKind, Question};
use super::state::App;

impl App {
    pub(super) fn toggle(&mut self) {
        let (Some(id), Some(item)) = (self.panes.shown_id(), self.panes.item().cloned()) else {
            return;
        };
        let now = self.now;
        self.commit("tick", Some(id), |rec| {
            rec.set_item_done(item.id, !item.is_done(), now)
        });
    }

    /// Shows the previous or next step's checklist in the checklist pane.
    pub(super) fn browse_step(&mut self, on: bool) {
        let Some(row) = self.selected_row() else {
            return;
        };
        let (id, current) = (row.id, row.step);
        let model = self.models.resolve(&row.model);
        let shown = self.detail().map_or(current, |d| d.step);
        let next = if on {
            model.step(i64::from(shown.number()) + 1)
        } else {
            model.step(i64::from(shown.number()) - 1)
        };
        let Some(step) = next else {
            let end = if on { "last" } else { "first" };
            return self.info(format!("step {shown} is the model's {end}"));
        };
        self.panes.browse(id, step, current);
        if let Err(e) = self.load_detail() {
            self.error("could not read the checklist", e);
        }
    }

    /// `+`: a checklist item in the checklist pane, a KPI in the metrics pane.
    pub(super) fn add_here(&mut self) {
        let Some(row) = self.selected_row() else {
            return;
        };
        // The step the checklist pane shows (browsed to, or its own).
        let step = self
            .detail()
            .filter(|d| d.id == row.id)
            .map_or(row.step, |d| d.step);
        let id = row.id;
        match self.focus {
            Focus::Checklist => self.prompt_for(PromptKind::AddItem { id, step }, ""),
            Focus::Metrics => self.open_kpi_form(None),
            Focus::Backlog => {}
        }
    }

    pub(super) fn edit_here(&mut self) {
        match self.focus {
            Focus::Checklist => {
                if let Some(item) = self.panes.item() {
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
                if let Some(kpi) = self.panes.kpi().map(|k| k.id) {
                    self.open_kpi_form(Some(kpi));
                }
            }
            Focus::Backlog => {}
        }
    }

    pub(super) fn remove_here(&mut self) {
        let question = match self.focus {
            Focus::Checklist => self
                .panes
                .item()
                .map(|i| Question::RemoveItem { item: i.id }),
            Focus::Metrics => self.panes.kpi().map(|k| Question::RemoveKpi { kpi: k.id }),
            Focus::Backlog => None,
        };
        if let Some(q) = question {
            self.mode = Mode::Confirm(q);
        }
    }

    pub(super) fn shift_item(&mut self, down: bool) {
        let Some(detail) = self.panes.detail() else {
            return;
        };
        let i = self.panes.checklist_selected();
        let j = if down { i + 1 } else { i.wrapping_sub(1) };
        let (Some(a), Some(b)) = (detail.checklist.get(i), detail.checklist.get(j)) else {
            return;
        };
        let (a, b, id, now) = (a.id, b.id, detail.id, self.now);
        if self
            .commit("reorder items", Some(id), |rec| rec.swap_items(a, b, now))
            .is_some()
        {
            self.panes.select_item(j);
        }
    }
}
