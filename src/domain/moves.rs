//! What moving an initiative through its model means.

use std::fmt;

use super::initiative::Status;
use super::model::{Model, Step};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Forward,
    Back,
}

/// The outcome of a valid move request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovePlan {
    /// On to the next step.
    Advance { from: Step, to: Step },
    /// Back to an earlier step to re-evaluate (ITIL allows this; it is
    /// counted as a return).
    Return { from: Step, to: Step },
    /// Finishing the last step: the initiative is done and stays at that step.
    Complete { at: Step },
}

impl MovePlan {
    pub fn from(self) -> Step {
        match self {
            MovePlan::Advance { from, .. } | MovePlan::Return { from, .. } => from,
            MovePlan::Complete { at } => at,
        }
    }

    pub fn to(self) -> Step {
        match self {
            MovePlan::Advance { to, .. } | MovePlan::Return { to, .. } => to,
            MovePlan::Complete { at } => at,
        }
    }

    pub fn status_after(self) -> Status {
        match self {
            MovePlan::Complete { .. } => Status::Done,
            _ => Status::Active,
        }
    }

    pub fn is_return(self) -> bool {
        matches!(self, MovePlan::Return { .. })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveError {
    AtFirstStep,
    NotActive(Status),
}

impl fmt::Display for MoveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoveError::AtFirstStep => f.write_str("already at the first step"),
            MoveError::NotActive(Status::OnHold) => f.write_str("on hold: resume it before moving"),
            MoveError::NotActive(status) => write!(f, "{status}: only active initiatives move"),
        }
    }
}

impl std::error::Error for MoveError {}

/// Decides what a move does; the store applies it.
pub fn plan_move(
    model: &Model,
    current: Step,
    status: Status,
    direction: Direction,
) -> Result<MovePlan, MoveError> {
    if status != Status::Active {
        return Err(MoveError::NotActive(status));
    }
    match direction {
        Direction::Forward => Ok(match model.next(current) {
            Some(to) => MovePlan::Advance { from: current, to },
            None => MovePlan::Complete { at: current },
        }),
        Direction::Back => model
            .previous(current)
            .map(|to| MovePlan::Return { from: current, to })
            .ok_or(MoveError::AtFirstStep),
    }
}

/// A jump to any step (the command line's `move --to`).
pub fn plan_jump(current: Step, status: Status, to: Step) -> Result<MovePlan, MoveError> {
    if status != Status::Active {
        return Err(MoveError::NotActive(status));
    }
    Ok(if to < current {
        MovePlan::Return { from: current, to }
    } else {
        MovePlan::Advance { from: current, to }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_advances_then_completes_at_the_last_step() {
        let m = Model::itil4();
        let plan = plan_move(&m, m.first(), Status::Active, Direction::Forward).unwrap();
        assert_eq!(plan.to().number(), 2);
        assert_eq!(plan.status_after(), Status::Active);
        let done = plan_move(&m, m.last(), Status::Active, Direction::Forward).unwrap();
        assert_eq!(done, MovePlan::Complete { at: m.last() });
        assert_eq!(done.status_after(), Status::Done);
    }

    #[test]
    fn back_is_a_return_and_stops_at_the_first_step() {
        let m = Model::itil4();
        let check = m.step(6).unwrap();
        let plan = plan_move(&m, check, Status::Active, Direction::Back).unwrap();
        assert!(plan.is_return());
        assert_eq!(plan.to().number(), 5);
        assert_eq!(
            plan_move(&m, m.first(), Status::Active, Direction::Back),
            Err(MoveError::AtFirstStep)
        );
    }

    #[test]
    fn only_active_initiatives_move() {
        let m = Model::itil4();
        for status in [Status::OnHold, Status::Done, Status::Cancelled] {
            assert_eq!(
                plan_move(&m, m.first(), status, Direction::Forward),
                Err(MoveError::NotActive(status))
            );
        }
    }

    #[test]
    fn a_jump_back_counts_as_a_return() {
        let m = Model::itil4();
        let plan = plan_jump(m.step(6).unwrap(), Status::Active, m.step(4).unwrap()).unwrap();
        assert!(plan.is_return());
    }
}
