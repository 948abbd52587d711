//! The real binary in a real pseudo-terminal: a person's keys in, the
//! screen's bytes out, then the register and the terminal checked.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::pty::{BIN, FRAME_END, Session, dashboard};

fn improve(db: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn move_an_initiative_forward_with_the_keyboard_then_quit_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested/folder/register.db");
    assert_eq!(
        improve(&db, &["add", "Cut P1 incident MTTR", "--owner", "sam"]).trim(),
        "1"
    );

    let mut s = Session::spawn(dashboard(&db), 80, 24);
    let before = s.termios();
    s.wait_for("Backlog");
    assert!(
        s.output().contains("\x1b[?1049h"),
        "entered the alternate screen"
    );

    s.send(b">");
    s.wait_for("Confirm");
    s.send(b"y");
    s.wait_for_n(FRAME_END, 3);
    assert!(s.output().contains("moved"), "the move is reported");
    s.send(b"q");

    let status = s
        .wait_exit(Duration::from_secs(10))
        .expect("improve did not exit after q");
    assert!(status.success(), "{status:?}");
    let out = s.output();
    let left = out.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(left > out.rfind("\x1b[?1049h").unwrap());
    assert!(
        out[left..].contains("\x1b[?25h") || out.contains("\x1b[?25h"),
        "cursor shown again"
    );
    let after = s.termios();
    assert!(
        after.contains("ICANON") && after.contains("ECHO"),
        "terminal back in normal mode: {after}"
    );
    assert_eq!(before.contains("ICANON"), after.contains("ICANON"));

    let json = improve(&db, &["list", "--json"]);
    assert!(json.contains(r#""step":2,"step_name":"Now""#), "{json}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (from, to): (i64, i64) = conn
        .query_row(
            "SELECT from_step, to_step FROM moves WHERE from_step IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((from, to), (1, 2));
}

/// Esc and the next key in one read (typed quickly over SSH, both in one
/// packet) are the two keys the user pressed, not Alt with the second.
#[test]
fn esc_and_a_key_arriving_together_are_both_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    improve(&db, &["add", "Patch servers"]);
    let mut s = Session::spawn(dashboard(&db), 80, 24);
    s.wait_for("Backlog");
    s.send(b"/pat");
    s.wait_for("/pat");
    // Esc clears the filter, q quits; as Alt-q, the q would be typed into
    // the filter and the dashboard would stay.
    s.send(b"\x1bq");
    let status = s
        .wait_exit(Duration::from_secs(10))
        .expect("Esc then q in one read did not quit");
    assert!(status.success(), "{status:?}");
}
