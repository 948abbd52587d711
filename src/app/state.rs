//! What the dashboard knows at one moment, and the parts that hold it:
//! the backlog view, the panes beside it, undo and redo, the settings and
//! the loading; `App` ties them to the register and the clock.

use chrono::{DateTime, NaiveDate, Utc};
use color_eyre::Result;
use color_eyre::eyre::WrapErr;

use super::backlog::{BacklogView, FilterContext};
use super::flash::Flash;
use super::keymap::Keymap;
use super::loading::Loading;
use super::mode::{Focus, Mode, Screen};
use super::panes::{Panes, Selected};
use super::settings::Settings;
use super::undo::History;
use crate::domain::detail::{Goal, InitiativeDetail};
use crate::domain::filter::Filter;
use crate::domain::metrics::{FlowMetrics, StepFlow, Tally};
use crate::domain::sort::SortOrder;
use crate::domain::time::Clock;
use crate::domain::{BacklogRow, DateFormat, Model, Models, Step};
use crate::store::Store;

/// Work for the terminal layer: things the app cannot do itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Open this text in `$VISUAL` / `$EDITOR`, then call
    /// `App::editor_closed` with the result.
    EditText { text: String },
}

pub struct App {
    pub(super) store: Store,
    /// Every model the register's initiatives may follow.
    pub(super) models: Models,
    pub(super) clock: Clock,
    pub(super) now: DateTime<Utc>,
    pub(super) today: NaiveDate,
    /// The rows, the filter, the sort, the selection and the scroll.
    pub(super) backlog: BacklogView,
    pub(super) goals: Vec<Goal>,
    pub(super) focus: Focus,
    /// The selected initiative's checklist and KPIs.
    pub(super) panes: Panes,
    /// The flow metrics, kept up to date row by row after a write.
    pub(super) metrics: Tally,
    pub(super) mode: Mode,
    pub(super) screen: Screen,
    pub(super) detail_view: Option<InitiativeDetail>,
    pub(super) detail_limit: u16,
    pub(super) effect: Option<Effect>,
    /// Changes made in this process, for undo and redo.
    pub(super) history: History,
    pub(super) flash: Option<Flash>,
    pub(super) quit: bool,
    pub(super) data_version: i64,
    /// The newest event this dashboard has accounted for: newer ones, seen
    /// after a live refresh, are others' changes (`notice_others`).
    pub(super) seen_event: i64,
    /// Full reloads of the register since start (a test checks that
    /// navigation never causes one).
    pub(super) reloads: u64,
    pub(super) settings: Settings,
    /// The keys in effect (defaults with the configuration's overrides).
    pub(super) keymap: Keymap,
    /// Set while the whole register is still loading (`App::start`).
    pub(super) loading: Option<Loading>,
}

/// What the backlog's filter depends on in `app`, borrowing only the fields
/// it reads, so the backlog itself can be borrowed mutably beside it.
macro_rules! filter_context {
    ($app:expr) => {
        FilterContext {
            now: $app.now,
            today: $app.today,
            stale_days: $app.settings.stale_days(),
            goals: &$app.goals,
        }
    };
}

