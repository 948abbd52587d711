//! Nothing an import or an export does can damage the register: edited
//! exports are refused field by field with nothing written, outputs that are
//! the register (or a link to it) are refused, inputs that are not files are
//! refused at once, and exports are safe where they are opened.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

#[derive(Debug)]
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

    /// A register holding the sample.
    fn sample() -> Reg {
        let r = Reg::new();
        r.ok(&["demo"]);
        r
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cmd_on(&self, db: &Path) -> Command {
        let mut c = Command::cargo_bin("improve").unwrap();
        c.env_remove("IMPROVE_READ_ONLY")
            .env("IMPROVE_DB", db)
            .timeout(Duration::from_secs(60));
        c
    }

    fn ok_on(&self, db: &Path, args: &[&str]) -> String {
        let out = self.cmd_on(db).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        self.ok_on(&self.db, args)
    }

    /// A command that must fail with `code`; its stderr.
    fn fails_on(&self, db: &Path, args: &[&str], code: i32) -> String {
        let out = self.cmd_on(db).args(args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        err
    }

    fn fails(&self, args: &[&str], code: i32) -> String {
        self.fails_on(&self.db, args, code)
    }

    fn export_json(&self) -> Value {
        serde_json::from_str(&self.ok(&["export", "--format", "json"])).unwrap()
    }
}

/// Imports `doc` into a fresh register; `Err(stderr)` when refused (exit 4),
/// after checking that nothing was written.
fn import_doc(doc: &Value) -> Result<Reg, String> {
    let r = Reg::new();
    let file = r.path("in.json");
    std::fs::write(&file, serde_json::to_string(doc).unwrap()).unwrap();
    let out = r
        .cmd_on(&r.db)
        .args(["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    if out.status.success() {
        return Ok(r);
    }
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(!err.contains("constraint"), "SQLite's words leaked: {err}");
    let list = r.ok(&["list", "--json"]);
    assert_eq!(list.trim(), "[]", "a refused import wrote something");
    Err(err)
}

/// A change made to an export by hand.
type Edit = Box<dyn Fn(&mut Value)>;

#[test]
fn every_edited_field_is_refused_with_record_id_and_field() {
    let base = Reg::sample().export_json();
    let edits: Vec<(&str, Edit, &str)> = vec![
        (
            "returns",
            Box::new(|d| d["initiatives"][1]["returns"] = (-5).into()),
            "record 2 (id 2), field returns:",
        ),
        (
            "priority",
            Box::new(|d| d["initiatives"][0]["priority"] = 0.into()),
            "field priority: 0 is out of range (expected 1-5)",
        ),
        (
            "value",
            Box::new(|d| d["initiatives"][0]["value"] = i64::MAX.into()),
            "field value:",
        ),
        (
            "status",
            Box::new(|d| d["initiatives"][0]["status"] = "paused".into()),
            "field status: unknown status",
        ),
        (
            "effort",
            Box::new(|d| d["initiatives"][0]["effort"] = "XXL".into()),
            "field effort:",
        ),
        (
            "step",
            Box::new(|d| d["initiatives"][0]["step"] = 9.into()),
            "field step: 9 is not a step",
        ),
        (
            "due",
            Box::new(|d| d["initiatives"][0]["due"] = "2026-02-30".into()),
            "field due:",
        ),
        (
            "short due",
            Box::new(|d| d["initiatives"][0]["due"] = "2026-3-2".into()),
            "field due:",
        ),
        (
            "version",
            Box::new(|d| d["initiatives"][0]["version"] = i64::MAX.into()),
            "field version:",
        ),
        (
            "negative id",
            Box::new(|d| d["initiatives"][0]["id"] = i64::MIN.into()),
            "field id:",
        ),
        (
            "goal",
            Box::new(|d| d["initiatives"][0]["goal_id"] = 999.into()),
            "field goal_id: goal 999 is not in the file",
        ),
        (
            "parent",
            Box::new(|d| d["initiatives"][0]["parent_id"] = 999.into()),
            "field parent_id: initiative 999 is not in the file",
        ),
        (
            "timestamp",
            Box::new(|d| d["initiatives"][0]["created_at"] = "0000-01-01T00:00:00Z".into()),
            "field created_at:",
        ),
        (
            "kpi direction",
            Box::new(|d| {
                let i = d["initiatives"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|i| !i["kpis"].as_array().unwrap().is_empty())
                    .unwrap();
                i["kpis"][0]["direction"] = "sideways".into();
            }),
            "field kpis.direction:",
        ),
        (
            "checklist step",
            Box::new(|d| d["initiatives"][0]["checklist"][0]["step"] = 0.into()),
            "field checklist.step:",
        ),
        (
            "note kind",
            Box::new(|d| {
                let i = d["initiatives"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|i| !i["notes"].as_array().unwrap().is_empty())
                    .unwrap();
                i["notes"][0]["kind"] = "rant".into();
            }),
            "field notes.kind:",
        ),
        (
            "duplicate checklist id",
            Box::new(|d| {
                let id = d["initiatives"][0]["checklist"][0]["id"].clone();
                d["initiatives"][1]["checklist"][0]["id"] = id;
            }),
            "field checklist.id:",
        ),
    ];
    for (what, edit, expected) in edits {
        let mut doc = base.clone();
        edit(&mut doc);
        let err = import_doc(&doc)
            .err()
            .unwrap_or_else(|| panic!("{what}: imported"));
        assert!(err.contains(expected), "{what}: {err}");
        assert!(err.starts_with("improve: "), "{what}: {err}");
    }
}

#[test]
fn a_duplicate_id_names_both_records() {
    let mut doc = Reg::sample().export_json();
    let first = doc["initiatives"][0]["id"].clone();
    doc["initiatives"][2]["id"] = first.clone();
    let err = import_doc(&doc).unwrap_err();
    assert!(
        err.contains(&format!(
            "record 3 (id {first}), field id: record 1 has the same id"
        )),
        "{err}"
    );
    let mut doc = Reg::sample().export_json();
    doc["goals"][1]["id"] = doc["goals"][0]["id"].clone();
    let err = import_doc(&doc).unwrap_err();
    assert!(err.contains("goal record 2"), "{err}");
    assert!(err.contains("goal record 1 has the same id"), "{err}");
}

#[test]
fn ids_at_the_limits_import_and_every_command_reads_them() {
    let mut doc = Reg::sample().export_json();
    doc["initiatives"][0]["id"] = i64::MAX.into();
    doc["initiatives"][1]["id"] = 1.into();
    doc["initiatives"][1]["parent_id"] = i64::MAX.into();
    let r = import_doc(&doc).expect("i64::MAX is a valid id");
    let max = i64::MAX.to_string();
    assert!(r.ok(&["list"]).contains(&max));
    let shown: Value = serde_json::from_str(&r.ok(&["show", &max, "--json"])).unwrap();
    assert_eq!(shown["id"], i64::MAX);
    r.ok(&["export", "--format", "csv"]);
    r.ok(&["export", "--format", "md"]);
    r.ok(&["add", "After the largest id"]);
    r.ok(&["move", "1", "forward"]);
}

#[test]
fn skip_invalid_still_writes_only_good_records() {
    let r = Reg::new();
    let mut doc = Reg::sample().export_json();
    doc["initiatives"][0]["returns"] = (-1).into();
    let n = doc["initiatives"].as_array().unwrap().len();
    let file = r.path("in.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = r.ok(&["import", "--skip-invalid", file.to_str().unwrap()]);
    assert!(
        out.contains(&format!("imported {} initiatives", n - 1)),
        "{out}"
    );
    r.ok(&["list"]);
}

#[test]
fn no_output_path_can_overwrite_the_register() {
    let r = Reg::sample();
    let before = r.ok(&["list", "--json"]);
    let db = r.db.to_str().unwrap().to_owned();
    std::fs::create_dir(r.path("sub")).unwrap();
    let mut targets = vec![
        db.clone(),
        format!("{db}-wal"),
        format!("{db}-shm"),
        format!("{db}-journal"),
        r.path("sub/../register.db").to_str().unwrap().to_owned(),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&r.db, r.path("soft.csv")).unwrap();
        std::os::unix::fs::symlink(r.path("register.db-wal"), r.path("to-wal.csv")).unwrap();
        std::fs::hard_link(&r.db, r.path("sub/hard.csv")).unwrap();
        for t in ["soft.csv", "to-wal.csv", "sub/hard.csv"] {
            targets.push(r.path(t).to_str().unwrap().to_owned());
        }
    }
    for t in &targets {
        let err = r.fails(&["export", "--format", "csv", "-o", t], 4);
        assert!(err.contains("export refused"), "{t}: {err}");
        let err = r.fails(&["backup", t], 4);
        assert!(err.contains("backup refused"), "{t}: {err}");
    }
    // The register is untouched: still ours, same contents.
    assert_eq!(r.ok(&["list", "--json"]), before);
    // A register named through a link protects the real file too.
    #[cfg(unix)]
    {
        let link = r.path("link.db");
        std::os::unix::fs::symlink(&r.db, &link).unwrap();
        r.fails_on(&link, &["export", "-o", &db], 4);
    }
    // Elsewhere is fine, and `-` is standard output.
    let other = r.path("copy.json");
    r.ok(&["export", "-o", other.to_str().unwrap()]);
    assert!(
        std::fs::read_to_string(&other)
            .unwrap()
            .contains("improve-register")
    );
    assert!(r.ok(&["export", "-o", "-"]).contains("improve-register"));
    let leftovers: Vec<_> = std::fs::read_dir(r.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn import_dash_reads_standard_input() {
    let doc = Reg::sample().ok(&["export"]);
    let r = Reg::new();
    let out = r
        .cmd_on(&r.db)
        .args(["import", "-"])
        .write_stdin(doc)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(r.ok(&["list"]).contains("Cut P1 incident MTTR"));
}

#[cfg(unix)]
#[test]
fn import_refuses_a_fifo_a_device_a_folder_and_a_huge_file_at_once() {
    let r = Reg::new();
    let fifo = r.path("fifo.json");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let huge = r.path("huge.csv");
    let f = std::fs::File::create(&huge).unwrap();
    f.set_len(improve::files::MAX_INPUT + 1).unwrap();
    for (file, why) in [
        (fifo.to_str().unwrap(), "FIFO"),
        ("/dev/zero", "a device"),
        (r.dir.path().to_str().unwrap(), "a folder"),
        (huge.to_str().unwrap(), "over the 256 MiB limit"),
    ] {
        let err = r.fails(&["import", file], 4);
        assert!(err.contains(why), "{file}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    r.fails(&["import", r.path("missing.json").to_str().unwrap()], 3);
}

#[test]
fn csv_cells_a_spreadsheet_would_run_are_neutralised_and_round_trip() {
    use improve::exchange::csv::{neutralise, restore};
    for (typed, written) in [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=already", "''=already"),
        ("'quoted'", "'quoted'"),
        ("plain", "plain"),
        ("a=b", "a=b"),
    ] {
        assert_eq!(neutralise(typed), written, "{typed:?}");
        assert_eq!(restore(written), typed, "{written:?}");
    }
    let r = Reg::new();
    for t in ["=1+2", "-minus", "@at", "+plus", "'=quoted", "'kept"] {
        r.ok(&["add", "--owner", "=cmd|' /C calc'!A0", "--", t]);
    }
    let csv = r.ok(&["export", "--format", "csv"]);
    for line in csv.lines().skip(1) {
        for cell in line.split(',') {
            assert!(
                !cell.trim_matches('"').starts_with(['=', '+', '-', '@']),
                "{cell:?} in {line:?}"
            );
        }
    }
    // Numeric columns stay numbers.
    assert!(csv.lines().nth(1).unwrap().starts_with("1,"), "{csv}");
    let file = r.path("out.csv");
    std::fs::write(&file, &csv).unwrap();
    let back = Reg::new();
    back.ok(&["import", file.to_str().unwrap()]);
    let a: Value = serde_json::from_str(&r.ok(&["list", "--json"])).unwrap();
    let b: Value = serde_json::from_str(&back.ok(&["list", "--json"])).unwrap();
    let titles = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| (i["title"].clone(), i["owner"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(titles(&a), titles(&b));
}

#[test]
fn the_markdown_report_shows_titles_as_typed() {
    let r = Reg::new();
    for t in [
        "<script>alert(1)</script>",
        "Retire <OldCRM>",
        "*not bold* [x](y)",
    ] {
        r.ok(&["add", t]);
    }
    let md = r.ok(&["export", "--format", "md"]);
    assert!(!md.contains("<script>") && !md.contains("<OldCRM>"), "{md}");
    assert!(
        md.contains("&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        "{md}"
    );
    assert!(md.contains("Retire &lt;OldCRM&gt;"), "{md}");
    assert!(md.contains("\\*not bold\\* \\[x\\]\\(y\\)"), "{md}");
}

#[test]
fn errors_that_quote_data_carry_no_control_characters() {
    let r = Reg::new();
    let file = r.path("in.csv");
    std::fs::write(&file, "title,\x1b]0;pwned\x07colour\nA,b\n").unwrap();
    let out = r
        .cmd_on(&r.db)
        .args(["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("ignored columns"), "{err}");
    assert!(!err.contains('\x1b') && !err.contains('\x07'), "{err:?}");
}

#[cfg(unix)]
#[test]
fn export_to_a_terminal_is_sanitised_and_to_a_pipe_is_as_is() {
    use common::pty::{BIN, Session};
    let r = Reg::new();
    let hostile = "Evil\x1b]0;pwned\x07\x1b[2J\u{9b}31m\u{202e}drow";
    r.ok(&["add", "--owner", hostile, "--", hostile]);
    for format in ["json", "csv", "md"] {
        let piped = r.ok(&["export", "--format", format]);
        if format == "csv" {
            assert!(piped.contains('\x1b'), "a file gets the data as is");
        }
        let mut cmd = portable_pty::CommandBuilder::new(BIN);
        cmd.args(["--db", r.db.to_str().unwrap(), "export", "--format", format]);
        let mut s = Session::spawn(cmd, 120, 40);
        let status = s.wait_exit(Duration::from_secs(30)).expect("export ends");
        assert!(status.success(), "{format}");
        s.read_for(Duration::from_millis(200));
        let out = s.output();
        assert!(out.contains("Evil"), "{format}: {out:?}");
        assert!(
            !out.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r'),
            "{format}: {out:?}"
        );
        assert!(!out.contains('\u{202e}'), "{format}: {out:?}");
    }
}
