//! SQLite storage for the register: opening, schema, queries and writes.
//! Returns domain types; knows nothing of terminals.
//!
//! All SQL lives here, and the connection never leaves (`conn()` is
//! private). The public surface is written so that a second engine could
//! implement it again: [`Store`]'s reads and writes (each write one
//! transaction, recorded for undo in [`Recorder`]), the bulk writer of import
//! and the sample ([`bulk::BulkWriter`], rows in, ids out) and the typed row
//! of each table ([`rows`]), failing with the store's own [`Error`] (code
//! above never names the engine). Inside, `rows.rs` is the one place each table is
//! written (`tests/one_writer.rs` checks it); the rest of the store builds
//! rows and reads.

mod backup;
pub mod bulk;
mod change;
mod checkpoint;
pub mod detail;
mod export;
mod first_frame;
pub mod history;
mod items;
mod journal;
mod kpis;
mod lifecycle;
mod lock_wait;
mod open;
mod ops;
mod read;
mod remodel;
pub mod rows;
pub mod sample;
pub mod schema;
mod snapshot;
mod tally;
mod write;

use rusqlite::Connection;

pub use backup::BackupError;
pub use change::{Change, Recorder};
pub use first_frame::FirstFrame;
pub use lock_wait::LockWait;
pub use open::{Access, OpenError, access, default_path, open_for};
pub use ops::{ClosureCode, Field, FieldEdit, KpiInput, value_text};
pub use rusqlite::types::Value;
pub use write::{NewInitiative, WriteError, date_text};

/// What a read or write of the register fails with. Code above the store
/// names this, never the engine: a second engine would bring its own here.
pub type Error = rusqlite::Error;
/// A read's or write's outcome.
pub type Result<T> = std::result::Result<T, Error>;

/// Whether `e` is a fault of the storage rather than of the request: a lock
/// held past the busy timeout, a full disk, a read-only file or disk, a
/// failing disk. Every write reports these in the same words.
pub fn is_storage_fault(e: &Error) -> bool {
    use rusqlite::ErrorCode as C;
    matches!(
        e.sqlite_error_code(),
        Some(C::DatabaseBusy | C::DatabaseLocked | C::DiskFull | C::ReadOnly | C::SystemIoFailure)
    )
}

/// An open register.
pub struct Store {
    conn: Connection,
    /// Set on the dashboard's store (`checkpoint_in_background`).
    checkpoints: Option<checkpoint::Checkpointer>,
    /// Who this store's writes are by, in the history ("" when unknown).
    author: String,
    /// Set on the dashboard's store: writes wait for a lock in slices.
    lock_wait: Option<LockWait>,
    /// Whether the last write had to wait for another program's lock.
    waited: bool,
    /// Set when `conn` is an in-memory copy of the register (see
    /// `snapshot`).
    snapshot: Option<snapshot::Snapshot>,
    /// Read without a `-shm`, in exclusive locking mode (a full disk).
    short_of_space: bool,
    /// Last, so dropped after the connections: see `journal::Tidy`.
    tidy: Option<journal::Tidy>,
}

impl Store {
    /// A store on an open connection, checkpointing as SQLite does.
    fn new(conn: Connection) -> Store {
        Store {
            conn,
            checkpoints: None,
            lock_wait: None,
            waited: false,
            snapshot: None,
            short_of_space: false,
            tidy: None,
            author: String::new(),
        }
    }

    fn tidied(mut self, tidy: journal::Tidy) -> Store {
        self.tidy = Some(tidy);
        self
    }

    /// Signs every later write of this store with `name`.
    pub fn set_author(&mut self, name: impl Into<String>) {
        self.author = name.into();
    }

    pub fn author(&self) -> &str {
        &self.author
    }

    /// The raw connection, for the store's own modules only: every query
    /// lives in `store/`, so another engine could implement the same surface.
    fn conn(&self) -> &Connection {
        &self.conn
    }

    fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Test hook: the store's own connection, for tests and benches that
    /// must act on it (pragmas that simulate a full disk or a lock, an
    /// integrity check). Not for program code, which goes through the
    /// store's functions.
    #[doc(hidden)]
    pub fn conn_for_tests(&self) -> &Connection {
        &self.conn
    }
}
