//! What does not fit is marked: a line cut short ends in `…`, and a pane
//! with lines above or below its view says how many in its border.

use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use super::Theme;
use unicode_segmentation::UnicodeSegmentation;

use super::text::width;

/// `line` cut to `max` columns, its last visible character replaced by `…`
/// when anything was cut. Styles are kept.
pub fn fit_line(line: Line<'static>, max: usize) -> Line<'static> {
    if line.width() <= max {
        return line;
    }
    if max == 0 {
        return Line::default();
    }
    // The first `max - 1` columns, then the ellipsis in the style of the
    // span it cuts.
    let room = max.saturating_sub(1);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let w = width(&span.content);
        if used + w <= room {
            used += w;
            spans.push(span);
            continue;
        }
        let mut kept = String::new();
        for g in span.content.graphemes(true) {
            let gw = width(g);
            if used + gw > room {
                break;
            }
            used += gw;
            kept.push_str(g);
        }
        kept.push('…');
        spans.push(Span::styled(kept, span.style));
        break;
    }
    Line::from(spans).style(line.style)
}

/// The pane's block with "↑ N more" at the top right and "↓ N more" at the
/// bottom right when lines are hidden there.
pub fn mark_hidden<'a>(block: Block<'a>, above: usize, below: usize, t: &Theme) -> Block<'a> {
    let block = if above > 0 {
        block.title(Line::styled(format!(" ↑ {above} more "), t.dim).right_aligned())
    } else {
        block
    };
    if below > 0 {
        block.title_bottom(Line::styled(format!(" ↓ {below} more "), t.dim).right_aligned())
    } else {
        block
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_line_ends_in_an_ellipsis_and_keeps_its_width() {
        let line = Line::from(vec![Span::raw("Done/week "), Span::raw("▁▅█ 8 in 12 wk")]);
        let cut = fit_line(line.clone(), 16);
        assert_eq!(cut.to_string(), "Done/week ▁▅█ 8…");
        assert_eq!(cut.width(), 16);
        assert_eq!(fit_line(line.clone(), 40), line);
        let at_edge = fit_line(Line::from(vec![Span::raw("abc"), Span::raw("def")]), 3);
        assert_eq!(at_edge.to_string(), "ab…");
    }
}
