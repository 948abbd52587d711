//! Writing through the store: every change lands in one transaction, is
//! remembered for undo, and refreshes only the initiatives it touched.

use std::collections::BTreeSet;

use super::state::App;
use crate::store::{Change, LockWait, Recorder, WriteError};

/// What the footer says when the user stopped waiting for a lock.
pub(super) const GAVE_UP: &str =
    "busy: nothing written (stopped waiting for another program's lock)";

/// The initiatives a change touched.
pub(super) fn touched(change: &Change) -> BTreeSet<i64> {
    let mut ids: BTreeSet<i64> = change.initiative.into_iter().collect();
    ids.extend(
        change
            .rows
            .iter()
            .filter(|r| r.table == "initiatives")
            .map(|r| r.id),
    );
    ids
}

impl App {
    /// How writes that find the register locked by another program wait
    /// (see `Store::set_lock_wait`): the dashboard keeps answering meanwhile.
    pub fn set_lock_wait(&mut self, wait: Option<LockWait>) {
        self.store.set_lock_wait(wait);
    }

    /// Runs a write. On success the change joins the undo history and the
    /// screen is refreshed; on failure the footer says why and `None` comes
    /// back (the caller keeps any typed input).
    pub(super) fn commit<T>(
        &mut self,
        label: impl Into<String>,
        initiative: Option<i64>,
        f: impl FnOnce(&mut Recorder<'_>) -> Result<T, WriteError>,
    ) -> Option<T> {
        if self.is_read_only() {
            self.refuse_read_only();
            return None;
        }
        match self.store.write(label, initiative, f) {
            Ok((value, change)) => {
                let goals = change.rows.iter().any(|r| r.table == "goals");
                let ids = touched(&change);
                if !change.rows.is_empty() {
                    self.history.record(change);
                }
                self.refresh(&ids, goals);
                self.after_wait();
                self.own_events();
                Some(value)
            }
            Err(WriteError::Stale(what)) => {
                let _ = self.reload();
                self.fail(format!(
                    "{what} was changed elsewhere; reloaded, nothing written"
                ));
                None
            }
            Err(WriteError::GaveUp) => {
                self.fail(GAVE_UP.into());
                None
            }
            Err(e) => {
                self.fail(format!("not saved: {e}"));
                None
            }
        }
    }

    /// This dashboard's own writes are not news to it.
    pub(super) fn own_events(&mut self) {
        if let Ok(id) = self.store.last_event_id() {
            self.seen_event = self.seen_event.max(id);
        }
    }

    /// After a live refresh: when someone else changed the selected
    /// initiative, or the one open in a form, the footer says what and who
    /// ("#8 edited title "a" → "b" (by alex)").
    pub(super) fn notice_others(&mut self) {
        let query = crate::store::history::LogQuery {
            after_id: Some(self.seen_event),
            limit: Some(500),
            ..Default::default()
        };
        let Ok(events) = self.store.log(&query) else {
            return;
        };
        let Some(newest) = events.iter().map(|e| e.id).max() else {
            return;
        };
        self.seen_event = self.seen_event.max(newest);
        let mut watched: Vec<i64> = self.selected_row().map(|r| r.id).into_iter().collect();
        if let super::Mode::Form(form) = &self.mode {
            watched.extend(form.kind.initiative());
        }
        if let super::Screen::Detail { id, .. } = self.screen {
            watched.push(id);
        }
        // Newest first: the last word on what is on screen.
        if let Some(e) = events
            .iter()
            .find(|e| e.initiative.is_some_and(|i| watched.contains(&i)))
        {
            let id = e.initiative.unwrap_or_default();
            self.info(format!("#{id} {} (by {})", e.summary(), e.author()));
        }
    }

    /// A write that had to wait says it landed, so the outcome of the wait
    /// is on screen; a caller with more to say replaces it.
    pub(super) fn after_wait(&mut self) {
        if self.store.last_write_waited() {
            self.info("saved (after waiting for another program)".into());
        }
    }

    /// Re-reads the given initiatives. Rows keep their place in the backlog
    /// so the selection does not jump; new rows join and deleted rows leave,
    /// which re-filters and re-sorts the view. Metrics, search text and the
    /// kept sort orders follow a changed row by row: nothing passes over
    /// every row but the kept orders' indices when a row leaves.
    pub(super) fn refresh(&mut self, ids: &BTreeSet<i64>, goals: bool) {
        let keep = self.selected_row().map(|r| r.id);
        let mut membership = false;
        for &id in ids {
            match self.store.searchable_row(&self.models, id) {
                Ok(Some((row, description))) => match self.index_of(id) {
                    Some(i) => {
                        if let Some(old) = self.backlog.update_row(i, row, &description, self.now) {
                            self.metrics.replace(&old, &self.backlog.rows()[i]);
                        }
                    }
                    None => {
                        self.metrics.add(&row);
                        self.backlog.push_row(row, &description, self.now);
                        membership = true;
                    }
                },
                Ok(None) => {
                    if let Some(i) = self.index_of(id) {
                        let row = self.backlog.remove_row(i);
                        self.metrics.remove(&row);
                        membership = true;
                    }
                }
                Err(e) => return self.error("could not read the initiative back", e),
            }
        }
        if goals {
            match self.store.goals() {
                Ok(g) => self.goals = g,
                Err(e) => self.error("could not read the goals", e),
            }
        }
        if membership {
            self.rebuild_view(keep);
        }
        if let Err(e) = self.load_detail() {
            self.error("could not load the initiative", e);
        }
        self.reload_detail_view();
    }
}
