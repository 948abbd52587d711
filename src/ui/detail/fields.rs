//! The page's top: status, step, due date and the short fields in a grid.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::DetailView;
use super::lines::{Lines, dash, fit_spans, paragraphs, plural, spans_width, status_style};
use crate::domain::Status;
use crate::domain::text::decimal;
use crate::ui::Theme;
use crate::ui::text::fit;

/// Width of a field label column ("Raised by" and a space).
const LABEL_W: usize = 11;
/// Narrowest column of the field grid.
const MIN_CELL_W: usize = 34;
const MAX_GRID_COLS: usize = 4;
const GRID_GAP: usize = 2;
/// Due within this many days is flagged as due soon.
const DUE_SOON_DAYS: i64 = 7;

impl DetailView<'_> {
    pub(super) fn fields(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let d = self.detail;
        let label_w = LABEL_W.min(w / 3);

        // Status, with why it is held or how it was closed.
        let mut status = vec![Span::styled(d.status.label(), status_style(t, d.status))];
        if let Some(code) = d.closure_code.as_deref().filter(|_| !d.status.is_open()) {
            let style = match code {
                "successful" => t.ok,
                "unsuccessful" => t.warn,
                _ => t.dim,
            };
            status.push(Span::styled(" · ", t.dim));
            status.push(Span::styled(code.to_string(), style));
        }
        out.push(labelled(t, "Status", label_w, status, w));
        if let Some(reason) = d.hold_reason.as_deref().filter(|r| !r.trim().is_empty()) {
            wide(out, t, "Reason", label_w, reason, t.warn, w);
        }
        if let Some(realised) = d.realised.as_deref().filter(|r| !r.trim().is_empty()) {
            wide(out, t, "Realised", label_w, realised, t.text, w);
        }
        if let Some(why) = d.cancel_reason.as_deref().filter(|r| !r.trim().is_empty()) {
            wide(out, t, "Cancelled", label_w, why, t.warn, w);
        }

        // Where it is in its model.
        let def = self.model.def(d.step);
        let mut step = vec![
            Span::styled(format!("{} of {}", d.step, self.model.len()), t.text),
            Span::styled(" · ", t.dim),
            Span::styled(def.short.clone(), t.accent),
        ];
        match (d.status, d.done_at) {
            (Status::Done, Some(done)) => {
                step.push(Span::styled(
                    format!(" · completed {}", self.ymd(done)),
                    t.dim,
                ));
            }
            (Status::Active | Status::OnHold, _) => {
                let days = d.days_in_step(self.now);
                step.push(Span::styled(
                    format!(" · {} in step", plural(days, "day")),
                    t.dim,
                ));
            }
            _ => {}
        }
        out.push(labelled(t, "Step", label_w, step, w));
        out.push(labelled(t, "Due", label_w, self.due(), w));

        // The short fields, in a grid as wide as the screen allows.
        let weight = decimal(d.effort.weight());
        let mut cells: Vec<(&str, Vec<Span<'static>>)> = vec![
            (
                "Priority",
                vec![Span::styled(
                    format!("P{}", d.priority),
                    t.priority(d.priority),
                )],
            ),
            ("Value", vec![Span::raw(format!("{} of 10", d.value))]),
            (
                "Effort",
                vec![
                    Span::raw(d.effort.as_str()),
                    Span::styled(format!(" (weight {weight})"), t.dim),
                ],
            ),
            (
                "Score",
                vec![
                    Span::styled(format!("{:.1}", d.score()), t.accent),
                    Span::styled(format!(" = {} / {weight}", d.value), t.dim),
                ],
            ),
            ("Owner", text_or_dash(t, &d.owner)),
            ("Raised by", text_or_dash(t, &d.raised_by)),
            ("Area", text_or_dash(t, d.area.as_deref().unwrap_or(""))),
            ("Created", vec![Span::raw(self.ymd(d.created_at))]),
            ("Updated", vec![Span::raw(self.ymd(d.updated_at))]),
            (
                "Returns",
                vec![Span::styled(
                    d.returns.to_string(),
                    if d.returns > 0 { t.warn } else { t.dim },
                )],
            ),
        ];
        if let (Some(done), false) = (d.done_at, d.status == Status::Done) {
            cells.push(("Done at", vec![Span::raw(self.ymd(done))]));
        }
        grid(out, t, &cells, label_w, w);

        // Longer text gets whole lines.
        match &d.goal {
            Some(goal) => {
                wide(out, t, "Goal", label_w, &goal.name, t.text, w);
                if !goal.description.trim().is_empty() {
                    wide(out, t, "", label_w, &goal.description, t.dim, w);
                }
            }
            None => out.push(labelled(t, "Goal", label_w, dash(t), w)),
        }
        if d.source.trim().is_empty() {
            out.push(labelled(t, "Source", label_w, dash(t), w));
        } else {
            wide(out, t, "Source", label_w, &d.source, t.text, w);
        }
        let tags: Vec<&str> = d
            .tags
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if tags.is_empty() {
            out.push(labelled(t, "Tags", label_w, dash(t), w));
        } else {
            wide(out, t, "Tags", label_w, &tags.join(", "), t.accent, w);
        }
    }

    /// The due date with an overdue or due-soon flag while open.
    pub(super) fn due(&self) -> Vec<Span<'static>> {
        let t = self.theme;
        let Some(due) = self.detail.due else {
            return dash(t);
        };
        let mut spans = vec![Span::raw(self.dates.date(due))];
        if self.detail.status.is_open() {
            let days = (due - self.today).num_days();
            let (flag, style) = match days {
                d if d < 0 => (format!(" · {} overdue", plural(-d, "day")), t.error),
                0 => (" · due today".to_string(), t.warn),
                d if d <= DUE_SOON_DAYS => (format!(" · due in {}", plural(d, "day")), t.warn),
                d => (format!(" · due in {}", plural(d, "day")), t.dim),
            };
            spans.push(Span::styled(flag, style));
        }
        spans
    }
}

