//! What a new user meets in the first hour of the command line: reading
//! commands on a mistyped path, usage errors, manual pages, completions and
//! progress. The real binary, a register in a temporary folder.

mod common;

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

fn improve(db: &Path) -> Command {
    let mut c = Command::cargo_bin("improve").unwrap();
    c.env_remove("IMPROVE_READ_ONLY")
        .env_remove("IMPROVE_DEBUG")
        .env_remove("IMPROVE_CONFIG")
        .env("IMPROVE_DB", db);
    c
}

fn run(db: &Path, args: &[&str]) -> Output {
    improve(db).args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Everything under `dir`, for "nothing was created" checks.
fn tree(dir: &Path) -> Vec<String> {
    let mut seen = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            seen.push(p.strip_prefix(dir).unwrap().display().to_string());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    seen.sort();
    seen
}

#[test]
fn reading_commands_on_a_missing_register_exit_5_and_create_nothing() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("typo").join("deeper").join("register.db");
    let backup = dir.path().join("copy.db");
    let export = dir.path().join("out.json");
    let export = export.to_str().unwrap();
    let backup_arg = backup.to_str().unwrap();
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["show", "1"],
        &["show", "1", "--json"],
        &["log"],
        &["log", "1", "--json"],
        &["export"],
        &["export", "--format", "csv", "-o", export],
        &["backup", backup_arg],
        &["goal", "list"],
        &["--read-only", "list"],
    ] {
        let out = run(&db, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(5), "{args:?}: {err}");
        assert!(
            err.starts_with(&format!("improve: no register at {}", db.display())),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(tree(dir.path()), Vec::<String>::new(), "{args:?}");
    }
}

#[test]
fn an_empty_file_is_no_register_for_reading_and_stays_empty() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("empty.db");
    std::fs::write(&db, b"").unwrap();
    let out = run(&db, &["list"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("no register at"));
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
    assert_eq!(tree(dir.path()), vec!["empty.db".to_string()]);
}

