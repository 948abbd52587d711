//! The panes beside the backlog: the selected initiative's checklist (of
//! its own step, or one the user browsed to) and KPIs, and the cursor in
//! each. Filled from the store by `App::load_detail`; everything else here
//! is plain state, tested on its own.

use super::action::Action;
use super::mode::Focus;
use crate::domain::{ChecklistItem, Kpi, Model, Step};

/// The selected initiative's details, loaded when the selection changes.
#[derive(Debug, Clone)]
pub struct Selected {
    pub id: i64,
    /// The step whose checklist is shown: the initiative's own, or one the
    /// user browsed to.
    pub step: Step,
    pub checklist: Vec<ChecklistItem>,
    pub kpis: Vec<Kpi>,
}

#[derive(Debug, Default)]
pub(super) struct Panes {
    detail: Option<Selected>,
    checklist_selected: usize,
    /// The step the checklist pane shows for an initiative, when the user
    /// browsed away from its current one (`[` / `]`).
    checklist_step: Option<(i64, Step)>,
    kpi_selected: usize,
}

impl Panes {
    pub(super) fn detail(&self) -> Option<&Selected> {
        self.detail.as_ref()
    }
    /// The initiative the panes show.
    pub(super) fn shown_id(&self) -> Option<i64> {
        self.detail.as_ref().map(|d| d.id)
    }
    pub(super) fn checklist_selected(&self) -> usize {
        self.checklist_selected
    }
    pub(super) fn kpi_selected(&self) -> usize {
        self.kpi_selected
    }
    /// The checklist item under the cursor.
    pub(super) fn item(&self) -> Option<&ChecklistItem> {
        self.detail.as_ref()?.checklist.get(self.checklist_selected)
    }
    /// The KPI under the cursor.
    pub(super) fn kpi(&self) -> Option<&Kpi> {
        self.detail.as_ref()?.kpis.get(self.kpi_selected)
    }

    /// The step whose checklist to show for initiative `id`, at step `own`
    /// of `model`: the one browsed to, if it still exists in the model.
    pub(super) fn step_for(&self, id: i64, own: Step, model: &Model) -> Step {
        match self.checklist_step {
            Some((browsed, step))
                if browsed == id && model.step(step.number().into()).is_some() =>
            {
                step
            }
            _ => own,
        }
    }

    /// Shows freshly read details. The cursors start at the top for another
    /// initiative or step, and stay (within the lists) for the same one.
    pub(super) fn show(&mut self, selected: Selected) {
        let same = self
            .detail
            .as_ref()
            .is_some_and(|d| d.id == selected.id && d.step == selected.step);
        if !same {
            self.checklist_selected = 0;
            self.kpi_selected = 0;
        }
        self.checklist_selected = self
            .checklist_selected
            .min(selected.checklist.len().saturating_sub(1));
        self.kpi_selected = self.kpi_selected.min(selected.kpis.len().saturating_sub(1));
        self.detail = Some(selected);
    }

    /// Nothing selected: nothing to show.
    pub(super) fn clear(&mut self) {
        self.detail = None;
    }

    /// Shows `step`'s checklist for initiative `id` (at step `own`) from the
    /// next load on.
    pub(super) fn browse(&mut self, id: i64, step: Step, own: Step) {
        self.checklist_step = (step != own).then_some((id, step));
        self.checklist_selected = 0;
    }

    /// After a move the checklist pane shows the step the initiative is at.
    pub(super) fn forget_browsed(&mut self) {
        self.checklist_step = None;
    }

    /// Moves the cursor of the checklist or the metrics pane.
    pub(super) fn navigate(&mut self, pane: Focus, action: &Action) {
        match pane {
            Focus::Checklist => {
                let len = self.detail.as_ref().map_or(0, |d| d.checklist.len());
                self.checklist_selected = step_index(self.checklist_selected, len, action);
            }
            Focus::Metrics => {
                let len = self.detail.as_ref().map_or(0, |d| d.kpis.len());
                self.kpi_selected = step_index(self.kpi_selected, len, action);
            }
            Focus::Backlog => {}
        }
    }

