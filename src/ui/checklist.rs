//! The selected initiative's current step: its guiding question, checklist
//! and completion gauge.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, StatefulWidget, Widget};

use super::Theme;
use super::spark::bar;
use super::text::{fit, wrap};
use crate::app::App;
use crate::domain::Status;

pub struct ChecklistPane<'a> {
    app: &'a App,
    theme: &'a Theme,
    focused: bool,
}

impl<'a> ChecklistPane<'a> {
    pub fn new(app: &'a App, theme: &'a Theme, focused: bool) -> Self {
        ChecklistPane {
            app,
            theme,
            focused,
        }
    }
}

impl Widget for ChecklistPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let model = self.app.model();
        let (Some(row), Some(detail)) = (self.app.selected_row(), self.app.detail()) else {
            t.pane(" Checklist ", self.focused).render(area, buf);
            return;
        };
        let def = model.def(row.step);
        let title_room = usize::from(area.width).saturating_sub(4);
        let id = format!(" #{} ", row.id);
        let title = Line::from(vec![
            Span::styled(id.clone(), t.dim),
            Span::styled(
                format!(
                    "{} ",
                    fit(&row.title, title_room.saturating_sub(id.len() + 1))
                ),
                t.title,
            ),
        ]);
        let block = t.pane(title, self.focused);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.height < 3 || inner.width < 10 {
            return;
        }
        let [heading, question, list_area, gauge] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(1),
        ])
        .areas(inner);

        let w = usize::from(inner.width);
        let status = match row.status {
            Status::Active => format!("{}d in step", row.days_in_step(self.app.now())),
            other => other.label().to_string(),
        };
        let step_label = format!("Step {} of {} · {}", row.step, model.len(), def.short);
        let gap = w
            .saturating_sub(step_label.chars().count() + status.chars().count())
            .max(1);
        Line::from(vec![
            Span::styled(step_label, t.accent),
            Span::raw(" ".repeat(gap)),
            Span::styled(
                status,
                if row.status == Status::Active {
                    t.dim
                } else {
                    t.warn
                },
            ),
        ])
        .render(heading, buf);
        Line::styled(fit(&def.question, w), t.title).render(question, buf);

        let text_w = w.saturating_sub(4);
        // The cursor is the selected item's box alone, not its whole lines:
        // moving it rewrites two boxes, a few bytes over a slow link.
        let selected = self.app.checklist_selected();
        // Every item of the step in view beats a few items in full: when the
        // wrapped items overflow the pane, each gets one line (the detail
        // view has them whole). The list then rarely scrolls, and a step in
        // it stays a two-box change instead of a repaint.
        let rows = usize::from(list_area.height);
        let mut texts: Vec<Vec<String>> = detail
            .checklist
            .iter()
            .map(|item| wrap(&item.text, text_w))
            .collect();
        if texts.iter().map(Vec::len).sum::<usize>() > rows {
            for (text, item) in texts.iter_mut().zip(&detail.checklist) {
                *text = vec![fit(&item.text, text_w)];
            }
        }
        let items: Vec<ListItem> = detail
            .checklist
            .iter()
            .zip(texts)
            .enumerate()
            .map(|(n, (item, text))| {
                let (mark, style) = if item.is_done() {
                    ("[x] ", t.dim)
                } else {
                    ("[ ] ", t.text)
                };
                let mark_style = if self.focused && n == selected {
                    t.selected
                } else {
                    t.accent
                };
                let lines: Vec<Line> = text
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let lead = if i == 0 {
                            Span::styled(mark, mark_style)
                        } else {
                            Span::raw("    ")
                        };
                        Line::from(vec![lead, Span::styled(l, style)])
                    })
                    .collect();
                ListItem::new(lines)
            })
            .collect();
        if items.is_empty() {
            Line::styled("No checklist items for this step.", t.dim).render(list_area, buf);
        } else {
            // Selected only so that the list scrolls to it.
            let list = List::new(items);
            let mut state = ListState::default().with_selected(Some(selected));
            StatefulWidget::render(list, list_area, buf, &mut state);
        }

        let done = detail.checklist.iter().filter(|i| i.is_done()).count();
        let total = detail.checklist.len();
        let label = format!("{done}/{total} ");
        let ratio = if total == 0 {
            0.0
        } else {
            done as f64 / total as f64
        };
        let pct = format!(" {:>3.0}%", ratio * 100.0);
        let bar_w = w.saturating_sub(label.len() + pct.len());
        Line::from(vec![
            Span::styled(label, t.text),
            Span::styled(bar(ratio, bar_w), t.gauge),
            Span::styled(pct, t.dim),
        ])
        .render(gauge, buf);
    }
}
