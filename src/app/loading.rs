//! Reading the register into the dashboard: whole (`App::new`, a reload
//! after another process wrote), or the first frame's page now and every
//! row from a background thread (`App::start`).

use std::sync::mpsc::{self, Receiver};

use chrono::{DateTime, NaiveDate, Utc};
use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};

use super::backlog::Loaded;
use super::state::App;
use crate::domain::Models;
use crate::domain::metrics::Tally;
use crate::domain::time::Clock;
use crate::store::{self, Store};

/// Rows the first frame reads at most: more than any terminal shows.
pub const FIRST_PAGE: usize = 256;

/// Started with [`App::start`] and not yet holding the whole register: the
/// first page of the backlog, the register's size and largest id and the
/// metrics are in; every row arrives from a background thread.
pub(super) struct Loading {
    /// The full load, reading on its own connection; `None` for a register
    /// in memory, read on the app's connection when needed.
    rows: Option<Receiver<store::Result<Loaded>>>,
    pub(super) total: usize,
    pub(super) max_id: Option<i64>,
    /// When the metrics were computed: the full load computes them again at
    /// the same instant, so they come out the same.
    now: DateTime<Utc>,
    today: NaiveDate,
}

/// The whole register, in the table's order.
fn read_all(store: &Store, models: &Models) -> store::Result<Loaded> {
    let (rows, haystacks) = store.searchable_backlog(models)?;
    Ok(Loaded::new(rows, haystacks))
}

impl App {
    /// Loads the whole register, then returns.
    pub fn new(store: Store, models: impl Into<Models>, clock: Clock) -> Result<App> {
        let mut app = App::unloaded(store, models.into(), clock)?;
        app.reload().wrap_err("loading the register")?;
        Ok(app)
    }

    /// Start-up for the dashboard: reads only what the first frame shows
    /// (the first page of the backlog, the register's size, the metrics, the
    /// selected initiative) and loads the whole register on a second
    /// connection in the background. Until [`App::finish_loading`] has taken
    /// it in, `rows()` holds only that first page; any action that needs
    /// more (a key, a larger page) waits for the load first. The frame drawn
    /// before and after is the same: same data (checked with
    /// `PRAGMA data_version`, else read again), same metrics at the same
    /// instant, same selection.
    ///
    /// A register that cannot be read this way (see `Store::first_frame`),
    /// or that fits the first page, is loaded whole here, as by `App::new`.
    pub fn start(
        store: Store,
        models: impl Into<Models>,
        clock: Clock,
        stale_days: i64,
    ) -> Result<App> {
        let mut app = App::unloaded(store, models.into(), clock)?;
        app.settings.set_stale_days(stale_days);
        let first = app
            .store
            .first_frame(
                &app.models,
                app.now,
                app.today,
                app.settings.stale_days(),
                FIRST_PAGE,
            )
            .wrap_err("loading the register")?;
        let first = match first {
            Some(first) if first.total > first.rows.len() => first,
            _ => {
                app.reload().wrap_err("loading the register")?;
                return Ok(app);
            }
        };
        app.goals = app.store.goals().wrap_err("loading the register")?;
        app.backlog.install(Loaded::new(first.rows, first.search));
        // Shown, not updated: no write happens before the full load, which
        // counts every row again (`finish_loading`).
        app.metrics = Tally::shown(first.metrics, app.now);
        app.rebuild_view(None);
        app.load_detail().wrap_err("loading the register")?;
        let rows = app.store.reader().map(|reader| {
            let (tx, rx) = mpsc::channel();
            let models = app.models.clone();
            std::thread::spawn(move || {
                let _ = tx.send(read_all(&reader, &models));
            });
            rx
        });
        app.loading = Some(Loading {
            rows,
            total: first.total,
            max_id: first.max_id,
            now: app.now,
            today: app.today,
        });
        Ok(app)
    }

