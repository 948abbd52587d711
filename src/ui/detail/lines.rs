//! Line-building helpers every section of the page shares: register text
//! is sanitised and cut to its width here.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::domain::Status;
use crate::domain::text::sanitize;
use crate::ui::Theme;
use crate::ui::text::{fit, width as text_width, wrap};

pub(super) type Lines = Vec<Line<'static>>;

pub(super) fn status_style(t: &Theme, s: Status) -> Style {
    match s {
        Status::Active | Status::Done => t.ok,
        Status::OnHold => t.warn,
        Status::Cancelled => t.dim,
    }
}

/// `text` and spaces up to `width` columns.
pub(super) fn pad(text: String, width: usize) -> String {
    let room = width.saturating_sub(text_width(&text));
    text + &" ".repeat(room)
}

pub(super) fn plural(n: i64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

pub(super) fn dash(t: &Theme) -> Vec<Span<'static>> {
    vec![Span::styled("–", t.dim)]
}

/// Sanitises each span and cuts the line to `width` columns, ending with
/// `…` where it was cut.
pub(super) fn fit_spans(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let mut left = width;
    let mut out = Vec::with_capacity(spans.len());
    for span in spans {
        if left == 0 {
            break;
        }
        let safe = sanitize(&span.content);
        let w = text_width(&safe);
        if w <= left {
            left -= w;
            out.push(Span::styled(safe.into_owned(), span.style));
        } else {
            out.push(Span::styled(fit(&safe, left), span.style));
            break;
        }
    }
    out
}

/// Width of a line made of safe spans.
pub(super) fn spans_width(spans: &[Span<'_>]) -> usize {
    spans.iter().map(|s| text_width(&s.content)).sum()
}

/// Register text wrapped to `width`, keeping its own line breaks.
pub(super) fn paragraphs(text: &str, width: usize) -> Vec<String> {
    text.trim_end()
        .split('\n')
        .flat_map(|p| wrap(p.trim_end_matches('\r'), width))
        .collect()
}
