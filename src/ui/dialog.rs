//! Questions and prompts, drawn over the dashboard.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::Theme;
use super::text::{fit, width, wrap};
use crate::app::{Prompt, PromptKind, Question};
use crate::domain::moves::MovePlan;
use crate::domain::{ChecklistItem, Kpi, Model};

fn popup(area: Rect, lines: u16) -> Rect {
    let w = area.width.saturating_sub(4).min(64);
    area.centered(
        Constraint::Length(w),
        Constraint::Length((lines + 2).min(area.height)),
    )
}

/// What a dialog reads besides its question or prompt: the model its steps
/// are named from, the initiative it concerns, and the selected
/// initiative's items and KPIs (which a removal names).
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub model: &'a Model,
    /// The concerned initiative's id ([`question_subject`],
    /// [`prompt_subject`]) and title.
    pub subject: Option<(i64, &'a str)>,
    pub items: &'a [ChecklistItem],
    pub kpis: &'a [Kpi],
    /// A question's answers with their keys (`y/Enter yes`), from the keymap.
    pub answers: Vec<(String, &'static str)>,
    /// The keys that save and cancel a prompt, and undo, to name in the text.
    pub submit: String,
    pub cancel: String,
    pub undo: String,
}

impl Context<'_> {
    /// "#12 Cut P1 incident MTTR", cut to `room`.
    fn heading(&self, room: usize) -> Option<String> {
        self.subject
            .map(|(id, title)| format!("#{id} {}", fit(title, room)))
    }
}

/// The initiative a question concerns, named at the top of its dialog.
pub fn question_subject(question: &Question) -> Option<i64> {
    match question {
        Question::ForwardWithOpenItems { id, .. } | Question::Delete { id } => Some(*id),
        Question::FollowUp { parent } => Some(*parent),
        Question::DiscardForm(_)
        | Question::SaveAnyway { .. }
        | Question::RemoveItem { .. }
        | Question::RemoveKpi { .. }
        | Question::RemoveSample => None,
    }
}

/// The initiative a prompt concerns, named at the top of its box.
pub fn prompt_subject(prompt: &Prompt) -> Option<i64> {
    match &prompt.kind {
        PromptKind::BackReason { id, .. }
        | PromptKind::HoldReason { id }
        | PromptKind::CancelReason { id }
        | PromptKind::ReopenReason { id }
        | PromptKind::AddItem { id, .. } => Some(*id),
        PromptKind::RenameItem { .. } => None,
    }
}

pub struct ConfirmDialog<'a> {
    context: &'a Context<'a>,
    question: &'a Question,
    theme: &'a Theme,
}

impl<'a> ConfirmDialog<'a> {
    pub fn new(context: &'a Context<'a>, question: &'a Question, theme: &'a Theme) -> Self {
        ConfirmDialog {
            context,
            question,
            theme,
        }
    }

    /// The dialog's title and what it asks.
    fn text(&self, room: usize) -> (&'static str, Vec<String>) {
        let model = self.context.model;
        match self.question {
            Question::ForwardWithOpenItems { plan, open, .. } => {
                let items = if *open == 1 { "item is" } else { "items are" };
                let ask = match plan {
                    MovePlan::Complete { .. } => "Complete the initiative anyway?".to_string(),
                    _ => format!("Move forward to {} anyway?", model.def(plan.to()).short),
                };
                (
                    " Confirm ",
                    vec![
                        format!(
                            "{open} checklist {items} still open at {}.",
                            model.def(plan.from()).short
                        ),
                        ask,
                    ],
                )
            }
            Question::Delete { .. } => (
                " Delete ",
                vec![
                    "Delete it with its checklists, KPIs, notes and history?".into(),
                    format!("{} undoes this.", self.context.undo),
                ],
            ),
            Question::FollowUp { .. } => (
                " Keep the momentum ",
                vec![
                    "Done. Start a follow-up initiative for the next round?".into(),
                    "It keeps this one's goal and owner, linked as its parent.".into(),
                ],
            ),
            Question::DiscardForm(form) => (
                " Discard? ",
                vec![format!(
                    "Discard what was typed in “{}”?",
                    fit(&form.title, room.saturating_sub(30))
                )],
            ),
            Question::SaveAnyway { why, .. } => (
                " Save anyway? ",
                vec![
                    {
                        let mut chars = why.chars();
                        let first = chars.next().map(|c| c.to_uppercase().to_string());
                        format!("{}{}.", first.unwrap_or_default(), chars.as_str())
                    },
                    "Save it anyway? (n returns to the form)".into(),
                ],
            ),
            Question::RemoveItem { item } => {
                let text = self
                    .context
                    .items
                    .iter()
                    .find(|i| i.id == *item)
                    .map_or(String::new(), |i| fit(&i.text, room.saturating_sub(10)));
                (" Remove item ", vec![format!("Remove “{text}”?")])
            }
            Question::RemoveSample => (
                " Remove the sample ",
                vec![
                    "Remove the sample initiatives and goals?".into(),
                    "Your own rows, and sample ones you changed, stay.".into(),
                    "This cannot be undone (D on an empty register loads it again).".into(),
                ],
            ),
            Question::RemoveKpi { kpi } => {
                let name = self
                    .context
                    .kpis
                    .iter()
                    .find(|k| k.id == *kpi)
                    .map_or(String::new(), |k| fit(&k.name, room.saturating_sub(30)));
                (
                    " Remove KPI ",
                    vec![format!("Remove KPI “{name}” and its measurements?")],
                )
            }
        }
    }
}

