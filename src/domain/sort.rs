//! Backlog sort orders, cycled with `s`.

use std::cmp::Ordering;

use chrono::Utc;
use chrono::{DateTime, Datelike};

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

    /// Indices of `rows` in this order: exactly what sorting them with
    /// [`SortOrder::compare`] gives (ids are unique, so every order is
    /// total), but from a small key extracted once per row and sorted
    /// without touching the rows again: 100,000 rows of 200 bytes through
    /// a comparator miss the cache at every step.
    pub fn sorted(self, rows: &[BacklogRow]) -> Vec<u32> {
        let closed = |r: &BacklogRow| !r.status.is_open();
        match self {
            SortOrder::Priority => by_key(rows, BacklogRow::backlog_order),
            SortOrder::Score => by_key(rows, |r| {
                // Best first: the descending order of `total_cmp`.
                (closed(r), !total_key(score(r.value, r.effort)), r.id)
            }),
            SortOrder::Due => by_key(rows, |r| {
                let due = r.due.map(|d| d.num_days_from_ce());
                (closed(r), due.is_none(), due.unwrap_or(0), r.id)
            }),
            SortOrder::AgeInStep => by_key(rows, |r| (closed(r), r.step_entered_at, r.id)),
            SortOrder::Id => by_key(rows, |r| r.id),
        }
    }
}

/// Keeps `order` (indices of `rows` sorted by `sort`) sorted after row `i`
/// changed in place from `old` to what `rows[i]` is now: two binary
/// searches and a move of the indices between, not a new sort.
pub fn reposition(
    sort: SortOrder,
    order: &mut [u32],
    rows: &[BacklogRow],
    i: usize,
    old: &BacklogRow,
    now: DateTime<Utc>,
) {
    let at = |x: u32| -> &BacklogRow {
        if x as usize == i {
            old
        } else {
            &rows[x as usize]
        }
    };
    let from = order.partition_point(|&x| sort.compare(at(x), old, now) == Ordering::Less);
    debug_assert_eq!(order.get(from), Some(&(i as u32)), "order was not sorted");
    // The new place among the other rows (those before `from`, then after).
    let new = &rows[i];
    let before = |x: &u32| sort.compare(&rows[*x as usize], new, now) == Ordering::Less;
    let to = match order[..from].partition_point(before) {
        p if p < from => p,
        _ => from + order[from + 1..].partition_point(before),
    };
    if to < from {
        order[to..=from].rotate_right(1);
    } else {
        order[from..=to].rotate_left(1);
    }
}

/// Keeps `order` sorted after row `i` joined `rows` (pushed last): one
/// binary search and a move of the indices after it.
pub fn insert(
    sort: SortOrder,
    order: &mut Vec<u32>,
    rows: &[BacklogRow],
    i: usize,
    now: DateTime<Utc>,
) {
    let new = &rows[i];
    let at =
        order.partition_point(|&x| sort.compare(&rows[x as usize], new, now) == Ordering::Less);
    order.insert(at, i as u32);
}

/// Keeps `order` the order of `rows` after row `i` left them (the rows
/// after it moved up one): a pass over the indices, no comparison.
pub fn remove(order: &mut Vec<u32>, i: usize) {
    let i = i as u32;
    order.retain(|&x| x != i);
    for x in order.iter_mut().filter(|x| **x > i) {
        *x -= 1;
    }
}

