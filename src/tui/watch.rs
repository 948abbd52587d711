//! Ways out that do not come from a key: SIGTERM, SIGHUP and SIGINT from
//! outside (a logout, `kill`, an SSH connection that drops), and a terminal
//! that has gone away without a signal (the dashboard started under `nohup`,
//! or the signal lost).
//!
//! The event loop waits here instead of in crossterm: one `poll(2)` on the
//! terminal and on a self-pipe the signal handlers write to, so a signal
//! wakes the loop at once and a hung-up terminal is noticed before crossterm
//! reads from it (crossterm retries a failing read forever, which would
//! spin a core).

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use signal_hook::consts::{
    SIGALRM, SIGCONT, SIGHUP, SIGINT, SIGIO, SIGPROF, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2,
    SIGVTALRM, SIGWINCH, SIGXCPU, SIGXFSZ,
};
use signal_hook::low_level::pipe;
use signal_hook::{SigId, flag};

/// How long the loop has to finish on its own after a signal before the
/// watchdog restores the terminal and exits for it.
const GRACE: Duration = Duration::from_secs(3);

/// Set while `$EDITOR` owns the terminal: the watchdog leaves the editor be.
pub static IN_EDITOR: AtomicBool = AtomicBool::new(false);

/// Signals whose default action ends the program: each is handled as a
/// request to leave as `q` does, so the terminal is given back first.
/// (SIGPIPE is ignored by the Rust runtime: a write to a closed pipe is an
/// error instead. SIGKILL and SIGSTOP cannot be caught; the faults a bug
/// raises, SIGSEGV and its kind, still kill it: see `fatal`.)
const STOP_SIGNALS: &[i32] = &[
    SIGTERM,
    SIGHUP,
    SIGINT,
    SIGQUIT,
    SIGUSR1,
    SIGUSR2,
    SIGALRM,
    SIGVTALRM,
    SIGPROF,
    SIGXCPU,
    SIGXFSZ,
    SIGIO,
    #[cfg(any(target_os = "linux", target_os = "android"))]
    libc::SIGPWR,
    #[cfg(any(target_os = "linux", target_os = "android"))]
    libc::SIGSTKFLT,
];

/// What woke the event loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// Something to read from the terminal, or a resize.
    Input,
    /// The wait ran out.
    Timeout,
    /// Time to go: the signal's number, or `None` when the terminal hung up.
    Stop(Option<i32>),
}

/// Watches the terminal and the stop signals for the event loop.
pub struct Watch {
    /// Read end of the self-pipe all watched signals write to.
    wake: UnixStream,
    /// The last stop signal received (0: none).
    stop: Arc<AtomicUsize>,
    /// The terminal crossterm reads from: stdin if it is one, else
    /// `/dev/tty` (opened here only to watch it).
    tty: Tty,
    ids: Vec<SigId>,
    /// Set when the loop is done: the watchdog stands down.
    done: Arc<AtomicBool>,
    /// SIGTSTP arrived (`kill -TSTP`; Ctrl-z in raw mode is a key).
    suspend: Arc<AtomicBool>,
    /// SIGCONT arrived: the terminal's modes may have been changed while
    /// the dashboard was stopped, and the screen drawn over.
    resumed: Arc<AtomicBool>,
    /// Set by SIGUSR2, the `improve serve` watcher's "the register changed".
    refresh: Arc<AtomicBool>,
}

enum Tty {
    Stdin,
    Own(File),
    None,
}

impl Tty {
    fn fd(&self) -> Option<RawFd> {
        match self {
            Tty::Stdin => Some(io::stdin().as_raw_fd()),
            Tty::Own(f) => Some(f.as_raw_fd()),
            Tty::None => None,
        }
    }
}

