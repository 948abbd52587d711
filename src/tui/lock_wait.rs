//! The dashboard's side of a write that waits for another program's lock
//! (see `store::LockWait`): the footer says it is waiting and for how long,
//! Esc or Ctrl-c stops waiting (nothing is written, the input is kept), `q`
//! stops waiting and then quits (both as the keymap has them), a resize redraws the notice, and every
//! other key typed meanwhile is dropped, so none of them can wipe the
//! outcome the footer shows once the wait is over.

use std::io::{Write, stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use ratatui::crossterm::cursor::MoveTo;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::crossterm::queue;
use ratatui::crossterm::style::{Attribute, Print, SetAttribute};
use ratatui::crossterm::terminal::{Clear, ClearType, size};

use crate::app::Action;
use crate::app::keymap::{Key, Keymap, Place};
use crate::store::LockWait;

/// What the wait leaves for the event loop to do once the write returns.
pub struct WaitFlags {
    /// The notice (or a resize) changed the screen behind ratatui's back.
    repaint: Arc<AtomicBool>,
    /// `q` was pressed while waiting.
    quit: Arc<AtomicBool>,
}

impl WaitFlags {
    pub fn take_repaint(&self) -> bool {
        self.repaint.swap(false, Ordering::SeqCst)
    }

    pub fn take_quit(&self) -> bool {
        self.quit.swap(false, Ordering::SeqCst)
    }
}

/// The waiter to hand to the store, and the flags it leaves behind.
/// `stop` is the watch's stop-signal flag: a signal ends the wait.
pub fn lock_wait(stop: Arc<AtomicUsize>, keymap: &Keymap) -> (LockWait, WaitFlags) {
    let keymap = keymap.clone();
    let give_up = keymap
        .key_at(Place::Waiting, "cancel")
        .unwrap_or_else(|| "Ctrl-c".into());
    let repaint = Arc::new(AtomicBool::new(false));
    let quit = Arc::new(AtomicBool::new(false));
    let flags = WaitFlags {
        repaint: Arc::clone(&repaint),
        quit: Arc::clone(&quit),
    };
    // The whole seconds the notice shows, and the time waited when last
    // asked: less time than that means a new wait, with nothing drawn yet.
    let mut shown: Option<u64> = None;
    let mut last = Duration::ZERO;
    let wait = move |waited: Duration| -> bool {
        if waited < last {
            shown = None;
        }
        last = waited;
        if stop.load(Ordering::SeqCst) != 0 {
            return false;
        }
        let mut clear = false;
        while event::poll(Duration::ZERO).unwrap_or(false) {
            match event::read() {
                Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => {
                    for key in super::keys::to_keys(k) {
                        if key == Key::ctrl('c') {
                            return false;
                        }
                        match keymap.resolve(Place::Waiting, key) {
                            Some(Action::Cancel) => return false,
                            Some(Action::Quit) => {
                                quit.store(true, Ordering::SeqCst);
                                return false;
                            }
                            _ => {}
                        }
                    }
                }
                Ok(Event::Resize(..)) => clear = true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        let secs = waited.as_secs();
        if clear || shown != Some(secs) {
            shown = Some(secs);
            repaint.store(true, Ordering::SeqCst);
            notice(secs, clear, &give_up);
        }
        true
    };
    (Box::new(wait), flags)
}

/// The notice, on the footer's line; on a resized screen, alone on it.
fn notice(secs: u64, clear: bool, give_up: &str) {
    let Ok((cols, rows)) = size() else { return };
    let text = format!(
        " Waiting {secs} s for another program's lock on the register · {give_up}: give up "
    );
    let line: String = text
        .chars()
        .chain(std::iter::repeat(' '))
        .take(usize::from(cols))
        .collect();
    let mut out = stdout();
    if clear {
        let _ = queue!(out, Clear(ClearType::All));
    }
    let _ = queue!(
        out,
        MoveTo(0, rows.saturating_sub(1)),
        SetAttribute(Attribute::Reverse),
        Print(line),
        SetAttribute(Attribute::Reset)
    );
    let _ = out.flush();
}
