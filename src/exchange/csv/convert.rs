//! Good CSV rows become initiatives: checklists, a creation move, closure
//! codes and clamped dates.

use std::collections::HashMap;

use super::super::doc::{InitiativeDoc, ItemDoc, MoveDoc, NoteDoc, Stamp};
use super::read::CsvRow;
use crate::domain::{Model, Status};

/// Turns good CSV rows into initiatives of `model`, each with its own copy of
/// the model's checklists and a creation entry in its move log at its step.
/// Rows without an id get ids after the largest one in the file.
pub fn to_initiatives(
    rows: &[CsvRow],
    model: &Model,
    goal_ids: &HashMap<String, i64>,
    now: Stamp,
) -> Vec<InitiativeDoc> {
    let used: std::collections::HashSet<i64> = rows.iter().filter_map(|r| r.id).collect();
    // After the largest id, or from 1 when the largest is the last integer.
    let mut next_id = used
        .iter()
        .max()
        .and_then(|m| m.checked_add(1))
        .unwrap_or(1);
    let (mut item_id, mut move_id, mut note_id) = (1, 1, 1);
    rows.iter()
        .map(|r| {
            let id = r.id.unwrap_or_else(|| {
                while used.contains(&next_id) {
                    next_id += 1;
                }
                next_id += 1;
                next_id - 1
            });
            let done = r.done_at.or(r.done_on).map(|d| d.min(now));
            // Without a creation date, a done row was created when it was
            // done (a cycle time of zero rather than a negative one).
            let created = r
                .created_at
                .or(r
                    .raised_on
                    .map(|d| Stamp(crate::domain::time::noon(d).timestamp())))
                .or(done)
                .unwrap_or(now)
                .min(now);
            let entered = r.step_entered_at.unwrap_or(created).clamp(created, now);
            let mut checklist = Vec::new();
            for st in model.steps() {
                for (pos, text) in model.def(st).checklist.iter().enumerate() {
                    checklist.push(ItemDoc {
                        id: item_id,
                        step: i64::from(st.number()),
                        position: pos as i64,
                        text: text.clone(),
                        done_at: None,
                    });
                    item_id += 1;
                }
            }
            let moves = vec![MoveDoc {
                id: move_id,
                from_step: None,
                to_step: r.step,
                at: created,
                reason: None,
            }];
            move_id += 1;
            let updated = r.updated.unwrap_or(now).clamp(created, now);
            // A notes column is one work note, dated as the row's last update.
            let notes = r
                .notes
                .iter()
                .filter(|body| !body.trim().is_empty())
                .map(|body| {
                    note_id += 1;
                    NoteDoc {
                        id: note_id - 1,
                        kind: "work".into(),
                        body: body.clone(),
                        at: updated,
                    }
                })
                .collect();
            let closure_code = match r.status {
                Status::Done => Some(r.closure_code.clone().unwrap_or("successful".into())),
                Status::Cancelled => Some(r.closure_code.clone().unwrap_or("withdrawn".into())),
                _ => None,
            };
            InitiativeDoc {
                id,
                title: r.title.clone(),
                description: r.description.clone(),
                source: r.source.clone(),
                model: model.id.clone(),
                step: r.step,
                status: r.status.as_str().into(),
                hold_reason: (r.status == Status::OnHold)
                    .then(|| r.hold_reason.clone())
                    .flatten(),
                closure_code,
                realised: r.realised.clone(),
                priority: i64::from(r.priority),
                value: i64::from(r.value),
                effort: r.effort.as_str().into(),
                owner: r.owner.clone(),
                raised_by: r.raised_by.clone(),
                area: r.area.clone(),
                tags: r.tags.clone(),
                goal_id: goal_ids.get(&r.goal.to_lowercase()).copied(),
                parent_id: None,
                due: r.due.map(|d| d.format("%Y-%m-%d").to_string()),
                created_at: created,
                updated_at: updated,
                step_entered_at: entered,
                // The file's own completion date; a done row without one
                // is done as of the import.
                done_at: (r.status == Status::Done)
                    .then(|| done.unwrap_or(now).clamp(created, now)),
                returns: i64::from(r.returns),
                version: 1,
                checklist,
                moves,
                kpis: Vec::new(),
                cancel_reason: (r.status == Status::Cancelled)
                    .then(|| r.cancel_reason.clone())
                    .flatten(),
                history: Vec::new(),
                notes,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::super::parse;
    use super::*;

    fn model() -> Model {
        Model::itil4()
    }

    #[test]
    fn rows_become_initiatives_with_checklists_and_a_creation_move() {
        let p = parse(
            "id,title,step,status,goal\n5,A,3,done,Stability\n,B,,,\n",
            &model(),
        );
        let goals = HashMap::from([("stability".to_owned(), 9)]);
        let now = Stamp(1_772_452_800);
        let docs = to_initiatives(&p.rows, &model(), &goals, now);
        assert_eq!(docs.iter().map(|d| d.id).collect::<Vec<_>>(), [5, 6]);
        assert_eq!(docs[0].step, 3);
        assert_eq!(docs[0].status, "done");
        assert_eq!(docs[0].closure_code.as_deref(), Some("successful"));
        assert_eq!(docs[0].goal_id, Some(9));
        assert_eq!(docs[0].moves[0].to_step, 3);
        let total: usize = model().steps.iter().map(|s| s.checklist.len()).sum();
        assert_eq!(docs[1].checklist.len(), total);
        let ids: BTreeSet<i64> = docs
            .iter()
            .flat_map(|d| d.checklist.iter().map(|c| c.id))
            .collect();
        assert_eq!(ids.len(), 2 * total, "item ids are unique");
    }
}