#[test]
fn models_needs_no_register_and_writing_commands_still_create_one() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("new").join("register.db");
    let out = run(&db, &["models"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!db.exists() && !db.parent().unwrap().exists());

    let out = run(&db, &["add", "First idea"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
    let out = run(&db, &["list"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("First idea"));
}

/// A usage mistake: exit 2 and one line naming the problem and the usage
/// line that fixes it.
fn usage_line(args: &[&str]) -> String {
    let dir = TempDir::new().unwrap();
    let out = run(&dir.path().join("r.db"), args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
    assert_eq!(tree(dir.path()), Vec::<String>::new(), "{args:?}");
    err.trim_end().to_owned()
}

#[test]
fn a_missing_argument_names_it_with_the_usage_line_that_fixes_it() {
    assert_eq!(
        usage_line(&["show"]),
        "improve: missing ID (usage: improve show ID [--json])"
    );
    assert_eq!(
        usage_line(&["hold", "1"]),
        "improve: missing --reason REASON (usage: improve hold ID --reason TEXT)"
    );
    assert_eq!(
        usage_line(&["kpi", "1", "measure", "Latency"]),
        "improve: missing VALUE (usage: improve kpi ID measure KPI VALUE [--date D])"
    );
    let goal = usage_line(&["goal"]);
    assert!(
        goal.ends_with(
            "(usage: improve goal add NAME [--description TEXT] | improve goal list [--json])"
        ),
        "{goal}"
    );
}

#[test]
fn a_wrong_or_unexpected_argument_shows_its_subcommand_usage() {
    let err = usage_line(&["show", "x"]);
    assert_eq!(
        err,
        "improve: invalid value 'x' for ID: not a whole number (usage: improve show ID [--json])"
    );
    let err = usage_line(&["list", "extra"]);
    assert!(err.contains("unexpected argument 'extra'"), "{err}");
    assert!(err.contains("(usage: improve list [--step STEP]"), "{err}");
    // A note's text before its id: the usage line gives the order.
    let err = usage_line(&["note", "fixed it", "3"]);
    assert!(err.contains("(usage: improve note ID TEXT"), "{err}");
    // A typo in the subcommand: the likely one, and where to read more.
    assert_eq!(
        usage_line(&["lst"]),
        "improve: unrecognized subcommand 'lst'; a similar subcommand exists: 'list' (see improve --help)"
    );
}

#[test]
fn db_never_reads_as_required() {
    for args in [&["show"][..], &["add"], &["kpi", "1"], &["list", "--bogus"]] {
        let err = usage_line(args);
        assert!(!err.contains("--db"), "{args:?}: {err}");
    }
    let dir = TempDir::new().unwrap();
    let help = improve(&dir.path().join("r.db"))
        .args(["show", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.contains("Usage: improve show ID [--json]"), "{help}");
    assert!(
        help.contains("[env: IMPROVE_DB="),
        "still documented: {help}"
    );
}

#[test]
fn natural_orders_work() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("r.db");
    assert!(run(&db, &["add", "Faster restores"]).status.success());
    for args in [
        &["kpi", "add", "1", "Latency", "--direction", "lower"][..],
        &["kpi", "measure", "1", "Latency", "42"],
        &["move", "forward", "1"],
    ] {
        let out = run(&db, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let show = run(&db, &["show", "1", "--json"]);
    let show: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(show["step"], 2, "{show}");
    assert_eq!(show["kpis"][0]["name"], "Latency", "{show}");
}

#[test]
fn man_out_writes_a_page_for_every_subcommand_with_the_sections_readers_look_for() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("no-register.db");
    let pages = dir.path().join("man").join("man1");
    let out = run(&db, &["man", "--out", pages.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    for name in [
        "improve.1",
        "improve-show.1",
        "improve-list.1",
        "improve-kpi.1",
        "improve-kpi-add.1",
        "improve-goal-list.1",
        "improve-export.1",
        "improve-man.1",
    ] {
        let path = pages.join(name);
        assert!(listed.contains(&path.display().to_string()), "{listed}");
        let text = std::fs::read_to_string(&path).unwrap();
        let title = name.trim_end_matches(".1").to_uppercase();
        assert!(text.contains(&format!("\n.TH {title} 1 ")), "{name}");
        for section in ["SYNOPSIS", "KEYS", "ENVIRONMENT", "FILES", "EXIT STATUS"] {
            assert!(
                text.contains(&format!(".SH {section}"))
                    || text.contains(&format!(".SH \"{section}\"")),
                "{name} lacks {section}"
            );
        }
    }
    // One page per subcommand (the help subcommand has none), and nothing
    // else: no register was made.
    let count = std::fs::read_dir(&pages).unwrap().count();
    assert!(count >= 30, "{count} pages");
    assert!(!db.exists());

    let show = std::fs::read_to_string(pages.join("improve-show.1")).unwrap();
    assert!(show.contains("improve show"), "synopsis names the command");
    assert!(show.contains("IMPROVE_DB") && show.contains("when it is missing"));
    let main = std::fs::read_to_string(pages.join("improve.1")).unwrap();
    // The dashboard's keys, from the keymap itself.
    assert!(main.contains("Backlog") && main.contains("quit"), "keys");

    // `improve man` alone still prints the main page.
    let out = run(&db, &["man"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("\n.TH IMPROVE 1 "));
}

#[test]
fn man_out_on_a_file_fails_in_one_line() {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("taken");
    std::fs::write(&file, "x").unwrap();
    let out = run(
        &dir.path().join("r.db"),
        &["man", "--out", file.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1);
}

#[test]
fn completions_offer_values_not_file_names() {
    let dir = TempDir::new().unwrap();
    let out = run(&dir.path().join("r.db"), &["completions", "bash"]);
    assert!(out.status.success());
    let script = String::from_utf8(out.stdout).unwrap();
    // The lines completing one option: `--status)` up to its `return 0`.
    let completes = |option: &str| -> Vec<String> {
        let lines: Vec<&str> = script.lines().collect();
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.trim() == format!("{option})"))
            .map(|(i, _)| lines[i + 1].trim().to_owned())
            .collect()
    };
    for (option, words) in [
        (
            "--status",
            &["active", "on_hold", "done", "cancelled", "open"][..],
        ),
        ("--step", &["vision", "plan", "momentum"]),
        ("--to", &["plan", "check"]),
        ("--kind", &["created", "moved"]),
        ("--code", &["successful", "withdrawn"]),
        ("--format", &["json", "csv", "md"]),
        ("--model", &["itil4", "pdca"]),
        ("--effort", &["XL"]),
        ("--direction", &["higher", "lower"]),
    ] {
        let lines = completes(option);
        assert!(!lines.is_empty(), "{option}");
        // `--kind` of `note` and of `log` differ: one of the lines offers these.
        assert!(
            lines.iter().all(|l| l.contains("compgen -W")),
            "{option}: {lines:?}"
        );
        assert!(
            lines.iter().any(|l| words.iter().all(|w| l.contains(w))),
            "{option} lacks {words:?}: {lines:?}"
        );
    }
    // Free text completes to nothing rather than to file names...
    for option in ["--due", "--reason", "--owner", "--since", "--date"] {
        for line in completes(option) {
            assert!(!line.contains("compgen -f"), "{option}: {line}");
        }
    }
    // ... and paths still complete to files.
    for option in ["--db", "--output"] {
        assert!(
            completes(option).iter().all(|l| l.contains("compgen -f")),
            "{option}"
        );
    }
    // `move ID` completes its direction.
    assert!(script.contains("forward back"), "move's direction");
}

/// Long work on a pipe or in a file: the result lines and nothing else, no
/// bar, no escape sequence.
#[test]
fn long_work_prints_no_progress_when_stderr_is_not_a_terminal() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("big.db");
    // Above the sizes from which a terminal gets a bar or a spinner.
    let out = run(&db, &["demo", "--initiatives", "4000"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "demo");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(std::fs::metadata(&db).unwrap().len() >= 16 << 20, "large");

    let json = dir.path().join("all.json");
    let out = run(&db, &["export", "-o", json.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "export to a file");
    assert!(out.stdout.is_empty());
    assert!(std::fs::metadata(&json).unwrap().len() >= 1 << 20, "large");

    let out = run(&db, &["export", "--format", "csv"]);
    assert!(out.status.success());
    assert_eq!(stderr(&out), "", "export to stdout");
    assert!(!out.stdout.contains(&0x1b), "no escape in the data");

    let copy = dir.path().join("copy.db");
    let out = run(&copy, &["import", json.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "import");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("imported 4000 initiatives"));
}

/// On a terminal, `demo --initiatives N` counts what it has written.
#[cfg(unix)]
#[test]
fn demo_shows_a_bar_on_a_terminal_and_clears_it() {
    use portable_pty::CommandBuilder;
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("big.db");
    let mut cmd = CommandBuilder::new(common::pty::BIN);
    cmd.args([
        "--db",
        db.to_str().unwrap(),
        "demo",
        "--initiatives",
        "20000",
    ]);
    cmd.env_remove("IMPROVE_DB");
    let mut session = common::pty::Session::spawn(cmd, 100, 24);
    session.timeout = std::time::Duration::from_secs(300);
    session.wait_for("20000 initiatives,");
    let status = session.wait_exit(std::time::Duration::from_secs(60));
    assert!(status.is_some_and(|s| s.success()));
    let shown = session.output();
    assert!(shown.contains("/20,000 initiatives"), "a count: {shown:?}");
    // Cleared before the summary, which starts its own line.
    assert!(shown.contains("\x1b[2K"), "{shown:?}");
}

/// What the binary answers a shell that asks at each Tab (fish's format:
/// one `value<TAB>help` a line).
fn ask(db: &Path, words: &[&str]) -> Vec<String> {
    let out = improve(db)
        .env("COMPLETE", "fish")
        .arg("--")
        .arg("improve")
        .args(words)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn dynamic_completion_offers_the_register_s_ids_with_their_titles() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("r.db");
    // No register: no ids, and none is made by asking.
    assert!(!ask(&db, &["show", ""]).iter().any(|l| l.starts_with('1')));
    assert!(!db.exists());

    for title in ["Faster restores", "Fewer pages at night"] {
        assert!(run(&db, &["add", title]).status.success());
    }
    let shown = ask(&db, &["show", ""]);
    assert!(
        shown.contains(&"1\tFaster restores".to_string()),
        "{shown:?}"
    );
    assert!(
        shown.contains(&"2\tFewer pages at night".to_string()),
        "{shown:?}"
    );
    let kpi = ask(&db, &["kpi", "2"]);
    assert_eq!(kpi, vec!["2\tFewer pages at night".to_string()]);
    // Values as the static scripts offer them.
    let statuses = ask(&db, &["list", "--status", ""]);
    assert!(statuses.iter().any(|l| l == "on_hold"), "{statuses:?}");
}
