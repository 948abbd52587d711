//! The one table that turns keys into actions, in every place: the panes,
//! the detail screen, the help, questions, prompts, the filter bar and
//! forms. Footers, the help overlay, the manual and every hint that names a
//! key are made from it, so what is shown is what is dispatched.
//!
//! [`defaults`] holds the table; a [`Keymap`] is that table with the
//! user's overrides (`[keys]` in `config.toml`) applied.

mod defaults;
mod place;

pub use defaults::FILTER_HELP;
pub use place::{Place, Scope};

use super::action::Action;
use super::input::Edit;
pub use super::key::{Key, KeyCode};

/// One key binding: an action, the keys that ask for it, where it applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The action's name in `[keys]` of `config.toml`; one name may have
    /// rows in several scopes, remapped together.
    pub name: &'static str,
    pub keys: Vec<Key>,
    pub action: Action,
    pub scope: Scope,
    /// Short label for the footer; `None` keeps it out of the footer.
    pub footer: Option<&'static str>,
    pub help: &'static str,
}

impl Binding {
    /// The keys as shown to people: `j / ↓`. Variants that read the same
    /// (Shift-Tab arrives in several encodings) are listed once.
    pub fn keys_label(&self) -> String {
        labels(&self.keys).join(" / ")
    }
}

/// Each key's label once, in order.
fn labels(keys: &[Key]) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for label in keys.iter().map(|k| k.label()) {
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels
}

/// The default table, in order.
pub fn defaults() -> &'static [Binding] {
    &defaults::DEFAULTS
}

/// The names `[keys]` in `config.toml` accepts, in table order, each once.
pub fn action_names() -> impl Iterator<Item = &'static str> {
    let table = defaults();
    table
        .iter()
        .enumerate()
        .filter(|(i, b)| !table[..*i].iter().any(|o| o.name == b.name))
        .map(|(_, b)| b.name)
}

/// The keys in effect: what [`Keymap::resolve`] dispatches and what the
/// footers, the help and the hints show.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            bindings: defaults().to_vec(),
        }
    }
}

fn same_key(a: Key, b: Key) -> bool {
    a.matches(b) || b.matches(a)
}

/// Why `key` cannot be bound to `name` in `scope` given the bindings so
/// far, if it cannot.
fn refusal(bindings: &[Binding], name: &str, scope: Scope, key: Key) -> Option<String> {
    if key == Key::ctrl('c') && name != "quit" {
        return Some(format!("{name}: Ctrl-c always quits; not bound to {name}"));
    }
    if scope.takes_text() && matches!(key.code, KeyCode::Char(_)) && !key.ctrl {
        return Some(format!(
            "{name}: {} types text in {}; not applied",
            key.label(),
            scope.title().to_lowercase()
        ));
    }
    bindings
        .iter()
        .find(|o| {
            o.name != name && scope.overlaps(o.scope) && o.keys.iter().any(|&k| same_key(k, key))
        })
        .map(|other| {
            format!(
                "{name}: {} is already bound to {} ({}); not applied",
                key.label(),
                other.name,
                other.scope.title()
            )
        })
}

