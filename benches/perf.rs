//! Criterion benchmarks of what the dashboard does per key and per change,
//! at 1,000 and 100,000 initiatives.
//!
//! ```sh
//! cargo bench --bench perf                 # everything
//! cargo bench --bench perf -- 'keys/'      # one group
//! ```
//!
//! - `query/backlog/N`: the whole register read in backlog order (start-up,
//!   and a change by another process).
//! - `metrics/compute/N`: portfolio flow metrics over every row (after a
//!   change).
//! - `keys/<what>/N`: one key through the app's update and a render of the
//!   80x24 screen into a test buffer: navigation, a move forward or back
//!   (each a write), ticking a checklist item (a write), one typed filter
//!   character, one sort change. After criterion's report each also prints
//!   the median and 99th percentile of single keys, the figures the issue's
//!   targets are set in.
//!
//! Registers are generated once into `target/tmp/` (100,000 initiatives
//! take a while) and copied for the benchmarks that write.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use improve::app::keymap::{Key, KeyCode};
use improve::app::{App, Mode};
use improve::domain::metrics;
use improve::domain::time::Clock;
use improve::domain::{Model, Status};
use improve::sample::generate;
use improve::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [usize; 2] = [1_000, 100_000];

/// Every register is dated against this instant, and the app's clock is
/// fixed at it, so results do not drift with the calendar.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
}

/// A generated register of `n` initiatives, made once and kept.
fn register(n: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-registers");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("register-{n}.db"));
    let ready = path.exists()
        && Store::open(&path)
            .ok()
            .and_then(|s| {
                s.conn_for_tests()
                    .query_row("SELECT count(*) FROM initiatives", [], |r| {
                        r.get::<_, i64>(0)
                    })
                    .ok()
            })
            .is_some_and(|count| count == n as i64);
    if !ready {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let t = Instant::now();
        let mut store = Store::open(&path).unwrap();
        generate(&mut store, &Model::itil4(), n, now()).unwrap();
        // Fold the log into the file so that copies are complete.
        store
            .conn_for_tests()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        eprintln!("generated {} in {:.1?}", path.display(), t.elapsed());
    }
    path
}

/// A private copy of a register, for benchmarks that write.
fn scratch_copy(n: usize, dir: &Path) -> PathBuf {
    let to = dir.join(format!("register-{n}.db"));
    std::fs::copy(register(n), &to).unwrap();
    to
}

/// An app as the dashboard opens it (checkpoints in the background).
fn app_on(path: &Path) -> App {
    let mut store = Store::open(path).unwrap();
    store.checkpoint_in_background();
    let mut app = App::new(store, Model::itil4(), Clock::Fixed(now())).unwrap();
    app.update(improve::app::Action::Resize {
        backlog_rows: improve::ui::backlog_rows(ratatui::layout::Rect::new(0, 0, 80, 24)),
    });
    app
}

struct Screen {
    terminal: Terminal<TestBackend>,
    theme: improve::ui::Theme,
}

impl Screen {
    fn new() -> Screen {
        Screen {
            terminal: Terminal::new(TestBackend::new(80, 24)).unwrap(),
            theme: improve::ui::Theme::color(),
        }
    }

    fn draw(&mut self, app: &App) {
        let theme = self.theme;
        self.terminal
            .draw(|f| improve::ui::draw(f, app, &theme))
            .unwrap();
    }
}

fn press(app: &mut App, key: Key) {
    app.handle_key(key);
}

/// Times single operations inside criterion's loop as well, to report the
/// median and 99th percentile of one key afterwards.
#[derive(Clone, Default)]
struct Singles(Arc<Mutex<Vec<Duration>>>);

impl Singles {
    fn time(&self, iters: u64, mut op: impl FnMut()) -> Duration {
        let mut total = Duration::ZERO;
        let mut all = self.0.lock().unwrap();
        for _ in 0..iters {
            let t = Instant::now();
            op();
            let d = t.elapsed();
            all.push(d);
            total += d;
        }
        total
    }

    fn report(&self, name: &str) {
        let mut all = self.0.lock().unwrap();
        all.sort();
        if all.is_empty() {
            return;
        }
        let at = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
        println!(
            "{name}: single key median {:.3} ms, p99 {:.3} ms, max {:.3} ms over {} keys",
            at(0.5).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
            all[all.len() - 1].as_secs_f64() * 1e3,
            all.len()
        );
        all.clear();
    }
}

