//! Every change with when and who, or the move log of an older reader.

use ratatui::text::{Line, Span};

use super::DetailView;
use super::lines::{Lines, fit_spans, pad, paragraphs, plural};
use crate::domain::detail::MoveEntry;
use crate::domain::history::{Event, Summary};
use crate::ui::text::fit;

impl DetailView<'_> {
    /// Every change, oldest first, with when and who. A detail read
    /// without its history (an older reader) shows the move log instead.
    pub(super) fn history(&self, out: &mut Lines, w: usize) {
        if self.detail.history.is_empty() {
            return self.move_history(out, w);
        }
        let t = self.theme;
        let d = self.detail;
        self.log_heading(out, "History", plural(d.history.len() as i64, "change"), w);
        let indent = self.dates.stamp_width() + 2;
        let who_w = d
            .history
            .iter()
            .map(|e| unicode_width::UnicodeWidthStr::width(e.author()))
            .max()
            .unwrap_or(0)
            .min(12);
        let narrow = w < indent + who_w + 24;
        for e in &d.history {
            let style = match &e.event {
                Some(Event::Moved { back: true, .. }) => t.warn,
                Some(Event::Closed { code, .. }) if code == "successful" => t.ok,
                Some(Event::Closed { .. } | Event::Cancelled { .. }) => t.warn,
                Some(Event::Deleted { .. } | Event::Undone { .. }) => t.dim,
                _ => t.text,
            };
            let when = Span::styled(pad(self.dates.stamp(e.at), indent), t.dim);
            let who = Span::styled(pad(fit(e.author(), who_w), who_w + 2), t.accent);
            let text_at = if narrow { 2 } else { indent + who_w + 2 };
            let text = match &e.event {
                // Steps by name here: the view knows the model.
                Some(ev @ Event::Moved { from, to, .. }) if from != to => {
                    let numbers = format!("{from} → {to}");
                    let names = format!("{} → {}", self.step_name(*from), self.step_name(*to));
                    Summary(ev).to_string().replacen(&numbers, &names, 1)
                }
                _ => e.summary(),
            };
            let mut lines = paragraphs(&text, w.saturating_sub(text_at)).into_iter();
            let first = if narrow {
                out.push(Line::from(fit_spans(vec![when, who], w)));
                lines
                    .next()
                    .map(|l| vec![Span::raw("  "), Span::styled(l, style)])
            } else {
                lines
                    .next()
                    .map(|l| vec![when, who, Span::styled(l, style)])
            };
            if let Some(first) = first {
                out.push(Line::from(fit_spans(first, w)));
            }
            for line in lines {
                out.push(Line::from(fit_spans(
                    vec![Span::raw(" ".repeat(text_at)), Span::styled(line, style)],
                    w,
                )));
            }
        }
    }

    /// "History (12 changes, 1 return)": the log's heading with its count
    /// and the backward moves among it.
    fn log_heading(&self, out: &mut Lines, name: &str, count: String, w: usize) {
        let returns = self.detail.moves.iter().filter(|m| m.is_return()).count();
        let returns = plural(returns as i64, "return");
        self.heading(out, format!("{name} ({count}, {returns})"), w);
    }

    pub(super) fn move_history(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let d = self.detail;
        self.log_heading(out, "Move history", plural(d.moves.len() as i64, "move"), w);
        if d.moves.is_empty() {
            out.push(Line::styled(fit("no moves recorded", w), t.dim));
        }
        for mv in &d.moves {
            self.move_lines(out, mv, w);
        }
    }

    pub(super) fn step_name(&self, n: i64) -> String {
        match self.model.step(n) {
            Some(s) => self.model.def(s).short.clone(),
            None => format!("step {n}"),
        }
    }

    pub(super) fn move_lines(&self, out: &mut Lines, mv: &MoveEntry, w: usize) {
        let t = self.theme;
        // The stamp and two spaces, padded so that every move's text
        // starts in one column whatever the date.
        let move_indent = self.dates.stamp_width() + 2;
        let when = Span::styled(pad(self.dates.stamp(mv.at), move_indent), t.dim);
        let what = match mv.from {
            None => vec![
                Span::styled("created at ", t.dim),
                Span::styled(self.step_name(mv.to), t.text),
            ],
            Some(_) if mv.is_completion() => vec![
                Span::styled("✓ completed ", t.ok),
                Span::styled(self.step_name(mv.to), t.ok),
            ],
            Some(from) => {
                let style = if mv.is_return() { t.warn } else { t.text };
                vec![
                    Span::styled(if mv.is_return() { "↩ " } else { "" }, t.warn),
                    Span::styled(self.step_name(from), style),
                    Span::styled(" → ", t.dim),
                    Span::styled(self.step_name(mv.to), style),
                ]
            }
        };
        let narrow = w < move_indent + 20;
        let mut spans = vec![when];
        spans.extend(what);
        out.push(Line::from(fit_spans(spans, w)));
        if let Some(reason) = mv.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            let indent = if narrow { 2 } else { move_indent + 2 };
            let style = if mv.is_return() { t.text } else { t.dim };
            for line in paragraphs(reason, w.saturating_sub(indent)) {
                out.push(Line::from(fit_spans(
                    vec![Span::raw(" ".repeat(indent)), Span::styled(line, style)],
                    w,
                )));
            }
        }
    }
}
