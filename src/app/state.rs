//! What the dashboard knows at one moment.

use std::sync::mpsc::{self, Receiver};

use chrono::{DateTime, NaiveDate, Utc};
use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};

use super::keymap::Keymap;
use super::mode::{Focus, Mode, Screen};
use crate::domain::detail::{Goal, InitiativeDetail};
use crate::domain::filter::{Filter, Haystack, Haystacks};
use crate::domain::metrics::{self, FlowMetrics, StepFlow, Tally};
use crate::domain::sort::SortOrder;
use crate::domain::time::Clock;
use crate::domain::{BacklogRow, ChecklistItem, DateFormat, Kpi, Model, Models, Step};
use crate::store::{Change, Store};

/// Work for the terminal layer: things the app cannot do itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Open this text in `$VISUAL` / `$EDITOR`, then call
    /// `App::editor_closed` with the result.
    EditText { text: String },
}

/// A one-line message in the footer until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
}

/// The selected initiative's details, loaded when the selection changes.
#[derive(Debug, Clone)]
pub struct Selected {
    pub id: i64,
    /// The step whose checklist is shown: the initiative's own, or one the
    /// user browsed to.
    pub step: Step,
    pub checklist: Vec<ChecklistItem>,
    pub kpis: Vec<Kpi>,
}

/// Rows the first frame reads at most: more than any terminal shows.
pub const FIRST_PAGE: usize = 256;

/// Rows from which a filter pass over the text runs on two threads.
const PARALLEL_FILTER_ROWS: usize = 20_000;

/// Started with [`App::start`] and not yet holding the whole register: the
/// first page of the backlog, the register's size and largest id and the
/// metrics are in; every row arrives from a background thread.
pub(super) struct Loading {
    /// The full load, reading on its own connection; `None` for a register
    /// in memory, read on the app's connection when needed.
    rows: Option<Receiver<rusqlite::Result<Loaded>>>,
    total: usize,
    max_id: Option<i64>,
    /// When the metrics were computed: the full load computes them again at
    /// the same instant, so they come out the same.
    now: DateTime<Utc>,
    today: NaiveDate,
}

/// Every row with the filter's search text and every sort order, made
/// together where the rows are read (in the background at start), so that
/// no key pays for them.
pub(super) struct Loaded {
    rows: Vec<BacklogRow>,
    haystacks: Haystacks,
    orders: [Vec<u32>; 5],
}

impl Loaded {
    /// The whole register, in the table's order.
    fn read(store: &Store, models: &Models) -> rusqlite::Result<Loaded> {
        let (rows, haystacks) = store.searchable_backlog(models)?;
        Ok(Loaded::new(rows, haystacks))
    }

    fn new(rows: Vec<BacklogRow>, haystacks: Haystacks) -> Loaded {
        let orders = SortOrder::ALL.map(|sort| sort.sorted(&rows));
        Loaded {
            rows,
            haystacks,
            orders,
        }
    }
}

