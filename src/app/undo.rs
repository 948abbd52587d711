//! Undo and redo: the changes this dashboard made, newest last, and the
//! ones undone, ready to be done again. A change moves from one stack to
//! the other only once it has landed in the register.

use super::state::App;
use super::writes::{GAVE_UP, touched};
use crate::store::{Change, WriteError};

/// Which way a change is replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Way {
    /// The inverse of the newest change.
    Undo,
    /// The newest undone change again.
    Redo,
}

impl Way {
    fn verb(self) -> &'static str {
        match self {
            Way::Undo => "undo",
            Way::Redo => "redo",
        }
    }

    fn done(self) -> &'static str {
        match self {
            Way::Undo => "undid",
            Way::Redo => "redid",
        }
    }
}

#[derive(Debug, Default)]
pub(super) struct History {
    /// Changes made in this process, newest last.
    done: Vec<Change>,
    /// Changes undone, newest last.
    undone: Vec<Change>,
}

impl History {
    pub(super) fn can_undo(&self) -> bool {
        !self.done.is_empty()
    }

    pub(super) fn can_redo(&self) -> bool {
        !self.undone.is_empty()
    }

    /// A new change: what was undone can no longer be redone.
    pub(super) fn record(&mut self, change: Change) {
        self.done.push(change);
        self.undone.clear();
    }

    /// Takes the change to replay `way`, if there is one.
    pub(super) fn take(&mut self, way: Way) -> Option<Change> {
        match way {
            Way::Undo => self.done.pop(),
            Way::Redo => self.undone.pop(),
        }
    }

    /// The change replayed `way` landed: it can be replayed back.
    pub(super) fn landed(&mut self, way: Way, change: Change) {
        match way {
            Way::Undo => self.undone.push(change),
            Way::Redo => self.done.push(change),
        }
    }

    /// The change could not be replayed this time: it stays where it was.
    pub(super) fn put_back(&mut self, way: Way, change: Change) {
        match way {
            Way::Undo => self.done.push(change),
            Way::Redo => self.undone.push(change),
        }
    }

    /// Forgets everything (the rows the changes name are gone).
    pub(super) fn clear(&mut self) {
        self.done.clear();
        self.undone.clear();
    }
}

impl App {
    pub(super) fn undo(&mut self) {
        self.replay(Way::Undo);
    }

    pub(super) fn redo(&mut self) {
        self.replay(Way::Redo);
    }

    /// Replays the newest change `way`, moving it to the other stack when
    /// it lands.
    fn replay(&mut self, way: Way) {
        let verb = way.verb();
        let Some(change) = self.history.take(way) else {
            return self.info(format!("nothing to {verb}"));
        };
        match self.store.apply_change(&change, way == Way::Undo, self.now) {
            Ok(()) => {
                self.after_wait();
                self.own_events();
                self.info(format!("{} {}", way.done(), change.label));
                self.after_history(&change);
                self.history.landed(way, change);
            }
            // It can never apply now; dropping it keeps older ones usable.
            Err(WriteError::Stale(what)) => {
                self.fail(format!(
                    "cannot {verb} {}: {what} changed since",
                    change.label
                ));
            }
            Err(e) => {
                if matches!(e, WriteError::GaveUp) {
                    self.fail(GAVE_UP.into());
                } else {
                    self.fail(format!("{verb} failed: {e}"));
                }
                self.history.put_back(way, change);
            }
        }
    }

    fn after_history(&mut self, change: &Change) {
        let goals = change.rows.iter().any(|r| r.table == "goals");
        self.refresh(&touched(change), goals);
        // Follow the change: select the initiative it concerned.
        if let Some(id) = change.initiative
            && let Some(at) = self.backlog.index_of(id)
            && self.backlog.select_at(at)
        {
            let _ = self.load_detail();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(label: &str) -> Change {
        Change::new(label, Some(1))
    }

    fn labels(stack: &[Change]) -> Vec<&str> {
        stack.iter().map(|c| c.label.as_str()).collect()
    }

    #[test]
    fn undo_then_redo_moves_a_change_across_and_back() {
        let mut h = History::default();
        assert!(!h.can_undo() && !h.can_redo());
        assert!(h.take(Way::Undo).is_none());
        h.record(change("a"));
        h.record(change("b"));
        let b = h.take(Way::Undo).unwrap();
        assert_eq!(b.label, "b", "newest first");
        h.landed(Way::Undo, b);
        assert!(h.can_undo() && h.can_redo());
        let b = h.take(Way::Redo).unwrap();
        h.landed(Way::Redo, b);
        assert_eq!(labels(&h.done), ["a", "b"]);
        assert!(!h.can_redo());
    }

    #[test]
    fn a_new_change_ends_redo() {
        let mut h = History::default();
        h.record(change("a"));
        let a = h.take(Way::Undo).unwrap();
        h.landed(Way::Undo, a);
        h.record(change("c"));
        assert!(!h.can_redo());
        assert_eq!(labels(&h.done), ["c"]);
    }

    #[test]
    fn a_change_that_did_not_land_stays_where_it_was() {
        let mut h = History::default();
        h.record(change("a"));
        h.record(change("b"));
        let b = h.take(Way::Undo).unwrap();
        h.put_back(Way::Undo, b);
        assert_eq!(labels(&h.done), ["a", "b"]);
        assert!(!h.can_redo());
        // Dropped (it can never apply): the older one is next.
        let _ = h.take(Way::Undo);
        assert_eq!(h.take(Way::Undo).unwrap().label, "a");
        h.record(change("c"));
        h.clear();
        assert!(!h.can_undo() && !h.can_redo());
    }
}
