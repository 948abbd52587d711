//! The command line as a script uses it: the real binary, a register in a
//! temporary folder, stdout, stderr and exit codes.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

struct Reg {
    dir: TempDir,
    db: PathBuf,
}

impl Reg {
    fn new() -> Reg {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("register.db");
        Reg { dir, db }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cmd(&self) -> Command {
        self.cmd_on(&self.db)
    }

    fn cmd_on(&self, db: &Path) -> Command {
        let mut c = Command::cargo_bin("improve").unwrap();
        c.env_remove("IMPROVE_READ_ONLY")
            .env_remove("NO_COLOR")
            .env("IMPROVE_DB", db)
            .env("RUST_BACKTRACE", "1");
        c
    }

    /// Runs a command that must succeed; its stdout.
    fn ok(&self, args: &[&str]) -> String {
        common::succeeds(self.cmd(), args)
    }

    /// Runs a command that must fail with `code` and one line on stderr
    /// (no backtrace); that line.
    fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd().args(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("BACKTRACE"),
            "{err}"
        );
        if code != 2 {
            assert_eq!(err.lines().count(), 1, "one line: {err}");
            assert!(err.starts_with("improve: "), "{err}");
        }
        err
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }
}

#[test]
fn add_prints_the_id_and_list_filters() {
    let r = Reg::new();
    assert_eq!(
        r.ok(&["goal", "add", "Stability", "--description", "Fewer outages"]),
        "1\n"
    );
    let a = r.ok(&[
        "add",
        "Cut MTTR",
        "--owner",
        "Ana",
        "--priority",
        "2",
        "--value",
        "8",
        "--effort",
        "L",
        "--due",
        "2020-01-31",
        "--goal",
        "stability",
        "--tag",
        "ops",
        "--tag",
        "sre",
        "--description",
        "Too slow",
    ]);
    assert_eq!(a, "1\n");
    assert_eq!(
        r.ok(&["add", "Second", "--owner", "Bo", "--goal", "1"]),
        "2\n"
    );
    assert_eq!(r.ok(&["add", "Third"]), "3\n");
    r.ok(&["move", "3", "--to", "plan"]);

    let all = r.json(&["list", "--json"]);
    let first = &all[0];
    assert_eq!(first["id"], 1);
    assert_eq!(first["owner"], "Ana");
    assert_eq!(first["priority"], 2);
    assert_eq!(first["value"], 8);
    assert_eq!(first["effort"], "L");
    assert_eq!(first["due"], "2020-01-31");
    assert_eq!(first["overdue"], true);
    assert_eq!(first["goal_id"], 1);
    assert_eq!(first["tags"], serde_json::json!(["ops", "sre"]));
    // The documented fields are all still there.
    for f in [
        "id",
        "title",
        "model",
        "step",
        "step_name",
        "status",
        "priority",
        "value",
        "effort",
        "owner",
        "due",
        "overdue",
        "days_in_step",
        "returns",
        "checklist_done",
        "checklist_total",
    ] {
        assert!(first.get(f).is_some(), "{f}");
    }

    let ids = |args: &[&str]| -> Vec<i64> {
        let mut full = vec!["list", "--json"];
        full.extend_from_slice(args);
        r.json(&full)
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids(&["--owner", "ana"]), [1]);
    assert_eq!(ids(&["--goal", "Stability"]), [1, 2]);
    assert_eq!(ids(&["--step", "4"]), [3]);
    assert_eq!(ids(&["--step", "vision", "--overdue"]), [1]);
    r.ok(&["hold", "2", "--reason", "waiting"]);
    assert_eq!(ids(&["--status", "on_hold"]), [2]);
    assert_eq!(ids(&["--status", "open"]).len(), 3);

    let table = r.ok(&["list"]);
    assert!(table.starts_with("ID  STEP"), "{table}");
    assert!(table.contains("2020-01-31!"));

    r.fails(&["list", "--status", "paused"], 4);
    r.fails(&["list", "--step", "later"], 4);
    r.fails(&["list", "--goal", "Nope"], 3);
    r.fails(&["add", "X", "--goal", "Nope"], 3);
    r.fails(&["add", "X", "--due", "soon"], 4);
    r.fails(&["add", "X", "--effort", "huge"], 4);
    r.fails(&["add", "  "], 4);
    r.fails(&["add", "X", "--priority", "9"], 2);
    r.fails(&["goal", "add", "STABILITY"], 4);
}

