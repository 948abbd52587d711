//! What an empty register shows instead of blank panes.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::Theme;

pub struct Welcome<'a> {
    theme: &'a Theme,
}

impl<'a> Welcome<'a> {
    pub fn new(theme: &'a Theme) -> Self {
        Welcome { theme }
    }
}

impl Widget for Welcome<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let key = |k: &'static str, what: &'static str| {
            Line::from(vec![
                Span::styled(format!("  {k:<22}"), t.key),
                Span::raw(what),
            ])
        };
        let lines = vec![
            Line::styled("Welcome to improve", t.title),
            Line::raw(""),
            Line::raw(
                "Your continual improvement register is empty. Each initiative walks the seven steps of the ITIL 4 model: Vision, Now, Target, Plan, Act, Check, Momentum.",
            ),
            Line::raw(""),
            Line::styled("To start:", t.title),
            key("D", "load the sample register and look around"),
            key(
                "improve add \"Title\"",
                "add your first initiative from a shell",
            ),
            key("?", "every key"),
            key("q", "quit"),
        ];
        let w = area.width.saturating_sub(4).min(72);
        let popup = area.centered(
            Constraint::Length(w),
            Constraint::Length(14.min(area.height)),
        );
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(t.block().border_style(t.border_focused))
            .render(popup, buf);
    }
}
