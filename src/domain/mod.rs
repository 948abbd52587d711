//! Pure rules of the continual improvement register: no I/O, no terminal.

pub mod dates;
pub mod detail;
pub mod fields;
pub mod filter;
pub mod history;
pub mod initiative;
pub mod metrics;
pub mod model;
pub mod models;
pub mod moves;
pub mod register_doc;
pub mod rng;
pub mod sort;
pub mod text;
pub mod time;
pub mod words;

pub use dates::DateFormat;
pub use initiative::{BacklogRow, ChecklistItem, Effort, Kpi, KpiDirection, Status};
pub use model::{Model, Step, StepDef};
pub use models::{Models, Origin};
pub use moves::{Direction, MoveError, MovePlan};
