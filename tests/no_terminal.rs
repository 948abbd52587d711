//! Where the dashboard cannot be drawn (no controlling terminal, standard
//! output a pipe or a file, `TERM=dumb`) it says so in one line and what to
//! do instead; and every error, anywhere, is one plain line.

#![cfg(unix)]

mod common;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::pty::{BIN, Session};
use portable_pty::CommandBuilder;

fn register() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let out = Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["add", "Cut P1 incident MTTR"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    (dir, db)
}

/// Exactly one line on stderr, starting `improve: `, with no escape
/// sequence, no source location and no backtrace.
fn assert_one_plain_line(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {stderr:?}");
    assert!(lines[0].starts_with("improve: "), "{stderr:?}");
    assert!(!stderr.contains('\x1b'), "no colour: {stderr:?}");
    for noise in ["Location:", "Backtrace", "src/", ".rs:"] {
        assert!(!stderr.contains(noise), "{noise} in {stderr:?}");
    }
}

fn dashboard_without_a_terminal(db: &Path) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.arg("--db")
        .arg(db)
        .env("TERM", "xterm-256color")
        .env_remove("IMPROVE_DEBUG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: setsid(2) is async-signal-safe; the child then has no
    // controlling terminal, as under cron or `ssh host improve`.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    cmd.output().unwrap()
}

#[test]
fn no_controlling_terminal_is_one_line_naming_ssh_t() {
    let (_dir, db) = register();
    let out = dashboard_without_a_terminal(&db);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing drawn: {:?}", out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_one_plain_line(&err);
    assert!(
        err.contains("ssh -t") && err.contains("improve list"),
        "{err}"
    );
}

/// Runs `script` under `sh` in a pty (binary as `$0`, register as `$1`,
/// an output file as `$2`) and returns what the terminal showed and the
/// exit status.
fn in_pty(db: &Path, script: &str, file: &Path) -> (String, bool) {
    let mut cmd = CommandBuilder::new("sh");
    cmd.arg("-c");
    cmd.arg(script);
    cmd.arg(BIN);
    cmd.arg(db);
    cmd.arg(file);
    cmd.env_remove("IMPROVE_DEBUG");
    let mut d = Session::spawn(cmd, 80, 24);
    let status = d
        .wait_exit(Duration::from_secs(10))
        .expect("refused at once");
    (d.output(), status.success())
}

#[test]
fn stdout_to_a_file_is_refused_in_one_line_and_the_file_stays_clean() {
    let (dir, db) = register();
    let file = dir.path().join("screen.txt");
    let (shown, ok) = in_pty(&db, r#"exec "$0" --db "$1" > "$2""#, &file);
    assert!(!ok);
    assert!(
        shown.contains("improve: ") && shown.contains("standard output is not one"),
        "{shown:?}"
    );
    assert!(shown.contains("improve list"), "{shown:?}");
    assert!(!shown.contains("\x1b[?1049h"), "no full screen: {shown:?}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        b"",
        "no escape codes in the file"
    );
}

#[test]
fn term_dumb_is_refused_in_one_line() {
    let (dir, db) = register();
    let file = dir.path().join("unused");
    let (shown, ok) = in_pty(&db, r#"TERM=dumb exec "$0" --db "$1""#, &file);
    assert!(!ok);
    assert!(
        shown.contains("improve: ") && shown.contains("TERM=dumb"),
        "{shown:?}"
    );
    assert!(!shown.contains("\x1b[?1049h"), "no full screen: {shown:?}");
}

#[test]
fn a_usage_error_is_one_line() {
    for args in [
        &["frobnicate"][..],
        &["list", "--bogus"],
        &["--color", "purple"],
    ] {
        let out = Command::new(BIN)
            .args(args)
            .env_remove("IMPROVE_DEBUG")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_one_plain_line(&String::from_utf8_lossy(&out.stderr));
    }
    // What is missing is named on the one line.
    let out = Command::new(BIN).arg("add").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_one_plain_line(&err);
    assert!(err.contains("missing TITLE"), "{err}");
    assert!(err.contains("(usage: improve add TITLE"), "{err}");
}

/// A register whose tables were damaged by hand fails while loading: an
/// error that is not a user mistake, which used to print color-eyre's
/// multi-line report with source locations.
#[test]
fn an_unexpected_error_is_one_plain_line_and_the_full_report_is_opt_in() {
    let (dir, db) = register();
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("ALTER TABLE initiatives RENAME COLUMN title TO heading;")
            .unwrap();
    }
    let (shown, ok) = in_pty(
        &db,
        r#"exec "$0" --db "$1" 2> "$2""#,
        &dir.path().join("err"),
    );
    assert!(!ok, "{shown:?}");
    let err = std::fs::read_to_string(dir.path().join("err")).unwrap();
    assert_one_plain_line(&err);
    assert!(err.contains("title"), "the cause is named: {err}");
    let (_, ok) = in_pty(
        &db,
        r#"IMPROVE_DEBUG=1 exec "$0" --db "$1" 2> "$2""#,
        &dir.path().join("err"),
    );
    assert!(!ok);
    let full = std::fs::read_to_string(dir.path().join("err")).unwrap();
    assert!(full.lines().count() > 1, "the full report: {full}");
}
