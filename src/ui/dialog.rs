//! Questions and prompts, drawn over the dashboard.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::Theme;
use super::text::{fit, width};
use crate::app::{App, Prompt, PromptKind, Question};
use crate::domain::moves::MovePlan;

fn popup(area: Rect, lines: u16) -> Rect {
    let w = area.width.saturating_sub(4).min(64);
    area.centered(
        Constraint::Length(w),
        Constraint::Length((lines + 2).min(area.height)),
    )
}

fn title_of(app: &App, id: i64, room: usize) -> String {
    let title = app
        .rows()
        .iter()
        .find(|r| r.id == id)
        .map_or("", |r| r.title.as_str());
    format!("#{id} {}", fit(title, room))
}

pub struct ConfirmDialog<'a> {
    app: &'a App,
    question: &'a Question,
    theme: &'a Theme,
}

impl<'a> ConfirmDialog<'a> {
    pub fn new(app: &'a App, question: &'a Question, theme: &'a Theme) -> Self {
        ConfirmDialog {
            app,
            question,
            theme,
        }
    }
}

impl Widget for ConfirmDialog<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let Question::ForwardWithOpenItems { id, plan, open } = self.question;
        let area = popup(area, 4);
        let model = self.app.model();
        let items = if *open == 1 { "item is" } else { "items are" };
        let ask = match plan {
            MovePlan::Complete { .. } => "Complete the initiative anyway?".to_string(),
            _ => format!("Move forward to {} anyway?", model.def(plan.to()).short),
        };
        let lines = vec![
            Line::styled(
                title_of(self.app, *id, usize::from(area.width).saturating_sub(10)),
                t.title,
            ),
            Line::from(format!(
                "{open} checklist {items} still open at {}.",
                model.def(plan.from()).short
            )),
            Line::raw(ask),
            Line::from(vec![
                Span::styled("y", t.key),
                Span::styled("/Enter yes   ", t.dim),
                Span::styled("n", t.key),
                Span::styled("/Esc no", t.dim),
            ]),
        ];
        Clear.render(area, buf);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(
                Block::bordered()
                    .title(Span::styled(" Confirm ", t.title))
                    .border_style(t.warn),
            )
            .render(area, buf);
    }
}

pub struct PromptDialog<'a> {
    app: &'a App,
    prompt: &'a Prompt,
    theme: &'a Theme,
}

impl<'a> PromptDialog<'a> {
    pub fn new(app: &'a App, prompt: &'a Prompt, theme: &'a Theme) -> Self {
        PromptDialog { app, prompt, theme }
    }

    /// The visible slice of the input and the cursor column within it: the
    /// text scrolls sideways so the cursor is always on screen.
    fn visible_input(&self, room: usize) -> (String, usize) {
        let chars: Vec<char> = self.prompt.input.text().chars().collect();
        let cursor = self.prompt.input.cursor();
        let mut start = 0;
        while width(&chars[start..cursor].iter().collect::<String>()) >= room.max(1) {
            start += 1;
        }
        let mut shown = String::new();
        for c in &chars[start..] {
            shown.push(*c);
            if width(&shown) > room {
                shown.pop();
                break;
            }
        }
        let col = width(&chars[start..cursor].iter().collect::<String>());
        (crate::domain::text::sanitize(&shown).into_owned(), col)
    }

    pub fn cursor(&self, area: Rect) -> Option<Position> {
        let area = popup(area, 4);
        let room = usize::from(area.width.saturating_sub(4));
        let (_, col) = self.visible_input(room);
        Some(Position::new(area.x + 2 + col as u16, area.y + 3))
    }
}

impl Widget for PromptDialog<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let area = popup(area, 4);
        let PromptKind::BackReason { id, plan } = &self.prompt.kind;
        let room = usize::from(area.width.saturating_sub(4));
        let (shown, _) = self.visible_input(room);
        let lines = vec![
            Line::styled(title_of(self.app, *id, room.saturating_sub(8)), t.title),
            Line::from(format!(
                "Move back to {}. Why? (optional, Enter to skip)",
                self.app.model().def(plan.to()).short
            )),
            Line::raw(""),
            Line::from(vec![Span::raw(" "), Span::styled(shown, t.text)]),
        ];
        Clear.render(area, buf);
        Paragraph::new(lines)
            .block(
                Block::bordered()
                    .title(Span::styled(" Move back ", t.title))
                    .border_style(t.border_focused),
            )
            .render(area, buf);
        // Underline the input line so the field is visible without colour.
        let field = Rect::new(area.x + 2, area.y + 4, area.width.saturating_sub(4), 1);
        buf.set_style(field.intersection(area), t.selected_unfocused);
    }
}