impl Widget for ConfirmDialog<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let room = usize::from(area.width.saturating_sub(8).min(60));
        let (title, body) = self.text(room);
        let mut lines = Vec::new();
        if let Some(heading) = self.context.heading(room.saturating_sub(8)) {
            lines.push(Line::styled(heading, t.title));
        }
        // Wrapped here rather than by the paragraph, so that the box is
        // as tall as its lines and the answer line is never pushed out.
        let inner = usize::from(popup(area, 1).width.saturating_sub(2));
        lines.extend(body.iter().flat_map(|l| wrap(l, inner)).map(Line::raw));
        // Room for the border and the answer line whatever the height.
        lines.truncate(usize::from(area.height.saturating_sub(3)));
        let mut answers = Vec::new();
        for (key, what) in &self.context.answers {
            if !answers.is_empty() {
                answers.push(Span::raw("   "));
            }
            answers.push(Span::styled(key.as_str(), t.key));
            answers.push(Span::styled(format!(" {what}"), t.dim));
        }
        lines.push(Line::from(answers));
        let area = popup(area, lines.len() as u16);
        Clear.render(area, buf);
        Paragraph::new(lines)
            .block(
                t.block()
                    .title(Span::styled(title, t.title))
                    .border_style(t.warn),
            )
            .render(area, buf);
    }
}

/// A one-line input inside a box: the visible slice of its text and where
/// the cursor sits. The text scrolls sideways so the cursor stays on screen.
pub fn visible_input(text: &str, cursor: usize, room: usize) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let cursor = cursor.min(chars.len());
    // The first character shown: as far back from the cursor as stays
    // under `room` columns (walked back from the cursor, so a 100 KB field
    // costs one pass, not one pass per character).
    let mut start = cursor;
    let mut used = 0;
    while start > 0 {
        let w = unicode_width::UnicodeWidthChar::width(chars[start - 1]).unwrap_or(1);
        if used + w >= room.max(1) {
            break;
        }
        used += w;
        start -= 1;
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

pub struct PromptDialog<'a> {
    context: &'a Context<'a>,
    prompt: &'a Prompt,
    theme: &'a Theme,
}

impl<'a> PromptDialog<'a> {
    pub fn new(context: &'a Context<'a>, prompt: &'a Prompt, theme: &'a Theme) -> Self {
        PromptDialog {
            context,
            prompt,
            theme,
        }
    }

    /// The box's title and what it asks.
    fn text(&self) -> (&'static str, String) {
        let model = self.context.model;
        let (enter, esc) = (&self.context.submit, &self.context.cancel);
        match &self.prompt.kind {
            PromptKind::BackReason { plan, .. } => (
                " Move back ",
                format!(
                    "Move back to {}. Why? (optional, {enter} to skip)",
                    model.def(plan.to()).short
                ),
            ),
            PromptKind::HoldReason { .. } => (" Put on hold ", "Why is it on hold?".into()),
            PromptKind::CancelReason { .. } => (
                " Cancel ",
                format!("Why is it cancelled? ({enter} cancels it, {esc} keeps it)"),
            ),
            PromptKind::ReopenReason { .. } => (
                " Reopen ",
                format!("Why reopen it? (optional; {enter} reopens, {esc} keeps it closed)"),
            ),
            PromptKind::AddItem { step, .. } => (
                " Add checklist item ",
                format!("New item for step {} {}:", step, model.def(*step).short),
            ),
            PromptKind::RenameItem { .. } => (" Rename item ", "The item's new text:".into()),
        }
    }

    /// The question, wrapped onto two lines at most (then cut with `…`).
    fn ask_lines(&self, room: usize) -> Vec<String> {
        let (_, ask) = self.text();
        let mut lines = wrap(&ask, room);
        if lines.len() > 2 {
            let rest = lines[1..].join(" ");
            lines.truncate(1);
            lines.push(fit(&format!("{rest} …"), room));
        }
        lines
    }

    /// The box and the row of its input line: the same for the view and
    /// the cursor.
    fn geometry(&self, area: Rect) -> (Rect, u16, usize) {
        let room = usize::from(popup(area, 1).width.saturating_sub(4));
        let ask = self.ask_lines(room).len() as u16;
        let boxed = popup(area, 3 + ask);
        (boxed, boxed.y + 3 + ask, room)
    }

    pub fn cursor(&self, area: Rect) -> Option<Position> {
        let (boxed, row, room) = self.geometry(area);
        let (_, col) = visible_input(self.prompt.input.text(), self.prompt.input.cursor(), room);
        Some(Position::new(boxed.x + 2 + col as u16, row))
    }
}

impl Widget for PromptDialog<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let (area, input_row, room) = self.geometry(area);
        let (title, _) = self.text();
        let (shown, _) = visible_input(self.prompt.input.text(), self.prompt.input.cursor(), room);
        let head = self
            .context
            .heading(room.saturating_sub(8))
            .unwrap_or_default();
        let mut lines = vec![Line::styled(head, t.title)];
        lines.extend(self.ask_lines(room).into_iter().map(Line::from));
        lines.push(Line::raw(""));
        lines.push(Line::from(vec![
            Span::raw(" "),
            Span::styled(shown, t.text),
        ]));
        Clear.render(area, buf);
        Paragraph::new(lines)
            .block(
                t.block()
                    .title(Span::styled(title, t.title))
                    .border_style(t.border_focused),
            )
            .render(area, buf);
        // Underline the input line so the field is visible without colour.
        let field = Rect::new(area.x + 2, input_row, area.width.saturating_sub(4), 1);
        buf.set_style(field.intersection(area), t.selected_unfocused);
    }
}
