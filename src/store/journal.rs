//! The `-wal` and `-shm` files beside a register: who may remove them, and
//! how a register is read when they cannot be made.
//!
//! SQLite creates both on the first read of a WAL database and removes them
//! when the last writing connection closes. A read-only connection never
//! removes them, so a viewer used to leave them behind with its own owner
//! and the register's mode of the moment (0444 on a read-only file), after
//! which the owner's writes failed until someone deleted them by hand. And
//! on a full disk the `-shm` cannot be grown, so even reading failed.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, ErrorCode, OpenFlags};

/// The register's `-wal` or `-shm` file.
pub(super) fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether some connection (in any process but this one) has the register
/// open in WAL mode: each holds a shared lock on the `-shm`'s "DMS" byte
/// for as long as it is connected (SQLite's unix VFS: byte 128).
#[cfg(unix)]
pub(super) fn in_use(path: &Path) -> bool {
    use std::os::fd::AsRawFd;
    let shm = beside(path, "-shm");
    let Ok(file) = std::fs::File::open(&shm) else {
        return false;
    };
    // SAFETY: a zeroed flock is a valid value; F_GETLK only fills it in.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = libc::F_WRLCK as _;
    lock.l_whence = libc::SEEK_SET as _;
    lock.l_start = 128;
    lock.l_len = 1;
    // SAFETY: a valid open descriptor and a valid flock for the call.
    let asked = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GETLK, &mut lock) };
    // A file that cannot be asked is treated as in use: never removed.
    asked != 0 || i32::from(lock.l_type) != libc::F_UNLCK
}

#[cfg(not(unix))]
pub(super) fn in_use(_path: &Path) -> bool {
    true
}

/// SQLite's lock bytes in the database file (unix VFS): a connection in
/// WAL mode holds a read lock in the SHARED range for as long as it is open.
#[cfg(unix)]
const SHARED_FIRST: i64 = 0x4000_0000 + 2;
#[cfg(unix)]
const SHARED_SIZE: i64 = 510;

/// Holds the database file's SHARED range locked for writing: while held,
/// no connection is open on the register and none can open (they wait in
/// their busy handler), so its journal files may be removed without a race.
/// `None` if a connection is open or this user may not write the file.
#[cfg(unix)]
fn quiesce(path: &Path) -> Option<std::fs::File> {
    use std::os::fd::AsRawFd;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .ok()?;
    // SAFETY: a zeroed flock is a valid value, filled in below.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = libc::F_WRLCK as _;
    lock.l_whence = libc::SEEK_SET as _;
    lock.l_start = SHARED_FIRST as _;
    lock.l_len = SHARED_SIZE as _;
    // SAFETY: a valid open descriptor and a valid flock for the call. The
    // lock goes with the descriptor when `file` is dropped.
    let got = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETLK, &lock) };
    (got == 0).then_some(file)
}

#[cfg(not(unix))]
fn quiesce(_path: &Path) -> Option<std::fs::File> {
    None
}

fn empty(file: &Path) -> bool {
    std::fs::metadata(file).is_ok_and(|m| m.len() == 0)
}

/// Removes journal files nobody is using and that hold nothing: a `-shm`
/// (rebuilt from the `-wal` by the next connection) and an empty `-wal`.
/// With `only_unwritable`, only those this process could not write, which
/// would otherwise make its connection read-only. Best effort: a folder
/// this user may not change keeps them.
pub(super) fn remove_unused(path: &Path, only_unwritable: bool) {
    let (wal, shm) = (beside(path, "-wal"), beside(path, "-shm"));
    if !shm.exists() && !wal.exists() {
        return;
    }
    // Writable: locked, so nobody connects meanwhile. Otherwise (a viewer
    // that may not write the file) only if nobody is connected now.
    let _quiet = match quiesce(path) {
        Some(lock) => Some(lock),
        None if path.exists() && super::open::may_write(path) => return,
        None => None,
    };
    if in_use(path) {
        return;
    }
    let blocks = |f: &Path| !only_unwritable || (f.exists() && !super::open::may_write(f));
    // A non-empty `-wal` holds committed changes not yet in the file.
    let wal_removable = !wal.exists() || empty(&wal);
    if wal_removable && (blocks(&wal) || blocks(&shm)) {
        let _ = std::fs::remove_file(&shm);
        let _ = std::fs::remove_file(&wal);
    } else if blocks(&shm) {
        let _ = std::fs::remove_file(&shm);
    }
}

/// The registers this process has open, with how many stores each. File
/// locks are per process (another connection here neither shows as a
/// holder nor conflicts, and closing any descriptor of the file drops them
/// all), so the journal files are only ever touched when no store in this
/// process has the register open.
static OPEN: std::sync::Mutex<Vec<(PathBuf, usize)>> = std::sync::Mutex::new(Vec::new());

fn key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())
}

/// Whether at most `mine` stores in this process (the caller's own,
/// already registered) have `path` open.
pub(super) fn alone_but(path: &Path, mine: usize) -> bool {
    let key = key(path);
    let open = OPEN.lock().unwrap_or_else(|e| e.into_inner());
    !open.iter().any(|(p, n)| *p == key && *n > mine)
}

/// A store's registration in `OPEN`. Declared after the connection in
/// `Store`, so dropped after it is closed; a read-only store then removes
/// the journal files it may have made, if it was the last one here and
/// nobody else is connected.
pub(super) struct Tidy {
    path: PathBuf,
    read_only: bool,
}

impl Tidy {
    pub(super) fn new(path: &Path, read_only: bool) -> Tidy {
        let path = key(path);
        let mut open = OPEN.lock().unwrap_or_else(|e| e.into_inner());
        match open.iter_mut().find(|(p, _)| *p == path) {
            Some((_, n)) => *n += 1,
            None => open.push((path.clone(), 1)),
        }
        Tidy { path, read_only }
    }
}

impl Drop for Tidy {
    fn drop(&mut self) {
        let mut open = OPEN.lock().unwrap_or_else(|e| e.into_inner());
        let last = match open.iter().position(|(p, _)| *p == self.path) {
            Some(i) => {
                open[i].1 -= 1;
                let last = open[i].1 == 0;
                if last {
                    open.swap_remove(i);
                }
                last
            }
            None => false,
        };
        // Still under the lock: no store here opens it meanwhile.
        if last && self.read_only {
            remove_unused(&self.path, false);
        }
    }
}

/// An error on the first read that a full disk causes: the `-shm` could
/// not be grown (an I/O error) or a file not written (full).
pub(super) fn out_of_space(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure)
    )
}

/// Opens the register so that it is read without a `-shm` at all: in
/// exclusive locking mode SQLite keeps the WAL index in memory. Used only
/// when the `-shm` cannot be made (a full disk), where it is the only way
/// to read at all; the lock is held until the store is closed, which for
/// the commands is the end of one command.
pub(super) fn open_without_shm(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    remove_unused(path, false);
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(super::open::BUSY_TIMEOUT)?;
    conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE;")?;
    Ok(conn)
}
