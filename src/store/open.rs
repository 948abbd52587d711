//! Opening a register safely.
//!
//! A file is inspected by reading its header before SQLite touches it, so a
//! file that is not ours (or is from a newer `improve`) is refused and left
//! byte-for-byte as it was.

use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::schema::{APPLICATION_ID, LATEST, MIGRATIONS, READABLE_FROM};
use super::{Store, journal, snapshot};

/// How long a write waits for another process holding the lock.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug)]
pub enum OpenError {
    /// Not a SQLite file, or a SQLite file that is not a register.
    NotARegister { path: PathBuf, why: String },
    /// Written by a newer version of improve.
    Newer {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    /// The file or its folder could not be created or read.
    Io { path: PathBuf, why: String },
    /// A new register was asked for where this user may not write.
    CannotCreate { path: PathBuf, why: &'static str },
    /// SQLite refused: locked, corrupt, read-only file system...
    Sqlite { path: PathBuf, why: String },
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::NotARegister { path, why } => {
                write!(f, "{} is not an improve register ({why})", path.display())
            }
            OpenError::Newer {
                path,
                found,
                supported,
            } => write!(
                f,
                "{} was written by a newer improve (schema {found}, this version reads up to {supported}); upgrade improve to open it",
                path.display()
            ),
            OpenError::Io { path, why } => write!(f, "cannot open {}: {why}", path.display()),
            OpenError::CannotCreate { path, why } => {
                write!(f, "cannot create {}: {why}", path.display())
            }
            OpenError::Sqlite { path, why } => write!(f, "cannot open {}: {why}", path.display()),
        }
    }
}

impl std::error::Error for OpenError {}

/// Whether this process may change the register at a path, asked of the
/// operating system before SQLite opens it: SQLite would open a read-only
/// file read-only without a word, and fail on a read-only folder only when
/// it first needs its `-wal` and `-shm` files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// The file (or, for a new register, its folder) is writable.
    Writable,
    /// The file exists and this user may not write it.
    ReadOnlyFile,
    /// The file may be written but its folder not, so SQLite cannot create
    /// the journal files a write needs.
    ReadOnlyFolder,
}

impl Access {
    /// Why a register cannot be changed, as the dashboard and the command
    /// line say it; `None` when it can.
    pub fn reason(self) -> Option<&'static str> {
        match self {
            Access::Writable => None,
            Access::ReadOnlyFile => Some("the file is read-only (no write permission)"),
            Access::ReadOnlyFolder => Some("its folder is read-only (no write permission)"),
        }
    }
}

/// Opens the register for the dashboard or a command: read-only when asked,
/// and when the file or its folder cannot be written, in which case the
/// second value says why (a read-only dashboard shows it).
pub fn open_for(db: &Path, read_only: bool) -> Result<(Store, Option<&'static str>), OpenError> {
    if read_only {
        return Ok((Store::open_read_only(db)?, None));
    }
    match access(db).reason() {
        None => Ok((Store::open(db)?, None)),
        Some(why) if !db.exists() => Err(OpenError::CannotCreate {
            path: db.to_path_buf(),
            why,
        }),
        Some(why) => Ok((Store::open_read_only(db)?, Some(why))),
    }
}

/// Asks the operating system whether `path` can be written.
pub fn access(path: &Path) -> Access {
    let folder = folder_of(path);
    if !path.exists() {
        // A new register: created wherever the folder (or the first
        // existing ancestor, for folders `open` would create) is writable.
        let existing = folder
            .ancestors()
            .find(|p| p.as_os_str().is_empty() || p.exists());
        return match existing {
            Some(p) if !p.as_os_str().is_empty() && !may_write(p) => Access::ReadOnlyFolder,
            _ => Access::Writable,
        };
    }
    if !may_write(path) {
        Access::ReadOnlyFile
    } else if !may_write(folder) {
        Access::ReadOnlyFolder
    } else {
        Access::Writable
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

#[cfg(unix)]
pub(super) fn may_write(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}

#[cfg(not(unix))]
pub(super) fn may_write(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// The path as an SQLite URI (`file:` with the characters that mean
/// something in a URI escaped), to pass parameters such as `immutable`.
fn uri(path: &Path) -> String {
    let mut out = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'%' | b'?' | b'#' => out.push_str(&format!("%{b:02X}")),
            _ => out.push(char::from(b)),
        }
    }
    out
}

/// The platform's data directory, e.g. `~/.local/share/improve/improve.db`.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "improve").map(|d| d.data_dir().join("improve.db"))
}

