//! A write that finds the register locked by another program (a second
//! connection holding `BEGIN IMMEDIATE`) never freezes the dashboard: it
//! waits in slices, says so, answers `q` and Esc, and shows the outcome
//! where a key typed during the wait cannot wipe it.

#![cfg(unix)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::pty::{FRAME_END, Session, dashboard};
use common::{Fixture, fixed_now, press};
use improve::store::WriteError;
use rusqlite::Connection;

fn ticked(fx: &Fixture) -> i64 {
    fx.query("SELECT count(*) FROM checklist_items WHERE done_at IS NOT NULL")
}

fn lock(fx: &Fixture) -> Connection {
    let other = Connection::open(&fx.path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    other
}

#[test]
fn a_waiting_write_asks_between_slices_and_gives_up_when_told() {
    let fx = Fixture::new();
    let id = fx.add(&["Cut P1 incident MTTR"])[0];
    let mut store = fx.store();
    let _other = lock(&fx);
    let asked = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&asked);
    store.set_lock_wait(Some(Box::new(move |waited| {
        let mut seen = seen.lock().unwrap();
        seen.push(waited);
        seen.len() < 3
    })));
    let got = store.write("note", Some(id), |rec| {
        rec.add_note(id, "work", "written under a lock", fixed_now())
    });
    assert!(matches!(got, Err(WriteError::GaveUp)), "{got:?}");
    let asked = asked.lock().unwrap();
    assert_eq!(asked.len(), 3, "asked between slices: {asked:?}");
    assert!(asked.windows(2).all(|w| w[0] < w[1]), "{asked:?}");
    assert!(store.last_write_waited());
    drop(store);
    drop(_other);
    assert_eq!(fx.query::<i64>("SELECT count(*) FROM notes"), 0);
}

#[test]
fn a_waiting_write_lands_once_the_lock_is_released() {
    let fx = Fixture::new();
    fx.add(&["Cut P1 incident MTTR"]);
    let mut app = fx.app();
    let holder = Arc::new(Mutex::new(Some(lock(&fx))));
    let held = Arc::clone(&holder);
    let calls = Arc::new(Mutex::new(0));
    let counted = Arc::clone(&calls);
    app.set_lock_wait(Some(Box::new(move |_| {
        let mut n = counted.lock().unwrap();
        *n += 1;
        if *n == 2 {
            // The other program commits while the dashboard waits.
            let other = held.lock().unwrap().take().unwrap();
            other.execute_batch("COMMIT").unwrap();
        }
        true
    })));
    press(&mut app, "<Tab> ");
    assert!(*calls.lock().unwrap() >= 2);
    assert_eq!(ticked(&fx), 1);
    let said = app.flash().map(|f| f.text.clone()).unwrap_or_default();
    assert!(said.starts_with("saved"), "the outcome is shown: {said}");
    assert!(holder.lock().unwrap().is_none());
}

#[test]
fn giving_up_says_busy_nothing_written_and_keeps_the_form() {
    let fx = Fixture::new();
    fx.add(&["Cut P1 incident MTTR"]);
    let mut app = fx.app();
    let other = lock(&fx);
    app.set_lock_wait(Some(Box::new(|_| false)));
    press(&mut app, "aRotate on-call fairly<C-s>");
    let improve::app::Mode::Form(form) = app.mode() else {
        panic!("the form closed on a write that did not happen")
    };
    assert_eq!(form.value("Title"), "Rotate on-call fairly");
    let flash = app.flash().unwrap();
    assert!(flash.error);
    assert!(
        flash.text.starts_with("busy: nothing written"),
        "{}",
        flash.text
    );
    drop(other);
    assert_eq!(fx.query::<i64>("SELECT count(*) FROM initiatives"), 1);
}

fn start(fx: &Fixture) -> Session {
    let mut cmd = dashboard(&fx.path);
    cmd.env("IMPROVE_CONFIG", "/dev/null");
    let mut d = Session::spawn(cmd, 100, 30);
    d.wait_for(FRAME_END);
    d.wait_for("Cut P1 incident MTTR");
    d
}

/// In the real binary: the footer says it is waiting, a key typed meanwhile
/// does nothing, and once the other program lets go the outcome is shown.
#[test]
fn the_dashboard_says_it_is_waiting_and_shows_the_outcome() {
    let fx = Fixture::new();
    fx.add(&["Cut P1 incident MTTR"]);
    let mut d = start(&fx);
    let other = lock(&fx);
    d.send(b"\t ");
    d.wait_for("Waiting");
    // Typed during the wait: must not wipe the outcome, nor move on.
    d.send(b"j");
    d.read_for(Duration::from_millis(300));
    other.execute_batch("COMMIT").unwrap();
    d.wait_for("saved");
    assert_eq!(ticked(&fx), 1);
    d.read_for(Duration::from_millis(300));
    let out = d.output();
    let last = out.rfind("saved").unwrap();
    assert!(
        !out[last..].contains("Checklist  j/k"),
        "the outcome stays on screen: {:?}",
        &out[last..]
    );
    d.send(b"q");
    let status = d.wait_exit(Duration::from_secs(6)).expect("q quits");
    assert!(status.success());
}

/// `q` while waiting: the wait ends at once, nothing is written, and the
/// dashboard quits as `q` always does.
#[test]
fn q_while_waiting_stops_waiting_and_quits() {
    let fx = Fixture::new();
    fx.add(&["Cut P1 incident MTTR"]);
    let mut d = start(&fx);
    let other = lock(&fx);
    d.send(b"\t ");
    d.wait_for("Waiting");
    d.send(b"q");
    // Well inside the 5 s busy timeout a blocked write would sit out.
    let status = d
        .wait_exit(Duration::from_secs(3))
        .expect("q answered while waiting");
    assert!(status.success());
    drop(other);
    assert_eq!(ticked(&fx), 0);
}

/// Esc while waiting: nothing written, and the footer says so.
#[test]
fn esc_while_waiting_says_busy_nothing_written() {
    let fx = Fixture::new();
    fx.add(&["Cut P1 incident MTTR"]);
    let mut d = start(&fx);
    let other = lock(&fx);
    d.send(b"\t ");
    d.wait_for("Waiting");
    d.send(b"\x1b");
    d.wait_for("busy: nothing written");
    drop(other);
    assert_eq!(ticked(&fx), 0);
    d.send(b"q");
    assert!(d.wait_exit(Duration::from_secs(6)).is_some());
}
