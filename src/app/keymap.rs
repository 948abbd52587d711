//! The one table that turns keys into actions. The footer and the help
//! overlay are generated from it, so what is shown is what is dispatched.
//!
//! [`BINDINGS`] holds the defaults; a [`Keymap`] is that table at run time,
//! with the user's overrides (`[keys]` in `config.toml`) applied.

use super::action::Action;
use super::input::Edit;
use super::mode::{Focus, Mode};

/// A key as the app sees it, independent of the terminal library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyCode {
    Char(char),
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Tab,
    BackTab,
    Enter,
    Esc,
    Backspace,
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub shift: bool,
}

impl Key {
    pub const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            shift: false,
        }
    }
    pub const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    pub const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            ctrl: true,
            shift: false,
        }
    }
    pub const fn shift(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            shift: true,
        }
    }

    /// Two keys match when code and Ctrl agree; Shift matters only for
    /// non-character keys (a `>` arrives with or without Shift depending on
    /// the terminal).
    fn matches(self, pressed: Key) -> bool {
        let pressed_code = match pressed.code {
            KeyCode::Char(c) if pressed.ctrl => KeyCode::Char(c.to_ascii_lowercase()),
            code => code,
        };
        self.code == pressed_code
            && self.ctrl == pressed.ctrl
            && (matches!(self.code, KeyCode::Char(_)) || self.shift == pressed.shift)
    }

    /// How the key is written in the footer and help.
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::Delete => "Del".into(),
        };
        match (self.ctrl, self.shift) {
            (true, _) => format!("Ctrl-{base}"),
            // Back-tab already says Shift.
            (false, true) if self.code != KeyCode::BackTab => format!("Shift-{base}"),
            _ => base,
        }
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everywhere, the welcome screen included.
    Global,
    /// Moving around the dashboard's panes.
    Panes,
    /// The backlog: filter, sort, open.
    Backlog,
    /// The backlog and checklist panes (actions on the selected initiative).
    Initiative,
    /// The checklist pane only.
    Checklist,
    /// The metrics pane (the selected initiative's KPIs).
    Metrics,
    /// The welcome screen of an empty register.
    Welcome,
}

impl Scope {
    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::Panes => "Any pane: move, filter, sort",
            Scope::Backlog => "Backlog",
            Scope::Initiative => "The selected initiative (any pane)",
            Scope::Checklist => "Checklist pane",
            Scope::Metrics => "Metrics pane (KPIs)",
            Scope::Welcome => "Empty register",
        }
    }

    fn applies(self, focus: Focus, welcome: bool) -> bool {
        match self {
            Scope::Welcome => welcome,
            _ if welcome => self == Scope::Global,
            Scope::Global | Scope::Panes => true,
            Scope::Initiative => true,
            Scope::Backlog => focus == Focus::Backlog,
            Scope::Checklist => focus == Focus::Checklist,
            Scope::Metrics => focus == Focus::Metrics,
        }
    }
}

pub struct Binding {
    /// The action's name in `[keys]` of `config.toml`.
    pub name: &'static str,
    pub keys: &'static [Key],
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
        keys_label(self.keys)
    }
}

/// Keys as shown to people: `j / ↓`, each label once.
pub fn keys_label(keys: &[Key]) -> String {
    let mut labels: Vec<String> = Vec::new();
    for label in keys.iter().map(|k| k.label()) {
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels.join(" / ")
}

/// The names `[keys]` in `config.toml` accepts, in table order, each once.
pub fn action_names() -> impl Iterator<Item = &'static str> {
    BINDINGS
        .iter()
        .enumerate()
        .filter(|(i, b)| !BINDINGS[..*i].iter().any(|o| o.name == b.name))
        .map(|(_, b)| b.name)
}

/// One binding at run time: a default from [`BINDINGS`], its keys perhaps
/// replaced by the configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub name: &'static str,
    pub keys: Vec<Key>,
    pub action: Action,
    pub scope: Scope,
    pub footer: Option<&'static str>,
    pub help: &'static str,
}

