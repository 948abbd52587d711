//! The backlog as the user sees it: every row of the register with its
//! search text and kept sort orders, the filter and the sort that pick and
//! order the rows shown, and where the selection and the scroll are.
//!
//! Pure: no store and no clock of its own. What filtering depends on
//! besides the rows (the time, the staleness threshold, the goals' names)
//! comes in with each call, so it is tested without SQLite.

use chrono::{DateTime, NaiveDate, Utc};

use super::action::Action;
use crate::domain::BacklogRow;
use crate::domain::detail::Goal;
use crate::domain::filter::{Filter, Haystack, Haystacks};
use crate::domain::sort::{self, SortOrder, reposition};

/// Rows from which a filter pass over the text runs on two threads.
const PARALLEL_FILTER_ROWS: usize = 20_000;

/// Every row with the filter's search text and every sort order, made
/// together where the rows are read (in the background at start), so that
/// no key pays for them.
pub(super) struct Loaded {
    rows: Vec<BacklogRow>,
    haystacks: Haystacks,
    orders: [Vec<u32>; 5],
}

impl Loaded {
    pub(super) fn new(rows: Vec<BacklogRow>, haystacks: Haystacks) -> Loaded {
        let orders = SortOrder::ALL.map(|sort| sort.sorted(&rows));
        Loaded {
            rows,
            haystacks,
            orders,
        }
    }
}

/// What a filter depends on besides the rows.
#[derive(Clone, Copy)]
pub(super) struct FilterContext<'a> {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub stale_days: i64,
    /// For `goal:` terms.
    pub goals: &'a [Goal],
}

pub(super) struct BacklogView {
    /// The whole register, in load order (the table's; new rows last).
    rows: Vec<BacklogRow>,
    /// Lowercased search text per row, kept with the rows.
    haystacks: Haystacks,
    /// Per sort order (as in `SortOrder::ALL`), every row's index in that
    /// order: sorted with the load, then kept sorted through rows changed
    /// in place, joining or leaving.
    orders: [Vec<u32>; 5],
    /// The highest id in `rows` (the backlog's id column is this wide).
    max_id: i64,
    filter_query: String,
    filter: Filter,
    sort: SortOrder,
    /// What the backlog shows: indices into `rows`, filtered and sorted.
    view: Vec<usize>,
    /// Whether `view` is exactly the filter over the rows as they are now
    /// (rows changed in place keep their place and stay shown, so after a
    /// write it may not be).
    view_exact: bool,
    /// When `view` was last filtered from all rows (`is:stale` depends on it).
    view_now: DateTime<Utc>,
    /// The filters the current one narrowed, with their views, newest last:
    /// Backspace goes back to them without filtering again.
    earlier: Vec<(Filter, Vec<usize>)>,
    /// The memory of a view left by Backspace, for the next one.
    spare: Vec<usize>,
    /// Index into `view`.
    selected: usize,
    /// First backlog row on screen; kept here so leaving and coming back to
    /// a view restores the scroll position.
    offset: usize,
    /// Backlog rows on screen.
    page: usize,
}

/// `hits[i] = test(i)` for every `i`, split over two threads if `parallel`.
fn fill(hits: &mut [bool], parallel: bool, test: impl Fn(usize) -> bool + Sync) {
    let run = |from: usize, part: &mut [bool]| {
        for (offset, hit) in part.iter_mut().enumerate() {
            *hit = test(from + offset);
        }
    };
    if parallel {
        let half = hits.len() / 2;
        let (first, second) = hits.split_at_mut(half);
        std::thread::scope(|s| {
            s.spawn(|| run(half, second));
            run(0, first);
        });
    } else {
        run(0, hits);
    }
}

impl BacklogView {
    /// No rows yet.
    pub(super) fn new(now: DateTime<Utc>) -> BacklogView {
        BacklogView {
            rows: Vec::new(),
            haystacks: Haystacks::default(),
            orders: Default::default(),
            max_id: 0,
            filter_query: String::new(),
            filter: Filter::default(),
            sort: SortOrder::default(),
            view: Vec::new(),
            view_exact: false,
            view_now: now,
            earlier: Vec::new(),
            spare: Vec::new(),
            selected: 0,
            offset: 0,
            page: 10,
        }
    }