/// `f64::total_cmp` as an integer order.
fn total_key(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

fn by_key<K: Ord>(rows: &[BacklogRow], key: impl Fn(&BacklogRow) -> K) -> Vec<u32> {
    // The result is allocated before the keys (several times its size), so
    // that the keys, freed first, are the newest allocation and go back to
    // the system instead of leaving a hole under the result.
    let mut order = Vec::with_capacity(rows.len());
    let mut keyed: Vec<(K, u32)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (key(r), i as u32))
        .collect();
    keyed.sort_unstable();
    order.extend(keyed.into_iter().map(|(_, i)| i));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rng::Rng;
    use crate::domain::{Effort, Model, Status};
    use chrono::{Duration, NaiveDate, TimeZone};

    /// How widely `random_row` spreads each value: narrow spreads make the
    /// order rest on tie-breaks.
    struct Spread {
        priorities: u64,
        values: u64,
        due_days: u64,
        hours: u64,
    }

    fn random_row(rng: &mut Rng, id: i64, t0: DateTime<Utc>, spread: &Spread) -> BacklogRow {
        let model = Model::itil4();
        let mut next = |n: u64| rng.below(n);
        BacklogRow {
            title: String::new(),
            step: model.step(1 + next(7) as i64).unwrap(),
            status: Status::ALL[next(4) as usize],
            priority: 1 + next(spread.priorities) as u8,
            value: next(spread.values) as u8,
            effort: Effort::ALL[next(4) as usize],
            due: (next(3) > 0).then(|| {
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
                    + Duration::days(next(spread.due_days) as i64 - spread.due_days as i64 / 2)
            }),
            step_entered_at: t0
                + Duration::seconds(next(spread.hours) as i64 * 3600 + next(2) as i64),
            ..BacklogRow::example(id, t0)
        }
    }

    #[test]
    fn sorted_keys_give_exactly_the_comparator_order() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mut rng = Rng(0x2545_F491_4F6C_DD1Du64);
        // Few distinct values, so most of the order rests on tie-breaks.
        let spread = Spread {
            priorities: 5,
            values: 11,
            due_days: 40,
            hours: 5,
        };
        let mut rows: Vec<BacklogRow> = (0..2_000)
            .map(|i| {
                let id = (rng.below(1_000_000) as i64) * 2_000 + i;
                random_row(&mut rng, id, t0, &spread)
            })
            .collect();
        rows[0].due = NaiveDate::from_ymd_opt(-40, 1, 1);
        for order in SortOrder::ALL {
            let mut expected: Vec<u32> = (0..rows.len() as u32).collect();
            expected.sort_by(|&a, &b| order.compare(&rows[a as usize], &rows[b as usize], t0));
            assert_eq!(order.sorted(&rows), expected, "{order:?}");
        }
    }

    #[test]
    fn a_changed_row_is_repositioned_where_a_full_sort_puts_it() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15u64);
        let spread = Spread {
            priorities: 5,
            values: 11,
            due_days: 80,
            hours: 20,
        };
        let mut random_row = |id: i64| random_row(&mut rng, id, t0, &spread);
        let mut rows: Vec<BacklogRow> = (0..300).map(|i| random_row(i * 7 % 300)).collect();
        for sort in SortOrder::ALL {
            let mut order = sort.sorted(&rows);
            for _ in 0..500 {
                let i = (random_row(0).value as usize * 31 + random_row(0).priority as usize * 7)
                    % rows.len();
                let mut new = random_row(rows[i].id);
                if new.value % 3 == 0 {
                    // Sometimes nothing the order reads changes.
                    new = rows[i].clone();
                }
                let old = std::mem::replace(&mut rows[i], new);
                reposition(sort, &mut order, &rows, i, &old, t0);
                assert_eq!(order, sort.sorted(&rows), "{sort:?}");
            }
        }
    }

    #[test]
    fn rows_joining_and_leaving_keep_every_order_what_a_full_sort_gives() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let mut rng = Rng(0x51_7CC1_B727_220Au64);
        let spread = Spread {
            priorities: 3,
            values: 4,
            due_days: 20,
            hours: 5,
        };
        let mut random_row = |id: i64| random_row(&mut rng, id, t0, &spread);
        let mut rows: Vec<BacklogRow> = (0..200).map(&mut random_row).collect();
        let mut orders = SortOrder::ALL.map(|sort| sort.sorted(&rows));
        for id in 200..600 {
            if random_row(0).value % 2 == 0 && !rows.is_empty() {
                let i = (random_row(0).priority as usize * 53 + id as usize) % rows.len();
                rows.remove(i);
                for order in &mut orders {
                    remove(order, i);
                }
            } else {
                rows.push(random_row(id));
                for (sort, order) in SortOrder::ALL.into_iter().zip(&mut orders) {
                    insert(sort, order, &rows, rows.len() - 1, t0);
                }
            }
            for (sort, order) in SortOrder::ALL.into_iter().zip(&orders) {
                assert_eq!(*order, sort.sorted(&rows), "{sort:?}");
            }
        }
    }

    #[test]
    fn cycles_through_every_order_and_back() {
        let mut s = SortOrder::default();
        for _ in 0..SortOrder::ALL.len() {
            s = s.next();
        }
        assert_eq!(s, SortOrder::Priority);
    }
}
