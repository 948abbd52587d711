//! Turning register text into something that fits a cell safely.

use unicode_width::UnicodeWidthChar;

use crate::domain::text::sanitize;

/// Sanitises `s` and cuts it to `width` terminal columns, ending with `…`
/// when cut. Stops reading early, so a 100 KB title costs as much as a short
/// one.
pub fn fit(s: &str, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let safe = sanitize(c.encode_utf8(&mut buf));
        for c in safe.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width {
                // Make room for the ellipsis.
                while used + 1 > width {
                    match out.pop() {
                        Some(p) => used -= p.width().unwrap_or(0),
                        None => break,
                    }
                }
                out.push('…');
                return out;
            }
            used += w;
            out.push(c);
        }
    }
    out
}

/// Display width of already-safe text.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// Sanitises and word-wraps `s` into lines of at most `width` columns.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let clean = sanitize(s);
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
            for c in word.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > width {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                line.push(c);
                used += cw;
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
}