    /// Replaces every row, with its search text and sort orders. The view
    /// is not rebuilt: call [`BacklogView::rebuild`] next.
    pub(super) fn install(&mut self, loaded: Loaded) {
        Loaded {
            rows: self.rows,
            haystacks: self.haystacks,
            orders: self.orders,
        } = loaded;
        self.max_id = self.rows.iter().map(|r| r.id).max().unwrap_or(0);
    }

    // Reading.

    /// Every row, in load order.
    pub(super) fn rows(&self) -> &[BacklogRow] {
        &self.rows
    }
    pub(super) fn haystacks(&self) -> &Haystacks {
        &self.haystacks
    }
    /// The highest id among the rows (0 with none).
    pub(super) fn max_id(&self) -> i64 {
        self.max_id
    }
    /// How many rows the view shows.
    pub(super) fn len(&self) -> usize {
        self.view.len()
    }
    /// The `i`-th row shown.
    pub(super) fn visible(&self, i: usize) -> Option<&BacklogRow> {
        self.view.get(i).map(|&r| &self.rows[r])
    }
    pub(super) fn selected(&self) -> usize {
        self.selected
    }
    pub(super) fn selected_row(&self) -> Option<&BacklogRow> {
        self.visible(self.selected)
    }
    pub(super) fn row_by_id(&self, id: i64) -> Option<&BacklogRow> {
        self.rows.iter().find(|r| r.id == id)
    }
    pub(super) fn offset(&self) -> usize {
        self.offset
    }
    pub(super) fn page(&self) -> usize {
        self.page
    }
    pub(super) fn filter_query(&self) -> &str {
        &self.filter_query
    }
    pub(super) fn filter(&self) -> &Filter {
        &self.filter
    }
    pub(super) fn sort(&self) -> SortOrder {
        self.sort
    }

    /// The row with this id, as an index into `rows` (a pass over the ids).
    pub(super) fn index_of(&self, id: i64) -> Option<usize> {
        // The selected row is the usual one.
        match self.view.get(self.selected) {
            Some(&i) if self.rows.get(i).is_some_and(|r| r.id == id) => Some(i),
            _ => self.rows.iter().position(|r| r.id == id),
        }
    }

    /// The index into `rows` of the selected row.
    pub(super) fn selected_at(&self) -> Option<usize> {
        self.view.get(self.selected).copied()
    }

    /// For tests: whether every kept sort order is what sorting the rows
    /// again gives, and there is one search text per row.
    pub(super) fn check_orders(&self) -> Result<(), String> {
        if self.haystacks.len() != self.rows.len() {
            return Err(format!(
                "{} search texts for {} rows",
                self.haystacks.len(),
                self.rows.len()
            ));
        }
        for (sort, order) in SortOrder::ALL.iter().zip(&self.orders) {
            if *order != sort.sorted(&self.rows) {
                return Err(format!("the kept {sort:?} order is not sorted"));
            }
        }
        Ok(())
    }

    // The selection and the scroll.

