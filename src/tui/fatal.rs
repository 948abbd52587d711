//! The signals a fault raises (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT
//! from `abort`, SIGSYS, SIGTRAP) kill the program at once, with no chance
//! for the event loop to leave as `q` does. A handler that only does what
//! is safe inside a signal handler gives the terminal back first: it writes
//! the bytes that leave the full-screen mode and restores the terminal's
//! saved modes, then lets the signal kill the program as it would have.

use std::io::IsTerminal;
use std::os::fd::{AsRawFd, RawFd};
use std::sync::OnceLock;
use std::sync::atomic::Ordering;

use super::terminal::ENTERED;

/// What `terminal::leave` sends: reset the pen, mouse reporting (harmless
/// when it was never on; a shell left with it prints garbage at every
/// click) and bracketed paste off, leave the alternate screen, show the
/// cursor.
const LEAVE: &[u8] = b"\x1b[0m\x1b[?1006l\x1b[?1000l\x1b[?2004l\x1b[?1049l\x1b[?25h";

/// The terminal and its modes before the dashboard changed them.
static SAVED: OnceLock<(RawFd, libc::termios)> = OnceLock::new();

const FAULTS: &[i32] = &[
    libc::SIGSEGV,
    libc::SIGBUS,
    libc::SIGILL,
    libc::SIGFPE,
    libc::SIGABRT,
    libc::SIGSYS,
    libc::SIGTRAP,
];

/// Saves the terminal's modes (once, before raw mode is first entered) and
/// installs the handlers.
pub fn install() {
    if SAVED.get().is_none() {
        let fd = if std::io::stdin().is_terminal() {
            Some(std::io::stdin().as_raw_fd())
        } else {
            // Kept open for the handler: crossterm uses /dev/tty too.
            std::fs::File::open("/dev/tty").ok().map(|f| {
                let fd = f.as_raw_fd();
                std::mem::forget(f);
                fd
            })
        };
        if let Some(fd) = fd {
            // SAFETY: a zeroed termios is a valid value for tcgetattr to fill.
            let mut modes: libc::termios = unsafe { std::mem::zeroed() };
            // SAFETY: a valid descriptor and a valid termios pointer.
            if unsafe { libc::tcgetattr(fd, &mut modes) } == 0 {
                let _ = SAVED.set((fd, modes));
            }
        }
    }
    for &sig in FAULTS {
        // SAFETY: a zeroed sigaction is valid; the handler is an
        // `extern "C" fn(i32)` that only calls async-signal-safe functions.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_fault as extern "C" fn(i32) as libc::sighandler_t;
            // On the alternate stack Rust sets up, so a stack overflow can
            // still be handled; once only.
            action.sa_flags = libc::SA_ONSTACK | libc::SA_RESETHAND;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
}

extern "C" fn on_fault(sig: i32) {
    if ENTERED.swap(false, Ordering::SeqCst) {
        // SAFETY: write(2) and tcsetattr(3) are async-signal-safe; the
        // buffer and the saved termios are valid for the calls.
        unsafe {
            libc::write(1, LEAVE.as_ptr().cast(), LEAVE.len());
            if let Some((fd, modes)) = SAVED.get() {
                libc::tcsetattr(*fd, libc::TCSANOW, modes);
            }
        }
    }
    // SAFETY: back to the default action, then the signal again: it is
    // delivered when this handler returns and ends the program as it would
    // have without the handler (a core dump where that is the default).
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
        libc::raise(sig);
    }
}
