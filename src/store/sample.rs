//! Making room for the sample (`src/sample/` writes it) and taking it away
//! again without touching anything else.
//!
//! The sample marks its rows (`sample_initiatives`, `sample_goals`, see
//! `schema.rs`). Removal deletes a marked initiative only when nobody has
//! changed it since it was loaded (its version is the one recorded) and no
//! initiative that stays points to it as its parent (deleting it would
//! rewrite that row's link); a marked goal goes when no initiative that
//! stays serves it. Everything else, the user's own rows first of all, is
//! left exactly as it was.

use std::collections::{HashMap, HashSet};

use rusqlite::{TransactionBehavior, params};

use super::Store;

/// What [`remove`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removal {
    pub initiatives: usize,
    pub goals: usize,
    /// Sample initiatives kept because they were changed since the load.
    pub changed: Vec<i64>,
    /// Sample initiatives kept because an initiative that stays is their
    /// follow-up.
    pub parents: Vec<i64>,
    /// Sample goals kept because an initiative that stays serves them.
    pub goals_kept: usize,
}

impl Removal {
    /// Whether there was any sample row at all.
    pub fn found_any(&self) -> bool {
        self.initiatives + self.goals + self.changed.len() + self.parents.len() + self.goals_kept
            > 0
    }
}

/// True when the register holds any initiative or goal.
pub fn has_data(store: &Store) -> rusqlite::Result<bool> {
    store.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM initiatives) OR EXISTS (SELECT 1 FROM goals)",
        [],
        |r| r.get(0),
    )
}

/// Deletes every row of every table (used by `demo --force`), in one
/// IMMEDIATE transaction.
pub fn clear(store: &mut Store) -> rusqlite::Result<()> {
    // With foreign keys on, SQLite deletes row by row and looks up each
    // deleted row's parent; with them off, a DELETE without WHERE drops
    // the table's pages at once. Everything goes, so nothing dangles.
    super::bulk::unchecked(store.conn_mut(), |conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(
            "DELETE FROM measurements;
             DELETE FROM kpis;
             DELETE FROM notes;
             DELETE FROM moves;
             DELETE FROM events;
             DELETE FROM checklist_items;
             DELETE FROM sample_initiatives;
             DELETE FROM sample_goals;
             DELETE FROM initiatives;
             DELETE FROM goals;",
        )?;
        tx.commit()
    })
}

/// True when any row of the sample is still in the register.
pub fn present(store: &Store) -> rusqlite::Result<bool> {
    store.conn().query_row(
        "SELECT EXISTS (SELECT 1 FROM sample_initiatives) OR EXISTS (SELECT 1 FROM sample_goals)",
        [],
        |r| r.get(0),
    )
}

/// Deletes the sample's rows that nobody has made their own, in one
/// IMMEDIATE transaction, with foreign keys on so that a deleted
/// initiative's checklist, moves, KPIs and notes go with it.
pub fn remove(store: &mut Store) -> rusqlite::Result<Removal> {
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut out = Removal::default();
    // id -> whether it is unchanged since the load.
    let marked: HashMap<i64, bool> = {
        let mut stmt = tx.prepare(
            "SELECT s.id, s.version = i.version
               FROM sample_initiatives s JOIN initiatives i ON i.id = s.id",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut doomed: HashSet<i64> = marked
        .iter()
        .filter_map(|(&id, &unchanged)| unchanged.then_some(id))
        .collect();
    out.changed = marked
        .iter()
        .filter_map(|(&id, &unchanged)| (!unchanged).then_some(id))
        .collect();
    out.changed.sort_unstable();
    // A parent stays while a child that stays points to it; keeping it may
    // in turn keep its own parent, hence the loop.
    let links: Vec<(i64, i64)> = {
        let mut stmt =
            tx.prepare("SELECT id, parent_id FROM initiatives WHERE parent_id IS NOT NULL")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    loop {
        let keep: Vec<i64> = links
            .iter()
            .filter(|(child, parent)| !doomed.contains(child) && doomed.contains(parent))
            .map(|&(_, parent)| parent)
            .collect();
        if keep.is_empty() {
            break;
        }
        for id in keep {
            if doomed.remove(&id) {
                out.parents.push(id);
            }
        }
    }
    out.parents.sort_unstable();
    {
        let mut delete = tx.prepare("DELETE FROM initiatives WHERE id = ?1")?;
        // The sample's own history goes with it: nobody did those things.
        let mut history = tx.prepare("DELETE FROM events WHERE initiative_id = ?1")?;
        for &id in &doomed {
            out.initiatives += delete.execute([id])?;
            history.execute([id])?;
        }
    }
    out.goals = tx.execute(
        "DELETE FROM goals WHERE id IN (SELECT id FROM sample_goals)
            AND id NOT IN (SELECT goal_id FROM initiatives WHERE goal_id IS NOT NULL)",
        params![],
    )?;
    out.goals_kept = tx.query_row("SELECT count(*) FROM sample_goals", [], |r| {
        r.get::<_, i64>(0)
    })? as usize;
    tx.commit()?;
    Ok(out)
}
