//! `export`, `import` and `backup`.

use std::path::{Path, PathBuf};

use super::args::{ExportFormat, ImportFormat};
use super::commands::{Ctx, write_failed};
use super::failure::{Failure, code};
use crate::exchange::doc::Stamp;
use crate::exchange::{self, Format, ImportError, csv, markdown, read_register, write_atomic};

pub(super) fn export(
    ctx: &mut Ctx<'_>,
    format: ExportFormat,
    output: Option<PathBuf>,
) -> Result<(), Failure> {
    let now = Stamp(ctx.clock.now().timestamp());
    let doc = read_register(&ctx.store, now)?;
    let text = match format {
        ExportFormat::Json => {
            let mut s = serde_json::to_string_pretty(&doc)
                .map_err(|e| Failure::new(code::FAILURE, e.to_string()))?;
            s.push('\n');
            s
        }
        ExportFormat::Csv => csv::write(&doc, &ctx.model)
            .map_err(|e| Failure::new(code::FAILURE, format!("cannot write CSV: {e}")))?,
        ExportFormat::Md => markdown::report(&doc, &ctx.model, ctx.clock.today()),
    };
    match output {
        Some(path) => write_atomic(&path, text.as_bytes()).map_err(|e| {
            Failure::new(
                code::FAILURE,
                format!("cannot write {}: {e}", path.display()),
            )
        }),
        None => ctx.out.write_all(text.as_bytes()).map_err(write_failed),
    }
}

pub(super) fn import(
    ctx: &mut Ctx<'_>,
    file: &Path,
    format: Option<ImportFormat>,
    skip_invalid: bool,
) -> Result<(), Failure> {
    let bytes = std::fs::read(file).map_err(|e| {
        let code = if e.kind() == std::io::ErrorKind::NotFound {
            code::NOT_FOUND
        } else {
            code::FAILURE
        };
        Failure::new(code, format!("cannot read {}: {e}", file.display()))
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::new(
            code::INVALID,
            format!("{} is not UTF-8 text", file.display()),
        )
    })?;
    let format = match format {
        Some(ImportFormat::Json) => Format::Json,
        Some(ImportFormat::Csv) => Format::Csv,
        None => Format::guess(file, &text),
    };
    let now = Stamp(ctx.clock.now().timestamp());
    match exchange::import(&mut ctx.store, &text, format, &ctx.model, now, skip_invalid) {
        Ok(report) => {
            if !report.ignored_columns.is_empty() {
                eprintln!(
                    "improve: ignored columns: {}",
                    report.ignored_columns.join(", ")
                );
            }
            for p in &report.skipped {
                eprintln!("improve: skipped {p}");
            }
            let i = report.imported;
            writeln!(
                ctx.out,
                "imported {} initiatives and {} goals from {}{}{}",
                i.initiatives,
                i.goals,
                file.display(),
                if i.kept_ids { "" } else { " (new ids given)" },
                if report.skipped.is_empty() {
                    String::new()
                } else {
                    format!("; {} problems skipped", report.skipped.len())
                }
            )
            .map_err(write_failed)
        }
        Err(ImportError::Invalid(problems)) if problems.len() == 1 => Err(Failure::new(
            code::INVALID,
            format!("nothing imported from {}: {}", file.display(), problems[0]),
        )),
        Err(ImportError::Invalid(problems)) => {
            for p in &problems {
                eprintln!("improve: {p}");
            }
            Err(Failure::new(
                code::INVALID,
                format!(
                    "nothing imported from {}: {} problem{} (--skip-invalid imports the good rows)",
                    file.display(),
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" }
                ),
            ))
        }
        // A lock or a full disk: the words and exit code of every write.
        Err(ImportError::Sqlite(e)) => Err(Failure::storage(e).unwrap_or_else(|e| {
            Failure::new(
                code::INVALID,
                format!("nothing imported from {}: {e}", file.display()),
            )
        })),
    }
}

/// Copies the register with SQLite's online backup, into a temporary file
/// beside the target that is renamed over it once complete.
pub(super) fn backup(ctx: &mut Ctx<'_>, db: &Path, path: &Path) -> Result<(), Failure> {
    if let (Ok(a), Ok(b)) = (db.canonicalize(), path.canonicalize())
        && a == b
    {
        return Err(Failure::new(
            code::INVALID,
            "the backup would overwrite the register itself",
        ));
    }
    if path.is_dir() {
        return Err(Failure::new(
            code::INVALID,
            format!("{} is a folder; give a file name", path.display()),
        ));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Failure::new(
            code::NOT_FOUND,
            format!(
                "cannot back up to {}: there is no folder {}",
                path.display(),
                dir.display()
            ),
        ));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let fail = |why: String| {
        let _ = std::fs::remove_file(&tmp);
        Failure::new(
            code::FAILURE,
            format!("cannot back up to {}: {why}", path.display()),
        )
    };
    {
        let mut dst = rusqlite::Connection::open(&tmp).map_err(|e| fail(e.to_string()))?;
        let backup = rusqlite::backup::Backup::new(ctx.store.conn(), &mut dst)
            .map_err(|e| fail(e.to_string()))?;
        // All pages in one step: a consistent snapshot; in WAL mode the
        // dashboard's writes are not blocked meanwhile.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            use rusqlite::backup::StepResult;
            match backup.step(-1).map_err(|e| fail(e.to_string()))? {
                StepResult::Done => break,
                StepResult::More => {}
                _ if std::time::Instant::now() > deadline => {
                    return Err(fail("the register stayed locked".into()));
                }
                _ => std::thread::sleep(std::time::Duration::from_millis(20)),
            }
        }
    }
    std::fs::rename(&tmp, path).map_err(|e| fail(e.to_string()))?;
    writeln!(ctx.out, "backed up {} to {}", db.display(), path.display()).map_err(write_failed)
}
