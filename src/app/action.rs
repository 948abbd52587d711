//! Everything the app can be asked to do. Keys map to these in one place
//! (the keymap); `App::update` handles them.

use super::input::Edit;
use super::mode::Focus;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    FocusNext,
    FocusPrev,
    /// Move the selected initiative one step forward (asks when items are open).
    Forward,
    /// Move it one step back (asks for an optional reason).
    Back,
    /// Tick or untick the selected checklist item.
    Toggle,
    /// Open or close the help overlay.
    Help,
    /// Fill an empty register with the sample (welcome screen).
    LoadSample,
    /// Remove the sample's rows that nobody has changed (asks first).
    RemoveSample,
    /// Start typing a backlog filter.
    Filter,
    /// Cycle the backlog's sort order.
    Sort,
    /// Open the selected initiative's detail view.
    Open,
    Add,
    EditInitiative,
    Delete,
    Note,
    Measure,
    /// Put on hold, or resume when on hold.
    Hold,
    Close,
    CancelInitiative,
    /// Bring a done or cancelled initiative back to active.
    Reopen,
    Undo,
    Redo,
    /// Add a checklist item or a KPI (whichever pane is focused).
    AddHere,
    /// Rename the checklist item or edit the KPI.
    EditHere,
    /// Remove the checklist item or the KPI.
    RemoveHere,
    /// Move the selected checklist item down or up.
    ItemDown,
    ItemUp,
    /// Show the previous or next step's checklist in the checklist pane, so
    /// an earlier step's items can be ticked without moving back.
    StepBack,
    StepOn,
    /// Forms: next and previous field, save, open `$EDITOR`.
    NextField,
    PrevField,
    Save,
    ExternalEditor,
    /// Answer yes to a question, or submit a prompt.
    Confirm,
    /// Answer no, close an overlay or cancel a prompt.
    Cancel,
    /// Edit the text of an open prompt.
    Edit(Edit),
    /// A click: focus the pane and select the row or item at that index
    /// (of the backlog's shown rows, the checklist, the KPIs), if any.
    Click {
        pane: Focus,
        index: Option<usize>,
    },
    /// The mouse wheel over a pane: focus it and scroll it.
    Scroll {
        pane: Focus,
        down: bool,
    },
    /// A click on a step of the header strip: filter the backlog to that
    /// step of the shown model (again: clear that filter).
    FilterStep(usize),
    /// The terminal changed size; `rows` is what the backlog can show.
    Resize {
        backlog_rows: usize,
    },
    /// How far the detail screen can scroll, as the last frame drew it
    /// (sent by the terminal layer after each frame that showed the page).
    DetailLimit(u16),
    /// Another process changed the register.
    ExternalChange,
    /// The day changed (a dashboard left open over midnight).
    ClockTick,
    Quit,
}

impl Action {
    /// Whether the action would change the register (refused up front on a
    /// read-only dashboard, before any dialog or form opens).
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Action::Forward
                | Action::Back
                | Action::Toggle
                | Action::LoadSample
                | Action::RemoveSample
                | Action::Add
                | Action::EditInitiative
                | Action::Delete
                | Action::Note
                | Action::Measure
                | Action::Hold
                | Action::Close
                | Action::CancelInitiative
                | Action::Reopen
                | Action::Undo
                | Action::Redo
                | Action::AddHere
                | Action::EditHere
                | Action::RemoveHere
                | Action::ItemDown
                | Action::ItemUp
        )
    }
}
