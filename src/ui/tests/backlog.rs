//! The backlog pane alone.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::{draw, now, rows, today};
use crate::domain::{BacklogRow, Model};
use crate::ui::Theme;
use crate::ui::backlog::{Backlog, BacklogTable, PageRow};

fn backlog<'a>(rows: &'a [BacklogRow], first: usize, selected: usize) -> Backlog<'a> {
    Backlog {
        page: rows[first..]
            .iter()
            .map(|row| PageRow { row, steps: 7 })
            .collect(),
        first,
        selected,
        shown: rows.len(),
        total: rows.len(),
        filter: "",
        clear_key: "Esc".into(),
        sort: "priority",
        steps: 7,
        max_id: rows.iter().map(|r| r.id).max(),
        now: now(),
        today: today(),
    }
}

fn pane(b: &Backlog, w: u16, h: u16) -> String {
    draw(BacklogTable::new(b, &Theme::color(), true), w, h)
}

#[test]
fn backlog_80x24() {
    let rows = rows(&Model::itil4());
    insta::assert_snapshot!(pane(&backlog(&rows, 0, 2), 80, 24));
}

#[test]
fn backlog_120x40() {
    let rows = rows(&Model::itil4());
    insta::assert_snapshot!(pane(&backlog(&rows, 0, 0), 120, 40));
}

/// Under 64 columns inside, the owner column gives way to the title; the
/// page scrolled, with the selection on it.
#[test]
fn backlog_scrolled_without_owners_60x12() {
    let rows = rows(&Model::itil4());
    insta::assert_snapshot!(pane(&backlog(&rows, 4, 6), 60, 12));
}

/// A filter that lets nothing through says so, and how to clear it.
#[test]
fn backlog_filtered_to_nothing_80x24() {
    let rows = rows(&Model::itil4());
    let mut b = backlog(&rows, 0, 0);
    b.page.clear();
    b.shown = 0;
    b.filter = "owner:nobody";
    insta::assert_snapshot!(pane(&b, 80, 24));
}

/// Only the rows on the page are given: a filter's count shows "n of m".
#[test]
fn backlog_filtered_counts_80x24() {
    let rows = rows(&Model::itil4());
    let some: Vec<BacklogRow> = rows
        .into_iter()
        .filter(|r| r.owner.as_ref() == "Ana")
        .collect();
    let mut b = backlog(&some, 0, 1);
    b.total = 11;
    b.filter = "ana";
    let screen = pane(&b, 80, 24);
    assert!(
        screen.contains("Backlog (3 of 11) /ana · by priority"),
        "{screen}"
    );
}

/// A priority has one pen on every screen (the detail page's test checks
/// the same): P3 recedes, P1 and P2 stand out.
#[test]
fn priorities_use_the_theme_s_one_pen() {
    let rows = rows(&Model::itil4());
    let b = backlog(&rows, 0, 0);
    let theme = Theme::color();
    let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
    BacklogTable::new(&b, &theme, true).render(buf.area, &mut buf);
    for (p, y) in [(1, 2), (2, 4), (3, 6), (4, 8), (5, 9)] {
        let x = (0..79)
            .rev()
            .find(|&x| buf[(x, y)].symbol() == "P" && buf[(x + 1, y)].symbol() == p.to_string())
            .unwrap_or_else(|| panic!("no P{p} on row {y}:\n{}", super::text(&buf)));
        assert_eq!(
            buf[(x, y)].fg,
            theme.priority(p).fg.unwrap_or(ratatui::style::Color::Reset),
            "P{p}"
        );
    }
    assert_eq!(theme.priority(3), theme.dim);
}
