//! The view: draws an `App` into a ratatui frame. Pure: no I/O, no state
//! changes; everything it shows comes from the app. Each pane is a widget
//! over the plain data it draws, which `assemble` reads from the app's
//! accessors; what a frame learns (the detail page's length) goes back to
//! the app through [`Drawn`], from the caller.

mod assemble;
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
#[cfg(test)]
mod tests;
pub mod text;
pub mod theme;
mod welcome;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::keymap::{Place, Scope};
use crate::app::{Action, App, Focus, Mode, Screen};
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

/// What drawing a frame learned that the app needs for the keys that
/// follow: the detail page's length at this size, from the one layout the
/// frame made of it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Drawn {
    detail: Option<detail::DetailState>,
}

impl Drawn {
    /// The detail page as drawn, if the frame showed it.
    pub fn detail(&self) -> Option<detail::DetailState> {
        self.detail
    }

    /// What the app must be told: how far the detail screen scrolls, so
    /// that G lands on the last line and k after it moves at once.
    pub fn feedback(&self) -> Option<Action> {
        self.detail.map(|d| Action::DetailLimit(d.max_scroll()))
    }
}

/// Draws the app; see [`draw_frame`] for what the frame learns.
pub fn draw(frame: &mut Frame, app: &App, theme: &Theme) {
    let _ = draw_frame(frame, app, theme);
}

/// Draws the app and says what the frame learned (the caller passes it
/// back to the app: drawing changes nothing).
pub fn draw_frame(frame: &mut Frame, app: &App, theme: &Theme) -> Drawn {
    let mut drawn = Drawn::default();
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
        return drawn;
    };
    let strip = assemble::header(app);
    frame.render_widget(header::StepStrip::new(&strip, theme), areas.header);
    let body = Rect::new(
        area.x,
        areas.header.bottom(),
        area.width,
        areas.footer.y.saturating_sub(areas.header.bottom()),
    );
    if let (Screen::Detail { scroll, .. }, Some(detail)) = (app.screen(), app.detail_view()) {
        // The detail's own model: the backlog's selection may have moved
        // on (a filter, a write) to an initiative of another model.
        let mut state = detail::DetailState::default();
        frame.render_stateful_widget(
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
            &mut state,
        );
        drawn.detail = Some(state);
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
        let rows = assemble::backlog(app, areas.backlog);
        frame.render_widget(
            backlog::BacklogTable::new(&rows, theme, app.focus() == Focus::Backlog),
            areas.backlog,
        );
        let items = assemble::checklist(app);
        frame.render_widget(
            checklist::ChecklistPane::new(items.as_ref(), theme, app.focus() == Focus::Checklist),
            areas.checklist,
        );
        let figures = assemble::metrics(app);
        frame.render_widget(
            metrics::MetricsPane::new(&figures, theme, app.focus() == Focus::Metrics),
            areas.metrics,
        );
    }
    let footer_data = assemble::footer(app);
    frame.render_widget(footer::Footer::new(&footer_data, theme), areas.footer);
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
            let context = assemble::dialog(app, dialog::question_subject(question));
            frame.render_widget(dialog::ConfirmDialog::new(&context, question, theme), area)
        }
        Mode::Prompt(prompt) => {
            let context = assemble::dialog(app, dialog::prompt_subject(prompt));
            let dialog = dialog::PromptDialog::new(&context, prompt, theme);
            if let Some(pos) = dialog.cursor(area) {
                frame.set_cursor_position(pos);
            }
            frame.render_widget(dialog, area);
        }
    }
    drawn
}
