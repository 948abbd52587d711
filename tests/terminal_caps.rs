//! Lines and colours follow the terminal: the real binary in a pty with the
//! `TERM` and locale a client would send.

#![cfg(unix)]

mod common;

use common::pty::{BIN, Session};
use portable_pty::CommandBuilder;

fn dashboard_as(env: &[&str]) -> Session {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let demo = std::process::Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .arg("demo")
        .output()
        .unwrap();
    assert!(demo.status.success());
    // `env` sets TERM after the pty helper's own xterm-256color.
    let mut cmd = CommandBuilder::new("env");
    cmd.args(env);
    cmd.arg(BIN);
    cmd.arg("--db");
    cmd.arg(&db);
    let mut s = Session::spawn(cmd, 100, 30);
    s.wait_for("Backlog");
    std::mem::forget(dir);
    s
}

#[test]
fn vt100_gets_ascii_borders() {
    let mut s = dashboard_as(&["TERM=vt100", "LANG=en_US.UTF-8"]);
    s.send(b"q");
    s.wait_exit(std::time::Duration::from_secs(10));
    let out = s.output();
    assert!(out.contains("+-"), "ASCII corners");
    assert!(
        !out.contains('┌') && !out.contains('│'),
        "no line characters"
    );
}

#[test]
fn a_non_utf8_locale_gets_ascii_borders_and_a_utf8_one_lines() {
    let mut latin = dashboard_as(&["TERM=xterm-256color", "LC_ALL=en_US.ISO-8859-1"]);
    latin.send(b"q");
    latin.wait_exit(std::time::Duration::from_secs(10));
    assert!(!latin.output().contains('┌'));
    let mut utf8 = dashboard_as(&["TERM=xterm-256color", "LC_ALL=en_US.UTF-8"]);
    utf8.send(b"q");
    utf8.wait_exit(std::time::Duration::from_secs(10));
    assert!(utf8.output().contains('┌'));
}
