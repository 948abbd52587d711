//! The models a register can use: those shipped in the binary, the user's
//! own model files, and those a register carries (imported with it). Each
//! initiative names its model by id; this is where the id is looked up.

use std::path::PathBuf;
use std::sync::Arc;

use super::model::{DEFAULT_MODEL, EMBEDDED, Model};

/// Where a model came from (`improve models` shows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Shipped in the binary.
    Builtin,
    /// A model file in the user's `models/` folder.
    File(PathBuf),
    /// Stored in the register (it came with an imported file).
    Register,
}

impl Origin {
    pub fn describe(&self) -> String {
        match self {
            Origin::Builtin => "built in".into(),
            Origin::File(p) => p.display().to_string(),
            Origin::Register => "stored in the register".into(),
        }
    }
}

/// Every known model, in the order they are listed: built in first, then
/// the user's, then the register's. Cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct Models {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    models: Vec<(Model, Origin)>,
    /// Index of the model new initiatives follow.
    default: usize,
}

impl Default for Models {
    fn default() -> Models {
        Models::builtin()
    }
}

/// One model as the default, with the shipped ones beside it (tests and
/// callers that know a single model).
impl From<Model> for Models {
    fn from(model: Model) -> Models {
        let id = model.id.clone();
        let builtin = Models::builtin();
        let models = match builtin.get(&id) {
            Some(m) if *m == model => builtin,
            _ => {
                let mut list: Vec<(Model, Origin)> = builtin
                    .inner
                    .models
                    .iter()
                    .filter(|(m, _)| m.id != id)
                    .cloned()
                    .collect();
                list.push((model, Origin::Register));
                Models::from_list(list, &id)
            }
        };
        models.with_default(&id).expect("just added")
    }
}

impl Models {
    /// The shipped models, ITIL 4 the default.
    pub fn builtin() -> Models {
        let models = EMBEDDED
            .iter()
            .map(|(id, _)| (Model::builtin(id).expect("embedded"), Origin::Builtin))
            .collect();
        Models::from_list(models, DEFAULT_MODEL)
    }

    fn from_list(models: Vec<(Model, Origin)>, default: &str) -> Models {
        let default = models
            .iter()
            .position(|(m, _)| m.id == default)
            .unwrap_or(0);
        Models {
            inner: Arc::new(Inner { models, default }),
        }
    }

    /// These models and `more` after them. A model whose id is already
    /// known is not added: its id comes back with the reason.
    pub fn with(&self, more: Vec<(Model, Origin)>) -> (Models, Vec<(Model, Origin, String)>) {
        let mut models = self.inner.models.clone();
        let mut refused = Vec::new();
        for (model, origin) in more {
            match models.iter().find(|(m, _)| m.id == model.id) {
                Some((_, first)) => {
                    let why = format!(
                        "model id {:?} is already taken ({})",
                        model.id,
                        first.describe()
                    );
                    refused.push((model, origin, why));
                }
                None => models.push((model, origin)),
            }
        }
        let default = self.default_model().id.clone();
        (Models::from_list(models, &default), refused)
    }

    /// The same models with `id` the default; `None` if there is no such model.
    pub fn with_default(&self, id: &str) -> Option<Models> {
        self.get(id)?;
        Some(Models::from_list(self.inner.models.clone(), id))
    }

    pub fn get(&self, id: &str) -> Option<&Model> {
        self.inner
            .models
            .iter()
            .map(|(m, _)| m)
            .find(|m| m.id == id)
    }

    /// The model of an initiative. An initiative whose model is not known
    /// here (a model file since removed) is shown against the default
    /// model, its step kept within it, rather than not at all.
    pub fn resolve(&self, id: &str) -> &Model {
        self.get(id).unwrap_or_else(|| self.default_model())
    }

    pub fn default_model(&self) -> &Model {
        &self.inner.models[self.inner.default].0
    }

    pub fn origin(&self, id: &str) -> Option<&Origin> {
        self.inner
            .models
            .iter()
            .find(|(m, _)| m.id == id)
            .map(|(_, o)| o)
    }

    /// Every model with where it came from, in listing order.
    pub fn iter(&self) -> impl Iterator<Item = (&Model, &Origin)> {
        self.inner.models.iter().map(|(m, o)| (m, o))
    }

    /// Position of a model in listing order (metrics are kept per model by it).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.inner.models.iter().position(|(m, _)| m.id == id)
    }

    pub fn len(&self) -> usize {
        self.inner.models.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inner.models.is_empty()
    }

    /// The model at a position in listing order.
    pub fn at(&self, index: usize) -> &Model {
        &self.inner.models[index].0
    }

    /// The ids, comma-separated, for messages ("one of itil4, pdca, ...").
    pub fn ids(&self) -> String {
        let ids: Vec<&str> = self.iter().map(|(m, _)| m.id.as_str()).collect();
        ids.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_model_is_listed_with_itil4_the_default() {
        let models = Models::builtin();
        let ids: Vec<&str> = models.iter().map(|(m, _)| m.id.as_str()).collect();
        assert_eq!(
            ids,
            ["itil4", "pdca", "dmaic", "kata", "itil-csi", "personal"]
        );
        assert_eq!(models.default_model().id, "itil4");
        let steps: Vec<usize> = models.iter().map(|(m, _)| m.len()).collect();
        assert_eq!(steps, [7, 4, 5, 4, 7, 4]);
    }

    #[test]
    fn the_default_can_be_changed_and_unknown_ids_resolve_to_it() {
        let models = Models::builtin().with_default("pdca").unwrap();
        assert_eq!(models.default_model().id, "pdca");
        assert_eq!(models.resolve("gone").id, "pdca");
        assert_eq!(models.resolve("kata").id, "kata");
        assert!(Models::builtin().with_default("nope").is_none());
    }

    #[test]
    fn a_taken_id_is_refused_and_a_new_one_added() {
        let mut mine = Model::builtin("pdca").unwrap();
        mine.name = "Mine".into();
        let mut other = mine.clone();
        other.id = "mine".into();
        let (models, refused) = Models::builtin().with(vec![
            (mine, Origin::File("a.toml".into())),
            (other, Origin::File("b.toml".into())),
        ]);
        assert_eq!(refused.len(), 1);
        assert!(
            refused[0].2.contains("already taken (built in)"),
            "{}",
            refused[0].2
        );
        assert_eq!(models.get("mine").unwrap().name, "Mine");
        assert_eq!(
            models.get("pdca").unwrap().name,
            "Plan-Do-Check-Act (Deming cycle)"
        );
        assert_eq!(models.index_of("mine"), Some(6));
    }
}
