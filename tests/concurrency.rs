//! Many writers, one register: command-line processes and dashboards (App
//! instances on their own connections) add and move initiatives in one file
//! at the same time, starting on a file that does not exist yet. Afterwards
//! every write is there exactly once, no writer saw an error ("database is
//! locked" least of all), and SQLite finds the file intact.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Barrier};

use common::{Fixture, press};
use improve::app::Mode;

const BIN: &str = env!("CARGO_BIN_EXE_improve");

/// Command-line writers, dashboards, and operations (add, then move
/// forward) each of them performs.
const PROCESSES: usize = 4;
const DASHBOARDS: usize = 3;
const OPS: usize = 20;

fn improve(db: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stderr.is_empty(),
        "improve {args:?} failed ({:?}): {stderr}",
        out.status
    );
    String::from_utf8(out.stdout).unwrap()
}

/// One command-line writer: `add`, then `move ID forward`, OPS times.
fn cli_writer(db: PathBuf, who: usize, start: Arc<Barrier>) -> Vec<String> {
    start.wait();
    (0..OPS)
        .map(|i| {
            let title = format!("cli {who} op {i}");
            let id = improve(&db, &["add", &title]);
            let id = id.trim();
            assert!(id.parse::<i64>().is_ok(), "add printed {id:?}");
            let moved = improve(&db, &["move", id, "forward"]);
            assert!(moved.contains("step 2/7"), "{moved}");
            title
        })
        .collect()
}

/// One dashboard: add through the form, move forward with `>` (confirming
/// the open checklist), and look for others' changes as the event loop does.
fn app_writer(fx: Arc<Fixture>, who: usize, start: Arc<Barrier>) -> Vec<String> {
    start.wait();
    // As the dashboard opens it: checkpoints on a thread of their own.
    let mut app = fx.dashboard();
    (0..OPS)
        .map(|i| {
            let title = format!("app {who} op {i}");
            press(&mut app, &format!("a{title}<C-s>"));
            assert_eq!(app.mode(), &Mode::Normal, "{title}: {:?}", app.flash());
            assert_no_error(&app, &title);
            assert_eq!(app.selected_row().unwrap().title, title);
            press(&mut app, ">");
            if matches!(app.mode(), Mode::Confirm(_)) {
                press(&mut app, "y");
            }
            assert_no_error(&app, &title);
            assert_eq!(app.selected_row().unwrap().step.number(), 2, "{title}");
            app.poll_external();
            assert_no_error(&app, &title);
            title
        })
        .collect()
}

fn assert_no_error(app: &improve::app::App, what: &str) {
    if let Some(flash) = app.flash() {
        assert!(!flash.error, "{what}: {}", flash.text);
    }
}

#[test]
fn processes_and_dashboards_writing_at_once_lose_nothing() {
    // Not created beforehand: opening and migrating race too.
    let fx = Arc::new(Fixture::new());
    let start = Arc::new(Barrier::new(PROCESSES + DASHBOARDS));
    let mut handles = Vec::new();
    for who in 0..PROCESSES {
        let (db, start) = (fx.path.clone(), Arc::clone(&start));
        handles.push(std::thread::spawn(move || cli_writer(db, who, start)));
    }
    for who in 0..DASHBOARDS {
        let (fx, start) = (Arc::clone(&fx), Arc::clone(&start));
        handles.push(std::thread::spawn(move || app_writer(fx, who, start)));
    }
    let mut expected: Vec<String> = Vec::new();
    for h in handles {
        expected.extend(h.join().expect("a writer failed"));
    }
    assert_eq!(expected.len(), (PROCESSES + DASHBOARDS) * OPS);

    let conn = rusqlite::Connection::open(&fx.path).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    // Every title exactly once, each at step 2 with exactly two moves
    // logged (entering step 1, then 1 → 2) and its own checklist copy.
    let mut stmt = conn
        .prepare(
            "SELECT i.title, i.step,
                    (SELECT count(*) FROM moves m WHERE m.initiative_id = i.id),
                    (SELECT count(*) FROM moves m WHERE m.initiative_id = i.id
                        AND m.from_step = 1 AND m.to_step = 2),
                    (SELECT count(*) FROM checklist_items c WHERE c.initiative_id = i.id)
             FROM initiatives i",
        )
        .unwrap();
    let rows: Vec<(String, i64, i64, i64, i64)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let items = rows[0].4;
    for (title, step, moves, forward, checklist) in &rows {
        *seen.entry(title).or_default() += 1;
        assert_eq!(
            (*step, *moves, *forward, *checklist),
            (2, 2, 1, items),
            "{title}"
        );
    }
    assert_eq!(rows.len(), expected.len(), "no extra initiatives");
    for title in &expected {
        assert_eq!(seen.get(title.as_str()), Some(&1), "{title}");
    }
    // The command line reads the same register back.
    let json = improve(&fx.path, &["list", "--json"]);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(list.as_array().unwrap().len(), expected.len());
}

/// Processes starting together on a register that does not exist yet each
/// find it whole: none sees a half-written header, a lock held while
/// another switches the file to WAL, or an I/O error from that switch. (Each
/// of these failed about one start in forty before registers were created
/// beside their place and linked in.)
#[test]
fn processes_starting_on_a_missing_register_at_once_all_find_it_whole() {
    const ROUNDS: usize = 40;
    const AT_ONCE: usize = 6;
    let dir = tempfile::tempdir().unwrap();
    for round in 0..ROUNDS {
        let db = dir.path().join(format!("round-{round}/register.db"));
        let children: Vec<_> = (0..AT_ONCE)
            .map(|who| {
                Command::new(BIN)
                    .arg("--db")
                    .arg(&db)
                    .args(["add", &format!("round {round} process {who}")])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let count = improve(&db, &["list", "--json"]);
        let list: serde_json::Value = serde_json::from_str(&count).unwrap();
        assert_eq!(list.as_array().unwrap().len(), AT_ONCE, "round {round}");
        let leftovers: Vec<_> = std::fs::read_dir(db.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".new") || n.contains(".new-"))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
}
