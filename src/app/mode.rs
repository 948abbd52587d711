//! Where the user is: the focused pane, the screen, and the dialog (if
//! any) that keys go to. The keymap reads these to know which keys apply.

use super::form::Form;
use super::input::TextInput;
use crate::domain::Step;
use crate::domain::moves::MovePlan;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Backlog,
    Checklist,
    Metrics,
}

impl Focus {
    pub fn next(self) -> Focus {
        match self {
            Focus::Backlog => Focus::Checklist,
            Focus::Checklist => Focus::Metrics,
            Focus::Metrics => Focus::Backlog,
        }
    }

    pub fn prev(self) -> Focus {
        match self {
            Focus::Backlog => Focus::Metrics,
            Focus::Checklist => Focus::Backlog,
            Focus::Metrics => Focus::Checklist,
        }
    }
}

/// A yes/no question waiting for an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Question {
    /// Moving forward (or completing) with checklist items still open.
    ForwardWithOpenItems {
        id: i64,
        plan: MovePlan,
        open: u32,
    },
    Delete {
        id: i64,
    },
    /// After finishing step 7: start a follow-up?
    FollowUp {
        parent: i64,
    },
    /// Esc in a form with something typed; "no" returns to the form.
    DiscardForm(Box<Form>),
    /// A form whose values are allowed but look like a slip (`why`):
    /// "yes" saves it, "no" returns to it.
    SaveAnyway {
        form: Box<Form>,
        why: String,
    },
    RemoveItem {
        item: i64,
    },
    RemoveKpi {
        kpi: i64,
    },
    /// `D` on the dashboard: take the sample away again.
    RemoveSample,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PromptKind {
    /// The optional reason for a backward move.
    BackReason {
        id: i64,
        plan: MovePlan,
    },
    HoldReason {
        id: i64,
    },
    /// Cancelling asks why; the reason is kept as the cancellation's.
    CancelReason {
        id: i64,
    },
    /// Reopening a done or cancelled initiative asks why (optional).
    ReopenReason {
        id: i64,
    },
    AddItem {
        id: i64,
        step: Step,
    },
    RenameItem {
        item: i64,
        before: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: TextInput,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mode {
    Normal,
    Help {
        scroll: u16,
    },
    Confirm(Question),
    Prompt(Prompt),
    /// Typing the backlog filter (applied as it is typed).
    Filter(TextInput),
    Form(Form),
}

/// The full-screen view under any dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Dashboard,
    Detail { id: i64, scroll: u16 },
}
