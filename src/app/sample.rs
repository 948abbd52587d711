//! Loading the sample into an empty register and taking it away again.

use super::keymap::Scope;
use super::mode::{Mode, Question};
use super::state::App;
use crate::domain::text::count;
use crate::store::sample;

impl App {
    pub(super) fn load_sample(&mut self) {
        if !self.rows().is_empty() {
            return;
        }
        let result =
            crate::sample::load_sample(&mut self.store, &crate::domain::Model::itil4(), self.now);
        match result {
            Ok(summary) => match self.reload() {
                Ok(()) => self.info(format!(
                    "Loaded the sample register: {}, {}. Press {} for keys; {} removes it again.",
                    count(summary.initiatives as u64, "initiative"),
                    count(summary.goals as u64, "goal"),
                    self.key_named(Scope::Global, "help"),
                    self.key_named(Scope::Backlog, "remove_sample"),
                )),
                Err(e) => self.error("could not load the register", e),
            },
            Err(e) => self.error("could not write the sample register", e),
        }
    }

    /// `D` on the dashboard: asks first, and only when there is a sample.
    pub(super) fn ask_remove_sample(&mut self) {
        match sample::present(&self.store) {
            Ok(true) => self.mode = Mode::Confirm(Question::RemoveSample),
            Ok(false) => self.info("no sample rows here to remove".into()),
            Err(e) => self.error("could not look for the sample", e),
        }
    }

    pub(super) fn remove_sample(&mut self) {
        let removal = match sample::remove(&mut self.store) {
            Ok(r) => r,
            Err(e) => return self.error("could not remove the sample (nothing changed)", e),
        };
        // Undo entries may name rows that are gone now; replaying one would
        // fail or bring back half an initiative.
        self.history.clear();
        if let Err(e) = self.reload() {
            return self.error("could not reload the register", e);
        }
        let kept = removal.changed.len() + removal.parents.len();
        let tail = if kept > 0 {
            format!("; kept {kept} you changed or built on")
        } else {
            String::new()
        };
        self.info(format!(
            "Removed the sample: {}, {}{tail}",
            count(removal.initiatives as u64, "initiative"),
            count(removal.goals as u64, "goal")
        ));
    }
}