/// What the first 100 bytes of a SQLite file say about it.
#[derive(Debug, PartialEq, Eq)]
enum Header {
    /// Missing or zero-length: a new register.
    Empty,
    Sqlite {
        application_id: i32,
        user_version: i64,
    },
    NotSqlite,
}

fn read_header(path: &Path) -> std::io::Result<Header> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Header::Empty),
        Err(e) => return Err(e),
    };
    let mut buf = [0u8; 100];
    let mut len = 0;
    while len < buf.len() {
        match file.read(&mut buf[len..])? {
            0 => break,
            n => len += n,
        }
    }
    if len == 0 {
        return Ok(Header::Empty);
    }
    if len < 100 || &buf[..16] != b"SQLite format 3\0" {
        return Ok(Header::NotSqlite);
    }
    let be = |at: usize| i32::from_be_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]]);
    Ok(Header::Sqlite {
        user_version: i64::from(be(60)),
        application_id: be(68),
    })
}

impl Store {
    /// Opens (creating if needed) the register at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Store, OpenError> {
        let io = |e: std::io::Error| OpenError::Io {
            path: path.to_owned(),
            why: e.to_string(),
        };
        check_header(path, header_of(path)?)?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        if !path.exists() {
            // Failing here is not final: the register is then created in
            // place below, which reports what really stands in the way.
            let _ = create_whole(path);
        }
        let sqlite = |e: rusqlite::Error| OpenError::Sqlite {
            path: path.to_owned(),
            why: e.to_string(),
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let tidy = journal::Tidy::new(path, false);
        let mut short_of_space = false;
        if journal::alone_but(path, 1) {
            // A `-shm` or empty `-wal` left by a viewer that this user may
            // not write would make every write here fail as read-only.
            journal::remove_unused(path, true);
        }
        let mut conn = Connection::open_with_flags(path, flags).map_err(sqlite)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sqlite)?;
        // The header said "ours" or "empty"; a SQLite file with tables but
        // no application id is someone else's, and is left alone.
        let ids = |conn: &Connection| -> rusqlite::Result<(i32, bool)> {
            conn.query_row(
                "SELECT (SELECT application_id FROM pragma_application_id),
                        EXISTS (SELECT 1 FROM sqlite_schema)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        };
        let (app_id, has_tables) = match ids(&conn) {
            Ok(found) => found,
            // A full disk: the `-shm` cannot be made. Read without it, so
            // the commands that only read (and backups) still work; a
            // write then says the disk is full.
            Err(e) if journal::out_of_space(&e) && journal::alone_but(path, 1) => {
                drop(conn);
                conn = journal::open_without_shm(path, flags).map_err(|_| sqlite(e))?;
                short_of_space = true;
                ids(&conn).map_err(sqlite)?
            }
            Err(e) => return Err(sqlite(e)),
        };
        if app_id != APPLICATION_ID && (app_id != 0 || has_tables) {
            return Err(OpenError::NotARegister {
                path: path.to_owned(),
                why: "it is a SQLite database of another application".into(),
            });
        }
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(sqlite)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(OpenError::Sqlite {
                path: path.to_owned(),
                why: format!("could not switch to WAL journaling (got {mode})"),
            });
        }
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
            .map_err(sqlite)?;
        migrate(&mut conn).map_err(|e| match e {
            MigrateError::Newer(found) => OpenError::Newer {
                path: path.to_owned(),
                found,
                supported: LATEST,
            },
            MigrateError::Sqlite(e) => sqlite(e),
        })?;
        let mut store = Store::new(conn).tidied(tidy);
        store.short_of_space = short_of_space;
        Ok(store)
    }

    /// Opens an existing register for reading only (`--read-only`): the file
    /// is opened with `SQLITE_OPEN_READ_ONLY` and `query_only` is set, so no
    /// bug can write to it. Nothing is migrated: a register older than
    /// `READABLE_FROM` is refused with a message saying how to upgrade it.
    /// In a folder this user may not write, a register without journal
    /// files is copied into memory (SQLite could not create its `-shm`, and
    /// an immutable connection must not stay open: see `snapshot`).
    pub fn open_read_only(path: &Path) -> Result<Store, OpenError> {
        Store::open_read_only_as(path, false)
    }

    /// As `open_read_only`, for a dashboard that may stay open all day:
    /// where its own `-wal` and `-shm` would belong to another user than
    /// the register's owner (who could then not write while it is open),
    /// and nobody is writing now, it reads a copy instead (see `snapshot`),
    /// followed live once a writer's journal files are there.
    pub fn open_viewer(path: &Path) -> Result<Store, OpenError> {
        Store::open_read_only_as(path, foreign(path))
    }

    pub(super) fn open_read_only_as(path: &Path, prefer_copy: bool) -> Result<Store, OpenError> {
        let header = header_of(path)?;
        if header == Header::Empty {
            return Err(OpenError::Io {
                path: path.to_owned(),
                why: "no register there (read-only mode does not create one)".into(),
            });
        }
        check_header(path, header)?;
        let sqlite = |e: rusqlite::Error| OpenError::Sqlite {
            path: path.to_owned(),
            why: e.to_string(),
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let ids = |conn: &Connection| -> rusqlite::Result<(i32, i64)> {
            conn.busy_timeout(BUSY_TIMEOUT)?;
            conn.execute_batch("PRAGMA query_only = ON;")?;
            conn.query_row(
                "SELECT (SELECT application_id FROM pragma_application_id),
                        (SELECT user_version FROM pragma_user_version)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        };
        let tidy = journal::Tidy::new(path, true);
        // Read as immutable only to copy it into memory (see `snapshot`):
        // never kept open on a file that may change.
        let copy = |failed: Option<rusqlite::Error>| {
            let immutable =
                Connection::open_with_flags(format!("{}?immutable=1", uri(path)), flags)
                    .map_err(|e| sqlite(failed.unwrap_or(e)))?;
            let found = ids(&immutable).map_err(sqlite)?;
            let (memory, snap) = snapshot::copy(path, &immutable).map_err(sqlite)?;
            Ok::<_, OpenError>((memory, found, Some(snap.preferred(prefer_copy))))
        };
        let (conn, (app_id, version), copied) = if prefer_copy && !journal_files_exist(path) {
            copy(None)?
        } else {
            let conn = Connection::open_with_flags(path, flags).map_err(sqlite)?;
            match ids(&conn) {
                Ok(found) => (conn, found, None),
                // A full disk: read without a `-shm` (see `open`).
                Err(e) if journal::out_of_space(&e) && journal::alone_but(path, 1) => {
                    drop(conn);
                    // SQLite reads a WAL register without a `-shm` only on a
                    // connection that could write; `query_only` (set in
                    // `ids`) keeps this one from doing so.
                    let writable = (flags - OpenFlags::SQLITE_OPEN_READ_ONLY)
                        | OpenFlags::SQLITE_OPEN_READ_WRITE;
                    let exclusive =
                        journal::open_without_shm(path, writable).map_err(|_| sqlite(e))?;
                    let found = ids(&exclusive).map_err(sqlite)?;
                    // Copied into memory so that the lock is let go at once:
                    // a viewer may stay open all day (see `snapshot`).
                    let (memory, snap) = snapshot::copy(path, &exclusive).map_err(sqlite)?;
                    (memory, found, Some(snap))
                }
                // A register in WAL mode needs its `-shm` file even to be
                // read; in a folder this user may not write, SQLite cannot
                // create it. With no `-wal` or `-shm` there, nobody is
                // writing the file (a writer would have made them).
                Err(e) if !may_write(folder_of(path)) && !journal_files_exist(path) => {
                    drop(conn);
                    copy(Some(e))?
                }
                Err(e) => return Err(sqlite(e)),
            }
        };
        if app_id != APPLICATION_ID {
            return Err(OpenError::NotARegister {
                path: path.to_owned(),
                why: "it is not marked as an improve register".into(),
            });
        }
        if version > LATEST {
            return Err(OpenError::Newer {
                path: path.to_owned(),
                found: version,
                supported: LATEST,
            });
        }
        if version < READABLE_FROM {
            return Err(OpenError::Sqlite {
                path: path.to_owned(),
                why: format!(
                    "its schema (version {version}) is older than this improve reads ({READABLE_FROM}); open it once without --read-only to upgrade it"
                ),
            });
        }
        let mut store = Store::new(conn).tidied(tidy);
        store.snapshot = copied;
        Ok(store)
    }

    /// A change counter that moves when another connection commits; the
    /// dashboard polls it to refresh live.
    /// Whether the register is read without a `-shm` because none could be
    /// made (a full disk): this store then holds an exclusive lock on it
    /// until dropped, fine for one command, not for a dashboard.
    pub fn short_of_space(&self) -> bool {
        self.short_of_space
    }

    /// A store reading a copy (see `snapshot`) reports the copy's counter;
    /// `follow` takes a new copy when the file changed.
    pub fn data_version(&self) -> rusqlite::Result<i64> {
        if let Some(snap) = &self.snapshot {
            return Ok(snap.version());
        }
        self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))
    }
}

