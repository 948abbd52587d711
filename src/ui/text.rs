//! Turning register text into something that fits a cell safely.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::domain::text::{MAX_MARKS, sanitize};

/// Columns one grapheme takes, counted exactly as ratatui counts them when
/// it puts text in cells (so a fitted string takes the columns planned for
/// it, with emoji sequences and variation selectors too). Zero-width
/// graphemes are dropped by ratatui and count 0 here.
fn grapheme_width(g: &str) -> usize {
    if g.len() == 1 {
        1
    } else {
        g.width()
            + g.chars()
                .filter(|c| matches!(c, '\u{ff9e}' | '\u{ff9f}'))
                .count()
    }
}

/// Sanitises `s` and cuts it to `width` terminal columns, ending with `…`
/// when cut. Reads (and sanitises) only as much as it needs, so a 100 KB
/// title costs as much as a short one.
pub fn fit(s: &str, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    // Byte length and width of each grapheme in `out`, to make room for the
    // ellipsis.
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let mut used = 0;
    let mut rest = s;
    let mut pending = String::new();
    loop {
        // Sanitise the next piece; the last grapheme of a piece may go on
        // in the next one, so it waits unless the text has ended.
        let cut = rest.char_indices().nth(256).map_or(rest.len(), |(i, _)| i);
        pending.push_str(&sanitize(&rest[..cut]));
        rest = &rest[cut..];
        let graphemes: Vec<&str> = pending.graphemes(true).collect();
        let ready = if rest.is_empty() {
            graphemes.len()
        } else {
            graphemes.len().saturating_sub(1)
        };
        for g in &graphemes[..ready] {
            // Marks cut short by sanitize may add up across pieces.
            let g = g
                .char_indices()
                .nth(MAX_MARKS + 1)
                .map_or(*g, |(i, _)| &g[..i]);
            let w = grapheme_width(g);
            if w == 0 {
                continue;
            }
            if used + w > width {
                while used + 1 > width {
                    let Some((len, w)) = kept.pop() else { break };
                    out.truncate(out.len() - len);
                    used -= w;
                }
                out.push('…');
                return out;
            }
            used += w;
            kept.push((g.len(), w));
            out.push_str(g);
        }
        pending = graphemes[ready..].concat();
        if rest.is_empty() {
            return out;
        }
    }
}

/// Display width of already-safe text, as ratatui will draw it.
pub fn width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// How much of one text [`wrap`] lays out: some 200 lines of a wide pane.
/// Longer text (a pasted log, a hostile 100 KB note) ends in `…` so a frame
/// never costs more than this; `$EDITOR` shows all of it.
pub const WRAP_LIMIT: usize = 16 * 1024;

/// Sanitises and word-wraps `s` into lines of at most `width` columns.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let cut = if s.len() > WRAP_LIMIT {
        let mut end = WRAP_LIMIT;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        Some(format!("{}…", &s[..end]))
    } else {
        None
    };
    let clean = sanitize(cut.as_deref().unwrap_or(s));
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in clean.split(' ') {
        let w = self::width(word);
        if used > 0 && used + 1 + w > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if w > width {
            // A word longer than the line is cut in pieces.
            for g in word.graphemes(true) {
                let gw = grapheme_width(g);
                if used + gw > width {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push_str(g);
                used += gw;
            }
            continue;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        line.push_str(word);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_columns_with_an_ellipsis() {
        assert_eq!(fit("Cut P1 MTTR", 20), "Cut P1 MTTR");
        assert_eq!(fit("Cut P1 MTTR", 6), "Cut P…");
        assert_eq!(fit("改善改善", 5), "改善…");
        assert_eq!(width(&fit("改善改善", 4)), 3);
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn fit_neutralises_escapes() {
        let s = fit("\x1b[31mred\x1b[0m", 40);
        assert!(!s.contains('\x1b'));
        let long = "x".repeat(100_000);
        assert_eq!(width(&fit(&long, 30)), 30);
    }

    #[test]
    fn wrap_breaks_on_words_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefgh", 3), ["abc", "def", "gh"]);
        assert_eq!(wrap("", 5), [""]);
    }

    #[test]
    fn widths_agree_with_what_ratatui_draws() {
        use ratatui::buffer::Buffer;
        use ratatui::layout::Rect;
        use ratatui::style::Style;
        let samples = [
            "Cut P1 MTTR",
            "改善計画の見直し",
            "❤\u{fe0f} love ⌚\u{fe0e} watch",
            "👍🏽 thumbs 🇬🇧 flag 👩\u{200d}👩\u{200d}👧 family",
            "1\u{fe0f}\u{20e3} keycap ｶﾞ halfwidth",
            "Z\u{0301}\u{0302}\u{0303} e\u{0301}",
            "لا عربي עברית",
            "\x1b[31mred\x1b]0;t\x07 \u{9b}x \u{202e}rlo",
        ];
        for s in samples {
            for w in [1, 2, 3, 5, 8, 13, 40] {
                let fitted = fit(s, w);
                assert!(width(&fitted) <= w, "{s:?} at {w}: {fitted:?}");
                // ratatui puts it in exactly as many columns as we counted.
                let mut buf = Buffer::empty(Rect::new(0, 0, 60, 1));
                let (x, _) = buf.set_stringn(0, 0, &fitted, 60, Style::default());
                assert_eq!(usize::from(x), width(&fitted), "{s:?} at {w}: {fitted:?}");
            }
            for line in wrap(s, 7) {
                assert!(width(&line) <= 7, "{s:?}: {line:?}");
            }
        }
    }

    #[test]
    fn a_huge_string_of_marks_stays_small() {
        let s = format!("a{}b", "\u{0301}".repeat(100_000));
        let fitted = fit(&s, 10);
        assert!(fitted.len() < 64, "{}", fitted.len());
        assert_eq!(width(&fitted), 2);
    }
}
