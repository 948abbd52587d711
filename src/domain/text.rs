//! Text from the register is data, never terminal instructions.
//!
//! Titles, notes and owners may hold anything a script or a paste put there.
//! Before any of it reaches a terminal, control characters become visible
//! symbols and invisible formatting characters are dropped, so no escape
//! sequence, bidirectional override or zero-width trick can reach the screen.
//! Runs of combining marks are cut short, so a "zalgo" title cannot pile
//! marks over the lines around it or put 100 KB into one screen cell.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Zero-width characters (combining marks, variation selectors) kept after
/// one base character: enough for any real script or emoji sequence.
pub const MAX_MARKS: usize = 4;

/// Makes a string safe to print on one line of a terminal.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !needs_sanitizing(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut marks = 0;
    let mut after_emoji = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        // A zero-width joiner between two emoji makes one (👩‍👩‍👧 is a
        // family, not three people): kept there, and only there.
        if c == ZWJ && after_emoji && chars.peek().is_some_and(|&n| is_pictographic(n)) {
            out.push(c);
            continue;
        }
        // Printable zero-width characters attach to the one before.
        if !c.is_control() && !is_invisible_format(c) && c.width() == Some(0) {
            marks += 1;
            if marks <= MAX_MARKS {
                out.push(c);
            }
            continue;
        }
        marks = 0;
        after_emoji = is_pictographic(c);
        match c {
            // Line breaks and tabs read as a space on one line.
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' => out.push(' '),
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

/// Whether [`sanitize`] would change `s`.
fn needs_sanitizing(s: &str) -> bool {
    let mut marks = 0;
    for c in s.chars() {
        if c.is_control() || is_invisible_format(c) || matches!(c, '\u{2028}' | '\u{2029}') {
            return true;
        }
        if c.width() == Some(0) {
            marks += 1;
            if marks > MAX_MARKS {
                return true;
            }
        } else {
            marks = 0;
        }
    }
    false
}

/// Bidirectional controls and zero-width characters: they reorder or hide
/// text and throw column counts off.
const ZWJ: char = '\u{200d}';

/// Emoji and pictographs that join into sequences with [`ZWJ`].
fn is_pictographic(c: char) -> bool {
    matches!(c,
        '\u{1f000}'..='\u{1faff}' // emoji, skin tones, symbols and pictographs
        | '\u{2600}'..='\u{27bf}' // miscellaneous symbols, dingbats (♀, ♂, ⚕, ❤)
        | '\u{2300}'..='\u{23ff}' // technical (⌚)
        | '\u{2b00}'..='\u{2bff}' // arrows, stars (⬛, ⭐)
    )
}

fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{200b}'..='\u{200f}'   // zero-width space/joiners, LRM, RLM
        | '\u{202a}'..='\u{202e}' // LRE, RLE, PDF, LRO, RLO
        | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
        | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
        | '\u{feff}'              // BOM / zero-width no-break space
        | '\u{061c}'              // Arabic letter mark
        | '\u{00ad}'              // soft hyphen
        | '\u{180e}'              // Mongolian vowel separator
        | '\u{0600}'..='\u{0605}' // Arabic number signs (span what follows)
        | '\u{06dd}' | '\u{070f}' | '\u{08e2}' | '\u{110bd}' | '\u{110cd}'
        | '\u{fff9}'..='\u{fffb}' // interlinear annotation
        | '\u{1d173}'..='\u{1d17a}' // musical formatting
        | '\u{e0000}'..='\u{e007f}' // tag characters
    )
}

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
    fn every_kind_of_escape_sequence_is_defused() {
        for hostile in [
            "\x1b]52;c;cHduZWQ=\x07",         // OSC 52: write the clipboard
            "\x1b]0;title\x1b\\",             // OSC 0: set the window title
            "\x1bP+q544e\x1b\\",              // DCS: query terminfo
            "\x1b_apc\x1b\\\x1b^pm\x1b\\",    // APC, PM
            "\u{9b}2J\u{9d}0;t\u{9c}\u{90}q", // C1 CSI, OSC, ST, DCS
            "\x1bc\x1b#8\x1b(0",              // reset, fill screen, line drawing
        ] {
            let safe = sanitize(hostile);
            assert!(
                !safe.chars().any(|c| c.is_control()),
                "{hostile:?} -> {safe:?}"
            );
        }
    }

    #[test]
    fn line_separators_read_as_spaces_and_tags_vanish() {
        assert_eq!(sanitize("a\u{2028}b\u{2029}c"), "a b c");
        assert_eq!(sanitize("flag\u{e0067}\u{e0062}\u{e007f}"), "flag");
        assert_eq!(sanitize("\u{0600}12"), "12");
    }

    #[test]
    fn combining_marks_do_not_pile_up() {
        let zalgo = format!("Z{}a", "\u{0301}".repeat(500));
        let safe = sanitize(&zalgo);
        assert_eq!(safe.chars().count(), 1 + MAX_MARKS + 1);
        // Real text keeps its marks: Vietnamese, a keycap, an emoji.
        for fine in [
            "Vie\u{0323}\u{0302}t",
            "1\u{fe0f}\u{20e3}",
            "❤\u{fe0f}",
            "改善 🚀",
        ] {
            assert!(matches!(sanitize(fine), Cow::Borrowed(_)), "{fine:?}");
        }
    }

    #[test]
    fn bidi_overrides_and_zero_width_are_dropped() {
        assert_eq!(sanitize("ab\u{202e}cd\u{200b}e\u{2066}f"), "abcdef");
        assert_eq!(sanitize("line\nnext\ttab"), "line next tab");
    }

    #[test]
    fn a_joiner_stays_only_inside_an_emoji_sequence() {
        for whole in [
            "👩\u{200d}👩\u{200d}👧 rota",
            "🏳\u{fe0f}\u{200d}🌈 flag",
            "👩🏽\u{200d}💻 dev",
            "🧑\u{200d}⚕\u{fe0f} nurse",
        ] {
            assert_eq!(sanitize(whole), whole);
        }
        // Between letters, at an end or before a letter it hides nothing.
        assert_eq!(sanitize("ad\u{200d}min"), "admin");
        assert_eq!(sanitize("👩\u{200d}"), "👩");
        assert_eq!(sanitize("👩\u{200d}x"), "👩x");
        assert_eq!(sanitize("\u{200d}👩"), "👩");
        assert_eq!(sanitize("👩\u{200d}\u{200d}👧"), "👩👧");
    }
}