impl Bound {
    pub fn keys_label(&self) -> String {
        keys_label(&self.keys)
    }
}

/// The keys in effect: what `resolve` dispatches and what the footer and
/// help show.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: Vec<Bound>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            bindings: BINDINGS
                .iter()
                .map(|b| Bound {
                    name: b.name,
                    keys: b.keys.to_vec(),
                    action: b.action.clone(),
                    scope: b.scope,
                    footer: b.footer,
                    help: b.help,
                })
                .collect(),
        }
    }
}

/// Whether two scopes are ever in effect at once.
fn overlaps(a: Scope, b: Scope) -> bool {
    [Focus::Backlog, Focus::Checklist, Focus::Metrics]
        .into_iter()
        .flat_map(|f| [(f, false), (f, true)])
        .any(|(f, w)| a.applies(f, w) && b.applies(f, w))
        // The detail screen offers Global and Initiative keys together.
        || (matches!(a, Scope::Global | Scope::Initiative)
            && matches!(b, Scope::Global | Scope::Initiative))
}

fn same_key(a: Key, b: Key) -> bool {
    a.matches(b) || b.matches(a)
}

impl Keymap {
    /// The defaults with `overrides` applied in order: each names an action
    /// (see [`action_names`]) and the keys that replace its defaults. A key
    /// already bound to another action where this one applies is a
    /// conflict: it is left out and reported as `(index of the override,
    /// message)`. An action left with no key keeps its defaults that are
    /// still free.
    pub fn with_overrides(overrides: &[(&str, &[Key])]) -> (Keymap, Vec<(usize, String)>) {
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        // Free every overridden action's keys first, so swapping two keys
        // in one file works.
        for (name, _) in overrides {
            if !action_names().any(|n| n == *name) {
                continue;
            }
            for b in map.bindings.iter_mut().filter(|b| b.name == *name) {
                b.keys.clear();
            }
        }
        for (i, (name, keys)) in overrides.iter().enumerate() {
            if !action_names().any(|n| n == *name) {
                problems.push((i, format!("unknown action \"{name}\"")));
                continue;
            }
            for &key in keys.iter() {
                if key == Key::ctrl('c') && *name != "quit" {
                    problems.push((
                        i,
                        format!("{name}: Ctrl-c always quits; not bound to {name}"),
                    ));
                    continue;
                }
                let targets: Vec<usize> = (0..map.bindings.len())
                    .filter(|&t| map.bindings[t].name == *name)
                    .collect();
                let clash = targets.iter().find_map(|&t| {
                    let scope = map.bindings[t].scope;
                    map.bindings.iter().find(|o| {
                        o.name != *name
                            && overlaps(scope, o.scope)
                            && o.keys.iter().any(|&k| same_key(k, key))
                    })
                });
                if let Some(other) = clash {
                    problems.push((
                        i,
                        format!(
                            "{name}: {} is already bound to {} ({}); not applied",
                            key.label(),
                            other.name,
                            other.scope.title()
                        ),
                    ));
                    continue;
                }
                for t in targets {
                    let b = &mut map.bindings[t];
                    if !b.keys.contains(&key) {
                        b.keys.push(key);
                    }
                }
            }
        }
        // An action whose every key was refused keeps its free defaults.
        for d in BINDINGS {
            let idx = map
                .bindings
                .iter()
                .position(|b| b.name == d.name && b.scope == d.scope);
            let Some(idx) = idx else { continue };
            if !map.bindings[idx].keys.is_empty() {
                continue;
            }
            let free: Vec<Key> = d
                .keys
                .iter()
                .copied()
                .filter(|&k| {
                    !map.bindings.iter().any(|o| {
                        o.name != d.name
                            && overlaps(d.scope, o.scope)
                            && o.keys.iter().any(|&ok| same_key(ok, k))
                    })
                })
                .collect();
            map.bindings[idx].keys = free;
        }
        (map, problems)
    }

