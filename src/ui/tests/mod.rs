//! Each pane drawn alone from hand-made data (no register, no app), at
//! 80x24 and 120x40 and at the narrow sizes where its layout changes.
//! Review changes with `cargo insta review` (or set INSTA_UPDATE=always).

mod backlog;
mod checklist;
mod dialog;
mod footer;
mod header;
mod metrics;

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::domain::{BacklogRow, Effort, Model, Status};

pub(super) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap()
}

pub(super) fn today() -> NaiveDate {
    now().date_naive()
}

/// A widget drawn into a `w`x`h` buffer, as text (a wide character's
/// second cell left out, as a terminal shows it).
pub(super) fn draw(widget: impl Widget, w: u16, h: u16) -> String {
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    widget.render(buf.area, &mut buf);
    text(&buf)
}

pub(super) fn text(buf: &Buffer) -> String {
    crate::ui::text::buffer_text(buf)
}

/// A register's worth of rows: every status, priorities 1-5, long and wide
/// titles, an overdue one, a failed one, ids up to four digits.
pub(super) fn rows(model: &Model) -> Vec<BacklogRow> {
    let titles = [
        ("Cut P1 incident MTTR", 6, Status::Active, 1, "Marcus"),
        (
            "Patch compliance for edge routers",
            5,
            Status::Active,
            1,
            "Ana",
        ),
        (
            "Automate TLS certificate renewal",
            5,
            Status::Active,
            2,
            "Jonas",
        ),
        ("Reduce change failure rate", 5, Status::Active, 2, "Priya"),
        (
            "改善 service desk 🚀 first-contact resolution",
            3,
            Status::Active,
            3,
            "Kenji",
        ),
        (
            "Knowledge-centred service pilot",
            2,
            Status::OnHold,
            3,
            "Ana",
        ),
        ("Storage capacity dashboard", 1, Status::Active, 4, "Marcus"),
        ("Shorten new-laptop delivery", 3, Status::Active, 5, "Jonas"),
        ("Self-service password reset", 7, Status::Done, 2, "Priya"),
        ("Retire the old wiki", 4, Status::Cancelled, 4, "Kenji"),
        ("Move backups to object storage", 7, Status::Done, 3, "Ana"),
    ];
    titles
        .iter()
        .enumerate()
        .map(|(i, &(title, step, status, priority, owner))| {
            let entered = now() - Duration::days(3 + 7 * i as i64);
            BacklogRow {
                id: if i == 3 { 1024 } else { i as i64 + 1 },
                title: title.into(),
                model: Arc::from("itil4"),
                step: model.step(step).unwrap(),
                status,
                priority,
                value: 7,
                effort: Effort::M,
                owner: Arc::from(owner),
                due: (i == 1).then(|| today() - Duration::days(4)),
                created_at: entered - Duration::days(30),
                step_entered_at: entered,
                done_at: (status == Status::Done).then_some(entered),
                closed_at: (!status.is_open()).then_some(entered),
                returns: u32::from(i == 2),
                tags: Arc::from(""),
                goal_id: None,
                unsuccessful: i == 10,
            }
        })
        .collect()
}
