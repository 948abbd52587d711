//! Small things a user notices: days in step stop when an initiative
//! closes, an unknown step lists the valid ones, counts agree with their
//! nouns, and a ZWJ emoji title is listed whole.

mod common;

use assert_cmd::Command;
use chrono::Duration;
use common::{Fixture, fixed_now, render};
use improve::domain::Models;
use improve::store::ClosureCode;

#[test]
fn days_in_step_stop_counting_when_an_initiative_closes() {
    let fx = Fixture::new();
    let ids = fx.add(&["Finished", "Dropped", "Still going"]);
    let mut store = fx.store();
    let models = Models::builtin();
    let t0 = fixed_now();
    let close = |store: &mut improve::store::Store, id, code, days| {
        store
            .write("close", Some(id), |rec| {
                rec.close(id, code, "", t0 + Duration::days(days))
            })
            .unwrap();
    };
    close(&mut store, ids[0], ClosureCode::Successful, 3);
    close(&mut store, ids[1], ClosureCode::Withdrawn, 5);
    let later = t0 + Duration::days(40);
    let days = |id| {
        let row = store.backlog_row(&models, id).unwrap().unwrap();
        let detail = store.initiative_detail(&models, id).unwrap().unwrap();
        (row.days_in_step(later), detail.days_in_step(later))
    };
    assert_eq!(days(ids[0]), (3, 3), "done: up to when it was done");
    assert_eq!(
        days(ids[1]),
        (5, 5),
        "cancelled: up to when it was cancelled"
    );
    assert_eq!(days(ids[2]), (40, 40), "open: up to now");
}

fn improve(db: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("improve")
        .unwrap()
        .env_remove("IMPROVE_READ_ONLY")
        .env("IMPROVE_CONFIG", "/dev/null")
        .env("IMPROVE_DB", db)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn an_unknown_step_lists_the_valid_ones() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    assert_eq!(improve(&db, &["add", "One"]).0, Some(0));
    let (code, _, err) = improve(&db, &["list", "--step", "later"]);
    assert_eq!(code, Some(4));
    assert!(
        err.starts_with(
            "improve: \"later\" is not a step of any model (steps: 1-7 or vision, now, target, plan, act, check, momentum)"
        ),
        "{err}"
    );
    let (code, _, err) = improve(&db, &["move", "1", "--to", "9"]);
    assert_eq!(code, Some(4));
    assert!(err.contains("1 to 7 or Vision, Now,"), "{err}");
}

#[test]
fn counts_agree_with_their_nouns() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    improve(&db, &["goal", "add", "Stability"]);
    improve(&db, &["add", "Only one", "--goal", "Stability"]);
    let json = dir.path().join("one.json");
    assert_eq!(
        improve(
            &db,
            &["export", "--format", "json", "-o", json.to_str().unwrap()]
        )
        .0,
        Some(0)
    );
    let other = dir.path().join("other.db");
    let (code, out, err) = improve(&other, &["import", json.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.starts_with("imported 1 initiative and 1 goal from "),
        "{out}"
    );
    let md = dir.path().join("r.md");
    improve(
        &db,
        &["export", "--format", "md", "-o", md.to_str().unwrap()],
    );
    let report = std::fs::read_to_string(md).unwrap();
    assert!(report.contains(": 1 initiative (1 active,"), "{report}");
}

#[test]
fn a_zwj_emoji_title_is_listed_whole() {
    let family = "Family 👩\u{200d}👩\u{200d}👧 rota";
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    improve(&db, &["add", family]);
    let (_, out, _) = improve(&db, &["list"]);
    assert!(out.contains(family), "{out}");

    let fx = Fixture::new();
    fx.add(&[family]);
    let screen = render(&fx.app(), 100, 30);
    assert!(screen.contains("👩\u{200d}👩\u{200d}👧"), "{screen}");
}
