//! Guards of the design choices that keep the dashboard fast, light over
//! SSH and silent when idle. No timings here (shared machines are noisy;
//! `cargo bench` and `examples/pty_bench.rs` measure): these check what
//! the speed rests on.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use common::pty::{FRAME_END, Session, dashboard};
use common::{fixed_now, press};
use improve::app::{Action, App, Mode};
use improve::domain::filter::{Filter, Haystack, haystack_text};
use improve::domain::metrics::{self, FlowMetrics};
use improve::domain::time::Clock;
use improve::domain::{BacklogRow, Model};
use improve::sample::{generate, load_sample};
use improve::store::Store;

fn generated_app(dir: &Path, n: usize) -> App {
    let path = dir.join("register.db");
    let mut store = Store::open(&path).unwrap();
    generate(&mut store, &Model::itil4(), n, fixed_now()).unwrap();
    let mut app = App::new(store, Model::itil4(), Clock::Fixed(fixed_now())).unwrap();
    app.update(Action::Resize { backlog_rows: 19 });
    app
}

fn answer(app: &mut App) {
    match app.mode() {
        Mode::Confirm(_) => press(app, "y"),
        Mode::Prompt(_) => press(app, "<Enter>"),
        _ => {}
    }
}

#[test]
fn keys_on_a_large_register_never_reload_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = generated_app(dir.path(), 3_000);
    assert_eq!(app.rows().len(), 3_000);
    let before = app.reloads();

    // Navigation of every kind, in every pane.
    press(&mut app, "jjjjk<PgDn><PgDn><PgUp>G<Home>gj");
    press(&mut app, "<Tab>jjk<Tab>jj<Tab>");
    assert_eq!(app.reloads(), before, "navigation read the whole register");

    // Writes re-read only the initiative they touched.
    let movable = (0..app.visible_len())
        .find(|&i| {
            app.visible(i).is_some_and(|r| {
                r.status == improve::domain::Status::Active && (2..7).contains(&r.step.number())
            })
        })
        .unwrap();
    press(&mut app, "<Home>");
    for _ in 0..movable {
        press(&mut app, "j");
    }
    let id = app.selected_row().unwrap().id;
    let step = app.selected_row().unwrap().step.number();
    press(&mut app, ">");
    answer(&mut app);
    assert_eq!(app.step_of(id).map(|s| s.number()), Some(step + 1));
    press(&mut app, "<");
    answer(&mut app);
    assert_eq!(app.step_of(id).map(|s| s.number()), Some(step));
    press(&mut app, "<Tab> <Tab><Tab>");
    assert_eq!(app.reloads(), before, "a write read the whole register");

    // A filter and a sort work on the rows in memory.
    press(&mut app, "/ab<BS><Esc>ss");
    assert_eq!(
        app.reloads(),
        before,
        "a filter or a sort read the register"
    );
}

/// What the backlog shows, by id.
fn shown(app: &App) -> Vec<i64> {
    (0..app.visible_len())
        .map(|i| app.visible(i).unwrap().id)
        .collect()
}

/// The backlog as filtering and sorting every row from scratch gives it.
fn from_scratch(app: &App) -> Vec<i64> {
    let filter = Filter::parse(app.filter_query(), app.models());
    let goals: HashMap<i64, String> = app
        .goals()
        .iter()
        .map(|g| (g.id, g.name.to_lowercase()))
        .collect();
    // Descriptions are not in the rows: read them from the register.
    let descriptions: HashMap<i64, String> = app
        .store()
        .conn_for_tests()
        .prepare("SELECT id, description FROM initiatives")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut rows: Vec<&BacklogRow> = app
        .rows()
        .iter()
        .filter(|r| {
            let text = haystack_text(r, &descriptions[&r.id]);
            let goal = r.goal_id.and_then(|g| goals.get(&g)).map(String::as_str);
            let h = Haystack {
                row: r,
                text: &text,
                goal,
            };
            filter.matches(&h, app.now(), app.today(), app.stale_days())
        })
        .collect();
    rows.sort_by(|a, b| app.sort().compare(a, b, app.now()));
    rows.iter().map(|r| r.id).collect()
}

fn metrics_from_scratch(app: &App) -> FlowMetrics {
    metrics::compute(
        app.rows(),
        app.models(),
        app.now(),
        app.today(),
        app.stale_days(),
    )
}

