//! Moving the register in and out: lossless JSON, CSV for spreadsheets and a
//! Markdown report for stakeholders. Formatting and parsing are pure; the
//! SQL lives in `db`.

pub mod csv;
pub mod db;
pub mod doc;
pub mod markdown;

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::Path;

use chrono::NaiveDate;

pub use db::{Imported, read_initiative, read_register, write_register};
use doc::{GoalDoc, InitiativeDoc, KIND, RegisterDoc, SCHEMA, Stamp};

use crate::domain::detail::NoteKind;
use crate::domain::{Effort, KpiDirection, Model, Models, Origin, Status};
use crate::store::Store;

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
    /// Models the file carried that were not known here (the caller may
    /// keep them as model files).
    pub new_models: Vec<Model>,
}

#[derive(Debug)]
pub enum ImportError {
    /// Nothing was imported; every problem found, one per entry.
    Invalid(Vec<String>),
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        ImportError::Sqlite(e)
    }
}

fn check_date(field: &str, d: &Option<String>, errs: &mut Vec<(String, String)>) {
    if let Some(d) = d
        && NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err()
    {
        errs.push((
            field.into(),
            format!("{d:?} is not a date (expected YYYY-MM-DD)"),
        ));
    }
}

/// Problems with one initiative of a JSON document, as `(field, why)`.
fn validate(i: &InitiativeDoc, goals: &[GoalDoc], models: &Models) -> Vec<(String, String)> {
    let mut errs: Vec<(String, String)> = Vec::new();
    let mut bad = |f: &str, why: String| errs.push((f.into(), why));
    if i.title.trim().is_empty() {
        bad("title", "the title is empty".into());
    }
    match models.get(&i.model) {
        None => bad("model", format!("unknown model {:?}", i.model)),
        Some(m) if m.step(i.step).is_none() => bad(
            "step",
            format!("{} is not a step of {} (1-{})", i.step, m.name, m.len()),
        ),
        Some(_) => {}
    }
    if let Err(e) = i.status.parse::<Status>() {
        bad("status", e.0);
    }
    if let Err(e) = i.effort.parse::<Effort>() {
        bad("effort", e.0);
    }
    if !(1..=5).contains(&i.priority) {
        bad("priority", format!("{} is out of range (1-5)", i.priority));
    }
    if !(1..=10).contains(&i.value) {
        bad("value", format!("{} is out of range (1-10)", i.value));
    }
    if let Some(c) = &i.closure_code
        && !["successful", "unsuccessful", "withdrawn"].contains(&c.as_str())
    {
        bad("closure_code", format!("unknown closure code {c:?}"));
    }
    if let Some(a) = &i.area
        && !["people", "process", "technology"].contains(&a.as_str())
    {
        bad("area", format!("unknown area {a:?}"));
    }
    if let Some(g) = i.goal_id
        && !goals.iter().any(|x| x.id == g)
    {
        bad("goal_id", format!("goal {g} is not in the file"));
    }
    for k in &i.kpis {
        if let Err(e) = k.direction.parse::<KpiDirection>() {
            bad("kpis.direction", e.0);
        }
    }
    for n in &i.notes {
        if let Err(e) = n.kind.parse::<NoteKind>() {
            bad("notes.kind", e.0);
        }
    }
    check_date("due", &i.due, &mut errs);
    for k in &i.kpis {
        check_date("kpis.baseline_date", &k.baseline_date, &mut errs);
        check_date("kpis.target_date", &k.target_date, &mut errs);
        for m in &k.measurements {
            check_date(
                "kpis.measurements.measured_on",
                &Some(m.measured_on.clone()),
                &mut errs,
            );
        }
    }
    errs
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
            let mut problems = Vec::new();
            let mut good = Vec::new();
            for (n, i) in doc.initiatives.into_iter().enumerate() {
                let errs = validate(&i, &doc.goals, &models);
                if errs.is_empty() {
                    good.push(i);
                } else {
                    problems.extend(errs.into_iter().map(|(f, why)| {
                        format!("initiative {} (id {}), field {f}: {why}", n + 1, i.id)
                    }));
                }
            }
            (doc.goals, good, problems)
        }
        Format::Csv => {
            let parsed = csv::parse(text, model);
            report.ignored_columns = parsed.ignored;
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
            let docs = csv::to_initiatives(&parsed.rows, model, &goal_ids, now);
            (goals, docs, problems)
        }
    };
    if !problems.is_empty() {
        if !skip_invalid {
            return Err(ImportError::Invalid(problems));
        }
        report.skipped = problems;
    }
    // Only the goals the imported initiatives (or a JSON file) carry.
    report.imported = write_register(store, &goals, &initiatives)?;
    Ok(report)
}
