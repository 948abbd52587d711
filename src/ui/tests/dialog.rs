//! Questions and prompts alone, over an empty screen.

use super::draw;
use crate::app::input::TextInput;
use crate::app::{Prompt, PromptKind, Question};
use crate::domain::{ChecklistItem, Model};
use crate::ui::Theme;
use crate::ui::dialog::{ConfirmDialog, Context, PromptDialog, prompt_subject, question_subject};

fn context<'a>(model: &'a Model, subject: Option<i64>, items: &'a [ChecklistItem]) -> Context<'a> {
    Context {
        model,
        subject: subject.map(|id| (id, "Cut P1 incident MTTR")),
        items,
        kpis: &[],
        answers: vec![("y/Enter".into(), "yes"), ("n/Esc".into(), "no")],
        submit: "Enter".into(),
        cancel: "Esc".into(),
        undo: "u".into(),
    }
}

#[test]
fn confirm_delete_80x24() {
    let model = Model::itil4();
    let q = Question::Delete { id: 12 };
    let cx = context(&model, question_subject(&q), &[]);
    insta::assert_snapshot!(draw(ConfirmDialog::new(&cx, &q, &Theme::color()), 80, 24));
}

/// A removal names the item from the context, not the initiative.
#[test]
fn confirm_remove_item_narrow_40x12() {
    let model = Model::itil4();
    let items = [ChecklistItem {
        id: 7,
        step: model.step(2).unwrap(),
        position: 0,
        text: "Measure the baseline of every KPI the same way".into(),
        done_at: None,
    }];
    let q = Question::RemoveItem { item: 7 };
    assert_eq!(question_subject(&q), None);
    let cx = context(&model, None, &items);
    insta::assert_snapshot!(draw(ConfirmDialog::new(&cx, &q, &Theme::color()), 40, 12));
}

#[test]
fn prompt_hold_reason_120x40() {
    let model = Model::itil4();
    let p = Prompt {
        kind: PromptKind::HoldReason { id: 12 },
        input: TextInput::from_multiline("waiting for the vendor's patch"),
    };
    let cx = context(&model, prompt_subject(&p), &[]);
    insta::assert_snapshot!(draw(PromptDialog::new(&cx, &p, &Theme::color()), 120, 40));
}