/// The backlog and the metrics are kept, not recomputed, per key: the
/// narrowed filter, Backspace back to an earlier view, sort orders kept
/// through writes, and metrics updated row by row all equal a computation
/// from scratch.
#[test]
fn kept_views_and_metrics_equal_a_computation_from_scratch() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = generated_app(dir.path(), 1_500);
    let before = app.reloads();
    assert_eq!(app.metrics(), &metrics_from_scratch(&app));

    // Typing, narrowing, Backspace, a key that turns text into a term.
    press(&mut app, "/");
    for key in [
        "c", "e", "r", "<BS>", "<BS>", "a", " ", "s", "t", "<BS>", "<BS>", "<BS>", "<BS>", "<BS>",
        "s", "t", "a", "t", "u", "s", ":", "a", "c", "t", "i", "v", "e", " ", "e", "<BS>", "<BS>",
    ] {
        press(&mut app, key);
        assert_eq!(
            shown(&app),
            from_scratch(&app),
            "after {key:?}: {}",
            app.filter_query()
        );
    }
    press(&mut app, "<Enter>");

    // Writes in every sort order: moves forward and back, ticks.
    for round in 0..5 {
        press(&mut app, "<Home>");
        for _ in 0..round * 3 {
            press(&mut app, "j");
        }
        let Some(row) = app.selected_row() else {
            break;
        };
        let (id, active) = (row.id, row.status == improve::domain::Status::Active);
        if active {
            press(&mut app, ">");
            answer(&mut app);
            assert_eq!(
                app.metrics(),
                &metrics_from_scratch(&app),
                "after moving #{id}"
            );
            press(&mut app, "<Tab> j <Tab><Tab>");
            assert_eq!(
                app.metrics(),
                &metrics_from_scratch(&app),
                "after ticking #{id}"
            );
        }
        // A sort change, and filter keys, after writes.
        press(&mut app, "s");
        assert_sorted_as_from_scratch(&app);
        press(&mut app, "/e");
        assert_eq!(shown(&app), from_scratch(&app), "{}", app.filter_query());
        press(&mut app, "<BS>");
        assert_eq!(shown(&app), from_scratch(&app), "{}", app.filter_query());
        press(&mut app, "<Enter>");
    }
    for _ in 0..5 {
        press(&mut app, "s");
        assert_sorted_as_from_scratch(&app);
    }
    app.check_kept().unwrap();
    assert_eq!(app.reloads(), before);
}

/// The dashboard on `db` in an 80x24 pseudo-terminal.
fn start(db: &Path) -> Session {
    let mut pty = Session::spawn(dashboard(db), 80, 24);
    pty.timeout = Duration::from_secs(20);
    pty
}

fn sample_register(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("register.db");
    let mut store = Store::open(&db).unwrap();
    load_sample(&mut store, &Model::itil4(), chrono::Utc::now()).unwrap();
    db
}

#[cfg(unix)]
#[test]
fn an_idle_dashboard_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = start(&sample_register(dir.path()));
    pty.wait_for(FRAME_END);
    // Let the first frame's stragglers through, then listen across more
    // than two of the loop's once-a-second checks for changes.
    pty.read_for(Duration::from_millis(300));
    let idle = pty.read_for(Duration::from_millis(2_500));
    assert!(
        idle.is_empty(),
        "an idle dashboard wrote {} bytes: {:?}",
        idle.len(),
        String::from_utf8_lossy(idle)
    );

    // A key that changes nothing (up at the top) draws nothing either.
    pty.send(b"k");
    let nothing = pty.read_for(Duration::from_millis(500));
    assert!(nothing.is_empty(), "{:?}", String::from_utf8_lossy(nothing));
}

/// The dashboard starts from the first page of a large register and loads
/// the rest while its first frame is on screen: the first frame must already
/// be the final one, so nothing at all is written after it until a key.
#[cfg(unix)]
#[test]
fn the_first_frame_of_a_large_register_is_final() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let mut store = Store::open(&db).unwrap();
    generate(&mut store, &Model::itil4(), 3_000, chrono::Utc::now()).unwrap();
    drop(store);
    let mut pty = start(&db);
    pty.wait_for(FRAME_END);
    pty.read_for(Duration::from_millis(1_500));
    let end = pty
        .bytes()
        .windows(FRAME_END.len())
        .position(|w| w == FRAME_END.as_bytes())
        .unwrap()
        + FRAME_END.len();
    assert_eq!(
        pty.bytes().len(),
        end,
        "written after the first frame: {:?}",
        String::from_utf8_lossy(&pty.bytes()[end..])
    );
    // And the full register is in: the last row is one key away.
    pty.send(b"G");
    pty.wait_for_n(FRAME_END, 2);
}

/// The bytes of one `j` in the checklist pane of the sample register on a
/// `cols` x `rows` terminal.
#[cfg(unix)]
fn checklist_step_bytes(cols: u16, rows: u16) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let mut pty = Session::spawn(dashboard(&sample_register(dir.path())), cols, rows);
    pty.timeout = Duration::from_secs(20);
    pty.wait_for(FRAME_END);
    pty.send(b"\t");
    pty.wait_for_n(FRAME_END, 2);
    pty.read_for(Duration::from_millis(200));
    let (frames, mark) = (pty.count(FRAME_END), pty.bytes().len());
    pty.send(b"j");
    pty.wait_for_n(FRAME_END, frames + 1);
    pty.read_for(Duration::from_millis(300));
    pty.bytes()[mark..].to_vec()
}

#[cfg(unix)]
#[test]
fn moving_within_the_checklist_rewrites_two_boxes() {
    // Where every item fits on its line (the focused one has nothing more
    // to show), the cursor leaves one box and enters the next: two
    // motions, two colour changes and eight cells, in one synchronized
    // frame.
    let key = checklist_step_bytes(200, 50);
    assert!(
        key.len() <= 80,
        "{} bytes for one step in the checklist: {:?}",
        key.len(),
        String::from_utf8_lossy(&key)
    );
    // At 80x24 the focused item is shown whole, wrapped, and the others
    // cut to a line: a step rewrites the two items and moves those below,
    // within the budget of a backlog key.
    let key = checklist_step_bytes(80, 24);
    assert!(
        key.len() <= 600,
        "{} bytes for one step in the checklist at 80x24: {:?}",
        key.len(),
        String::from_utf8_lossy(&key)
    );
}

fn assert_sorted_as_from_scratch(app: &App) {
    assert_eq!(shown(app), from_scratch(app), "sorted by {:?}", app.sort());
}
