//! The backlog filter: free text plus structured terms.
//!
//! `cert owner:sam step:plan status:active is:overdue goal:cost tag:security model:pdca`
//! Every term must match. Free text matches title, description, owner and
//! tags, case-insensitively. A term with an unknown key is free text, so a
//! title containing a colon can still be found.

use chrono::{DateTime, NaiveDate, Utc};
use memchr::memmem;

use super::initiative::{BacklogRow, Status};
use super::model::Step;
use super::models::Models;
use super::words::{STATUS_WORDS, StatusWord, TERM_KEYS, steps_named};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Text(String),
    /// `step:4` or `step:plan`: models number and name their steps
    /// differently, so the term holds, per model that has such a step,
    /// the model's id and the step.
    Step(Vec<(String, Step)>),
    /// `model:pdca`: the initiatives following that model.
    Model(String),
    Status(Status),
    /// Open (active or on hold) or closed (done or cancelled).
    Open(bool),
    Owner(String),
    Tag(String),
    Goal(String),
    Overdue,
    Stale,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub terms: Vec<Term>,
    /// Terms with an unknown key or value, said in the filter bar.
    problems: Vec<String>,
}

/// What a row is matched against, lowercased once per row.
pub struct Haystack<'a> {
    pub row: &'a BacklogRow,
    /// Lowercased title, description, owner and tags.
    pub text: &'a str,
    /// Lowercased name of the row's goal, if any.
    pub goal: Option<&'a str>,
}

/// The lowercased text free-text terms search: the row's title, its
/// description (not kept in the row: only the filter reads it), owner and
/// tags, each followed by a separator.
pub fn haystack_text(row: &BacklogRow, description: &str) -> String {
    let mut s = String::with_capacity(text_len(row, description));
    push_text(&mut s, row, description);
    s
}

/// The bytes of a row's text as written, before lowercasing (which leaves
/// ASCII as long as it is).
fn text_len(row: &BacklogRow, description: &str) -> usize {
    row.title.len() + description.len() + row.owner.len() + row.tags.len() + 4
}

/// Appends [`haystack_text`] to `s` without a string per part: ASCII (almost
/// all text) is lowercased in place.
fn push_text(s: &mut String, row: &BacklogRow, description: &str) {
    for part in [&*row.title, description, &*row.owner, &*row.tags] {
        if part.is_ascii() {
            let start = s.len();
            s.push_str(part);
            s[start..].make_ascii_lowercase();
        } else {
            s.push_str(&part.to_lowercase());
        }
        s.push('\u{1f}');
    }
}

/// Every row's [`haystack_text`], back to back in one buffer (a full scan
/// reads memory in order instead of chasing 100,000 allocations), with a
/// mask per row of the bytes its text contains: a free-text term with a
/// byte the row lacks is rejected without reading the text, and a
/// one-character term is answered by the mask alone. Built as the rows are
/// read (`push`), so the rows need not keep their descriptions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Haystacks {
    text: String,
    /// Per row, where its text is in `text`.
    spans: Vec<(usize, usize)>,
    masks: Vec<u128>,
    /// Bytes of `text` no row uses any more (rewritten or removed rows).
    garbage: usize,
}

impl Haystacks {
    /// Room for `rows` rows, their text growing as it comes.
    pub fn with_capacity(rows: usize) -> Haystacks {
        Haystacks {
            text: String::new(),
            spans: Vec::with_capacity(rows),
            masks: Vec::with_capacity(rows),
            garbage: 0,
        }
    }

    /// The search text of these rows with their descriptions, in order.
    pub fn new<'a>(rows: impl IntoIterator<Item = (&'a BacklogRow, &'a str)>) -> Haystacks {
        let mut h = Haystacks::default();
        for (row, description) in rows {
            h.push(row, description);
        }
        h.shrink_to_fit();
        h
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn text(&self, i: usize) -> &str {
        let (start, end) = self.spans[i];
        &self.text[start..end]
    }

    pub fn mask(&self, i: usize) -> u128 {
        self.masks[i]
    }

    /// Every row's mask, in row order.
    pub fn masks(&self) -> &[u128] {
        &self.masks
    }

