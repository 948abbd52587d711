//! Who did what: every change is an event with its author, read back through
//! `show --json`, `log` and the migration of a register made before history.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

struct Reg {
    _dir: TempDir,
    db: PathBuf,
}

impl Reg {
    fn new() -> Reg {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("register.db");
        Reg { _dir: dir, db }
    }

    fn cmd(&self, user: &str) -> Command {
        cmd_on(&self.db, user)
    }

    fn ok(&self, user: &str, args: &[&str]) -> String {
        common::succeeds(self.cmd(user), args)
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok("reader", args)).unwrap()
    }
}

fn cmd_on(db: &Path, user: &str) -> Command {
    let mut c = Command::cargo_bin("improve").unwrap();
    c.env_remove("IMPROVE_READ_ONLY")
        .env("IMPROVE_CONFIG", "/nonexistent/improve-config.toml")
        .env("IMPROVE_DB", db)
        .env("IMPROVE_USER", user);
    c
}

/// `(kind, by)` of each event, oldest first.
fn kinds_and_authors(history: &Value) -> Vec<(String, String)> {
    history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["by"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_change_from_the_command_line_is_an_event_with_its_author() {
    let reg = Reg::new();
    reg.ok("ana", &["add", "Cut P1 MTTR"]);
    reg.ok("bob", &["move", "1", "forward"]);
    reg.ok("ana", &["check", "1", "1"]);
    reg.ok("ana", &["check", "1", "1", "--undo"]);
    reg.ok("bob", &["note", "1", "a work note"]);
    reg.ok(
        "ana",
        &[
            "kpi",
            "1",
            "add",
            "MTTR",
            "--unit",
            "h",
            "--direction",
            "lower",
            "--baseline",
            "7.5",
        ],
    );
    reg.ok("bob", &["kpi", "1", "measure", "1", "6.0"]);
    reg.ok("ana", &["hold", "1", "--reason", "waiting for budget"]);
    reg.ok("bob", &["resume", "1"]);
    reg.ok(
        "ana",
        &["move", "1", "back", "--reason", "baseline disputed"],
    );
    reg.ok("bob", &["cancel", "1", "--reason", "no budget this year"]);
    reg.ok(
        "ana",
        &["reopen", "1", "--reason", "budget found", "--to", "2"],
    );

    let show = reg.json(&["show", "1", "--json"]);
    let got = kinds_and_authors(&show["history"]);
    let want: Vec<(String, String)> = [
        ("created", "ana"),
        ("moved", "bob"),
        ("ticked", "ana"),
        ("unticked", "ana"),
        ("noted", "bob"),
        ("kpi_added", "ana"),
        ("measured", "bob"),
        ("held", "ana"),
        ("resumed", "bob"),
        ("moved", "ana"),
        ("cancelled", "bob"),
        ("reopened", "ana"),
    ]
    .iter()
    .map(|(k, b)| (k.to_string(), b.to_string()))
    .collect();
    assert_eq!(got, want);

    let h = show["history"].as_array().unwrap();
    for e in h {
        let at = e["at"].as_str().unwrap();
        assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "{at}");
    }
    assert_eq!(h[1]["from"], 1);
    assert_eq!(h[1]["to"], 2);
    assert_eq!(h[1]["back"], false);
    assert_eq!(h[1]["left_open"].as_array().unwrap().len(), 7);
    assert_eq!(h[9]["back"], true);
    assert_eq!(h[9]["reason"], "baseline disputed");
    assert_eq!(h[10]["reason"], "no budget this year");
    assert_eq!(h[11]["step"], 2);

    // The reason is the cancellation's, never "realised"; reopened clears it.
    assert_eq!(show["status"], "active");
    assert_eq!(show["step"], 2);
    assert_eq!(show["cancel_reason"], Value::Null);
    assert_eq!(show["realised"], Value::Null);

    // `log` lists the same events newest first, and filters.
    let log = reg.json(&["log", "--json"]);
    let mut newest_first = kinds_and_authors(&log);
    newest_first.reverse();
    assert_eq!(newest_first, want);
    let bob = reg.json(&["log", "--by", "BOB", "--json"]);
    assert!(kinds_and_authors(&bob).iter().all(|(_, b)| b == "bob"));
    assert_eq!(kinds_and_authors(&bob).len(), 5);
    let moved = reg.json(&["log", "1", "--kind", "moved", "--json"]);
    assert_eq!(moved.as_array().unwrap().len(), 2);
    let future = reg.json(&["log", "--since", "2999-01-01", "--json"]);
    assert_eq!(future.as_array().unwrap().len(), 0);
    let text = reg.ok("reader", &["log", "1"]);
    assert!(
        text.contains("bob") && text.contains("cancelled: no budget this year"),
        "{text}"
    );
}

#[test]
fn cancelling_keeps_its_reason_apart_from_what_was_realised() {
    let reg = Reg::new();
    reg.ok("ana", &["add", "Status page"]);
    reg.ok("ana", &["cancel", "1", "--reason", "bought one instead"]);
    let show = reg.json(&["show", "1", "--json"]);
    assert_eq!(show["cancel_reason"], "bought one instead");
    assert_eq!(show["realised"], Value::Null);
    let text = reg.ok("reader", &["show", "1"]);
    assert!(
        text.contains("Cancelled because: bought one instead"),
        "{text}"
    );
    assert!(!text.contains("Realised"), "{text}");
}

#[test]
fn finishing_the_last_step_records_the_closure_code_and_what_was_realised() {
    let reg = Reg::new();
    reg.ok("ana", &["add", "Backups tested"]);
    reg.ok("ana", &["move", "1", "--to", "7"]);
    let refused = reg
        .cmd("ana")
        .args(["move", "1", "back", "--realised", "x"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    reg.ok(
        "bob",
        &[
            "move",
            "1",
            "forward",
            "--code",
            "unsuccessful",
            "--realised",
            "restores still fail",
        ],
    );
    let show = reg.json(&["show", "1", "--json"]);
    assert_eq!(show["status"], "done");
    assert_eq!(show["closure_code"], "unsuccessful");
    assert_eq!(show["realised"], "restores still fail");
    let last = show["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "closed");
    assert_eq!(last["code"], "unsuccessful");
    assert_eq!(last["by"], "bob");

    // Reopened at its own step, it is active again with no closure.
    reg.ok("ana", &["reopen", "1"]);
    let show = reg.json(&["show", "1", "--json"]);
    assert_eq!(show["status"], "active");
    assert_eq!(show["step"], 7);
    assert_eq!(show["done_at"], Value::Null);
    assert_eq!(show["closure_code"], Value::Null);
    // Reopening an open one says why not.
    let again = reg.cmd("ana").args(["reopen", "1"]).output().unwrap();
    assert_eq!(again.status.code(), Some(4));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.contains("only done or cancelled initiatives reopen"),
        "{err}"
    );
}

#[test]
fn a_register_made_before_history_keeps_its_moves_as_events() {
    // tests/fixtures/register-v2.db: `improve demo` by the version before
    // history (schema 2), plus a move back with a reason and a
    // cancellation whose reason was stored as "realised".
    let reg = Reg::new();
    std::fs::copy("tests/fixtures/register-v2.db", &reg.db).unwrap();
    let show = reg.json(&["show", "3", "--json"]);
    let history = show["history"].as_array().unwrap();
    let moves = show["moves"].as_array().unwrap();
    assert_eq!(history.len(), moves.len());
    assert_eq!(history[0]["kind"], "created");
    assert_eq!(history[0]["title"], "Reduce change failure rate");
    for e in history {
        assert_eq!(e["by"], "", "migrated events have no author: {e}");
    }
    let last = history.last().unwrap();
    assert_eq!(last["kind"], "moved");
    assert_eq!(last["back"], true);
    assert_eq!(last["reason"], "targets missed");

    let cancelled = reg.json(&["show", "5", "--json"]);
    assert_eq!(cancelled["cancel_reason"], "no budget this year");
    assert_eq!(cancelled["realised"], Value::Null);

    // Every move of the register is in the log, and new changes are signed.
    let all = reg.json(&["log", "--json"]).as_array().unwrap().len();
    assert_eq!(all, 164);
    reg.ok("cleo", &["note", "3", "after the upgrade"]);
    let log = reg.json(&["log", "--limit", "1", "--json"]);
    assert_eq!(log[0]["by"], "cleo");
    assert_eq!(log[0]["kind"], "noted");
}

#[test]
fn the_author_falls_back_to_the_configuration_then_the_login_name() {
    let reg = Reg::new();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "user = \"dana\"\n").unwrap();
    let out = cmd_on(&reg.db, "")
        .env_remove("IMPROVE_USER")
        .env("IMPROVE_CONFIG", &config)
        .args(["add", "Configured author"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = cmd_on(&reg.db, "")
        .env_remove("IMPROVE_USER")
        .args(["note", "1", "by login"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let show = reg.json(&["show", "1", "--json"]);
    let h = show["history"].as_array().unwrap();
    assert_eq!(h[0]["by"], "dana");
    let login = improve::config::identity::login_name().unwrap();
    assert_eq!(h[1]["by"], login.as_str());
}
