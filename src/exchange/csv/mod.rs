//! CSV: one row per initiative, for spreadsheets.
//!
//! Writing uses our column names (documented in the README). Reading matches
//! a spreadsheet's headers by name, ignoring case, spaces, `_` and `-`, and
//! knows the usual synonyms ("Date raised", "Raised by", "Assignee"...).
//! Columns it does not know are reported and ignored. Every bad value is
//! reported as `row N, column C: why`, where row 1 is the header, as a
//! spreadsheet numbers them.

mod cells;
mod convert;
mod read;
mod write;

pub use cells::DateOrder;
pub use convert::to_initiatives;
pub use read::{CsvRow, Parsed, ReadOptions, RowError, Separator, normalise, parse, parse_with};
pub use write::{COLUMNS, neutralise, restore, write};
