//! Time as the app sees it: one "now" captured per update, so a frame never
//! mixes two different todays and tests can fix the clock.

use chrono::{DateTime, Local, NaiveDate, TimeZone, Utc};

/// A clock: the real one, or a fixed instant for tests and snapshots.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => t,
        }
    }

    /// Today's date where the user is (UTC for a fixed clock, so snapshots do
    /// not depend on the machine's zone).
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::System => Local::now().date_naive(),
            Clock::Fixed(t) => t.date_naive(),
        }
    }
}

/// A fixed instant from a date, at noon UTC.
pub fn noon(date: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(12, 0, 0).expect("noon exists"))
}