impl Keymap {
    /// The defaults with `overrides` applied in order: each names an action
    /// (see [`action_names`]) and the keys that replace its defaults, in
    /// every scope it has. A key already bound to another action where this
    /// one applies is a conflict: it is left out and reported as `(index of
    /// the override, message)`. An action left with no key keeps its
    /// defaults that are still free.
    pub fn with_overrides(overrides: &[(&str, &[Key])]) -> (Keymap, Vec<(usize, String)>) {
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        // Free every overridden action's keys first, so swapping two keys
        // in one file works.
        for (name, _) in overrides {
            for b in map.bindings.iter_mut().filter(|b| b.name == *name) {
                b.keys.clear();
            }
        }
        for (i, (name, keys)) in overrides.iter().enumerate() {
            if !action_names().any(|n| n == *name) {
                problems.push((i, format!("unknown action \"{name}\"")));
                continue;
            }
            let rows: Vec<usize> = (0..map.bindings.len())
                .filter(|&r| map.bindings[r].name == *name)
                .collect();
            for &key in keys.iter() {
                let why = rows
                    .iter()
                    .find_map(|&r| refusal(&map.bindings, name, map.bindings[r].scope, key));
                if let Some(why) = why {
                    problems.push((i, why));
                    continue;
                }
                for &r in &rows {
                    let b = &mut map.bindings[r];
                    if !b.keys.contains(&key) {
                        b.keys.push(key);
                    }
                }
            }
        }
        // A row whose every key was refused keeps its free defaults.
        for (r, d) in defaults().iter().enumerate() {
            if !map.bindings[r].keys.is_empty() {
                continue;
            }
            let free: Vec<Key> = d
                .keys
                .iter()
                .copied()
                .filter(|&k| refusal(&map.bindings, d.name, d.scope, k).is_none())
                .collect();
            map.bindings[r].keys = free;
        }
        (map, problems)
    }

    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The bindings that apply at `place`, in table order.
    pub fn active(&self, place: Place) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.scope.applies(place))
    }

    /// What a key press means at `place`. Ctrl-c is the caller's: it
    /// always quits, after asking in a form with typed text.
    pub fn resolve(&self, place: Place, key: Key) -> Option<Action> {
        if let Some(b) = self
            .active(place)
            .find(|b| b.keys.iter().any(|k| k.matches(key)))
        {
            return Some(b.action.clone());
        }
        // Any other character is typed where text is typed.
        match key.code {
            KeyCode::Char(c) if place.takes_text() && !key.ctrl => {
                Some(Action::Edit(Edit::Insert(c)))
            }
            _ => None,
        }
    }

    /// The first key of the binding `name` that applies at `place`, as
    /// shown to people (for hints: "Esc clears the filter").
    pub fn key_at(&self, place: Place, name: &str) -> Option<String> {
        self.active(place)
            .find(|b| b.name == name)
            .and_then(|b| b.keys.first())
            .map(|k| k.label())
    }

    /// The first key of the row `name` in `scope`, as shown to people.
    pub fn key_in(&self, scope: Scope, name: &str) -> Option<String> {
        self.bindings
            .iter()
            .find(|b| b.scope == scope && b.name == name)
            .and_then(|b| b.keys.first())
            .map(|k| k.label())
    }

    /// The footer's keys at `place`, most useful first: the place's own
    /// keys (a dialog's answers), then moving, then the rest in table
    /// order. `writable` false leaves out what would change the register.
    pub fn footer(&self, place: Place, writable: bool) -> Vec<(String, &'static str)> {
        let own = |b: &&Binding| {
            matches!(
                b.scope,
                Scope::Detail | Scope::Help | Scope::Confirm | Scope::Prompt | Scope::Form
            )
        };
        let shown = |b: &&Binding| writable || !b.action.writes();
        let entry = |b: &Binding| {
            let label = b.footer?;
            let keys = labels(&b.keys);
            if keys.is_empty() {
                return None;
            }
            let n = b.scope.footer_keys().min(keys.len());
            Some((keys[..n].join("/"), label))
        };
        let mut out: Vec<(String, &'static str)> = self
            .active(place)
            .filter(own)
            .filter(shown)
            .filter_map(entry)
            .collect();
        let first = |name: &str| {
            self.active(place)
                .find(|b| b.name == name)
                .and_then(|b| b.keys.first())
                .map(|k| k.label())
        };
        if let (Some(down), Some(up)) = (first("down"), first("up")) {
            let what = if matches!(place, Place::Pane(_)) {
                "move"
            } else {
                "scroll"
            };
            out.push((format!("{down}/{up}"), what));
        }
        out.extend(
            self.active(place)
                .filter(|b| !own(b))
                .filter(shown)
                .filter_map(entry),
        );
        out
    }
}

#[cfg(test)]
mod tests;