    /// Moves the selection as a navigation key says. Returns whether it
    /// moved.
    pub(super) fn navigate(&mut self, action: &Action) -> bool {
        let last = self.view.len().saturating_sub(1);
        let page = self.page.max(1);
        let target = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => (self.selected + page).min(last),
            _ => self.selected,
        };
        self.select(target)
    }

    /// Selects the `i`-th row shown, if there is one. Returns whether the
    /// selection moved.
    pub(super) fn select(&mut self, i: usize) -> bool {
        if i >= self.view.len() || i == self.selected {
            return false;
        }
        self.selected = i;
        self.clamp_offset();
        true
    }

    /// Selects row `at` (an index into `rows`) if it is shown.
    pub(super) fn select_at(&mut self, at: usize) -> bool {
        match self.view.iter().position(|&r| r == at) {
            Some(i) => {
                self.selected = i;
                self.clamp_offset();
                true
            }
            None => false,
        }
    }

    /// The backlog shows `page` rows, of `shown` (more than the view holds
    /// while the register is still loading).
    pub(super) fn set_page(&mut self, page: usize, shown: usize) {
        self.page = page.max(1);
        self.clamp_offset_in(shown);
    }

    /// Scrolls so the selection is on screen, and no further than the last
    /// page.
    pub(super) fn clamp_offset(&mut self) {
        self.clamp_offset_in(self.view.len());
    }

    fn clamp_offset_in(&mut self, shown: usize) {
        let page = self.page.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(shown.saturating_sub(page));
    }

    /// Puts the selection on row `keep` if it is shown, else keeps the
    /// position within the view.
    fn select_row(&mut self, keep: Option<usize>) {
        self.selected = keep
            .and_then(|k| self.view.iter().position(|&i| i == k))
            .unwrap_or(self.selected)
            .min(self.view.len().saturating_sub(1));
        self.clamp_offset();
    }

    // The filter and the sort.

    /// Every row's index in the current sort order.
    fn order(&self) -> &[u32] {
        let slot = SortOrder::ALL
            .iter()
            .position(|s| *s == self.sort)
            .unwrap_or(0);
        &self.orders[slot]
    }

    /// Filters and sorts again, keeping the selection on the initiative
    /// `keep` if it is still shown.
    pub(super) fn rebuild_keeping(&mut self, keep: Option<i64>, cx: &FilterContext) {
        let keep = keep.and_then(|id| self.index_of(id));
        self.rebuild(keep, cx);
    }

    /// Filters all rows again, in the current sort order, keeping the
    /// selection on row `keep` (an index into `rows`) if it is still shown.
    pub(super) fn rebuild(&mut self, keep: Option<usize>, cx: &FilterContext) {
        self.earlier.clear();
        // Into the old view's memory: fresh pages cost more than copying.
        let mut view = std::mem::take(&mut self.view);
        view.clear();
        if self.filter.is_empty() {
            view.extend(self.order().iter().map(|&i| i as usize));
        } else {
            // One pass in row order (memory order), then the order picks.
            let hits = self.filter_rows(None, cx);
            view.extend(
                self.order()
                    .iter()
                    .map(|&i| i as usize)
                    .filter(|&i| hits[i]),
            );
        }
        self.view = view;
        self.view_exact = true;
        self.view_now = cx.now;
        self.select_row(keep);
    }

    /// The next sort order, keeping the selection on the same row.
    pub(super) fn next_sort(&mut self, cx: &FilterContext) {
        let keep = self.selected_at();
        self.sort = self.sort.next();
        self.rebuild(keep, cx);
    }

    /// Shows every row again (to select one a filter hides).
    pub(super) fn clear_filter(&mut self, keep: Option<usize>, cx: &FilterContext) {
        self.filter_query.clear();
        self.filter = Filter::default();
        self.rebuild(keep, cx);
    }

    /// Which rows pass the filter, as a flag per row; only rows flagged in
    /// `candidates` (all when `None`) are looked at, in row order, which is
    /// memory order.
    fn filter_rows(&self, candidates: Option<&[bool]>, cx: &FilterContext) -> Vec<bool> {
        let (now, today, stale_days) = (cx.now, cx.today, cx.stale_days);
        let (rows, haystacks) = (&self.rows, &self.haystacks);
        let goal_names: std::collections::HashMap<i64, String> = if self.filter.uses_goals() {
            cx.goals
                .iter()
                .map(|g| (g.id, g.name.to_lowercase()))
                .collect()
        } else {
            Default::default()
        };
        let matcher = self.filter.matcher();
        let (required, by_mask) = (matcher.required_mask(), matcher.decided_by_mask());
        let mut hits = vec![false; rows.len()];
        if by_mask {
            // One-letter terms only: the masks alone, a tight loop.
            for (i, (hit, mask)) in hits.iter_mut().zip(haystacks.masks()).enumerate() {
                *hit = mask & required == required && candidates.is_none_or(|c| c[i]);
            }
            return hits;
        }
        // Only what a term needs is read: a one-letter query looks at the
        // masks alone, not at the rows or their text.
        let test = |i: usize| {
            if candidates.is_some_and(|c| !c[i]) {
                return false;
            }
            let row = &rows[i];
            let goal = if goal_names.is_empty() {
                None
            } else {
                row.goal_id
                    .and_then(|g| goal_names.get(&g))
                    .map(String::as_str)
            };
            let mask = haystacks.mask(i);
            if mask & required != required {
                return false;
            }
            let text = if matcher.reads_text(mask) {
                haystacks.text(i)
            } else {
                ""
            };
            let h = Haystack { row, text, goal };
            matcher.matches_masked(&h, Some(mask), now, today, stale_days)
        };
        // A term that must read most rows' text (the second character of a
        // query, when the first is in every row) reads megabytes: two
        // threads nearly halve it on a large register (5.0 to 2.9 ms for
        // `ro` at 100,000).
        fill(&mut hits, rows.len() >= PARALLEL_FILTER_ROWS, test);
        hits
    }

    /// Applies a new filter typed as `query`. Typing one more character
    /// narrows the shown rows instead of filtering all of them; Backspace
    /// goes back to the view before it. Both give exactly what filtering
    /// every row would (a test checks), and fall back to that when they
    /// could not: after a write, or for `is:stale` once the clock moved.
    pub(super) fn set_filter(&mut self, query: String, filter: Filter, cx: &FilterContext) {
        self.filter_query = query;
        let keep = self.selected_at();
        let now = cx.now;
        let reusable = |f: &Filter| f.is_empty() || now == self.view_now || !f.uses_clock();
        if !self.view_exact || !reusable(&filter) || !reusable(&self.filter) {
            self.filter = filter;
            return self.rebuild(keep, cx);
        }
        if filter == self.filter {
            return;
        }
        if let Some(back) = self.earlier.iter().rposition(|(f, _)| *f == filter) {
            self.earlier.truncate(back + 1);
            let (f, view) = self.earlier.pop().expect("just found");
            self.filter = f;
            self.spare = std::mem::replace(&mut self.view, view);
        } else if filter.narrows(&self.filter) {
            let previous = std::mem::replace(&mut self.filter, filter);
            // Every row shown (no filter before): no need to say which.
            let candidates = (self.view.len() < self.rows.len()).then(|| {
                let mut c = vec![false; self.rows.len()];
                for &i in &self.view {
                    c[i] = true;
                }
                c
            });
            let hits = self.filter_rows(candidates.as_deref(), cx);
            let mut view = std::mem::take(&mut self.spare);
            view.clear();
            view.extend(self.view.iter().copied().filter(|&i| hits[i]));
            let previous_view = std::mem::replace(&mut self.view, view);
            self.earlier.push((previous, previous_view));
        } else {
            self.filter = filter;
            return self.rebuild(keep, cx);
        }
        self.select_row(keep);
    }

    // Rows changed by a write, one at a time. Rows changed in place keep
    // their place in the view so the selection does not jump; rows joining
    // or leaving need a `rebuild` after.

    /// Row `i` as read back, with its description. Returns the row it
    /// replaced if the row itself changed (the description is not in the
    /// row: only the search text shows that it changed).
    pub(super) fn update_row(
        &mut self,
        i: usize,
        row: BacklogRow,
        description: &str,
        now: DateTime<Utc>,
    ) -> Option<BacklogRow> {
        let text = self.haystacks.set(i, &row, description);
        let old = if self.rows[i] != row {
            let old = std::mem::replace(&mut self.rows[i], row);
            for (sort, order) in SortOrder::ALL.iter().zip(self.orders.iter_mut()) {
                reposition(*sort, order, &self.rows, i, &old, now);
            }
            Some(old)
        } else if !text {
            return None;
        } else {
            None
        };
        // The row stays where it is shown, so the view may no longer be what
        // filtering every row would give.
        self.view_exact = false;
        self.earlier.clear();
        old
    }

    /// A new row, last in load order.
    pub(super) fn push_row(&mut self, row: BacklogRow, description: &str, now: DateTime<Utc>) {
        self.haystacks.push(&row, description);
        self.max_id = self.max_id.max(row.id);
        self.rows.push(row);
        let i = self.rows.len() - 1;
        for (sort, order) in SortOrder::ALL.iter().zip(self.orders.iter_mut()) {
            sort::insert(*sort, order, &self.rows, i, now);
        }
    }

    /// Takes row `i` out (its index in the kept orders and the view's no
    /// longer hold until the next `rebuild`).
    pub(super) fn remove_row(&mut self, i: usize) -> BacklogRow {
        let row = self.rows.remove(i);
        if row.id == self.max_id {
            self.max_id = self.rows.iter().map(|r| r.id).max().unwrap_or(0);
        }
        for order in &mut self.orders {
            sort::remove(order, i);
        }
        self.haystacks.remove(i);
        row
    }
}

#[cfg(test)]
mod tests;
