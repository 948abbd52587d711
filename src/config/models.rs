//! The user's own model files: `*.toml` in a `models/` folder beside the
//! configuration file. Each is checked at start; a bad one becomes a
//! [`Warning`] (`file:line: why`) and is skipped, never stopping the program.

use std::path::{Path, PathBuf};

use super::Warning;
use crate::domain::{Model, Models, Origin};
use crate::files;

/// A model file is a few kilobytes; anything near this is not one.
const MAX_MODEL_FILE: u64 = 1024 * 1024;

/// More files than this in the folder are not read (a folder pointed at the
/// wrong place should not stall the start).
const MAX_FILES: usize = 200;

/// The folder model files are read from, beside `config`.
pub fn folder(config: &Path) -> PathBuf {
    config
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join("models")
}

/// Every model this run knows: the shipped ones, the user's files beside
/// `config`'s file, with the configured default; what was skipped is added
/// to `config.warnings`.
pub fn catalogue(config: &mut super::Config) -> Models {
    let (mut models, mut warnings) = load(config.path.as_deref());
    if let Some(id) = config.model.clone() {
        match models.with_default(&id) {
            Some(m) => models = m,
            None => {
                let ids = models.ids();
                config.warn(
                    config.model_line,
                    format!(
                        "unknown model \"{id}\" (one of {ids}); new initiatives use {}",
                        models.default_model().id
                    ),
                );
            }
        }
    }
    config.warnings.append(&mut warnings);
    models
}

/// The shipped models with the user's valid model files after them, and a
/// warning for each file skipped. No folder, no warning.
pub fn load(config: Option<&Path>) -> (Models, Vec<Warning>) {
    let builtin = Models::builtin();
    let Some(config) = config else {
        return (builtin, Vec::new());
    };
    let dir = folder(config);
    let mut warnings = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (builtin, warnings),
        Err(e) => {
            warnings.push(whole(&dir, format!("cannot read the models folder ({e})")));
            return (builtin, warnings);
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    if paths.len() > MAX_FILES {
        warnings.push(whole(
            &dir,
            format!(
                "{} model files; only the first {MAX_FILES} are read",
                paths.len()
            ),
        ));
        paths.truncate(MAX_FILES);
    }
    let mut found = Vec::new();
    for path in paths {
        match read(&path) {
            Ok(model) => found.push((model, Origin::File(path))),
            Err(w) => warnings.push(w),
        }
    }
    let (models, refused) = builtin.with(found);
    for (_, origin, why) in refused {
        if let Origin::File(path) = origin {
            warnings.push(Warning {
                file: path,
                line: Some(1),
                message: format!("{why}; file skipped"),
            });
        }
    }
    (models, warnings)
}

/// One model file, or why it was skipped.
pub fn read(path: &Path) -> Result<Model, Warning> {
    let text = files::read_regular_text(path, MAX_MODEL_FILE)
        .map_err(|e| whole(path, format!("cannot read it ({e}); file skipped")))?;
    parse(path, &text)
}

/// A model file's text, or why it was skipped, with the line.
pub fn parse(path: &Path, text: &str) -> Result<Model, Warning> {
    Model::parse(text).map_err(|e| Warning {
        file: path.to_path_buf(),
        line: Some(e.line(text)),
        message: format!("{e}; file skipped"),
    })
}

fn whole(path: &Path, message: String) -> Warning {
    Warning {
        file: path.to_path_buf(),
        line: None,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"id = "triage"
name = "Triage loop"

[[steps]]
name = "Look"
short = "Look"
question = "What is it?"
purpose = "See it."
checklist = ["Read it"]

[[steps]]
name = "Fix"
short = "Fix"
question = "What now?"
purpose = "Fix it."
checklist = []
"#;

    fn line_of(text: &str) -> usize {
        parse(Path::new("m.toml"), text).unwrap_err().line.unwrap()
    }

    #[test]
    fn a_good_file_parses() {
        let m = parse(Path::new("m.toml"), GOOD).unwrap();
        assert_eq!(m.id, "triage");
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn mistakes_are_reported_on_their_line() {
        // A rule broken by the second step: the line of the field.
        assert_eq!(
            line_of(&GOOD.replace("short = \"Fix\"", "short = \"look\"")),
            13
        );
        assert_eq!(
            line_of(&GOOD.replace("question = \"What now?\"", "question = \"\"")),
            14
        );
        assert_eq!(
            line_of(&GOOD.replace("name = \"Fix\"", "name = \"Fix\\nit\"")),
            12
        );
        // A field the step lacks: the line of the step's header.
        assert_eq!(line_of(&GOOD.replace("short = \"Fix\"\n", "")), 11);
        // An escape sequence in a checklist item: refused on its line.
        assert_eq!(
            line_of(&GOOD.replace("checklist = []", "checklist = [\"\\u001b[2J\"]")),
            16
        );
        // A TOML mistake: its own line.
        assert_eq!(
            line_of(&GOOD.replace("purpose = \"Fix it.\"", "purpose = Fix it.")),
            15
        );
        // An unknown field, a missing field.
        assert_eq!(
            line_of(&GOOD.replace("checklist = []", "checklist = []\ncolour = 1")),
            17
        );
        let w = parse(
            Path::new("m.toml"),
            &GOOD.replace("id = \"triage\"", "id = \"Bad Id\""),
        )
        .unwrap_err();
        assert_eq!(w.line, Some(1));
        assert!(
            w.to_string().starts_with("m.toml:1: model id \"Bad Id\""),
            "{w}"
        );
    }
}
