//! Property tests: random key sequences and terminal sizes against the real
//! app on a real register (the sample), checking after every step that
//! nothing panicked, that what is drawn fits any size, and that the
//! register, read back through a second connection, still makes sense:
//! every initiative at a step of its model, checklist counts that agree
//! with the checklist rows, a move log that ends where the initiative is,
//! an app whose rows and metrics are what the database says, and undo
//! followed by redo changing nothing.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::fixed_now;
use improve::app::keymap::{Key, KeyCode};
use improve::app::{Action, App, Focus, Mode};
use improve::domain::metrics;
use improve::domain::time::Clock;
use improve::domain::{BacklogRow, Model};
use improve::sample::load_sample;
use improve::store::Store;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use rusqlite::Connection;
use rusqlite::types::Value;

/// One thing a user does.
#[derive(Clone)]
enum Op {
    Key(Key),
    /// A few keys that belong together (`>` then `y`, `/` then a filter
    /// then `Esc`), so dialogs are answered often enough to write.
    Keys(Vec<Key>),
    /// Characters typed one after another (a filter, a reason, or keys).
    Type(String),
    /// Focus the checklist pane, go down `n` items and tick or untick.
    Tick(usize),
    /// The terminal changes size.
    Resize(u16, u16),
    /// Snapshot the register, press `u` then `Ctrl-r`, compare.
    UndoRedo,
}

/// Keys as the help writes them, so a shrunk case reads like a recipe.
impl std::fmt::Debug for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys = |keys: &[Key]| keys.iter().map(|k| k.label()).collect::<Vec<_>>().join(" ");
        match self {
            Op::Key(key) => write!(f, "Key({})", key.label()),
            Op::Keys(keys_) => write!(f, "Keys({})", keys(keys_)),
            Op::Type(s) => write!(f, "Type({s:?})"),
            Op::Tick(n) => write!(f, "Tick({n})"),
            Op::Resize(w, h) => write!(f, "Resize({w}x{h})"),
            Op::UndoRedo => write!(f, "UndoRedo"),
        }
    }
}

fn k(c: char) -> Key {
    Key::ch(c)
}

fn c(code: KeyCode) -> Key {
    Key::plain(code)
}

fn key() -> impl Strategy<Value = Key> {
    use KeyCode::*;
    let nav = prop::sample::select(vec![
        k('j'),
        k('k'),
        k('g'),
        k('G'),
        c(Down),
        c(Up),
        c(Home),
        c(End),
        c(PageDown),
        c(PageUp),
        c(Left),
        c(Right),
    ]);
    let focus = prop::sample::select(vec![c(Tab), c(BackTab)]);
    let moves = prop::sample::select(vec![k('>'), k('<'), Key::shift(Right), Key::shift(Left)]);
    let answers = prop::sample::select(vec![k('y'), k('n'), c(Enter), c(Esc)]);
    let checklist = prop::sample::select(vec![k(' '), k('x')]);
    let misc = prop::sample::select(vec![
        k('h'),
        k('/'),
        k('s'),
        k('u'),
        Key::ctrl('r'),
        k('?'),
        c(Backspace),
        c(Delete),
        Key::ctrl('w'),
        Key::ctrl('u'),
    ]);
    // Rarer: forms and dialogs that change more than a step or a tick.
    let rare = prop::sample::select(vec![
        k('a'),
        k('e'),
        k('n'),
        k('m'),
        k('c'),
        k('X'),
        k('d'),
        k('+'),
        k('-'),
        k('r'),
        k('J'),
        k('K'),
        Key::ctrl('s'),
    ]);
    prop_oneof![
        6 => nav,
        2 => focus,
        4 => moves,
        5 => answers,
        4 => checklist,
        4 => misc,
        2 => rare,
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "step:2",
            "cert",
            "status:on_hold",
            "is:stale",
            "tag:",
            "zzz",
            "owner:sam",
            "a b",
        ])
        .prop_map(String::from),
        "[a-z :é界\u{301}]{0,6}",
    ]
}

/// Terminal sizes: tiny ones, the usual ones and any up to 200x60. Big
/// screens are rarer only because drawing them in a debug build is slow.
fn size() -> impl Strategy<Value = (u16, u16)> {
    prop_oneof![
        3 => (1..=4u16, 1..=4u16),
        3 => prop::sample::select(vec![(1, 1), (20, 5), (40, 12), (80, 24), (200, 60)]),
        3 => (1..=100u16, 1..=30u16),
        1 => (1..=200u16, 1..=60u16),
    ]
}

fn typed(s: String) -> Vec<Key> {
    s.chars().map(k).collect()
}

