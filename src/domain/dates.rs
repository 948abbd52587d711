//! How dates are shown to people: a strftime format from the configuration,
//! checked once so that writing a date can never fail or emit anything a
//! terminal would interpret; and how dates are read from people, in that
//! format, ISO 8601 or words such as `tomorrow` and `+2w`. Machine formats
//! (JSON, CSV export) stay ISO 8601 whatever this says.

use std::fmt::Write as _;

use chrono::format::{Item, ParseErrorKind, Parsed, StrftimeItems};
use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};

use unicode_width::UnicodeWidthStr;

use super::fields::{FIRST_YEAR, LAST_YEAR};

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

/// Why a typed date was not read: its form, or a day the calendar lacks
/// (`2026-02-30` is written right but February has no day 30).
fn no_such_day(y: i32, m: u32, d: u32) -> String {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&y) {
        return format!("the year {y} is outside {FIRST_YEAR}-{LAST_YEAR}");
    }
    if !(1..=12).contains(&m) {
        return format!("there is no month {m}");
    }
    match NaiveDate::from_ymd_opt(y, m, 1) {
        Some(first) => format!("{} has no day {d}", first.format("%B %Y")),
        None => format!("the year {y} is outside {FIRST_YEAR}-{LAST_YEAR}"),
    }
}

/// A calendar date from its numbers, or what is wrong with them.
pub fn calendar(y: i32, m: u32, d: u32) -> Result<NaiveDate, String> {
    NaiveDate::from_ymd_opt(y, m, d)
        .filter(|d| (FIRST_YEAR..=LAST_YEAR).contains(&d.year()))
        .ok_or_else(|| no_such_day(y, m, d))
}

/// `YYYY-MM-DD`, with `strict` exactly that (the stored form, which JSON
/// carries); without it months and days may have one digit. `None` when the
/// text does not have the form at all; an error when it has but names no day.
fn iso_parts(t: &str, strict: bool) -> Option<Result<NaiveDate, String>> {
    let mut parts = t.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let short = if strict { 2 } else { 1 };
    if parts.next().is_some() || !digits(y, 4..=4) || !digits(m, short..=2) || !digits(d, short..=2)
    {
        return None;
    }
    let n = |s: &str| s.parse::<u32>().unwrap_or(0);
    Some(calendar(n(y) as i32, n(m), n(d)))
}

/// The stored form of a date, exactly `YYYY-MM-DD` in the years 1-9999.
pub fn iso(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    match iso_parts(t, true) {
        Some(read) => read.map_err(|why| format!("{t:?}: {why}")),
        None => Err(format!("{t:?} is not a date (expected YYYY-MM-DD)")),
    }
}

/// `monday`, `mon`, `next monday`: the weekday a word names.
fn weekday(word: &str) -> Option<Weekday> {
    let word = word.strip_prefix("next ").unwrap_or(word).trim();
    if word.len() < 3 {
        return None;
    }
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .find(|d| {
        let name = match d {
            Weekday::Mon => "monday",
            Weekday::Tue => "tuesday",
            Weekday::Wed => "wednesday",
            Weekday::Thu => "thursday",
            Weekday::Fri => "friday",
            Weekday::Sat => "saturday",
            Weekday::Sun => "sunday",
        };
        name.starts_with(word)
    })
}

/// `+3d`, `-1d`, `+2w`: days from today. The sign is needed: `--since 3d`
/// means three days ago, so a bare `3d` would read two ways.
fn offset(word: &str) -> Option<i64> {
    let (sign, rest) = match word.as_bytes().first()? {
        b'+' => (1, &word[1..]),
        b'-' => (-1, &word[1..]),
        _ => return None,
    };
    let (num, week) = match (rest.strip_suffix('d'), rest.strip_suffix('w')) {
        (Some(num), _) => (num, false),
        (_, Some(num)) => (num, true),
        _ => return None,
    };
    if num.is_empty() || !num.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = num.parse::<i64>().unwrap_or(i64::MAX).min(4_000_000);
    Some(sign * if week { n * 7 } else { n })
}

impl DateFormat {
    /// A date as people type it: ISO (`2026-03-02`, `2026-3-2`), this
    /// format (`02.03.2026` under `%d.%m.%Y`), `today`, `tomorrow`,
    /// `yesterday`, `+3d`, `-1d`, `+2w`, or a weekday name (the next such
    /// day after today). The error says whether the form or the day is
    /// wrong.
    pub fn read(&self, text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
        let t = text.trim();
        let word = t.to_lowercase();
        let relative = match word.as_str() {
            "today" => Some(0),
            "tomorrow" => Some(1),
            "yesterday" => Some(-1),
            w => offset(w),
        };
        if let Some(days) = relative {
            return today
                .checked_add_signed(chrono::Duration::days(days))
                .filter(|d| (FIRST_YEAR..=LAST_YEAR).contains(&d.year()))
                .ok_or_else(|| format!("{t:?} is outside the years {FIRST_YEAR}-{LAST_YEAR}"));
        }
        if let Some(day) = weekday(&word) {
            let ahead =
                (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
            let ahead = if ahead == 0 { 7 } else { ahead };
            return Ok(today + chrono::Duration::days(i64::from(ahead)));
        }
        if let Some(read) = iso_parts(t, false) {
            return read.map_err(|why| format!("{t:?}: {why}"));
        }
        if let Some(read) = self.read_own(t) {
            return read;
        }
        Err(format!("{t:?} is not a date: {}", self.hint()))
    }

    /// A date in this format only (not ISO, which every reader takes):
    /// `None` when the text is not in its form (or the format is ISO), an
    /// error when it is but names no day.
    pub fn read_own(&self, text: &str) -> Option<Result<NaiveDate, String>> {
        let t = text.trim();
        if self.format == ISO {
            return None;
        }
        let mut parsed = Parsed::new();
        match chrono::format::parse(&mut parsed, t, StrftimeItems::new(&self.format)) {
            Ok(()) => Some(match parsed.to_naive_date() {
                Ok(d) if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) => Ok(d),
                _ => {
                    let why = match (parsed.year(), parsed.month(), parsed.day()) {
                        (Some(y), Some(m), Some(d)) => no_such_day(y, m, d),
                        _ => "no such day".to_string(),
                    };
                    Err(format!("{t:?}: {why}"))
                }
            }),
            Err(e) if e.kind() == ParseErrorKind::OutOfRange => Some(Err(format!(
                "{t:?} has the form {} but no such month or day",
                self.example()
            ))),
            Err(_) => None,
        }
    }

