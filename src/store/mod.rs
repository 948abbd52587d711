//! SQLite storage for the register: opening, schema, queries and writes.
//! Returns domain types; knows nothing of terminals.

pub mod demo;
mod open;
mod read;
pub mod schema;
mod write;

use rusqlite::Connection;

pub use open::{OpenError, default_path};
pub use write::{NewInitiative, WriteError};

/// An open register.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Direct access for the demo generator and tests.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}
