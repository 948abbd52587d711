//! Turning register text into something that fits a cell safely.
//!
//! The counting itself is pure text and lives in [`crate::domain::text`], so
//! the command line's tables use the same widths without depending on the UI;
//! this module keeps the check that those widths agree with ratatui's cells.

pub use crate::domain::text::{WRAP_LIMIT, fit, width, wrap};

use ratatui::buffer::Buffer;

/// A drawn buffer as the text a terminal shows, a line per row (a wide
/// character's second cell left out). For tests and captures of the screen.
pub fn buffer_text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut skip = 0;
        for x in 0..buf.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
