//! The backlog view without a register: rows made here, filtered, sorted
//! and selected as keys would.

use chrono::{NaiveDate, TimeZone, Utc};

use super::{BacklogView, FilterContext, Loaded, fill};
use crate::app::Action;
use crate::domain::detail::Goal;
use crate::domain::filter::{Filter, Haystacks};
use crate::domain::sort::SortOrder;
use crate::domain::{BacklogRow, Effort, Model, Models, Status};

const OWNERS: [&str; 3] = ["alex", "robin", "sam"];
const WORDS: [&str; 6] = ["router", "rota", "backup", "roster", "tickets", "route"];

fn row(id: i64) -> BacklogRow {
    let m = Model::itil4();
    let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let n = id as usize;
    BacklogRow {
        id,
        title: format!(
            "{} {}",
            WORDS[n % WORDS.len()],
            WORDS[(n / 2) % WORDS.len()]
        ),
        model: m.id.as_str().into(),
        step: m.step((n % 7) as i64 + 1).unwrap(),
        status: if n.is_multiple_of(5) {
            Status::OnHold
        } else {
            Status::Active
        },
        priority: (n % 5) as u8 + 1,
        value: (n % 10) as u8 + 1,
        effort: Effort::M,
        owner: OWNERS[n % OWNERS.len()].into(),
        due: NaiveDate::from_ymd_opt(2026, 2, 1 + (n % 27) as u32),
        created_at: t0 + chrono::Duration::hours(id),
        step_entered_at: t0 + chrono::Duration::hours(id * 3 % 50),
        done_at: None,
        closed_at: None,
        returns: 0,
        tags: "".into(),
        goal_id: n.is_multiple_of(4).then_some(1),
        unsuccessful: false,
    }
}

fn loaded(rows: Vec<BacklogRow>) -> Loaded {
    let haystacks = Haystacks::new(rows.iter().map(|r| (r, "a description")));
    Loaded::new(rows, haystacks)
}

fn goals() -> Vec<Goal> {
    vec![Goal {
        id: 1,
        name: "Faster Service".into(),
        description: String::new(),
    }]
}

fn models() -> Models {
    Models::from(Model::itil4())
}

/// A view of `n` rows (ids 1..=n), all shown, `page` rows on screen.
fn view(n: i64, page: usize, goals: &[Goal]) -> BacklogView {
    let mut v = BacklogView::new(cx(goals).now);
    v.install(loaded((1..=n).map(row).collect()));
    v.set_page(page, n as usize);
    v.rebuild(None, &cx(goals));
    v
}

fn cx(goals: &[Goal]) -> FilterContext<'_> {
    FilterContext {
        now: Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        stale_days: 14,
        goals,
    }
}

fn shown_ids(v: &BacklogView) -> Vec<i64> {
    (0..v.len()).map(|i| v.visible(i).unwrap().id).collect()
}

/// What filtering every row with `query` from scratch shows.
fn fresh(v: &BacklogView, query: &str, goals: &[Goal]) -> Vec<i64> {
    let mut f = BacklogView::new(cx(goals).now);
    f.install(loaded(v.rows().to_vec()));
    f.sort = v.sort;
    f.set_filter(query.into(), Filter::parse(query, &models()), &cx(goals));
    shown_ids(&f)
}

fn type_query(v: &mut BacklogView, query: &str, goals: &[Goal]) {
    v.set_filter(query.into(), Filter::parse(query, &models()), &cx(goals));
}

#[test]
fn typing_narrows_and_backspace_goes_back_to_exactly_the_full_filter() {
    let goals = goals();
    let mut v = view(200, 10, &goals);
    let typed = ["r", "ro", "rou", "rout", "route", "route o", "route ow"];
    for query in typed {
        type_query(&mut v, query, &goals);
        assert_eq!(shown_ids(&v), fresh(&v, query, &goals), "typing {query:?}");
    }
    // Each narrowing kept the view before it.
    assert_eq!(v.earlier.len(), typed.len());
    for query in typed.iter().rev().skip(1) {
        type_query(&mut v, query, &goals);
        assert_eq!(shown_ids(&v), fresh(&v, query, &goals), "back to {query:?}");
    }
    // Backspace took the kept views, and kept the memory of the one left.
    assert_eq!(v.earlier.len(), 1);
    assert!(v.spare.capacity() > 0);
    type_query(&mut v, "", &goals);
    assert_eq!(v.len(), 200);
    assert_eq!(v.filter_query(), "");
}

#[test]
fn a_filter_that_does_not_narrow_filters_every_row_again() {
    let goals = goals();
    let mut v = view(120, 10, &goals);
    type_query(&mut v, "router", &goals);
    type_query(&mut v, "backup", &goals);
    assert!(v.earlier.is_empty());
    assert_eq!(shown_ids(&v), fresh(&v, "backup", &goals));
    assert!(!shown_ids(&v).is_empty());
}

#[test]
fn goal_terms_use_the_goals_given() {
    let goals = goals();
    let mut v = view(40, 10, &goals);
    type_query(&mut v, "goal:faster", &goals);
    let ids = shown_ids(&v);
    assert_eq!(ids.len(), 10, "every fourth row has the goal: {ids:?}");
    assert!(ids.iter().all(|id| id % 4 == 0));
    let mut none = view(40, 10, &[]);
    type_query(&mut none, "goal:faster", &[]);
    assert_eq!(none.len(), 0);
}

