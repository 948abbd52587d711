//! Property: an import either refuses with nothing written, or leaves a
//! register that every reader reads. Documents are a real export (JSON and
//! CSV) with random fields replaced by values at and beyond their limits:
//! negative and huge numbers, `i64::MIN`/`MAX` ids, unknown names, bad and
//! non-canonical dates, dangling references, duplicate ids. Whenever the
//! import says yes, `list`, `show`, every export (the real binary) and the
//! dashboard's first frame (`App::start` drawn into a `TestBackend`) must
//! all work.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use assert_cmd::Command;
use common::fixed_now;
use improve::app::{Action, App};
use improve::domain::time::Clock;
use improve::domain::{Model, Models};
use improve::exchange::doc::Stamp;
use improve::exchange::{self, Format, ImportError};
use improve::sample::load_sample;
use improve::store::Store;
use improve::ui::{self, Theme};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use serde_json::Value;

/// The sample register's export, as JSON and as CSV.
fn base() -> &'static (Value, String) {
    static BASE: OnceLock<(Value, String)> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("sample.db")).unwrap();
        load_sample(&mut store, &Model::itil4(), fixed_now()).unwrap();
        let doc = exchange::read_register(&store, Stamp(fixed_now().timestamp())).unwrap();
        let csv = exchange::csv::write(&doc, &Models::builtin()).unwrap();
        (serde_json::to_value(&doc).unwrap(), csv)
    })
}

/// Values at and beyond the limits of every field's type and rules.
fn wild() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::from(i64::MIN)),
        Just(Value::from(i64::MAX)),
        Just(Value::from(u64::MAX)),
        Just(Value::from(u32::MAX as i64 + 1)),
        Just(Value::from(-5)),
        Just(Value::from(-1)),
        (0i64..12).prop_map(Value::from),
        Just(Value::from(1e300)),
        Just(Value::from(-0.5)),
        Just(Value::Null),
        Just(Value::from("")),
        Just(Value::from("Active")),
        Just(Value::from("ON HOLD")),
        Just(Value::from("done")),
        Just(Value::from("xl")),
        Just(Value::from("Process")),
        Just(Value::from("withdrawn")),
        Just(Value::from("lower")),
        Just(Value::from("decision")),
        Just(Value::from("nope")),
        Just(Value::from("2026-02-30")),
        Just(Value::from("2026-3-2")),
        Just(Value::from("9999-12-31")),
        Just(Value::from("0000-01-01")),
        Just(Value::from("2026-03-02")),
        Just(Value::from("0001-01-01T00:00:00Z")),
        Just(Value::from("9999-12-31T23:59:59Z")),
        Just(Value::from("1969-12-31T23:59:59Z")),
        Just(Value::from("2026-03-02T12:00:00+14:00")),
        Just(Value::from("itil4")),
        Just(Value::from("pdca")),
        Just(Value::from("\u{1b}[2J=cmd")),
    ]
}

const FIELDS: [&str; 22] = [
    "id",
    "title",
    "model",
    "step",
    "status",
    "priority",
    "value",
    "effort",
    "area",
    "closure_code",
    "goal_id",
    "parent_id",
    "due",
    "created_at",
    "updated_at",
    "step_entered_at",
    "done_at",
    "returns",
    "version",
    "checklist",
    "moves",
    "kpis",
];