impl App {
    /// An app with no rows yet.
    pub(super) fn unloaded(store: Store, models: Models, clock: Clock) -> Result<App> {
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
            backlog: BacklogView::new(clock.now()),
            goals: Vec::new(),
            focus: Focus::Backlog,
            panes: Panes::default(),
            metrics: Tally::default(),
            mode: Mode::Normal,
            screen: Screen::Dashboard,
            detail_view: None,
            detail_limit: u16::MAX,
            effect: None,
            history: History::default(),
            flash: None,
            quit: false,
            data_version,
            seen_event,
            reloads: 0,
            settings: Settings::default(),
            keymap: Keymap::default(),
            loading: None,
        })
    }

    /// Filters and sorts the backlog again, keeping the selection on
    /// `keep` if it is still shown.
    pub(super) fn rebuild_view(&mut self, keep: Option<i64>) {
        self.backlog.rebuild_keeping(keep, &filter_context!(self));
        self.follow_selection();
    }

    /// Filters all rows again, in the current sort order, keeping the
    /// selection on row `keep` (an index into the rows) if it is still
    /// shown.
    pub(super) fn rebuild_view_at(&mut self, keep: Option<usize>) {
        self.backlog.rebuild(keep, &filter_context!(self));
        self.follow_selection();
    }

    /// Applies the filter typed as `query` (see `BacklogView::set_filter`).
    pub(super) fn apply_filter(&mut self, query: String, filter: Filter) {
        self.backlog
            .set_filter(query, filter, &filter_context!(self));
        self.follow_selection();
    }

    /// The next sort order, keeping the selection on its row.
    pub(super) fn next_sort(&mut self) {
        self.backlog.next_sort(&filter_context!(self));
        self.follow_selection();
    }

    /// Shows every row again, keeping the selection on row `keep`.
    pub(super) fn clear_filter(&mut self, keep: Option<usize>) {
        self.backlog.clear_filter(keep, &filter_context!(self));
        self.follow_selection();
    }

    /// The row kept may have left the view (a write took it out of the
    /// filter): the panes follow the row now selected.
    fn follow_selection(&mut self) {
        let shown = self.selected_row().map(|r| r.id);
        if self.panes.shown_id() != shown {
            let _ = self.load_detail();
        }
    }

    /// The row with this id, as an index into the rows.
    pub(super) fn index_of(&self, id: i64) -> Option<usize> {
        self.backlog.index_of(id)
    }

    /// The index into the rows of the selected row.
    pub(super) fn selected_at(&self) -> Option<usize> {
        self.backlog.selected_at()
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
            self.backlog.rows(),
            &self.models,
            self.now,
            self.today,
            self.settings.stale_days(),
        );
    }

    /// Loads checklist and KPIs of the selected initiative (a few indexed
    /// queries; never the whole register).
    pub(super) fn load_detail(&mut self) -> Result<()> {
        let Some(row) = self.backlog.selected_row() else {
            self.panes.clear();
            return Ok(());
        };
        let id = row.id;
        let model = self.models.resolve(&row.model);
        let step = self.panes.step_for(id, row.step, model);
        let checklist = self.store.checklist(model, id, step)?;
        let kpis = self.store.kpis(id)?;
        self.panes.show(Selected {
            id,
            step,
            checklist,
            kpis,
        });
        Ok(())
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

    /// Every model known to this run.
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
        self.backlog.rows()
    }
    /// How many initiatives the register holds.
    pub fn total(&self) -> usize {
        self.loading
            .as_ref()
            .map_or(self.backlog.rows().len(), |l| l.total)
    }
    /// The largest id in the register (kept, not searched for per frame).
    pub fn max_id(&self) -> Option<i64> {
        match &self.loading {
            Some(l) => l.max_id,
            None => (!self.backlog.rows().is_empty()).then_some(self.backlog.max_id()),
        }
    }
    /// How many rows the backlog shows (after the filter).
    pub fn visible_len(&self) -> usize {
        // While loading there is no filter: every row shows.
        self.loading
            .as_ref()
            .map_or(self.backlog.len(), |l| l.total)
    }
    /// The `i`-th row the backlog shows.
    pub fn visible(&self, i: usize) -> Option<&BacklogRow> {
        self.backlog.visible(i)
    }
    pub fn selected_index(&self) -> usize {
        self.backlog.selected()
    }
    pub fn selected_row(&self) -> Option<&BacklogRow> {
        self.backlog.selected_row()
    }
    pub fn row_by_id(&self, id: i64) -> Option<&BacklogRow> {
        self.backlog.row_by_id(id)
    }
    pub fn filter_query(&self) -> &str {
        self.backlog.filter_query()
    }
    /// The filter's terms it did not understand (said in the filter bar).
    pub fn filter_problems(&self) -> &[String] {
        self.backlog.filter().problems()
    }
    pub fn sort(&self) -> SortOrder {
        self.backlog.sort()
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
        self.panes.kpi_selected()
    }
    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }
    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }
    /// Takes the pending work for the terminal layer, if any.
    pub fn take_effect(&mut self) -> Option<Effect> {
        self.effect.take()
    }
    pub fn offset(&self) -> usize {
        self.backlog.offset()
    }
    pub fn focus(&self) -> Focus {
        self.focus
    }
    pub fn detail(&self) -> Option<&Selected> {
        self.panes.detail()
    }
    pub fn checklist_selected(&self) -> usize {
        self.panes.checklist_selected()
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
        self.backlog.check_orders()?;
        let haystacks = self.backlog.haystacks();
        for (i, row) in self.backlog.rows().iter().enumerate() {
            let description = match self.store.searchable_row(&self.models, row.id) {
                Ok(Some((_, d))) => d,
                other => return Err(format!("#{} read back as {other:?}", row.id)),
            };
            let text = crate::domain::filter::haystack_text(row, &description);
            if haystacks.text(i) != text
                || haystacks.mask(i) != crate::domain::filter::byte_mask(text.as_bytes())
            {
                return Err(format!(
                    "search text of #{}: kept {:?}, is {text:?}",
                    row.id,
                    haystacks.text(i)
                ));
            }
        }
        Ok(())
    }
    /// Refuses every write from now on (`--read-only`); the store should be
    /// opened read-only too, so even a missed path cannot write.
    pub fn set_read_only(&mut self, read_only: bool) {
        self.settings
            .set_read_only(read_only.then(|| "opened with --read-only".to_string()));
    }

    /// Makes the dashboard read-only, saying why (e.g. "the file is
    /// read-only").
    pub fn set_read_only_because(&mut self, reason: impl Into<String>) {
        self.settings.set_read_only(Some(reason.into()));
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
        if self.settings.stale_days() == days.max(1) && self.loading.is_some() {
            return;
        }
        self.finish_loading_or_flash();
        self.settings.set_stale_days(days);
        let keep = self.selected_at();
        self.rebuild_view_at(keep);
        self.recompute_metrics();
    }

    pub fn stale_days(&self) -> i64 {
        self.settings.stale_days()
    }

    /// Shows dates in this format (from the configuration).
    pub fn set_date_format(&mut self, format: DateFormat) {
        self.settings.set_date_format(format);
    }

    pub fn date_format(&self) -> &DateFormat {
        self.settings.date_format()
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
        self.settings.is_read_only()
    }

    pub fn store(&self) -> &Store {
        &self.store
    }
}