/// A value too large or too small for fixed decimals, written as the
/// shortest exponent form that reads back as the same number (`1e308`, not
/// 309 digits that no column can hold; `2.5e-7`, not `0.0`). `None` for an
/// ordinary value, which [`decimal`] writes.
pub fn extreme_number(v: f64) -> Option<String> {
    let a = v.abs();
    if v.is_nan() {
        return Some("NaN".into());
    }
    (a.is_infinite() || a >= 1e12 || (a != 0.0 && a < 1e-3)).then(|| format!("{v:e}"))
}

/// A KPI value as every view writes it (dashboard, detail page, `show`,
/// Markdown): up to two decimals without trailing zeros (`12`, `12.5`,
/// `99.95`), and the exponent form for the extreme ones. One rule, so that a
/// value reads the same on every screen; one decimal turned 99.95 into 100.0.
pub fn decimal(v: f64) -> String {
    if let Some(s) = extreme_number(v) {
        return s;
    }
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    // -0.001 rounds to "-0.00": no sign on a zero.
    if s == "-0" { "0".into() } else { s.to_owned() }
}

/// A share as a whole percentage (`0.42` → `42%`); a share too large for
/// whole digits (a target next to its baseline) in the exponent form.
pub fn percent(share: f64) -> String {
    let p = share * 100.0;
    if !p.is_finite() || p.abs() >= 1e12 {
        return format!("{}%", extreme_number(p).unwrap_or_else(|| p.to_string()));
    }
    let s = format!("{p:.0}");
    if s == "-0" {
        "0%".into()
    } else {
        format!("{s}%")
    }
}

/// A count with its noun agreeing: "1 initiative", "2 initiatives",
/// "0 KPIs", "3 matches", "2 entries". `noun` is the singular; the plural
/// follows English spelling for the nouns this program counts.
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        return format!("1 {noun}");
    }
    let plural = if noun.ends_with(['s', 'x']) || noun.ends_with("ch") || noun.ends_with("sh") {
        format!("{noun}es")
    } else if let Some(stem) = noun
        .strip_suffix('y')
        .filter(|stem| !stem.ends_with(['a', 'e', 'i', 'o', 'u']))
    {
        format!("{stem}ies")
    } else {
        format!("{noun}s")
    };
    format!("{n} {plural}")
}

#[cfg(test)]
mod number_tests {
    use super::{decimal, percent};

    #[test]
    fn values_keep_two_decimals_at_most() {
        assert_eq!(decimal(12.0), "12");
        assert_eq!(decimal(12.5), "12.5");
        assert_eq!(decimal(99.95), "99.95");
        assert_eq!(decimal(7.123), "7.12");
        assert_eq!(decimal(-0.004), "0");
        assert_eq!(decimal(-3.5), "-3.5");
        assert_eq!(decimal(1e308), "1e308");
        assert_eq!(decimal(f64::NAN), "NaN");
    }

    #[test]
    fn shares_are_whole_percentages() {
        assert_eq!(percent(0.42), "42%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(-0.25), "-25%");
        assert_eq!(percent(1e300), "1e302%");
        assert_eq!(percent(-0.001), "0%");
        assert_eq!(percent(f64::INFINITY), "inf%");
    }
}

#[cfg(test)]
mod count_tests {
    use super::count;

    #[test]
    fn nouns_agree_with_their_numbers() {
        assert_eq!(count(1u32, "initiative"), "1 initiative");
        assert_eq!(count(0u32, "goal"), "0 goals");
        assert_eq!(count(2u32, "KPI"), "2 KPIs");
        assert_eq!(count(3usize as u64, "match"), "3 matches");
        assert_eq!(count(2u32, "entry"), "2 entries");
        assert_eq!(count(2u32, "day"), "2 days");
        assert_eq!(count(1u32, "sample goal"), "1 sample goal");
        assert_eq!(count(4u32, "sample goal"), "4 sample goals");
    }
}

#[cfg(test)]
mod extreme_tests {
    use super::extreme_number;

    #[test]
    fn extremes_are_short_and_exact() {
        for v in [
            1e308,
            -1e308,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            2.5e-7,
            1e12,
        ] {
            let s = extreme_number(v).unwrap();
            assert!(s.len() <= 24, "{s}");
            assert_eq!(s.parse::<f64>().unwrap(), v, "{s}");
        }
        assert_eq!(extreme_number(1e308).unwrap(), "1e308");
        for v in [0.0, 1.0, -42.5, 999_999_999_999.0, 0.001] {
            assert_eq!(extreme_number(v), None, "{v}");
        }
    }
}

#[cfg(test)]
mod fit_tests {
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
    fn a_huge_string_of_marks_stays_small() {
        let s = format!("a{}b", "\u{0301}".repeat(100_000));
        let fitted = fit(&s, 10);
        assert!(fitted.len() < 64, "{}", fitted.len());
        assert_eq!(width(&fitted), 2);
    }
}