/// Key sequences a user types as one gesture.
fn gesture() -> impl Strategy<Value = Vec<Key>> {
    use KeyCode::*;
    let answer = || prop::sample::select(vec![k('y'), k('n'), c(Enter), c(Esc)]);
    let end = || prop::sample::select(vec![c(Enter), c(Esc)]);
    let forward = (
        prop::sample::select(vec![k('>'), Key::shift(Right)]),
        answer(),
    )
        .prop_map(|(a, b)| vec![a, b]);
    let back = (
        prop::sample::select(vec![k('<'), Key::shift(Left)]),
        text(),
        end(),
    )
        .prop_map(|(a, t, e)| [vec![a], typed(t), vec![e]].concat());
    let hold = (text(), end(), answer())
        .prop_map(|(t, e, a)| [vec![k('h')], typed(t), vec![e, a]].concat());
    let filter = (text(), end()).prop_map(|(t, e)| [vec![k('/')], typed(t), vec![e]].concat());
    let form = (
        prop::sample::select(vec![k('a'), k('e'), k('n'), k('m'), k('c')]),
        text(),
        answer(),
    )
        .prop_map(|(f, t, a)| [vec![f], typed(t), vec![c(Esc), a, c(Esc)]].concat());
    let help = prop::sample::select(vec![
        vec![k('?'), c(Down), c(Esc)],
        vec![k('?'), k('?')],
        vec![c(Enter), k('j'), c(PageDown), c(Esc)],
        vec![c(Enter), c(Down), k('?'), c(Esc), c(Esc)],
    ]);
    prop_oneof![
        4 => forward,
        3 => back,
        2 => hold,
        3 => filter,
        2 => form,
        2 => help,
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        10 => key().prop_map(Op::Key),
        6 => gesture().prop_map(Op::Keys),
        4 => (0..8usize).prop_map(Op::Tick),
        1 => text().prop_map(Op::Type),
        2 => size().prop_map(|(w, h)| Op::Resize(w, h)),
        3 => Just(Op::UndoRedo),
    ]
}

/// The sample register, written once per test binary; every case starts
/// from a copy of it.
fn template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("sample.db");
            let mut store = Store::open(&path).unwrap();
            load_sample(&mut store, &Model::itil4(), fixed_now()).unwrap();
            drop(store);
            (dir, path)
        })
        .1
}

struct Case {
    _dir: tempfile::TempDir,
    app: App,
    size: (u16, u16),
    /// A second connection to the register, for reading it back.
    conn: Connection,
    /// The store's own queries through a third, read-only one.
    store: Store,
    /// `PRAGMA data_version` when the register was last checked.
    seen_version: Option<i64>,
    /// The backlog as the store read it then, by id.
    fresh: Vec<BacklogRow>,
}

impl Case {
    fn new() -> Case {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.db");
        std::fs::copy(template(), &path).unwrap();
        let app = App::new(
            Store::open(&path).unwrap(),
            Model::itil4(),
            Clock::Fixed(fixed_now()),
        )
        .unwrap();
        let conn = Connection::open(&path).unwrap();
        let store = Store::open_read_only(&path).unwrap();
        let mut case = Case {
            _dir: dir,
            app,
            size: (80, 24),
            conn,
            store,
            seen_version: None,
            fresh: Vec::new(),
        };
        case.resize(80, 24);
        case
    }

    fn resize(&mut self, w: u16, h: u16) {
        self.size = (w, h);
        self.app.update(Action::Resize {
            backlog_rows: improve::ui::backlog_rows(Rect::new(0, 0, w, h)),
        });
    }

    fn press(&mut self, key: Key) {
        self.app.handle_key(key);
        // `Ctrl-e` is not generated, but a form could still ask: the
        // editor "fails", as when none is set.
        if self.app.take_effect().is_some() {
            self.app.editor_closed(Err("no editor in tests".into()));
        }
    }

    fn apply(&mut self, op: &Op) -> Result<(), TestCaseError> {
        match op {
            Op::Key(key) => self.press(*key),
            Op::Keys(keys) => keys.iter().for_each(|key| self.press(*key)),
            Op::Tick(n) => self.tick(*n),
            Op::Type(s) => s.chars().for_each(|ch| self.press(k(ch))),
            Op::Resize(w, h) => self.resize(*w, *h),
            Op::UndoRedo => self.undo_redo()?,
        }
        self.draw();
        Ok(())
    }

    /// Focuses the checklist (from the dashboard, no dialog open), goes
    /// down `n` items and presses Space.
    fn tick(&mut self, n: usize) {
        for _ in 0..3 {
            if self.app.focus() == Focus::Checklist {
                break;
            }
            self.press(c(KeyCode::Tab));
        }
        for _ in 0..n {
            self.press(k('j'));
        }
        self.press(k(' '));
    }

