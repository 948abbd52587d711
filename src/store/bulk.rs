//! The bulk writer: many rows in one IMMEDIATE transaction, all of them
//! landing or none. An import (`write_register` below) and the sample
//! (`src/sample/`) both write through it, and it writes each row through
//! `rows.rs`, as every other write does.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::Store;
use super::rows::{
    self, ChecklistCopy, EventRow, GoalRow, InitiativeRow, ItemRow, KpiRow, MeasurementRow,
    MoveRow, NoteRow,
};
use crate::domain::Model;
use crate::domain::register_doc::{GoalDoc, InitiativeDoc};

pub use super::export::{read_initiative, read_register, rows_already_there};

/// How a bulk load treats the register while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// As any write: every constraint checked (an import, the hand-written
    /// sample).
    Checked,
    /// A large load of rows that are consistent by construction (the
    /// generated sample): constraints unchecked and the connection set up
    /// for one large transaction (see [`fast`]).
    Fast,
}

/// Writes rows inside a bulk load's transaction; ids come back as SQLite
/// gives them.
pub struct BulkWriter<'c> {
    conn: &'c Connection,
    /// The checklist copier of the last model copied, by model id.
    checklist: Option<(String, ChecklistCopy<'c>)>,
}

impl Store {
    /// Runs `f` in one IMMEDIATE transaction and commits what it wrote;
    /// nothing is written if `f` fails.
    pub fn bulk_write<T>(
        &mut self,
        load: Load,
        f: impl FnOnce(&mut BulkWriter<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        match load {
            Load::Checked => in_transaction(self.conn_mut(), f),
            // Constraint checking is most of the cost of a bulk load: SQLite
            // builds and frees a temporary b-tree per row for each
            // `CHECK (x IN (...))` of `initiatives`, and looks up the parent
            // of every checklist item and move. The tests of the generated
            // sample run `integrity_check`, which evaluates CHECKs, and
            // `foreign_key_check`.
            Load::Fast => fast(self.conn_mut(), |conn| {
                unchecked(conn, |conn| in_transaction(conn, f))
            }),
        }
    }
}

fn in_transaction<T>(
    conn: &mut Connection,
    f: impl FnOnce(&mut BulkWriter<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let value = {
        let mut w = BulkWriter {
            conn: &tx,
            checklist: None,
        };
        f(&mut w)?
    };
    tx.commit()?;
    Ok(value)
}

impl BulkWriter<'_> {
    /// True when the register holds no initiative and no goal.
    pub fn is_empty(&self) -> rusqlite::Result<bool> {
        self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM initiatives) AND NOT EXISTS (SELECT 1 FROM goals)",
            [],
            |r| r.get(0),
        )
    }

    /// The first goal named `name`, ignoring case.
    pub fn goal_named(&self, name: &str) -> rusqlite::Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT id FROM goals WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
                [name],
                |r| r.get(0),
            )
            .optional()
    }

    pub fn goal(&mut self, g: &GoalRow<'_>) -> rusqlite::Result<i64> {
        rows::goal(self.conn, g)
    }

    pub fn initiative(&mut self, i: &InitiativeRow<'_>) -> rusqlite::Result<i64> {
        rows::initiative(self.conn, i)
    }

    /// Links a follow-up to the initiative it comes from.
    pub fn set_parent(&mut self, id: i64, parent: i64) -> rusqlite::Result<()> {
        rows::set_parent(self.conn, id, parent)
    }

    pub fn item(&mut self, c: &ItemRow<'_>) -> rusqlite::Result<i64> {
        rows::item(self.conn, c)
    }

    /// Copies `model`'s whole checklist onto `initiative` in one statement,
    /// item `k` (in model order) done at `done_at[k]`.
    pub fn checklist(
        &mut self,
        model: &Model,
        initiative: i64,
        done_at: &[Option<i64>],
    ) -> rusqlite::Result<()> {
        let conn = self.conn;
        let copy = match &mut self.checklist {
            Some((id, copy)) if *id == model.id => copy,
            slot => {
                &mut slot
                    .insert((model.id.clone(), ChecklistCopy::new(conn, model)?))
                    .1
            }
        };
        copy.copy(initiative, done_at)
    }

    pub fn log_move(&mut self, m: &MoveRow<'_>) -> rusqlite::Result<i64> {
        rows::log_move(self.conn, m)
    }

    pub fn kpi(&mut self, k: &KpiRow<'_>) -> rusqlite::Result<i64> {
        rows::kpi(self.conn, k)
    }

    pub fn measurement(&mut self, m: &MeasurementRow<'_>) -> rusqlite::Result<i64> {
        rows::measurement(self.conn, m)
    }

    pub fn note(&mut self, n: &NoteRow<'_>) -> rusqlite::Result<i64> {
        rows::note(self.conn, n)
    }

    pub fn event(&mut self, e: &EventRow<'_>) -> rusqlite::Result<i64> {
        rows::event(self.conn, e)
    }

    /// Gives initiatives without a history one from their moves: all of
    /// them (`None`), or one, whatever history it has.
    pub fn history_from_moves(&mut self, only: Option<i64>) -> rusqlite::Result<usize> {
        rows::events_from_moves(self.conn, only)
    }

    /// Marks an initiative as the sample's, at the version it was loaded
    /// with, so `improve demo --remove` finds it.
    pub fn mark_sample_initiative(&mut self, id: i64, version: i64) -> rusqlite::Result<()> {
        rows::sample_initiative(self.conn, id, version)
    }

    pub fn mark_sample_goal(&mut self, id: i64) -> rusqlite::Result<()> {
        rows::sample_goal(self.conn, id)
    }
}

