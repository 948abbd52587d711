//! Moving the register in and out: lossless JSON, CSV for spreadsheets and a
//! Markdown report for stakeholders. Formatting and parsing are pure; the
//! register is read and written through `store::bulk`.

pub mod check;
pub mod csv;
pub mod doc;
pub mod markdown;

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

pub use crate::store::bulk::{Imported, read_initiative, read_register, write_register};
use doc::{GoalDoc, InitiativeDoc, KIND, RegisterDoc, SCHEMA, Stamp};

/// Splits checked records into the good ones and the problems of the rest.
fn keep_good(
    list: &mut Vec<InitiativeDoc>,
    goals: &[GoalDoc],
    models: &Models,
) -> (Vec<InitiativeDoc>, Vec<String>) {
    let checked = check::initiatives(list, goals, models);
    let mut good = Vec::with_capacity(list.len());
    let mut problems = Vec::new();
    for (i, errs) in std::mem::take(list).into_iter().zip(checked) {
        if errs.is_empty() {
            good.push(i);
        } else {
            problems.extend(errs.iter().map(ToString::to_string));
        }
    }
    (good, problems)
}

use crate::domain::{Model, Models, Origin};
use crate::store::{self, Store};

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed to disk, then renamed over the target. A reader never sees half a
/// file and a failed write leaves the old file as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Which file format an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    /// From the extension, else from the first non-blank character.
    pub fn guess(path: &Path, text: &str) -> Format {
        match path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
        {
            Some(e) if e == "json" => Format::Json,
            Some(e) if e == "csv" => Format::Csv,
            _ if text.trim_start().starts_with('{') => Format::Json,
            _ => Format::Csv,
        }
    }
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub imported: Imported,
    /// Problems with the rows left out (with `--skip-invalid`).
    pub skipped: Vec<String>,
    /// CSV columns that were not recognised.
    pub ignored_columns: Vec<String>,
    /// What the file could not carry, said once (standard error).
    pub warnings: Vec<String>,
    /// How the file was read (a CSV's separator), for standard error.
    pub notes: Vec<String>,
    /// Models the file carried that were not known here (the caller may
    /// keep them as model files).
    pub new_models: Vec<Model>,
}

#[derive(Debug)]
pub enum ImportError {
    /// Nothing was imported; every problem found, one per entry.
    Invalid(Vec<String>),
    Sqlite(store::Error),
}

impl From<store::Error> for ImportError {
    fn from(e: store::Error) -> Self {
        ImportError::Sqlite(e)
    }
}

/// Imports `text` into the register: all of it, or (with `skip_invalid`)
/// the good part; never half a row.
pub fn import(
    store: &mut Store,
    text: &str,
    format: Format,
    models: &Models,
    now: Stamp,
    skip_invalid: bool,
) -> Result<ImportReport, ImportError> {
    import_from(store, text, format, models, now, skip_invalid, "a file")
}

/// [`import`], naming where the text came from in each initiative's
/// `imported` event.
pub fn import_from(
    store: &mut Store,
    text: &str,
    format: Format,
    models: &Models,
    now: Stamp,
    skip_invalid: bool,
    from: &str,
) -> Result<ImportReport, ImportError> {
    let options = ImportOptions {
        skip_invalid,
        from,
        ..ImportOptions::default()
    };
    import_with(store, text, format, models, now, options)
}

/// How an import reads and what it does with bad rows.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions<'a> {
    /// Import the good rows and report the bad ones, instead of refusing.
    pub skip_invalid: bool,
    /// Where the text came from, named in each initiative's `imported` event.
    pub from: &'a str,
    /// How a CSV's dates are read.
    pub csv: csv::ReadOptions,
}

