//! Every step of the model with its checklist completion, and the current
//! step's items under it.

use ratatui::text::{Line, Span};

use super::DetailView;
use super::lines::{Lines, fit_spans};
use crate::domain::Status;
use crate::domain::text::sanitize;
use crate::ui::spark::bar;
use crate::ui::text::{fit, width as text_width, wrap};

/// Width of the checklist completion bars.
const STEP_BAR_W: usize = 10;

impl DetailView<'_> {
    pub(super) fn steps(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let d = self.detail;
        self.heading(out, format!("Steps · {}", self.model.name), w);
        let short_w = self
            .model
            .steps
            .iter()
            .map(|s| text_width(&sanitize(&s.short)))
            .max()
            .unwrap_or(0);
        let num_w = self.model.len().to_string().len();
        let finished = d.status == Status::Done;
        for step in self.model.steps() {
            let def = self.model.def(step);
            let current = step == d.step && !finished;
            let (marker, marker_style) = if step < d.step || (finished && step <= d.step) {
                ("✓", t.ok)
            } else if current {
                ("▶", t.accent.patch(t.title))
            } else {
                ("·", t.dim)
            };
            let (done, total) = d.checklist_completion(step);
            let name_style = if current {
                t.accent.patch(t.title)
            } else if step > d.step {
                t.dim
            } else {
                t.text
            };
            let mut spans = vec![
                Span::styled(format!("{marker} "), marker_style),
                Span::styled(
                    format!(
                        "{:>num_w$} {:<short_w$}",
                        step.number(),
                        fit(&def.short, short_w)
                    ),
                    name_style,
                ),
                Span::styled(format!("  {done:>2}/{total:<2}"), name_style),
            ];
            let used: usize = 2 + num_w + 1 + short_w + 7;
            if w >= used + 1 + STEP_BAR_W {
                let ratio = if total == 0 {
                    0.0
                } else {
                    done as f64 / total as f64
                };
                spans.push(Span::raw(" "));
                spans.push(Span::styled(bar(ratio, STEP_BAR_W), t.gauge));
                let room = w.saturating_sub(used + 1 + STEP_BAR_W + 2);
                if room >= 12 {
                    spans.push(Span::styled(
                        format!("  {}", fit(&def.question, room)),
                        t.dim,
                    ));
                }
            }
            out.push(Line::from(fit_spans(spans, w)));
            if current {
                self.current_items(out, w);
            }
        }
    }

    /// The current step's checklist under its line.
    pub(super) fn current_items(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let mut any = false;
        let indent = 4 + 4;
        for item in self.detail.checklist_of(self.detail.step) {
            any = true;
            let (mark, style) = if item.is_done() {
                ("[x] ", t.dim)
            } else {
                ("[ ] ", t.text)
            };
            let lines = wrap(&item.text, w.saturating_sub(indent));
            let last = lines.len() - 1;
            for (i, text) in lines.into_iter().enumerate() {
                let lead = if i == 0 {
                    Span::styled(format!("    {mark}"), t.accent)
                } else {
                    Span::raw(" ".repeat(indent))
                };
                let used = indent + text_width(&text);
                let mut spans = vec![lead, Span::styled(text, style)];
                if i == last
                    && let Some(done) = item.done_at
                {
                    let date = format!("  {}", self.ymd(done));
                    if used + date.len() <= w {
                        spans.push(Span::styled(date, t.dim));
                    }
                }
                out.push(Line::from(fit_spans(spans, w)));
            }
        }
        if !any {
            out.push(Line::styled(fit("    no checklist items", w), t.dim));
        }
    }
}
