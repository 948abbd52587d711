//! Improvement models are data: an ordered list of steps with guiding
//! questions and checklist templates, embedded from `assets/models/*.toml`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The models shipped in the binary, as `(id, toml source)`.
pub(super) const EMBEDDED: &[(&str, &str)] = &[
    ("itil4", include_str!("../../assets/models/itil4.toml")),
    ("pdca", include_str!("../../assets/models/pdca.toml")),
    ("dmaic", include_str!("../../assets/models/dmaic.toml")),
    ("kata", include_str!("../../assets/models/kata.toml")),
    (
        "itil-csi",
        include_str!("../../assets/models/itil-csi.toml"),
    ),
    (
        "personal",
        include_str!("../../assets/models/personal.toml"),
    ),
];

/// The model new initiatives follow unless told otherwise.
pub const DEFAULT_MODEL: &str = "itil4";

/// Bounds a model file must keep: steps fit a header strip and a `u8`,
/// short names fit the strip, ids are typed in filters and commands.
pub const MAX_STEPS: usize = 20;
pub const MAX_SHORT: usize = 16;
pub const MAX_ITEMS: usize = 40;
pub const MAX_ID: usize = 32;

/// A model id: what `model:ID`, `--model ID` and `model = "ID"` take.
pub fn valid_id(id: &str) -> bool {
    id.len() <= MAX_ID
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    pub name: String,
    pub short: String,
    pub question: String,
    pub purpose: String,
    pub checklist: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Model {
    pub id: String,
    pub name: String,
    pub steps: Vec<StepDef>,
}

/// A position in a model, 1-based. Only a [`Model`] hands these out, so a
/// `Step` taken from a model is always one of its steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Step(u8);

impl Step {
    /// The 1-based step number users see.
    pub fn number(self) -> u8 {
        self.0
    }

    /// 0-based index into `Model::steps`.
    pub fn index(self) -> usize {
        usize::from(self.0 - 1)
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Why a model definition was refused. `at` locates it for a `file:line`
/// report: a byte offset (a TOML error) or a step (a rule a step breaks).
#[derive(Debug, PartialEq, Eq)]
pub struct ModelError(pub String, pub ErrorAt);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorAt {
    /// The file as a whole (its first line).
    File,
    /// A byte offset into the source.
    Offset(usize),
    /// The 1-based step whose `[[steps]]` table breaks a rule, and the
    /// field at fault if one is.
    Step(usize, Option<&'static str>),
}

impl ModelError {
    fn file(message: String) -> ModelError {
        ModelError(message, ErrorAt::File)
    }

    fn step(n: usize, field: Option<&'static str>, message: String) -> ModelError {
        ModelError(message, ErrorAt::Step(n, field))
    }

    /// The 1-based line of `source` the error is on.
    pub fn line(&self, source: &str) -> usize {
        let offset = match self.1 {
            ErrorAt::File => 0,
            ErrorAt::Offset(o) => o.min(source.len()),
            // The n-th `[[steps]]` header; a model written another way
            // (an inline array) is reported at its first line.
            ErrorAt::Step(n, field) => {
                let header = source
                    .match_indices("[[steps]]")
                    .filter(|(at, _)| {
                        source[..*at]
                            .rsplit('\n')
                            .next()
                            .is_some_and(|l| l.trim().is_empty())
                    })
                    .nth(n - 1)
                    .map_or(0, |(at, _)| at);
                // The field's own line within that table, if it is there.
                let table = &source[header..];
                let end = table[1..].find("\n[").map_or(table.len(), |e| e + 1);
                let mut offset = header;
                for line in table[..end].split_inclusive('\n') {
                    let names_field = field.is_some_and(|f| {
                        line.trim_start()
                            .strip_prefix(f)
                            .is_some_and(|rest| rest.trim_start().starts_with('='))
                    });
                    if names_field {
                        break;
                    }
                    offset += line.len();
                }
                if offset >= header + end {
                    header
                } else {
                    offset
                }
            }
        };
        source.as_bytes()[..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ModelError {}

impl Model {
    /// Parses and validates a model definition.
    pub fn parse(source: &str) -> Result<Model, ModelError> {
        let model: Model = toml::from_str(source).map_err(|e| {
            let message = e
                .message()
                .lines()
                .next()
                .unwrap_or("not valid TOML")
                .trim()
                .to_string();
            match e.span() {
                Some(span) => ModelError(message, ErrorAt::Offset(span.start)),
                None => ModelError::file(message),
            }
        })?;
        model.validate()?;
        Ok(model)
    }

    fn validate(&self) -> Result<(), ModelError> {
        if !valid_id(&self.id) {
            return Err(ModelError::file(format!(
                "model id {:?} must be 1 to {MAX_ID} lowercase letters, digits, '-' or '_', starting with a letter",
                self.id
            )));
        }
        if self.name.trim().is_empty() || self.name.chars().any(char::is_control) {
            return Err(ModelError::file(format!(
                "model {} needs a name, one line of text",
                self.id
            )));
        }
        if self.steps.is_empty() || self.steps.len() > MAX_STEPS {
            return Err(ModelError::file(format!(
                "model {} must have between 1 and {MAX_STEPS} steps, has {}",
                self.id,
                self.steps.len()
            )));
        }
        for (i, step) in self.steps.iter().enumerate() {
            let n = i + 1;
            let fail = |field: Option<&'static str>, why: String| {
                Err(ModelError::step(n, field, format!("step {n}: {why}")))
            };
            if step.name.trim().is_empty()
                || step.short.trim().is_empty()
                || step.question.trim().is_empty()
            {
                let field = [
                    ("name", &step.name),
                    ("short", &step.short),
                    ("question", &step.question),
                ]
                .into_iter()
                .find(|(_, v)| v.trim().is_empty())
                .map(|(f, _)| f);
                return fail(field, "needs a name, a short name and a question".into());
            }
            if step.short.chars().count() > MAX_SHORT {
                return fail(
                    Some("short"),
                    format!(
                        "short name {:?} is longer than {MAX_SHORT} characters",
                        step.short
                    ),
                );
            }
            // `move --to` and `step:` take a number or a short name.
            if step.short.trim().parse::<i64>().is_ok() {
                return fail(
                    Some("short"),
                    format!("short name {:?} must not be a number", step.short),
                );
            }
            if self.steps[..i]
                .iter()
                .any(|s| s.short.trim().eq_ignore_ascii_case(step.short.trim()))
            {
                return fail(
                    Some("short"),
                    format!("short name {:?} is used by an earlier step", step.short),
                );
            }
            // Model text reaches the terminal: one line each, and no
            // control characters (an escape sequence in a file is refused).
            let fields = [
                ("name", &step.name),
                ("short", &step.short),
                ("question", &step.question),
                ("purpose", &step.purpose),
            ];
            let texts = fields
                .into_iter()
                .chain(step.checklist.iter().map(|c| ("checklist", c)));
            for (field, text) in texts {
                if text.chars().any(char::is_control) {
                    return fail(
                        Some(field),
                        format!("{field} must be one line of text, without control characters"),
                    );
                }
            }
            if step.checklist.len() > MAX_ITEMS {
                return fail(
                    Some("checklist"),
                    format!(
                        "has {} checklist items; at most {MAX_ITEMS}",
                        step.checklist.len()
                    ),
                );
            }
            if step.checklist.iter().any(|item| item.trim().is_empty()) {
                return fail(Some("checklist"), "has an empty checklist item".into());
            }
        }
        Ok(())
    }

    /// The same model if it keeps every rule a model file must (a model
    /// read from elsewhere than TOML, such as an import).
    pub fn validated(self) -> Result<Model, ModelError> {
        self.validate()?;
        Ok(self)
    }

    /// A model shipped in the binary, by id.
    pub fn builtin(id: &str) -> Option<Model> {
        EMBEDDED
            .iter()
            .find(|(model_id, _)| *model_id == id)
            // The embedded files are checked by a unit test, so this cannot
            // fail for a user.
            .map(|(_, src)| Model::parse(src).expect("embedded model is valid"))
    }

    /// The default model (ITIL 4).
    pub fn itil4() -> Model {
        Model::builtin(DEFAULT_MODEL).expect("the default model is embedded")
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn first(&self) -> Step {
        Step(1)
    }

    pub fn last(&self) -> Step {
        Step(self.steps.len() as u8)
    }

    /// The step with this 1-based number, if the model has it.
    pub fn step(&self, number: i64) -> Option<Step> {
        if number >= 1 && number <= self.steps.len() as i64 {
            Some(Step(number as u8))
        } else {
            None
        }
    }

    pub fn steps(&self) -> impl Iterator<Item = Step> + '_ {
        (1..=self.steps.len() as u8).map(Step)
    }

    pub fn def(&self, step: Step) -> &StepDef {
        &self.steps[step.index()]
    }

    pub fn next(&self, step: Step) -> Option<Step> {
        self.step(i64::from(step.0) + 1)
    }

    pub fn previous(&self, step: Step) -> Option<Step> {
        self.step(i64::from(step.0) - 1)
    }

    /// Finds a step by number ("4") or by short name, case-insensitive ("plan").
    pub fn find_step(&self, key: &str) -> Option<Step> {
        let key = key.trim();
        if let Ok(n) = key.parse::<i64>() {
            return self.step(n);
        }
        self.steps()
            .find(|s| self.def(*s).short.eq_ignore_ascii_case(key))
    }

    /// The steps one can name, for a message about a step that is not one:
    /// "1 to 7 or Vision, Now, Target, Plan, Act, Check, Momentum".
    pub fn step_names(&self) -> String {
        let shorts: Vec<&str> = self.steps.iter().map(|s| s.short.as_str()).collect();
        format!("1 to {} or {}", self.len(), shorts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_model_parses_and_validates() {
        for (id, src) in EMBEDDED {
            let model = Model::parse(src).unwrap_or_else(|e| panic!("{id}: {e}"));
            assert_eq!(&model.id, id, "file id matches its key");
        }
    }

    #[test]
    fn itil4_has_seven_steps_with_five_to_eight_items() {
        let m = Model::itil4();
        let shorts: Vec<_> = m.steps.iter().map(|s| s.short.as_str()).collect();
        assert_eq!(
            shorts,
            [
                "Vision", "Now", "Target", "Plan", "Act", "Check", "Momentum"
            ]
        );
        for s in &m.steps {
            assert!((5..=8).contains(&s.checklist.len()), "{}", s.short);
        }
    }

    #[test]
    fn malformed_models_are_rejected() {
        assert!(Model::parse("id = 'x'\nname = 'x'\nsteps = []").is_err());
        assert!(Model::parse("not toml [").is_err());
        let unknown = "id='x'\nname='x'\n[[steps]]\nname='a'\nshort='A'\nquestion='?'\npurpose='p'\nchecklist=[]\ncolour='red'";
        assert!(Model::parse(unknown).is_err());
    }

    #[test]
    fn steps_are_bounded_by_the_model() {
        let m = Model::itil4();
        assert_eq!(m.step(0), None);
        assert_eq!(m.step(8), None);
        assert_eq!(m.next(m.last()), None);
        assert_eq!(m.previous(m.first()), None);
        assert_eq!(m.find_step("plan").map(Step::number), Some(4));
        assert_eq!(m.find_step("7").map(Step::number), Some(7));
        assert_eq!(m.find_step("later"), None);
    }
}
