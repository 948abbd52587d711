//! The checklist pane alone.

use super::{draw, now, rows};
use crate::domain::{BacklogRow, ChecklistItem, Model};
use crate::ui::Theme;
use crate::ui::checklist::{Checklist, ChecklistPane};

/// The step's items from the model, the first `done` of them ticked.
fn items(model: &Model, row: &BacklogRow, done: usize) -> Vec<ChecklistItem> {
    model
        .def(row.step)
        .checklist
        .iter()
        .enumerate()
        .map(|(i, text)| ChecklistItem {
            id: i as i64 + 1,
            step: row.step,
            position: i as i64,
            text: text.clone(),
            done_at: (i < done).then(now),
        })
        .collect()
}

/// The pane of `row` at its own step.
fn own<'a>(
    model: &'a Model,
    row: &'a BacklogRow,
    items: &'a [ChecklistItem],
    selected: usize,
) -> Checklist<'a> {
    Checklist {
        row,
        model,
        step: row.step,
        items,
        selected,
        browse: "[ ]".into(),
    }
}

fn pane(c: Option<&Checklist>, focused: bool, w: u16, h: u16) -> String {
    draw(ChecklistPane::new(c, &Theme::color(), focused), w, h)
}

#[test]
fn checklist_80x24() {
    let model = Model::itil4();
    let rows = rows(&model);
    let items = items(&model, &rows[0], 4);
    let c = own(&model, &rows[0], &items, 4);
    insta::assert_snapshot!(pane(Some(&c), true, 80, 24));
}

#[test]
fn checklist_120x40() {
    let model = Model::itil4();
    let rows = rows(&model);
    let items = items(&model, &rows[2], 1);
    let c = own(&model, &rows[2], &items, 0);
    insta::assert_snapshot!(pane(Some(&c), false, 120, 40));
}

/// As wide as at 80x24 on the dashboard: items that do not all fit wrapped
/// get one line each, the focused one whole.
#[test]
fn checklist_dashboard_size_34x11() {
    let model = Model::itil4();
    let rows = rows(&model);
    let items = items(&model, &rows[0], 2);
    let c = own(&model, &rows[0], &items, 2);
    insta::assert_snapshot!(pane(Some(&c), true, 34, 11));
}

/// Too short for a wrapped question: one line, cut; a step browsed to and
/// an initiative that failed say so in the title.
#[test]
fn checklist_short_browsed_unsuccessful_40x5() {
    let model = Model::itil4();
    let rows = rows(&model);
    let row = &rows[10];
    let browsed = model.step(3).unwrap();
    let items: Vec<ChecklistItem> = items(&model, row, 0)
        .into_iter()
        .map(|i| ChecklistItem { step: browsed, ..i })
        .collect();
    let c = Checklist {
        row,
        model: &model,
        step: browsed,
        items: &items,
        selected: 0,
        browse: "[ ]".into(),
    };
    insta::assert_snapshot!(pane(Some(&c), false, 40, 5));
}

#[test]
fn checklist_nothing_selected_34x11() {
    insta::assert_snapshot!(pane(None, false, 34, 11));
}

/// A focused item wrapped taller than the list is cut to one line like the
/// others: it used to leave the list blank.
#[test]
fn checklist_focused_item_taller_than_the_list_34x6() {
    let model = Model::itil4();
    let rows = rows(&model);
    let items = items(&model, &rows[10], 0);
    let c = own(&model, &rows[10], &items, 0);
    let screen = pane(Some(&c), true, 34, 6);
    assert!(screen.contains("[ ] "), "{screen}");
    insta::assert_snapshot!(screen);
}
