//! The keys of the focused pane, or the latest message.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Theme;
use super::dialog::visible_input;
use super::text::fit;
use crate::app::input::TextInput;
use crate::app::keymap::Place;
use crate::app::{App, Mode};

/// Where the cursor goes while the filter is typed in the footer.
pub fn filter_cursor(input: &TextInput, area: Rect) -> Option<Position> {
    let room = usize::from(area.width).saturating_sub(3);
    let (_, col) = visible_input(input.text(), input.cursor(), room);
    Some(Position::new(area.x + 2 + col as u16, area.y))
}

pub struct Footer<'a> {
    app: &'a App,
    theme: &'a Theme,
}

impl<'a> Footer<'a> {
    pub fn new(app: &'a App, theme: &'a Theme) -> Self {
        Footer { app, theme }
    }

    /// The keys where the user is, from the keymap that dispatches them; a
    /// viewer is shown only what a viewer can do.
    fn keys(&self) -> Vec<(String, &'static str)> {
        self.app
            .keymap()
            .footer(self.app.place(), !self.app.is_read_only())
    }
}

impl Widget for Footer<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let width = usize::from(area.width);
        if let Some(flash) = self.app.flash() {
            let style = if flash.error { t.error } else { t.ok };
            Line::from(Span::styled(
                format!(" {}", fit(&flash.text, width.saturating_sub(1))),
                style,
            ))
            .render(area, buf);
            return;
        }
        if let Mode::Filter(input) = self.app.mode() {
            let room = width.saturating_sub(3);
            let (shown, _) = visible_input(input.text(), input.cursor(), room);
            let matches = format!(
                "  {}",
                crate::domain::text::count(self.app.visible_len() as u64, "match")
            );
            let mut spans = vec![
                Span::styled(" /", t.key),
                Span::styled(shown.clone(), t.text),
            ];
            let used = shown.chars().count() + 2;
            if let Some(problem) = self.app.filter_problems().first() {
                // A term matched as text would silently match nothing: the
                // bar says which and what the filter understands.
                let room = width.saturating_sub(used + 2);
                if room > 0 {
                    spans.push(Span::styled(format!("  {}", fit(problem, room)), t.warn));
                }
            } else if width > used + matches.len() + 18 {
                spans.push(Span::styled(matches, t.dim));
                let keymap = self.app.keymap();
                let key = |name| keymap.key_at(Place::Filter, name).unwrap_or_default();
                spans.push(Span::styled(
                    format!("  {} keep · {} clear", key("submit"), key("cancel")),
                    t.dim,
                ));
            }
            Line::from(spans).render(area, buf);
            return;
        }
        let pane = self.app.place().title();
        let mut spans = vec![
            Span::styled(format!(" {pane} "), t.selected_unfocused),
            Span::raw(" "),
        ];
        let mut used = pane.len() + 3;
        for (key, label) in self.keys() {
            let len = key.chars().count() + label.len() + 3;
            if used + len > width {
                break;
            }
            used += len;
            spans.push(Span::styled(key, t.key));
            spans.push(Span::styled(format!(" {label}  "), t.dim));
        }
        Line::from(spans).render(area, buf);
    }
}