fn text_or_dash(t: &Theme, s: &str) -> Vec<Span<'static>> {
    if s.trim().is_empty() {
        dash(t)
    } else {
        // Cut to its cell by `fit_spans`, which sanitises.
        vec![Span::styled(s.to_string(), t.text)]
    }
}

/// A label and a one-line value, cut to the width.
fn labelled(
    t: &Theme,
    label: &str,
    label_w: usize,
    value: Vec<Span<'static>>,
    w: usize,
) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!("{:<label_w$}", fit(label, label_w.saturating_sub(1))),
        t.dim,
    )];
    spans.extend(fit_spans(value, w.saturating_sub(label_w)));
    Line::from(fit_spans(spans, w))
}

/// A label and register text wrapped beside it.
fn wide(
    out: &mut Lines,
    t: &Theme,
    label: &str,
    label_w: usize,
    text: &str,
    style: Style,
    w: usize,
) {
    for (i, line) in paragraphs(text, w.saturating_sub(label_w))
        .into_iter()
        .enumerate()
    {
        let lead = if i == 0 {
            format!("{:<label_w$}", fit(label, label_w.saturating_sub(1)))
        } else {
            " ".repeat(label_w)
        };
        out.push(Line::from(fit_spans(
            vec![Span::styled(lead, t.dim), Span::styled(line, style)],
            w,
        )));
    }
}

/// Short fields in columns, filled top to bottom then left to right.
fn grid(
    out: &mut Lines,
    t: &Theme,
    cells: &[(&str, Vec<Span<'static>>)],
    label_w: usize,
    w: usize,
) {
    let cols = (w / MIN_CELL_W).clamp(1, MAX_GRID_COLS);
    let rows = cells.len().div_ceil(cols);
    // Each column as wide as its widest cell, and the room left shared
    // out, so that a long value next to short ones is shown whole; when
    // the cells do not fit so, equal columns cut the long ones.
    let room = w.saturating_sub(GRID_GAP * (cols - 1));
    let natural: Vec<usize> = (0..cols)
        .map(|c| {
            cells
                .iter()
                .skip(c * rows)
                .take(rows)
                .map(|(_, v)| label_w + spans_width(v))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let total: usize = natural.iter().sum();
    let widths: Vec<usize> = if total <= room {
        natural.iter().map(|n| n + (room - total) / cols).collect()
    } else {
        vec![room / cols; cols]
    };
    for r in 0..rows {
        let mut spans = Vec::new();
        for (c, &col_w) in widths.iter().enumerate() {
            let Some((label, value)) = cells.get(c * rows + r) else {
                break;
            };
            if c > 0 {
                spans.push(Span::raw(" ".repeat(GRID_GAP)));
            }
            let cell = labelled(t, label, label_w, value.clone(), col_w);
            let used = spans_width(&cell.spans);
            spans.extend(cell.spans);
            if c + 1 < cols {
                spans.push(Span::raw(" ".repeat(col_w.saturating_sub(used))));
            }
        }
        out.push(Line::from(fit_spans(spans, w)));
    }
}