#[test]
fn show_prints_everything_and_json_is_versioned() {
    let r = Reg::new();
    r.ok(&["goal", "add", "Stability"]);
    r.ok(&["add", "Cut MTTR", "--goal", "Stability"]);
    assert!(r.ok(&["check", "1", "2"]).starts_with("#1 [x] "));
    r.ok(&["note", "1", "Chose the rota", "--kind", "decision"]);
    r.ok(&[
        "kpi",
        "1",
        "add",
        "MTTR",
        "--unit",
        "h",
        "--direction",
        "lower",
        "--baseline",
        "24",
        "--baseline-date",
        "2026-01-01",
    ]);
    r.ok(&["kpi", "1", "target", "mttr", "16", "--date", "2026-06-01"]);
    r.ok(&["kpi", "1", "measure", "1", "18", "--date", "2026-02-01"]);
    r.ok(&["move", "1", "forward", "--reason", "vision agreed"]);
    r.ok(&["move", "1", "back", "--reason", "rethink"]);
    assert_eq!(r.ok(&["add", "Follow-up"]), "2\n");

    let text = r.ok(&["show", "1"]);
    for want in [
        "#1 Cut MTTR",
        "Step 1/7 Vision",
        "Goal Stability (#1)",
        "   2 [x] ",
        "MTTR (lower is better): baseline 24 h (2026-01-01) → latest 18 h → target 16 h (2026-06-01), 75% of the gap closed",
        "decision: Chose the rota",
        "created \"Cut MTTR\"",
        "moved forward 1 → 2: vision agreed",
        "moved back 2 → 1: rethink",
        "History",
    ] {
        assert!(text.contains(want), "{want:?} in\n{text}");
    }

    let j = r.json(&["show", "1", "--json"]);
    assert_eq!(j["schema"], 1);
    assert_eq!(j["id"], 1);
    assert_eq!(j["step_name"], "Vision");
    assert_eq!(j["goal"]["name"], "Stability");
    assert_eq!(j["returns"], 1);
    assert_eq!(j["moves"].as_array().unwrap().len(), 3);
    assert_eq!(j["moves"][2]["reason"], "rethink");
    assert_eq!(j["notes"][0]["kind"], "decision");
    assert_eq!(j["kpis"][0]["measurements"][0]["value"], 18.0);
    assert_eq!(j["kpis"][0]["target"], 16.0);
    assert_eq!(j["kpi_progress"][0]["gap_closed"], 0.75);
    assert_eq!(j["checklist_done"], 1);
    assert!(
        j["checklist"].as_array().unwrap().len() > 40,
        "every step's checklist"
    );

    r.fails(&["show", "99"], 3);
    r.fails(&["show", "abc"], 2);
    r.fails(&["check", "1", "99"], 3);
    r.fails(&["check", "99", "1"], 3);
    r.fails(&["note", "99", "x"], 3);
    r.fails(&["note", "1", " "], 4);
    r.fails(&["kpi", "1", "measure", "nope", "3"], 3);
    r.fails(&["kpi", "1", "measure", "mttr", "3", "--date", "soon"], 4);
    r.fails(&["kpi", "1", "add", "mttr", "--direction", "lower"], 4);
    r.fails(&["kpi", "1", "add", "X", "--direction", "sideways"], 2);
    // Negative values are values, not flags.
    r.ok(&["kpi", "1", "measure", "mttr", "-2"]);
}

#[test]
fn lifecycle_commands_and_their_refusals() {
    let r = Reg::new();
    r.ok(&["add", "A"]);
    r.ok(&["add", "B"]);
    r.ok(&["add", "C"]);
    assert_eq!(
        r.ok(&["hold", "1", "--reason", "vendor"]),
        "#1 is on hold\n"
    );
    r.fails(&["move", "1", "forward"], 4);
    r.fails(&["hold", "1", "--reason", "again"], 4);
    r.fails(&["hold", "2"], 2);
    assert_eq!(r.ok(&["resume", "1"]), "#1 is active again\n");
    r.fails(&["resume", "1"], 4);
    assert_eq!(
        r.ok(&["cancel", "2", "--reason", "duplicate"]),
        "#2 is cancelled (withdrawn)\n"
    );
    r.fails(&["cancel", "2"], 4);
    assert_eq!(
        r.ok(&[
            "close",
            "3",
            "--code",
            "successful",
            "--realised",
            "MTTR halved"
        ]),
        "#3 is done (successful)\n"
    );
    r.fails(&["close", "3", "--code", "successful"], 4);
    r.fails(&["close", "1", "--code", "maybe"], 2);
    r.fails(&["resume", "42"], 3);
    let j = r.json(&["show", "3", "--json"]);
    assert_eq!(j["status"], "done");
    assert_eq!(j["realised"], "MTTR halved");
    assert_eq!(r.json(&["show", "2", "--json"])["status"], "cancelled");
    assert_eq!(
        r.ok(&["move", "1", "--to", "7"]),
        "#1 is at step 7/7 Momentum (active)\n"
    );
    assert_eq!(
        r.ok(&["move", "1", "forward"]),
        "#1 is at step 7/7 Momentum (done)\n"
    );
    r.fails(&["move", "1", "--to", "9"], 4);
    r.fails(&["move", "77", "forward"], 3);
    r.fails(&["move", "1"], 2);
}