fn query_and_metrics(c: &mut Criterion) {
    let model = improve::domain::Models::builtin();
    let mut group = c.benchmark_group("query");
    group.sample_size(10);
    for n in SIZES {
        let store = Store::open(&register(n)).unwrap();
        group.bench_with_input(BenchmarkId::new("backlog", n), &n, |b, _| {
            b.iter(|| store.backlog(&model).unwrap())
        });
    }
    group.finish();

    let mut group = c.benchmark_group("metrics");
    for n in SIZES {
        let rows = Store::open(&register(n)).unwrap().backlog(&model).unwrap();
        group.bench_with_input(BenchmarkId::new("compute", n), &n, |b, _| {
            b.iter(|| {
                metrics::compute(
                    &rows,
                    &model,
                    now(),
                    now().date_naive(),
                    metrics::DEFAULT_STALE_DAYS,
                )
            })
        });
    }
    group.finish();
}

/// Selects the first active initiative between the second and the
/// second-to-last step, so it can move both ways.
fn select_movable(app: &mut App) {
    let last = app.model().len() as u8;
    let target = (0..app.visible_len())
        .find(|&i| {
            app.visible(i)
                .is_some_and(|r| r.status == Status::Active && (2..last).contains(&r.step.number()))
        })
        .expect("a movable initiative");
    for _ in 0..target {
        press(app, Key::plain(KeyCode::Down));
    }
}

/// Answers whatever the key asked: confirms a question, leaves a prompt
/// (the back-move reason) empty.
fn answer(app: &mut App) {
    match app.mode() {
        Mode::Confirm(_) => press(app, Key::ch('y')),
        Mode::Prompt(_) => press(app, Key::plain(KeyCode::Enter)),
        _ => {}
    }
}

fn keys(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("keys");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(4));
    for n in SIZES {
        let singles = Singles::default();

        // Navigation: down and up in turn, so the selection stays near the
        // top whatever the number of iterations.
        let mut app = app_on(&register(n));
        let mut screen = Screen::new();
        screen.draw(&app);
        let mut down = true;
        group.bench_with_input(BenchmarkId::new("navigate", n), &n, |b, _| {
            b.iter_custom(|iters| {
                singles.time(iters, || {
                    let code = if down { KeyCode::Down } else { KeyCode::Up };
                    down = !down;
                    press(&mut app, Key::plain(code));
                    screen.draw(&app);
                })
            })
        });
        singles.report(&format!("keys/navigate/{n}"));

        // Checklist navigation: the cursor walks down and back up.
        press(&mut app, Key::plain(KeyCode::Tab));
        let mut step = 0usize;
        group.bench_with_input(BenchmarkId::new("checklist", n), &n, |b, _| {
            b.iter_custom(|iters| {
                singles.time(iters, || {
                    let code = if step % 8 < 4 {
                        KeyCode::Down
                    } else {
                        KeyCode::Up
                    };
                    step += 1;
                    press(&mut app, Key::plain(code));
                    screen.draw(&app);
                })
            })
        });
        singles.report(&format!("keys/checklist/{n}"));
        drop(app);

        // Writes, on a private copy of the register.
        let path = scratch_copy(n, dir.path());
        let mut app = app_on(&path);
        select_movable(&mut app);
        screen.draw(&app);
        let mut forward = true;
        group.bench_with_input(BenchmarkId::new("move", n), &n, |b, _| {
            b.iter_custom(|iters| {
                singles.time(iters, || {
                    press(&mut app, Key::ch(if forward { '>' } else { '<' }));
                    answer(&mut app);
                    forward = !forward;
                    screen.draw(&app);
                })
            })
        });
        singles.report(&format!("keys/move/{n}"));

        press(&mut app, Key::plain(KeyCode::Tab));
        group.bench_with_input(BenchmarkId::new("toggle", n), &n, |b, _| {
            b.iter_custom(|iters| {
                singles.time(iters, || {
                    press(&mut app, Key::ch(' '));
                    screen.draw(&app);
                })
            })
        });
        singles.report(&format!("keys/toggle/{n}"));
        press(&mut app, Key::plain(KeyCode::Tab));
        press(&mut app, Key::plain(KeyCode::Tab));

        // One filter character typed, then taken back, in turn.
        press(&mut app, Key::ch('/'));
        let mut typed = false;
        group.bench_with_input(BenchmarkId::new("filter_char", n), &n, |b, _| {
            b.iter_custom(|iters| {
                singles.time(iters, || {
                    let key = if typed {
                        Key::plain(KeyCode::Backspace)
                    } else {
                        Key::ch('e')
                    };
                    typed = !typed;
                    press(&mut app, key);
                    screen.draw(&app);
                })
            })
        });
        singles.report(&format!("keys/filter_char/{n}"));
        press(&mut app, Key::plain(KeyCode::Esc));

        group.bench_with_input(BenchmarkId::new("sort", n), &n, |b, _| {
            b.iter_custom(|iters| {
                singles.time(iters, || {
                    press(&mut app, Key::ch('s'));
                    screen.draw(&app);
                })
            })
        });
        singles.report(&format!("keys/sort/{n}"));
    }
    group.finish();
}

criterion_group!(benches, query_and_metrics, keys);
criterion_main!(benches);
