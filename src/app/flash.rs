//! The footer's one-line messages: what a key did, or why it did nothing.
//! Store errors never end the dashboard; they become one of these.

use std::fmt::Display;

use super::state::App;

/// A one-line message in the footer until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
}

impl App {
    pub(super) fn info(&mut self, text: String) {
        self.flash = Some(Flash { text, error: false });
    }

    /// What was done, and a warning about it if there is one (a due date
    /// already past): the save stands, the footer says both.
    pub(super) fn info_warned(&mut self, text: String, warning: Option<String>) {
        match warning {
            Some(w) => self.info(format!("{text}; warning: {w}")),
            None => self.info(text),
        }
    }

    pub(super) fn fail(&mut self, text: String) {
        self.flash = Some(Flash { text, error: true });
    }

    /// Says in the footer that nothing can be changed, and why.
    pub(super) fn refuse_read_only(&mut self) {
        self.fail(self.settings.refusal());
    }

    pub(super) fn error(&mut self, what: &str, e: impl Display) {
        self.fail(format!("{what}: {e}"));
    }
}
