//! `export`, `import` and `backup`.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use super::args::{DateOrderArg, ExportFormat, ImportFormat};
use super::commands::{Ctx, write_failed};
use super::failure::{Failure, code};
use super::guard;
use super::progress::{self, Progress};
use crate::domain::text::{count, sanitize};
use crate::domain::{Model, Origin};
use crate::exchange::doc::Stamp;
use crate::exchange::{self, Format, ImportError, csv, markdown, read_register, write_atomic};
use crate::files::{self, ReadError};

/// `-` as a file name: standard output for `export -o`, standard input for
/// `import`.
fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

pub(super) fn export(
    ctx: &mut Ctx<'_>,
    db: &Path,
    format: ExportFormat,
    output: Option<PathBuf>,
) -> Result<(), Failure> {
    let output = output.filter(|p| !is_stdio(p));
    if let Some(path) = &output {
        guard::refuse_register(db, path, "export")?;
    }
    // A large register takes seconds to read and write out: say what is
    // being done meanwhile (on a terminal's stderr only).
    let large = std::fs::metadata(db).is_ok_and(|m| m.len() >= progress::EXPORT_BYTES_FROM);
    let progress = if large {
        Progress::spinner("reading the register")
    } else {
        Progress::none()
    };
    let now = Stamp(ctx.clock.now().timestamp());
    let mut doc = read_register(&ctx.store, now)?;
    progress.phase(&format!(
        "writing {} initiatives as {}",
        doc.initiatives.len(),
        match format {
            ExportFormat::Json => "JSON",
            ExportFormat::Csv => "CSV",
            ExportFormat::Md => "Markdown",
        }
    ));
    // A user's own model goes with its initiatives, so that the file can be
    // imported where that model file is not.
    doc.models = ctx
        .models
        .iter()
        .filter(|(m, origin)| {
            **origin != Origin::Builtin && doc.initiatives.iter().any(|i| i.model == m.id)
        })
        .map(|(m, _)| m.clone())
        .collect();
    let text = match format {
        ExportFormat::Json => {
            let mut s = serde_json::to_string_pretty(&doc)
                .map_err(|e| Failure::new(code::FAILURE, e.to_string()))?;
            s.push('\n');
            s
        }
        ExportFormat::Csv => csv::write(&doc, &ctx.models)
            .map_err(|e| Failure::new(code::FAILURE, format!("cannot write CSV: {e}")))?,
        ExportFormat::Md => markdown::report(&doc, &ctx.models, ctx.clock.today()),
    };
    if output.is_none() {
        // Standard output may be the same terminal: the spinner goes first.
        drop(progress);
    }
    match output {
        Some(path) => write_file(&path, text.as_bytes()).map_err(|e| {
            Failure::new(
                code::FAILURE,
                format!("cannot write {}: {e}", path.display()),
            )
        }),
        // On a terminal the data must not drive it; into a file or a pipe
        // it goes as it is.
        None if std::io::stdout().is_terminal() => ctx
            .out
            .write_all(for_terminal(&text).as_bytes())
            .map_err(write_failed),
        None => ctx.out.write_all(text.as_bytes()).map_err(write_failed),
    }
}

