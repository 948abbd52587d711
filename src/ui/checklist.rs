//! The selected initiative's current step: its guiding question, checklist
//! and completion gauge.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, ListState, Paragraph, StatefulWidget, Widget};

use super::Theme;
use super::overflow;
use super::spark::bar;
use super::text::{fit, wrap};
use crate::domain::{BacklogRow, ChecklistItem, Model, Status, Step};

/// Cells of the completion bar at most.
const GAUGE_W: usize = 12;

/// What the checklist pane draws: the selected initiative and the items of
/// the step in view, which is its own or one browsed to.
#[derive(Debug, Clone)]
pub struct Checklist<'a> {
    pub row: &'a BacklogRow,
    /// The initiative's model.
    pub model: &'a Model,
    pub step: Step,
    pub items: &'a [ChecklistItem],
    /// The item under the cursor.
    pub selected: usize,
    /// The keys that browse the steps (`[ ]`), named while another step
    /// than the initiative's own is shown.
    pub browse: String,
}

pub struct ChecklistPane<'a> {
    checklist: Option<&'a Checklist<'a>>,
    theme: &'a Theme,
    focused: bool,
}

impl<'a> ChecklistPane<'a> {
    /// The pane of `checklist`, or an empty pane when nothing is selected.
    pub fn new(checklist: Option<&'a Checklist<'a>>, theme: &'a Theme, focused: bool) -> Self {
        ChecklistPane {
            checklist,
            theme,
            focused,
        }
    }
}

impl Widget for ChecklistPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let Some(c) = self.checklist else {
            t.pane(" Checklist ", self.focused).render(area, buf);
            return;
        };
        let row = c.row;
        // The initiative's title and its step's name are on screen already
        // (the backlog's selected row, the header's highlighted step); the
        // pane names only which initiative, so that a move in the backlog
        // rewrites what really differs.
        let mut title = vec![
            Span::styled(" Checklist ", t.title),
            Span::styled(format!("#{} ", row.id), t.dim),
        ];
        // Only a status other than active is worth the room (days in step
        // are the backlog's Age column).
        // The step in view: the initiative's own, or one browsed to.
        let shown = c.step;
        if shown != row.step {
            title.push(Span::styled(
                format!("at {} · {} ", row.step, c.browse),
                t.warn,
            ));
        }
        if row.unsuccessful {
            title.push(Span::styled("done · unsuccessful ", t.error));
        } else if row.status != Status::Active {
            title.push(Span::styled(format!("{} ", row.status.label()), t.warn));
        }
        let title = Line::from(title);
        let block =
            t.pane(title, self.focused)
                .title_bottom(gauge(c.items, usize::from(area.width), t));
        let inner = block.inner(area);
        if inner.height < 2 || inner.width < 10 {
            block.render(area, buf);
            return;
        }
        let g = Geometry::new(c, inner, self.focused);
        let label = &g.label;
        let heading_lines: Vec<Line> = g
            .heading
            .iter()
            .enumerate()
            .map(|(i, line)| {
                // The label in the accent, the question in bold.
                let cut = if i == 0 {
                    label.len().min(line.len())
                } else {
                    0
                };
                let (lead, rest) = line.split_at(cut);
                Line::from(vec![
                    Span::styled(lead.to_string(), t.accent),
                    Span::styled(rest.to_string(), t.title),
                ])
            })
            .collect();
        // The cursor is the selected item's box alone, not its whole lines:
        // moving it rewrites two boxes, a few bytes over a slow link.
        let selected = c.selected;
        let (offset, end) = (g.offset, g.end);
        let list_area = g.list_area;
        let texts = g.texts;
        overflow::mark_hidden(block, offset, texts.len() - end, t).render(area, buf);
        Paragraph::new(heading_lines).render(g.heading_area, buf);
        let items: Vec<ListItem> = c
            .items
            .iter()
            .zip(texts)
            .enumerate()
            .map(|(n, (item, text))| {
                // One pen for the brackets and the text, the tick alone in
                // the accent: when the selection moves to an initiative at
                // another step, its items' new text goes out without a
                // colour change on every line.
                let tick = if item.is_done() { "x" } else { " " };
                let lead: Vec<Span> = if self.focused && n == selected {
                    vec![
                        Span::styled(format!("[{tick}]"), t.selected),
                        Span::raw(" "),
                    ]
                } else {
                    vec![
                        Span::styled("[", t.text),
                        Span::styled(tick, t.accent),
                        Span::styled("] ", t.text),
                    ]
                };
                let mut lead = Some(lead);
                let lines: Vec<Line> = text
                    .into_iter()
                    .map(|l| {
                        let mut spans = lead.take().unwrap_or_else(|| vec![Span::raw("    ")]);
                        spans.push(Span::styled(l, t.text));
                        Line::from(spans)
                    })
                    .collect();
                ListItem::new(lines)
            })
            .collect();
        if items.is_empty() {
            Line::styled("No checklist items for this step.", t.dim).render(list_area, buf);
        } else {
            // Selected only so that the list scrolls to it, from where the
            // marks in the border say.
            let list = List::new(items);
            let mut state = ListState::default()
                .with_selected(Some(selected))
                .with_offset(offset);
            StatefulWidget::render(list, list_area, buf, &mut state);
        }
    }
}