/// Where a change lands in a JSON document.
#[derive(Debug, Clone)]
enum Edit {
    /// A field of an initiative.
    Field(usize, &'static str, Value),
    /// A field of the first child (checklist item, move, KPI, note) of an
    /// initiative.
    Child(usize, &'static str, &'static str, Value),
    /// A field of a goal.
    Goal(usize, &'static str, Value),
    /// An initiative takes the id of another.
    SameId(usize, usize),
    /// A child record takes the id of another initiative's child.
    SameChildId(&'static str, usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let child = prop_oneof![
        Just(("checklist", "id")),
        Just(("checklist", "step")),
        Just(("checklist", "done_at")),
        Just(("moves", "to_step")),
        Just(("moves", "from_step")),
        Just(("moves", "at")),
        Just(("kpis", "direction")),
        Just(("kpis", "baseline")),
        Just(("kpis", "baseline_date")),
        Just(("kpis", "target_date")),
        Just(("notes", "kind")),
        Just(("notes", "at")),
        Just(("notes", "id")),
    ];
    prop_oneof![
        4 => (0usize..40, prop::sample::select(&FIELDS[..]), wild())
            .prop_map(|(i, f, v)| Edit::Field(i, f, v)),
        2 => (0usize..40, child, wild()).prop_map(|(i, (c, f), v)| Edit::Child(i, c, f, v)),
        1 => (0usize..8, prop::sample::select(&["id", "name", "created_at"][..]), wild())
            .prop_map(|(i, f, v)| Edit::Goal(i, f, v)),
        1 => (0usize..40, 0usize..40).prop_map(|(a, b)| Edit::SameId(a, b)),
        1 => (prop::sample::select(&["checklist", "moves", "kpis", "notes"][..]), 0usize..40, 0usize..40)
            .prop_map(|(c, a, b)| Edit::SameChildId(c, a, b)),
    ]
}

fn nth(list: &mut Value, i: usize) -> Option<&mut Value> {
    let a = list.as_array_mut()?;
    if a.is_empty() {
        return None;
    }
    let n = a.len();
    a.get_mut(i % n)
}

fn apply(doc: &mut Value, e: &Edit) {
    match e {
        Edit::Field(i, f, v) => {
            if let Some(x) = nth(&mut doc["initiatives"], *i) {
                x[*f] = v.clone();
            }
        }
        Edit::Child(i, c, f, v) => {
            if let Some(x) = nth(&mut doc["initiatives"], *i)
                && let Some(child) = nth(&mut x[*c], 0)
            {
                child[*f] = v.clone();
            }
        }
        Edit::Goal(i, f, v) => {
            if let Some(g) = nth(&mut doc["goals"], *i) {
                g[*f] = v.clone();
            }
        }
        Edit::SameId(a, b) => {
            let id = nth(&mut doc["initiatives"], *a).map(|x| x["id"].clone());
            if let (Some(id), Some(x)) = (id, nth(&mut doc["initiatives"], *b)) {
                x["id"] = id;
            }
        }
        Edit::SameChildId(c, a, b) => {
            let id = nth(&mut doc["initiatives"], *a)
                .and_then(|x| nth(&mut x[*c], 0).map(|y| y["id"].clone()));
            if let (Some(id), Some(x)) = (id, nth(&mut doc["initiatives"], *b))
                && let Some(y) = nth(&mut x[*c], 0)
            {
                y["id"] = id;
            }
        }
    }
}

/// A CSV edit: a cell of a data row replaced.
fn csv_edit() -> impl Strategy<Value = (usize, usize, String)> {
    let text = prop_oneof![
        wild().prop_map(|v| match v {
            Value::String(s) => s,
            other => other.to_string(),
        }),
        Just("'=1+2".to_owned()),
        Just("=HYPERLINK(\"x\")".to_owned()),
        Just("p0".to_owned()),
        Just("9223372036854775807".to_owned()),
        Just("-9223372036854775808".to_owned()),
        Just("#12".to_owned()),
    ];
    (0usize..40, 0usize..26, text)
}

fn apply_csv(text: &str, edits: &[(usize, usize, String)]) -> String {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_owned).collect())
        .collect();
    for (row, col, v) in edits {
        let n = rows.len() - 1;
        let cells = &mut rows[1 + row % n];
        let c = col % cells.len();
        cells[c] = v.clone();
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(row).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn binary(db: &Path, args: &[&str]) {
    let out = Command::cargo_bin("improve")
        .unwrap()
        .env_remove("IMPROVE_READ_ONLY")
        .env("IMPROVE_DB", db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?} after an accepted import: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Imports `text`; on yes, every reader must read the result; on no,
/// nothing may have been written and SQLite must not have had the last word.
fn check(text: &str, format: Format) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let mut store = Store::open(&db).unwrap();
    let model = Models::builtin();
    let result = exchange::import(
        &mut store,
        text,
        format,
        &model,
        Stamp(fixed_now().timestamp()),
        false,
    );
    match result {
        Err(ImportError::Sqlite(e)) => {
            return Err(TestCaseError::fail(format!(
                "SQLite refused what the checks let through: {e}"
            )));
        }
        Err(ImportError::Invalid(problems)) => {
            prop_assert!(!problems.is_empty());
            prop_assert!(store.is_empty().unwrap(), "a refused import wrote");
            return Ok(());
        }
        Ok(_) => {}
    }
    let rows = store.backlog(&model).unwrap();
    drop(store);
    binary(&db, &["list"]);
    binary(&db, &["list", "--json"]);
    if let Some(r) = rows.first() {
        binary(&db, &["show", &r.id.to_string()]);
        binary(&db, &["show", &r.id.to_string(), "--json"]);
    }
    for f in ["json", "csv", "md"] {
        binary(&db, &["export", "--format", f]);
    }
    let store = Store::open(&db).unwrap();
    let mut app = App::start(store, model, Clock::Fixed(fixed_now()), 14).unwrap();
    app.update(Action::Resize {
        backlog_rows: ui::backlog_rows(Rect::new(0, 0, 100, 30)),
    });
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    terminal
        .draw(|f| ui::draw(f, &app, &Theme::color()))
        .unwrap();
    app.finish_loading().unwrap();
    terminal
        .draw(|f| ui::draw(f, &app, &Theme::color()))
        .unwrap();
    Ok(())
}

proptest! {
    // Each accepted case runs the binary seven times: 24 cases by default,
    // PROPTEST_CASES=500 digs deeper.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(24),
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn json_imports_leave_a_readable_register_or_nothing(edits in prop::collection::vec(edit(), 0..4)) {
        let mut doc = base().0.clone();
        for e in &edits {
            apply(&mut doc, e);
        }
        check(&serde_json::to_string(&doc).unwrap(), Format::Json)?;
    }

    #[test]
    fn csv_imports_leave_a_readable_register_or_nothing(edits in prop::collection::vec(csv_edit(), 0..4)) {
        let text = apply_csv(&base().1, &edits);
        check(&text, Format::Csv)?;
    }
}