    /// A row joined, after the others.
    pub fn push(&mut self, row: &BacklogRow, description: &str) {
        let start = self.append(row, description);
        self.spans.push((start, self.text.len()));
        self.masks.push(byte_mask(&self.text.as_bytes()[start..]));
    }

    /// Gives back what growing the buffer left unused, once every row is in.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.spans.shrink_to_fit();
        self.masks.shrink_to_fit();
    }

    /// Row `i` changed; its text, if different, is rewritten at the end of
    /// the buffer. Whether it was different.
    pub fn set(&mut self, i: usize, row: &BacklogRow, description: &str) -> bool {
        let (start, end) = self.spans[i];
        let new = self.append(row, description);
        if self.text[start..end] == self.text[new..] {
            self.text.truncate(new);
            return false;
        }
        self.garbage += end - start;
        self.spans[i] = (new, self.text.len());
        self.masks[i] = byte_mask(&self.text.as_bytes()[new..]);
        self.compact_if_sparse();
        true
    }

    /// Appends a row's text; where it starts.
    fn append(&mut self, row: &BacklogRow, description: &str) -> usize {
        let start = self.text.len();
        // Whole rows at a time: grown by doubling, the buffer's unused
        // part is never touched and costs no memory (a realloc of a buffer
        // this large moves pages, it does not copy them).
        self.text.reserve(text_len(row, description));
        push_text(&mut self.text, row, description);
        start
    }

    /// Row `i` left; the rows after it move up one.
    pub fn remove(&mut self, i: usize) {
        let (start, end) = self.spans.remove(i);
        self.masks.remove(i);
        self.garbage += end - start;
        self.compact_if_sparse();
    }

    fn compact_if_sparse(&mut self) {
        if self.garbage > (1 << 20).max(self.text.len() / 2) {
            let mut text = String::with_capacity(self.text.len() - self.garbage);
            for span in &mut self.spans {
                let start = text.len();
                text.push_str(&self.text[span.0..span.1]);
                *span = (start, text.len());
            }
            self.text = text;
            self.garbage = 0;
        }
    }
}

/// Which bytes occur: one bit per printable ASCII byte, and bit 127 for
/// every other byte (controls, the separator, UTF-8).
pub fn byte_mask(bytes: &[u8]) -> u128 {
    bytes.iter().fold(0, |m, &b| m | 1 << byte_bit(b))
}

fn byte_bit(b: u8) -> u32 {
    match b {
        0x20..=0x7e => u32::from(b - 0x20),
        _ => 127,
    }
}

impl Filter {
    pub fn parse(query: &str, models: &Models) -> Filter {
        let mut problems = Vec::new();
        let terms = query
            .split_whitespace()
            .map(|token| {
                let (term, problem) = parse_term(token, models);
                problems.extend(problem);
                term
            })
            .collect();
        Filter { terms, problems }
    }

    /// What the filter did not understand, one line per term (matched as
    /// text meanwhile).
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether any term needs the goal names.
    pub fn uses_goals(&self) -> bool {
        self.terms.iter().any(|t| matches!(t, Term::Goal(_)))
    }

    /// Whether the filter depends on the time of day (`is:stale`), so that
    /// a result computed at another instant cannot be reused.
    pub fn uses_clock(&self) -> bool {
        self.terms.iter().any(|t| matches!(t, Term::Stale))
    }

    /// Whether every row this filter passes also passes `earlier`, so that
    /// its result is `earlier`'s result filtered again: each of `earlier`'s
    /// terms is implied by one of this filter's (the same term, or free
    /// text, owner or goal text that contains the earlier text, as typing
    /// one more character makes it).
    pub fn narrows(&self, earlier: &Filter) -> bool {
        earlier
            .terms
            .iter()
            .all(|old| self.terms.iter().any(|new| implies(new, old)))
    }

    /// Whether a row passes every term; `stale_days` is what `is:stale`
    /// means (the configured days without a move).
    pub fn matches(
        &self,
        h: &Haystack<'_>,
        now: DateTime<Utc>,
        today: NaiveDate,
        stale_days: i64,
    ) -> bool {
        self.matcher().matches(h, now, today, stale_days)
    }

