//! The detail view: everything about one initiative on one scrollable page:
//! its fields, description, follow-up chain, every step of its model with
//! checklist completion, KPIs, notes and move history.
//!
//! Every string from the register goes through [`fit`] or [`wrap`](super::text::wrap), which
//! neutralise control characters, so nothing in the database reaches the
//! terminal raw.

mod chain;
mod fields;
mod history;
mod kpis;
mod lines;
mod notes;
mod steps;
#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDate, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph, StatefulWidget, Widget};

use super::Theme;
use super::text::{fit, width as text_width};
use crate::domain::detail::InitiativeDetail;
use crate::domain::{DateFormat, Model};
use lines::Lines;

/// What drawing the page learned: how far it can scroll at this size, and
/// where it is scrolled to (the offset it was given, clamped). The page is
/// laid out once per frame; the app learns its length from here instead of
/// from a second layout.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DetailState {
    scroll: u16,
    max_scroll: u16,
}

impl DetailState {
    /// The largest useful offset: scrolling further shows nothing new.
    pub fn max_scroll(&self) -> u16 {
        self.max_scroll
    }

    /// The offset drawn.
    pub fn scroll(&self) -> u16 {
        self.scroll
    }
}

/// The page of one initiative, scrolled by `scroll` lines (clamped to the
/// page's end when drawn).
pub struct DetailView<'a> {
    detail: &'a InitiativeDetail,
    model: &'a Model,
    theme: &'a Theme,
    scroll: u16,
    now: DateTime<Utc>,
    today: NaiveDate,
    dates: &'a DateFormat,
}

/// ISO dates, for views built without a configured format.
static ISO: std::sync::LazyLock<DateFormat> = std::sync::LazyLock::new(DateFormat::default);

impl<'a> DetailView<'a> {
    pub fn new(
        detail: &'a InitiativeDetail,
        model: &'a Model,
        theme: &'a Theme,
        scroll: u16,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Self {
        DetailView {
            detail,
            model,
            theme,
            scroll,
            now,
            today,
            dates: &ISO,
        }
    }

    /// Shows dates in this format (ISO 8601 unless set).
    #[must_use]
    pub fn dates(mut self, dates: &'a DateFormat) -> Self {
        self.dates = dates;
        self
    }

    fn ymd(&self, at: DateTime<Utc>) -> String {
        self.dates.day(at)
    }

    /// Lines of content when the view is drawn `width` columns wide
    /// (borders included, as the view's area).
    pub fn line_count(&self, width: u16) -> usize {
        self.lines(content_width(width)).len()
    }

    fn title(&self, width: u16) -> Line<'static> {
        let t = self.theme;
        let id = format!(" #{} ", self.detail.id);
        let room = usize::from(width)
            .saturating_sub(4)
            .saturating_sub(id.len() + 1);
        Line::from(vec![
            Span::styled(id, t.dim),
            Span::styled(format!("{} ", fit(&self.detail.title, room)), t.title),
        ])
    }

    /// All content lines for a content area `width` columns wide.
    fn lines(&self, width: usize) -> Lines {
        let w = width.max(1);
        let mut out = Vec::new();
        self.fields(&mut out, w);
        self.description(&mut out, w);
        self.chain(&mut out, w);
        self.steps(&mut out, w);
        self.kpis(&mut out, w);
        self.notes(&mut out, w);
        self.history(&mut out, w);
        out
    }

    fn heading(&self, out: &mut Lines, text: String, w: usize) {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::styled(fit(&text, w), self.theme.title));
    }
}

/// The block around the view; its inner area is the content area.
fn frame() -> Block<'static> {
    Block::bordered().padding(Padding::horizontal(1))
}

fn content_width(width: u16) -> usize {
    usize::from(frame().inner(Rect::new(0, 0, width, 2)).width)
}

fn clamp_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

impl Widget for DetailView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        StatefulWidget::render(self, area, buf, &mut DetailState::default());
    }
}

impl StatefulWidget for DetailView<'_> {
    type State = DetailState;

    fn render(self, area: Rect, buf: &mut Buffer, state: &mut DetailState) {
        let area = area.intersection(buf.area);
        *state = DetailState::default();
        if area.is_empty() {
            return;
        }
        let t = self.theme;
        let inner = frame().inner(area);
        let lines = self.lines(usize::from(inner.width));
        let height = usize::from(inner.height);
        let max_scroll = lines.len().saturating_sub(height);
        let scroll = usize::from(self.scroll).min(max_scroll);
        *state = DetailState {
            scroll: clamp_u16(scroll),
            max_scroll: clamp_u16(max_scroll),
        };
        // Styled as the terminal allows; the same size as `frame()`.
        let mut block = t
            .block()
            .padding(Padding::horizontal(1))
            .border_style(t.border_focused)
            .title(self.title(area.width));
        if lines.len() > height && height > 0 {
            let last = (scroll + height).min(lines.len());
            let position = format!(" {}–{} of {} ", scroll + 1, last, lines.len());
            if text_width(&position) + 4 <= usize::from(area.width) {
                block = block.title_bottom(Line::styled(position, t.dim).right_aligned());
            }
        }
        block.render(area, buf);
        Paragraph::new(lines)
            .scroll((clamp_u16(scroll), 0))
            .render(inner, buf);
    }
}