/// [`import`] with every option.
pub fn import_with(
    store: &mut Store,
    text: &str,
    format: Format,
    models: &Models,
    now: Stamp,
    options: ImportOptions<'_>,
) -> Result<ImportReport, ImportError> {
    let ImportOptions {
        skip_invalid,
        from,
        csv: csv_options,
    } = options;
    // CSV rows follow the default model (a CSV row carries no model).
    let model = models.default_model();
    let mut report = ImportReport::default();
    let (goals, initiatives, problems) = match format {
        Format::Json => {
            let doc: RegisterDoc = serde_json::from_str(text)
                .map_err(|e| ImportError::Invalid(vec![format!("not a register export: {e}")]))?;
            if doc.kind != KIND {
                return Err(ImportError::Invalid(vec![format!(
                    "not a register export (kind is {:?}, expected {KIND:?})",
                    doc.kind
                )]));
            }
            if doc.schema > SCHEMA {
                return Err(ImportError::Invalid(vec![format!(
                    "written by a newer improve (schema {}, this version reads up to {SCHEMA})",
                    doc.schema
                )]));
            }
            let mut doc = doc;
            let goal_problems = check::goals(&mut doc.goals);
            if !goal_problems.is_empty() {
                return Err(ImportError::Invalid(
                    goal_problems.iter().map(ToString::to_string).collect(),
                ));
            }
            // The models the file carries, for initiatives of a model not
            // known here; a known id keeps the local definition.
            let mut carried = Vec::new();
            for (n, m) in doc.models.into_iter().enumerate() {
                let id = m.id.clone();
                match m.validated() {
                    Ok(m) if models.get(&m.id).is_none() => carried.push(m),
                    Ok(_) => {}
                    Err(e) => {
                        return Err(ImportError::Invalid(vec![format!(
                            "model {} ({id:?}): {e}",
                            n + 1
                        )]));
                    }
                }
            }
            report.new_models = carried.clone();
            let (models, _) =
                models.with(carried.into_iter().map(|m| (m, Origin::Register)).collect());
            let (good, problems) = keep_good(&mut doc.initiatives, &doc.goals, &models);
            (doc.goals, good, problems)
        }
        Format::Csv => {
            let parsed = csv::parse_with(text, model, csv_options);
            report.ignored_columns = parsed.ignored;
            report.notes.push(format!(
                "read the CSV as cells separated by {}",
                parsed.separator.name()
            ));
            let header_bad = parsed.errors.iter().any(|e| e.row == 1);
            let problems: Vec<String> = parsed.errors.iter().map(ToString::to_string).collect();
            if header_bad {
                return Err(ImportError::Invalid(problems));
            }
            let mut goal_ids = HashMap::new();
            let mut goals = Vec::new();
            for r in &parsed.rows {
                let key = r.goal.to_lowercase();
                if !key.is_empty() && !goal_ids.contains_key(&key) {
                    let id = goals.len() as i64 + 1;
                    goal_ids.insert(key, id);
                    goals.push(GoalDoc {
                        id,
                        name: r.goal.clone(),
                        description: String::new(),
                        created_at: now,
                    });
                }
            }
            // The same rows (by their ids or references) imported before:
            // most likely the same file twice, which adds them again.
            let referenced: Vec<(Option<i64>, &str, &str)> = parsed
                .rows
                .iter()
                .filter_map(|r| Some((r.id, r.reference.as_deref()?, r.title.as_str())))
                .collect();
            let there = crate::store::bulk::rows_already_there(store, &referenced)?;
            if there > 0 && there * 2 >= referenced.len() {
                report.warnings.push(format!(
                    "{} of the {} with an id in this file {} in the register already (same id or reference and title): \
                     was the file imported before? They are added again as new initiatives",
                    there,
                    crate::domain::text::count(referenced.len() as u64, "row"),
                    if there == 1 { "is" } else { "are" },
                ));
            }
            let returns: u64 = parsed.rows.iter().map(|r| u64::from(r.returns)).sum();
            // Said once, naming the returns only when there are some.
            let returns = match returns {
                0 => String::new(),
                1 => "1 return is imported as a count, ".to_string(),
                n => format!("{n} returns are imported as counts, "),
            };
            report.warnings.push(format!(
                "a CSV carries no move log, checklist ticks or KPIs (a notes column becomes one note): \
                 {returns}each initiative's history starts at its current step (its dates, \
                 step and status are kept); export JSON for a complete copy"
            ));
            let mut docs = csv::to_initiatives(&parsed.rows, model, &goal_ids, now);
            // The same rules as JSON: what the CSV reader let through must
            // still be a record every reader of the register can read.
            let (good, more) = keep_good(&mut docs, &goals, models);
            let mut problems = problems;
            problems.extend(more);
            (goals, good, problems)
        }
    };
    if !problems.is_empty() {
        if !skip_invalid {
            return Err(ImportError::Invalid(problems));
        }
        report.skipped = problems;
    }
    // Only the goals the imported initiatives (or a JSON file) carry.
    report.imported = write_register(store, &goals, &initiatives, from)?;
    Ok(report)
}
