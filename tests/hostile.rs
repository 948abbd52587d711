//! Hostile text end to end: every text field of the register holds escape
//! sequences of every kind, C1 controls, bidirectional overrides, zero-width
//! and combining characters, wide CJK and emoji, and a 100 KB string. The
//! dashboard (in a test terminal and as the real binary in a pseudo-terminal)
//! and `improve list` show it all harmlessly: no escape sequence from the
//! data reaches the terminal, nothing panics, the layout holds.

mod common;

use common::{Fixture, press, screen_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn hostile() -> Vec<String> {
    vec![
        "clear\x1b[2J\x1b[H screen".into(),
        "clip\x1b]52;c;cm0gLXJmIH4=\x07board".into(),
        "title\x1b]0;pwned\x1b\\ set".into(),
        "dcs\x1bP+q544e\x1b\\ query".into(),
        "c1\u{9b}31m csi\u{9d}0;x\u{9c} osc".into(),
        "bidi \u{202e}gnp.exe\u{202c} \u{2066}iso\u{2069}".into(),
        "zero\u{200b}width\u{feff}\u{2060} joiners".into(),
        format!("zalgo Z{}!", "\u{0301}\u{0336}".repeat(60)),
        "改善計画 wide CJK 継続的改善".into(),
        "emoji 👩\u{200d}👩\u{200d}👧 ❤\u{fe0f} 🇬🇧 👍🏽 1\u{fe0f}\u{20e3}".into(),
        "lines\u{2028}and\u{2029}tags\u{e0041}\u{e007f} bell\x07 nul\0".into(),
        format!("huge {}", "x\u{0301}y".repeat(35_000)),
    ]
}

/// A register whose every text field is hostile, written with plain SQL
/// (as another program or an import could).
fn hostile_register() -> Fixture {
    let fx = Fixture::new();
    let texts = hostile();
    let titles: Vec<&str> = texts.iter().map(|_| "placeholder").collect();
    let ids = fx.add(&titles);
    let conn = rusqlite::Connection::open(&fx.path).unwrap();
    for (id, t) in ids.iter().zip(&texts) {
        conn.execute(
            "INSERT INTO goals (name, description, created_at) VALUES (?1, ?1, 0)",
            [t],
        )
        .unwrap();
        let goal = conn.last_insert_rowid();
        conn.execute(
            "UPDATE initiatives SET title = ?1, description = ?1, source = ?1, owner = ?1,
                 raised_by = ?1, tags = ?1, goal_id = ?2 WHERE id = ?3",
            rusqlite::params![t, goal, id],
        )
        .unwrap();
        conn.execute(
            "UPDATE checklist_items SET text = ?1 WHERE initiative_id = ?2",
            rusqlite::params![t, id],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO kpis (initiative_id, name, unit, direction, baseline, target)
             VALUES (?1, ?2, ?2, 'lower', 10, 5)",
            rusqlite::params![id, t],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO notes (initiative_id, body, at) VALUES (?1, ?2, 0)",
            rusqlite::params![id, t],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO moves (initiative_id, from_step, to_step, at, reason)
             VALUES (?1, 1, 1, 1, ?2)",
            rusqlite::params![id, t],
        )
        .unwrap();
    }
    fx
}

/// No cell holds a control character or a pile of marks.
fn assert_cells_harmless(backend: &TestBackend, what: &str) {
    let buf = backend.buffer();
    for cell in buf.content() {
        let sym = cell.symbol();
        assert!(
            !sym.chars().any(|c| c.is_control()),
            "{what}: control character in a cell: {sym:?}"
        );
        assert!(sym.len() <= 32, "{what}: {} bytes in one cell", sym.len());
        assert!(
            !sym.contains(['\u{202e}', '\u{2066}', '\u{200b}', '\u{feff}']),
            "{what}: invisible formatting in a cell: {sym:?}"
        );
    }
}

#[test]
fn the_dashboard_draws_hostile_text_harmlessly_at_every_size() {
    let fx = hostile_register();
    let mut app = fx.app();
    for (w, h) in [(60, 16), (80, 24), (132, 40)] {
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        let theme = improve::ui::Theme::color();
        let mut check = |app: &improve::app::App, what: &str| {
            term.draw(|f| improve::ui::draw(f, app, &theme)).unwrap();
            assert_cells_harmless(term.backend(), &format!("{what} at {w}x{h}"));
            // Every row is exactly as wide as the screen: nothing pushed
            // the frame out of line.
            for line in screen_text(term.backend()).lines() {
                assert_eq!(
                    unicode_width::UnicodeWidthStr::width(line),
                    usize::from(w),
                    "{what} at {w}x{h}: {line:?}"
                );
            }
        };
        for i in 0..hostile().len() {
            check(&app, &format!("row {i}"));
            press(&mut app, "<Tab>");
            check(&app, &format!("row {i}, checklist"));
            press(&mut app, "<Tab>");
            check(&app, &format!("row {i}, metrics"));
            press(&mut app, "<Tab><Enter>");
            check(&app, &format!("row {i}, detail"));
            press(&mut app, "<PgDn><PgDn>");
            check(&app, &format!("row {i}, detail scrolled"));
            press(&mut app, "<Esc>e");
            check(&app, &format!("row {i}, edit form"));
            press(&mut app, "<Esc>");
            if matches!(app.mode(), improve::app::Mode::Confirm(_)) {
                press(&mut app, "y");
            }
            press(&mut app, "j");
        }
        press(&mut app, "g/x");
        check(&app, "filtered");
        press(&mut app, "<Esc>");
    }
}

#[cfg(unix)]
mod terminal {
    use std::time::{Duration, Instant};

    use crate::common::pty::{BIN, FRAME_END, Session, dashboard};

    /// The escape sequences the dashboard itself sends; anything else came
    /// from the data. Returns a description of the first stranger.
    fn foreign_sequence(out: &[u8]) -> Option<String> {
        let mut clears = 0;
        let mut i = 0;
        while i < out.len() {
            let b = out[i];
            if b == 0x1b {
                if out.get(i + 1) != Some(&b'[') {
                    return Some(format!(
                        "ESC {:?} at {i}",
                        out.get(i + 1).map(|&b| b as char)
                    ));
                }
                let start = i + 2;
                let mut j = start;
                while j < out.len() && !(0x40..=0x7e).contains(&out[j]) {
                    j += 1;
                }
                let Some(&fin) = out.get(j) else {
                    return Some("unterminated CSI".into());
                };
                let params = String::from_utf8_lossy(&out[start..j]).into_owned();
                let ok = match fin {
                    b'm' | b'H' | b'K' | b'X' | b'A' | b'B' | b'C' | b'D' | b'G' => params
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ';' || c == ':'),
                    b'J' => {
                        clears += 1;
                        params == "2" && clears == 1
                    }
                    // Mouse reporting (clicks and wheel, SGR) is the
                    // dashboard's own, as are the others.
                    b'h' | b'l' => matches!(
                        params.as_str(),
                        "?25" | "?1049" | "?2004" | "?2026" | "?1000" | "?1006"
                    ),
                    _ => false,
                };
                if !ok {
                    return Some(format!("CSI {params:?} {:?}", fin as char));
                }
                i = j + 1;
                continue;
            }
            if b < 0x20 && !matches!(b, b'\r' | b'\n') || b == 0x7f {
                return Some(format!("control byte {b:#04x} at {i}"));
            }
            i += 1;
        }
        let text = String::from_utf8_lossy(out);
        if let Some(c) = text.chars().find(|c| ('\u{80}'..='\u{9f}').contains(c)) {
            return Some(format!("C1 control {c:?}"));
        }
        if let Some(c) = text
            .chars()
            .find(|c| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        {
            return Some(format!("bidi control {c:?}"));
        }
        None
    }

    #[test]
    fn the_real_dashboard_sends_no_escape_sequence_from_the_data() {
        let fx = super::hostile_register();
        let mut cmd = dashboard(&fx.path);
        cmd.env("RUST_BACKTRACE", "0");
        let mut s = Session::spawn(cmd, 100, 30);
        s.timeout = Duration::from_secs(20);
        s.wait_for(FRAME_END);
        // Waits for the next frame; a key that changes nothing draws none,
        // so three quiet seconds also end the wait. (Not shorter: a key
        // sent while a frame is still being drawn could join the next one,
        // and Esc followed by a key reads as Alt and that key.)
        let settle = |s: &mut Session| {
            let before = s.count(FRAME_END);
            let deadline = Instant::now() + Duration::from_secs(20);
            while s.count(FRAME_END) == before && Instant::now() < deadline {
                if !s.read_more(Duration::from_secs(3)) {
                    break;
                }
            }
        };
        // Walk every row, its checklist, metrics, the detail screen and the
        // help.
        for _ in 0..super::hostile().len() {
            for keys in [&b"\t"[..], b"\t", b"\t\r", b"\x1b[6~", b"\x1b", b"j"] {
                s.send(keys);
                settle(&mut s);
            }
        }
        for keys in [&b"?"[..], b"\x1b", b"q"] {
            s.send(keys);
            settle(&mut s);
        }
        let status = s.wait_exit(Duration::from_secs(10)).expect("did not quit");
        let seen = s.bytes();
        let text = String::from_utf8_lossy(seen);
        assert!(status.success(), "{status:?}\n{text}");
        assert!(!text.contains("panicked"), "{text}");
        assert_eq!(foreign_sequence(seen), None, "{text}");
        assert!(
            text.contains('改') && text.contains('画'),
            "wide text is shown"
        );
    }

    #[test]
    fn list_prints_no_control_characters() {
        let fx = super::hostile_register();
        let out = std::process::Command::new(BIN)
            .arg("--db")
            .arg(&fx.path)
            .arg("list")
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(
            !text.contains(['\u{202e}', '\u{2066}', '\u{200b}']),
            "{text:?}"
        );
        // Aligned: every line of the table is equally wide.
        let widths: Vec<usize> = text
            .lines()
            .map(unicode_width::UnicodeWidthStr::width)
            .collect();
        assert!(text.lines().count() > super::hostile().len());
        assert!(
            widths.windows(2).all(|w| w[0] == w[1]) || widths.iter().all(|&w| w <= 200),
            "{widths:?}"
        );
    }
}
