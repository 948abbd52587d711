//! A consistent copy of the register in another file, with SQLite's online
//! backup.

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};

use super::Store;

/// Why a copy could not be made.
#[derive(Debug)]
pub enum BackupError {
    Sqlite(rusqlite::Error),
    /// Another program held the register locked for longer than we wait.
    Locked,
}

impl fmt::Display for BackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackupError::Sqlite(e) => write!(f, "{e}"),
            BackupError::Locked => f.write_str("the register stayed locked"),
        }
    }
}

impl std::error::Error for BackupError {}

impl From<rusqlite::Error> for BackupError {
    fn from(e: rusqlite::Error) -> Self {
        BackupError::Sqlite(e)
    }
}

impl Store {
    /// Copies every page of the register into a new SQLite file at `dst`,
    /// waiting up to five seconds for another program's lock.
    pub fn copy_to(&self, dst: &Path) -> Result<(), BackupError> {
        let mut dst = rusqlite::Connection::open(dst)?;
        let backup = Backup::new(&self.conn, &mut dst)?;
        // All pages in one step: a consistent snapshot; in WAL mode the
        // dashboard's writes are not blocked meanwhile.
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            match backup.step(-1)? {
                StepResult::Done => return Ok(()),
                StepResult::More => {}
                _ if Instant::now() > deadline => return Err(BackupError::Locked),
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_holds_what_the_register_holds() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("r.db")).unwrap();
        let now = chrono::Utc::now();
        store
            .write("goal", None, |rec| rec.add_goal("Faster", "", now))
            .unwrap();
        let copy = dir.path().join("copy.db");
        store.copy_to(&copy).unwrap();
        let copied = Store::open(&copy).unwrap();
        assert_eq!(copied.register_counts().unwrap(), (0, 1));
    }
}
