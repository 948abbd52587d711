//! A filter prepared to match many rows: free-text terms through a SIMD
//! substring searcher and the rows' byte masks, built once per filter.

use chrono::{DateTime, NaiveDate, Utc};
use memchr::memmem;

use super::haystacks::{byte_bit, byte_mask};
use super::{Haystack, Status, Term};

enum Prepared<'a> {
    Text {
        finder: Box<memmem::Finder<'a>>,
        /// The bytes of the text: a row must have them all.
        mask: u128,
        /// Whether a row having them all means it contains the text.
        by_mask: bool,
    },
    Other(&'a Term),
}

/// A [`Filter`](super::Filter) ready to match rows (see
/// [`Filter::matcher`](super::Filter::matcher)).
pub struct Matcher<'a> {
    terms: Vec<Prepared<'a>>,
}

impl<'a> Matcher<'a> {
    /// `terms` prepared for matching.
    pub(super) fn new(terms: &'a [Term]) -> Matcher<'a> {
        Matcher {
            terms: terms
                .iter()
                .map(|t| match t {
                    Term::Text(text) => {
                        let bytes = text.as_bytes();
                        Prepared::Text {
                            finder: Box::new(memmem::Finder::new(bytes)),
                            mask: byte_mask(bytes),
                            // One printable byte: its bit says it all.
                            by_mask: bytes.len() == 1 && byte_bit(bytes[0]) != 127,
                        }
                    }
                    t => Prepared::Other(t),
                })
                .collect(),
        }
    }

    /// The bytes every row that matches has (of all free-text terms).
    pub fn required_mask(&self) -> u128 {
        self.terms.iter().fold(0, |m, t| match t {
            Prepared::Text { mask, .. } => m | mask,
            Prepared::Other(_) => m,
        })
    }

    /// Whether a row's mask alone decides: every term is one printable
    /// character (a row matches when it has all of them).
    pub fn decided_by_mask(&self) -> bool {
        self.terms
            .iter()
            .all(|t| matches!(t, Prepared::Text { by_mask: true, .. }))
    }

    /// Whether [`Matcher::matches_masked`] with this row mask reads the
    /// row's text at all (not when the mask decides every free-text term).
    pub fn reads_text(&self, row_mask: u128) -> bool {
        self.terms.iter().any(|t| {
            matches!(t, Prepared::Text { mask, by_mask, .. } if mask & !row_mask == 0 && !by_mask)
        })
    }

    /// Whether a row passes every term (as [`Filter::matches`](super::Filter::matches)),
    /// given the row's [`byte_mask`] if known: a term with a byte the row
    /// lacks fails without reading the text.
    pub fn matches_masked(
        &self,
        h: &Haystack<'_>,
        row_mask: Option<u128>,
        now: DateTime<Utc>,
        today: NaiveDate,
        stale_days: i64,
    ) -> bool {
        self.terms.iter().all(|term| match term {
            Prepared::Text {
                finder,
                mask,
                by_mask,
            } => match row_mask {
                Some(row_mask) if mask & !row_mask != 0 => false,
                Some(_) if *by_mask => true,
                _ => finder.find(h.text.as_bytes()).is_some(),
            },
            Prepared::Other(term) => match term {
                Term::Text(t) => h.text.contains(t.as_str()),
                Term::Step(steps) => steps
                    .iter()
                    .any(|(model, step)| h.row.step == *step && *h.row.model == **model),
                Term::Model(id) => *h.row.model == **id,
                Term::Status(s) => h.row.status == *s,
                Term::Open(open) => h.row.status.is_open() == *open,
                Term::Owner(o) => lowercase_contains(&h.row.owner, o),
                Term::Tag(t) => h.row.tags.split(',').any(|tag| lowercase_eq(tag.trim(), t)),
                Term::Goal(g) => h.goal.is_some_and(|name| name.contains(g.as_str())),
                Term::Overdue => h.row.is_overdue(today),
                Term::Stale => {
                    h.row.status == Status::Active && h.row.days_in_step(now) >= stale_days
                }
            },
        })
    }
}

/// `field.to_lowercase().contains(lower)`, without a new string when the
/// field is ASCII (almost always).
fn lowercase_contains(field: &str, lower: &str) -> bool {
    if !field.is_ascii() {
        return field.to_lowercase().contains(lower);
    }
    let (field, lower) = (field.as_bytes(), lower.as_bytes());
    lower.is_empty()
        || field
            .windows(lower.len())
            .any(|w| w.eq_ignore_ascii_case(lower))
}

/// `field.to_lowercase() == lower`, without a new string when the field is
/// ASCII.
fn lowercase_eq(field: &str, lower: &str) -> bool {
    if !field.is_ascii() {
        return field.to_lowercase() == lower;
    }
    field.len() == lower.len() && field.as_bytes().eq_ignore_ascii_case(lower.as_bytes())
}