pub struct App {
    pub(super) store: Store,
    /// Every model the register's initiatives may follow.
    pub(super) models: Models,
    pub(super) clock: Clock,
    pub(super) now: DateTime<Utc>,
    pub(super) today: NaiveDate,
    /// The whole register, in load order (the table's; new rows last).
    pub(super) rows: Vec<BacklogRow>,
    /// What the backlog shows: indices into `rows`, filtered and sorted.
    pub(super) view: Vec<usize>,
    /// Lowercased search text per row, kept with the rows.
    pub(super) haystacks: Haystacks,
    pub(super) filter_query: String,
    pub(super) filter: Filter,
    pub(super) sort: SortOrder,
    /// Per sort order (as in `SortOrder::ALL`), every row's index in that
    /// order: sorted with the load, then kept sorted through rows changed
    /// in place, joining or leaving.
    pub(super) orders: [Vec<u32>; 5],
    /// Whether `view` is exactly the filter over the rows as they are now
    /// (rows changed in place keep their place and stay shown, so after a
    /// write it may not be).
    pub(super) view_exact: bool,
    /// When `view` was last filtered from all rows (`is:stale` depends on it).
    pub(super) view_now: DateTime<Utc>,
    /// The filters the current one narrowed, with their views, newest last:
    /// Backspace goes back to them without filtering again.
    pub(super) earlier: Vec<(Filter, Vec<usize>)>,
    /// The highest id in `rows` (the backlog's id column is this wide).
    pub(super) max_id: i64,
    /// The memory of a view left by Backspace, for the next one.
    pub(super) spare: Vec<usize>,
    pub(super) goals: Vec<Goal>,
    /// Index into `view`.
    pub(super) selected: usize,
    /// First backlog row on screen; kept here so leaving and coming back to
    /// a view restores the scroll position.
    pub(super) offset: usize,
    pub(super) page: usize,
    pub(super) focus: Focus,
    pub(super) detail: Option<Selected>,
    pub(super) checklist_selected: usize,
    /// The step the checklist pane shows for an initiative, when the user
    /// browsed away from its current one (`[` / `]`).
    pub(super) checklist_step: Option<(i64, Step)>,
    pub(super) kpi_selected: usize,
    /// The flow metrics, kept up to date row by row after a write.
    pub(super) metrics: Tally,
    pub(super) mode: Mode,
    pub(super) screen: Screen,
    pub(super) detail_view: Option<InitiativeDetail>,
    pub(super) detail_limit: u16,
    pub(super) effect: Option<Effect>,
    /// Changes made in this process, newest last, for undo; and undone
    /// changes for redo.
    pub(super) history: Vec<Change>,
    pub(super) future: Vec<Change>,
    pub(super) flash: Option<Flash>,
    pub(super) quit: bool,
    pub(super) data_version: i64,
    /// The newest event this dashboard has accounted for: newer ones, seen
    /// after a live refresh, are others' changes (`notice_others`).
    pub(super) seen_event: i64,
    /// Full reloads of the register since start (a test checks that
    /// navigation never causes one).
    pub(super) reloads: u64,
    /// Why the register cannot be changed (`--read-only`, or a file or
    /// folder without write permission); every write is refused with it.
    pub(super) read_only: Option<String>,
    /// The keys in effect (defaults with the configuration's overrides).
    pub(super) keymap: Keymap,
    /// Days without a move after which an active initiative is stale.
    pub(super) stale_days: i64,
    /// How dates are shown, from the configuration.
    pub(super) date_format: DateFormat,
    /// Set while the whole register is still loading (`App::start`).
    pub(super) loading: Option<Loading>,
}

