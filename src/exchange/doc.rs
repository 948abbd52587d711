//! The register as a JSON document. The plain types live in
//! [`crate::domain::register_doc`] so the store can read and write them
//! without depending on this module; they are re-exported here unchanged.

pub use crate::domain::register_doc::*;
