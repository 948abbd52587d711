//! The default keys: a contract with scripts, tests and users' fingers.
//!
//! One row per action and scope. An action bound in several scopes with
//! one name (`add_here` adds an item or a KPI; `down` moves a selection or
//! scrolls) is remapped everywhere at once. The order is the footer's.

mod dashboard;
mod dialogs;

use std::sync::LazyLock;

use super::place::Scope;
use super::{Binding, Key};
use crate::app::action::Action;

/// One row of the table.
fn row(
    name: &'static str,
    scope: Scope,
    keys: &[Key],
    action: Action,
    footer: Option<&'static str>,
    help: &'static str,
) -> Binding {
    Binding {
        name,
        keys: keys.to_vec(),
        action,
        scope,
        footer,
        help,
    }
}

/// The default table, made once.
pub static DEFAULTS: LazyLock<Vec<Binding>> = LazyLock::new(table);

fn table() -> Vec<Binding> {
    // The dashboard's first, as `config --print` lists them; a place's own
    // keys lead its footer whatever their order here.
    let mut rows = dashboard::rows();
    rows.extend(dialogs::rows());
    rows
}

/// What the filter understands (listed in help).
pub const FILTER_HELP: &[(&str, &str)] = &[
    (
        "words",
        "all must appear in title, description, owner or tags",
    ),
    ("step:plan step:4", "at that step"),
    (
        "status:on_hold",
        "active, on_hold, done, cancelled, open, closed",
    ),
    ("owner:sam", "owner contains"),
    ("tag:security", "has that tag"),
    ("goal:cost", "serves a goal whose name contains"),
    ("is:overdue is:stale", "past due; no move in 30 days"),
];
