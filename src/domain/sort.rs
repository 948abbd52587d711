//! Backlog sort orders, cycled with `s`.

use std::cmp::Ordering;

use chrono::DateTime;
use chrono::Utc;

use super::initiative::{BacklogRow, score};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Open work first, then priority, then oldest.
    #[default]
    Priority,
    /// Value over effort, best first.
    Score,
    /// Soonest due first; no due date last.
    Due,
    /// Longest in its current step first.
    AgeInStep,
    Id,
}

impl SortOrder {
    pub const ALL: [SortOrder; 5] = [
        SortOrder::Priority,
        SortOrder::Score,
        SortOrder::Due,
        SortOrder::AgeInStep,
        SortOrder::Id,
    ];

    pub fn next(self) -> SortOrder {
        let i = SortOrder::ALL.iter().position(|s| *s == self).unwrap_or(0);
        SortOrder::ALL[(i + 1) % SortOrder::ALL.len()]
    }

    pub fn label(self) -> &'static str {
        match self {
            SortOrder::Priority => "priority",
            SortOrder::Score => "score",
            SortOrder::Due => "due date",
            SortOrder::AgeInStep => "age in step",
            SortOrder::Id => "id",
        }
    }

    pub fn compare(self, a: &BacklogRow, b: &BacklogRow, _now: DateTime<Utc>) -> Ordering {
        let open = |r: &BacklogRow| !r.status.is_open();
        match self {
            SortOrder::Priority => a.backlog_order().cmp(&b.backlog_order()),
            SortOrder::Score => open(a)
                .cmp(&open(b))
                .then_with(|| score(b.value, b.effort).total_cmp(&score(a.value, a.effort)))
                .then(a.id.cmp(&b.id)),
            SortOrder::Due => open(a)
                .cmp(&open(b))
                .then_with(|| match (a.due, b.due) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                })
                .then(a.id.cmp(&b.id)),
            SortOrder::AgeInStep => open(a)
                .cmp(&open(b))
                .then(a.step_entered_at.cmp(&b.step_entered_at))
                .then(a.id.cmp(&b.id)),
            SortOrder::Id => a.id.cmp(&b.id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_through_every_order_and_back() {
        let mut s = SortOrder::default();
        for _ in 0..SortOrder::ALL.len() {
            s = s.next();
        }
        assert_eq!(s, SortOrder::Priority);
    }
}
