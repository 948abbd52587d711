//! Improvement models are data: an ordered list of steps with guiding
//! questions and checklist templates, embedded from `assets/models/*.toml`.

use std::fmt;

use serde::Deserialize;

/// The models shipped in the binary, as `(id, toml source)`.
const EMBEDDED: &[(&str, &str)] = &[("itil4", include_str!("../../assets/models/itil4.toml"))];

/// The model new initiatives follow unless told otherwise.
pub const DEFAULT_MODEL: &str = "itil4";

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StepDef {
    pub name: String,
    pub short: String,
    pub question: String,
    pub purpose: String,
    pub checklist: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
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

#[derive(Debug, PartialEq, Eq)]
pub struct ModelError(pub String);

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ModelError {}

impl Model {
    /// Parses and validates a model definition.
    pub fn parse(source: &str) -> Result<Model, ModelError> {
        let model: Model = toml::from_str(source).map_err(|e| ModelError(e.to_string()))?;
        model.validate()?;
        Ok(model)
    }

    fn validate(&self) -> Result<(), ModelError> {
        if self.id.trim().is_empty() {
            return Err(ModelError("model id is empty".into()));
        }
        if self.steps.is_empty() || self.steps.len() > 20 {
            return Err(ModelError(format!(
                "model {} must have between 1 and 20 steps, has {}",
                self.id,
                self.steps.len()
            )));
        }
        for (i, step) in self.steps.iter().enumerate() {
            let n = i + 1;
            if step.short.trim().is_empty() || step.question.trim().is_empty() {
                return Err(ModelError(format!(
                    "model {} step {n} needs a short name and a question",
                    self.id
                )));
            }
            if step.checklist.iter().any(|item| item.trim().is_empty()) {
                return Err(ModelError(format!(
                    "model {} step {n} has an empty checklist item",
                    self.id
                )));
            }
        }
        Ok(())
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
