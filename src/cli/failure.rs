//! User mistakes become one line on stderr and a documented exit code,
//! never a backtrace.

use std::fmt;

use crate::store::{self, OpenError, WriteError};

/// Exit codes (documented in the README).
pub mod code {
    pub const FAILURE: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const NOT_FOUND: i32 = 3;
    pub const INVALID: i32 = 4;
    pub const CANNOT_OPEN: i32 = 5;
    /// A write asked of a register opened with `--read-only`.
    pub const READ_ONLY: i32 = 6;
}

#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    pub fn new(code: i32, message: impl Into<String>) -> Failure {
        // Messages quote data (titles, names, file contents): they reach a
        // terminal as one line without its control characters.
        let message = message.into();
        Failure {
            code,
            message: crate::domain::text::sanitize(&message).into_owned(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

impl Failure {
    /// A storage fault (a lock held past the busy timeout, a full disk, a
    /// read-only file or disk, a failing disk) in the words and exit code
    /// every write uses; any other SQLite error is handed back.
    pub fn storage(e: store::Error) -> Result<Failure, store::Error> {
        if store::is_storage_fault(&e) {
            Ok(Failure::from(WriteError::Sqlite(e)))
        } else {
            Err(e)
        }
    }
}

impl From<OpenError> for Failure {
    fn from(e: OpenError) -> Failure {
        Failure::new(code::CANNOT_OPEN, e.to_string())
    }
}

impl From<WriteError> for Failure {
    fn from(e: WriteError) -> Failure {
        let code = match e {
            WriteError::NotFound(_) => code::NOT_FOUND,
            WriteError::Refused(_) => code::INVALID,
            _ => code::FAILURE,
        };
        Failure::new(code, e.to_string())
    }
}

impl From<store::Error> for Failure {
    fn from(e: store::Error) -> Failure {
        Failure::storage(e)
            .unwrap_or_else(|e| Failure::new(code::FAILURE, format!("register error: {e}")))
    }
}
