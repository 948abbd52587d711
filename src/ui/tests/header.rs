//! The header's strip of steps alone, at each width where its form changes.

use super::draw;
use crate::domain::Model;
use crate::ui::Theme;
use crate::ui::header::{Header, StepStrip};

const COUNTS: [u32; 7] = [3, 2, 2, 2, 5, 2, 1];

fn header(model: &Model) -> Header<'_> {
    Header {
        model,
        counts: &COUNTS,
        current: model.step(4),
        other_model: false,
        read_only: false,
        file: "improve.db".into(),
        author: "ana",
    }
}

fn strip(h: &Header, w: u16) -> String {
    draw(StepStrip::new(h, &Theme::color()), w, 1)
}

/// Who and where on the right while the names keep their numbers, then in
/// the name's place, then the strip alone, shorter and shorter.
#[test]
fn header_by_width() {
    let model = Model::itil4();
    let h = header(&model);
    let shown: Vec<String> = [120, 80, 72, 60, 40]
        .into_iter()
        .map(|w| format!("{w:>3}|{}", strip(&h, w).trim_end_matches('\n')))
        .collect();
    insta::assert_snapshot!(shown.join("\n"));
}

/// Read-only says so in place of the name at every width; another model
/// names itself.
#[test]
fn header_read_only_and_other_model() {
    let model = Model::itil4();
    let mut h = header(&model);
    h.read_only = true;
    let mut shown: Vec<String> = [120, 80]
        .into_iter()
        .map(|w| format!("{w:>3}|{}", strip(&h, w).trim_end_matches('\n')))
        .collect();
    h.read_only = false;
    h.other_model = true;
    h.file = String::new();
    shown.push(format!("120|{}", strip(&h, 120).trim_end_matches('\n')));
    insta::assert_snapshot!(shown.join("\n"));
}