/// Pages below which a register counts as new for [`fast`] (16 MB).
const SMALL_REGISTER_PAGES: i64 = 4_096;

/// Runs `f` set up for one large transaction, then puts everything back as
/// it was, even when `f` fails:
///
/// - a 128 MB page cache, so that index pages are not written out and read
///   back while the load runs;
/// - `synchronous = OFF`: no fsync during the load;
/// - on a new (small) register, the rollback journal in memory instead of
///   the write-ahead log, so every page is written once, into the file,
///   instead of into the log and then copied by a checkpoint. A rollback
///   still undoes a failed load; a crash in the middle of one leaves a
///   register to generate again. A register that already had pages (say
///   `demo --force` over a large one) keeps the log, whose undo data would
///   otherwise sit in memory. If another connection holds the file, the
///   log stays too (SQLite refuses the switch).
///
/// Together about a third off `demo --initiatives 100000` (11 s to 7 s).
fn fast<T>(
    conn: &mut Connection,
    f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let (cache, synchronous, pages, journal): (i64, i64, i64, String) = conn.query_row(
        "SELECT (SELECT cache_size FROM pragma_cache_size),
                (SELECT synchronous FROM pragma_synchronous),
                (SELECT page_count FROM pragma_page_count),
                (SELECT journal_mode FROM pragma_journal_mode)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    conn.pragma_update(None, "cache_size", -131_072)?;
    conn.pragma_update(None, "synchronous", 0)?;
    if pages < SMALL_REGISTER_PAGES {
        // The mode actually set is returned; a refused switch is no error.
        let _: String = conn.query_row("PRAGMA journal_mode = MEMORY", [], |r| r.get(0))?;
    }
    let result = f(conn);
    let restored = conn
        .query_row(&format!("PRAGMA journal_mode = {journal}"), [], |r| {
            r.get::<_, String>(0)
        })
        .and_then(|_| conn.pragma_update(None, "synchronous", synchronous))
        .and_then(|()| conn.pragma_update(None, "cache_size", cache));
    let value = result?;
    restored?;
    Ok(value)
}

/// Runs `f` with foreign keys and CHECK constraints off, then puts both
/// back as they were, even when `f` fails. Both pragmas are no-ops inside a
/// transaction, so `f` opens its own.
pub(super) fn unchecked<T>(
    conn: &mut Connection,
    f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let saved: (bool, bool) = conn.query_row(
        "SELECT (SELECT foreign_keys FROM pragma_foreign_keys),
                (SELECT ignore_check_constraints FROM pragma_ignore_check_constraints)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    conn.pragma_update(None, "foreign_keys", false)?;
    conn.pragma_update(None, "ignore_check_constraints", true)?;
    let result = f(conn);
    let restored = conn
        .pragma_update(None, "foreign_keys", saved.0)
        .and_then(|()| conn.pragma_update(None, "ignore_check_constraints", saved.1));
    let value = result?;
    restored?;
    Ok(value)
}

/// What an import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Imported {
    pub initiatives: usize,
    pub goals: usize,
    /// Whether ids were kept as in the file (the register was empty).
    pub kept_ids: bool,
}

/// Adds `goals` and `initiatives` to the register in one transaction.
///
/// Into an empty register every id is kept, so export then import gives the
/// same register. Into one that holds data, new ids are given and every
/// reference (goal, parent, KPI of a measurement) follows; a goal whose name
/// already exists (ignoring case) is reused rather than duplicated.
pub fn write_register(
    store: &mut Store,
    goals: &[GoalDoc],
    initiatives: &[InitiativeDoc],
    from: &str,
) -> rusqlite::Result<Imported> {
    let author = store.author().to_string();
    let now = chrono::Utc::now().timestamp();
    store.bulk_write(Load::Checked, |w| {
        let empty = w.is_empty()?;
        let keep = |id: i64| empty.then_some(id);
        let mut summary = Imported {
            kept_ids: empty,
            ..Imported::default()
        };

        let mut goal_ids = HashMap::new();
        for g in goals {
            let existing = if empty {
                None
            } else {
                w.goal_named(g.name.trim())?
            };
            let id = match existing {
                Some(id) => id,
                None => {
                    summary.goals += 1;
                    w.goal(&GoalRow {
                        id: keep(g.id),
                        name: &g.name,
                        description: &g.description,
                        created_at: g.created_at.0,
                    })?
                }
            };
            goal_ids.insert(g.id, id);
        }

        let mut ids = HashMap::new();
        for i in initiatives {
            let id = w.initiative(&InitiativeRow {
                id: keep(i.id),
                title: &i.title,
                description: &i.description,
                source: &i.source,
                model: &i.model,
                step: i.step,
                status: &i.status,
                hold_reason: i.hold_reason.as_deref(),
                closure_code: i.closure_code.as_deref(),
                realised: i.realised.as_deref(),
                priority: i.priority,
                value: i.value,
                effort: &i.effort,
                owner: &i.owner,
                raised_by: &i.raised_by,
                area: i.area.as_deref(),
                tags: &i.tags,
                goal_id: i.goal_id.and_then(|g| goal_ids.get(&g).copied()),
                // Linked below, once every initiative has its id.
                parent_id: None,
                due: i.due.as_deref(),
                created_at: i.created_at.0,
                updated_at: i.updated_at.0,
                step_entered_at: i.step_entered_at.0,
                done_at: i.done_at.map(|s| s.0),
                returns: i.returns,
                version: i.version,
                cancel_reason: i.cancel_reason.as_deref(),
            })?;
            ids.insert(i.id, id);
            // The file's history as it was, then this import, signed.
            for e in &i.history {
                let mut data = e.fields.clone();
                data.insert("kind".into(), e.kind.clone().into());
                let data = serde_json::Value::Object(data).to_string();
                w.event(&EventRow {
                    initiative_id: Some(id),
                    at: e.at.0,
                    by: &e.by,
                    kind: &e.kind,
                    data: &data,
                })?;
            }

            summary.initiatives += 1;
            for c in &i.checklist {
                w.item(&ItemRow {
                    id: keep(c.id),
                    initiative_id: id,
                    step: c.step,
                    position: c.position,
                    text: &c.text,
                    done_at: c.done_at.map(|s| s.0),
                })?;
            }
            for m in &i.moves {
                w.log_move(&MoveRow {
                    id: keep(m.id),
                    initiative_id: id,
                    from_step: m.from_step,
                    to_step: m.to_step,
                    at: m.at.0,
                    reason: m.reason.as_deref(),
                })?;
            }
            for n in &i.notes {
                w.note(&NoteRow {
                    id: keep(n.id),
                    initiative_id: id,
                    kind: &n.kind,
                    body: &n.body,
                    at: n.at.0,
                })?;
            }
            for k in &i.kpis {
                let kpi = w.kpi(&KpiRow {
                    id: keep(k.id),
                    initiative_id: id,
                    position: k.position,
                    name: &k.name,
                    unit: &k.unit,
                    direction: &k.direction,
                    baseline: k.baseline,
                    baseline_date: k.baseline_date.as_deref(),
                    target: k.target,
                    target_date: k.target_date.as_deref(),
                })?;
                for x in &k.measurements {
                    w.measurement(&MeasurementRow {
                        id: keep(x.id),
                        kpi_id: kpi,
                        value: x.value,
                        measured_on: &x.measured_on,
                        created_at: x.created_at.0,
                    })?;
                }
            }
        }
        // Without a history in the file, an initiative's moves are its
        // history (author unknown); then the import itself, signed.
        let imported = crate::domain::history::Event::Imported {
            file: from.to_string(),
        };
        let imported_json = serde_json::to_string(&imported).unwrap_or_default();
        for i in initiatives {
            let Some(&id) = ids.get(&i.id) else { continue };
            if i.history.is_empty() {
                w.history_from_moves(Some(id))?;
            }
            w.event(&EventRow {
                initiative_id: Some(id),
                at: now,
                by: &author,
                kind: imported.kind(),
                data: &imported_json,
            })?;
        }
        // Parents last: a follow-up may come before the initiative it follows.
        for i in initiatives {
            if let Some(&parent) = i.parent_id.and_then(|p| ids.get(&p))
                && let Some(&id) = ids.get(&i.id)
            {
                w.set_parent(id, parent)?;
            }
        }
        Ok(summary)
    })
}
