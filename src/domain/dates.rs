//! How dates are shown to people: a strftime format from the configuration,
//! checked once so that writing a date can never fail or emit anything a
//! terminal would interpret. Machine formats (JSON, CSV, form input) stay
//! ISO 8601 whatever this says.

use std::fmt::Write as _;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, NaiveDate, Utc};

use unicode_width::UnicodeWidthStr;

/// The ISO 8601 calendar date, the default.
pub const ISO: &str = "%Y-%m-%d";

/// A checked strftime format for calendar dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    format: String,
    /// The widest date this format writes, in terminal columns, so that
    /// columns of dates line up whatever the month or weekday.
    width: usize,
}

impl Default for DateFormat {
    fn default() -> Self {
        DateFormat::parse(ISO).expect("the ISO format is valid")
    }
}

impl DateFormat {
    /// Accepts a format that chrono reads, that writes a calendar date (no
    /// time of day or zone, which a date does not have) and that contains
    /// no control characters.
    pub fn parse(format: &str) -> Result<DateFormat, String> {
        if format.trim().is_empty() {
            return Err("date_format is empty".into());
        }
        if format.chars().any(char::is_control) {
            return Err("date_format contains a control character".into());
        }
        if StrftimeItems::new(format).any(|i| matches!(i, Item::Error)) {
            return Err(format!(
                "date_format \"{format}\" is not a valid strftime format (e.g. \"%d.%m.%Y\")"
            ));
        }
        let mut width = 0;
        for date in samples() {
            let mut out = String::new();
            if write!(out, "{}", date.format(format)).is_err() {
                return Err(format!(
                    "date_format \"{format}\" asks for more than a date has (a time of day or a zone?)"
                ));
            }
            width = width.max(out.width());
        }
        if width > 40 {
            return Err(format!(
                "date_format \"{format}\" writes dates of {width} columns (at most 40)"
            ));
        }
        Ok(DateFormat {
            format: format.to_string(),
            width,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.format
    }

    /// A calendar date.
    pub fn date(&self, d: NaiveDate) -> String {
        d.format(&self.format).to_string()
    }

    /// The calendar date of an instant, in UTC as the register stores it.
    pub fn day(&self, at: DateTime<Utc>) -> String {
        self.date(at.date_naive())
    }

    /// An instant to the minute: the date, then `HH:MM`.
    pub fn stamp(&self, at: DateTime<Utc>) -> String {
        format!("{} {}", self.day(at), at.format("%H:%M"))
    }

    /// Columns of the widest date.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Columns of the widest stamp.
    pub fn stamp_width(&self) -> usize {
        self.width + 6
    }
}

/// Every day of a leap year: between them they give each combination of
/// month and weekday name, and every day and week number, its widest form.
fn samples() -> impl Iterator<Item = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date");
    first.iter_days().take(366)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn iso_is_the_default() {
        let f = DateFormat::default();
        assert_eq!(f.as_str(), ISO);
        assert_eq!(f.date(day(2026, 3, 2)), "2026-03-02");
        assert_eq!(f.width(), 10);
    }

    #[test]
    fn other_formats_write_dates_their_way() {
        let f = DateFormat::parse("%d.%m.%Y").unwrap();
        assert_eq!(f.date(day(2026, 3, 2)), "02.03.2026");
        let f = DateFormat::parse("%e %B %Y").unwrap();
        assert_eq!(f.date(day(2026, 5, 2)), " 2 May 2026");
        // "September" is the longest month name.
        assert_eq!(f.width(), 2 + 1 + 9 + 1 + 4);
        // Wednesday the 27th of September, the widest of all.
        let f = DateFormat::parse("%A %e %B %Y").unwrap();
        assert_eq!(f.width(), "Wednesday 27 September 2000".len());
        let at = DateTime::parse_from_rfc3339("2026-03-02T09:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(f.stamp(at), "Monday  2 March 2026 09:05");
    }

    #[test]
    fn formats_that_cannot_write_a_date_are_refused() {
        for bad in [
            "",
            "  ",
            "%Q",
            "%Y-%m-%d %H:%M",
            "%z",
            "%Y\u{1b}[31m",
            "%Y\n",
        ] {
            assert!(DateFormat::parse(bad).is_err(), "{bad:?} was accepted");
        }
        let long = "%B ".repeat(10);
        assert!(DateFormat::parse(&long).is_err());
    }
}
