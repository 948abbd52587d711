//! The register as a table. Only the rows on screen are built, so a frame
//! costs the same with 20 initiatives or 100,000.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, HighlightSpacing, Row, StatefulWidget, Table, TableState, Widget};

use chrono::{DateTime, NaiveDate, Utc};

use super::Theme;
use super::text::fit;
use crate::domain::{BacklogRow, Status};

/// Borders and the column header take three lines.
pub fn visible_rows(area: Rect) -> usize {
    usize::from(area.height.saturating_sub(3)).max(1)
}

/// Which of the shown rows (an index into the view) is drawn at row `y`
/// of a backlog pane in `area`: under the top border and the column
/// header, from the scroll offset `offset`, with `shown` rows in all.
pub fn row_at(offset: usize, shown: usize, area: Rect, y: u16) -> Option<usize> {
    let first = area.y + 2;
    if y < first || usize::from(y - first) >= visible_rows(area) {
        return None;
    }
    let i = offset + usize::from(y - first);
    (i < shown).then_some(i)
}

/// A row on the pane's page, with the number of steps of its own model.
#[derive(Debug, Clone, Copy)]
pub struct PageRow<'a> {
    pub row: &'a BacklogRow,
    pub steps: usize,
}

/// What the backlog pane draws: the rows on its page (only those: a frame
/// costs the same at 20 rows or 100,000) and the counts and order around
/// them.
#[derive(Debug, Clone)]
pub struct Backlog<'a> {
    /// The rows on the page, the first being shown row `first`.
    pub page: Vec<PageRow<'a>>,
    pub first: usize,
    /// The selected row, an index among the shown rows.
    pub selected: usize,
    /// Rows the filter lets through, and rows in the register.
    pub shown: usize,
    pub total: usize,
    pub filter: &'a str,
    /// The key that clears the filter (named when it hides every row).
    pub clear_key: String,
    /// The sort order's name.
    pub sort: &'a str,
    /// Steps of the longest model: the step column's width.
    pub steps: usize,
    /// The largest id in the register: the id column's width.
    pub max_id: Option<i64>,
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
}

pub struct BacklogTable<'a> {
    backlog: &'a Backlog<'a>,
    theme: &'a Theme,
    focused: bool,
}

impl<'a> BacklogTable<'a> {
    pub fn new(backlog: &'a Backlog<'a>, theme: &'a Theme, focused: bool) -> Self {
        BacklogTable {
            backlog,
            theme,
            focused,
        }
    }

    /// Status flag: what needs attention first.
    fn flag(&self, row: &BacklogRow) -> Span<'static> {
        let t = self.theme;
        match row.status {
            Status::Active if row.is_overdue(self.backlog.today) => Span::styled("!", t.error),
            Status::Active => Span::raw(" "),
            Status::OnHold => Span::styled("‖", t.warn),
            Status::Done if row.unsuccessful => Span::styled("✗", t.error),
            Status::Done => Span::styled("✓", t.ok),
            Status::Cancelled => Span::styled("×", t.dim),
        }
    }

    /// The row's progress through its own model's steps, in a column
    /// `width` wide (models have different numbers of steps).
    fn dots(&self, row: &BacklogRow, steps: usize, width: usize) -> Line<'static> {
        let n = usize::from(row.step.number()).min(steps);
        let done = if row.status == Status::Done { n } else { n - 1 };
        let style = if row.status.is_open() {
            self.theme.accent
        } else {
            self.theme.dim
        };
        Line::from(vec![
            Span::styled("●".repeat(done), style),
            Span::styled(if done < n { "◉" } else { "" }, style),
            Span::styled("○".repeat(steps - n), self.theme.dim),
            Span::raw(" ".repeat(width.saturating_sub(steps))),
        ])
    }
}

