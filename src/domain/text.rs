//! Text from the register is data, never terminal instructions.
//!
//! Titles, notes and owners may hold anything a script or a paste put there.
//! Before any of it reaches a terminal, control characters become visible
//! symbols and invisible formatting characters are dropped, so no escape
//! sequence, bidirectional override or zero-width trick can reach the screen.

use std::borrow::Cow;

/// Makes a string safe to print on one line of a terminal.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_care) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            // Line breaks and tabs read as a space on one line.
            '\n' | '\r' | '\t' => out.push(' '),
            // C0 controls as their Control Pictures (ESC shows as ␛).
            '\0'..='\x1f' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
            '\x7f' => out.push('\u{2421}'),
            // C1 controls (CSI, OSC, ... as single code points).
            '\u{80}'..='\u{9f}' => out.push('\u{fffd}'),
            c if is_invisible_format(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_care(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Bidirectional controls and zero-width characters: they reorder or hide
/// text and throw column counts off.
fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{200b}'..='\u{200f}'   // zero-width space/joiners, LRM, RLM
        | '\u{202a}'..='\u{202e}' // LRE, RLE, PDF, LRO, RLO
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
        | '\u{feff}'              // BOM / zero-width no-break space
        | '\u{061c}'              // Arabic letter mark
        | '\u{00ad}'              // soft hyphen
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(
            sanitize("Cut P1 MTTR — ünïcødé 改善 🚀"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escape_sequences_become_visible_symbols() {
        let hostile = "a\x1b[2J\x1b]0;pwned\x07b\u{9b}31m";
        let safe = sanitize(hostile);
        assert!(!safe.chars().any(|c| c.is_control()), "{safe:?}");
        assert_eq!(safe, "a␛[2J␛]0;pwned␇b\u{fffd}31m");
    }

    #[test]
    fn bidi_overrides_and_zero_width_are_dropped() {
        assert_eq!(sanitize("ab\u{202e}cd\u{200b}e\u{2066}f"), "abcdef");
        assert_eq!(sanitize("line\nnext\ttab"), "line next tab");
    }
}
