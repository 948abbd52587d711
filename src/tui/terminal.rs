//! Entering and leaving the terminal's full-screen mode, so that it is
//! restored on every way out: quit, error and panic.

use std::cell::RefCell;
use std::io::{self, Stdout, Write, stdout};
use std::rc::Rc;

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

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        install_panic_hook();
        enable_raw_mode()?;
        let guard = TerminalGuard { _private: () };
        execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        leave();
    }
}

/// Best effort: every step is attempted even if one fails.
pub fn leave() {
    let mut out = stdout();
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
