//! What is drawn at a position on the screen, from the same layout code
//! the view draws with (no second copy of any rectangle).

use ratatui::layout::{Position, Rect};

use super::{assemble, backlog, checklist, header, layout, metrics};
use crate::app::{App, Focus, Screen};

/// The part of the dashboard at a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    /// A step of the header strip, by its index in the model.
    Step(usize),
    /// A pane, and the row or item under the pointer (an index into the
    /// backlog's shown rows, the checklist or the KPIs).
    Pane(Focus, Option<usize>),
    /// The detail screen's body.
    Detail,
    Nothing,
}

/// What is at column `x`, row `y` of a screen of size `area`.
pub fn hit(app: &App, area: Rect, x: u16, y: u16) -> Hit {
    let Some(areas) = layout(area) else {
        return Hit::Nothing;
    };
    let at = Position::new(x, y);
    if areas.header.contains(at) {
        return header::step_at(&assemble::header(app), areas.header, x)
            .map_or(Hit::Nothing, Hit::Step);
    }
    if matches!(app.screen(), Screen::Detail { .. }) {
        return if areas.footer.contains(at) {
            Hit::Nothing
        } else {
            Hit::Detail
        };
    }
    if app.is_welcome() {
        return Hit::Nothing;
    }
    if areas.backlog.contains(at) {
        return Hit::Pane(
            Focus::Backlog,
            backlog::row_at(app.offset(), app.visible_len(), areas.backlog, y),
        );
    }
    if areas.checklist.contains(at) {
        let focused = app.focus() == Focus::Checklist;
        let item = assemble::checklist(app)
            .and_then(|c| checklist::item_at(&c, areas.checklist, focused, y));
        return Hit::Pane(Focus::Checklist, item);
    }
    if areas.metrics.contains(at) {
        let focused = app.focus() == Focus::Metrics;
        return Hit::Pane(
            Focus::Metrics,
            metrics::kpi_at(&assemble::metrics(app), areas.metrics, focused, y),
        );
    }
    Hit::Nothing
}
