//! The backlog filter: free text plus structured terms.
//!
//! `cert owner:sam step:plan status:active is:overdue goal:cost tag:security`
//! Every term must match. Free text matches title, description, owner and
//! tags, case-insensitively. A term with an unknown key is free text, so a
//! title containing a colon can still be found.

use chrono::{DateTime, NaiveDate, Utc};

use super::initiative::{BacklogRow, Status};
use super::model::{Model, Step};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Text(String),
    Step(Step),
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
}

/// What a row is matched against, lowercased once per row.
pub struct Haystack<'a> {
    pub row: &'a BacklogRow,
    /// Lowercased title, description, owner and tags.
    pub text: &'a str,
    /// Lowercased name of the row's goal, if any.
    pub goal: Option<&'a str>,
}

/// The lowercased text free-text terms search.
pub fn haystack_text(row: &BacklogRow) -> String {
    let mut s = String::with_capacity(
        row.title.len() + row.description.len() + row.owner.len() + row.tags.len() + 3,
    );
    for part in [&row.title, &row.description, &row.owner, &row.tags] {
        s.push_str(&part.to_lowercase());
        s.push('\u{1f}');
    }
    s
}

impl Filter {
    pub fn parse(query: &str, model: &Model) -> Filter {
        let terms = query
            .split_whitespace()
            .map(|token| parse_term(token, model))
            .collect();
        Filter { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether any term needs the goal names.
    pub fn uses_goals(&self) -> bool {
        self.terms.iter().any(|t| matches!(t, Term::Goal(_)))
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
        self.terms.iter().all(|term| match term {
            Term::Text(t) => h.text.contains(t.as_str()),
            Term::Step(s) => h.row.step == *s,
            Term::Status(s) => h.row.status == *s,
            Term::Open(open) => h.row.status.is_open() == *open,
            Term::Owner(o) => h.row.owner.to_lowercase().contains(o.as_str()),
            Term::Tag(t) => h
                .row
                .tags
                .split(',')
                .any(|tag| tag.trim().to_lowercase() == *t),
            Term::Goal(g) => h.goal.is_some_and(|name| name.contains(g.as_str())),
            Term::Overdue => h.row.is_overdue(today),
            Term::Stale => h.row.status == Status::Active && h.row.days_in_step(now) >= stale_days,
        })
    }
}

fn parse_term(token: &str, model: &Model) -> Term {
    let lower = token.to_lowercase();
    let text = || Term::Text(lower.clone());
    let Some((key, value)) = lower.split_once(':') else {
        return text();
    };
    if value.is_empty() {
        return text();
    }
    match key {
        "step" => model.find_step(value).map_or_else(text, Term::Step),
        "status" => match value {
            "open" => Term::Open(true),
            "closed" => Term::Open(false),
            v => v.parse().map_or_else(|_| text(), Term::Status),
        },
        "owner" => Term::Owner(value.to_string()),
        "tag" => Term::Tag(value.to_string()),
        "goal" => Term::Goal(value.to_string()),
        "is" => match value {
            "overdue" => Term::Overdue,
            "stale" => Term::Stale,
            "open" => Term::Open(true),
            "closed" => Term::Open(false),
            v => v.parse().map_or_else(|_| text(), Term::Status),
        },
        _ => text(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::initiative::Effort;
    use chrono::TimeZone;

    fn row(title: &str, owner: &str, tags: &str, step: i64, status: Status) -> BacklogRow {
        let m = Model::itil4();
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        BacklogRow {
            id: 1,
            title: title.into(),
            model: m.id.clone(),
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
            returns: 0,
            description: "Renew TLS before expiry".into(),
            tags: tags.into(),
            goal_id: None,
        }
    }

    fn check(query: &str, r: &BacklogRow, goal: Option<&str>) -> bool {
        check_stale(query, r, goal, crate::domain::metrics::DEFAULT_STALE_DAYS)
    }

    fn check_stale(query: &str, r: &BacklogRow, goal: Option<&str>, stale_days: i64) -> bool {
        let m = Model::itil4();
        let text = haystack_text(r);
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        Filter::parse(query, &m).matches(
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

    #[test]
    fn unknown_keys_are_free_text() {
        let r = row("Fix: flaky alerts", "", "", 1, Status::Active);
        assert!(check("fix:", &r, None));
        assert_eq!(
            Filter::parse("colour:red", &Model::itil4()).terms,
            vec![Term::Text("colour:red".into())]
        );
    }
}
