//! Dates as people type them, through the real binary and the real forms:
//! ISO, the configured format, words and offsets; errors that say whether
//! the form or the day is wrong; warnings that do not refuse.

mod common;

use std::path::PathBuf;

use assert_cmd::Command;
use chrono::{Days, NaiveDate, Utc};
use common::{Fixture, press};
use improve::app::Mode;
use tempfile::TempDir;

struct Reg {
    dir: TempDir,
    db: PathBuf,
}

impl Reg {
    fn new() -> Reg {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("register.db");
        std::fs::write(
            dir.path().join("config.toml"),
            "date_format = \"%d.%m.%Y\"\n",
        )
        .unwrap();
        Reg { dir, db }
    }

    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::cargo_bin("improve")
            .unwrap()
            .env_remove("IMPROVE_READ_ONLY")
            .env("IMPROVE_DB", &self.db)
            .env("IMPROVE_CONFIG", self.dir.path().join("config.toml"))
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    fn due(&self, id: &str) -> String {
        let (code, out, err) = self.run(&["show", id, "--json"]);
        assert_eq!(code, 0, "{err}");
        let j: serde_json::Value = serde_json::from_str(&out).unwrap();
        j["due"].as_str().unwrap_or_default().to_string()
    }
}

/// Today as the binary sees it: either side of a run, to be safe at midnight.
fn today_then(run: impl FnOnce()) -> [NaiveDate; 2] {
    let before = Utc::now().date_naive();
    run();
    [before, Utc::now().date_naive()]
}

#[test]
fn flags_take_iso_the_configured_format_words_and_offsets() {
    let r = Reg::new();
    let (code, out, err) = r.run(&["add", "Dotted", "--due", "02.03.2099"]);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert_eq!(r.due(out.trim()), "2099-03-02");

    let mut id = String::new();
    let days = today_then(|| {
        let (code, out, err) = r.run(&["add", "In two weeks", "--due", "+2w"]);
        assert_eq!((code, err.as_str()), (0, ""));
        id = out.trim().to_string();
    });
    let due = r.due(&id);
    assert!(
        days.iter().any(|d| (*d + Days::new(14)).to_string() == due),
        "{due}"
    );
    let (code, out, _) = r.run(&["add", "Friday", "--due", "friday"]);
    assert_eq!(code, 0);
    let due = NaiveDate::parse_from_str(&r.due(out.trim()), "%Y-%m-%d").unwrap();
    assert_eq!(due.format("%A").to_string(), "Friday");
}

#[test]
fn a_wrong_date_says_whether_the_form_or_the_day_is_wrong() {
    let r = Reg::new();
    let (code, _, err) = r.run(&["add", "X", "--due", "2026-02-30"]);
    assert_eq!(code, 4);
    assert_eq!(
        err,
        "improve: due date: \"2026-02-30\": February 2026 has no day 30\n"
    );
    let (code, _, err) = r.run(&["add", "X", "--due", "30.02.2026"]);
    assert_eq!(code, 4);
    assert!(err.contains("February 2026 has no day 30"), "{err}");
    let (code, _, err) = r.run(&["add", "X", "--due", "soon"]);
    assert_eq!(code, 4);
    assert!(
        err.contains("\"soon\" is not a date: give 2026-03-02 or 02.03.2026, today"),
        "{err}"
    );
    assert_eq!(r.run(&["list", "--json"]).1.trim(), "[]", "nothing added");
}

#[test]
fn a_past_due_date_or_a_future_measurement_warns_and_is_saved() {
    let r = Reg::new();
    let (code, out, err) = r.run(&["add", "Late", "--due", "2020-01-02"]);
    assert_eq!(code, 0);
    assert_eq!(
        err,
        "improve: warning: the due date 02.01.2020 is already past\n"
    );
    assert_eq!(r.due(out.trim()), "2020-01-02");
    let (code, _, err) = r.run(&["add", "On time", "--due", "today"]);
    assert_eq!((code, err.as_str()), (0, ""));

    r.run(&["kpi", "1", "add", "MTTR", "--direction", "lower"]);
    let (code, _, err) = r.run(&["kpi", "1", "measure", "1", "5", "--date", "+3d"]);
    assert_eq!(code, 0);
    assert!(
        err.starts_with("improve: warning: the measurement is dated ")
            && err.ends_with(", in the future\n"),
        "{err}"
    );
    let (code, _, err) = r.run(&["kpi", "1", "measure", "1", "6", "--date", "yesterday"]);
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn forms_take_words_and_warn_in_the_footer() {
    let fx = Fixture::new();
    let mut app = fx.app();
    // The add form's Due field is the eighth.
    press(
        &mut app,
        "aLate one<Tab><Tab><Tab><Tab><Tab><Tab><Tab>2020-01-02<C-s>",
    );
    assert_eq!(app.mode(), &Mode::Normal, "{:?}", app.flash());
    let flash = app.flash().unwrap().text.clone();
    assert!(
        flash.contains("added #1 Late one; warning: the due date 2020-01-02 is already past"),
        "{flash}"
    );
    press(
        &mut app,
        "aSoon<Tab><Tab><Tab><Tab><Tab><Tab><Tab>tomorrow<C-s>",
    );
    assert_eq!(app.mode(), &Mode::Normal, "{:?}", app.flash());
    let tomorrow = common::fixed_now().date_naive() + Days::new(1);
    assert_eq!(
        fx.query::<String>("SELECT due FROM initiatives WHERE id = 2"),
        tomorrow.to_string()
    );
    press(
        &mut app,
        "aBad<Tab><Tab><Tab><Tab><Tab><Tab><Tab>2026-02-30<C-s>",
    );
    let Mode::Form(form) = app.mode() else {
        panic!("a bad day closed the form")
    };
    assert_eq!(
        form.error.as_ref().map(|e| e.1.as_str()),
        Some("\"2026-02-30\": February 2026 has no day 30")
    );
}
