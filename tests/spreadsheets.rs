//! Real spreadsheet exports through the real binary: semicolons and tabs,
//! a byte order mark, serial dates, day/month order, status words, a notes
//! column, and the same file imported twice.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
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

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn run(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let out = Command::cargo_bin("improve")
            .unwrap()
            .env_remove("IMPROVE_READ_ONLY")
            .env("IMPROVE_CONFIG", "/dev/null")
            .env("IMPROVE_DB", &self.db)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    fn import(&self, file: &Path, extra: &[&str]) -> (Option<i32>, String, String) {
        let mut args = vec!["import", file.to_str().unwrap()];
        args.extend(extra);
        self.run(&args)
    }

    fn list(&self) -> Vec<Value> {
        let (_, out, _) = self.run(&["list", "--json"]);
        serde_json::from_str::<Value>(&out)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    }
}

/// What a European spreadsheet saves as "CSV (semicolon)": a BOM, `;`,
/// serial dates and dotted dates, a tracker's status words, notes.
const EUROPEAN: &[u8] = "\u{feff}Ref;Title;Status;Due date;Owner;Notes\r\n\
CI-1;Cut MTTR;In progress;46083;Ana;\"Talked to ops; agreed a rota\"\r\n\
CI-2;Patch faster;Not started;13.04.2026;Bo;\r\n\
CI-3;Old idea;Cancelled;02.03.2026;;\r\n\
CI-4;Waiting on vendor;Blocked;46100,5;;\r\n"
    .as_bytes();

#[test]
fn a_semicolon_export_with_a_bom_and_serial_dates_imports_whole() {
    let r = Reg::new();
    let file = r.file("eu.csv", EUROPEAN);
    let (code, out, err) = r.import(&file, &[]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.starts_with("imported 4 initiatives and 0 goals"),
        "{out}"
    );
    assert!(
        err.starts_with("improve: read the CSV as cells separated by semicolons\n"),
        "{err}"
    );
    let rows = r.list();
    let field = |title: &str, key: &str| {
        rows.iter()
            .find(|x| x["title"] == title)
            .unwrap_or_else(|| panic!("{title} missing: {rows:?}"))[key]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(field("Cut MTTR", "due"), "2026-03-02");
    assert_eq!(field("Cut MTTR", "status"), "active");
    assert_eq!(field("Patch faster", "due"), "2026-04-13");
    assert_eq!(field("Old idea", "status"), "cancelled");
    assert_eq!(field("Waiting on vendor", "status"), "on_hold");
    let (_, show, _) = r.run(&["show", "1", "--json"]);
    let show: Value = serde_json::from_str(&show).unwrap();
    assert_eq!(show["notes"][0]["body"], "Talked to ops; agreed a rota");
    assert_eq!(show["notes"][0]["kind"], "work");
}

#[test]
fn the_same_file_imported_twice_is_warned_about() {
    let r = Reg::new();
    let file = r.file("eu.csv", EUROPEAN);
    let (_, _, first) = r.import(&file, &[]);
    assert!(!first.contains("imported before"), "{first}");
    let (code, _, err) = r.import(&file, &[]);
    assert_eq!(code, Some(0));
    assert!(
        err.contains(
            "improve: warning: 4 of the 4 rows with an id in this file are in the register already"
        ) && err.contains("was the file imported before?"),
        "{err}"
    );
    // Numeric ids kept from an empty register are recognised too.
    let r = Reg::new();
    let file = r.file("ids.csv", b"id,title\n1,A\n2,B\n");
    r.import(&file, &[]);
    let (_, _, err) = r.import(&file, &[]);
    assert!(err.contains("2 of the 2 rows with an id"), "{err}");
}

#[test]
fn an_ambiguous_date_is_refused_with_a_hint_and_read_as_told() {
    let r = Reg::new();
    let file = r.file("us.tsv", b"title\tdue\nA\t3/4/2026\nB\t12/25/2026\n");
    let (code, _, err) = r.import(&file, &["--format", "csv"]);
    assert_eq!(code, Some(4));
    assert!(
        err.contains("\"3/4/2026\" could be 3 April or March 4: say which with --date-order dmy or --date-order mdy"),
        "{err}"
    );
    assert!(r.list().is_empty(), "nothing imported");
    let (code, _, err) = r.import(&file, &["--format", "csv", "--date-order", "mdy"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("separated by tabs"), "{err}");
    let dues: Vec<String> = r
        .list()
        .iter()
        .map(|x| x["due"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(dues, ["2026-03-04", "2026-12-25"]);
}
