//! Writes to an initiative's checklists: tick, add, rename, remove,
//! reorder. Each appends its event to the history.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::change::Recorder;
use super::rows::{self, ItemRow};
use super::write::WriteError;
use crate::domain::Step;
use crate::domain::history::Event;

impl Recorder<'_> {
    /// Sets (not flips) an item's state: two people ticking the same item
    /// agree, and ticks of different items never collide.
    pub fn set_item_done(
        &mut self,
        item: i64,
        done: bool,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let Some(info) = self.item(item)? else {
            return Err(WriteError::Stale("that checklist item".into()));
        };
        let owner = info.initiative;
        self.change.initiative = Some(owner);
        if info.done != done {
            let event = if done {
                Event::Ticked {
                    step: info.step,
                    item: info.text,
                }
            } else {
                Event::Unticked {
                    step: info.step,
                    item: info.text,
                }
            };
            self.event(Some(owner), now, &event)?;
        }
        self.update(
            "checklist_items",
            item,
            "UPDATE checklist_items SET done_at = CASE WHEN ?2 THEN coalesce(done_at, ?3) ELSE NULL END WHERE id = ?1",
            params![item, done, now.timestamp()],
        )?;
        self.touch(owner, now)?;
        Ok(())
    }

    pub fn add_item(
        &mut self,
        id: i64,
        step: Step,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, WriteError> {
        let position: i64 = self.conn().query_row(
            "SELECT coalesce(max(position) + 1, 0) FROM checklist_items WHERE initiative_id = ?1 AND step = ?2",
            params![id, step.number()],
            |r| r.get(0),
        )?;
        let item = rows::item(
            self.conn(),
            &ItemRow {
                id: None,
                initiative_id: id,
                step: step.number().into(),
                position,
                text: text.trim(),
                done_at: None,
            },
        )?;
        self.inserted("checklist_items", item)?;
        self.touch(id, now)?;
        self.event(
            Some(id),
            now,
            &Event::ItemAdded {
                step: step.number().into(),
                item: text.trim().into(),
            },
        )?;
        Ok(item)
    }

    pub fn rename_item(
        &mut self,
        item: i64,
        before: &str,
        after: &str,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let n = self.update(
            "checklist_items",
            item,
            "UPDATE checklist_items SET text = ?3 WHERE id = ?1 AND text = ?2",
            params![item, before, after.trim()],
        )?;
        if n == 0 {
            return Err(WriteError::Stale("that checklist item".into()));
        }
        if let Some(info) = self.item(item)?.filter(|_| before != after.trim()) {
            self.event(
                Some(info.initiative),
                now,
                &Event::ItemRenamed {
                    step: info.step,
                    before: before.into(),
                    after: after.trim().into(),
                },
            )?;
        }
        Ok(())
    }

    pub fn remove_item(&mut self, item: i64, now: DateTime<Utc>) -> Result<(), WriteError> {
        let Some(info) = self.item(item)? else {
            return Err(WriteError::Stale("that checklist item".into()));
        };
        self.delete("checklist_items", item)?;
        self.event(
            Some(info.initiative),
            now,
            &Event::ItemRemoved {
                step: info.step,
                item: info.text,
            },
        )?;
        Ok(())
    }

    /// Swaps the positions of two items of one step (reordering).
    pub fn swap_items(&mut self, a: i64, b: i64, now: DateTime<Utc>) -> Result<(), WriteError> {
        if let Some(info) = self.item(a)? {
            self.event(
                Some(info.initiative),
                now,
                &Event::ItemsReordered { step: info.step },
            )?;
        }
        let pos = |id: i64| -> Result<i64, WriteError> {
            self.conn()
                .query_row(
                    "SELECT position FROM checklist_items WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .map_err(|_| WriteError::Stale("that checklist item".into()))
        };
        let (pa, pb) = (pos(a)?, pos(b)?);
        // Equal positions (an older register) still swap visibly.
        let (pa, pb) = if pa == pb { (pa, pa + 1) } else { (pa, pb) };
        self.update(
            "checklist_items",
            a,
            "UPDATE checklist_items SET position = ?2 WHERE id = ?1",
            params![a, pb],
        )?;
        self.update(
            "checklist_items",
            b,
            "UPDATE checklist_items SET position = ?2 WHERE id = ?1",
            params![b, pa],
        )?;
        Ok(())
    }
}
