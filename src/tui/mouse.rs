//! crossterm mouse events into the app's actions: the one place where a
//! click or a wheel turn gets a meaning. Where things are comes from
//! `ui::hit`, the view's own layout.

use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use crate::app::{Action, App, Mode};
use crate::ui::hit::{Hit, hit};

/// What a mouse event on a screen of size `area` asks of the app, if
/// anything. Only a press counts as a click (a release or a drag does
/// nothing); a dialog, form or filter being typed takes no clicks.
pub fn to_action(app: &App, area: Rect, event: MouseEvent) -> Option<Action> {
    // Shift with the mouse is the terminal's own selection; a terminal that
    // passes it on anyway is not taken as a click.
    if event.modifiers.contains(KeyModifiers::SHIFT) {
        return None;
    }
    let down = match event.kind {
        MouseEventKind::ScrollDown => Some(true),
        MouseEventKind::ScrollUp => Some(false),
        MouseEventKind::Down(MouseButton::Left) => None,
        _ => return None,
    };
    match app.mode() {
        Mode::Normal => {}
        // Help scrolls with the wheel; anything else waits for its answer.
        Mode::Help { .. } => {
            return down.map(|d| if d { Action::Down } else { Action::Up });
        }
        _ => return None,
    }
    match (hit(app, area, event.column, event.row), down) {
        (Hit::Step(step), None) => Some(Action::FilterStep(step)),
        (Hit::Pane(pane, index), None) => Some(Action::Click { pane, index }),
        (Hit::Pane(pane, _), Some(down)) => Some(Action::Scroll { pane, down }),
        (Hit::Detail, Some(true)) => Some(Action::Down),
        (Hit::Detail, Some(false)) => Some(Action::Up),
        _ => None,
    }
}
