//! Where the user is, as far as keys go, and where each binding applies.

use crate::app::mode::{Focus, Mode, Screen};

/// Where keys go right now: a pane of the dashboard, a full screen, or the
/// dialog on top. Made from the app's mode with [`Place::of`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The welcome screen of an empty register.
    Welcome,
    /// A pane of the dashboard.
    Pane(Focus),
    /// The detail screen of one initiative.
    Detail,
    /// The help overlay.
    Help,
    /// A yes/no question.
    Confirm,
    /// A one-line prompt (a reason, a checklist item's text).
    Prompt,
    /// The backlog's filter bar, as it is typed.
    Filter,
    /// A form; `text_field` when the focused field takes typed text (a
    /// choice field does not, and has no editor to open).
    Form { text_field: bool },
    /// A write waiting for another program's lock on the register.
    Waiting,
}

impl Place {
    /// Every place there is, for checks that must cover them all.
    pub const ALL: [Place; 12] = [
        Place::Welcome,
        Place::Pane(Focus::Backlog),
        Place::Pane(Focus::Checklist),
        Place::Pane(Focus::Metrics),
        Place::Detail,
        Place::Help,
        Place::Confirm,
        Place::Prompt,
        Place::Filter,
        Place::Form { text_field: true },
        Place::Form { text_field: false },
        Place::Waiting,
    ];

    pub fn of(mode: &Mode, screen: &Screen, focus: Focus, welcome: bool) -> Place {
        match mode {
            Mode::Help { .. } => Place::Help,
            Mode::Confirm(_) => Place::Confirm,
            Mode::Prompt(_) => Place::Prompt,
            Mode::Filter(_) => Place::Filter,
            Mode::Form(form) => Place::Form {
                text_field: form.focused().takes_text(),
            },
            Mode::Normal if matches!(screen, Screen::Detail { .. }) => Place::Detail,
            Mode::Normal if welcome => Place::Welcome,
            Mode::Normal => Place::Pane(focus),
        }
    }

    /// Where typed characters become text (a key bound here must not be a
    /// plain character, or it could not be typed).
    pub fn takes_text(self) -> bool {
        matches!(self, Place::Prompt | Place::Filter | Place::Form { .. })
    }

    /// The name the footer shows for it.
    pub fn title(self) -> &'static str {
        match self {
            Place::Welcome => "Welcome",
            Place::Pane(Focus::Backlog) => "Backlog",
            Place::Pane(Focus::Checklist) => "Checklist",
            Place::Pane(Focus::Metrics) => "Metrics",
            Place::Detail => "Detail",
            Place::Help => "Help",
            Place::Confirm => "Question",
            Place::Prompt => "Prompt",
            Place::Filter => "Filter",
            Place::Form { .. } => "Form",
            Place::Waiting => "Waiting",
        }
    }
}

/// Where a binding applies: a set of places, named for the help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The dashboard, the welcome screen and the detail screen.
    Global,
    /// The dashboard and the welcome screen (the detail screen closes
    /// with the same key instead).
    Dashboard,
    /// Moving and scrolling: the panes, the detail screen, the help.
    Move,
    /// Any pane of the dashboard.
    Panes,
    /// The backlog pane.
    Backlog,
    /// The selected initiative: any pane and its detail screen.
    Initiative,
    /// The checklist pane.
    Checklist,
    /// The metrics pane (the selected initiative's KPIs).
    Metrics,
    /// The welcome screen of an empty register.
    Welcome,
    /// The detail screen.
    Detail,
    /// The help overlay.
    Help,
    /// A yes/no question.
    Confirm,
    /// A prompt and the filter bar.
    Prompt,
    /// A form.
    Form,
    /// A form's text field.
    TextField,
    /// Every input: prompts, the filter bar, a form's fields (←/→ move
    /// the cursor, or change a choice field).
    Input,
    /// Wherever text is typed: prompts, the filter bar, a form's text field.
    Text,
    /// While a write waits for another program's lock.
    Waiting,
}

impl Scope {
    /// Every scope, in the order the help lists them.
    pub const ALL: [Scope; 18] = [
        Scope::Global,
        Scope::Dashboard,
        Scope::Move,
        Scope::Panes,
        Scope::Backlog,
        Scope::Initiative,
        Scope::Checklist,
        Scope::Metrics,
        Scope::Welcome,
        Scope::Detail,
        Scope::Help,
        Scope::Confirm,
        Scope::Prompt,
        Scope::Form,
        Scope::TextField,
        Scope::Input,
        Scope::Text,
        Scope::Waiting,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Scope::Global => "Everywhere",
            Scope::Dashboard => "Dashboard",
            Scope::Move => "Moving and scrolling (panes, detail, help)",
            Scope::Panes => "Any pane: focus, filter, sort, open",
            Scope::Backlog => "Backlog",
            Scope::Initiative => "The selected initiative (any pane, detail view)",
            Scope::Checklist => "Checklist pane",
            Scope::Metrics => "Metrics pane (KPIs)",
            Scope::Welcome => "Empty register",
            Scope::Detail => "Detail view",
            Scope::Help => "This help",
            Scope::Confirm => "Questions (y/n)",
            Scope::Prompt => "Prompts and the filter bar",
            Scope::Form => "Forms",
            Scope::TextField => "A form's text field",
            Scope::Input => "Prompts, the filter bar and form fields",
            Scope::Text => "Typing text (prompts, filter, a form's text fields)",
            Scope::Waiting => "While a change waits for another program's lock",
        }
    }

    pub fn applies(self, place: Place) -> bool {
        use Place as P;
        match self {
            Scope::Global => matches!(place, P::Welcome | P::Pane(_) | P::Detail),
            Scope::Dashboard => matches!(place, P::Welcome | P::Pane(_)),
            Scope::Move => matches!(place, P::Pane(_) | P::Detail | P::Help),
            Scope::Panes => matches!(place, P::Pane(_)),
            Scope::Backlog => place == P::Pane(Focus::Backlog),
            Scope::Initiative => matches!(place, P::Pane(_) | P::Detail),
            Scope::Checklist => place == P::Pane(Focus::Checklist),
            Scope::Metrics => place == P::Pane(Focus::Metrics),
            Scope::Welcome => place == P::Welcome,
            Scope::Detail => place == P::Detail,
            Scope::Help => place == P::Help,
            Scope::Confirm => place == P::Confirm,
            Scope::Prompt => matches!(place, P::Prompt | P::Filter),
            Scope::Form => matches!(place, P::Form { .. }),
            Scope::TextField => place == P::Form { text_field: true },
            Scope::Input => place.takes_text(),
            Scope::Waiting => place == P::Waiting,
            Scope::Text => {
                matches!(place, P::Prompt | P::Filter | P::Form { text_field: true })
            }
        }
    }

    /// Whether the two are ever in effect at once (a key bound in both
    /// would be ambiguous).
    pub fn overlaps(self, other: Scope) -> bool {
        Place::ALL
            .iter()
            .any(|&p| self.applies(p) && other.applies(p))
    }

    /// Whether any place it applies to takes typed text.
    pub fn takes_text(self) -> bool {
        Place::ALL
            .iter()
            .any(|&p| p.takes_text() && self.applies(p))
    }

    /// How many of a binding's keys its footer entry shows: dialogs have
    /// few keys, so both ways of answering fit (`y/Enter yes`).
    pub fn footer_keys(self) -> usize {
        match self {
            Scope::Detail | Scope::Help | Scope::Confirm => 2,
            _ => 1,
        }
    }
}