/// Where the pane's heading and items go: the view draws with it and a
/// click is placed with it, so both agree.
struct Geometry {
    label: String,
    heading: Vec<String>,
    heading_area: Rect,
    list_area: Rect,
    /// Each item's lines.
    texts: Vec<Vec<String>>,
    /// The items in view: `offset..end`.
    offset: usize,
    end: usize,
}

impl Geometry {
    fn new(c: &Checklist, inner: Rect, focused: bool) -> Geometry {
        let model = c.model;
        // The step in view: the initiative's own, or one browsed to.
        let def = model.def(c.step);
        let w = usize::from(inner.width);
        // As the design has it: where in the model, and the question the
        // step answers; wrapped onto a second line rather than cut.
        let label = format!("Step {} of {} · ", c.step, model.len());
        let mut heading = wrap(&format!("{label}{}", def.question), w);
        if heading.len() > 2
            || inner.height < 4
            || !heading
                .first()
                .is_some_and(|l| l.starts_with(label.trim_end()))
        {
            heading = vec![format!(
                "{label}{}",
                fit(&def.question, w.saturating_sub(label.chars().count()))
            )];
        }
        let [heading_area, list_area] = Layout::vertical([
            Constraint::Length(heading.len() as u16),
            Constraint::Fill(1),
        ])
        .areas(inner);
        let text_w = w.saturating_sub(4);
        let selected = c.selected;
        // Every item of the step in view beats a few items in full: when the
        // wrapped items overflow the pane, each gets one line (the detail
        // view has them whole). The list then rarely scrolls, and a step in
        // it stays a two-box change instead of a repaint.
        let rows = usize::from(list_area.height);
        let mut texts: Vec<Vec<String>> = c
            .items
            .iter()
            .map(|item| wrap(&item.text, text_w))
            .collect();
        // The focused item is the exception: it is shown whole, wrapped,
        // since it is the one being read and acted on; unless the list is
        // shorter than it, when it would not be drawn at all.
        if texts.iter().map(Vec::len).sum::<usize>() > rows {
            for (n, (text, item)) in texts.iter_mut().zip(c.items).enumerate() {
                if !(focused && n == selected) || text.len() > rows {
                    *text = vec![fit(&item.text, text_w)];
                }
            }
        }
        let heights: Vec<usize> = texts.iter().map(Vec::len).collect();
        let (offset, end) = window(&heights, selected, rows);
        Geometry {
            label,
            heading,
            heading_area,
            list_area,
            texts,
            offset,
            end,
        }
    }
}

/// Which checklist item is drawn at row `y` of a checklist pane in `area`.
pub fn item_at(checklist: &Checklist, area: Rect, focused: bool, y: u16) -> Option<usize> {
    let inner = Theme::mono().pane("", focused).inner(area);
    let g = Geometry::new(checklist, inner, focused);
    let mut top = g.list_area.y;
    for (n, text) in g.texts.iter().enumerate().take(g.end).skip(g.offset) {
        let h = text.len() as u16;
        if y >= top && y < top + h {
            return Some(n);
        }
        top += h;
    }
    None
}

/// Which items are in view, `offset..end`, with the selected one in it as
/// the list scrolls (as little as it must, from the top).
fn window(heights: &[usize], selected: usize, rows: usize) -> (usize, usize) {
    let selected = selected.min(heights.len().saturating_sub(1));
    let mut offset = 0;
    while offset < selected && heights[offset..=selected].iter().sum::<usize>() > rows {
        offset += 1;
    }
    let mut end = offset;
    let mut used = 0;
    while end < heights.len() && used + heights[end] <= rows {
        used += heights[end];
        end += 1;
    }
    (offset, end.max((offset + 1).min(heights.len())))
}

/// The completion gauge, for the pane's bottom border: "2/6" says it
/// exactly, the short bar is for the eye (every cell of it is rewritten
/// when the selection moves).
fn gauge<'a>(checklist: &[ChecklistItem], width: usize, t: &Theme) -> Line<'a> {
    let done = checklist.iter().filter(|i| i.is_done()).count();
    let total = checklist.len();
    if total == 0 {
        return Line::default();
    }
    let label = format!(" {done}/{total} ");
    let ratio = done as f64 / total as f64;
    // Two corners and a border cell on each side stay visible.
    let bar_w = width.saturating_sub(label.len() + 5).min(GAUGE_W);
    Line::from(vec![
        Span::styled(label, t.text),
        Span::styled(format!("{} ", bar(ratio, bar_w)), t.gauge),
    ])
}