#[test]
fn goals_are_listed() {
    let r = Reg::new();
    r.ok(&["goal", "add", "Stability", "--description", "Fewer outages"]);
    r.ok(&["goal", "add", "Experience"]);
    r.ok(&["add", "A", "--goal", "2"]);
    let j = r.json(&["goal", "list", "--json"]);
    assert_eq!(j[0]["name"], "Experience");
    assert_eq!(j[0]["initiatives"], 1);
    assert_eq!(j[1]["description"], "Fewer outages");
    assert!(
        r.ok(&["goal", "list"])
            .contains("Stability — Fewer outages")
    );
}

#[test]
fn export_then_import_into_an_empty_register_gives_the_same_register() {
    let r = Reg::new();
    r.ok(&["demo"]);
    let json = r.path("register.json");
    r.ok(&["export", "--format", "json", "-o", json.to_str().unwrap()]);
    let first = std::fs::read_to_string(&json).unwrap();
    assert!(first.contains("\"schema\": 1"));
    assert!(first.contains("\"kind\": \"improve-register\""));
    // No temporary file is left beside the export.
    let names: Vec<_> = std::fs::read_dir(r.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");

    let copy = r.path("copy.db");
    let out = r
        .cmd_on(&copy)
        .args(["import", json.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = r
        .cmd_on(&copy)
        .args(["export", "--format", "json"])
        .output()
        .unwrap();
    // The same register, plus one signed `imported` event per initiative
    // at the end of its history.
    let mut again: Value = serde_json::from_slice(&again.stdout).unwrap();
    for i in again["initiatives"].as_array_mut().unwrap() {
        let history = i["history"].as_array_mut().unwrap();
        let last = history.pop().unwrap();
        assert_eq!(last["kind"], "imported");
        assert_eq!(last["file"], "register.json");
    }
    let mut first: Value = serde_json::from_str(&first).unwrap();
    first.as_object_mut().unwrap().remove("exported_at");
    again.as_object_mut().unwrap().remove("exported_at");
    assert_eq!(again, first);

    // Into a register that holds data: new ids, nothing lost.
    let before = r.json(&["list", "--json"]).as_array().unwrap().len();
    let msg = r.ok(&["import", json.to_str().unwrap()]);
    assert!(msg.contains("(new ids given)"), "{msg}");
    assert_eq!(
        r.json(&["list", "--json"]).as_array().unwrap().len(),
        2 * before
    );
    // Goals are matched by name, not duplicated.
    let goals = r.json(&["goal", "list", "--json"]);
    let names: Vec<&str> = goals
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    let mut unique = names.clone();
    unique.dedup();
    assert_eq!(names, unique);
}

#[test]
fn csv_and_markdown_exports() {
    let r = Reg::new();
    r.ok(&["demo"]);
    let csv = r.ok(&["export", "--format", "csv"]);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("id,title,description,source,status,step")
    );
    let rows = r.json(&["list", "--json"]).as_array().unwrap().len();
    let records = csv::Reader::from_reader(csv.as_bytes()).records().count();
    assert_eq!(records, rows);

    let md = r.ok(&["export", "--format", "md"]);
    for want in [
        "# Continual improvement register",
        "## Register by step",
        "## KPIs",
        "## Done in the last quarter",
        "## Overdue",
    ] {
        assert!(md.contains(want), "{want}");
    }
    // CSV export re-imports into an empty register.
    let file = r.path("r.csv");
    std::fs::write(&file, &csv).unwrap();
    let copy = r.path("copy.db");
    r.cmd_on(&copy)
        .args(["import", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "imported {rows} initiatives"
        )));
}

#[test]
fn a_spreadsheet_csv_is_matched_by_header_name() {
    let r = Reg::new();
    let file = r.path("sheet.csv");
    std::fs::write(
        &file,
        "Ref, Initiative Name ,OWNER,Prio,Raised By,Date Raised,Due Date,Stage,State,Goal,Colour\n\
         CI-1,Cut MTTR,Ana,P1,Bo,2026-01-05,2026-06-30,plan,open,Stability,blue\n\
         CI-2,Automate certs,Priya,high,,2026-02-01,,Act,on hold,Stability,\n",
    )
    .unwrap();
    r.cmd()
        .args(["import", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout(
            "imported 2 initiatives and 1 goal from ".to_owned() + file.to_str().unwrap() + "\n",
        )
        .stderr(predicate::str::starts_with(
            "improve: read the CSV as cells separated by commas\nimprove: ignored columns: Colour\nimprove: warning: a CSV carries no move log",
        ));
    let list = r.json(&["list", "--json"]);
    assert_eq!(list[0]["title"], "Cut MTTR");
    assert_eq!(list[0]["step"], 4);
    assert_eq!(list[0]["priority"], 1);
    assert_eq!(list[0]["due"], "2026-06-30");
    assert_eq!(list[1]["status"], "on_hold");
    assert_eq!(list[1]["step_name"], "Act");
    let j = r.json(&["show", "1", "--json"]);
    assert_eq!(j["raised_by"], "Bo");
    assert_eq!(j["created_at"], "2026-01-05T12:00:00Z");
    assert_eq!(j["goal"]["name"], "Stability");
}

#[test]
fn a_bad_import_names_every_bad_row_and_imports_nothing() {
    let r = Reg::new();
    let file = r.path("bad.csv");
    std::fs::write(
        &file,
        "title,priority,due\n,9,soon\nGood,2,\nAlso bad,1,2026-13-01\n",
    )
    .unwrap();
    let out = r
        .cmd()
        .args(["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [
            "improve: row 2, column title: the title is empty",
            "improve: row 2, column priority: 9 is out of range (expected 1-5)",
            "improve: row 2, column due: \"soon\" is not a date (expected YYYY-MM-DD, d/m/yyyy, m/d/yyyy or a spreadsheet's date number such as 46083)",
            "improve: row 4, column due: \"2026-13-01\": there is no month 13",
            &format!(
                "improve: nothing imported from {}: 4 problems (--skip-invalid imports the good rows)",
                file.display()
            ),
        ]
    );
    assert_eq!(r.ok(&["list", "--json"]), "[]\n");

    r.cmd()
        .args(["import", "--skip-invalid", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "imported 1 initiative and 0 goals",
        ))
        .stderr(predicate::str::contains("skipped row 4, column due"));
    assert_eq!(r.json(&["list", "--json"])[0]["title"], "Good");

    r.fails(&["import", r.path("missing.csv").to_str().unwrap()], 3);
    let junk = r.path("junk.json");
    std::fs::write(&junk, "{\"hello\": 1}").unwrap();
    r.fails(&["import", junk.to_str().unwrap()], 4);
    let nohead = r.path("nohead.csv");
    std::fs::write(&nohead, "owner\nAna\n").unwrap();
    r.fails(&["import", nohead.to_str().unwrap()], 4);
}

#[test]
fn backup_copies_a_register_that_is_open() {
    let r = Reg::new();
    r.ok(&["demo"]);
    // Another connection holds a read transaction, as a dashboard would.
    let conn = rusqlite::Connection::open(&r.db).unwrap();
    conn.execute_batch("BEGIN; SELECT count(*) FROM initiatives;")
        .unwrap();
    let target = r.path("backup.db");
    r.ok(&["backup", target.to_str().unwrap()]);
    conn.execute_batch("COMMIT").unwrap();
    assert_eq!(
        r.cmd_on(&target)
            .args(["list", "--json"])
            .output()
            .unwrap()
            .stdout,
        r.cmd().args(["list", "--json"]).output().unwrap().stdout
    );
    r.fails(&["backup", r.db.to_str().unwrap()], 4);
    r.fails(&["backup", r.dir.path().to_str().unwrap()], 4);
    let nowhere = r.path("no/such/folder/backup.db");
    let err = r.fails(&["backup", nowhere.to_str().unwrap()], 3);
    assert!(err.contains("there is no folder"), "{err}");
    assert!(
        !err.contains(".backup.db."),
        "no temporary file named: {err}"
    );
}

#[test]
fn read_only_refuses_writes_and_never_creates_a_file() {
    let r = Reg::new();
    r.ok(&["add", "A"]);
    let before = std::fs::read(&r.db).unwrap();
    for args in [
        vec!["--read-only", "add", "B"],
        vec!["--read-only", "move", "1", "forward"],
        vec!["--read-only", "goal", "add", "G"],
        vec!["--read-only", "note", "1", "x"],
    ] {
        let err = r.fails(&args, 6);
        assert!(err.contains("read-only"), "{err}");
    }
    let out = r
        .cmd()
        .env("IMPROVE_READ_ONLY", "1")
        .args(["check", "1", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(6));
    // Reads work.
    let list = r
        .cmd()
        .env("IMPROVE_READ_ONLY", "1")
        .args(["list", "--json"])
        .output()
        .unwrap();
    assert!(list.status.success());
    r.ok(&["--read-only", "show", "1"]);
    r.ok(&["--read-only", "export", "--format", "md"]);
    assert_eq!(std::fs::read(&r.db).unwrap(), before);
    // A missing register is not created.
    let none = r.path("none.db");
    let out = r
        .cmd_on(&none)
        .args(["--read-only", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert!(!none.exists());
}

#[test]
fn a_file_that_is_not_a_register_is_refused() {
    let r = Reg::new();
    let text = r.path("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    let out = r.cmd_on(&text).args(["list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "hello");
    let out = r
        .cmd_on(&text)
        .args(["--read-only", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
}

#[test]
fn usage_errors_exit_2() {
    let r = Reg::new();
    r.fails(&["frobnicate"], 2);
    r.fails(&["list", "--bogus"], 2);
    r.fails(&["--color", "purple"], 2);
    r.fails(&["export", "--format", "xml"], 2);
    r.fails(&["completions", "tcsh"], 2);
}

#[test]
fn completions_and_man_page_need_no_register() {
    let r = Reg::new();
    for (shell, marker) in [
        ("bash", "_improve()"),
        ("zsh", "#compdef improve"),
        ("fish", "complete -c improve"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        r.cmd_on(Path::new("/nonexistent/dir/x.db"))
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains(marker));
    }
    r.cmd()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH IMPROVE 1"));
    assert!(!r.db.exists());
}

#[test]
fn closing_the_pipe_early_is_not_an_error() {
    let r = Reg::new();
    r.ok(&["demo", "--initiatives", "1000"]);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("improve"))
        .env("IMPROVE_DB", &r.db)
        .args(["export", "--format", "csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `--color never` and `NO_COLOR` give the mono theme: a dashboard drawn with
/// it carries no colour at all, yet the selection stays visible.
#[test]
fn without_colour_the_screen_has_no_colour_but_keeps_the_selection() {
    use improve::app::App;
    use improve::domain::Model;
    use improve::domain::time::Clock;
    use improve::store::Store;
    use improve::ui::Theme;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::{Color, Modifier};

    let r = Reg::new();
    r.ok(&["demo"]);
    let now = chrono::Utc::now();
    let mut app = App::new(
        Store::open(&r.db).unwrap(),
        Model::itil4(),
        Clock::Fixed(now),
    )
    .unwrap();
    app.update(improve::app::Action::Resize { backlog_rows: 18 });
    let mut term = Terminal::new(TestBackend::new(100, 30)).unwrap();
    term.draw(|f| improve::ui::draw(f, &app, &Theme::mono()))
        .unwrap();
    let buf = term.backend().buffer();
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, Color::Reset, "{cell:?}");
    }
    // The selected row: the marker, then its id in reverse video; no other
    // backlog row has either.
    let marked: Vec<u16> = (0..buf.area.height)
        .filter(|&y| buf[(1, y)].symbol() == "▌")
        .collect();
    assert_eq!(marked.len(), 1, "one selection marker");
    let y = marked[0];
    let id: String = (2..4).map(|x| buf[(x, y)].symbol()).collect();
    assert_eq!(id.trim(), app.selected_row().unwrap().id.to_string());
    for x in 2..4 {
        assert!(
            buf[(x, y)].modifier.contains(Modifier::REVERSED),
            "the selected id is reversed"
        );
        assert!(!buf[(x, y + 1)].modifier.contains(Modifier::REVERSED));
    }
}
