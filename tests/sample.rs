//! The sample never traps real data: `improve demo --remove` and `D` on the
//! dashboard take away exactly the sample rows nobody changed; `demo
//! --force` over data backs the register up first.

mod common;

use assert_cmd::Command;
use common::{Fixture, fixed_now, press};
use improve::app::{Mode, Question};
use improve::domain::Model;
use improve::sample::load_sample;
use improve::store::{NewInitiative, sample};

/// Every column of every initiative and goal with these ids, as text.
fn dump(f: &Fixture, table: &str, ids: &[i64]) -> Vec<String> {
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} WHERE id = ?1"))
        .unwrap();
    let n = stmt.column_count();
    ids.iter()
        .map(|id| {
            stmt.query_row([id], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
        })
        .collect()
}

fn count(f: &Fixture, sql: &str) -> i64 {
    f.query(sql)
}

#[test]
fn removal_keeps_the_users_rows_changed_sample_rows_and_parents_of_kept_follow_ups() {
    let f = Fixture::new();
    let model = Model::itil4();
    let mut store = f.store();
    // The user's own work, before and after the sample.
    let goal = store
        .write("goal", None, |rec| {
            rec.create_goal("Our own goal", fixed_now())
        })
        .unwrap()
        .0;
    let mut mine = NewInitiative::titled("Mine, before the sample");
    mine.goal_id = Some(goal);
    let before = store.create_initiative(&model, &mine, fixed_now()).unwrap();
    load_sample(&mut store, &model, fixed_now()).unwrap();
    let sample_ids: Vec<i64> = {
        let mut s = store
            .conn_for_tests()
            .prepare("SELECT id FROM sample_initiatives ORDER BY id")
            .unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(sample_ids.len(), 30);
    assert!(!sample_ids.contains(&before));
    // A sample initiative the user made their own (a note bumps its version).
    let changed = sample_ids[4];
    store
        .write("note", Some(changed), |rec| {
            rec.add_note(changed, "work", "ours now", fixed_now())
        })
        .unwrap();
    // A follow-up of the user's that comes from a sample initiative, which
    // serves a sample goal.
    let parent = sample_ids[7];
    let sample_goal: i64 = store
        .conn_for_tests()
        .query_row("SELECT min(id) FROM sample_goals", [], |r| r.get(0))
        .unwrap();
    let mut follow = NewInitiative::titled("Mine, a follow-up");
    follow.parent_id = Some(parent);
    follow.goal_id = Some(sample_goal);
    let after = store
        .create_initiative(&model, &follow, fixed_now())
        .unwrap();
    drop(store);

    let mine_before = dump(&f, "initiatives", &[before, after, changed]);
    let goal_before = dump(&f, "goals", &[goal]);
    let notes_before = count(
        &f,
        &format!("SELECT count(*) FROM notes WHERE initiative_id = {changed}"),
    );

    let mut store = f.store();
    let r = sample::remove(&mut store).unwrap();
    drop(store);
    assert_eq!(r.changed, vec![changed]);
    // The follow-up's parent stays, and so does the changed one's sample
    // parent (the sample has follow-ups of its own): no kept row loses a link.
    assert!(r.parents.contains(&parent), "{:?}", r.parents);
    assert_eq!(r.initiatives, 30 - 1 - r.parents.len());
    // Sample goals stay exactly while a kept initiative serves them.
    let served: i64 = f.query(
        "SELECT count(DISTINCT goal_id) FROM initiatives
          WHERE goal_id IN (SELECT id FROM sample_goals)",
    );
    assert!(served >= 1, "the goal the kept follow-up serves");
    assert_eq!(r.goals_kept as i64, served);
    assert_eq!(r.goals + r.goals_kept, 4);
    let sample_goals_left: i64 = f.query("SELECT count(*) FROM sample_goals");
    assert_eq!(sample_goals_left, served);

    // What stays is exactly as it was, to the last column.
    assert_eq!(
        dump(&f, "initiatives", &[before, after, changed]),
        mine_before
    );
    assert_eq!(dump(&f, "goals", &[goal]), goal_before);
    assert_eq!(
        count(
            &f,
            &format!("SELECT count(*) FROM notes WHERE initiative_id = {changed}")
        ),
        notes_before
    );
    let mut left: Vec<i64> = vec![before, after, changed];
    left.extend(&r.parents);
    left.sort_unstable();
    let orphaned: i64 = f.query(
        "SELECT count(*) FROM initiatives WHERE parent_id IS NOT NULL
            AND parent_id NOT IN (SELECT id FROM initiatives)",
    );
    assert_eq!(orphaned, 0);
    let ids: String =
        f.query("SELECT group_concat(id) FROM (SELECT id FROM initiatives ORDER BY id)");
    assert_eq!(
        ids,
        left.iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    );
    // Nothing of a removed initiative is left behind.
    for table in ["checklist_items", "moves", "kpis", "notes"] {
        assert_eq!(
            count(
                &f,
                &format!(
                    "SELECT count(*) FROM {table} WHERE initiative_id NOT IN (SELECT id FROM initiatives)"
                )
            ),
            0,
            "{table}"
        );
    }
    assert_eq!(
        count(
            &f,
            "SELECT count(*) FROM measurements WHERE kpi_id NOT IN (SELECT id FROM kpis)"
        ),
        0
    );
    let conn = rusqlite::Connection::open(&f.path).unwrap();
    let problems: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(problems, 0);

    // Again: nothing more goes, nothing of the user's moves.
    let mut store = f.store();
    let again = sample::remove(&mut store).unwrap();
    assert_eq!((again.initiatives, again.goals), (0, 0));
    assert_eq!(
        count(&f, "SELECT count(*) FROM initiatives"),
        3 + r.parents.len() as i64
    );
}

/// A sample id freed by a delete and reused by the user's next initiative
/// is the user's: its mark went with the deleted row.
#[test]
fn a_reused_id_is_never_taken_for_a_sample_row() {
    let f = Fixture::new();
    let model = Model::itil4();
    let mut store = f.store();
    load_sample(&mut store, &model, fixed_now()).unwrap();
    let last: i64 = store
        .conn_for_tests()
        .query_row("SELECT max(id) FROM initiatives", [], |r| r.get(0))
        .unwrap();
    store
        .write("delete", Some(last), |rec| {
            rec.delete_initiative(last, chrono::Utc::now())
        })
        .unwrap();
    let mine = store
        .create_initiative(&model, &NewInitiative::titled("Mine"), fixed_now())
        .unwrap();
    assert_eq!(mine, last, "SQLite reuses the highest id");
    let r = sample::remove(&mut store).unwrap();
    assert_eq!(r.initiatives, 29);
    let titles: String = f.query("SELECT group_concat(title) FROM initiatives");
    assert_eq!(titles, "Mine");
}

fn improve(f: &Fixture) -> Command {
    let mut c = Command::cargo_bin("improve").unwrap();
    c.env_remove("IMPROVE_READ_ONLY")
        .env_remove("IMPROVE_CONFIG")
        .env("NO_COLOR", "1")
        .arg("--db")
        .arg(&f.path);
    c
}

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.assert().success().get_output().stdout.clone()).unwrap()
}

