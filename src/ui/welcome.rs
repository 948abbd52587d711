//! What an empty register shows instead of blank panes.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::Theme;
use crate::domain::text::sanitize;

pub struct Welcome<'a> {
    theme: &'a Theme,
    /// The model new initiatives follow (`model` in the configuration).
    model: &'a crate::domain::Model,
    /// The keys that load the sample, show the help and quit.
    keys: [String; 3],
}

impl<'a> Welcome<'a> {
    pub fn new(theme: &'a Theme, model: &'a crate::domain::Model) -> Self {
        Welcome {
            theme,
            model,
            keys: ["D".into(), "?".into(), "q".into()],
        }
    }

    /// The keys to name, as the keymap has them: load the sample, help, quit.
    pub fn keys(mut self, keys: [String; 3]) -> Self {
        self.keys = keys;
        self
    }
}

impl Widget for Welcome<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let key = |k: &str, what: &'static str| {
            Line::from(vec![
                Span::styled(format!("  {k:<22}"), t.key),
                Span::raw(what),
            ])
        };
        let lines = vec![
            Line::styled("Welcome to improve", t.title),
            Line::raw(""),
            Line::raw(if self.model.id == "itil4" {
                "Your continual improvement register is empty. Each initiative walks the seven steps of the ITIL 4 model: Vision, Now, Target, Plan, Act, Check, Momentum.".to_string()
            } else {
                let shorts: Vec<&str> = self.model.steps.iter().map(|s| s.short.as_str()).collect();
                format!(
                    "Your continual improvement register is empty. Each new initiative walks the {} of {}: {}.",
                    crate::domain::text::count(self.model.len() as u64, "step"),
                    sanitize(&self.model.name),
                    sanitize(&shorts.join(", "))
                )
            }),
            Line::raw(""),
            Line::styled("To start:", t.title),
            key(&self.keys[0], "load the sample register and look around"),
            key(
                "improve add \"Title\"",
                "add your first initiative from a shell",
            ),
            key(&self.keys[1], "every key"),
            key(&self.keys[2], "quit"),
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