    /// Draws the real view at the current size, as the event loop does
    /// (which then tells the detail screen how far it can scroll).
    fn draw(&mut self) {
        let (w, h) = self.size;
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        let mut drawn = improve::ui::Drawn::default();
        terminal
            .draw(|f| drawn = improve::ui::draw_frame(f, &self.app, &improve::ui::Theme::color()))
            .unwrap();
        if let Some(action) = drawn.feedback() {
            self.app.update(action);
        }
    }

    /// Undo then redo leaves the register as it was, when there was
    /// something to undo and the keys reach undo (no dialog open).
    fn undo_redo(&mut self) -> Result<(), TestCaseError> {
        if self.app.mode() != &Mode::Normal || !self.app.can_undo() {
            return Ok(());
        }
        let before = dump(&self.conn);
        self.press(k('u'));
        prop_assert!(
            self.app.can_redo(),
            "undo did not land: {:?}",
            self.app.flash()
        );
        prop_assert_eq!(self.app.mode(), &Mode::Normal);
        self.press(Key::ctrl('r'));
        let flash = self.app.flash().cloned();
        prop_assert!(
            flash.as_ref().is_none_or(|f| !f.error),
            "redo failed: {:?}",
            flash
        );
        let after = dump(&self.conn);
        for (table, rows) in &before {
            let again = &after[table];
            let differ = (0..rows.len().max(again.len())).find(|&i| rows.get(i) != again.get(i));
            if let Some(i) = differ {
                return Err(TestCaseError::fail(format!(
                    "{table} after undo and redo: row {i} was {:?}, is {:?}",
                    rows.get(i),
                    again.get(i)
                )));
            }
        }
        Ok(())
    }
}

/// Every row of every table, by id, without the columns each write bumps
/// (`updated_at`, `version`), which undo and redo legitimately change.
fn dump(conn: &Connection) -> HashMap<&'static str, Vec<Vec<Value>>> {
    [
        "goals",
        "initiatives",
        "checklist_items",
        "moves",
        "kpis",
        "measurements",
        "notes",
    ]
    .into_iter()
    .map(|table| {
        let mut stmt = conn
            .prepare_cached(&format!("SELECT * FROM {table} ORDER BY id"))
            .unwrap();
        let keep: Vec<usize> = stmt
            .column_names()
            .enumerate()
            .filter(|(_, n)| !["updated_at", "version"].contains(n))
            .map(|(i, _)| i)
            .collect();
        let rows = stmt
            .query_map([], |r| {
                keep.iter()
                    .map(|&i| r.get::<_, Value>(i))
                    .collect::<rusqlite::Result<Vec<Value>>>()
            })
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        (table, rows)
    })
    .collect()
}

fn all<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str) -> Vec<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// What must hold after every step: the register read back through a
/// second connection (when it changed since the last look), and the app
/// compared with it.
fn check_invariants(case: &mut Case) -> Result<(), TestCaseError> {
    let version: i64 = case
        .conn
        .query_row("PRAGMA data_version", [], |r| r.get(0))
        .unwrap();
    if case.seen_version != Some(version) {
        check_register(&case.conn, &case.store)?;
        case.seen_version = Some(version);
        case.fresh = case.store.backlog(case.app.models()).unwrap();
        case.fresh.sort_by_key(|r| r.id);
    }
    check_app(case)
}

