//! Changing the model an initiative follows.
//!
//! Allowed only while the initiative is at its first step: nothing has
//! been done under any later step of the old model, so no step needs
//! mapping onto the new one and its flow history (entered step 1, when)
//! holds under either model. The old model's checklists are replaced by
//! the new model's templates, in one transaction recorded for undo.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::Store;
use super::change::{Change, Recorder, ids_where};
use super::rows;
use super::write::WriteError;
use crate::domain::Model;

impl Recorder<'_> {
    /// Moves initiative `id` from model `from` (as the caller saw it) to
    /// model `to`. Refused past the first step; stale if the initiative
    /// changed model meanwhile.
    pub fn change_model(
        &mut self,
        id: i64,
        from: &str,
        to: &Model,
        now: DateTime<Utc>,
    ) -> Result<(), WriteError> {
        let found: Option<(String, i64)> = self
            .conn_ref()
            .query_row(
                "SELECT model, step FROM initiatives WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match found {
            None => return Err(WriteError::NotFound(id)),
            Some((model, _)) if model != from => return Err(WriteError::Stale(format!("#{id}"))),
            Some((_, step)) if step != 1 => {
                return Err(WriteError::Refused(format!(
                    "#{id} is at step {step}: its model can only be changed at the first step"
                )));
            }
            Some(_) if from == to.id => return Ok(()),
            Some(_) => {}
        }
        self.change.initiative = Some(id);
        self.event(
            Some(id),
            now,
            &crate::domain::history::Event::ModelChanged {
                from: from.to_string(),
                to: to.id.clone(),
            },
        )?;
        for item in ids_where(self.conn_ref(), "checklist_items", "initiative_id", id)? {
            self.delete("checklist_items", item)?;
        }
        self.update(
            "initiatives",
            id,
            "UPDATE initiatives SET model = ?2, updated_at = ?3, version = version + 1
              WHERE id = ?1 AND step = 1",
            params![id, to.id, now.timestamp()],
        )?;
        for item in rows::fresh_checklist(self.conn_ref(), id, to)? {
            self.inserted("checklist_items", item)?;
        }
        Ok(())
    }
}

impl Store {
    /// [`Recorder::change_model`] as one write of its own.
    pub fn change_model(
        &mut self,
        id: i64,
        from: &str,
        to: &Model,
        now: DateTime<Utc>,
    ) -> Result<Change, WriteError> {
        let label = format!("model of #{id}");
        self.write(label, Some(id), |rec| rec.change_model(id, from, to, now))
            .map(|(_, change)| change)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::moves::plan_move;
    use crate::domain::{Direction, Models, Status};
    use crate::store::NewInitiative;

    #[test]
    fn the_model_changes_at_the_first_step_only_with_its_checklists() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("r.db")).unwrap();
        let models = Models::builtin();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let itil4 = models.get("itil4").unwrap();
        let pdca = models.get("pdca").unwrap();
        let (id, _) = store
            .write("add", None, |rec| {
                rec.create_initiative(itil4, &NewInitiative::titled("Cut toil"), now)
            })
            .unwrap();
        store.change_model(id, "itil4", pdca, now).unwrap();
        let d = store.initiative_detail(&models, id).unwrap().unwrap();
        assert_eq!(d.model, "pdca");
        let expected: usize = pdca.steps.iter().map(|s| s.checklist.len()).sum();
        assert_eq!(d.checklist.len(), expected, "the new model's templates");
        assert_eq!(d.checklist[0].text, pdca.steps[0].checklist[0]);

        // Someone else changed it meanwhile: nothing written.
        let stale = store.change_model(id, "itil4", itil4, now).unwrap_err();
        assert!(matches!(stale, WriteError::Stale(_)), "{stale}");

        // Past the first step: refused.
        let plan = plan_move(pdca, pdca.first(), Status::Active, Direction::Forward).unwrap();
        store
            .write("move", Some(id), |rec| rec.apply_move(id, plan, None, now))
            .unwrap();
        let refused = store.change_model(id, "pdca", itil4, now).unwrap_err();
        assert!(
            refused
                .to_string()
                .contains("only be changed at the first step"),
            "{refused}"
        );
        let d = store.initiative_detail(&models, id).unwrap().unwrap();
        assert_eq!((d.model.as_str(), d.step.number()), ("pdca", 2));
    }

    #[test]
    fn undo_puts_the_old_model_and_checklists_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("r.db")).unwrap();
        let models = Models::builtin();
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let (id, _) = store
            .write("add", None, |rec| {
                rec.create_initiative(
                    models.get("kata").unwrap(),
                    &NewInitiative::titled("x"),
                    now,
                )
            })
            .unwrap();
        let before = store.initiative_detail(&models, id).unwrap().unwrap();
        let change = store
            .change_model(id, "kata", models.get("personal").unwrap(), now)
            .unwrap();
        store.apply_change(&change, true, now).unwrap();
        let after = store.initiative_detail(&models, id).unwrap().unwrap();
        assert_eq!(after.model, "kata");
        let texts = |d: &crate::domain::detail::InitiativeDetail| {
            d.checklist
                .iter()
                .map(|i| i.text.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(texts(&after), texts(&before));
    }
}
