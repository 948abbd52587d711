//! One rule per field of the register, shared by the command line, the
//! forms and the importer, so a value one of them accepts is a value every
//! reader of the register (list, show, the dashboard) can read back.
//!
//! Each function returns the typed value or a short "why" that the caller
//! puts after its own "where" (`--due`, a form field, `record 3 (id 7),
//! field due`).

use chrono::{DateTime, NaiveDate};

use super::detail::NoteKind;
use super::{Effort, KpiDirection, Model, Status, Step};

/// The years a date or timestamp may fall in: what `YYYY-MM-DD` can write
/// and what the store's readers and first-frame SQL expect.
pub const FIRST_YEAR: i32 = 1;
pub const LAST_YEAR: i32 = 9999;

/// Unix seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
pub const FIRST_SECOND: i64 = -62_135_596_800;
pub const LAST_SECOND: i64 = 253_402_300_799;

pub fn title(s: &str) -> Result<&str, String> {
    let t = s.trim();
    if t.is_empty() {
        Err("the title is empty".into())
    } else {
        Ok(t)
    }
}

pub fn priority(n: i64) -> Result<u8, String> {
    in_range(n, 1, 5).map(|n| n as u8)
}

pub fn value(n: i64) -> Result<u8, String> {
    in_range(n, 1, 10).map(|n| n as u8)
}

fn in_range(n: i64, lo: i64, hi: i64) -> Result<i64, String> {
    if (lo..=hi).contains(&n) {
        Ok(n)
    } else {
        Err(format!("{n} is out of range (expected {lo}-{hi})"))
    }
}

/// A record's id: positive, so it can be typed as `#N` and never collides
/// with SQLite's choice of a new id.
pub fn id(n: i64) -> Result<i64, String> {
    if n >= 1 {
        Ok(n)
    } else {
        Err(format!("{n} is not an id (ids are whole numbers from 1)"))
    }
}

/// Backward moves so far: a count, as the backlog holds it.
pub fn returns(n: i64) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| format!("{n} is not a count of returns (0-{})", u32::MAX))
}

/// The edit counter behind "changed by someone else": a write adds one, so
/// it must stay far from the end of the integer.
pub fn version(n: i64) -> Result<i64, String> {
    in_range(n, 1, i64::from(u32::MAX))
}

pub fn effort(s: &str) -> Result<Effort, String> {
    s.parse().map_err(|e: super::initiative::ParseError| e.0)
}

pub fn status(s: &str) -> Result<Status, String> {
    s.parse().map_err(|e: super::initiative::ParseError| e.0)
}

pub fn direction(s: &str) -> Result<KpiDirection, String> {
    s.parse().map_err(|e: super::initiative::ParseError| e.0)
}

pub fn note_kind(s: &str) -> Result<NoteKind, String> {
    s.parse().map_err(|e: super::initiative::ParseError| e.0)
}

pub const AREAS: [&str; 3] = ["people", "process", "technology"];
pub const CLOSURE_CODES: [&str; 3] = ["successful", "unsuccessful", "withdrawn"];

/// people, process or technology, in the stored (lowercase) form.
pub fn area(s: &str) -> Result<&'static str, String> {
    one_of(s, &AREAS).ok_or_else(|| {
        format!(
            "{:?} is not an area (expected people, process or technology)",
            s.trim()
        )
    })
}

pub fn closure_code(s: &str) -> Result<&'static str, String> {
    one_of(s, &CLOSURE_CODES).ok_or_else(|| {
        format!(
            "{:?} is not a closure code (expected successful, unsuccessful or withdrawn)",
            s.trim()
        )
    })
}

fn one_of(s: &str, names: &[&'static str]) -> Option<&'static str> {
    let t = s.trim();
    names.iter().copied().find(|n| n.eq_ignore_ascii_case(t))
}

/// A calendar date written exactly `YYYY-MM-DD` (what the store keeps and
/// reads back), in the years 1-9999.
pub fn date(s: &str) -> Result<NaiveDate, String> {
    super::dates::iso(s)
}

/// A moment as unix seconds, in the years 1-9999.
pub fn timestamp(secs: i64) -> Result<i64, String> {
    if (FIRST_SECOND..=LAST_SECOND).contains(&secs) {
        Ok(secs)
    } else {
        let shown = DateTime::from_timestamp(secs, 0)
            .map(|d| d.to_rfc3339())
            .unwrap_or_else(|| format!("{secs} seconds"));
        Err(format!("{shown} is outside the years 1-9999"))
    }
}

/// A step of `model`, by number.
pub fn step(model: &Model, n: i64) -> Result<Step, String> {
    model
        .step(n)
        .ok_or_else(|| format!("{n} is not a step of {} (1-{})", model.name, model.len()))
}

/// A model this version knows, by id.
pub fn model(id: &str) -> Result<Model, String> {
    Model::builtin(id).ok_or_else(|| format!("unknown model {id:?}"))
}

/// A measured number: finite, so sums and gaps stay numbers.
pub fn number(v: f64) -> Result<f64, String> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("{v} is not a finite number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_hold_at_their_edges() {
        assert_eq!(priority(1), Ok(1));
        assert_eq!(priority(5), Ok(5));
        assert!(priority(0).is_err() && priority(6).is_err() && priority(i64::MIN).is_err());
        assert_eq!(value(10), Ok(10));
        assert!(
            value(11)
                .unwrap_err()
                .contains("out of range (expected 1-10)")
        );
        assert_eq!(returns(0), Ok(0));
        assert!(returns(-5).is_err() && returns(i64::MAX).is_err());
        assert!(id(0).is_err() && id(i64::MIN).is_err());
        assert_eq!(id(i64::MAX), Ok(i64::MAX));
        assert!(version(0).is_err() && version(i64::MAX).is_err());
    }

    #[test]
    fn dates_are_the_stored_form_only() {
        assert!(date("2026-03-02").is_ok());
        assert!(date(" 2026-03-02 ").is_ok());
        for bad in [
            "2026-3-2",
            "+12026-03-02",
            "2026-02-30",
            "0000-01-01",
            "tomorrow",
            "",
        ] {
            assert!(date(bad).is_err(), "{bad}");
        }
        assert!(timestamp(FIRST_SECOND).is_ok() && timestamp(LAST_SECOND).is_ok());
        assert!(timestamp(LAST_SECOND + 1).is_err() && timestamp(i64::MIN).is_err());
    }

    #[test]
    fn names_are_matched_ignoring_case() {
        assert_eq!(area("Process"), Ok("process"));
        assert!(area("finance").is_err());
        assert_eq!(closure_code(" withdrawn"), Ok("withdrawn"));
        assert!(effort("XXL").is_err() && status("open").is_err());
        assert!(step(&Model::itil4(), 8).is_err() && step(&Model::itil4(), 7).is_ok());
    }
}
