//! Where start-up time goes on a given register: open, load the backlog,
//! compute metrics, load the selected initiative, render one frame; then
//! what the first filter keys and the first use of each sort order cost
//! right after the dashboard's start.
//!
//! cargo run --release --example startup_profile -- /tmp/big.db

use std::time::Instant;

use improve::app::keymap::{Key, KeyCode};
use improve::app::{Action, App};
use improve::domain::Models;
use improve::domain::time::Clock;
use improve::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: startup_profile REGISTER.db");
    let model = Models::builtin();
    let t = Instant::now();
    let store = Store::open(path.as_ref()).expect("open");
    let opened = t.elapsed();
    let t = Instant::now();
    let rows = store.backlog(&model).expect("backlog");
    let backlog = t.elapsed();
    println!(
        "open {opened:?}, backlog query {backlog:?} for {} rows",
        rows.len()
    );
    drop(rows);

    // The dashboard's start: the first frame's reads, then the full load.
    let t = Instant::now();
    let mut fast = App::start(
        Store::open(path.as_ref()).expect("open"),
        model.clone(),
        Clock::System,
        30,
    )
    .expect("app");
    let started = t.elapsed();
    let t = Instant::now();
    fast.finish_loading().expect("full load");
    println!(
        "App::start {started:?} (first frame's reads), finish_loading {:?}",
        t.elapsed()
    );
    fast.update(Action::Resize { backlog_rows: 19 });
    let mut timed = |key: Key| {
        let t = Instant::now();
        fast.handle_key(key);
        format!("{:.2?}", t.elapsed())
    };
    let filter: Vec<String> = [Key::ch('/'), Key::ch('r'), Key::ch('o'), Key::ch('u')]
        .into_iter()
        .chain([Key::plain(KeyCode::Esc)])
        .map(&mut timed)
        .collect();
    let sorts: Vec<String> = (0..5).map(|_| timed(Key::ch('s'))).collect();
    println!(
        "first keys after start: / r o u Esc {}; s x5 {}",
        filter.join(" "),
        sorts.join(" ")
    );
    drop(fast);

    let t = Instant::now();
    let mut app = App::new(store, model, Clock::System).expect("app");
    let app_new = t.elapsed();
    app.update(Action::Resize { backlog_rows: 19 });
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let t = Instant::now();
    terminal
        .draw(|f| improve::ui::draw(f, &app, &improve::ui::Theme::color()))
        .unwrap();
    println!("App::new {app_new:?}, first render {:?}", t.elapsed());

    let mut times = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        app.update(Action::Down);
        terminal
            .draw(|f| improve::ui::draw(f, &app, &improve::ui::Theme::color()))
            .unwrap();
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "Down + render: median {:?}, p99 {:?}",
        times[times.len() / 2],
        times[times.len() * 99 / 100]
    );
}