    /// Whether the whole register is still loading (`App::start`).
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// Waits for the whole register and takes it in (nothing to do unless
    /// started with `App::start`). If another process wrote in the meantime,
    /// it is read again, as on any outside change.
    pub fn finish_loading(&mut self) -> Result<()> {
        let Some(loading) = self.loading.take() else {
            return Ok(());
        };
        let loaded = match loading.rows {
            Some(rx) => rx
                .recv()
                .map_err(|_| eyre!("the background load stopped"))?,
            None => read_all(&self.store, &self.models),
        };
        let version = self.store.data_version()?;
        let loaded = match loaded {
            Ok(loaded) if version == self.data_version => loaded,
            // Written meanwhile (or the second connection failed): all
            // again on the app's own connection.
            _ => {
                self.data_version = version;
                return self.reload();
            }
        };
        let keep = self.selected_row().map(|r| r.id);
        self.backlog.install(loaded);
        self.reloads += 1;
        self.rebuild_view(keep);
        let now = std::mem::replace(&mut self.now, loading.now);
        let today = std::mem::replace(&mut self.today, loading.today);
        self.recompute_metrics();
        (self.now, self.today) = (now, today);
        self.load_detail()?;
        self.reload_detail_view();
        Ok(())
    }

    /// Finishes the load before an action that needs every row; a failure
    /// shows in the footer (the first page stays, as after a failed reload).
    pub(super) fn finish_loading_or_flash(&mut self) {
        if let Err(e) = self.finish_loading() {
            self.error("could not load the register", e);
        }
    }

    /// Reads the whole register again, keeping the selection on the same
    /// initiative. Only at start and when another process changed the data.
    pub(super) fn reload(&mut self) -> Result<()> {
        let keep = self.selected_row().map(|r| r.id);
        let loaded = read_all(&self.store, &self.models)?;
        self.goals = self.store.goals()?;
        self.backlog.install(loaded);
        self.reloads += 1;
        self.rebuild_view(keep);
        self.recompute_metrics();
        self.load_detail()?;
        self.reload_detail_view();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::app::Action;
    use crate::domain::Model;
    use crate::store::NewInitiative;

    /// A register file of `n` initiatives.
    fn register(dir: &std::path::Path, n: usize) -> std::path::PathBuf {
        let path = dir.join("register.db");
        let mut store = Store::open(&path).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        store
            .write("add", None, |rec| {
                for i in 0..n {
                    let new = NewInitiative::titled(format!("initiative {i}"));
                    rec.create_initiative(&Model::itil4(), &new, now)?;
                }
                Ok(())
            })
            .unwrap();
        path
    }

    fn start(path: &std::path::Path) -> App {
        let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap());
        App::start(Store::open(path).unwrap(), Model::itil4(), clock, 14).unwrap()
    }

    #[test]
    fn a_large_register_starts_with_its_first_page_and_a_key_takes_in_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let n = FIRST_PAGE + 40;
        let mut app = start(&register(dir.path(), n));
        assert!(app.is_loading());
        assert_eq!(app.rows().len(), FIRST_PAGE);
        assert_eq!((app.total(), app.visible_len()), (n, n));
        assert_eq!(app.max_id(), Some(n as i64));
        // A redraw the first page covers does not wait for the rest.
        app.update(Action::Resize { backlog_rows: 20 });
        assert!(app.is_loading());
        let first = app.selected_row().map(|r| r.id);
        app.update(Action::Down);
        assert!(!app.is_loading());
        assert_eq!(app.rows().len(), n);
        assert_eq!(app.reloads(), 1, "one full load, no more");
        assert_eq!(app.selected_index(), 1);
        assert_ne!(app.selected_row().map(|r| r.id), first);
        app.check_kept().unwrap();
    }

    #[test]
    fn a_register_that_fits_the_first_page_is_loaded_whole_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let app = start(&register(dir.path(), 12));
        assert!(!app.is_loading());
        assert_eq!((app.rows().len(), app.total()), (12, 12));
        assert_eq!(app.reloads(), 1);
    }

    #[test]
    fn a_write_by_another_process_during_the_load_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = register(dir.path(), FIRST_PAGE + 5);
        let mut app = start(&path);
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        Store::open(&path)
            .unwrap()
            .create_initiative(&Model::itil4(), &NewInitiative::titled("late"), now)
            .unwrap();
        app.finish_loading().unwrap();
        assert_eq!(app.rows().len(), FIRST_PAGE + 6);
        assert!(app.rows().iter().any(|r| r.title == "late"));
        app.check_kept().unwrap();
    }
}