    pub fn bindings(&self) -> &[Bound] {
        &self.bindings
    }

    /// The bindings that apply where the user is, in table order.
    pub fn active(&self, focus: Focus, welcome: bool) -> impl Iterator<Item = &Bound> {
        self.bindings
            .iter()
            .filter(move |b| b.scope.applies(focus, welcome))
    }

    /// The keys of the first binding of `action` (for hints).
    pub fn keys_of(&self, action: &Action) -> &[Key] {
        self.bindings
            .iter()
            .find(|b| &b.action == action)
            .map_or(&[], |b| b.keys.as_slice())
    }

    fn find(&self, key: Key, mut keep: impl FnMut(&Bound) -> bool) -> Option<Action> {
        self.bindings
            .iter()
            .filter(|b| keep(b))
            .find(|b| b.keys.iter().any(|k| k.matches(key)))
            .map(|b| b.action.clone())
    }
}

use KeyCode as K;

/// The default keys: a contract with scripts, tests and users' fingers.
pub const BINDINGS: &[Binding] = &[
    Binding {
        name: "down",
        keys: &[Key::ch('j'), Key::plain(K::Down)],
        action: Action::Down,
        scope: Scope::Panes,
        footer: None,
        help: "select the next row or item",
    },
    Binding {
        name: "up",
        keys: &[Key::ch('k'), Key::plain(K::Up)],
        action: Action::Up,
        scope: Scope::Panes,
        footer: None,
        help: "select the previous row or item",
    },
    Binding {
        name: "top",
        keys: &[Key::ch('g'), Key::plain(K::Home)],
        action: Action::Top,
        scope: Scope::Panes,
        footer: None,
        help: "jump to the first row",
    },
    Binding {
        name: "bottom",
        keys: &[Key::ch('G'), Key::plain(K::End)],
        action: Action::Bottom,
        scope: Scope::Panes,
        footer: None,
        help: "jump to the last row",
    },
    Binding {
        name: "page_down",
        keys: &[Key::plain(K::PageDown)],
        action: Action::PageDown,
        scope: Scope::Panes,
        footer: None,
        help: "one page down",
    },
    Binding {
        name: "page_up",
        keys: &[Key::plain(K::PageUp)],
        action: Action::PageUp,
        scope: Scope::Panes,
        footer: None,
        help: "one page up",
    },
    Binding {
        name: "next_pane",
        keys: &[Key::plain(K::Tab)],
        action: Action::FocusNext,
        scope: Scope::Panes,
        footer: Some("pane"),
        help: "focus the next pane",
    },
    Binding {
        name: "previous_pane",
        keys: &[
            Key::plain(K::BackTab),
            Key::shift(K::BackTab),
            Key::shift(K::Tab),
        ],
        action: Action::FocusPrev,
        scope: Scope::Panes,
        footer: None,
        help: "focus the previous pane",
    },
    Binding {
        name: "forward",
        keys: &[Key::ch('>'), Key::shift(K::Right)],
        action: Action::Forward,
        scope: Scope::Initiative,
        footer: Some("forward"),
        help: "move forward one step (asks if items are open)",
    },
    Binding {
        name: "back",
        keys: &[Key::ch('<'), Key::shift(K::Left)],
        action: Action::Back,
        scope: Scope::Initiative,
        footer: Some("back"),
        help: "move it back one step, with an optional reason",
    },
    Binding {
        name: "toggle",
        keys: &[Key::ch(' '), Key::ch('x')],
        action: Action::Toggle,
        scope: Scope::Checklist,
        footer: Some("check"),
        help: "tick or untick the selected checklist item",
    },
    Binding {
        name: "load_sample",
        keys: &[Key::ch('D')],
        action: Action::LoadSample,
        scope: Scope::Welcome,
        footer: Some("load sample"),
        help: "load the sample register into an empty one",
    },
    Binding {
        name: "remove_sample",
        keys: &[Key::ch('D')],
        action: Action::RemoveSample,
        scope: Scope::Backlog,
        footer: None,
        help: "remove the sample (your own and changed rows stay)",
    },
    Binding {
        name: "open",
        keys: &[Key::plain(K::Enter)],
        action: Action::Open,
        scope: Scope::Initiative,
        footer: Some("detail"),
        help: "open everything about the initiative (Esc returns)",
    },
    Binding {
        name: "add",
        keys: &[Key::ch('a')],
        action: Action::Add,
        scope: Scope::Global,
        footer: Some("add"),
        help: "add an initiative",
    },
    Binding {
        name: "edit",
        keys: &[Key::ch('e')],
        action: Action::EditInitiative,
        scope: Scope::Initiative,
        footer: Some("edit"),
        help: "edit the initiative's fields",
    },
    Binding {
        name: "note",
        keys: &[Key::ch('n')],
        action: Action::Note,
        scope: Scope::Initiative,
        footer: Some("note"),
        help: "add a note: work, decision or lesson",
    },
    Binding {
        name: "measure",
        keys: &[Key::ch('m')],
        action: Action::Measure,
        scope: Scope::Initiative,
        footer: Some("measure"),
        help: "record a KPI measurement",
    },
    Binding {
        name: "hold",
        keys: &[Key::ch('h')],
        action: Action::Hold,
        scope: Scope::Initiative,
        footer: None,
        help: "put on hold with a reason, or resume",
    },
    Binding {
        name: "close",
        keys: &[Key::ch('c')],
        action: Action::Close,
        scope: Scope::Initiative,
        footer: None,
        help: "close with a closure code and what was realised",
    },
    Binding {
        name: "cancel_initiative",
        keys: &[Key::ch('X')],
        action: Action::CancelInitiative,
        scope: Scope::Initiative,
        footer: None,
        help: "cancel the initiative (asks why)",
    },
    Binding {
        name: "reopen",
        keys: &[Key::ch('O')],
        action: Action::Reopen,
        scope: Scope::Initiative,
        footer: None,
        help: "reopen a done or cancelled initiative (asks why)",
    },
    Binding {
        name: "delete",
        keys: &[Key::ch('d')],
        action: Action::Delete,
        scope: Scope::Initiative,
        footer: None,
        help: "delete the initiative (asks y/n)",
    },
    Binding {
        name: "filter",
        keys: &[Key::ch('/')],
        action: Action::Filter,
        scope: Scope::Panes,
        footer: Some("filter"),
        help: "filter the backlog as you type (terms below)",
    },
    Binding {
        name: "sort",
        keys: &[Key::ch('s')],
        action: Action::Sort,
        scope: Scope::Panes,
        footer: Some("sort"),
        help: "sort by priority, score, due date, age in step, id",
    },
    Binding {
        name: "clear_filter",
        keys: &[Key::plain(K::Esc)],
        action: Action::Cancel,
        scope: Scope::Panes,
        footer: None,
        help: "clear the filter",
    },
    Binding {
        name: "add_here",
        keys: &[Key::ch('+')],
        action: Action::AddHere,
        scope: Scope::Checklist,
        footer: Some("add item"),
        help: "add a checklist item to this step",
    },
    Binding {
        name: "edit_here",
        keys: &[Key::ch('r')],
        action: Action::EditHere,
        scope: Scope::Checklist,
        footer: None,
        help: "rename the selected item",
    },
    Binding {
        name: "remove_here",
        keys: &[Key::ch('-')],
        action: Action::RemoveHere,
        scope: Scope::Checklist,
        footer: None,
        help: "remove the selected item (asks y/n)",
    },
    Binding {
        name: "item_down",
        keys: &[Key::ch('J')],
        action: Action::ItemDown,
        scope: Scope::Checklist,
        footer: None,
        help: "move the selected item down",
    },
    Binding {
        name: "step_back",
        keys: &[Key::ch('[')],
        action: Action::StepBack,
        scope: Scope::Checklist,
        footer: None,
        help: "show the previous step's checklist (tick it without moving back)",
    },
    Binding {
        name: "step_on",
        keys: &[Key::ch(']')],
        action: Action::StepOn,
        scope: Scope::Checklist,
        footer: None,
        help: "show the next step's checklist",
    },
    Binding {
        name: "item_up",
        keys: &[Key::ch('K')],
        action: Action::ItemUp,
        scope: Scope::Checklist,
        footer: None,
        help: "move the selected item up",
    },
    Binding {
        name: "add_here",
        keys: &[Key::ch('+')],
        action: Action::AddHere,
        scope: Scope::Metrics,
        footer: Some("add KPI"),
        help: "add a KPI with its baseline and target",
    },
    Binding {
        name: "edit_here",
        keys: &[Key::ch('r')],
        action: Action::EditHere,
        scope: Scope::Metrics,
        footer: Some("edit KPI"),
        help: "edit the selected KPI, its baseline and target",
    },
    Binding {
        name: "remove_here",
        keys: &[Key::ch('-')],
        action: Action::RemoveHere,
        scope: Scope::Metrics,
        footer: None,
        help: "remove the selected KPI and its measurements (asks y/n)",
    },
    Binding {
        name: "undo",
        keys: &[Key::ch('u')],
        action: Action::Undo,
        scope: Scope::Global,
        footer: Some("undo"),
        help: "undo the last change made here",
    },
    Binding {
        name: "redo",
        keys: &[Key::ctrl('r')],
        action: Action::Redo,
        scope: Scope::Global,
        footer: None,
        help: "redo what was undone",
    },
    Binding {
        name: "help",
        keys: &[Key::ch('?')],
        action: Action::Help,
        scope: Scope::Global,
        footer: Some("help"),
        help: "show or hide this help",
    },
    Binding {
        name: "quit",
        keys: &[Key::ch('q'), Key::ctrl('c')],
        action: Action::Quit,
        scope: Scope::Global,
        footer: Some("quit"),
        help: "quit",
    },
];

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

