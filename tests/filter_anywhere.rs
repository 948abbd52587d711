//! Filter and sort from every pane, and filter terms the dashboard does not
//! understand said in the filter bar.

mod common;

use common::{Fixture, press, render};
use improve::app::{Focus, Mode};

#[test]
fn slash_and_s_work_from_every_pane_and_slash_q_does_not_quit() {
    let fx = Fixture::new();
    fx.add(&["alpha cert", "beta", "gamma"]);
    for tabs in ["<Tab>", "<Tab><Tab>"] {
        let mut app = fx.app();
        press(&mut app, tabs);
        assert_ne!(app.focus(), Focus::Backlog);
        press(&mut app, "/q");
        assert!(!app.should_quit(), "{tabs}: /q typed a filter, not quit");
        assert!(matches!(app.mode(), Mode::Filter(_)), "{tabs}");
        assert_eq!(app.filter_query(), "q");
        press(&mut app, "<Esc>");
        assert_eq!(app.filter_query(), "");
        let before = app.sort();
        press(&mut app, "s");
        assert_ne!(app.sort(), before, "{tabs}: s sorts from this pane");
        press(&mut app, "/cert<Enter>");
        assert_eq!(app.visible_len(), 1);
        press(&mut app, "<Esc>");
        assert_eq!(
            app.visible_len(),
            3,
            "{tabs}: Esc clears the filter here too"
        );
    }
}

#[test]
fn a_term_the_filter_does_not_understand_is_said_with_the_valid_terms() {
    let fx = Fixture::new();
    fx.add(&["alpha", "beta"]);
    for term in ["status:held", "step:9", "foo:bar"] {
        let mut app = fx.app();
        press(&mut app, &format!("/{term}"));
        let screen = render(&app, 120, 40);
        let bar = screen.lines().last().unwrap();
        assert!(bar.contains(&format!("{term}:")), "{term}: {bar}");
        assert!(!bar.contains("0 matches"), "{bar}");
        match term {
            "status:held" => assert!(bar.contains("on_hold"), "{bar}"),
            "step:9" => assert!(bar.contains("1-7"), "{bar}"),
            _ => assert!(bar.contains("status:") && bar.contains("owner:"), "{bar}"),
        }
    }
    // Kept with Enter, the footer says it once more.
    let mut app = fx.app();
    press(&mut app, "/step:9<Enter>");
    let footer = render(&app, 120, 40).lines().last().unwrap().to_string();
    assert!(footer.contains("filter: step:9"), "{footer}");
    let mut app = fx.app();
    press(&mut app, "/status:on_hold");
    let screen = render(&app, 120, 40);
    assert!(screen.lines().last().unwrap().contains("0 matches"));
}

#[test]
fn the_command_line_takes_the_same_status_and_step_words() {
    use assert_cmd::Command;
    use predicates::prelude::*;
    let dir = tempfile::TempDir::new().unwrap();
    let db = dir.path().join("r.db");
    let run = |args: &[&str]| {
        let mut c = Command::cargo_bin("improve").unwrap();
        c.arg("--db").arg(&db).args(args).env("NO_COLOR", "1");
        c
    };
    run(&["add", "alpha"]).assert().success();
    run(&["add", "beta"]).assert().success();
    // "closed" is a status word of the filter, so of `list` too.
    run(&["list", "--status", "closed"])
        .assert()
        .success()
        .stdout(predicates::str::contains("alpha").not());
    run(&["list", "--status", "open"])
        .assert()
        .success()
        .stdout(predicates::str::contains("alpha"));
    run(&["list", "--step", "Plan"]).assert().success();
    let out = run(&["list", "--status", "held"]).assert().code(4);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("open or closed") && err.starts_with("improve: "),
        "{err}"
    );
    let out = run(&["list", "--step", "9"]).assert().code(4);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("1-7") && err.contains("plan"), "{err}");
}
