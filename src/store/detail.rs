//! Reads for the detail view: one initiative with everything it holds, by a
//! handful of indexed queries (never a scan of the register).

use rusqlite::{OptionalExtension, Row};

use super::Store;
use super::read::{date, timestamp};
use crate::domain::detail::{Goal, InitiativeDetail, MoveEntry, Note, NoteKind};
use crate::domain::{Model, Models, Status, Step};

/// The initiative's own columns, its goal and its parent's title, by
/// primary key.
const DETAIL_SELECT: &str = "
    SELECT i.id, i.title, i.description, i.source, i.model, i.step, i.status,
           i.hold_reason, i.closure_code, i.realised, i.priority, i.value, i.effort,
           i.owner, i.raised_by, i.area, i.tags, i.due, i.created_at, i.updated_at,
           i.step_entered_at, i.done_at, i.returns, i.version,
           g.id, g.name, g.description, p.id, p.title, i.cancel_reason
      FROM initiatives i
      LEFT JOIN goals g ON g.id = i.goal_id
      LEFT JOIN initiatives p ON p.id = i.parent_id
     WHERE i.id = ?1";

fn bad_value(col: usize, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(col, rusqlite::types::Type::Text, what.into())
}

fn status(col: usize, text: String) -> rusqlite::Result<Status> {
    text.parse::<Status>().map_err(|e| bad_value(col, e.0))
}

/// A step beyond the model (a model that lost steps) shows as its last, as
/// the backlog does.
fn step(model: &Model, col: usize, n: i64) -> rusqlite::Result<Step> {
    model
        .step(n)
        .or_else(|| (n > model.len() as i64).then(|| model.last()))
        .ok_or_else(|| bad_value(col, format!("step {n} is not in model {}", model.id)))
}

fn detail_row(r: &Row<'_>, models: &Models) -> rusqlite::Result<InitiativeDetail> {
    let model = models.resolve(r.get_ref(4)?.as_str()?);
    let effort: String = r.get(12)?;
    let goal = match r.get::<_, Option<i64>>(24)? {
        Some(id) => Some(Goal {
            id,
            name: r.get(25)?,
            description: r.get(26)?,
        }),
        None => None,
    };
    let parent = match r.get::<_, Option<i64>>(27)? {
        Some(id) => Some((id, r.get(28)?)),
        None => None,
    };
    Ok(InitiativeDetail {
        id: r.get(0)?,
        title: r.get(1)?,
        description: r.get(2)?,
        source: r.get(3)?,
        model: r.get(4)?,
        step: step(model, 5, r.get(5)?)?,
        status: status(6, r.get(6)?)?,
        hold_reason: r.get(7)?,
        closure_code: r.get(8)?,
        realised: r.get(9)?,
        priority: r.get(10)?,
        value: r.get(11)?,
        effort: effort
            .parse()
            .map_err(|e: crate::domain::initiative::ParseError| bad_value(12, e.0))?,
        owner: r.get(13)?,
        raised_by: r.get(14)?,
        area: r.get(15)?,
        tags: r.get(16)?,
        goal,
        due: date(r.get(17)?),
        created_at: timestamp(r.get(18)?),
        updated_at: timestamp(r.get(19)?),
        step_entered_at: timestamp(r.get(20)?),
        done_at: r.get::<_, Option<i64>>(21)?.map(timestamp),
        returns: r.get(22)?,
        version: r.get(23)?,
        parent,
        children: Vec::new(),
        checklist: Vec::new(),
        kpis: Vec::new(),
        notes: Vec::new(),
        moves: Vec::new(),
        cancel_reason: r.get(29)?,
        history: Vec::new(),
    })
}

impl Store {
    /// One initiative with its goal, parent, follow-ups, every step's
    /// checklist, KPIs with measurements, notes and move log; `None` when it
    /// does not exist. Read in one snapshot, so a write by another process
    /// between the queries cannot give a half-old, half-new picture.
    pub fn initiative_detail(
        &self,
        models: &Models,
        id: i64,
    ) -> rusqlite::Result<Option<InitiativeDetail>> {
        // Inside a caller's transaction its snapshot already holds.
        let _snapshot = if self.conn.is_autocommit() {
            Some(self.conn.unchecked_transaction()?)
        } else {
            None
        };
        let found = self
            .conn
            .prepare_cached(DETAIL_SELECT)?
            .query_row([id], |r| detail_row(r, models))
            .optional()?;
        let Some(mut detail) = found else {
            return Ok(None);
        };
        detail.children = self.children(id)?;
        detail.checklist = self.checklists(models.resolve(&detail.model), id)?;
        detail.kpis = self.kpis(id)?;
        detail.notes = self.notes(id)?;
        detail.moves = self
            .moves(id)?
            .into_iter()
            .map(|m| MoveEntry {
                from: m.from,
                to: m.to,
                at: m.at,
                reason: m.reason,
            })
            .collect();
        detail.history = self.history(id)?;
        Ok(Some(detail))
    }

