//! One dashboard per session: `improve` itself, run as a child process on
//! its own pseudo-terminal, with an environment built from scratch.
//!
//! A child per session gives each person their own selection, filter, sort,
//! views and undo without touching the dashboard, and isolates sessions: a
//! child that ends (even through the dashboard's hang-up watchdog, which
//! calls `process::exit`) ends only its own session.

use std::ffi::OsString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// What every session's dashboard shares: the binary, the register, the
/// configuration file the server was given.
#[derive(Debug, Clone)]
pub struct Program {
    pub exe: PathBuf,
    pub db: PathBuf,
    pub config: Option<PathBuf>,
}

/// One session's dashboard: who, how, and in what terminal.
#[derive(Debug, Clone)]
pub struct Launch {
    pub read_only: bool,
    /// The key's name: the author of every change made in the session.
    pub user: String,
    /// `TERM` from the client's pty request.
    pub term: String,
    /// Variables the client sent (only the allowed ones are passed on).
    pub client_env: Vec<(String, String)>,
    pub cols: u16,
    pub rows: u16,
}

/// Whether a variable a client sends may reach the dashboard: the colour
/// wish and the locale (for the UTF-8 decision), nothing else. `EDITOR`,
/// `VISUAL`, `PATH`, `LD_*` and the like never do.
pub fn accepted_env(name: &str) -> bool {
    name == "NO_COLOR"
        || name == "LANG"
        || name
            .strip_prefix("LC_")
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_uppercase()))
}

/// The child's whole environment.
pub fn environment(program: &Program, launch: &Launch) -> Vec<(OsString, OsString)> {
    let term = if launch.term.is_empty() || launch.term.bytes().any(|b| !b.is_ascii_graphic()) {
        "vt100".to_string()
    } else {
        launch.term.clone()
    };
    let mut env: Vec<(OsString, OsString)> = vec![
        ("TERM".into(), term.into()),
        ("IMPROVE_DB".into(), program.db.clone().into()),
        ("IMPROVE_USER".into(), launch.user.clone().into()),
        // Tells the dashboard it is served: no $EDITOR, refresh on the
        // server's signal instead of polling.
        ("IMPROVE_SESSION".into(), "ssh".into()),
    ];
    for (name, value) in &launch.client_env {
        if accepted_env(name) && !value.chars().any(char::is_control) {
            env.push((name.into(), value.into()));
        }
    }
    env
}

/// A running dashboard: the process and the pty's master side.
pub struct Spawned {
    pub process: std::process::Child,
    pub master: OwnedFd,
}

/// Starts the dashboard on a new pty sized as the client asked.
pub fn spawn(program: &Program, launch: &Launch) -> io::Result<Spawned> {
    let size = winsize(launch.cols, launch.rows);
    let (mut master, mut slave): (RawFd, RawFd) = (-1, -1);
    // SAFETY: openpty writes two descriptors into the given ints; the name
    // buffer and termios are optional (null) and the winsize is a valid
    // struct for the call's duration.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just opened by openpty and are owned
    // here from now on.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    for fd in [&master, &slave] {
        // Neither may leak into the child under its own number (the slave
        // arrives as 0, 1 and 2) nor into other sessions' children.
        set_flag(
            fd.as_raw_fd(),
            libc::F_GETFD,
            libc::F_SETFD,
            libc::FD_CLOEXEC,
        )?;
    }
    set_flag(
        master.as_raw_fd(),
        libc::F_GETFL,
        libc::F_SETFL,
        libc::O_NONBLOCK,
    )?;
    let mut command = Command::new(&program.exe);
    if let Some(config) = &program.config {
        command.arg("--config").arg(config);
    }
    if launch.read_only {
        command.arg("--read-only");
    }
    command
        .env_clear()
        .envs(environment(program, launch))
        .current_dir("/")
        .stdin(Stdio::from(slave.try_clone()?))
        .stdout(Stdio::from(slave.try_clone()?))
        .stderr(Stdio::from(slave));
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(|| {
            // Its own session with the pty as its controlling terminal, so
            // a hang-up or a window change reaches it as on a real login.
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0 {
                return Err(io::Error::last_os_error());
            }
            // The server's refresh signal must not end a dashboard that
            // has not installed its handler yet.
            libc::signal(libc::SIGUSR2, libc::SIG_IGN);
            Ok(())
        });
    }
    let process = command.spawn()?;
    Ok(Spawned { process, master })
}

/// Tells the pty (and so the dashboard, by SIGWINCH) the new size.
pub fn resize(master: RawFd, cols: u16, rows: u16) -> io::Result<()> {
    let size = winsize(cols, rows);
    // SAFETY: TIOCSWINSZ reads one winsize from a valid pointer.
    if unsafe { libc::ioctl(master, libc::TIOCSWINSZ, &size) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Sends `signal` to the dashboard's whole process group.
pub fn signal(pid: u32, signal: i32) {
    if let Ok(pid) = i32::try_from(pid) {
        // SAFETY: kill(2) with a negative pid signals a process group; a
        // group that is gone makes it fail harmlessly.
        unsafe {
            libc::kill(-pid, signal);
        }
    }
}

fn winsize(cols: u16, rows: u16) -> libc::winsize {
    libc::winsize {
        ws_row: rows.max(1),
        ws_col: cols.max(1),
        ws_xpixel: 0,
        ws_ypixel: 0,
    }
}

fn set_flag(fd: RawFd, get: i32, set: i32, flag: i32) -> io::Result<()> {
    // SAFETY: fcntl on a descriptor this process owns.
    let flags = unsafe { libc::fcntl(fd, get) };
    if flags < 0 || unsafe { libc::fcntl(fd, set, flags | flag) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(env: &[(&str, &str)]) -> Launch {
        Launch {
            read_only: true,
            user: "ana".into(),
            term: "xterm-256color".into(),
            client_env: env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            cols: 80,
            rows: 24,
        }
    }

    #[test]
    fn the_environment_is_built_from_scratch_and_carries_no_editor() {
        let program = Program {
            exe: "/bin/improve".into(),
            db: "/data/r.db".into(),
            config: None,
        };
        let env = environment(
            &program,
            &launch(&[
                ("EDITOR", "sh -c evil"),
                ("VISUAL", "vim"),
                ("PATH", "/tmp"),
                ("LD_PRELOAD", "/tmp/x.so"),
                ("NO_COLOR", "1"),
                ("LANG", "C"),
                ("LC_ALL", "en_GB.UTF-8"),
                ("LC_", "x"),
            ]),
        );
        let names: Vec<String> = env
            .iter()
            .map(|(k, _)| k.to_string_lossy().into())
            .collect();
        assert_eq!(
            names,
            [
                "TERM",
                "IMPROVE_DB",
                "IMPROVE_USER",
                "IMPROVE_SESSION",
                "NO_COLOR",
                "LANG",
                "LC_ALL"
            ]
        );
        let get = |n: &str| env.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        assert_eq!(get("IMPROVE_USER"), Some("ana".into()));
        assert_eq!(get("IMPROVE_SESSION"), Some("ssh".into()));
        assert_eq!(get("TERM"), Some("xterm-256color".into()));
    }

    #[test]
    fn a_term_with_control_characters_becomes_vt100() {
        let program = Program {
            exe: "/bin/improve".into(),
            db: "/r.db".into(),
            config: None,
        };
        let mut l = launch(&[]);
        l.term = "xterm\x1b[2J".into();
        let env = environment(&program, &l);
        assert_eq!(env[0].1, "vt100");
    }
}
