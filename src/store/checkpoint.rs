//! Write-ahead log checkpoints off the dashboard's thread.
//!
//! SQLite copies its log back into the database file every thousand pages
//! or so, inside whichever commit crosses that line, and waits for the disk
//! while doing it: 100-300 ms on a 500 MB register, every few hundred
//! writes. On the dashboard that is a key that stalls. Its connection stops
//! checkpointing by itself, and a thread with a connection of its own does
//! it after every few writes instead, without blocking readers or writers.

use std::sync::mpsc::{self, Sender};
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags};

use super::Store;
use super::open::BUSY_TIMEOUT;

/// Writes between two checkpoints: a few hundred log pages at most, so the
/// log stays small and so does the final checkpoint when the app closes.
const WRITES_PER_CHECKPOINT: u32 = 16;

pub(super) struct Checkpointer {
    wake: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
    writes: u32,
}

impl Checkpointer {
    /// Counts a committed write; every few, the thread checkpoints.
    pub(super) fn written(&mut self) {
        self.writes += 1;
        if self.writes >= WRITES_PER_CHECKPOINT {
            self.writes = 0;
            if let Some(wake) = &self.wake {
                let _ = wake.send(());
            }
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        // The thread ends when its channel closes, after any checkpoint in
        // progress.
        self.wake.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Store {
    /// Moves this connection's checkpoints to a thread of its own (see the
    /// module comment). Returns whether it did; a register in memory or
    /// one that cannot be opened a second time keeps checkpointing as
    /// SQLite does by default.
    pub fn checkpoint_in_background(&mut self) -> bool {
        if self.checkpoints.is_some() {
            return true;
        }
        let Some(path) = self.conn.path().filter(|p| !p.is_empty()) else {
            return false;
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let Ok(conn) = Connection::open_with_flags(path, flags) else {
            return false;
        };
        if conn.busy_timeout(BUSY_TIMEOUT).is_err() {
            return false;
        }
        let (wake, woken) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("checkpoint".into())
            .spawn(move || {
                while woken.recv().is_ok() {
                    // Several wake-ups while one ran: one checkpoint.
                    while woken.try_recv().is_ok() {}
                    // Passive: copies what no reader still needs, waits for
                    // nobody. A failure (a full disk) leaves the log to the
                    // next one, or to the last connection's close.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            });
        let Ok(thread) = thread else {
            return false;
        };
        if self
            .conn
            .execute_batch("PRAGMA wal_autocheckpoint = 0")
            .is_err()
        {
            return false;
        }
        self.checkpoints = Some(Checkpointer {
            wake: Some(wake),
            thread: Some(thread),
            writes: 0,
        });
        true
    }

    /// After every committed write.
    pub(super) fn written(&mut self) {
        if let Some(c) = self.checkpoints.as_mut() {
            c.written();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Goals in the database file itself, without its log: a copy of the
    /// file alone holds only what a checkpoint has copied into it.
    fn goals_in_file(path: &std::path::Path) -> i64 {
        let copy = path.with_file_name("copy.db");
        std::fs::copy(path, &copy).unwrap();
        let conn = Connection::open(&copy).unwrap();
        conn.query_row("SELECT count(*) FROM goals", [], |r| r.get(0))
            .unwrap()
    }

    fn add_goals(store: &mut Store, n: u32) {
        for i in 0..n {
            store
                .write("goal", None, |rec| {
                    rec.conn_ref().execute(
                        "INSERT INTO goals (name, created_at) VALUES (?1, 0)",
                        [format!("goal {i}")],
                    )?;
                    Ok(())
                })
                .unwrap();
        }
    }

    #[test]
    fn the_connection_leaves_checkpoints_to_the_thread_which_does_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.db");
        let mut store = Store::open(&path).unwrap();
        assert!(store.checkpoint_in_background());
        let auto: i64 = store
            .conn
            .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
            .unwrap();
        assert_eq!(auto, 0, "the app's connection no longer checkpoints");
        add_goals(&mut store, WRITES_PER_CHECKPOINT - 1);
        assert_eq!(goals_in_file(&path), 0, "still in the log");
        // The next write wakes the thread; dropping the checkpointer waits
        // for it to finish.
        add_goals(&mut store, 1);
        store.checkpoints.take();
        assert_eq!(
            goals_in_file(&path),
            i64::from(WRITES_PER_CHECKPOINT),
            "the thread copied the log into the file"
        );
    }
}
