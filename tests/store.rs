//! The register on disk: creation, migrations, refusal of files that are
//! not ours, round trips.

mod common;

use std::fs;
use std::process::Command;

use common::{Fixture, fixed_now};
use improve::domain::moves::{Direction, plan_move};
use improve::domain::{Model, Status};
use improve::store::schema::{APPLICATION_ID, LATEST};
use improve::store::{NewInitiative, OpenError, Store};

const BIN: &str = env!("CARGO_BIN_EXE_improve");

#[test]
fn a_new_file_gets_the_latest_schema_wal_and_our_application_id() {
    let fx = Fixture::new();
    let store = fx.store();
    let conn = store.conn_for_tests();
    let get = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(get("PRAGMA user_version"), LATEST);
    assert_eq!(get("PRAGMA application_id"), i64::from(APPLICATION_ID));
    assert_eq!(get("PRAGMA foreign_keys"), 1);
    assert!(get("PRAGMA busy_timeout") >= 1000);
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(store);
    // Opening again is a no-op migration.
    let again = fx.store();
    assert_eq!(
        again
            .conn_for_tests()
            .query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        LATEST
    );
}

#[test]
fn missing_parent_folders_are_created() {
    let fx = Fixture::new();
    let deep = fx.dir.path().join("a/b/c/register.db");
    Store::open(&deep).unwrap();
    assert!(deep.exists());
}

#[test]
fn an_empty_file_becomes_a_register() {
    let fx = Fixture::new();
    fs::write(&fx.path, b"").unwrap();
    assert!(fx.store().is_empty().unwrap());
}

fn assert_refused_untouched(path: &std::path::Path, expect: &str) {
    let before = fs::read(path).unwrap();
    let err = match Store::open(path) {
        Err(e) => e,
        Ok(_) => panic!("{} was accepted", path.display()),
    };
    assert!(err.to_string().contains(expect), "{err}");
    assert_eq!(fs::read(path).unwrap(), before, "byte-for-byte untouched");
    let dir = path.parent().unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    for suffix in ["-wal", "-shm", "-journal"] {
        assert!(
            !dir.join(format!("{name}{suffix}")).exists(),
            "no {suffix} file left"
        );
    }

    // The binary: one line on stderr, exit code 5, no backtrace.
    let out = Command::new(BIN)
        .arg("--db")
        .arg(path)
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains(expect), "{stderr}");
    assert_eq!(fs::read(path).unwrap(), before);
}

#[test]
fn a_text_file_is_refused_and_left_alone() {
    let fx = Fixture::new();
    fs::write(
        &fx.path,
        "name,owner\nthis is a spreadsheet export\n".repeat(10),
    )
    .unwrap();
    assert_refused_untouched(&fx.path, "not a SQLite database");
}

#[test]
fn a_short_binary_file_is_refused() {
    let fx = Fixture::new();
    fs::write(&fx.path, [0u8, 1, 2, 3]).unwrap();
    assert_refused_untouched(&fx.path, "not an improve register");
}

#[test]
fn another_applications_sqlite_file_is_refused_and_left_alone() {
    let fx = Fixture::new();
    {
        let conn = rusqlite::Connection::open(&fx.path).unwrap();
        conn.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');")
            .unwrap();
    }
    assert_refused_untouched(&fx.path, "another application");

    let other_id = fx.dir.path().join("other-id.db");
    {
        let conn = rusqlite::Connection::open(&other_id).unwrap();
        conn.execute_batch("PRAGMA application_id = 42; CREATE TABLE t (x);")
            .unwrap();
    }
    assert_refused_untouched(&other_id, "another application");
}

#[test]
fn a_register_from_a_newer_version_is_refused_and_left_alone() {
    let fx = Fixture::new();
    drop(fx.store());
    {
        let conn = rusqlite::Connection::open(&fx.path).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA user_version = {}; PRAGMA journal_mode = DELETE;",
            LATEST + 1
        ))
        .unwrap();
    }
    let before = fs::read(&fx.path).unwrap();
    match Store::open(&fx.path) {
        Err(OpenError::Newer { found, .. }) => assert_eq!(found, LATEST + 1),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("a newer register was opened"),
    }
    assert_eq!(fs::read(&fx.path).unwrap(), before);
    assert_refused_untouched(&fx.path, "newer improve");
}

#[test]
fn an_initiative_round_trips_with_its_checklists_and_moves() {
    let fx = Fixture::new();
    let model = Model::itil4();
    let mut store = fx.store();
    let new = NewInitiative {
        owner: "sam".into(),
        priority: 2,
        due: chrono::NaiveDate::from_ymd_opt(2026, 12, 24),
        ..NewInitiative::titled("Self-service password reset")
    };
    let id = store.create_initiative(&model, &new, fixed_now()).unwrap();
    let row = store
        .backlog_row(&improve::domain::Models::builtin(), id)
        .unwrap()
        .unwrap();
    assert_eq!(row.title, "Self-service password reset");
    assert_eq!(
        (row.step.number(), row.status, row.priority),
        (1, Status::Active, 2)
    );
    assert_eq!(&*row.owner, "sam");
    assert_eq!(row.due, new.due);
    assert_eq!(row.created_at, fixed_now());
    assert_eq!(
        store.checklist_count(id).unwrap().total,
        model.steps[0].checklist.len() as u32
    );

    // Every step's template was copied, in order.
    let all = store.checklists(&model, id).unwrap();
    let expected: usize = model.steps.iter().map(|s| s.checklist.len()).sum();
    assert_eq!(all.len(), expected);
    assert_eq!(all[0].text, model.steps[0].checklist[0]);

    let plan = plan_move(&model, row.step, row.status, Direction::Forward).unwrap();
    store.apply_move(id, plan, None, fixed_now()).unwrap();
    // The same plan again is stale: the initiative is no longer at step 1.
    assert!(matches!(
        store.apply_move(id, plan, None, fixed_now()),
        Err(improve::store::WriteError::Stale(_))
    ));
    let moves = store.moves(id).unwrap();
    assert_eq!(moves.len(), 2, "created + one move");
    assert_eq!((moves[1].from, moves[1].to), (Some(1), 2));
}

#[test]
fn the_checklist_belongs_to_the_initiative_not_the_template() {
    let fx = Fixture::new();
    let ids = fx.add(&["a", "b"]);
    let store = fx.store();
    store
        .conn_for_tests()
        .execute(
            "UPDATE checklist_items SET text = 'edited' WHERE initiative_id = ?1",
            [ids[0]],
        )
        .unwrap();
    let model = Model::itil4();
    let other = store.checklist(&model, ids[1], model.first()).unwrap();
    assert_eq!(other[0].text, model.steps[0].checklist[0]);
}
