//! Dispatch of the subcommands and what they share: the open register, the
//! clock, standard output, and the turning of mistakes into [`Failure`]s.

use std::io::{self, Write};
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::args::{Command, GoalAction};
use super::failure::{Failure, code};
use super::{demo, edit, history, list, transfer};
use crate::domain::detail::{Goal, InitiativeDetail};
use crate::domain::time::Clock;
use crate::domain::{DateFormat, Model, Models};
use crate::store::{self, Store};

/// What every command works with.
pub(super) struct Ctx<'a> {
    pub store: Store,
    pub models: Models,
    /// Where the user's model files live (`models/` beside the config
    /// file); an import keeps the models a file carried there.
    pub models_dir: Option<std::path::PathBuf>,
    pub clock: Clock,
    /// How dates are shown in text output (JSON and CSV stay ISO 8601).
    pub dates: DateFormat,
    pub out: &'a mut dyn Write,
}

/// Runs one subcommand against the register at `db`. With `read_only` the
/// file is opened read-only and commands that write are refused; `dates`
/// is the configured format for dates in text output.
pub fn run(
    command: Command,
    db: &Path,
    read_only: bool,
    dates: DateFormat,
    author: &str,
    models: Models,
    models_dir: Option<std::path::PathBuf>,
) -> Result<(), Failure> {
    if read_only && command.writes() {
        return Err(Failure::new(
            code::READ_ONLY,
            format!(
                "read-only: {} would change the register (opened with --read-only or IMPROVE_READ_ONLY)",
                command_name(&command)
            ),
        ));
    }
    if !command.writes() && no_register(db) {
        // A mistyped `--db` must not leave folders and an empty register
        // behind, nor pass for an empty one.
        return Err(Failure::new(
            code::CANNOT_OPEN,
            format!(
                "no register at {} (the dashboard, `improve demo` or `improve add` creates one)",
                db.display()
            ),
        ));
    }
    let (mut store, storage) = store::open_for(db, read_only)?;
    store.set_author(author);
    if let Some(why) = storage.filter(|_| command.writes()) {
        return Err(Failure::new(
            code::READ_ONLY,
            format!(
                "read-only: {} cannot change {}: {why}",
                command_name(&command),
                db.display()
            ),
        ));
    }
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    let mut ctx = Ctx {
        store,
        models,
        models_dir,
        clock: Clock::System,
        dates,
        out: &mut lock,
    };
    match command {
        Command::Demo { remove: true, .. } => demo::remove(&mut ctx, db)?,
        Command::Demo {
            initiatives,
            force,
            yes,
            remove: false,
        } => demo::fill(&mut ctx, db, initiatives, force, yes)?,
        Command::List(args) => list::list(&mut ctx, &args)?,
        Command::Show { id, json } => list::show(&mut ctx, id, json)?,
        Command::Add(args) => edit::add(&mut ctx, args)?,
        Command::Move {
            id,
            direction,
            to,
            reason,
            code,
            realised,
        } => edit::move_cmd(&mut ctx, id, direction, to, reason, (code, realised))?,
        Command::Reopen { id, reason, to } => history::reopen(&mut ctx, id, reason, to)?,
        Command::Log(args) => history::log(&mut ctx, &args)?,
        Command::SetModel { id, model } => edit::set_model(&mut ctx, id, &model)?,
        Command::Check { id, item, undo } => edit::check(&mut ctx, id, item, undo)?,
        Command::Note { id, text, kind } => edit::note(&mut ctx, id, &text, kind)?,
        Command::Kpi { id, action } => edit::kpi(&mut ctx, id, action)?,
        Command::Hold { id, reason } => edit::hold(&mut ctx, id, &reason)?,
        Command::Resume { id } => edit::resume(&mut ctx, id)?,
        Command::Cancel { id, reason } => edit::cancel(&mut ctx, id, reason)?,
        Command::Close { id, code, realised } => edit::close(&mut ctx, id, code, realised)?,
        Command::Goal { action } => match action {
            GoalAction::Add { name, description } => edit::goal_add(&mut ctx, &name, &description)?,
            GoalAction::List { json } => list::goals(&mut ctx, json)?,
        },
        Command::Export { format, output } => transfer::export(&mut ctx, db, format, output)?,
        Command::Import {
            file,
            format,
            skip_invalid,
            date_order,
        } => transfer::import(&mut ctx, &file, format, skip_invalid, date_order)?,
        Command::Backup { path } => transfer::backup(&mut ctx, db, &path)?,
        #[cfg(feature = "serve")]
        Command::Serve(_) => unreachable!("handled before the register is opened"),
        Command::Completions { .. }
        | Command::Man { .. }
        | Command::Config { .. }
        | Command::Models { .. } => {
            unreachable!("handled before the register is opened")
        }
    }
    ctx.out.flush().map_err(write_failed)
}