    /// Puts the cursor of the checklist or the metrics pane on `index`, if
    /// there is such an entry.
    pub(super) fn click(&mut self, pane: Focus, index: usize) {
        match pane {
            Focus::Checklist if index < self.detail.as_ref().map_or(0, |d| d.checklist.len()) => {
                self.checklist_selected = index;
            }
            Focus::Metrics if index < self.detail.as_ref().map_or(0, |d| d.kpis.len()) => {
                self.kpi_selected = index;
            }
            _ => {}
        }
    }

    /// The cursor on checklist item `index` (after adding or moving one;
    /// the next load keeps it within the list).
    pub(super) fn select_item(&mut self, index: usize) {
        self.checklist_selected = index;
    }

    /// The cursor on the last checklist item shown.
    pub(super) fn select_last_item(&mut self) {
        self.checklist_selected = self
            .detail
            .as_ref()
            .map_or(0, |d| d.checklist.len().saturating_sub(1));
    }

    /// The cursor on the last KPI shown.
    pub(super) fn select_last_kpi(&mut self) {
        self.kpi_selected = self
            .detail
            .as_ref()
            .map_or(0, |d| d.kpis.len().saturating_sub(1));
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::KpiDirection;

    fn selected(id: i64, step: i64, items: usize, kpis: usize) -> Selected {
        let m = Model::itil4();
        let step = m.step(step).unwrap();
        Selected {
            id,
            step,
            checklist: (0..items)
                .map(|i| ChecklistItem {
                    id: i as i64 + 1,
                    step,
                    position: i as i64,
                    text: format!("item {i}"),
                    done_at: None,
                })
                .collect(),
            kpis: (0..kpis)
                .map(|i| Kpi {
                    id: i as i64 + 1,
                    name: format!("kpi {i}"),
                    unit: String::new(),
                    direction: KpiDirection::HigherIsBetter,
                    baseline: None,
                    target: None,
                    measurements: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn the_cursors_stay_for_the_same_initiative_and_reset_for_another() {
        let mut p = Panes::default();
        p.show(selected(1, 2, 5, 3));
        p.navigate(Focus::Checklist, &Action::Bottom);
        p.navigate(Focus::Metrics, &Action::Down);
        assert_eq!((p.checklist_selected(), p.kpi_selected()), (4, 1));
        // Read again after a write, one item fewer: the cursor stays, within.
        p.show(selected(1, 2, 4, 3));
        assert_eq!((p.checklist_selected(), p.kpi_selected()), (3, 1));
        assert_eq!(p.item().unwrap().text, "item 3");
        assert_eq!(p.kpi().unwrap().name, "kpi 1");
        p.show(selected(2, 2, 4, 3));
        assert_eq!((p.checklist_selected(), p.kpi_selected()), (0, 0));
        p.clear();
        assert!(p.item().is_none() && p.shown_id().is_none());
    }

    #[test]
    fn moving_and_clicking_stay_within_the_lists() {
        let mut p = Panes::default();
        p.show(selected(1, 1, 3, 2));
        p.navigate(Focus::Checklist, &Action::PageDown);
        assert_eq!(p.checklist_selected(), 2);
        p.navigate(Focus::Checklist, &Action::Down);
        assert_eq!(p.checklist_selected(), 2);
        p.navigate(Focus::Checklist, &Action::PageUp);
        assert_eq!(p.checklist_selected(), 0);
        p.click(Focus::Metrics, 5);
        assert_eq!(p.kpi_selected(), 0, "no sixth KPI");
        p.click(Focus::Metrics, 1);
        assert_eq!(p.kpi_selected(), 1);
        p.click(Focus::Checklist, 2);
        assert_eq!(p.checklist_selected(), 2);
        p.select_last_kpi();
        p.select_item(0);
        assert_eq!((p.checklist_selected(), p.kpi_selected()), (0, 1));
        p.select_last_item();
        assert_eq!(p.checklist_selected(), 2);
    }

    #[test]
    fn a_browsed_step_is_shown_for_its_initiative_only_until_a_move() {
        let m = Model::itil4();
        let (own, other) = (m.step(2).unwrap(), m.step(4).unwrap());
        let mut p = Panes::default();
        p.browse(7, other, own);
        assert_eq!(p.step_for(7, own, &m), other);
        assert_eq!(p.step_for(8, own, &m), own, "another initiative");
        p.browse(7, own, own);
        assert_eq!(p.step_for(7, own, &m), own, "back at its own step");
        p.browse(7, other, own);
        p.forget_browsed();
        assert_eq!(p.step_for(7, own, &m), own);
    }
}
