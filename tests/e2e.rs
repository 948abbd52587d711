//! The real binary in a real pseudo-terminal: a person's keys in, the
//! screen's bytes out, then the register and the terminal checked.

#![cfg(unix)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_improve");

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

/// End of a synchronized update: one per frame drawn.
const FRAME_END: &str = "\x1b[?2026l";

/// Reads the program's output until `needle` appears `times` times or time
/// runs out. (ratatui writes only changed cells, so a needle must be text
/// that appears in one piece: a fresh word or a frame marker.)
fn wait_for_n(rx: &mpsc::Receiver<Vec<u8>>, seen: &mut Vec<u8>, needle: &str, times: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while String::from_utf8_lossy(seen).matches(needle).count() < times {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(chunk) => seen.extend(chunk),
            Err(_) => panic!(
                "timed out waiting for {needle:?}; screen bytes:\n{}",
                String::from_utf8_lossy(seen)
            ),
        }
    }
}

fn wait_for(rx: &mpsc::Receiver<Vec<u8>>, seen: &mut Vec<u8>, needle: &str) {
    wait_for_n(rx, seen, needle, 1);
}

#[test]
fn move_an_initiative_forward_with_the_keyboard_then_quit_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested/folder/register.db");
    assert_eq!(
        improve(&db, &["add", "Cut P1 incident MTTR", "--owner", "sam"]).trim(),
        "1"
    );

    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(BIN);
    cmd.arg("--db");
    cmd.arg(&db);
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let before = format!("{:?}", pair.master.get_termios().expect("termios"));

    let mut reader = pair.master.try_clone_reader().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut writer = pair.master.take_writer().unwrap();
    let mut seen = Vec::new();
    wait_for(&rx, &mut seen, "Backlog");
    assert!(
        String::from_utf8_lossy(&seen).contains("\x1b[?1049h"),
        "entered the alternate screen"
    );

    writer.write_all(b">").unwrap();
    wait_for(&rx, &mut seen, "Confirm");
    writer.write_all(b"y").unwrap();
    wait_for_n(&rx, &mut seen, FRAME_END, 3);
    assert!(
        String::from_utf8_lossy(&seen).contains("moved"),
        "the move is reported"
    );
    writer.write_all(b"q").unwrap();

    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "improve did not exit after q");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    while let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) {
        seen.extend(chunk);
    }
    let out = String::from_utf8_lossy(&seen);
    let left = out.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(left > out.rfind("\x1b[?1049h").unwrap());
    assert!(
        out[left..].contains("\x1b[?25h") || out.contains("\x1b[?25h"),
        "cursor shown again"
    );
    let after = format!("{:?}", pair.master.get_termios().expect("termios"));
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