/// Creates a new register at `path` whole or not at all: built beside it
/// under a name of its own, then linked in place, which fails if another
/// process got there first (its register is then as good as this one).
/// Without this, several processes starting on a missing file at once
/// (scripts, a dashboard and a cron job) could see it half made: a header
/// still being written ("not a SQLite database"), a lock taken while another
/// switches it to WAL ("database is locked"), or a journal mode changing
/// under an open connection ("disk I/O error").
fn create_whole(path: &Path) -> rusqlite::Result<()> {
    static SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let serial = SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = folder_of(path).join(format!(".{name}.{}-{serial}.new", std::process::id()));
    let built = (|| {
        let mut conn = Connection::open(&temp)?;
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
        migrate(&mut conn).map_err(|e| match e {
            MigrateError::Sqlite(e) => e,
            MigrateError::Newer(_) => rusqlite::Error::InvalidQuery,
        })?;
        // Closing the only connection checkpoints the WAL into the file and
        // removes it: the file alone is the whole register.
        conn.close().map_err(|(_, e)| e)?;
        match std::fs::hard_link(&temp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(rusqlite::Error::ToSqlConversionFailure(Box::new(e))),
        }
    })();
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = temp.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
    built
}

/// The header of the file at `path`; a folder there is an error.
fn header_of(path: &Path) -> Result<Header, OpenError> {
    let io = |why: String| OpenError::Io {
        path: path.to_owned(),
        why,
    };
    if path.is_dir() {
        return Err(io("it is a folder".into()));
    }
    read_header(path).map_err(|e| io(e.to_string()))
}

