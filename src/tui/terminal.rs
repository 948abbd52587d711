//! Entering and leaving the terminal's full-screen mode, so that it is
//! restored on every way out: quit, error and panic.

use std::cell::RefCell;
use std::io::{self, Stdout, Write, stdout};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use ratatui::crossterm::style::{Attribute, SetAttribute};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

/// Collects a frame's bytes so they reach the terminal in one write: a
/// frame wrapped in synchronized-update markers never arrives in pieces over
/// a slow link. ratatui's own flush after drawing is deferred; the event loop
/// sends the frame with [`FrameSink::commit`] once the end marker is queued.
pub struct FrameWriter {
    buf: Rc<RefCell<Vec<u8>>>,
}

/// The sending end of a [`FrameWriter`].
pub struct FrameSink {
    buf: Rc<RefCell<Vec<u8>>>,
    out: Stdout,
}

pub fn frame_writer() -> (FrameWriter, FrameSink) {
    let buf = Rc::new(RefCell::new(Vec::with_capacity(16 * 1024)));
    (
        FrameWriter {
            buf: Rc::clone(&buf),
        },
        FrameSink { buf, out: stdout() },
    )
}

/// What an empty frame between synchronized-update markers looks like.
const EMPTY_FRAME: &[u8] = b"\x1b[?2026h\x1b[?2026l";

impl FrameSink {
    /// Sends what was drawn since the last commit. A frame in which nothing
    /// changed is not sent at all, not even its markers.
    pub fn commit(&mut self) -> io::Result<()> {
        let mut buf = self.buf.borrow_mut();
        if buf.as_slice() == EMPTY_FRAME {
            buf.clear();
        } else if !buf.is_empty() {
            self.out.write_all(&buf)?;
            buf.clear();
        }
        self.out.flush()
    }
}

impl Write for FrameWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.borrow_mut().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Why the dashboard cannot run here, as one line saying what to do
/// instead; `None` when it can. Asked before the register is opened, so a
/// cron job or a pipe gets the line at once instead of escape sequences.
pub fn unusable_terminal() -> Option<String> {
    use std::io::IsTerminal;
    const INSTEAD: &str =
        "use a subcommand such as `improve list` or `improve export`, or run it in a terminal";
    if std::env::var_os("TERM").is_some_and(|t| t == "dumb") {
        return Some(format!(
            "the dashboard cannot be drawn on this terminal (TERM=dumb); {INSTEAD} that sets TERM (e.g. xterm-256color)"
        ));
    }
    let has_tty = io::stdin().is_terminal() || std::fs::File::open("/dev/tty").is_ok();
    if !has_tty {
        return Some(format!(
            "the dashboard needs a terminal and there is none (over SSH, connect with `ssh -t`); {INSTEAD}"
        ));
    }
    if !io::stdout().is_terminal() {
        return Some(format!(
            "the dashboard needs a terminal, but standard output is not one (a pipe or a file); {INSTEAD}"
        ));
    }
    None
}

/// Restores the terminal when dropped, whatever path leads out.
pub struct TerminalGuard {
    _private: (),
}

/// Whether the terminal is in the dashboard's mode now. Leaving is done
/// once: a second `LeaveAlternateScreen` (the guard's drop after the panic
/// hook already left) makes the terminal jump back to where the dashboard
/// started, and the shell's prompt then overwrites the panic message.
pub(super) static ENTERED: AtomicBool = AtomicBool::new(false);

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        #[cfg(unix)]
        super::fatal::install();
        let guard = TerminalGuard { _private: () };
        reenter()?;
        Ok(guard)
    }
}

/// Whether the dashboard asks the terminal for mouse events (`mouse` in
/// the configuration; on unless turned off).
static MOUSE: AtomicBool = AtomicBool::new(false);

/// Clicks and the wheel only (1000), in the SGR encoding (1006) that has
/// no limit on columns. Not motion tracking (1003): a pointer moving over
/// an idle dashboard would wake it for every cell it crosses.
const MOUSE_ON: &str = "\x1b[?1000h\x1b[?1006h";
const MOUSE_OFF: &str = "\x1b[?1006l\x1b[?1000l";

/// Asks for mouse events from the next time the terminal is set up.
pub fn set_mouse(on: bool) {
    MOUSE.store(on, Ordering::SeqCst);
}

/// Gives the mouse back to the terminal (while an editor runs) or takes
/// it again, if the dashboard uses it. Queued, not flushed: it leaves with
/// the mode changes written next, in one write, as a terminal (and a test
/// reading the pty) sees them.
pub(super) fn mouse_capture(out: &mut impl Write, on: bool) {
    if MOUSE.load(Ordering::SeqCst) {
        let _ = out.write_all(if on { MOUSE_ON } else { MOUSE_OFF }.as_bytes());
    }
}

/// Puts the terminal (back) into the dashboard's mode: after a suspend, or
/// after the shell changed its modes while the dashboard was stopped.
pub fn reenter() -> io::Result<()> {
    // crossterm does nothing if it believes raw mode is on already, which
    // it does after an outside `kill -STOP`: start from the saved modes.
    let _ = disable_raw_mode();
    enable_raw_mode()?;
    ENTERED.store(true, Ordering::SeqCst);
    let mut out = stdout();
    mouse_capture(&mut out, true);
    execute!(out, EnterAlternateScreen, EnableBracketedPaste)
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        leave();
    }
}

/// Best effort: every step is attempted even if one fails. Does nothing
/// if the terminal was already given back.
pub fn leave() {
    leave_to(&mut stdout());
}

fn leave_to(out: &mut impl Write) {
    if !ENTERED.swap(false, Ordering::SeqCst) {
        return;
    }
    mouse_capture(out, false);
    let _ = execute!(
        out,
        SetAttribute(Attribute::Reset),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Restore first so the panic message lands on a normal screen.
        leave();
        previous(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The panic hook leaves, then unwinding drops the guard, which leaves
    /// again: the second time must send nothing, or the terminal jumps back
    /// to where the dashboard started and the panic message is overwritten.
    #[test]
    fn the_terminal_is_given_back_once() {
        ENTERED.store(true, Ordering::SeqCst);
        let mut first = Vec::new();
        leave_to(&mut first);
        let mut second = Vec::new();
        leave_to(&mut second);
        let first = String::from_utf8_lossy(&first);
        assert!(first.contains("\x1b[?1049l"), "{first:?}");
        assert!(second.is_empty(), "{:?}", String::from_utf8_lossy(&second));
    }
}
