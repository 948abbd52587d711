//! Reading one cell of a spreadsheet: dates, priorities, efforts, statuses
//! and steps as people and spreadsheets write them.

use chrono::NaiveDate;

use super::super::doc::Stamp;
use super::read::ReadOptions;
use crate::domain::{Effort, Model, Status, dates, fields};

/// Which comes first in a spreadsheet's `3/4/2026`: the day (most of the
/// world) or the month (the United States). `improve import --date-order`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    Dmy,
    Mdy,
}

/// A time in a cell: RFC 3339 (our export) or a date (noon UTC that day).
pub(super) fn when(v: &str, options: &ReadOptions) -> Result<Stamp, String> {
    if let Some(s) = Stamp::parse(v) {
        return crate::domain::fields::timestamp(s.0).map(Stamp);
    }
    date(v, options).map(|d| Stamp(crate::domain::time::noon(d).timestamp()))
}

/// The serial numbers a spreadsheet stores dates as, that are read as
/// dates: five digits, 1927 to 2173. A shorter number in a date column
/// is more likely a year or a mistake than a day of the 1900s.
const SERIALS: std::ops::RangeInclusive<u32> = 10_000..=99_999;

/// A date as spreadsheets write it: ISO (`2026-03-02`, `2026/03/02`, with
/// a time after it or not), the configured `date_format`, a serial number
/// (`46083`, days counted as Excel and LibreOffice count them), or
/// `d/m/yyyy` / `m/d/yyyy` (also with `.` or `-`), whose order is
/// `--date-order`, or plain when the day is over 12 or written with dots
/// (`2.3.2026` is always the 2nd of March).
pub(super) fn date(s: &str, options: &ReadOptions) -> Result<NaiveDate, String> {
    let t = s.trim();
    let not_a_date = || {
        format!(
            "{t:?} is not a date (expected YYYY-MM-DD, d/m/yyyy, m/d/yyyy or a spreadsheet's date number such as 46083)"
        )
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    // A serial date, perhaps with a time of day as its fraction (after a
    // decimal point or, in much of Europe, a comma).
    let whole = t
        .split_once(['.', ','])
        .map_or(t, |(w, f)| if digits(f) { w } else { "" });
    if digits(whole) {
        return match whole.parse::<u32>() {
            Ok(n) if SERIALS.contains(&n) => Ok(serial(n)),
            _ => Err(not_a_date()),
        };
    }
    // A date-time keeps its date.
    let head = t.split([' ', 'T']).next().unwrap_or(t);
    let parts: Vec<&str> = head.split(['-', '/', '.']).collect();
    let n = |p: &str| p.parse::<u32>().unwrap_or(0);
    let short = |p: &str| digits(p) && p.len() <= 2;
    if let [y, m, d] = parts.as_slice()
        && y.len() == 4
        && digits(y)
        && short(m)
        && short(d)
    {
        return dates::calendar(n(y) as i32, n(m), n(d)).map_err(|why| format!("{t:?}: {why}"));
    }
    // The configured format says the order, unless --date-order says
    // otherwise.
    if options.date_order.is_none()
        && let Some(read) = options.dates.as_ref().and_then(|f| f.read_own(t))
    {
        return read;
    }
    let [a, b, y] = parts.as_slice() else {
        return Err(not_a_date());
    };
    if !(y.len() == 4 && digits(y) && short(a) && short(b)) {
        return Err(not_a_date());
    }
    let (a, b, y) = (n(a), n(b), n(y) as i32);
    let order = match options.date_order {
        Some(o) => o,
        None if head.contains('.') || a > 12 || a == b => DateOrder::Dmy,
        None if b > 12 => DateOrder::Mdy,
        None => {
            let month = |m: u32| {
                NaiveDate::from_ymd_opt(2000, m, 1)
                    .map_or(String::new(), |d| d.format("%B").to_string())
            };
            return Err(format!(
                "{t:?} could be {a} {} or {} {b}: say which with --date-order dmy or --date-order mdy",
                month(b),
                month(a),
            ));
        }
    };
    let (d, m) = match order {
        DateOrder::Dmy => (a, b),
        DateOrder::Mdy => (b, a),
    };
    dates::calendar(y, m, d).map_err(|why| format!("{t:?}: {why}"))
}

/// A spreadsheet's date number: days since 30 December 1899, which puts
/// 1 on 1 January 1900 past the 29 February 1900 that Lotus 1-2-3 counted
/// and Excel kept (numbers from 61 on, all of [`SERIALS`]).
fn serial(n: u32) -> NaiveDate {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date");
    epoch + chrono::Days::new(u64::from(n))
}

pub(super) fn priority(s: &str) -> Result<u8, String> {
    let t = s.trim().to_ascii_lowercase();
    let n = match t.as_str() {
        "critical" | "highest" => 1,
        "high" => 2,
        "medium" | "normal" => 3,
        "low" => 4,
        "lowest" => 5,
        _ => t
            .trim_start_matches('p')
            .parse::<i64>()
            .map_err(|_| format!("{s:?} is not a priority (expected 1-5)"))?,
    };
    fields::priority(n)
}

pub(super) fn value(s: &str) -> Result<u8, String> {
    match s.trim().parse::<i64>() {
        Ok(n) => fields::value(n),
        Err(_) => Err(format!("{s:?} is not a number (expected 1-10)")),
    }
}

pub(super) fn effort(s: &str) -> Result<Effort, String> {
    let t = s.trim().to_ascii_lowercase();
    let t = match t.as_str() {
        "small" => "s",
        "medium" => "m",
        "large" => "l",
        "xlarge" | "x-large" | "extra large" => "xl",
        other => other,
    };
    t.parse::<Effort>().map_err(|e| e.0)
}

/// A status as trackers and spreadsheets word it: "Not started", "In
/// progress", "Blocked", "Done", "Cancelled", "Won't do"...
pub(super) fn status(s: &str) -> Result<Status, String> {
    let words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    match words.join(" ").as_str() {
        "open" | "new" | "active" | "not started" | "to do" | "todo" | "backlog" | "planned"
        | "proposed" | "idea" | "in progress" | "started" | "ongoing" | "doing" | "wip"
        | "underway" | "under way" | "in review" | "review" => Ok(Status::Active),
        "done" | "closed" | "complete" | "completed" | "finished" | "resolved"
        | "implemented" | "delivered" => Ok(Status::Done),
        "cancelled" | "canceled" | "withdrawn" | "rejected" | "abandoned" | "dropped"
        | "declined" | "won't do" | "wont do" | "will not do" => Ok(Status::Cancelled),
        "on hold" | "onhold" | "paused" | "hold" | "blocked" | "waiting" | "deferred"
        | "postponed" | "parked" => Ok(Status::OnHold),
        _ => s.parse::<Status>().map_err(|_| {
            format!(
                "{:?} is not a status (expected e.g. Not started, In progress, Blocked, On hold, Done or Cancelled)",
                s.trim()
            )
        }),
    }
}

pub(super) fn step(s: &str, model: &Model) -> Result<i64, String> {
    let t = s.trim();
    let found = model.find_step(t).or_else(|| {
        // "4 Plan" (as our list prints it) or a step's full name.
        let first = t.split_whitespace().next().unwrap_or("");
        model.find_step(first).or_else(|| {
            model
                .steps()
                .find(|st| model.def(*st).name.eq_ignore_ascii_case(t))
        })
    });
    found.map(|st| i64::from(st.number())).ok_or_else(|| {
        format!(
            "{t:?} is not a step of {} (expected 1-{} or a name such as \"plan\")",
            model.name,
            model.len()
        )
    })
}

pub(super) fn area(s: &str) -> Result<String, String> {
    fields::area(s).map(Into::into)
}

pub(super) fn closure(s: &str) -> Result<String, String> {
    fields::closure_code(s).map(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_as_spreadsheets_write_them() {
        let read = |t: &str| date(t, &ReadOptions::default());
        let order = |o| ReadOptions {
            date_order: Some(o),
            dates: None,
        };
        assert_eq!(read("2026-03-02"), Ok(day(2026, 3, 2)));
        assert_eq!(read("2026/3/2 09:00"), Ok(day(2026, 3, 2)));
        assert_eq!(read("2026-03-02T09:00:00Z"), Ok(day(2026, 3, 2)));
        // Serial numbers as Excel and LibreOffice count them.
        assert_eq!(read("46000"), Ok(day(2025, 12, 9)));
        assert_eq!(read("45658"), Ok(day(2025, 1, 1)));
        assert_eq!(read("46083.5"), Ok(day(2026, 3, 2)));
        assert_eq!(read("46083,75"), Ok(day(2026, 3, 2)));
        // Plain without an order: a day over 12, the same both ways, dots.
        assert_eq!(read("13/4/2026"), Ok(day(2026, 4, 13)));
        assert_eq!(read("4/13/2026"), Ok(day(2026, 4, 13)));
        assert_eq!(read("5/5/2026"), Ok(day(2026, 5, 5)));
        assert_eq!(read("02.03.2026"), Ok(day(2026, 3, 2)));
        // Ambiguous without one, read as told with one.
        assert_eq!(
            read("3/4/2026"),
            Err("\"3/4/2026\" could be 3 April or March 4: say which with --date-order dmy or --date-order mdy".into())
        );
        assert_eq!(
            date("3/4/2026", &order(DateOrder::Dmy)),
            Ok(day(2026, 4, 3))
        );
        assert_eq!(
            date("3/4/2026", &order(DateOrder::Mdy)),
            Ok(day(2026, 3, 4))
        );
        assert_eq!(
            date("31/4/2026", &order(DateOrder::Dmy)),
            Err("\"31/4/2026\": April 2026 has no day 31".into())
        );
        for bad in ["2026", "soon", "1/2/26", "123456", "2026-02-30", "46000x"] {
            assert!(read(bad).is_err(), "{bad}");
        }
        // The configured format reads what it writes, and says the order.
        let configured = |f: &str| ReadOptions {
            date_order: None,
            dates: Some(dates::DateFormat::parse(f).unwrap()),
        };
        assert_eq!(
            date("3/4/2026", &configured("%d/%m/%Y")),
            Ok(day(2026, 4, 3))
        );
        assert_eq!(
            date("2 March 2026", &configured("%e %B %Y")),
            Ok(day(2026, 3, 2))
        );
        assert_eq!(date("46083", &configured("%e %B %Y")), Ok(day(2026, 3, 2)));
    }

    #[test]
    fn status_words_from_trackers_are_understood() {
        for (words, want) in [
            ("Not started", Status::Active),
            ("In Progress", Status::Active),
            ("in_progress", Status::Active),
            ("To-do", Status::Active),
            ("Blocked", Status::OnHold),
            ("On hold", Status::OnHold),
            ("on_hold", Status::OnHold),
            ("Done", Status::Done),
            ("Completed", Status::Done),
            ("Cancelled", Status::Cancelled),
            ("Won't do", Status::Cancelled),
        ] {
            assert_eq!(status(words), Ok(want), "{words}");
        }
        assert!(
            status("Sleeping")
                .unwrap_err()
                .contains("Not started, In progress")
        );
    }
}