    /// The filter prepared for matching many rows: free text through a
    /// SIMD substring searcher built once.
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher {
            terms: self
                .terms
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
}

fn implies(new: &Term, old: &Term) -> bool {
    match (new, old) {
        (Term::Text(n), Term::Text(o))
        | (Term::Owner(n), Term::Owner(o))
        | (Term::Goal(n), Term::Goal(o)) => n.contains(o.as_str()),
        (n, o) => n == o,
    }
}

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

/// A [`Filter`] ready to match rows (see [`Filter::matcher`]).
pub struct Matcher<'a> {
    terms: Vec<Prepared<'a>>,
}

impl Matcher<'_> {
    pub fn matches(
        &self,
        h: &Haystack<'_>,
        now: DateTime<Utc>,
        today: NaiveDate,
        stale_days: i64,
    ) -> bool {
        self.matches_masked(h, None, now, today, stale_days)
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

    /// As [`Matcher::matches`], with the row's [`byte_mask`] if known.
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

/// A term and, when its key is not one the filter knows or its value is
/// not one the key takes, what the filter bar says about it. Such a term
/// is still matched as text, so that a title with a colon can be found.
fn parse_term(token: &str, models: &Models) -> (Term, Option<String>) {
    let lower = token.to_lowercase();
    let text = || Term::Text(lower.clone());
    let Some((key, value)) = lower.split_once(':') else {
        return (text(), None);
    };
    if value.is_empty() {
        return (text(), None);
    }
    let unknown = |what: &str| (text(), Some(format!("{token}: {what}")));
    match key {
        "step" => match steps_named(models, value) {
            Ok(steps) => (Term::Step(steps), None),
            Err(_) => {
                let m = models.default_model();
                unknown(&format!("no such step (1-{} or a name)", m.len()))
            }
        },
        "model" => (Term::Model(value.to_string()), None),
        "status" => match StatusWord::parse(value) {
            Ok(StatusWord::Is(s)) => (Term::Status(s), None),
            Ok(StatusWord::Open(open)) => (Term::Open(open), None),
            Err(_) => unknown(&format!("status is {STATUS_WORDS}")),
        },
        "owner" => (Term::Owner(value.to_string()), None),
        "tag" => (Term::Tag(value.to_string()), None),
        "goal" => (Term::Goal(value.to_string()), None),
        "is" => match value {
            "overdue" => (Term::Overdue, None),
            "stale" => (Term::Stale, None),
            v => match StatusWord::parse(v) {
                Ok(StatusWord::Is(s)) => (Term::Status(s), None),
                Ok(StatusWord::Open(open)) => (Term::Open(open), None),
                Err(_) => unknown("is: takes overdue, stale or a status"),
            },
        },
        _ => unknown(&format!("unknown term; terms are {TERM_KEYS}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::initiative::Effort;
    use crate::domain::model::Model;
    use chrono::TimeZone;

    fn row(title: &str, owner: &str, tags: &str, step: i64, status: Status) -> BacklogRow {
        let m = Model::itil4();
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        BacklogRow {
            id: 1,
            title: title.into(),
            model: m.id.as_str().into(),
            step: m.step(step).unwrap(),
            status,
            priority: 3,
            value: 5,
            effort: Effort::M,
            owner: owner.into(),
            due: NaiveDate::from_ymd_opt(2026, 2, 1),
            created_at: t0,
            step_entered_at: t0,
            done_at: None,
            closed_at: None,
            returns: 0,
            tags: tags.into(),
            goal_id: None,
            unsuccessful: false,
        }
    }

    fn check(query: &str, r: &BacklogRow, goal: Option<&str>) -> bool {
        check_stale(query, r, goal, crate::domain::metrics::DEFAULT_STALE_DAYS)
    }

    /// The description every row of [`row`] has.
    const DESCRIPTION: &str = "Renew TLS before expiry";

    fn check_stale(query: &str, r: &BacklogRow, goal: Option<&str>, stale_days: i64) -> bool {
        let _m = Model::itil4();
        let text = haystack_text(r, DESCRIPTION);
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        Filter::parse(query, &Models::builtin()).matches(
            &Haystack {
                row: r,
                text: &text,
                goal,
            },
            now,
            now.date_naive(),
            stale_days,
        )
    }

    #[test]
    fn free_text_searches_title_description_owner_and_tags_ignoring_case() {
        let r = row(
            "Automate cert renewal",
            "Priya",
            "security, automation",
            4,
            Status::Active,
        );
        assert!(check("CERT", &r, None));
        assert!(check("tls expiry", &r, None), "description, every word");
        assert!(check("priya", &r, None));
        assert!(check("automation", &r, None));
        assert!(!check("cert backup", &r, None));
        assert!(check("", &r, None), "an empty filter matches everything");
    }

    #[test]
    fn model_and_step_terms_know_each_model_s_steps() {
        let mut pdca = row("Shorter queue", "", "", 2, Status::Active);
        pdca.model = "pdca".into();
        let itil = row("Shorter queue", "", "", 2, Status::Active);
        assert!(check("model:pdca", &pdca, None));
        assert!(!check("model:pdca", &itil, None));
        assert!(check("model:itil4", &itil, None));
        // Step 2 is "Do" in PDCA and "Now" in ITIL 4.
        assert!(check("step:do", &pdca, None));
        assert!(!check("step:do", &itil, None));
        assert!(check("step:now", &itil, None));
        assert!(!check("step:now", &pdca, None));
        assert!(check("step:2", &pdca, None) && check("step:2", &itil, None));
        // A step no model has is free text.
        assert_eq!(
            Filter::parse("step:nowhere", &Models::builtin()).terms,
            [Term::Text("step:nowhere".into())]
        );
    }

    #[test]
    fn structured_terms() {
        let r = row(
            "Automate cert renewal",
            "Priya",
            "security, automation",
            4,
            Status::Active,
        );
        assert!(check("step:plan", &r, None));
        assert!(check("step:4 status:active", &r, None));
        assert!(!check("step:act", &r, None));
        assert!(check("owner:pri", &r, None));
        assert!(check("tag:security", &r, None));
        assert!(!check("tag:sec", &r, None), "tags match whole");
        assert!(check("is:overdue", &r, None));
        assert!(check("is:stale", &r, None));
        assert!(
            !check_stale("is:stale", &r, None, 90),
            "59 days in step are not stale when stale_days is 90"
        );
        assert!(check("status:open", &r, None));
        assert!(check("goal:cost", &r, Some("reduce cost of operations")));
        assert!(!check("goal:cost", &r, None));
        let held = row("x", "", "", 2, Status::OnHold);
        assert!(check("status:on_hold", &held, None));
        assert!(!check("is:overdue status:closed", &held, None));
    }

    /// Rows with their descriptions and queries from a small alphabet, so
    /// that matches, near misses and narrowing all happen often.
    fn corpus() -> (Vec<(BacklogRow, String)>, Vec<String>) {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n) as usize
        };
        let words = [
            "Cert", "certs", "ÉTÉ", "été", "a,b", "Priya", "x:y", "tls", "Ⅻ", "ab",
        ];
        let mut phrase = |n: usize| {
            (0..n)
                .map(|_| words[next(words.len() as u64)])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let rows = (0..200)
            .map(|i| {
                let r = row(
                    &phrase(2),
                    &phrase(1),
                    &phrase(2).replace(' ', ","),
                    1 + (i % 7),
                    Status::ALL[i as usize % 4],
                );
                (r, phrase(3))
            })
            .collect();
        let keys = ["", "", "", "owner:", "tag:", "is:"];
        let queries = (0..300)
            .map(|_| {
                let key = keys[next(keys.len() as u64)];
                let word = words[next(words.len() as u64)].to_string();
                let cut = next(word.len() as u64 + 1);
                let word: String = word
                    .char_indices()
                    .filter(|(i, _)| *i < cut)
                    .map(|(_, c)| c)
                    .collect();
                format!("{key}{word}")
            })
            .collect();
        (rows, queries)
    }

    #[test]
    fn kept_haystacks_and_masks_match_exactly_what_the_plain_filter_does() {
        let _m = Model::itil4();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        let (mut rows, queries) = corpus();
        let mut kept = Haystacks::new(rows.iter().map(|(r, d)| (r, d.as_str())));
        // Rewrites and removals, enough to compact the buffer once.
        for round in 0..30 {
            for i in (0..rows.len()).step_by(20) {
                let (r, d) = &mut rows[i];
                let title = r.title.clone();
                r.title = format!("{title} {}", "x".repeat(5_000 + round));
                assert!(kept.set(i, r, d));
                r.title = format!("{title}{round}");
                assert!(kept.set(i, r, d));
                assert!(!kept.set(i, r, d), "the same text");
                if round % 2 == 1 {
                    d.push('É');
                    assert!(kept.set(i, r, d));
                }
            }
        }
        assert!(kept.text.len() < 1 << 21, "compacted");
        for i in (0..rows.len()).step_by(7).rev() {
            rows.remove(i);
            kept.remove(i);
        }
        assert_eq!(kept.len(), rows.len());
        for q in &queries {
            for pair in [q.clone(), format!("{q} tls"), format!("{q}e")] {
                let f = Filter::parse(&pair, &Models::builtin());
                let matcher = f.matcher();
                for (i, (r, d)) in rows.iter().enumerate() {
                    let text = haystack_text(r, d);
                    assert_eq!(kept.text(i), text);
                    assert_eq!(kept.mask(i), byte_mask(text.as_bytes()));
                    let h = Haystack {
                        row: r,
                        text: &text,
                        goal: None,
                    };
                    let slow = f.terms.iter().all(|t| match t {
                        Term::Text(t) => text.contains(t.as_str()),
                        Term::Owner(o) => r.owner.to_lowercase().contains(o.as_str()),
                        Term::Tag(t) => {
                            r.tags.split(',').any(|tag| tag.trim().to_lowercase() == *t)
                        }
                        _ => Filter {
                            terms: vec![t.clone()],
                            problems: Vec::new(),
                        }
                        .matches(&h, now, now.date_naive(), 30),
                    });
                    assert_eq!(
                        matcher.matches(&h, now, now.date_naive(), 30),
                        slow,
                        "{pair:?} {r:?}"
                    );
                    assert_eq!(
                        matcher.matches_masked(&h, Some(kept.mask(i)), now, now.date_naive(), 30),
                        slow,
                        "{pair:?} {r:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_narrowing_filter_passes_only_rows_the_earlier_one_passed() {
        let _m = Model::itil4();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        let (rows, queries) = corpus();
        let passes = |f: &Filter, (r, d): &(BacklogRow, String)| {
            let text = haystack_text(r, d);
            f.matches(
                &Haystack {
                    row: r,
                    text: &text,
                    goal: None,
                },
                now,
                now.date_naive(),
                30,
            )
        };
        let mut narrowing = 0;
        for a in &queries {
            for b in [
                format!("{a}e"),
                format!("{a} cert"),
                format!("{a}:"),
                a.clone(),
                "tls".into(),
            ] {
                let (fa, fb) = (
                    Filter::parse(a, &Models::builtin()),
                    Filter::parse(&b, &Models::builtin()),
                );
                if fb.narrows(&fa) {
                    narrowing += 1;
                    for r in &rows {
                        assert!(!passes(&fb, r) || passes(&fa, r), "{a:?} -> {b:?}");
                    }
                }
            }
        }
        assert!(narrowing > 500, "{narrowing}");
        // Typing a key turns free text into a term; that does not narrow.
        assert!(
            !Filter::parse("status:active", &Models::builtin())
                .narrows(&Filter::parse("status:activ", &Models::builtin()))
        );
        assert!(
            Filter::parse("cert tls", &Models::builtin())
                .narrows(&Filter::parse("cert", &Models::builtin()))
        );
        assert!(
            Filter::parse("certs", &Models::builtin())
                .narrows(&Filter::parse("cert", &Models::builtin()))
        );
        assert!(
            !Filter::parse("cer", &Models::builtin())
                .narrows(&Filter::parse("cert", &Models::builtin()))
        );
    }

    #[test]
    fn unknown_keys_are_free_text() {
        let r = row("Fix: flaky alerts", "", "", 1, Status::Active);
        assert!(check("fix:", &r, None));
        assert_eq!(
            Filter::parse("colour:red", &Models::builtin()).terms,
            vec![Term::Text("colour:red".into())]
        );
    }
}
