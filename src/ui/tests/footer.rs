//! The footer alone: the keys of a place (cut where the width ends), the
//! filter bar, a message.

use super::draw;
use crate::app::Flash;
use crate::app::input::{Edit, TextInput};
use crate::app::keymap::{Keymap, Place};
use crate::app::mode::Focus;
use crate::ui::Theme;
use crate::ui::footer::{FilterBar, Footer, FooterData};

fn line(data: &FooterData, w: u16) -> String {
    draw(Footer::new(data, &Theme::color()), w, 1)
}

fn keys(place: Place) -> FooterData<'static> {
    FooterData::Keys {
        place: place.title(),
        keys: Keymap::default().footer(place, true),
    }
}

#[test]
fn footer_keys_by_place_and_width() {
    let mut out = String::new();
    for place in [
        Place::Pane(Focus::Backlog),
        Place::Pane(Focus::Checklist),
        Place::Detail,
        Place::Confirm,
        Place::Form { text_field: true },
    ] {
        for w in [120, 80, 40] {
            out.push_str(&line(&keys(place), w));
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn footer_filter_bar_and_message() {
    let mut input = TextInput::default();
    for c in "step:9 cert".chars() {
        input.apply(Edit::Insert(c));
    }
    let bar = |problem| {
        FooterData::Filter(FilterBar {
            input: &input,
            matches: 3,
            problem,
            keep: "Enter".into(),
            clear: "Esc".into(),
        })
    };
    let flash = Flash {
        text: "deleted #2 Automate TLS certificate renewal (u undoes)".into(),
        error: false,
    };
    let mut out = String::new();
    for w in [120, 80, 30] {
        out.push_str(&line(&bar(None), w));
        out.push_str(&line(&bar(Some("step:9: no step 9 in ITIL 4")), w));
        out.push_str(&line(&FooterData::Flash(&flash), w));
    }
    insta::assert_snapshot!(out);
}
