//! What the configuration and the command line set for the dashboard: when
//! work is stale, how dates read, and whether (and why) nothing may be
//! written. The keymap is kept beside them in `App`.

use crate::domain::DateFormat;
use crate::domain::metrics;

#[derive(Debug, Clone)]
pub(super) struct Settings {
    /// Days without a move after which an active initiative is stale.
    stale_days: i64,
    /// How dates are shown and read.
    date_format: DateFormat,
    /// Why the register cannot be changed (`--read-only`, or a file or
    /// folder without write permission); every write is refused with it.
    read_only: Option<String>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            stale_days: metrics::DEFAULT_STALE_DAYS,
            date_format: DateFormat::default(),
            read_only: None,
        }
    }
}

impl Settings {
    pub(super) fn stale_days(&self) -> i64 {
        self.stale_days
    }

    /// At least one day. Returns whether it changed.
    pub(super) fn set_stale_days(&mut self, days: i64) -> bool {
        let days = days.max(1);
        std::mem::replace(&mut self.stale_days, days) != days
    }

    pub(super) fn date_format(&self) -> &DateFormat {
        &self.date_format
    }

    pub(super) fn set_date_format(&mut self, format: DateFormat) {
        self.date_format = format;
    }

    pub(super) fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    /// From now on every write is refused, saying `why`; `None` allows
    /// writes again.
    pub(super) fn set_read_only(&mut self, why: Option<String>) {
        self.read_only = why;
    }

    /// What the footer says when a write is refused.
    pub(super) fn refusal(&self) -> String {
        let why = self.read_only.as_deref().unwrap_or("read-only");
        format!("read-only: {why}; nothing can be changed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_days_are_at_least_one_and_say_when_they_change() {
        let mut s = Settings::default();
        assert_eq!(s.stale_days(), metrics::DEFAULT_STALE_DAYS);
        assert!(s.set_stale_days(0));
        assert_eq!(s.stale_days(), 1);
        assert!(!s.set_stale_days(-5), "still one");
        assert!(s.set_stale_days(30));
        assert!(!s.set_stale_days(30));
    }

    #[test]
    fn a_refusal_says_why() {
        let mut s = Settings::default();
        assert!(!s.is_read_only());
        s.set_read_only(Some("the file is read-only".into()));
        assert!(s.is_read_only());
        assert_eq!(
            s.refusal(),
            "read-only: the file is read-only; nothing can be changed"
        );
        s.set_read_only(None);
        assert!(!s.is_read_only());
    }

    #[test]
    fn the_date_format_is_kept() {
        let mut s = Settings::default();
        let format = DateFormat::parse("%d.%m.%Y").unwrap();
        s.set_date_format(format.clone());
        assert_eq!(s.date_format(), &format);
    }
}
