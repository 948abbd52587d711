//! `improve demo`: filling a register with the sample, and taking it away
//! again, without ever trapping or losing what the user had.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::commands::{Ctx, write_failed};
use super::failure::{Failure, code};
use super::progress::{self, Progress};
use super::transfer;
use crate::domain::text::count;
use crate::sample::{generate_with_progress, load_sample};
use crate::store::sample;

/// `demo [--initiatives N] [--force [--yes]]`. Over a register that holds
/// data, `--force` first copies it beside itself, and on a terminal asks.
pub(super) fn fill(
    ctx: &mut Ctx<'_>,
    db: &Path,
    initiatives: Option<usize>,
    force: bool,
    yes: bool,
) -> Result<(), Failure> {
    if sample::has_data(&ctx.store)? {
        if !force {
            return Err(Failure::new(
                code::INVALID,
                format!(
                    "{} already holds data; use --force to replace it (a backup is made first), or improve demo --remove to take a sample away",
                    db.display()
                ),
            ));
        }
        if !yes && std::io::stdin().is_terminal() && !confirm(ctx, db)? {
            return Err(Failure::new(code::FAILURE, "nothing changed"));
        }
        let copy = backup_path(db, ctx.clock.now());
        transfer::backup(ctx, db, &copy)?;
        sample::clear(&mut ctx.store)?;
    }
    let now = ctx.clock.now();
    let summary = match initiatives {
        Some(n) => {
            let bar = if n >= progress::DEMO_BAR_FROM {
                Progress::bar(n as u64, "initiatives")
            } else {
                Progress::none()
            };
            bar.phase("generating");
            let mut shown = |done: usize| {
                if done == n {
                    bar.phase("saving");
                }
                bar.set(done as u64);
            };
            generate_with_progress(
                &mut ctx.store,
                &crate::domain::Model::itil4(),
                n,
                now,
                &mut shown,
            )?
        }
        None => load_sample(&mut ctx.store, &crate::domain::Model::itil4(), now)?,
    };
    writeln!(
        ctx.out,
        "{}: {}, {}, {}, {}, {}, {}",
        db.display(),
        count(summary.initiatives as u64, "initiative"),
        count(summary.goals as u64, "goal"),
        count(summary.moves as u64, "move"),
        count(summary.kpis as u64, "KPI"),
        count(summary.measurements as u64, "measurement"),
        count(summary.notes as u64, "note")
    )
    .map_err(write_failed)
}

/// `demo --remove`: the sample's rows that nobody has changed go; the
/// user's own rows, and sample rows they made their own, stay.
pub(super) fn remove(ctx: &mut Ctx<'_>, db: &Path) -> Result<(), Failure> {
    let r = sample::remove(&mut ctx.store)?;
    let out = &mut ctx.out;
    if !r.found_any() {
        return writeln!(out, "{}: no sample rows to remove", db.display()).map_err(write_failed);
    }
    writeln!(
        out,
        "{}: removed {} sample initiatives and {} goals",
        db.display(),
        r.initiatives,
        r.goals
    )
    .map_err(write_failed)?;
    if !r.changed.is_empty() {
        writeln!(
            out,
            "kept {} changed since the sample was loaded: {} (d in the dashboard deletes one)",
            r.changed.len(),
            ids(&r.changed)
        )
        .map_err(write_failed)?;
    }
    if !r.parents.is_empty() {
        writeln!(
            out,
            "kept {} that a follow-up you kept comes from: {}",
            r.parents.len(),
            ids(&r.parents)
        )
        .map_err(write_failed)?;
    }
    if r.goals_kept > 0 {
        writeln!(
            out,
            "kept {} that initiatives still serve",
            count(r.goals_kept as u64, "sample goal")
        )
        .map_err(write_failed)?;
    }
    Ok(())
}

fn ids(ids: &[i64]) -> String {
    ids.iter()
        .map(|id| format!("#{id}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Asks on the terminal before replacing a register that holds data.
fn confirm(ctx: &Ctx<'_>, db: &Path) -> Result<bool, Failure> {
    let (initiatives, goals) = ctx.store.register_counts()?;
    let mut err = std::io::stderr();
    let _ = write!(
        err,
        "{} holds {} and {}. Replace them with the sample (a backup is made first)? [y/N] ",
        db.display(),
        count(initiatives as u64, "initiative"),
        count(goals as u64, "goal")
    );
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::new(code::FAILURE, format!("cannot read the answer: {e}")))?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// `reg.before-demo-20261201T105900Z.db` beside `reg.db`; a name already
/// taken (two runs in one second) gets a counter.
fn backup_path(db: &Path, now: chrono::DateTime<chrono::Utc>) -> PathBuf {
    let stem = db
        .file_stem()
        .map_or_else(|| "register".into(), |s| s.to_string_lossy().into_owned());
    let ext = db
        .extension()
        .map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let dir = db.parent().unwrap_or(Path::new(""));
    let mut path = dir.join(format!("{stem}.before-demo-{stamp}{ext}"));
    let mut n = 2;
    while path.symlink_metadata().is_ok() {
        path = dir.join(format!("{stem}.before-demo-{stamp}-{n}{ext}"));
        n += 1;
    }
    path
}
