//! Everything the app can be asked to do. Keys map to these in one place
//! (the keymap); `App::update` handles them.

use super::input::Edit;

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
    /// Answer yes to a question, or submit a prompt.
    Confirm,
    /// Answer no, close an overlay or cancel a prompt.
    Cancel,
    /// Edit the text of an open prompt.
    Edit(Edit),
    /// The terminal changed size; `rows` is what the backlog can show.
    Resize {
        backlog_rows: usize,
    },
    /// Another process changed the register.
    ExternalChange,
    /// The day changed (a dashboard left open over midnight).
    ClockTick,
    Quit,
}