impl Widget for BacklogTable<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let b = self.backlog;
        let (total, shown) = (b.total, b.shown);
        let count = if shown == total {
            format!("({total})")
        } else {
            format!("({shown} of {total})")
        };
        let mut spans = vec![
            Span::styled(" Backlog ", t.title),
            Span::styled(format!("{count} "), t.dim),
        ];
        if !b.filter.is_empty() {
            let room = usize::from(area.width).saturating_sub(32).max(8);
            spans.push(Span::styled(format!("/{} ", fit(b.filter, room)), t.warn));
        }
        spans.push(Span::styled(format!("· by {} ", b.sort), t.dim));
        let title = Line::from(spans);
        let block = t.pane(title, self.focused);
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.width < 10 || inner.height < 2 {
            return;
        }

        // Wide enough for the longest model, so the column stays put
        // whichever rows are on screen.
        let steps = b.steps.max(1);
        let page = visible_rows(area);
        let start = b.first.min(shown);
        let now = b.now;
        // Every id and age shows whole, however large (or negative, from an
        // import): the columns widen to the widest on the page, and ids to the
        // largest in the register so they do not jump while scrolling.
        let page_rows = || b.page.iter().take(page).map(|p| p.row);
        let id_w = page_rows()
            .map(|r| r.id.to_string().len())
            .chain([b.max_id.unwrap_or(1).to_string().len(), 2])
            .max()
            .unwrap_or(2);
        let age_w = page_rows()
            .filter(|r| r.status.is_open())
            .map(|r| r.days_in_step(now).to_string().len() + 1)
            .chain([4])
            .max()
            .unwrap_or(4);
        let show_owner = inner.width >= 64;
        // The marker column, then the cells and their gaps.
        let fixed = 1 + id_w + 1 + steps + 1 + age_w + 6 + if show_owner { 11 } else { 0 };
        let title_w = usize::from(inner.width).saturating_sub(fixed).max(4);

        let highlight = if self.focused {
            t.selected
        } else {
            t.selected_unfocused
        };
        // The selection is a marker and the id in the selection colour, not
        // the whole row: moving it rewrites a few cells instead of two whole
        // rows, which is most of what a key costs over SSH.
        let selected = (shown > 0).then_some(b.selected);
        let body: Vec<Row> = (start..)
            .zip(b.page.iter().take(page))
            .map(|(i, &PageRow { row, steps: own })| {
                let muted = !row.status.is_open();
                let text_style = if muted { t.dim } else { t.text };
                let id_style = if selected == Some(i) {
                    highlight
                } else {
                    t.dim
                };
                let mut cells = vec![
                    Cell::from(Span::styled(format!("{:>id_w$}", row.id), id_style)),
                    Cell::from(self.flag(row)),
                    Cell::from(Span::styled(fit(&row.title, title_w), text_style)),
                    Cell::from(self.dots(row, own, steps)),
                    Cell::from(Span::styled(
                        format!("P{}", row.priority),
                        t.priority(row.priority),
                    )),
                ];
                if show_owner {
                    cells.push(Cell::from(Span::styled(fit(&row.owner, 10), text_style)));
                }
                let age = if row.status.is_open() {
                    format!("{:>w$}d", row.days_in_step(now), w = age_w - 1)
                } else {
                    String::new()
                };
                cells.push(Cell::from(Span::styled(age, t.dim)));
                Row::new(cells)
            })
            .collect();

        let mut widths = vec![
            Constraint::Length(u16::try_from(id_w).unwrap_or(u16::MAX)),
            Constraint::Length(1),
            Constraint::Fill(1),
            Constraint::Length(steps as u16),
            Constraint::Length(2),
        ];
        if show_owner {
            widths.push(Constraint::Length(10));
        }
        widths.push(Constraint::Length(u16::try_from(age_w).unwrap_or(u16::MAX)));
        let mut header = vec![
            "#".to_string(),
            String::new(),
            "Title".into(),
            "Step".into(),
            "P".into(),
        ];
        if show_owner {
            header.push("Owner".into());
        }
        header.push(format!("{:>age_w$}", "Age"));

        let marker = if self.focused { t.accent } else { t.dim };
        let table = Table::new(body, widths)
            .header(Row::new(header).style(t.dim))
            .column_spacing(1)
            .highlight_symbol(Span::styled("▌", marker))
            .highlight_spacing(HighlightSpacing::Always);
        let mut state = TableState::default()
            .with_selected((shown > 0).then(|| b.selected.saturating_sub(start)));
        StatefulWidget::render(table, inner, buf, &mut state);
        if shown == 0 && total > 0 {
            let msg = format!(
                "No initiative matches /{}. {} clears the filter.",
                b.filter, b.clear_key
            );
            let y = inner.y + 1.min(inner.height.saturating_sub(1));
            Line::styled(fit(&msg, usize::from(inner.width)), t.dim)
                .render(Rect::new(inner.x, y, inner.width, 1), buf);
        }
    }
}