/// Keys in forms (listed in help).
pub const FORM_HELP: &[(&str, &str)] = &[
    ("Tab / Shift-Tab", "next / previous field (also ↓ / ↑)"),
    ("← → Space", "change a choice field"),
    ("Ctrl-s", "save from any field"),
    ("Enter", "next field; saves on the last one"),
    ("Ctrl-e", "edit the field in $VISUAL / $EDITOR"),
    ("Esc", "cancel (asks first if something was typed)"),
];

/// Keys answered by every yes/no question and every prompt (listed in help).
pub const DIALOG_HELP: &[(&str, &str)] = &[
    ("y / Enter", "answer yes; in a prompt, save"),
    ("n / Esc", "answer no; close help; cancel a prompt"),
    ("← → Home End", "move the cursor in a prompt"),
    ("Backspace / Del", "delete a character"),
    (
        "Ctrl-w / Ctrl-u",
        "delete the word before the cursor / to the start",
    ),
];

/// The default bindings that apply where the user is, in table order.
pub fn active_bindings(focus: Focus, welcome: bool) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.scope.applies(focus, welcome))
}

/// Keys on the detail screen: scrolling, Esc back, and the actions on the
/// initiative that make sense there.
fn detail_key(keymap: &Keymap, key: Key) -> Option<Action> {
    match key.code {
        K::Esc | K::Char('q') => Some(Action::Cancel),
        K::Char('j') | K::Down => Some(Action::Down),
        K::Char('k') | K::Up => Some(Action::Up),
        K::Char('g') | K::Home => Some(Action::Top),
        K::Char('G') | K::End => Some(Action::Bottom),
        K::PageDown | K::Char(' ') => Some(Action::PageDown),
        K::PageUp => Some(Action::PageUp),
        _ => keymap.find(key, |b| {
            matches!(b.scope, Scope::Initiative | Scope::Global) && b.action != Action::Open
        }),
    }
}

