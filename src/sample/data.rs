//! The sample's data, kept as data: `assets/sample/*.toml`, embedded in the
//! binary and read the way the built-in models are. Read once, on first use;
//! a file that does not parse or refers to what is not there is a defect of
//! this build, caught by the tests below.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::domain::Effort;

const GOALS: &str = include_str!("../../assets/sample/goals.toml");
const INITIATIVES: &str = include_str!("../../assets/sample/initiatives.toml");
const WORDS: &str = include_str!("../../assets/sample/words.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Goal {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// One hand-written initiative; see the head of `initiatives.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Initiative {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub raised_by: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default = "process")]
    pub area: String,
    #[serde(default = "three")]
    pub priority: u8,
    #[serde(default = "five")]
    pub value: u8,
    /// `S`, `M`, `L` or `XL`.
    #[serde(default = "medium")]
    effort: String,
    /// A goal's name.
    pub goal: Option<String>,
    /// An earlier initiative's title.
    pub follows: Option<String>,
    /// Days from today; negative is overdue.
    pub due: Option<i64>,
    /// Days since it was raised.
    pub age: i64,
    /// Days since its last move (for a done one: since it was completed).
    pub since: i64,
    /// Steps entered after step 1, in order; a done one ends at the last step.
    #[serde(default)]
    pub path: Vec<u8>,
    #[serde(default = "active")]
    pub status: String,
    pub hold_reason: Option<String>,
    pub closure_code: Option<String>,
    pub realised: Option<String>,
    pub cancel_reason: Option<String>,
    /// Reasons for the backward moves in `path`, in order.
    #[serde(default)]
    pub returns: Vec<String>,
    #[serde(default)]
    pub kpi: Vec<Kpi>,
    #[serde(default)]
    pub note: Vec<Note>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Kpi {
    pub name: String,
    pub unit: String,
    pub direction: String,
    pub baseline: f64,
    pub target: Option<f64>,
    pub values: Vec<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Note {
    pub kind: String,
    /// How far through the initiative's life it was written, 0 to 1.
    pub share: f64,
    pub body: String,
}

/// What the generated sample draws from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Words {
    pub verbs: Vec<String>,
    pub objects: Vec<String>,
    pub owners: Vec<String>,
    pub teams: Vec<String>,
    pub sources: Vec<String>,
    pub tags: Vec<String>,
    pub areas: Vec<String>,
    pub back_reasons: Vec<String>,
    pub hold_reasons: Vec<String>,
    pub realised: Vec<String>,
    pub cancelled: Vec<String>,
    pub note: Vec<WordNote>,
    pub kpi: Vec<WordKpi>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WordNote {
    pub kind: String,
    pub body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WordKpi {
    pub name: String,
    pub unit: String,
    pub direction: String,
    pub baseline: f64,
    pub target: f64,
}

fn process() -> String {
    "process".into()
}
fn active() -> String {
    "active".into()
}
fn three() -> u8 {
    3
}
fn five() -> u8 {
    5
}
fn medium() -> String {
    "M".into()
}

impl Initiative {
    pub fn effort(&self) -> Effort {
        self.effort.parse().unwrap_or(Effort::M)
    }
}

#[derive(Deserialize)]
struct GoalsFile {
    goal: Vec<Goal>,
}

#[derive(Deserialize)]
struct InitiativesFile {
    initiative: Vec<Initiative>,
}

/// Everything the sample needs, parsed and checked.
#[derive(Debug)]
pub(super) struct Data {
    pub goals: Vec<Goal>,
    pub initiatives: Vec<Initiative>,
    pub words: Words,
}

impl Data {
    fn parse() -> Result<Data, String> {
        let goals: GoalsFile = toml::from_str(GOALS).map_err(|e| format!("goals.toml: {e}"))?;
        let initiatives: InitiativesFile =
            toml::from_str(INITIATIVES).map_err(|e| format!("initiatives.toml: {e}"))?;
        let words: Words = toml::from_str(WORDS).map_err(|e| format!("words.toml: {e}"))?;
        let data = Data {
            goals: goals.goal,
            initiatives: initiatives.initiative,
            words,
        };
        data.check()?;
        Ok(data)
    }

    /// What the schema would refuse, or a name that names nothing.
    fn check(&self) -> Result<(), String> {
        const AREAS: [&str; 3] = ["people", "process", "technology"];
        const KINDS: [&str; 3] = ["work", "decision", "lesson"];
        const DIRECTIONS: [&str; 2] = ["higher", "lower"];
        if self.goals.is_empty() {
            return Err("goals.toml: no goal".into());
        }
        for (n, i) in self.initiatives.iter().enumerate() {
            let at = |what: &str| format!("initiatives.toml, {:?}: {what}", i.title);
            if let Some(goal) = &i.goal
                && self.goal_index(goal).is_none()
            {
                return Err(at(&format!("no goal named {goal:?}")));
            }
            if let Some(earlier) = &i.follows
                && self.initiatives[..n].iter().all(|e| &e.title != earlier)
            {
                return Err(at(&format!("no earlier initiative {earlier:?}")));
            }
            if !AREAS.contains(&i.area.as_str()) {
                return Err(at(&format!("area {:?}", i.area)));
            }
            if !(1..=5).contains(&i.priority)
                || !(1..=10).contains(&i.value)
                || i.effort.parse::<Effort>().is_err()
            {
                return Err(at("priority 1-5, value 1-10, effort S, M, L or XL"));
            }
            if i.path.iter().any(|&s| !(1..=7).contains(&s)) {
                return Err(at("a path names steps 1 to 7"));
            }
            let fits = match i.status.as_str() {
                "active" => {
                    i.hold_reason.is_none() && i.closure_code.is_none() && i.realised.is_none()
                }
                "on_hold" => i.hold_reason.is_some(),
                "done" => {
                    matches!(
                        i.closure_code.as_deref(),
                        Some("successful" | "unsuccessful")
                    ) && i.realised.is_some()
                        && i.path.last() == Some(&7)
                }
                "cancelled" => i.cancel_reason.is_some(),
                _ => false,
            };
            if !fits {
                return Err(at("status and its reason, closure code or result"));
            }
            if i.kpi
                .iter()
                .any(|k| !DIRECTIONS.contains(&k.direction.as_str()))
                || i.note.iter().any(|n| !KINDS.contains(&n.kind.as_str()))
            {
                return Err(at("a KPI's direction or a note's kind"));
            }
        }
        let w = &self.words;
        let lists = [
            &w.verbs,
            &w.objects,
            &w.owners,
            &w.teams,
            &w.sources,
            &w.tags,
            &w.areas,
            &w.back_reasons,
            &w.hold_reasons,
            &w.realised,
            &w.cancelled,
        ];
        if lists.iter().any(|l| l.is_empty()) || w.note.is_empty() || w.kpi.is_empty() {
            return Err("words.toml: every list needs a word".into());
        }
        if w.areas.iter().any(|a| !AREAS.contains(&a.as_str()))
            || w.note.iter().any(|n| !KINDS.contains(&n.kind.as_str()))
            || w.kpi
                .iter()
                .any(|k| !DIRECTIONS.contains(&k.direction.as_str()))
        {
            return Err("words.toml: an area, note kind or KPI direction".into());
        }
        Ok(())
    }

    pub fn goal_index(&self, name: &str) -> Option<usize> {
        self.goals.iter().position(|g| g.name == name)
    }
}

static DATA: LazyLock<Data> =
    LazyLock::new(|| Data::parse().unwrap_or_else(|e| panic!("the built-in sample: {e}")));

/// The sample's data (parsed on first use).
pub(super) fn data() -> &'static Data {
    &DATA
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded files parse, pass the checks, and hold what the sample
    /// is known by: its size, the goals the snapshots show, a follow-up.
    #[test]
    fn the_asset_files_parse_and_hold_the_sample() {
        let data = Data::parse().unwrap();
        assert_eq!(data.goals.len(), 4);
        assert_eq!(data.goals[0].name, "Stable, resilient services");
        assert_eq!(data.initiatives.len(), 30);
        assert_eq!(data.initiatives[0].title, "Cut P1 incident MTTR");
        assert!(data.initiatives.iter().any(|i| i.follows.is_some()));
        assert!(data.initiatives.iter().any(|i| i.status == "done"));
        assert!(data.initiatives.iter().any(|i| i.status == "on_hold"));
        assert!(data.initiatives.iter().any(|i| i.status == "cancelled"));
        let kpis: usize = data.initiatives.iter().map(|i| i.kpi.len()).sum();
        let notes: usize = data.initiatives.iter().map(|i| i.note.len()).sum();
        assert_eq!((kpis, notes), (26, 34));
        assert_eq!(data.words.verbs.len(), 10);
        assert_eq!(data.words.objects.len(), 20);
        assert_eq!(data.words.kpi.len(), 5);
    }

    /// The checks catch what the files could get wrong.
    #[test]
    fn a_reference_to_nothing_is_refused() {
        let mut data = Data::parse().unwrap();
        data.initiatives[0].goal = Some("No such goal".into());
        assert!(data.check().unwrap_err().contains("no goal named"));
        let mut data = Data::parse().unwrap();
        data.initiatives[0].follows = Some(data.initiatives[1].title.clone());
        assert!(data.check().unwrap_err().contains("no earlier initiative"));
        let mut data = Data::parse().unwrap();
        data.initiatives[0].status = "done".into();
        assert!(data.check().is_err());
        let mut data = Data::parse().unwrap();
        data.words.areas.push("finance".into());
        assert!(data.check().is_err());
    }
}