#[test]
fn demo_remove_from_the_command_line_says_what_it_did_and_kept() {
    let f = Fixture::new();
    stdout(improve(&f).arg("demo"));
    let id = stdout(improve(&f).args(["add", "Mine"]));
    stdout(improve(&f).args(["note", "3", "ours now"]));
    let out = stdout(improve(&f).args(["demo", "--remove"]));
    assert!(
        out.contains("removed 29 sample initiatives and 3 goals"),
        "{out}"
    );
    assert!(
        out.contains("kept 1 changed since the sample was loaded: #3"),
        "{out}"
    );
    let list = stdout(improve(&f).arg("list"));
    assert!(list.contains("Mine"), "{list}");
    assert_eq!(list.lines().count(), 3, "header, #3 and #{id}: {list}");
    let out = stdout(improve(&f).args(["demo", "--remove"]));
    assert!(out.contains("removed 0 sample initiatives"), "{out}");
    // On a register that never had a sample, it says so and succeeds.
    let g = Fixture::new();
    stdout(improve(&g).args(["add", "Only mine"]));
    let out = stdout(improve(&g).args(["demo", "--remove"]));
    assert!(out.contains("no sample rows to remove"), "{out}");
    // --remove with a load is a usage error; so is --yes without --force.
    improve(&f)
        .args(["demo", "--remove", "--initiatives", "3"])
        .assert()
        .code(2);
    improve(&f).args(["demo", "--yes"]).assert().code(2);
}

