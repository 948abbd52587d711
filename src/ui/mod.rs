//! The view: draws an `App` into a ratatui frame. Pure: no I/O, no state
//! changes; everything it shows comes from the app.

mod backlog;
mod checklist;
pub mod detail;
mod dialog;
mod footer;
mod form;
mod header;
mod help;
pub mod hit;
mod metrics;
mod overflow;
mod spark;
pub mod style_spec;
pub mod text;
pub mod theme;
mod welcome;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::keymap::{Place, Scope};
use crate::app::{App, Focus, Mode, Screen};
pub use theme::Theme;

/// Below this the dashboard says so instead of drawing a broken layout.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Where each pane goes on a screen of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub backlog: Rect,
    pub checklist: Rect,
    pub metrics: Rect,
    pub footer: Rect,
}

pub fn layout(area: Rect) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let left = if area.width >= 140 { 50 } else { 57 };
    let [backlog, right] =
        Layout::horizontal([Constraint::Percentage(left), Constraint::Fill(1)]).areas(body);
    let [checklist, metrics] =
        Layout::vertical([Constraint::Percentage(52), Constraint::Fill(1)]).areas(right);
    Some(Areas {
        header,
        backlog,
        checklist,
        metrics,
        footer,
    })
}

/// How many backlog rows fit on a screen of this size (the app's page).
pub fn backlog_rows(area: Rect) -> usize {
    layout(area).map_or(1, |a| backlog::visible_rows(a.backlog))
}

/// How far the detail screen can scroll on a screen of this size.
pub fn detail_max_scroll(app: &App, area: Rect) -> u16 {
    match (app.detail_view(), layout(area)) {
        (Some(detail), Some(areas)) => {
            let body = Rect::new(
                0,
                0,
                area.width,
                areas.footer.y.saturating_sub(areas.header.bottom()),
            );
            // The detail's own model: the backlog's selection may have moved
            // on (a filter, a write) to an initiative of another model.
            detail::DetailView::new(
                detail,
                app.models().resolve(&detail.model),
                &Theme::mono(),
                0,
                app.now(),
                app.today(),
            )
            .dates(app.date_format())
            .max_scroll(body)
        }
        _ => 0,
    }
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    let Some(areas) = layout(area) else {
        let msg = format!(
            "Terminal too small: {}x{}. improve needs at least {MIN_WIDTH}x{MIN_HEIGHT}.",
            area.width, area.height
        );
        frame.render_widget(
            Paragraph::new(Line::from(msg)).wrap(Wrap { trim: true }),
            area,
        );
        return;
    };
    frame.render_widget(header::StepStrip::new(app, theme), areas.header);
    let body = Rect::new(
        area.x,
        areas.header.bottom(),
        area.width,
        areas.footer.y.saturating_sub(areas.header.bottom()),
    );
    if let (Screen::Detail { scroll, .. }, Some(detail)) = (app.screen(), app.detail_view()) {
        frame.render_widget(
            detail::DetailView::new(
                detail,
                app.models().resolve(&detail.model),
                theme,
                *scroll,
                app.now(),
                app.today(),
            )
            .dates(app.date_format()),
            body,
        );
    } else if app.is_welcome() {
        let body = areas
            .header
            .union(areas.footer)
            .inner(ratatui::layout::Margin::new(0, 1));
        frame.render_widget(
            welcome::Welcome::new(theme, app.models().default_model()).keys(
                ["load_sample", "help", "quit"].map(|name| {
                    app.keymap()
                        .key_at(Place::Welcome, name)
                        .unwrap_or_default()
                }),
            ),
            body,
        );
    } else {
        frame.render_widget(
            backlog::BacklogTable::new(app, theme, app.focus() == Focus::Backlog),
            areas.backlog,
        );
        frame.render_widget(
            checklist::ChecklistPane::new(app, theme, app.focus() == Focus::Checklist),
            areas.checklist,
        );
        frame.render_widget(
            metrics::MetricsPane::new(app, theme, app.focus() == Focus::Metrics),
            areas.metrics,
        );
    }
    frame.render_widget(footer::Footer::new(app, theme), areas.footer);
    match app.mode() {
        Mode::Normal => {}
        Mode::Filter(input) => {
            if let Some(pos) = footer::filter_cursor(input, areas.footer) {
                frame.set_cursor_position(pos);
            }
        }
        Mode::Form(form) => {
            let keymap = app.keymap();
            let place = app.place();
            let keys = [
                ("next_field", "next"),
                ("save", "save"),
                ("submit", "next/save"),
                ("cancel", "cancel"),
            ]
            .into_iter()
            .filter_map(|(name, what)| Some((keymap.key_at(place, name)?, what)))
            .collect();
            let choice = format!(
                "{}/{}",
                keymap
                    .key_in(Scope::Input, "cursor_left")
                    .unwrap_or_default(),
                keymap
                    .key_in(Scope::Input, "cursor_right")
                    .unwrap_or_default()
            );
            let editor = keymap
                .key_in(Scope::TextField, "editor")
                .unwrap_or_default();
            let view = form::FormView::new(form, theme)
                .keys(keys)
                .hint_keys(choice, editor);
            if let Some(pos) = view.cursor(area) {
                frame.set_cursor_position(pos);
            }
            frame.render_widget(view, area);
        }
        // Above the footer, which says how to close and scroll it.
        Mode::Help { scroll } => frame.render_widget(
            help::HelpOverlay::new(theme, app.keymap(), app.stale_days(), *scroll)
                .read_only(app.is_read_only())
                .from(Place::of(
                    &Mode::Normal,
                    app.screen(),
                    app.focus(),
                    app.is_welcome(),
                )),
            Rect {
                height: areas.footer.y.saturating_sub(area.y),
                ..area
            },
        ),
        Mode::Confirm(question) => {
            frame.render_widget(dialog::ConfirmDialog::new(app, question, theme), area)
        }
        Mode::Prompt(prompt) => {
            let dialog = dialog::PromptDialog::new(app, prompt, theme);
            if let Some(pos) = dialog.cursor(area) {
                frame.set_cursor_position(pos);
            }
            frame.render_widget(dialog, area);
        }
    }
}