/// Nothing there, or an empty file: what opening for writing would turn
/// into a new register. A folder or anything else is left to `open`, which
/// says what it is.
fn no_register(db: &Path) -> bool {
    match std::fs::metadata(db) {
        Err(e) => e.kind() == io::ErrorKind::NotFound,
        Ok(m) => m.is_file() && m.len() == 0,
    }
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::Demo { .. } => "demo",
        Command::Add(_) => "add",
        Command::Move { .. } => "move",
        Command::SetModel { .. } => "set-model",
        Command::Check { .. } => "check",
        Command::Note { .. } => "note",
        Command::Kpi { .. } => "kpi",
        Command::Hold { .. } => "hold",
        Command::Resume { .. } => "resume",
        Command::Cancel { .. } => "cancel",
        Command::Close { .. } => "close",
        Command::Reopen { .. } => "reopen",
        Command::Goal { .. } => "goal add",
        Command::Import { .. } => "import",
        _ => "this command",
    }
}

pub(super) fn write_failed(e: io::Error) -> Failure {
    // `improve list | head` closing the pipe early is not an error.
    if e.kind() == io::ErrorKind::BrokenPipe {
        return Failure::new(0, "");
    }
    Failure::new(code::FAILURE, format!("cannot write output: {e}"))
}

/// One JSON value and a newline.
pub(super) fn json_out(out: &mut dyn Write, value: &impl Serialize) -> Result<(), Failure> {
    serde_json::to_writer(&mut *out, value).map_err(|e| match e.io_error_kind() {
        Some(kind) => write_failed(kind.into()),
        None => Failure::new(code::FAILURE, e.to_string()),
    })?;
    writeln!(out).map_err(write_failed)
}

pub(super) fn not_found(id: i64) -> Failure {
    Failure::new(code::NOT_FOUND, format!("initiative #{id} does not exist"))
}

pub(super) fn invalid(message: impl Into<String>) -> Failure {
    Failure::new(code::INVALID, message)
}

/// Everything about one initiative, or "does not exist".
pub(super) fn detail(ctx: &Ctx<'_>, id: i64) -> Result<InitiativeDetail, Failure> {
    ctx.store
        .initiative_detail(&ctx.models, id)?
        .ok_or_else(|| not_found(id))
}

/// A model by id, or "unknown model" with the ids there are.
pub(super) fn find_model<'m>(models: &'m Models, id: &str) -> Result<&'m Model, Failure> {
    let id = id.trim();
    models.get(id).ok_or_else(|| {
        invalid(format!(
            "unknown model {id:?} (one of {}; see `improve models`)",
            models.ids()
        ))
    })
}

/// A date given for `what` as people type it: ISO, the configured format,
/// `today`, `+3d`, a weekday (see `DateFormat::read`).
pub(super) fn parse_date(ctx: &Ctx<'_>, what: &str, text: &str) -> Result<NaiveDate, Failure> {
    ctx.dates
        .read(text, ctx.clock.today())
        .map_err(|why| invalid(format!("{what}: {why}")))
}

/// A mistake that is allowed but most likely a slip: one line on stderr.
pub(super) fn warn(warning: Option<String>) {
    if let Some(w) = warning {
        eprintln!("improve: warning: {w}");
    }
}

/// A goal by id or by name (ignoring case).
pub(super) fn find_goal(store: &Store, key: &str) -> Result<Goal, Failure> {
    let goals = store.goals()?;
    let key = key.trim();
    let by_id = key
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .and_then(|id| goals.iter().find(|g| g.id == id));
    by_id
        .or_else(|| {
            goals
                .iter()
                .find(|g| g.name.trim().eq_ignore_ascii_case(key))
        })
        .cloned()
        .ok_or_else(|| {
            Failure::new(
                code::NOT_FOUND,
                format!(
                    "no goal {key:?}; see `improve goal list`, or add it with `improve goal add`"
                ),
            )
        })
}
