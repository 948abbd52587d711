//! The backlog filter: free text plus structured terms.
//!
//! `cert owner:sam step:plan status:active is:overdue goal:cost tag:security model:pdca`
//! Every term must match. Free text matches title, description, owner and
//! tags, case-insensitively. A term with an unknown key is free text, so a
//! title containing a colon can still be found.

mod haystacks;
mod matcher;
#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDate, Utc};

use super::initiative::{BacklogRow, Status};
use super::model::Step;
use super::models::Models;
use super::words::{STATUS_WORDS, StatusWord, TERM_KEYS, steps_named};

pub use haystacks::{Haystacks, byte_mask, haystack_text};
pub use matcher::Matcher;

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
        self.matcher()
            .matches_masked(h, None, now, today, stale_days)
    }

    /// The filter prepared for matching many rows: free text through a
    /// SIMD substring searcher built once.
    pub fn matcher(&self) -> Matcher<'_> {
        Matcher::new(&self.terms)
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