    /// Follow-ups of one initiative (`parent_id` is indexed), oldest first.
    fn children(&self, id: i64) -> rusqlite::Result<Vec<(i64, String, Status)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, status FROM initiatives WHERE parent_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, status(2, r.get(2)?)?)))?;
        rows.collect()
    }

    /// Every goal, by name.
    pub fn goals(&self) -> rusqlite::Result<Vec<Goal>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, description FROM goals ORDER BY name COLLATE NOCASE, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Goal {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
            })
        })?;
        rows.collect()
    }

    /// One initiative's journal, oldest first.
    pub fn notes(&self, id: i64) -> rusqlite::Result<Vec<Note>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, body, at FROM notes WHERE initiative_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt.query_map([id], |r| {
            let kind: String = r.get(1)?;
            Ok(Note {
                id: r.get(0)?,
                kind: kind.parse::<NoteKind>().map_err(|e| bad_value(1, e.0))?,
                body: r.get(2)?,
                at: timestamp(r.get(3)?),
            })
        })?;
        rows.collect()
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeZone, Utc};

    use super::*;
    use crate::domain::time::noon;
    use crate::sample::load_sample;
    use crate::store::NewInitiative;

    fn now() -> DateTime<Utc> {
        noon(chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap())
    }

    fn sample() -> (tempfile::TempDir, Store, Model) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("register.db")).unwrap();
        let model = Model::itil4();
        load_sample(&mut store, &model, now()).unwrap();
        (dir, store, model)
    }

    fn id_of(store: &Store, sql: &str) -> i64 {
        store
            .conn()
            .query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn count(store: &Store, sql: &str, id: i64) -> usize {
        store
            .conn()
            .query_row(sql, [id], |r| r.get::<_, i64>(0))
            .unwrap() as usize
    }

    #[test]
    fn loads_every_part_of_an_initiative() {
        let (_dir, store, model) = sample();
        // A richly documented one: goal, notes, KPIs with measurements and a
        // backward move with a reason.
        let id = id_of(
            &store,
            "SELECT i.id FROM initiatives i
              WHERE i.goal_id IS NOT NULL
                AND EXISTS (SELECT 1 FROM notes n WHERE n.initiative_id = i.id)
                AND EXISTS (SELECT 1 FROM kpis k JOIN measurements m ON m.kpi_id = k.id
                             WHERE k.initiative_id = i.id)
                AND EXISTS (SELECT 1 FROM moves v WHERE v.initiative_id = i.id
                               AND v.to_step < v.from_step AND v.reason IS NOT NULL)
              ORDER BY i.id LIMIT 1",
        );
        let d = store
            .initiative_detail(&crate::domain::Models::builtin(), id)
            .unwrap()
            .unwrap();

        let (title, step, status, priority, effort, owner, version): (
            String,
            i64,
            String,
            u8,
            String,
            String,
            i64,
        ) = store
            .conn()
            .query_row(
                "SELECT title, step, status, priority, effort, owner, version FROM initiatives WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
            )
            .unwrap();
        assert_eq!(d.id, id);
        assert_eq!(d.title, title);
        assert_eq!(i64::from(d.step.number()), step);
        assert_eq!(d.status.as_str(), status);
        assert_eq!(d.priority, priority);
        assert_eq!(d.effort.as_str(), effort);
        assert_eq!(d.owner, owner);
        assert_eq!(d.version, version);
        assert_eq!(d.model, model.id);
        assert!(!d.description.is_empty() && !d.source.is_empty());
        assert!(d.area.is_some());
        assert!(!d.tags.is_empty());

        let goal = d.goal.as_ref().expect("goal loaded");
        let goal_name: String = store
            .conn()
            .query_row(
                "SELECT g.name FROM goals g JOIN initiatives i ON i.goal_id = g.id WHERE i.id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(goal.name, goal_name);

        // Every step's checklist, in step then position order.
        assert_eq!(
            d.checklist.len(),
            count(
                &store,
                "SELECT count(*) FROM checklist_items WHERE initiative_id = ?1",
                id
            )
        );
        assert!(
            d.checklist
                .windows(2)
                .all(|w| (w[0].step, w[0].position) <= (w[1].step, w[1].position))
        );
        for s in model.steps() {
            let (done, total) = d.checklist_completion(s);
            assert_eq!(total, model.def(s).checklist.len(), "step {s}");
            assert!(done <= total);
        }

        assert_eq!(
            d.kpis.len(),
            count(
                &store,
                "SELECT count(*) FROM kpis WHERE initiative_id = ?1",
                id
            )
        );
        assert!(d.kpis.iter().any(|k| !k.measurements.is_empty()));
        assert!(d.kpis.iter().all(|k| k.baseline.is_some()));

        assert_eq!(
            d.notes.len(),
            count(
                &store,
                "SELECT count(*) FROM notes WHERE initiative_id = ?1",
                id
            )
        );
        assert!(d.notes.windows(2).all(|w| w[0].at <= w[1].at));
        assert!(d.notes.iter().all(|n| !n.body.is_empty()));

        assert_eq!(
            d.moves.len(),
            count(
                &store,
                "SELECT count(*) FROM moves WHERE initiative_id = ?1",
                id
            )
        );
        assert!(d.moves[0].is_creation());
        assert!(d.moves.windows(2).all(|w| w[0].at <= w[1].at));
        let returns: Vec<_> = d.moves.iter().filter(|m| m.is_return()).collect();
        assert_eq!(returns.len(), d.returns as usize);
        assert!(returns.iter().any(|m| m.reason.is_some()));
    }

    #[test]
    fn follow_up_chain_runs_both_ways() {
        let (_dir, store, _model) = sample();
        let (child, parent) = store
            .conn()
            .query_row(
                "SELECT id, parent_id FROM initiatives WHERE parent_id IS NOT NULL ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .unwrap();
        let c = store
            .initiative_detail(&crate::domain::Models::builtin(), child)
            .unwrap()
            .unwrap();
        let p = store
            .initiative_detail(&crate::domain::Models::builtin(), parent)
            .unwrap()
            .unwrap();
        assert_eq!(c.parent.as_ref().map(|p| p.0), Some(parent));
        assert_eq!(
            c.parent.as_ref().map(|p| p.1.as_str()),
            Some(p.title.as_str())
        );
        assert!(
            p.children.iter().any(|(id, title, status)| *id == child
                && *title == c.title
                && *status == c.status)
        );
        assert_eq!(
            p.children.len(),
            count(
                &store,
                "SELECT count(*) FROM initiatives WHERE parent_id = ?1",
                parent
            )
        );
    }

    #[test]
    fn a_missing_initiative_is_none() {
        let (_dir, store, _model) = sample();
        let max = id_of(&store, "SELECT max(id) FROM initiatives");
        assert_eq!(
            store
                .initiative_detail(&crate::domain::Models::builtin(), max + 1)
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .initiative_detail(&crate::domain::Models::builtin(), -1)
                .unwrap(),
            None
        );
    }

    #[test]
    fn closed_and_held_initiatives_carry_their_reasons() {
        let (_dir, store, _model) = sample();
        let done = id_of(
            &store,
            "SELECT id FROM initiatives WHERE status = 'done' AND realised IS NOT NULL LIMIT 1",
        );
        let d = store
            .initiative_detail(&crate::domain::Models::builtin(), done)
            .unwrap()
            .unwrap();
        assert_eq!(d.status, Status::Done);
        assert!(d.closure_code.is_some() && d.realised.is_some() && d.done_at.is_some());
        let held = id_of(
            &store,
            "SELECT id FROM initiatives WHERE status = 'on_hold' LIMIT 1",
        );
        let h = store
            .initiative_detail(&crate::domain::Models::builtin(), held)
            .unwrap()
            .unwrap();
        assert_eq!(h.status, Status::OnHold);
        assert!(h.hold_reason.is_some());
    }

    #[test]
    fn goals_and_notes_are_listed() {
        let (_dir, mut store, model) = sample();
        let goals = store.goals().unwrap();
        assert_eq!(
            goals.len(),
            id_of(&store, "SELECT count(*) FROM goals") as usize
        );
        assert!(!goals.is_empty());
        assert!(
            goals
                .windows(2)
                .all(|w| { w[0].name.to_lowercase() <= w[1].name.to_lowercase() })
        );

        // A fresh initiative: nothing but its creation and its checklists.
        let at = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
        let id = store
            .create_initiative(&model, &NewInitiative::titled("Fresh"), at)
            .unwrap();
        assert!(store.notes(id).unwrap().is_empty());
        let d = store
            .initiative_detail(&crate::domain::Models::builtin(), id)
            .unwrap()
            .unwrap();
        assert_eq!(d.goal, None);
        assert_eq!(d.parent, None);
        assert!(d.children.is_empty() && d.kpis.is_empty() && d.notes.is_empty());
        assert_eq!(d.moves.len(), 1);
        assert_eq!(d.moves[0].to, 1);
        assert_eq!(d.moves[0].at, at);

        for (kind, body) in [("decision", "Go with A"), ("lesson", "Measure first")] {
            store
                .write("note", Some(id), |rec| rec.add_note(id, kind, body, at))
                .unwrap();
        }
        let notes = store.notes(id).unwrap();
        assert_eq!(
            notes
                .iter()
                .map(|n| (n.kind, n.body.as_str()))
                .collect::<Vec<_>>(),
            [
                (NoteKind::Decision, "Go with A"),
                (NoteKind::Lesson, "Measure first")
            ]
        );
        assert_eq!(
            store
                .initiative_detail(&crate::domain::Models::builtin(), id)
                .unwrap()
                .unwrap()
                .notes,
            notes
        );
    }

    #[test]
    fn reads_inside_a_callers_transaction() {
        let (_dir, store, _model) = sample();
        let id = id_of(&store, "SELECT min(id) FROM initiatives");
        // Answers without trying to nest a transaction.
        store.conn().execute_batch("BEGIN").unwrap();
        assert!(
            store
                .initiative_detail(&crate::domain::Models::builtin(), id)
                .unwrap()
                .is_some()
        );
        store.conn().execute_batch("COMMIT").unwrap();
    }
}
