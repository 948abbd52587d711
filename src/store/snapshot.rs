//! A register read where SQLite cannot follow it live: in a folder this
//! user may not write, with no `-wal` or `-shm` beside it (nobody writing),
//! SQLite can only read the file as `immutable`, and an immutable
//! connection trusts its cache forever: once someone writes, it misses
//! every change and later reads pages that changed under it ("database
//! disk image is malformed").
//!
//! So the immutable connection lives only long enough to copy the register
//! into memory. The store reads the copy, and each time the dashboard asks
//! for the change counter the file is looked at: if it (or its journal
//! files) changed, a new copy is made, or a live read-only connection
//! opened once a writer's `-shm` is there to follow.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::Store;

/// What the file and its journal files look like; a copy is current while
/// this has not changed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    inode: u64,
    wal: bool,
    shm: bool,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            inode,
            wal: super::journal::beside(path, "-wal").exists(),
            shm: super::journal::beside(path, "-shm").exists(),
        })
    }
}

/// Where a store's in-memory copy came from.
pub(super) struct Snapshot {
    path: PathBuf,
    stamp: Option<Stamp>,
    /// The change counter the store reports: negative, so it never equals
    /// a live connection's `PRAGMA data_version` after a switch to one.
    version: i64,
    /// Opened by `open_viewer` preferring a copy: opened the same way again.
    prefer_copy: bool,
}

/// Copies the register an immutable connection reads into memory. The
/// file must look the same before and after, or the copy is made again: a
/// writer that came and went meanwhile may have changed pages under it.
pub(super) fn copy(
    path: &Path,
    immutable: &Connection,
) -> rusqlite::Result<(Connection, Snapshot)> {
    let mut last = None;
    for _ in 0..3 {
        let before = Stamp::of(path);
        let mut memory = Connection::open_in_memory()?;
        {
            let backup = Backup::new(immutable, &mut memory)?;
            while backup.step(-1)? != StepResult::Done {}
        }
        if Stamp::of(path) == before {
            memory.execute_batch("PRAGMA query_only = ON;")?;
            let snapshot = Snapshot {
                path: path.to_owned(),
                stamp: before,
                version: -1,
                prefer_copy: false,
            };
            return Ok((memory, snapshot));
        }
        last = Some(memory);
    }
    // Changing all the time: the last copy, seen as stale at the next look.
    let memory = last.expect("three tries");
    memory.execute_batch("PRAGMA query_only = ON;")?;
    Ok((
        memory,
        Snapshot {
            path: path.to_owned(),
            stamp: None,
            version: -1,
            prefer_copy: false,
        },
    ))
}

impl Snapshot {
    pub(super) fn version(&self) -> i64 {
        self.version
    }

    pub(super) fn preferred(mut self, prefer_copy: bool) -> Snapshot {
        self.prefer_copy = prefer_copy;
        self
    }
}

impl Store {
    /// For a store reading a copy of the register (see the module comment),
    /// a new copy, or a live connection, when the file changed since; the
    /// change counter (`data_version`) then moves. A file that cannot be
    /// read again keeps the last copy. Nothing to do for any other store.
    pub fn follow(&mut self) {
        let Some(snap) = self.snapshot.as_mut() else {
            return;
        };
        if snap.stamp.is_some() && Stamp::of(&snap.path) == snap.stamp {
            return;
        }
        let version = snap.version;
        let path = snap.path.clone();
        let Ok(fresh) = Store::open_read_only_as(&path, snap.prefer_copy) else {
            return;
        };
        let Store {
            conn,
            snapshot,
            tidy,
            ..
        } = fresh;
        self.conn = conn;
        self.tidy = tidy;
        self.snapshot = snapshot.map(|mut s| {
            s.version = version - 1;
            s
        });
    }
}
