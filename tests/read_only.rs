//! `--read-only` on the dashboard: the file is opened read-only and every
//! write key answers "read-only" in the footer.

mod common;

use common::{Fixture, fixed_now, press};
use improve::app::App;
use improve::domain::Model;
use improve::domain::time::Clock;
use improve::store::Store;

#[test]
fn write_keys_say_read_only_and_change_nothing() {
    let fx = Fixture::new();
    fx.add(&["Cut MTTR", "Automate certs"]);
    let before = std::fs::read(&fx.path).unwrap();
    let store = Store::open_read_only(&fx.path).unwrap();
    let mut app = App::new(store, Model::itil4(), Clock::Fixed(fixed_now())).unwrap();
    app.set_read_only(true);
    assert!(app.is_read_only());
    app.update(improve::app::Action::Resize { backlog_rows: 18 });
    // A write key is refused at once: no question, no form opens first.
    press(&mut app, ">");
    assert_eq!(app.mode(), &improve::app::Mode::Normal);
    let flash = app.flash().expect("a message in the footer");
    assert!(
        flash.text.contains("read-only: opened with --read-only"),
        "{flash:?}"
    );
    for keys in [
        "<Tab> ", "a", "e", "n", "h", "c", "X", "d", "u", "<C-r>", "<Tab>+",
    ] {
        press(&mut app, keys);
        assert_eq!(app.mode(), &improve::app::Mode::Normal, "after {keys}");
        assert!(
            app.flash().is_some_and(|f| f.text.contains("read-only")),
            "after {keys}: {:?}",
            app.flash()
        );
    }
    // Reading still works, and the header says read-only on every screen.
    press(&mut app, "<Esc><Enter>");
    let screen = common::render(&app, 80, 24);
    assert!(screen.starts_with(" read-only  Vision"), "{screen}");
    assert!(screen.contains("Cut MTTR"), "{screen}");
    assert_eq!(fx.query::<i64>("SELECT max(step) FROM initiatives"), 1);
    assert_eq!(
        fx.query::<i64>("SELECT count(*) FROM checklist_items WHERE done_at IS NOT NULL"),
        0
    );
    drop(app);
    assert_eq!(std::fs::read(&fx.path).unwrap(), before);
}

#[test]
fn a_read_only_store_cannot_write_even_past_the_app() {
    let fx = Fixture::new();
    fx.add(&["A"]);
    let mut store = Store::open_read_only(&fx.path).unwrap();
    let err = store
        .create_initiative(
            &Model::itil4(),
            &improve::store::NewInitiative::titled("B"),
            fixed_now(),
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("readonly")
            || err.to_string().contains("read-only")
            || err.to_string().contains("query_only"),
        "{err}"
    );
    assert_eq!(fx.query::<i64>("SELECT count(*) FROM initiatives"), 1);
}
