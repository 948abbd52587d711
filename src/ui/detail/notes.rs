//! Notes: date, kind and body.

use ratatui::text::{Line, Span};

use super::DetailView;
use super::lines::{Lines, fit_spans, pad, paragraphs};
use crate::domain::DateFormat;
use crate::domain::detail::{Note, NoteKind};
use crate::ui::Theme;
use crate::ui::text::fit;

/// Columns of a note's kind ("decision" and two spaces) after its date.
const NOTE_KIND_W: usize = 10;

impl DetailView<'_> {
    pub(super) fn notes(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let notes = &self.detail.notes;
        self.heading(out, format!("Notes ({})", notes.len()), w);
        if notes.is_empty() {
            out.push(Line::styled(fit("none yet", w), t.dim));
        }
        for note in notes {
            note_lines(out, t, self.dates, note, w);
        }
    }
}

fn note_lines(out: &mut Lines, t: &Theme, dates: &DateFormat, note: &Note, w: usize) {
    // Date, a space and the kind before the body.
    let note_indent = dates.width() + 1 + NOTE_KIND_W;
    let kind_style = match note.kind {
        NoteKind::Work => t.text,
        NoteKind::Decision => t.accent,
        NoteKind::Lesson => t.ok,
    };
    let head = vec![
        Span::styled(pad(dates.day(note.at), dates.width() + 1), t.dim),
        Span::styled(
            format!("{:<w$}", note.kind.as_str(), w = NOTE_KIND_W),
            kind_style,
        ),
    ];
    let narrow = w < note_indent + 20;
    let indent = if narrow { 2 } else { note_indent };
    let body = paragraphs(&note.body, w.saturating_sub(indent));
    if narrow {
        out.push(Line::from(fit_spans(head, w)));
        for line in body {
            out.push(Line::from(fit_spans(
                vec![Span::raw(" ".repeat(indent)), Span::styled(line, t.text)],
                w,
            )));
        }
        return;
    }
    for (i, line) in body.into_iter().enumerate() {
        let mut spans = if i == 0 {
            head.clone()
        } else {
            vec![Span::raw(" ".repeat(indent))]
        };
        spans.push(Span::styled(line, t.text));
        out.push(Line::from(fit_spans(spans, w)));
    }
}
