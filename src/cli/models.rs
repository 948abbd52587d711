//! `improve models [--json]`: every model this run knows, its steps and
//! where it came from. Needs no register.

use std::io::{self, Write};

use serde::Serialize;

use super::commands::{json_out, write_failed};
use super::failure::Failure;
use crate::domain::text::sanitize;
use crate::domain::{Model, Models, Origin};

/// One model in `improve models --json` (a documented contract: add
/// fields, never rename or remove them).
#[derive(Serialize)]
struct ModelEntry<'a> {
    id: &'a str,
    name: &'a str,
    /// Whether new initiatives follow it (`model` in the configuration).
    default: bool,
    /// `builtin`, `file` or `register`.
    source: &'static str,
    /// The model file, for `file`.
    path: Option<String>,
    steps: Vec<StepEntry<'a>>,
}

#[derive(Serialize)]
struct StepEntry<'a> {
    number: usize,
    short: &'a str,
    name: &'a str,
    question: &'a str,
    purpose: &'a str,
    checklist: &'a [String],
}

fn source(origin: &Origin) -> (&'static str, Option<String>) {
    match origin {
        Origin::Builtin => ("builtin", None),
        Origin::File(p) => ("file", Some(p.display().to_string())),
        Origin::Register => ("register", None),
    }
}

pub fn models(models: &Models, json: bool) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if json {
        let entries: Vec<ModelEntry> = models
            .iter()
            .map(|(m, origin)| {
                let (source, path) = source(origin);
                ModelEntry {
                    id: &m.id,
                    name: &m.name,
                    default: m.id == models.default_model().id,
                    source,
                    path,
                    steps: m
                        .steps
                        .iter()
                        .enumerate()
                        .map(|(i, s)| StepEntry {
                            number: i + 1,
                            short: &s.short,
                            name: &s.name,
                            question: &s.question,
                            purpose: &s.purpose,
                            checklist: &s.checklist,
                        })
                        .collect(),
                }
            })
            .collect();
        return json_out(&mut out, &entries);
    }
    text(&mut out, models).map_err(write_failed)?;
    out.flush().map_err(write_failed)
}

fn text(out: &mut dyn Write, models: &Models) -> io::Result<()> {
    let id_w = models.iter().map(|(m, _)| m.id.len()).max().unwrap_or(2);
    for (m, origin) in models.iter() {
        let default = if m.id == models.default_model().id {
            " (default)"
        } else {
            ""
        };
        writeln!(
            out,
            "{:<id_w$}  {} · {} · {}{default}",
            m.id,
            sanitize(&m.name),
            crate::domain::text::count(m.len() as u64, "step"),
            sanitize(&origin.describe())
        )?;
        writeln!(out, "{:<id_w$}  {}", "", strip(m))?;
    }
    Ok(())
}

/// "1 Plan › 2 Do › 3 Check › 4 Act".
fn strip(m: &Model) -> String {
    let steps: Vec<String> = m
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{} {}", i + 1, sanitize(&s.short)))
        .collect();
    steps.join(" › ")
}