/// Text for a terminal: each line sanitised, the line breaks kept.
fn for_terminal(text: &str) -> String {
    text.split('\n')
        .map(|line| sanitize(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A regular file is replaced atomically (a temporary file beside it,
/// renamed once complete), so a failed export never leaves half a file; a
/// device or FIFO the user named (`/dev/null`, a pipe) is written to.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(std::io::Error::other("it is a folder; give a file name")),
        Ok(m) if !m.is_file() => std::fs::OpenOptions::new()
            .write(true)
            .open(path)?
            .write_all(bytes),
        _ => write_atomic(path, bytes),
    }
}

/// The text of an import: the named file (refused at once when it is a
/// FIFO, a device, a folder or over [`files::MAX_INPUT`]) or, for `-`,
/// standard input up to the same limit.
fn read_input(file: &Path) -> Result<String, Failure> {
    let cannot = |code: i32, why: String| {
        Failure::new(code, format!("cannot read {}: {why}", file.display()))
    };
    if is_stdio(file) {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(files::MAX_INPUT + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| cannot(code::FAILURE, e.to_string()))?;
        if bytes.len() as u64 > files::MAX_INPUT {
            return Err(cannot(
                code::INVALID,
                format!("it is over the {} MiB limit", files::MAX_INPUT >> 20),
            ));
        }
        return String::from_utf8(bytes)
            .map_err(|_| Failure::new(code::INVALID, "standard input is not UTF-8 text"));
    }
    files::read_regular_text(file, files::MAX_INPUT).map_err(|e| {
        let code = match &e {
            ReadError::Io(io) if io.kind() == std::io::ErrorKind::NotFound => code::NOT_FOUND,
            ReadError::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => code::INVALID,
            ReadError::Io(_) => code::FAILURE,
            ReadError::NotAFile(_) | ReadError::TooLarge(..) => code::INVALID,
        };
        cannot(code, e.to_string())
    })
}

/// Saves a model an imported file carried as a model file, so that its
/// initiatives follow it from now on; says where on stderr. An existing
/// file is never overwritten.
fn keep_model(dir: Option<&Path>, model: &Model, from: &Path) {
    let unsaved = |why: String| {
        eprintln!(
            "improve: warning: model {} came with {} but {why}; its initiatives show under the default model until a models/{}.toml defines it",
            model.id,
            from.display(),
            model.id
        )
    };
    let Some(dir) = dir else {
        return unsaved("there is no config folder to keep it in".into());
    };
    let path = dir.join(format!("{}.toml", model.id));
    if path.exists() {
        return unsaved(format!("{} already exists", path.display()));
    }
    let text = match toml::to_string(model) {
        Ok(t) => format!("# Came with {} (improve import).\n\n{t}", from.display()),
        Err(e) => return unsaved(format!("it cannot be written as TOML ({e})")),
    };
    let written = std::fs::create_dir_all(dir).and_then(|()| write_atomic(&path, text.as_bytes()));
    match written {
        Ok(()) => eprintln!("improve: model {} saved to {}", model.id, path.display()),
        Err(e) => unsaved(format!("{} cannot be written ({e})", path.display())),
    }
}

pub(super) fn import(
    ctx: &mut Ctx<'_>,
    file: &Path,
    format: Option<ImportFormat>,
    skip_invalid: bool,
    date_order: Option<DateOrderArg>,
) -> Result<(), Failure> {
    let text = read_input(file)?;
    let progress = if text.len() >= progress::IMPORT_BYTES_FROM {
        Progress::spinner(&format!(
            "importing {} MiB from {}",
            text.len() >> 20,
            file.display()
        ))
    } else {
        Progress::none()
    };
    let format = match format {
        Some(ImportFormat::Json) => Format::Json,
        Some(ImportFormat::Csv) => Format::Csv,
        None => Format::guess(file, &text),
    };
    let now = Stamp(ctx.clock.now().timestamp());
    let from = if file == Path::new("-") {
        "standard input".to_string()
    } else {
        file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    };
    let options = exchange::ImportOptions {
        skip_invalid,
        from: &from,
        csv: csv::ReadOptions {
            date_order: date_order.map(|o| match o {
                DateOrderArg::Dmy => csv::DateOrder::Dmy,
                DateOrderArg::Mdy => csv::DateOrder::Mdy,
            }),
            dates: Some(ctx.dates.clone()),
        },
    };
    let result = exchange::import_with(&mut ctx.store, &text, format, &ctx.models, now, options);
    // The report lines below start on a clean line.
    drop(progress);
    match result {
        Ok(report) => {
            for n in &report.notes {
                eprintln!("improve: {}", sanitize(n));
            }
            if !report.ignored_columns.is_empty() {
                eprintln!(
                    "improve: ignored columns: {}",
                    sanitize(&report.ignored_columns.join(", "))
                );
            }
            for p in &report.skipped {
                eprintln!("improve: skipped {}", sanitize(p));
            }
            for w in &report.warnings {
                eprintln!("improve: warning: {}", sanitize(w));
            }
            for model in &report.new_models {
                keep_model(ctx.models_dir.as_deref(), model, file);
            }
            let i = report.imported;
            writeln!(
                ctx.out,
                "imported {} and {} from {}{}{}",
                count(i.initiatives as u64, "initiative"),
                count(i.goals as u64, "goal"),
                file.display(),
                if i.kept_ids { "" } else { " (new ids given)" },
                if report.skipped.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {} skipped",
                        count(report.skipped.len() as u64, "problem")
                    )
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
                eprintln!("improve: {}", sanitize(p));
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
    guard::refuse_register(db, path, "backup")?;
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
    ctx.store.copy_to(&tmp).map_err(|e| fail(e.to_string()))?;
    std::fs::rename(&tmp, path).map_err(|e| fail(e.to_string()))?;
    writeln!(ctx.out, "backed up {} to {}", db.display(), path.display()).map_err(write_failed)
}
