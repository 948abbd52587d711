//! The keys of the focused pane, or the latest message.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Theme;
use super::dialog::visible_input;
use super::text::fit;
use crate::app::input::TextInput;
use crate::app::{App, Focus, Mode, Screen};

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

    fn keys(&self) -> Vec<(String, &'static str)> {
        match self.app.mode() {
            Mode::Help { .. } => vec![("Esc".into(), "close"), ("j/k".into(), "scroll")],
            Mode::Confirm(_) => vec![("y/Enter".into(), "yes"), ("n/Esc".into(), "no")],
            Mode::Form(_) => vec![
                ("Tab".into(), "next field"),
                ("Ctrl-s".into(), "save"),
                ("Esc".into(), "cancel"),
                ("Ctrl-e".into(), "editor"),
            ],
            Mode::Filter(_) => vec![],
            Mode::Normal if matches!(self.app.screen(), Screen::Detail { .. }) => {
                let mut keys = vec![("Esc/q".into(), "close"), ("j/k".into(), "scroll")];
                // A viewer is shown only what a viewer can do.
                if !self.app.is_read_only() {
                    keys.extend([
                        ("e".into(), "edit"),
                        ("n".into(), "note"),
                        ("m".into(), "measure"),
                        (">".into(), "forward"),
                        ("<".into(), "back"),
                    ]);
                }
                keys.push(("?".into(), "help"));
                keys
            }
            Mode::Prompt(_) => vec![
                ("Enter".into(), "save"),
                ("Esc".into(), "cancel"),
                ("Ctrl-w".into(), "delete word"),
            ],
            Mode::Normal => {
                let mut keys = Vec::new();
                if !self.app.is_welcome() {
                    keys.push(("j/k".into(), "move"));
                }
                keys.extend(
                    self.app
                        .keymap()
                        .active(self.app.focus(), self.app.is_welcome())
                        .filter(|b| !(self.app.is_read_only() && b.action.writes()))
                        .filter_map(|b| {
                            let key = b.keys.first()?;
                            b.footer.map(|label| (key.label(), label))
                        }),
                );
                keys
            }
        }
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
                spans.push(Span::styled("  Enter keep · Esc clear", t.dim));
            }
            Line::from(spans).render(area, buf);
            return;
        }
        let pane = match (self.app.is_welcome(), self.app.focus()) {
            _ if matches!(self.app.screen(), Screen::Detail { .. }) => "Detail",
            (true, _) => "Welcome",
            (_, Focus::Backlog) => "Backlog",
            (_, Focus::Checklist) => "Checklist",
            (_, Focus::Metrics) => "Metrics",
        };
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
