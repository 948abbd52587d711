//! The description and the follow-up chain (parent, this one, follow-ups).

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::DetailView;
use super::lines::{Lines, fit_spans, paragraphs, status_style};
use crate::ui::text::{fit, width as text_width};

impl DetailView<'_> {
    pub(super) fn description(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        self.heading(out, "Description".into(), w);
        if self.detail.description.trim().is_empty() {
            out.push(Line::styled("(none)", t.dim));
            return;
        }
        for line in paragraphs(&self.detail.description, w) {
            out.push(Line::styled(line, t.text));
        }
    }

    pub(super) fn chain(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let d = self.detail;
        self.heading(out, "Follow-up chain".into(), w);
        if d.parent.is_none() && d.children.is_empty() {
            out.push(Line::styled(
                fit("no parent and no follow-ups yet", w),
                t.dim,
            ));
            return;
        }
        let link =
            |mark: &str, id: i64, title: &str, style: Style, suffix: Option<(String, Style)>| {
                let mut spans = vec![
                    Span::styled(format!("{mark} "), t.accent),
                    Span::styled(format!("#{id} "), t.dim),
                ];
                let used = text_width(mark) + 1 + format!("#{id} ").len();
                let suffix_w = suffix.as_ref().map_or(0, |(s, _)| text_width(s));
                spans.push(Span::styled(
                    fit(title, w.saturating_sub(used + suffix_w)),
                    style,
                ));
                if let Some((s, style)) = suffix {
                    spans.push(Span::styled(s, style));
                }
                Line::from(fit_spans(spans, w))
            };
        if let Some((id, title)) = &d.parent {
            out.push(link(
                "↑",
                *id,
                title,
                t.text,
                Some((" (parent)".into(), t.dim)),
            ));
        }
        out.push(link(
            "●",
            d.id,
            &d.title,
            t.title,
            Some((" (this one)".into(), t.dim)),
        ));
        for (id, title, status) in &d.children {
            out.push(link(
                "↓",
                *id,
                title,
                t.text,
                Some((format!(" ({})", status.label()), status_style(t, *status))),
            ));
        }
    }
}