    /// What [`DateFormat::read`] takes, for error messages and help.
    pub fn hint(&self) -> String {
        let own = if self.format == ISO {
            String::new()
        } else {
            format!(" or {}", self.example())
        };
        format!("give 2026-03-02{own}, today, tomorrow, +3d, +2w or a weekday")
    }

    fn example(&self) -> String {
        let example = NaiveDate::from_ymd_opt(2026, 3, 2).expect("a valid date");
        self.date(example).trim().to_string()
    }
}

/// A warning for a due date already past when it is saved: allowed (a
/// register catches up on old work) but most likely a slip.
pub fn past_due(due: NaiveDate, today: NaiveDate, dates: &DateFormat) -> Option<String> {
    (due < today).then(|| format!("the due date {} is already past", dates.date(due)))
}

/// A warning for a measurement dated after today.
pub fn future_measurement(on: NaiveDate, today: NaiveDate, dates: &DateFormat) -> Option<String> {
    (on > today).then(|| format!("the measurement is dated {}, in the future", dates.date(on)))
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

    #[test]
    fn people_type_dates_many_ways() {
        // Tuesday the 1st of December 2026.
        let today = day(2026, 12, 1);
        let iso = DateFormat::default();
        let read = |t: &str| iso.read(t, today);
        assert_eq!(read("2026-03-02"), Ok(day(2026, 3, 2)));
        assert_eq!(read(" 2026-3-2 "), Ok(day(2026, 3, 2)));
        assert_eq!(read("today"), Ok(today));
        assert_eq!(read("Tomorrow"), Ok(day(2026, 12, 2)));
        assert_eq!(read("yesterday"), Ok(day(2026, 11, 30)));
        assert_eq!(read("+3d"), Ok(day(2026, 12, 4)));
        assert_eq!(read("-1d"), Ok(day(2026, 11, 30)));
        assert_eq!(read("+2w"), Ok(day(2026, 12, 15)));
        // Weekdays are the next such day, a week on when it is today's.
        assert_eq!(read("friday"), Ok(day(2026, 12, 4)));
        assert_eq!(read("Mon"), Ok(day(2026, 12, 7)));
        assert_eq!(read("tuesday"), Ok(day(2026, 12, 8)));
        assert_eq!(read("next wed"), Ok(day(2026, 12, 2)));
        let dotted = DateFormat::parse("%d.%m.%Y").unwrap();
        assert_eq!(dotted.read("02.03.2026", today), Ok(day(2026, 3, 2)));
        assert_eq!(dotted.read("2026-03-02", today), Ok(day(2026, 3, 2)));
        let named = DateFormat::parse("%e %B %Y").unwrap();
        assert_eq!(named.read("2 March 2026", today), Ok(day(2026, 3, 2)));
    }

    #[test]
    fn a_wrong_date_says_whether_the_form_or_the_day_is_wrong() {
        let today = day(2026, 12, 1);
        let iso = DateFormat::default();
        let err = |f: &DateFormat, t: &str| f.read(t, today).unwrap_err();
        assert_eq!(
            err(&iso, "2026-02-30"),
            "\"2026-02-30\": February 2026 has no day 30"
        );
        assert_eq!(
            err(&iso, "2026-13-01"),
            "\"2026-13-01\": there is no month 13"
        );
        assert_eq!(
            err(&iso, "soon"),
            "\"soon\" is not a date: give 2026-03-02, today, tomorrow, +3d, +2w or a weekday"
        );
        for bad in ["3d", "+3x", "+d", "mo", "+-3d", "3\u{e9}", "0000-01-01", ""] {
            assert!(iso.read(bad, today).is_err(), "{bad:?}");
        }
        let dotted = DateFormat::parse("%d.%m.%Y").unwrap();
        assert_eq!(
            err(&dotted, "30.02.2026"),
            "\"30.02.2026\": February 2026 has no day 30"
        );
        assert!(err(&dotted, "32.01.2026").contains("the form 02.03.2026 but no such"));
        assert!(
            err(&dotted, "2/3/2026")
                .ends_with("give 2026-03-02 or 02.03.2026, today, tomorrow, +3d, +2w or a weekday")
        );
        // The stored form stays strict, and says what is wrong with a day.
        assert_eq!(
            super::iso("2026-02-29"),
            Err("\"2026-02-29\": February 2026 has no day 29".into())
        );
        assert!(super::iso("2026-3-2").is_err() && super::iso("tomorrow").is_err());
    }

    #[test]
    fn past_due_dates_and_future_measurements_are_warned_about() {
        let (today, f) = (day(2026, 12, 1), DateFormat::default());
        assert_eq!(
            past_due(day(2026, 11, 30), today, &f).as_deref(),
            Some("the due date 2026-11-30 is already past")
        );
        assert!(past_due(today, today, &f).is_none());
        assert!(future_measurement(today, today, &f).is_none());
        assert!(future_measurement(day(2026, 12, 2), today, &f).is_some());
    }
}
