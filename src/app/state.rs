//! What the dashboard knows at one moment.

use chrono::{DateTime, NaiveDate, Utc};
use color_eyre::Result;
use color_eyre::eyre::WrapErr;

use super::input::TextInput;
use crate::domain::metrics::{self, FlowMetrics};
use crate::domain::moves::MovePlan;
use crate::domain::time::Clock;
use crate::domain::{BacklogRow, ChecklistItem, Kpi, Model};
use crate::store::Store;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Backlog,
    Checklist,
    Metrics,
}

impl Focus {
    pub fn next(self) -> Focus {
        match self {
            Focus::Backlog => Focus::Checklist,
            Focus::Checklist => Focus::Metrics,
            Focus::Metrics => Focus::Backlog,
        }
    }

    pub fn prev(self) -> Focus {
        match self {
            Focus::Backlog => Focus::Metrics,
            Focus::Checklist => Focus::Backlog,
            Focus::Metrics => Focus::Checklist,
        }
    }
}

/// A yes/no question waiting for an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Question {
    /// Moving forward (or completing) with checklist items still open.
    ForwardWithOpenItems { id: i64, plan: MovePlan, open: u32 },
}

#[derive(Debug, Clone, PartialEq)]
pub enum PromptKind {
    /// The optional reason for a backward move.
    BackReason { id: i64, plan: MovePlan },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: TextInput,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    Help { scroll: u16 },
    Confirm(Question),
    Prompt(Prompt),
}

/// A one-line message in the footer until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
}

/// The selected initiative's details, loaded when the selection changes.
#[derive(Debug, Clone, Default)]
pub struct Selected {
    pub id: i64,
    pub checklist: Vec<ChecklistItem>,
    pub kpis: Vec<Kpi>,
}

pub struct App {
    pub(super) store: Store,
    pub(super) model: Model,
    pub(super) clock: Clock,
    pub(super) now: DateTime<Utc>,
    pub(super) today: NaiveDate,
    pub(super) rows: Vec<BacklogRow>,
    pub(super) selected: usize,
    /// First backlog row on screen; kept here so leaving and coming back to
    /// a view restores the scroll position.
    pub(super) offset: usize,
    pub(super) page: usize,
    pub(super) focus: Focus,
    pub(super) detail: Option<Selected>,
    pub(super) checklist_selected: usize,
    pub(super) metrics_scroll: u16,
    pub(super) metrics: FlowMetrics,
    pub(super) mode: Mode,
    pub(super) flash: Option<Flash>,
    pub(super) quit: bool,
    pub(super) data_version: i64,
    /// Full reloads of the register since start (a test checks that
    /// navigation never causes one).
    pub(super) reloads: u64,
}

impl App {
    pub fn new(store: Store, model: Model, clock: Clock) -> Result<App> {
        let data_version = store
            .data_version()
            .wrap_err("reading the register's change counter")?;
        let mut app = App {
            store,
            model,
            clock,
            now: clock.now(),
            today: clock.today(),
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            page: 10,
            focus: Focus::Backlog,
            detail: None,
            checklist_selected: 0,
            metrics_scroll: 0,
            metrics: FlowMetrics::default(),
            mode: Mode::Normal,
            flash: None,
            quit: false,
            data_version,
            reloads: 0,
        };
        app.reload().wrap_err("loading the register")?;
        Ok(app)
    }

    /// Reads the whole register again, keeping the selection on the same
    /// initiative. Only at start and when another process changed the data.
    pub(super) fn reload(&mut self) -> Result<()> {
        let keep = self.selected_row().map(|r| r.id);
        self.rows = self.store.backlog(&self.model)?;
        self.reloads += 1;
        if let Some(i) = keep.and_then(|id| self.rows.iter().position(|r| r.id == id)) {
            self.selected = i;
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.recompute_metrics();
        self.clamp_offset();
        self.load_detail()?;
        Ok(())
    }

    pub(super) fn recompute_metrics(&mut self) {
        self.metrics = metrics::compute(&self.rows, &self.model, self.now, self.today);
    }

    /// Loads checklist and KPIs of the selected initiative (a few indexed
    /// queries; never the whole register).
    pub(super) fn load_detail(&mut self) -> Result<()> {
        let Some(row) = self.rows.get(self.selected) else {
            self.detail = None;
            return Ok(());
        };
        let (id, step) = (row.id, row.step);
        let same = self.detail.as_ref().is_some_and(|d| d.id == id);
        let checklist = self.store.checklist(&self.model, id, step)?;
        let kpis = self.store.kpis(id)?;
        if !same {
            self.checklist_selected = 0;
            self.metrics_scroll = 0;
        }
        self.checklist_selected = self
            .checklist_selected
            .min(checklist.len().saturating_sub(1));
        self.detail = Some(Selected {
            id,
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
        self.offset = self.offset.min(self.rows.len().saturating_sub(page));
    }

    // Read access for the view and for tests.

    pub fn model(&self) -> &Model {
        &self.model
    }
    pub fn rows(&self) -> &[BacklogRow] {
        &self.rows
    }
    pub fn selected_index(&self) -> usize {
        self.selected
    }
    pub fn selected_row(&self) -> Option<&BacklogRow> {
        self.rows.get(self.selected)
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
    pub fn metrics_scroll(&self) -> u16 {
        self.metrics_scroll
    }
    pub fn metrics(&self) -> &FlowMetrics {
        &self.metrics
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
        self.rows.is_empty()
    }
    pub fn reloads(&self) -> u64 {
        self.reloads
    }
    pub fn store(&self) -> &Store {
        &self.store
    }
}