/// `hits[i] = test(i)` for every `i`, split over two threads if `parallel`.
fn fill(hits: &mut [bool], parallel: bool, test: impl Fn(usize) -> bool + Sync) {
    let run = |from: usize, part: &mut [bool]| {
        for (offset, hit) in part.iter_mut().enumerate() {
            *hit = test(from + offset);
        }
    };
    if parallel {
        let half = hits.len() / 2;
        let (first, second) = hits.split_at_mut(half);
        std::thread::scope(|s| {
            s.spawn(|| run(half, second));
            run(0, first);
        });
    } else {
        run(0, hits);
    }
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
        app.stale_days = stale_days.max(1);
        let first = app
            .store
            .first_frame(&app.models, app.now, app.today, app.stale_days, FIRST_PAGE)
            .wrap_err("loading the register")?;
        let first = match first {
            Some(first) if first.total > first.rows.len() => first,
            _ => {
                app.reload().wrap_err("loading the register")?;
                return Ok(app);
            }
        };
        app.goals = app.store.goals().wrap_err("loading the register")?;
        app.install(Loaded::new(first.rows, first.search));
        // Shown, not updated: no write happens before the full load, which
        // counts every row again (`finish_loading`).
        app.metrics = Tally::shown(first.metrics, app.now);
        app.rebuild_view(None);
        app.load_detail().wrap_err("loading the register")?;
        let rows = app.store.reader().map(|reader| {
            let (tx, rx) = mpsc::channel();
            let models = app.models.clone();
            std::thread::spawn(move || {
                let _ = tx.send(Loaded::read(&reader, &models));
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
            None => Loaded::read(&self.store, &self.models),
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
        self.install(loaded);
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

    /// An app with no rows yet.
    fn unloaded(store: Store, models: Models, clock: Clock) -> Result<App> {
        let data_version = store
            .data_version()
            .wrap_err("reading the register's change counter")?;
        let seen_event = store
            .last_event_id()
            .wrap_err("reading the register's history")?;
        Ok(App {
            store,
            models,
            clock,
            now: clock.now(),
            today: clock.today(),
            rows: Vec::new(),
            view: Vec::new(),
            haystacks: Haystacks::default(),
            filter_query: String::new(),
            filter: Filter::default(),
            sort: SortOrder::default(),
            orders: Default::default(),
            view_exact: false,
            view_now: clock.now(),
            earlier: Vec::new(),
            spare: Vec::new(),
            max_id: 0,
            goals: Vec::new(),
            selected: 0,
            offset: 0,
            page: 10,
            focus: Focus::Backlog,
            detail: None,
            checklist_selected: 0,
            checklist_step: None,
            kpi_selected: 0,
            metrics: Tally::default(),
            mode: Mode::Normal,
            screen: Screen::Dashboard,
            detail_view: None,
            detail_limit: u16::MAX,
            effect: None,
            history: Vec::new(),
            future: Vec::new(),
            flash: None,
            quit: false,
            data_version,
            seen_event,
            reloads: 0,
            read_only: None,
            keymap: Keymap::default(),
            stale_days: metrics::DEFAULT_STALE_DAYS,
            date_format: DateFormat::default(),
            loading: None,
        })
    }

    /// Reads the whole register again, keeping the selection on the same
    /// initiative. Only at start and when another process changed the data.
    pub(super) fn reload(&mut self) -> Result<()> {
        let keep = self.selected_row().map(|r| r.id);
        let loaded = Loaded::read(&self.store, &self.models)?;
        self.goals = self.store.goals()?;
        self.install(loaded);
        self.reloads += 1;
        self.rebuild_view(keep);
        self.recompute_metrics();
        self.load_detail()?;
        self.reload_detail_view();
        Ok(())
    }

    /// Replaces every row, with its search text and sort orders.
    fn install(&mut self, loaded: Loaded) {
        Loaded {
            rows: self.rows,
            haystacks: self.haystacks,
            orders: self.orders,
        } = loaded;
        self.max_id = self.rows.iter().map(|r| r.id).max().unwrap_or(0);
    }

    /// Filters and sorts the backlog again, keeping the selection on
    /// `keep` if it is still shown.
    pub(super) fn rebuild_view(&mut self, keep: Option<i64>) {
        let keep = keep.and_then(|id| self.index_of(id));
        self.rebuild_view_at(keep);
    }

    /// The row with this id, as an index into `rows` (a pass over the ids).
    pub(super) fn index_of(&self, id: i64) -> Option<usize> {
        // The selected row is the usual one.
        match self.view.get(self.selected) {
            Some(&i) if self.rows.get(i).is_some_and(|r| r.id == id) => Some(i),
            _ => self.rows.iter().position(|r| r.id == id),
        }
    }

    /// The index into `rows` of the selected row.
    pub(super) fn selected_at(&self) -> Option<usize> {
        self.view.get(self.selected).copied()
    }

    /// Every row's index in the current sort order.
    fn order(&self) -> &[u32] {
        let slot = SortOrder::ALL
            .iter()
            .position(|s| *s == self.sort)
            .unwrap_or(0);
        &self.orders[slot]
    }

    /// Filters all rows again, in the current sort order, keeping the
    /// selection on row `keep` (an index into `rows`) if it is still shown.
    pub(super) fn rebuild_view_at(&mut self, keep: Option<usize>) {
        let (now, today, stale_days) = (self.now, self.today, self.stale_days);
        self.earlier.clear();
        // Into the old view's memory: fresh pages cost more than copying.
        let mut view = std::mem::take(&mut self.view);
        view.clear();
        if self.filter.is_empty() {
            view.extend(self.order().iter().map(|&i| i as usize));
        } else {
            // One pass in row order (memory order), then the order picks.
            let hits = self.filter_rows(None, now, today, stale_days);
            view.extend(
                self.order()
                    .iter()
                    .map(|&i| i as usize)
                    .filter(|&i| hits[i]),
            );
        }
        self.view = view;
        self.view_exact = true;
        self.view_now = now;
        self.select_row(keep);
    }

    /// Which rows pass the filter, as a flag per row; only rows flagged in
    /// `candidates` (all when `None`) are looked at, in row order, which is
    /// memory order.
    fn filter_rows(
        &self,
        candidates: Option<&[bool]>,
        now: DateTime<Utc>,
        today: NaiveDate,
        stale_days: i64,
    ) -> Vec<bool> {
        let (rows, haystacks) = (&self.rows, &self.haystacks);
        let goal_names: std::collections::HashMap<i64, String> = if self.filter.uses_goals() {
            self.goals
                .iter()
                .map(|g| (g.id, g.name.to_lowercase()))
                .collect()
        } else {
            Default::default()
        };
        let matcher = self.filter.matcher();
        let (required, by_mask) = (matcher.required_mask(), matcher.decided_by_mask());
        let mut hits = vec![false; rows.len()];
        if by_mask {
            // One-letter terms only: the masks alone, a tight loop.
            for (i, (hit, mask)) in hits.iter_mut().zip(haystacks.masks()).enumerate() {
                *hit = mask & required == required && candidates.is_none_or(|c| c[i]);
            }
            return hits;
        }
        // Only what a term needs is read: a one-letter query looks at the
        // masks alone, not at the rows or their text.
        let test = |i: usize| {
            if candidates.is_some_and(|c| !c[i]) {
                return false;
            }
            let row = &rows[i];
            let goal = if goal_names.is_empty() {
                None
            } else {
                row.goal_id
                    .and_then(|g| goal_names.get(&g))
                    .map(String::as_str)
            };
            let mask = haystacks.mask(i);
            if mask & required != required {
                return false;
            }
            let text = if matcher.reads_text(mask) {
                haystacks.text(i)
            } else {
                ""
            };
            let h = Haystack { row, text, goal };
            matcher.matches_masked(&h, Some(mask), now, today, stale_days)
        };
        // A term that must read most rows' text (the second character of a
        // query, when the first is in every row) reads megabytes: two
        // threads nearly halve it on a large register (5.0 to 2.9 ms for
        // `ro` at 100,000).
        fill(&mut hits, rows.len() >= PARALLEL_FILTER_ROWS, test);
        hits
    }

    /// Puts the selection on row `keep` if it is shown, else keeps the
    /// position within the view.
    fn select_row(&mut self, keep: Option<usize>) {
        self.selected = keep
            .and_then(|k| self.view.iter().position(|&i| i == k))
            .unwrap_or(self.selected)
            .min(self.view.len().saturating_sub(1));
        self.clamp_offset();
        // The row kept may have left the view (a write took it out of the
        // filter): the panes follow the row now selected.
        let shown = self.selected_row().map(|r| r.id);
        if self.detail.as_ref().map(|d| d.id) != shown {
            let _ = self.load_detail();
        }
    }

    /// Applies a new filter. Typing one more character narrows the shown
    /// rows instead of filtering all of them; Backspace goes back to the
    /// view before it. Both give exactly what filtering every row would (a
    /// test checks), and fall back to that when they could not: after a
    /// write, or for `is:stale` once the clock moved.
    pub(super) fn apply_filter(&mut self, filter: Filter) {
        let keep = self.selected_at();
        let (now, today, stale_days) = (self.now, self.today, self.stale_days);
        let reusable = |f: &Filter| f.is_empty() || now == self.view_now || !f.uses_clock();
        if !self.view_exact || !reusable(&filter) || !reusable(&self.filter) {
            self.filter = filter;
            return self.rebuild_view_at(keep);
        }
        if filter == self.filter {
            return;
        }
        if let Some(back) = self.earlier.iter().rposition(|(f, _)| *f == filter) {
            self.earlier.truncate(back + 1);
            let (f, view) = self.earlier.pop().expect("just found");
            self.filter = f;
            self.spare = std::mem::replace(&mut self.view, view);
        } else if filter.narrows(&self.filter) {
            let previous = std::mem::replace(&mut self.filter, filter);
            // Every row shown (no filter before): no need to say which.
            let candidates = (self.view.len() < self.rows.len()).then(|| {
                let mut c = vec![false; self.rows.len()];
                for &i in &self.view {
                    c[i] = true;
                }
                c
            });
            let hits = self.filter_rows(candidates.as_deref(), now, today, stale_days);
            let mut view = std::mem::take(&mut self.spare);
            view.clear();
            view.extend(self.view.iter().copied().filter(|&i| hits[i]));
            let previous_view = std::mem::replace(&mut self.view, view);
            self.earlier.push((previous, previous_view));
        } else {
            self.filter = filter;
            return self.rebuild_view_at(keep);
        }
        self.select_row(keep);
    }

    /// Reloads the detail screen's data if it is open.
    pub(super) fn reload_detail_view(&mut self) {
        if let Screen::Detail { id, .. } = self.screen {
            self.detail_view = self
                .store
                .initiative_detail(&self.models, id)
                .ok()
                .flatten();
            if self.detail_view.is_none() {
                self.screen = Screen::Dashboard;
            }
        }
    }

    /// The flow metrics from every row (a pass over all of them: at start,
    /// on a reload, over midnight, hourly). A write updates them row by row.
    pub(super) fn recompute_metrics(&mut self) {
        self.metrics = Tally::new(
            &self.rows,
            &self.models,
            self.now,
            self.today,
            self.stale_days,
        );
    }

    /// Loads checklist and KPIs of the selected initiative (a few indexed
    /// queries; never the whole register).
    pub(super) fn load_detail(&mut self) -> Result<()> {
        let Some(row) = self.selected_row() else {
            self.detail = None;
            return Ok(());
        };
        let id = row.id;
        let model = self.models.resolve(&row.model);
        let step = match self.checklist_step {
            Some((browsed, step))
                if browsed == id && model.step(step.number().into()).is_some() =>
            {
                step
            }
            _ => row.step,
        };
        let same = self
            .detail
            .as_ref()
            .is_some_and(|d| d.id == id && d.step == step);
        let checklist = self.store.checklist(model, id, step)?;
        let kpis = self.store.kpis(id)?;
        if !same {
            self.checklist_selected = 0;
            self.kpi_selected = 0;
        }
        self.checklist_selected = self
            .checklist_selected
            .min(checklist.len().saturating_sub(1));
        self.kpi_selected = self.kpi_selected.min(kpis.len().saturating_sub(1));
        self.detail = Some(Selected {
            id,
            step,
            checklist,
            kpis,
        });
        Ok(())
    }

    pub(super) fn clamp_offset(&mut self) {
        let page = self.page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(self.visible_len().saturating_sub(page));
    }

    /// Replaces the clock (tests move a fixed clock over midnight).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    // Read access for the view and for tests.

    /// The model the dashboard follows: the selected initiative's, or the
    /// default one when nothing is selected.
    pub fn model(&self) -> &Model {
        match self.selected_row() {
            Some(row) => self.models.resolve(&row.model),
            None => self.models.default_model(),
        }
    }
    /// The model an initiative follows.
    pub fn model_of(&self, row: &BacklogRow) -> &Model {
        self.models.resolve(&row.model)
    }
    /// Every model known to this run.
    /// Which register is open and as whom, for the header: the file's name
    /// (empty for one in memory) and the author writes are signed with.
    pub fn identity(&self) -> (String, &str) {
        let file = self
            .store
            .file()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default();
        (file, self.store.author())
    }

    pub fn models(&self) -> &Models {
        &self.models
    }
    /// Active initiatives per step of [`App::model`], with the oldest in each.
    pub fn step_flow(&self) -> Option<&StepFlow> {
        let index = self.models.index_of(&self.model().id)?;
        self.metrics().steps(index)
    }
    /// The whole register (unfiltered); while loading (`App::start`), only
    /// the first page of the backlog.
    pub fn rows(&self) -> &[BacklogRow] {
        &self.rows
    }
    /// How many initiatives the register holds.
    pub fn total(&self) -> usize {
        self.loading.as_ref().map_or(self.rows.len(), |l| l.total)
    }
    /// The largest id in the register (kept, not searched for per frame).
    pub fn max_id(&self) -> Option<i64> {
        match &self.loading {
            Some(l) => l.max_id,
            None => (!self.rows.is_empty()).then_some(self.max_id),
        }
    }
    /// How many rows the backlog shows (after the filter).
    pub fn visible_len(&self) -> usize {
        // While loading there is no filter: every row shows.
        self.loading.as_ref().map_or(self.view.len(), |l| l.total)
    }
    /// The `i`-th row the backlog shows.
    pub fn visible(&self, i: usize) -> Option<&BacklogRow> {
        self.view.get(i).map(|&r| &self.rows[r])
    }
    pub fn selected_index(&self) -> usize {
        self.selected
    }
    pub fn selected_row(&self) -> Option<&BacklogRow> {
        self.visible(self.selected)
    }
    pub fn row_by_id(&self, id: i64) -> Option<&BacklogRow> {
        self.rows.iter().find(|r| r.id == id)
    }
    pub fn filter_query(&self) -> &str {
        &self.filter_query
    }
    /// The filter's terms it did not understand (said in the filter bar).
    pub fn filter_problems(&self) -> &[String] {
        self.filter.problems()
    }
    pub fn sort(&self) -> SortOrder {
        self.sort
    }
    pub fn goals(&self) -> &[Goal] {
        &self.goals
    }
    pub fn screen(&self) -> &Screen {
        &self.screen
    }
    pub fn detail_view(&self) -> Option<&InitiativeDetail> {
        self.detail_view.as_ref()
    }
    pub fn kpi_selected(&self) -> usize {
        self.kpi_selected
    }
    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }
    /// Takes the pending work for the terminal layer, if any.
    pub fn take_effect(&mut self) -> Option<Effect> {
        self.effect.take()
    }
    pub fn offset(&self) -> usize {
        self.offset
    }
    pub fn focus(&self) -> Focus {
        self.focus
    }
    pub fn detail(&self) -> Option<&Selected> {
        self.detail.as_ref()
    }
    pub fn checklist_selected(&self) -> usize {
        self.checklist_selected
    }
    pub fn metrics(&self) -> &FlowMetrics {
        self.metrics.metrics()
    }
    pub fn mode(&self) -> &Mode {
        &self.mode
    }
    pub fn flash(&self) -> Option<&Flash> {
        self.flash.as_ref()
    }
    pub fn should_quit(&self) -> bool {
        self.quit
    }
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }
    pub fn today(&self) -> NaiveDate {
        self.today
    }
    pub fn is_welcome(&self) -> bool {
        self.total() == 0
    }
    /// The step an initiative is at, for dialogs.
    pub fn step_of(&self, id: i64) -> Option<Step> {
        self.row_by_id(id).map(|r| r.step)
    }
    pub fn reloads(&self) -> u64 {
        self.reloads
    }

    /// For tests: whether the search text and the sort orders kept with the
    /// rows are what making them again from the register and the rows gives.
    pub fn check_kept(&self) -> std::result::Result<(), String> {
        if self.haystacks.len() != self.rows.len() {
            return Err(format!(
                "{} search texts for {} rows",
                self.haystacks.len(),
                self.rows.len()
            ));
        }
        for (i, row) in self.rows.iter().enumerate() {
            let description = match self.store.searchable_row(&self.models, row.id) {
                Ok(Some((_, d))) => d,
                other => return Err(format!("#{} read back as {other:?}", row.id)),
            };
            let text = crate::domain::filter::haystack_text(row, &description);
            if self.haystacks.text(i) != text
                || self.haystacks.mask(i) != crate::domain::filter::byte_mask(text.as_bytes())
            {
                return Err(format!(
                    "search text of #{}: kept {:?}, is {text:?}",
                    row.id,
                    self.haystacks.text(i)
                ));
            }
        }
        for (sort, order) in SortOrder::ALL.iter().zip(&self.orders) {
            if *order != sort.sorted(&self.rows) {
                return Err(format!("the kept {sort:?} order is not sorted"));
            }
        }
        Ok(())
    }
    /// Refuses every write from now on (`--read-only`); the store should be
    /// opened read-only too, so even a missed path cannot write.
    pub fn set_read_only(&mut self, read_only: bool) {
        self.read_only = read_only.then(|| "opened with --read-only".to_string());
    }

    /// Makes the dashboard read-only, saying why (e.g. "the file is
    /// read-only").
    pub fn set_read_only_because(&mut self, reason: impl Into<String>) {
        self.read_only = Some(reason.into());
    }

    /// Uses these keys from now on (the configuration's overrides).
    pub fn set_keymap(&mut self, keymap: Keymap) {
        self.keymap = keymap;
    }

    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    /// Counts an active initiative as stale after `days` without a move
    /// (metrics and `is:stale`).
    pub fn set_stale_days(&mut self, days: i64) {
        if self.stale_days == days.max(1) && self.loading.is_some() {
            return;
        }
        self.finish_loading_or_flash();
        self.stale_days = days.max(1);
        let keep = self.selected_at();
        self.rebuild_view_at(keep);
        self.recompute_metrics();
    }

    pub fn stale_days(&self) -> i64 {
        self.stale_days
    }

    /// Shows dates in this format (from the configuration).
    pub fn set_date_format(&mut self, format: DateFormat) {
        self.date_format = format;
    }

    pub fn date_format(&self) -> &DateFormat {
        &self.date_format
    }

    /// Shows a message in the footer until the next key (configuration
    /// warnings at start).
    pub fn set_flash(&mut self, text: impl Into<String>, error: bool) {
        self.flash = Some(Flash {
            text: text.into(),
            error,
        });
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn filling_on_two_threads_gives_what_one_thread_gives() {
        let test = |i: usize| i.is_multiple_of(3) || i % 7 == 1;
        for len in 0..40 {
            let (mut one, mut two) = (vec![false; len], vec![true; len]);
            fill(&mut one, false, test);
            fill(&mut two, true, test);
            let expected: Vec<bool> = (0..len).map(test).collect();
            assert_eq!(one, expected, "one thread, {len}");
            assert_eq!(two, expected, "two threads, {len}");
        }
    }
}
