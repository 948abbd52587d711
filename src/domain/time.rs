//! Time as the app sees it: one "now" captured per update, so a frame never
//! mixes two different todays and tests can fix the clock.

use std::time::{SystemTime, UNIX_EPOCH};

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
            Clock::System => from_system(SystemTime::now()),
            Clock::Fixed(t) => t,
        }
    }

    /// Today's date where the user is (UTC for a fixed clock, so snapshots do
    /// not depend on the machine's zone).
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::System => from_system(SystemTime::now())
                .with_timezone(&Local)
                .date_naive(),
            Clock::Fixed(t) => t.date_naive(),
        }
    }
}

/// The earliest instant the app works with: 0001-01-01T00:00:00Z, the
/// start of the years a register stores as usual (`schema.rs`).
pub const EARLIEST: i64 = -62_135_596_800;
/// The latest: 9999-12-31T23:59:59Z, so a date never needs five digits.
pub const LATEST: i64 = 253_402_300_799;

/// The system time as a `DateTime`, whatever the machine's clock says.
/// `Utc::now()` panics on a clock before 1970 and `from_timestamp(..)
/// .unwrap()` on one past chrono's range; a clock that wrong gives a wrong
/// today, not a crash. Beyond the years 1-9999 it is held at the nearer end.
pub fn from_system(t: SystemTime) -> DateTime<Utc> {
    let (secs, nanos) = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (
            i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            d.subsec_nanos(),
        ),
        Err(e) => {
            let d = e.duration();
            // Before the epoch: -1.25 s is -2 s + 0.75 s.
            let whole = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            match d.subsec_nanos() {
                0 => (whole.saturating_neg(), 0),
                n => (
                    (whole.saturating_add(1)).saturating_neg(),
                    1_000_000_000 - n,
                ),
            }
        }
    };
    let secs = secs.clamp(EARLIEST, LATEST);
    DateTime::from_timestamp(secs, nanos).unwrap_or(DateTime::UNIX_EPOCH)
}

/// A fixed instant from a date, at noon UTC.
pub fn noon(date: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(12, 0, 0).expect("noon exists"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::time::Duration;

    #[test]
    fn a_clock_before_1970_or_far_ahead_is_a_date_not_a_panic() {
        let before = UNIX_EPOCH - Duration::from_millis(1_250);
        assert_eq!(
            from_system(before),
            DateTime::from_timestamp(-2, 750_000_000).unwrap()
        );
        let t = from_system(UNIX_EPOCH - Duration::from_secs(86_400 * 365));
        assert_eq!(t.date_naive().to_string(), "1969-01-01");
        // Far past and far future: held at the ends of the years 1-9999.
        assert_eq!(
            from_system(UNIX_EPOCH - Duration::from_secs(1 << 40)).timestamp(),
            EARLIEST
        );
        if let Some(far) = UNIX_EPOCH.checked_add(Duration::from_secs(1 << 60)) {
            assert_eq!(from_system(far).timestamp(), LATEST);
        }
        assert_eq!(from_system(UNIX_EPOCH), DateTime::UNIX_EPOCH);
        // The system clock itself, whatever it says here.
        let _ = (Clock::System.now(), Clock::System.today());
    }

    proptest! {
        #[test]
        fn any_system_time_gives_an_instant_in_range(
            secs in any::<u64>(), nanos in 0u32..1_000_000_000, past in any::<bool>()
        ) {
            let d = Duration::new(secs, nanos);
            let t = if past { UNIX_EPOCH.checked_sub(d) } else { UNIX_EPOCH.checked_add(d) };
            if let Some(t) = t {
                let now = from_system(t);
                prop_assert!((EARLIEST..=LATEST).contains(&now.timestamp()));
                // Inside the range it is exact.
                let exact = if past { -(d.as_nanos() as i128) } else { d.as_nanos() as i128 };
                let got = i128::from(now.timestamp()) * 1_000_000_000
                    + i128::from(now.timestamp_subsec_nanos());
                let lo = i128::from(EARLIEST) * 1_000_000_000;
                let hi = i128::from(LATEST) * 1_000_000_000;
                if exact >= lo && exact <= hi {
                    prop_assert_eq!(got, exact);
                }
                let _ = now.with_timezone(&Local).date_naive();
            }
        }
    }
}