impl Watch {
    /// Installs the handlers. A signal that was ignored when the program
    /// started (`nohup`) stays ignored; the hung-up terminal is still seen.
    pub fn install() -> io::Result<Watch> {
        let (wake, wake_write) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        let (mut watchdog, watchdog_write) = UnixStream::pair()?;
        let stop = Arc::new(AtomicUsize::new(0));
        let mut ids = Vec::new();
        for &sig in STOP_SIGNALS {
            // Served over SSH, SIGUSR2 is the server's "the register
            // changed", not a way out.
            if ignored(sig) || (sig == SIGUSR2 && super::served()) {
                continue;
            }
            ids.push(flag::register_usize(sig, Arc::clone(&stop), sig as usize)?);
            ids.push(pipe::register(sig, wake_write.try_clone()?)?);
            ids.push(pipe::register(sig, watchdog_write.try_clone()?)?);
        }
        let suspend = Arc::new(AtomicBool::new(false));
        let resumed = Arc::new(AtomicBool::new(false));
        if !ignored(SIGTSTP) {
            ids.push(flag::register(SIGTSTP, Arc::clone(&suspend))?);
            ids.push(pipe::register(SIGTSTP, wake_write.try_clone()?)?);
        }
        ids.push(flag::register(SIGCONT, Arc::clone(&resumed))?);
        ids.push(pipe::register(SIGCONT, wake_write.try_clone()?)?);
        // Served over SSH: the server's one watcher says when the register
        // changed. True at first: a change between loading and this
        // handler (the server ignores nothing, the child ignored SIGUSR2
        // until now) is read once.
        let refresh = Arc::new(AtomicBool::new(true));
        if super::served() {
            ids.push(flag::register(SIGUSR2, Arc::clone(&refresh))?);
            ids.push(pipe::register(SIGUSR2, wake_write.try_clone()?)?);
        }
        ids.push(pipe::register(SIGWINCH, wake_write)?);
        drop(watchdog_write);
        let done = Arc::new(AtomicBool::new(false));
        let finished = Arc::clone(&done);
        let tty = if io::stdin().is_terminal() {
            Tty::Stdin
        } else {
            File::open("/dev/tty").map_or(Tty::None, Tty::Own)
        };
        // The watchdog's own copy of the terminal, to see it hang up even
        // when SIGHUP is ignored (nohup) and the loop is stuck inside a
        // read: crossterm's read loop can sit on a terminal that is going
        // away, and then only the watchdog can end the program.
        let hangup = tty.fd().and_then(|fd| {
            // SAFETY: dup(2) of a descriptor this process has open; the
            // copy is owned by the `OwnedFd` from here on.
            let copy = unsafe { libc::dup(fd) };
            (copy >= 0).then(|| unsafe { OwnedFd::from_raw_fd(copy) })
        });
        std::thread::Builder::new()
            .name("improve-watchdog".into())
            .spawn(move || {
                if !stop_requested(&mut watchdog, hangup.as_ref()) {
                    return;
                }
                std::thread::sleep(GRACE);
                while IN_EDITOR.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(200));
                }
                if finished.load(Ordering::SeqCst) {
                    return;
                }
                // Still here: the loop is stuck (a read from a dead
                // terminal, a write that never returns; crossterm's tty
                // read was seen to sit for seconds around a hang-up on a
                // busy machine). Every change is already committed in its
                // own transaction, so leaving without the destructors
                // loses nothing, and a stop signal or a hang-up asks for
                // what `q` does: the same exit status, 0.
                super::terminal::leave();
                std::process::exit(0);
            })?;
        Ok(Watch {
            wake,
            stop,
            tty,
            ids,
            done,
            suspend,
            resumed,
            refresh,
        })
    }

    /// The stop-signal flag (0: none yet), for waits outside `wait`.
    pub fn stop_flag(&self) -> Arc<AtomicUsize> {
        Arc::clone(&self.stop)
    }

    /// Whether a SIGTSTP asked the dashboard to suspend (cleared by asking).
    pub fn take_suspend(&mut self) -> bool {
        self.suspend.swap(false, Ordering::SeqCst)
    }

    /// Whether a SIGCONT arrived since last asked (cleared by asking).
    pub fn take_resumed(&mut self) -> bool {
        self.resumed.swap(false, Ordering::SeqCst)
    }

    /// Waits up to `timeout` for input, a resize, a stop signal or a
    /// hang-up.
    pub fn wait(&mut self, timeout: Duration) -> io::Result<Wake> {
        let millis = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
        self.poll(millis)
    }

    /// Without waiting: a stop signal or a hang-up, if one is pending.
    /// Checked before every read from crossterm.
    pub fn stopped(&mut self) -> io::Result<Option<Wake>> {
        Ok(match self.poll(0)? {
            w @ Wake::Stop(_) => Some(w),
            _ => None,
        })
    }

    /// Whether the server said the register changed since the last call.
    pub fn take_refresh(&mut self) -> bool {
        self.refresh.swap(false, Ordering::SeqCst)
    }

    /// Whether the terminal has hung up (checked after a failed write).
    pub fn hung_up(&mut self) -> bool {
        matches!(self.poll(0), Ok(Wake::Stop(_)) | Err(_))
    }

    fn poll(&mut self, millis: i32) -> io::Result<Wake> {
        let mut fds = [
            libc::pollfd {
                fd: self.wake.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                fd: self.tty.fd().unwrap_or(-1),
                events: libc::POLLIN,
                revents: 0,
            },
        ];
        let n = loop {
            // SAFETY: `fds` is a valid array of two pollfd for the call's
            // duration; a negative fd is ignored by poll(2).
            let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, millis) };
            if n >= 0 {
                break n;
            }
            // A signal interrupts the wait; its byte is in the pipe now, so
            // the next poll returns at once.
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted {
                return Err(e);
            }
        };
        let mut woke_by_signal = false;
        if fds[0].revents & libc::POLLIN != 0 {
            let mut buf = [0u8; 64];
            while matches!(self.wake.read(&mut buf), Ok(n) if n > 0) {}
            woke_by_signal = true;
        }
        let sig = self.stop.load(Ordering::SeqCst);
        if sig != 0 {
            return Ok(Wake::Stop(Some(sig as i32)));
        }
        if fds[1].revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0 {
            return Ok(Wake::Stop(None));
        }
        Ok(
            if n > 0 && (fds[1].revents & libc::POLLIN != 0 || woke_by_signal) {
                Wake::Input
            } else {
                Wake::Timeout
            },
        )
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        for id in self.ids.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// Blocks until a stop signal arrives (true), the terminal hangs up
/// (true), or the `Watch` is gone and its signal handlers with it (false:
/// the pipe's write ends are closed).
fn stop_requested(signals: &mut UnixStream, tty: Option<&OwnedFd>) -> bool {
    loop {
        let mut fds = [
            libc::pollfd {
                fd: signals.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            },
            libc::pollfd {
                // Events 0: only a hang-up or an error, never input.
                fd: tty.map_or(-1, |t| t.as_raw_fd()),
                events: 0,
                revents: 0,
            },
        ];
        // SAFETY: `fds` is a valid array of two pollfd for the call's
        // duration; a negative fd is ignored by poll(2).
        let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, -1) };
        if n < 0 {
            if io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return false;
        }
        if fds[1].revents & (libc::POLLHUP | libc::POLLERR) != 0 {
            return true;
        }
        if fds[0].revents != 0 {
            let mut byte = [0u8; 1];
            // Only a signal writes here; 0 or an error: the pipe closed.
            return signals.read(&mut byte).is_ok_and(|n| n == 1);
        }
    }
}

/// Stops the whole program as the shell's Ctrl-z would, with the terminal
/// given back first; returns once it is continued (`fg`).
pub fn stop_self() {
    super::terminal::leave();
    // SAFETY: raise(2) with a valid signal number; SIGSTOP cannot be caught,
    // so this returns only after SIGCONT.
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
}

/// Whether `sig` was set to be ignored when the program started.
fn ignored(sig: i32) -> bool {
    // SAFETY: a null new action only queries the current one into `old`.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(sig, std::ptr::null(), &mut old) == 0 && old.sa_sigaction == libc::SIG_IGN
    }
}
