//! The status and step words the dashboard's filter and the command line
//! (`improve list --status/--step`) both read: one parser, one set of
//! words, one message naming the valid ones.

use super::initiative::Status;
use super::model::Step;
use super::models::Models;

/// The keys a filter term may have, as the filter bar lists them.
pub const TERM_KEYS: &str = "step: status: owner: tag: goal: model: is:overdue is:stale";

/// The status words the dashboard's `status:` term and `improve list
/// --status` both accept.
pub const STATUS_WORDS: &str = "active, on_hold, done, cancelled, open or closed";

/// A status word: one status, or open (active or on hold) or closed (done
/// or cancelled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusWord {
    Is(Status),
    Open(bool),
}

impl StatusWord {
    /// Reads a status word as both the dashboard and the command line
    /// take it; the error names the words there are.
    pub fn parse(word: &str) -> Result<StatusWord, String> {
        let word = word.trim();
        match word.to_ascii_lowercase().as_str() {
            "open" => Ok(StatusWord::Open(true)),
            "closed" => Ok(StatusWord::Open(false)),
            _ => word
                .parse()
                .map(StatusWord::Is)
                .map_err(|_| format!("unknown status {word:?} (expected {STATUS_WORDS})")),
        }
    }

    pub fn matches(self, status: Status) -> bool {
        match self {
            StatusWord::Is(s) => s == status,
            StatusWord::Open(open) => status.is_open() == open,
        }
    }
}

/// The steps a step word (a number or a name such as "plan") names: per
/// model that has such a step, the model's id and the step. The dashboard's
/// `step:` term and `improve list --step` both read it; the error lists the
/// default model's steps.
pub fn steps_named(models: &Models, word: &str) -> Result<Vec<(String, Step)>, String> {
    let steps: Vec<(String, Step)> = models
        .iter()
        .filter_map(|(m, _)| Some((m.id.clone(), m.find_step(word)?)))
        .collect();
    if steps.is_empty() {
        let m = models.default_model();
        let names: Vec<String> = m.steps.iter().map(|s| s.short.to_lowercase()).collect();
        return Err(format!(
            "{:?} is not a step of any model (steps: 1-{} or {})",
            word.trim(),
            m.len(),
            names.join(", ")
        ));
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::filter::Filter;

    #[test]
    fn terms_the_filter_does_not_understand_are_named() {
        let models = Models::builtin();
        for query in ["status:held", "step:9", "foo:bar", "is:late"] {
            let f = Filter::parse(&format!("cert {query}"), &models);
            assert_eq!(f.problems().len(), 1, "{query}: {:?}", f.problems());
            assert!(f.problems()[0].starts_with(query), "{:?}", f.problems());
        }
        assert!(
            Filter::parse("foo:bar", &models).problems()[0].contains("status:"),
            "the valid terms are listed"
        );
        let fine = Filter::parse("cert step:plan status:on_hold is:closed owner:sam", &models);
        assert!(fine.problems().is_empty(), "{:?}", fine.problems());
    }

    #[test]
    fn status_and_step_words_are_one_parser() {
        assert_eq!(
            StatusWord::parse("On_Hold"),
            Ok(StatusWord::Is(Status::OnHold))
        );
        assert_eq!(StatusWord::parse("closed"), Ok(StatusWord::Open(false)));
        assert!(StatusWord::Open(false).matches(Status::Done));
        assert!(!StatusWord::Open(true).matches(Status::Cancelled));
        assert!(StatusWord::parse("held").unwrap_err().contains("closed"));
        let models = Models::builtin();
        assert!(!steps_named(&models, "plan").unwrap().is_empty());
        let err = steps_named(&models, "9").unwrap_err();
        assert!(err.contains("vision"), "{err}");
    }
}