/// What a key press means in the current mode and pane (`detail`: the
/// detail screen is showing).
pub fn resolve(
    keymap: &Keymap,
    mode: &Mode,
    focus: Focus,
    welcome: bool,
    detail: bool,
    key: Key,
) -> Option<Action> {
    if key.ctrl && key.code == K::Char('c') {
        // As Esc does, a form with typed text asks before it is thrown
        // away; Ctrl-c again (at the question) quits.
        return Some(match mode {
            Mode::Form(form) if form.is_dirty() => Action::Cancel,
            _ => Action::Quit,
        });
    }
    match mode {
        Mode::Normal if detail => detail_key(keymap, key),
        Mode::Normal => keymap.find(key, |b| b.scope.applies(focus, welcome)),
        // The key that opened help closes it too.
        Mode::Help { .. } if keymap.keys_of(&Action::Help).iter().any(|k| k.matches(key)) => {
            Some(Action::Cancel)
        }
        Mode::Help { .. } => match key.code {
            K::Esc | K::Char('?') | K::Char('q') => Some(Action::Cancel),
            K::Char('j') | K::Down => Some(Action::Down),
            K::Char('k') | K::Up => Some(Action::Up),
            K::PageDown => Some(Action::PageDown),
            K::PageUp => Some(Action::PageUp),
            _ => None,
        },
        Mode::Confirm(_) => match key.code {
            K::Char('y') | K::Char('Y') | K::Enter => Some(Action::Confirm),
            K::Char('n') | K::Char('N') | K::Esc => Some(Action::Cancel),
            _ => None,
        },
        Mode::Prompt(_) | Mode::Filter(_) => prompt_key(key),
        Mode::Form(form) => form_key(key, form.focused().takes_text()),
    }
}