/// Whether this user may not write the register and does not own it: the
/// journal files it made would block the owner's writes.
#[cfg(unix)]
fn foreign(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    !may_write(path) && std::fs::metadata(path).is_ok_and(|m| m.uid() != me)
}

#[cfg(not(unix))]
fn foreign(_path: &Path) -> bool {
    false
}

fn journal_files_exist(path: &Path) -> bool {
    ["-wal", "-shm"].iter().any(|suffix| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        Path::new(&name).exists()
    })
}

fn check_header(path: &Path, header: Header) -> Result<(), OpenError> {
    match header {
        Header::Empty => Ok(()),
        Header::NotSqlite => Err(OpenError::NotARegister {
            path: path.to_owned(),
            why: "it is not a SQLite database".into(),
        }),
        Header::Sqlite {
            application_id,
            user_version,
        } => {
            if application_id == APPLICATION_ID && user_version > LATEST {
                Err(OpenError::Newer {
                    path: path.to_owned(),
                    found: user_version,
                    supported: LATEST,
                })
            } else if application_id != APPLICATION_ID && application_id != 0 {
                Err(OpenError::NotARegister {
                    path: path.to_owned(),
                    why: "it is a SQLite database of another application".into(),
                })
            } else {
                Ok(())
            }
        }
    }
}

enum MigrateError {
    Newer(i64),
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Sqlite(e)
    }
}

/// Runs the pending migrations in one IMMEDIATE transaction, re-reading the
/// version inside it so two processes opening a new file at once do not both
/// migrate.
fn migrate(conn: &mut Connection) -> Result<(), MigrateError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version == LATEST {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > LATEST {
        return Err(MigrateError::Newer(version));
    }
    for sql in &MIGRATIONS[version as usize..] {
        tx.execute_batch(sql)?;
    }
    tx.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {LATEST};"
    ))?;
    tx.commit()?;
    Ok(())
}