/// The register on its own makes sense.
fn check_register(conn: &Connection, store: &Store) -> Result<(), TestCaseError> {
    let fk: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    prop_assert_eq!(fk, 0, "dangling references");

    // Every initiative at a step of its model.
    // (`Model::builtin` parses the model's TOML: once per name.)
    let mut steps: HashMap<String, Option<i64>> = HashMap::new();
    for row in all::<Value>(conn, "SELECT id, model, step FROM initiatives") {
        let (Value::Text(model), Value::Integer(step)) = (&row[1], &row[2]) else {
            return Err(TestCaseError::fail(format!("bad row {row:?}")));
        };
        let len = *steps
            .entry(model.clone())
            .or_insert_with(|| Model::builtin(model).map(|m| m.len() as i64));
        prop_assert!(len.is_some(), "unknown model {:?}", model);
        prop_assert!(
            (1..=len.unwrap()).contains(step),
            "{:?} at step {}",
            row[0],
            step
        );
    }
    // Checklist items belong to steps of the model, in distinct places.
    for row in all::<Value>(
        conn,
        "SELECT c.id, i.model, c.step FROM checklist_items c JOIN initiatives i ON i.id = c.initiative_id",
    ) {
        let (Value::Text(model), Value::Integer(step)) = (&row[1], &row[2]) else {
            return Err(TestCaseError::fail(format!("bad item {row:?}")));
        };
        let len = steps.get(model).copied().flatten().unwrap_or(0);
        prop_assert!(
            (1..=len).contains(step),
            "item {:?} at step {}",
            row[0],
            step
        );
    }
    let clashes = all::<i64>(
        conn,
        "SELECT initiative_id, step, position FROM checklist_items
          GROUP BY initiative_id, step, position HAVING count(*) > 1",
    );
    prop_assert!(clashes.is_empty(), "two items in one place: {:?}", clashes);

    // Checklist counts of the current step, as the store reports them, agree
    // with the rows (and so done <= total).
    let counts = store.checklist_counts().unwrap();
    let direct = all::<i64>(
        conn,
        "SELECT i.id,
                (SELECT count(*) FROM checklist_items c
                  WHERE c.initiative_id = i.id AND c.step = i.step AND c.done_at IS NOT NULL),
                (SELECT count(*) FROM checklist_items c
                  WHERE c.initiative_id = i.id AND c.step = i.step)
           FROM initiatives i",
    );
    for row in &direct {
        let (id, done, total) = (row[0], row[1] as u32, row[2] as u32);
        prop_assert!(done <= total);
        let got = counts.get(&id).copied().unwrap_or_default();
        prop_assert_eq!((got.done, got.total), (done, total), "counts of #{}", id);
        let one = store.checklist_count(id).unwrap();
        prop_assert_eq!((one.done, one.total), (done, total), "count of #{}", id);
    }

    // The move log ends where the initiative is, and the columns kept from
    // it (returns, done_at) agree with it.
    let log = all::<Value>(
        conn,
        "SELECT i.id, i.step, m.to_step
           FROM initiatives i JOIN moves m ON m.initiative_id = i.id
          WHERE m.id = (SELECT max(id) FROM moves WHERE initiative_id = i.id)",
    );
    for row in &log {
        prop_assert_eq!(&row[1], &row[2], "#{:?}: step and last move", row[0]);
    }
    let returns = all::<i64>(
        conn,
        "SELECT i.id, i.returns,
                (SELECT count(*) FROM moves m WHERE m.initiative_id = i.id AND m.to_step < m.from_step)
           FROM initiatives i",
    );
    for row in &returns {
        prop_assert_eq!(row[1], row[2], "#{}: returns and backward moves", row[0]);
    }
    let done = all::<Value>(
        conn,
        "SELECT id, status, done_at FROM initiatives
          WHERE (status = 'done') <> (done_at IS NOT NULL)",
    );
    prop_assert!(done.is_empty(), "done without done_at or back: {:?}", done);

    Ok(())
}

/// The app shows what the database holds.
fn check_app(case: &Case) -> Result<(), TestCaseError> {
    let store = &case.store;
    let app = &case.app;
    let models = app.models();
    let mut shown: Vec<&BacklogRow> = app.rows().iter().collect();
    shown.sort_by_key(|r| r.id);
    let fresh: Vec<&BacklogRow> = case.fresh.iter().collect();
    prop_assert_eq!(&shown, &fresh, "the app's rows");
    let recomputed = metrics::compute(app.rows(), models, app.now(), app.today(), app.stale_days());
    prop_assert_eq!(app.metrics(), &recomputed, "the app's metrics");
    let sum: u32 = app
        .metrics()
        .per_model
        .iter()
        .flat_map(|f| &f.active_per_step)
        .sum();
    prop_assert_eq!(sum, app.metrics().active());

    if let Err(e) = app.check_kept() {
        return Err(TestCaseError::fail(e));
    }

    let visible = app.visible_len();
    prop_assert!(visible <= app.rows().len());
    prop_assert!(app.selected_index() < visible.max(1));
    match (app.selected_row(), app.detail()) {
        (Some(row), Some(sel)) => {
            prop_assert_eq!(sel.id, row.id);
            let items = store
                .checklist(app.model_of(row), row.id, row.step)
                .unwrap();
            prop_assert_eq!(&sel.checklist, &items, "checklist of #{}", row.id);
            prop_assert!(app.checklist_selected() < items.len().max(1));
        }
        (None, None) => {}
        (row, sel) => {
            return Err(TestCaseError::fail(format!(
                "selected {:?} but detail of {:?}",
                row.map(|r| r.id),
                sel.map(|s| s.id)
            )));
        }
    }
    Ok(())
}

proptest! {
    // 64 cases keep `cargo test` quick; PROPTEST_CASES=5000 digs deeper.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(64),
        max_shrink_iters: 2000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_keys_and_sizes_keep_the_register_sound(
        ops in prop::collection::vec(op(), 1..40)
    ) {
        let mut case = Case::new();
        check_invariants(&mut case)?;
        for op in &ops {
            case.apply(op)?;
            check_invariants(&mut case)?;
        }
    }
}