/// Keys in a form: Tab/Shift-Tab (and ↑/↓) between fields, Ctrl-s saves,
/// Enter saves on the last field (else moves on), Esc cancels, Ctrl-e opens
/// the editor; the rest edits the field.
fn form_key(key: Key, text_field: bool) -> Option<Action> {
    match (key.code, key.ctrl) {
        (K::Tab, _) | (K::Down, _) => Some(Action::NextField),
        (K::BackTab, _) | (K::Up, _) => Some(Action::PrevField),
        (K::Char('s'), true) => Some(Action::Save),
        (K::Char('e'), true) if text_field => Some(Action::ExternalEditor),
        (K::Enter, _) => Some(Action::Confirm),
        (K::Esc, _) => Some(Action::Cancel),
        _ => prompt_key(key),
    }
}

fn prompt_key(key: Key) -> Option<Action> {
    let edit = match (key.code, key.ctrl) {
        (K::Enter, _) => return Some(Action::Confirm),
        (K::Esc, _) => return Some(Action::Cancel),
        (K::Char('w'), true) => Edit::DeleteWord,
        (K::Char('u'), true) => Edit::DeleteToStart,
        (K::Char('a'), true) | (K::Home, _) => Edit::Home,
        (K::End, _) => Edit::End,
        (K::Char(_), true) => return None,
        (K::Char(c), false) => Edit::Insert(c),
        (K::Backspace, _) => Edit::Backspace,
        (K::Delete, _) => Edit::Delete,
        (K::Left, _) => Edit::Left,
        (K::Right, _) => Edit::Right,
        _ => return None,
    };
    Some(Action::Edit(edit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(focus: Focus, key: Key) -> Option<Action> {
        resolve(&Keymap::default(), &Mode::Normal, focus, false, false, key)
    }

    #[test]
    fn design_keys_resolve_in_the_backlog() {
        let f = Focus::Backlog;
        assert_eq!(normal(f, Key::ch('j')), Some(Action::Down));
        assert_eq!(normal(f, Key::plain(K::Down)), Some(Action::Down));
        assert_eq!(normal(f, Key::ch('G')), Some(Action::Bottom));
        assert_eq!(normal(f, Key::plain(K::End)), Some(Action::Bottom));
        assert_eq!(normal(f, Key::ch('>')), Some(Action::Forward));
        // Some terminals report '>' with Shift held.
        assert_eq!(
            normal(
                f,
                Key {
                    code: K::Char('>'),
                    ctrl: false,
                    shift: true
                }
            ),
            Some(Action::Forward)
        );
        assert_eq!(normal(f, Key::shift(K::Right)), Some(Action::Forward));
        assert_eq!(normal(f, Key::shift(K::Left)), Some(Action::Back));
        assert_eq!(normal(f, Key::plain(K::Right)), None);
        assert_eq!(normal(f, Key::plain(K::BackTab)), Some(Action::FocusPrev));
        assert_eq!(normal(f, Key::ctrl('c')), Some(Action::Quit));
    }

    #[test]
    fn toggle_applies_in_the_checklist_only() {
        assert_eq!(normal(Focus::Backlog, Key::ch(' ')), None);
        assert_eq!(normal(Focus::Checklist, Key::ch(' ')), Some(Action::Toggle));
        assert_eq!(normal(Focus::Checklist, Key::ch('x')), Some(Action::Toggle));
        assert_eq!(
            normal(Focus::Checklist, Key::ch('>')),
            Some(Action::Forward)
        );
    }

    #[test]
    fn welcome_screen_has_its_own_keys() {
        assert_eq!(
            resolve(
                &Keymap::default(),
                &Mode::Normal,
                Focus::Backlog,
                true,
                false,
                Key::ch('D')
            ),
            Some(Action::LoadSample)
        );
        assert_eq!(
            resolve(
                &Keymap::default(),
                &Mode::Normal,
                Focus::Backlog,
                true,
                false,
                Key::ch('>')
            ),
            None
        );
        assert_eq!(
            resolve(
                &Keymap::default(),
                &Mode::Normal,
                Focus::Backlog,
                false,
                false,
                Key::ch('D')
            ),
            Some(Action::RemoveSample)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_place() {
        let places = [Focus::Backlog, Focus::Checklist, Focus::Metrics]
            .into_iter()
            .flat_map(|f| [(f, false), (f, true)]);
        for (focus, welcome) in places {
            let active: Vec<&Binding> = active_bindings(focus, welcome).collect();
            for (i, a) in active.iter().enumerate() {
                for b in &active[i + 1..] {
                    for k in a.keys {
                        assert!(
                            !b.keys.iter().any(|k2| k2.matches(*k)),
                            "{k:?} is bound twice in {focus:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_default_keymap_is_the_table() {
        let map = Keymap::default();
        assert_eq!(map.bindings().len(), BINDINGS.len());
        for (b, d) in map.bindings().iter().zip(BINDINGS) {
            assert_eq!(
                (b.name, b.keys.as_slice(), &b.action),
                (d.name, d.keys, &d.action)
            );
        }
        let (same, problems) = Keymap::with_overrides(&[]);
        assert_eq!(same, map);
        assert!(problems.is_empty());
    }

    #[test]
    fn overrides_replace_keys_and_conflicts_are_refused() {
        let (map, problems) = Keymap::with_overrides(&[
            ("forward", &[Key::ch('>'), Key::ch('L')]),
            ("sort", &[Key::ch('j')]),
            ("redo", &[Key::ctrl('c')]),
        ]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].0, 1);
        assert_eq!(problems[1].0, 2);
        let f = Focus::Backlog;
        let r = |k| resolve(&map, &Mode::Normal, f, false, false, k);
        assert_eq!(r(Key::ch('L')), Some(Action::Forward));
        assert_eq!(r(Key::shift(K::Right)), None, "replaced, not added");
        assert_eq!(r(Key::ch('j')), Some(Action::Down));
        assert_eq!(r(Key::ch('s')), Some(Action::Sort), "refused: default kept");
        assert_eq!(r(Key::ctrl('r')), Some(Action::Redo));
        // The detail screen follows the keymap too.
        assert_eq!(
            resolve(&map, &Mode::Normal, f, false, true, Key::ch('L')),
            Some(Action::Forward)
        );
    }
}
