//! Every way out of the dashboard that is not a key: SIGTERM and SIGHUP
//! from outside, and the terminal itself going away (an SSH connection that
//! drops). The real binary runs in a pseudo-terminal; each case checks that
//! it exits promptly (a spinning process would not), that the terminal is
//! given back where there still is one, and that the register is intact.

#![cfg(unix)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const BIN: &str = env!("CARGO_BIN_EXE_improve");
const FRAME_END: &str = "\x1b[?2026l";

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

struct Dashboard {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    rx: mpsc::Receiver<Vec<u8>>,
    seen: Vec<u8>,
}

/// Starts the dashboard on `db` in an 80x24 pseudo-terminal, through `sh`
/// running `script` (with the binary as `$0` and the register as `$1`),
/// and waits for its first frame. The reader thread stops reading after
/// `stop_after_first_frame`, so that dropping the master really closes it.
fn start(db: &Path, script: &str, stop_after_first_frame: bool) -> Dashboard {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new("sh");
    cmd.arg("-c");
    cmd.arg(script);
    cmd.arg(BIN);
    cmd.arg(db);
    cmd.env("TERM", "xterm-256color");
    let child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        let mut seen = Vec::new();
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
            seen.extend_from_slice(&buf[..n]);
            if stop_after_first_frame && String::from_utf8_lossy(&seen).contains(FRAME_END) {
                break;
            }
        }
    });
    let writer = pair.master.take_writer().unwrap();
    let mut d = Dashboard {
        child,
        master: pair.master,
        writer,
        rx,
        seen: Vec::new(),
    };
    d.wait_for(FRAME_END);
    assert!(d.text().contains("Cut P1 incident MTTR"), "{}", d.text());
    d
}

impl Dashboard {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.seen).into_owned()
    }

    fn wait_for(&mut self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.text().contains(needle) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(chunk) => self.seen.extend(chunk),
                Err(_) => panic!("timed out waiting for {needle:?}:\n{}", self.text()),
            }
        }
    }

    fn pid(&self) -> i32 {
        self.child.process_id().unwrap() as i32
    }

    /// The exit status, if the process is gone within `secs` seconds.
    fn exited_within(&mut self, secs: u64) -> Option<portable_pty::ExitStatus> {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn drain(&mut self) {
        while let Ok(chunk) = self.rx.recv_timeout(Duration::from_millis(200)) {
            self.seen.extend(chunk);
        }
    }
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
    let before = format!("{:?}", d.master.get_termios().expect("termios"));
    assert!(
        !before.contains("ICANON"),
        "raw mode while running: {before}"
    );
    // Half-way through something: the add form is open.
    d.writer.write_all(b"a").unwrap();
    d.wait_for("Title");
    kill(d.pid(), sig);
    let status = d
        .exited_within(2)
        .unwrap_or_else(|| panic!("still running 2 s after signal {sig}"));
    assert!(status.success(), "signal {sig}: {status:?}");
    d.drain();
    let out = d.text();
    let left = out.rfind("\x1b[?1049l").expect("left the alternate screen");
    assert!(left > out.rfind("\x1b[?1049h").unwrap());
    assert!(out[left..].contains("\x1b[?25h"), "cursor shown again");
    let after = format!("{:?}", d.master.get_termios().expect("termios"));
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

/// The terminal hangs up (its master side closes, as when sshd loses the
/// connection): the dashboard must exit, not spin on a dead terminal.
fn hang_up(script: &str) {
    let (_dir, db) = register();
    let d = start(&db, script, true);
    let Dashboard {
        mut child,
        master,
        writer,
        ..
    } = d;
    drop(writer);
    drop(master);
    let deadline = Instant::now() + Duration::from_secs(2);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("still running 2 s after the terminal hung up");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
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
