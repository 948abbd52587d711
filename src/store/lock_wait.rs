//! A write that waits for another program's lock without freezing the
//! caller: the lock is asked for in short slices, and between two slices
//! the caller's `LockWait` is told how long it has waited (the dashboard
//! says so on screen, answers `q` and redraws) and may give up.

use std::time::{Duration, Instant};

use rusqlite::{ErrorCode, Transaction, TransactionBehavior};

use super::Store;
use super::open::BUSY_TIMEOUT;
use super::write::WriteError;

/// One slice of waiting inside SQLite's busy handler.
const SLICE: Duration = Duration::from_millis(100);

/// Called between two slices of waiting for the write lock with the time
/// waited so far; `false` gives up (nothing is written).
pub type LockWait = Box<dyn FnMut(Duration) -> bool + Send>;

fn busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

impl Store {
    /// From now on, writes that find the register locked wait in slices and
    /// ask `wait` between them; `None`: they block for the busy timeout.
    pub fn set_lock_wait(&mut self, wait: Option<LockWait>) {
        self.lock_wait = wait;
    }

    /// Whether the last write had to wait for another program's lock.
    pub fn last_write_waited(&self) -> bool {
        self.waited
    }

    /// Begins the IMMEDIATE transaction every write runs in. Only taking
    /// the write lock can meet another program's lock (in WAL mode, once
    /// held, nothing else waits), so only this is sliced.
    pub(super) fn begin_write(&mut self) -> Result<Transaction<'_>, WriteError> {
        self.waited = false;
        let Some(wait) = self.lock_wait.as_mut() else {
            return Ok(self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?);
        };
        let conn = &self.conn;
        conn.busy_timeout(SLICE)?;
        let start = Instant::now();
        let begun = loop {
            match Transaction::new_unchecked(conn, TransactionBehavior::Immediate) {
                Err(e) if busy(&e) => {
                    self.waited = true;
                    let waited = start.elapsed();
                    if waited >= BUSY_TIMEOUT {
                        break Err(WriteError::Sqlite(e));
                    }
                    if !wait(waited) {
                        break Err(WriteError::GaveUp);
                    }
                }
                other => break other.map_err(WriteError::Sqlite),
            }
        };
        // Restored before anything else runs on this connection: reads and
        // the commands keep the whole timeout.
        let restored = conn.busy_timeout(BUSY_TIMEOUT);
        let tx = begun?;
        restored?;
        Ok(tx)
    }
}
