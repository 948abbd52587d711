//! A form drawn over the dashboard: one line per field, the focused field's
//! hint, and the error that stopped a save next to its field.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::Theme;
use super::dialog::visible_input;
use super::text::fit;
use crate::app::form::{FieldKind, Form, FormField};

pub struct FormView<'a> {
    form: &'a Form,
    theme: &'a Theme,
    /// The keys line under the fields: each key with what it does, from
    /// the keymap.
    keys: Vec<(String, &'static str)>,
    /// The keys a field's hint names, as the keymap has them: `←/→` and
    /// `Ctrl-e` by default.
    hint_keys: [(&'static str, String); 2],
}

const LABEL_W: usize = 14;

impl<'a> FormView<'a> {
    pub fn new(form: &'a Form, theme: &'a Theme) -> Self {
        FormView {
            form,
            theme,
            keys: Vec::new(),
            hint_keys: [("←/→", "←/→".into()), ("Ctrl-e", "Ctrl-e".into())],
        }
    }

    /// The keys that change a choice (`←/→`) and open the editor, to name
    /// in the hints.
    pub fn hint_keys(mut self, choice: String, editor: String) -> Self {
        self.hint_keys = [("←/→", choice), ("Ctrl-e", editor)];
        self
    }

    /// The keys to list under the fields.
    pub fn keys(mut self, keys: Vec<(String, &'static str)>) -> Self {
        self.keys = keys;
        self
    }

    fn popup(&self, area: Rect) -> Rect {
        // Fields, a blank line, hint or error, and the keys line.
        let h = self.form.fields.len() as u16 + 5;
        let w = area.width.saturating_sub(2).min(78);
        area.centered(
            Constraint::Length(w),
            Constraint::Length(h.min(area.height)),
        )
    }

    /// Lines scroll so the focused field is always visible on short screens.
    fn first_field(&self, inner: Rect) -> usize {
        let room = usize::from(inner.height.saturating_sub(3)).max(1);
        (self.form.focus + 1).saturating_sub(room)
    }

    fn value_spans(&self, field: &FormField, focused: bool, room: usize) -> Vec<Span<'static>> {
        let t = self.theme;
        match &field.kind {
            FieldKind::Choice(options) | FieldKind::ChoiceOrNew(options) if !field.takes_text() => {
                let value = options.get(field.choice).map_or("", String::as_str);
                let style = if focused { t.selected } else { t.text };
                vec![
                    Span::styled("‹ ", t.dim),
                    Span::styled(fit(value, room.saturating_sub(4)), style),
                    Span::styled(" ›", t.dim),
                ]
            }
            FieldKind::ChoiceOrNew(_) => {
                let (shown, _) = visible_input(
                    field.input.text(),
                    field.input.cursor(),
                    room.saturating_sub(6),
                );
                vec![Span::styled("new: ", t.accent), Span::styled(shown, t.text)]
            }
            _ => {
                // Unfocused fields show their start, ending in `…` when
                // there is more; the focused one follows its cursor.
                if !focused {
                    return vec![Span::styled(fit(field.input.text(), room), t.text)];
                }
                let (shown, _) = visible_input(field.input.text(), field.input.cursor(), room);
                // A value typing will replace shows as selected.
                let style = if self.form.selects_all() {
                    t.selected
                } else {
                    t.text
                };
                vec![Span::styled(shown, style)]
            }
        }
    }

    pub fn cursor(&self, area: Rect) -> Option<Position> {
        let field = self.form.focused();
        if !field.takes_text() {
            return None;
        }
        let popup = self.popup(area);
        let inner = Block::bordered().inner(popup);
        let row = self.form.focus.checked_sub(self.first_field(inner))?;
        let room = usize::from(inner.width).saturating_sub(LABEL_W + 2);
        let (room, lead) = if field.is_new() {
            (room.saturating_sub(6), 5)
        } else {
            (room, 0)
        };
        let (_, col) = visible_input(field.input.text(), field.input.cursor(), room);
        Some(Position::new(
            inner.x + (LABEL_W + 2 + lead + col) as u16,
            inner.y + row as u16,
        ))
    }
}

impl Widget for FormView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let popup = self.popup(area);
        Clear.render(popup, buf);
        let block = t
            .block()
            .title(Span::styled(
                format!(" {} ", fit(&self.form.title, 50)),
                t.title,
            ))
            .border_style(t.border_focused);
        let inner = block.inner(popup);
        block.render(popup, buf);
        if inner.height == 0 || inner.width < 10 {
            return;
        }
        let room = usize::from(inner.width).saturating_sub(LABEL_W + 2);
        let first = self.first_field(inner);
        let mut lines: Vec<Line> = Vec::new();
        for (i, field) in self.form.fields.iter().enumerate().skip(first) {
            let focused = i == self.form.focus;
            let has_error = self.form.error.as_ref().is_some_and(|(at, _)| *at == i);
            let label_style = if has_error {
                t.error
            } else if focused {
                t.key
            } else {
                t.dim
            };
            let mark = if focused { "›" } else { " " };
            let mut spans = vec![Span::styled(
                format!("{mark}{:<w$} ", field.label, w = LABEL_W),
                label_style,
            )];
            spans.extend(self.value_spans(field, focused, room));
            lines.push(Line::from(spans));
        }
        let body_rows = usize::from(inner.height.saturating_sub(3));
        lines.truncate(body_rows.max(1));
        while lines.len() < body_rows {
            lines.push(Line::raw(""));
        }
        lines.push(Line::raw(""));
        let w = usize::from(inner.width);
        match &self.form.error {
            Some((at, why)) => {
                let label = self.form.fields.get(*at).map_or("", |f| f.label);
                lines.push(Line::styled(fit(&format!("{label}: {why}"), w), t.error));
            }
            None => {
                let mut hint = self.form.focused().hint.to_string();
                for (default, key) in &self.hint_keys {
                    hint = hint.replace(default, key);
                }
                lines.push(Line::styled(fit(&hint, w), t.dim))
            }
        }
        let mut keys = Vec::new();
        for (i, (key, what)) in self.keys.iter().enumerate() {
            let gap = if i + 1 < self.keys.len() { "  " } else { "" };
            keys.push(Span::styled(key.clone(), t.key));
            keys.push(Span::styled(format!(" {what}{gap}"), t.dim));
        }
        lines.push(Line::from(keys));
        Paragraph::new(lines).render(inner, buf);
        // Mark the text fields' input area so it shows without colour.
        for (row, field) in self
            .form
            .fields
            .iter()
            .enumerate()
            .skip(first)
            .take(body_rows)
        {
            if field.takes_text() {
                let y = inner.y + (row - first) as u16;
                let x = inner.x + LABEL_W as u16 + 2;
                let r = Rect::new(x, y, inner.width.saturating_sub(LABEL_W as u16 + 2), 1)
                    .intersection(inner);
                buf.set_style(r, t.selected_unfocused);
            }
        }
    }
}