#[test]
fn every_sort_order_shows_the_rows_sorted_and_keeps_the_selection() {
    let goals = goals();
    let mut v = view(60, 10, &goals);
    v.navigate(&Action::PageDown);
    v.navigate(&Action::Down);
    let chosen = v.selected_row().unwrap().id;
    for _ in SortOrder::ALL {
        v.next_sort(&cx(&goals));
        let expected: Vec<i64> = v
            .sort()
            .sorted(v.rows())
            .into_iter()
            .map(|i| v.rows()[i as usize].id)
            .collect();
        assert_eq!(shown_ids(&v), expected, "{:?}", v.sort());
        assert_eq!(v.selected_row().unwrap().id, chosen, "{:?}", v.sort());
        let (sel, off) = (v.selected(), v.offset());
        assert!(off <= sel && sel < off + 10, "on screen: {sel} from {off}");
    }
    assert_eq!(v.sort(), SortOrder::default(), "all the way round");
}

#[test]
fn the_selection_stays_on_its_row_while_shown_and_in_place_when_not() {
    let goals = goals();
    let mut v = view(100, 10, &goals);
    for _ in 0..30 {
        v.navigate(&Action::Down);
    }
    let chosen = v.selected_row().unwrap().clone();
    let word = chosen.title.split(' ').next().unwrap().to_string();
    type_query(&mut v, &word, &goals);
    assert_eq!(v.selected_row().unwrap().id, chosen.id);
    // Filtered out: the position holds, within the rows shown.
    type_query(&mut v, "owner:nobody", &goals);
    assert_eq!(v.len(), 0);
    assert_eq!(v.selected_row(), None);
    type_query(&mut v, "", &goals);
    assert_eq!(v.selected(), 0);
    assert!(v.select_at(v.index_of(chosen.id).unwrap()));
    v.rebuild_keeping(Some(chosen.id), &cx(&goals));
    assert_eq!(v.selected_row().unwrap().id, chosen.id);
}

#[test]
fn the_offset_follows_the_selection_and_never_passes_the_last_page() {
    let goals = goals();
    let mut v = view(25, 10, &goals);
    assert!(!v.navigate(&Action::Up), "already at the top");
    v.navigate(&Action::PageDown);
    assert_eq!((v.selected(), v.offset()), (10, 1));
    v.navigate(&Action::Bottom);
    assert_eq!((v.selected(), v.offset()), (24, 15));
    v.navigate(&Action::Top);
    assert_eq!((v.selected(), v.offset()), (0, 0));
    v.navigate(&Action::Bottom);
    // A taller screen scrolls back so no blank rows show under the last.
    v.set_page(20, v.len());
    assert_eq!(v.offset(), 5);
    v.set_page(40, v.len());
    assert_eq!(v.offset(), 0);
    // While loading, more rows show than the view holds yet.
    v.set_page(10, 1000);
    assert_eq!(v.offset(), 15);
    assert!(!v.select(25), "past the last row");
    assert!(v.select(3));
    assert_eq!(v.offset(), 3);
}

#[test]
fn a_row_changed_in_place_keeps_its_place_until_the_filter_runs_again() {
    let goals = goals();
    let now = cx(&goals).now;
    let mut v = view(50, 10, &goals);
    type_query(&mut v, "router", &goals);
    let before = shown_ids(&v);
    let i = v.selected_at().unwrap();
    let mut changed = v.rows()[i].clone();
    changed.title = "nothing alike".into();
    changed.priority = 1;
    let old = v.update_row(i, changed.clone(), "a description", now);
    assert_ne!(old.unwrap().title, changed.title);
    assert_eq!(shown_ids(&v), before, "still shown where it was");
    assert!(!v.view_exact);
    v.check_orders().unwrap();
    // The same row again: nothing to do.
    assert!(v.update_row(i, changed, "a description", now).is_none());
    // One more character filters every row again, so it is gone.
    type_query(&mut v, "router ", &goals);
    type_query(&mut v, "router b", &goals);
    assert_eq!(shown_ids(&v), fresh(&v, "router b", &goals));
}

#[test]
fn rows_joining_and_leaving_keep_the_orders_sorted_and_the_largest_id() {
    let goals = goals();
    let now = cx(&goals).now;
    let mut v = view(30, 10, &goals);
    v.push_row(row(99), "new one", now);
    assert_eq!(v.max_id(), 99);
    v.rebuild_keeping(Some(99), &cx(&goals));
    assert_eq!(v.selected_row().unwrap().id, 99);
    v.check_orders().unwrap();
    let i = v.index_of(99).unwrap();
    assert_eq!(v.remove_row(i).id, 99);
    assert_eq!(v.max_id(), 30);
    v.rebuild_keeping(Some(99), &cx(&goals));
    v.check_orders().unwrap();
    assert_eq!(v.len(), 30);
    assert!(v.row_by_id(99).is_none());
    assert!(v.selected() < 30);
}

#[test]
fn filling_on_two_threads_gives_what_one_thread_gives() {
    let test = |i: usize| i.is_multiple_of(3) || i % 7 == 1;
    for len in 0..40 {
        let (mut one, mut two) = (vec![false; len], vec![true; len]);
        fill(&mut one, false, test);
        fill(&mut two, true, test);
        let expected: Vec<bool> = (0..len).map(test).collect();
        assert_eq!(one, expected, "one thread, {len}");
        assert_eq!(two, expected, "two threads, {len}");
    }
}