#[test]
fn demo_force_over_data_backs_up_first_and_says_where() {
    let f = Fixture::new();
    stdout(improve(&f).args(["add", "Precious"]));
    // Without --force: refused, untouched.
    let out = improve(&f)
        .arg("demo")
        .assert()
        .code(4)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--force") && err.contains("backup"), "{err}");
    // A script (stdin not a terminal) with --force goes ahead, after a copy.
    let out = stdout(improve(&f).args(["demo", "--force"]).write_stdin(""));
    let line = out.lines().next().unwrap();
    let copy = line.rsplit(" to ").next().unwrap();
    assert!(line.starts_with("backed up "), "{out}");
    let copy = std::path::Path::new(copy);
    assert_eq!(copy.parent(), f.path.parent(), "beside the register");
    let name = copy.file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with("register.before-demo-") && name.ends_with(".db"),
        "{name}"
    );
    let conn = rusqlite::Connection::open(copy).unwrap();
    let title: String = conn
        .query_row("SELECT group_concat(title) FROM initiatives", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(title, "Precious");
    assert_eq!(count(&f, "SELECT count(*) FROM initiatives"), 30);
    // A second run in the same second does not overwrite the first copy.
    stdout(improve(&f).args(["demo", "--force", "--yes"]));
    stdout(improve(&f).args(["demo", "--force", "--yes"]));
    let copies = std::fs::read_dir(f.dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".db")
        })
        .count();
    assert_eq!(copies, 4, "the register and three copies");
}

#[test]
fn d_on_the_dashboard_asks_then_removes_the_sample_and_keeps_the_users_rows() {
    let f = Fixture::new();
    let mut app = f.app();
    assert!(app.is_welcome());
    press(&mut app, "D");
    assert_eq!(app.rows().len(), 30);
    // One of the user's own.
    f.add(&["Mine"]);
    let mut app = f.app();
    press(&mut app, "D");
    assert!(
        matches!(app.mode(), Mode::Confirm(Question::RemoveSample)),
        "{:?}",
        app.mode()
    );
    let screen = common::render(&app, 80, 24);
    assert!(screen.contains("Remove the sample"), "{screen}");
    press(&mut app, "n");
    assert_eq!(app.rows().len(), 31, "no keeps everything");
    press(&mut app, "Dy");
    assert_eq!(app.rows().len(), 1);
    assert_eq!(app.rows()[0].title, "Mine");
    let flash = app.flash().unwrap().text.clone();
    assert!(
        flash.contains("Removed the sample: 30 initiatives, 4 goals"),
        "{flash}"
    );
    // Nothing left to remove: D says so and asks nothing.
    press(&mut app, "D");
    assert!(matches!(app.mode(), Mode::Normal));
    assert!(app.flash().unwrap().text.contains("no sample rows"));
    // Emptied completely, the welcome screen (and its D) is back.
    let g = Fixture::new();
    let mut app = g.app();
    press(&mut app, "D");
    press(&mut app, "Dy");
    assert!(app.is_welcome());
}

/// On a terminal `demo --force` asks; "n" changes nothing and makes no
/// copy, "y" copies, then replaces.
#[test]
fn demo_force_on_a_terminal_asks_first() {
    use common::pty::{BIN, Session};
    use std::time::Duration;
    let f = Fixture::new();
    stdout(improve(&f).args(["add", "Precious"]));
    let run = |answer: &[u8]| {
        let mut cmd = portable_pty::CommandBuilder::new(BIN);
        cmd.args(["--db", f.path.to_str().unwrap(), "demo", "--force"]);
        cmd.env_remove("IMPROVE_READ_ONLY");
        let mut s = Session::spawn(cmd, 100, 24);
        s.wait_for("[y/N]");
        s.send(answer);
        let status = s.wait_exit(Duration::from_secs(30)).expect("it ends");
        (status.success(), s.output())
    };
    let (ok, out) = run(b"n\r");
    assert!(!ok, "{out}");
    assert!(
        out.contains("holds 1 initiative and 0 goals") && out.contains("nothing changed"),
        "{out}"
    );
    let copies = || {
        std::fs::read_dir(f.dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("before-demo")
            })
            .count()
    };
    assert_eq!(copies(), 0);
    assert_eq!(count(&f, "SELECT count(*) FROM initiatives"), 1);
    let (ok, out) = run(b"y\r");
    assert!(ok, "{out}");
    assert!(out.contains("backed up"), "{out}");
    assert_eq!(copies(), 1);
    assert_eq!(count(&f, "SELECT count(*) FROM initiatives"), 30);
}
