//! Every way out of the dashboard that is not a key: SIGTERM and SIGHUP
//! from outside, and the terminal itself going away (an SSH connection that
//! drops). The real binary runs in a pseudo-terminal; each case checks that
//! it exits promptly (a spinning process would not), that the terminal is
//! given back where there still is one, and that the register is intact.

#![cfg(unix)]

mod common;

use std::path::Path;
use std::time::Duration;

use common::pty::{BIN, FRAME_END, Session};
use portable_pty::CommandBuilder;

fn register() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let out = std::process::Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["add", "Cut P1 incident MTTR"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    (dir, db)
}

/// Starts the dashboard on `db` in an 80x24 pseudo-terminal, through `sh`
/// running `script` (with the binary as `$0` and the register as `$1`),
/// and waits for its first frame. With `stop_after_first_frame` nothing is
/// read after it, so that hanging up really closes the terminal.
fn start(db: &Path, script: &str, stop_after_first_frame: bool) -> Session {
    let mut cmd = CommandBuilder::new("sh");
    cmd.arg("-c");
    cmd.arg(script);
    cmd.arg(BIN);
    cmd.arg(db);
    let mut d = if stop_after_first_frame {
        Session::spawn_reading_until(cmd, 80, 24, FRAME_END)
    } else {
        Session::spawn(cmd, 80, 24)
    };
    d.wait_for(FRAME_END);
    assert!(
        d.output().contains("Cut P1 incident MTTR"),
        "{}",
        d.output()
    );
    d
}

fn kill(pid: i32, sig: i32) {
    // SAFETY: kill(2) with a pid we started and a valid signal number.
    assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
}

fn assert_register_intact(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let title: String = conn
        .query_row("SELECT title FROM initiatives", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, "Cut P1 incident MTTR");
}

/// `kill -TERM` or `kill -HUP` while the terminal is still there: the
/// dashboard leaves as on `q`, gives the terminal back and exits 0.
fn signal_restores_the_terminal(sig: i32) {
    let (_dir, db) = register();
    let mut d = start(&db, r#"exec "$0" --db "$1""#, false);
    let before = d.termios();
    assert!(
        !before.contains("ICANON"),
        "raw mode while running: {before}"
    );
    // Half-way through something: the add form is open.
    d.send(b"a");
    d.wait_for("Title");
    kill(d.pid(), sig);
    let status = d
        .wait_exit(EXIT_WITHIN)
        .unwrap_or_else(|| panic!("still running {EXIT_WITHIN:?} after signal {sig}"));
    assert!(status.success(), "signal {sig}: {status:?}");
    let out = d.output();
    let left = out.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(left > out.rfind("\x1b[?1049h").unwrap());
    assert!(out[left..].contains("\x1b[?25h"), "cursor shown again");
    let after = d.termios();
    assert!(
        after.contains("ICANON") && after.contains("ECHO"),
        "terminal back in normal mode: {after}"
    );
    assert_register_intact(&db);
}

#[test]
fn sigterm_restores_the_terminal_and_exits_0() {
    signal_restores_the_terminal(libc::SIGTERM);
}

#[test]
fn sighup_from_kill_restores_the_terminal_and_exits_0() {
    signal_restores_the_terminal(libc::SIGHUP);
}

/// A dashboard that spins never exits; one that leaves takes milliseconds,
/// plus closing SQLite (its WAL checkpoint waits for the disk). With four
/// builds and 500 MB registers being written on two cores, 2 s was once
/// exceeded in forty runs, before and after the pty helper; hence the
/// margin. It is not a speed check.
const EXIT_WITHIN: Duration = Duration::from_secs(6);

/// The terminal hangs up (its master side closes, as when sshd loses the
/// connection): the dashboard must exit, not spin on a dead terminal.
fn hang_up(script: &str) {
    let (_dir, db) = register();
    let mut d = start(&db, script, true);
    d.hang_up();
    let status = d
        .wait_exit(EXIT_WITHIN)
        .unwrap_or_else(|| panic!("still running {EXIT_WITHIN:?} after the terminal hung up"));
    // SIGHUP is handled like `q`; under nohup the hang-up itself is seen.
    assert!(status.success(), "{status:?}");
    assert_register_intact(&db);
}

#[test]
fn a_hung_up_terminal_ends_the_dashboard() {
    hang_up(r#"exec "$0" --db "$1""#);
}

#[test]
fn a_hung_up_terminal_ends_the_dashboard_even_when_sighup_is_ignored() {
    // `trap '' HUP` is what nohup does: SIGHUP stays ignored across exec,
    // so only the dead terminal itself can tell the dashboard to go.
    hang_up(r#"trap '' HUP; exec "$0" --db "$1""#);
}
