//! Forms: a few labelled fields edited in place. The form keeps everything
//! typed until it is saved or deliberately discarded, so a validation error
//! or a failed write never loses input.

use super::input::{Edit, TextInput};

#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    /// Free text, one line.
    Text,
    /// Longer text; can be opened in `$VISUAL` / `$EDITOR`.
    LongText,
    /// One of fixed options, cycled with ←/→ or Space.
    Choice(Vec<String>),
    /// One of the options, or (last choice) a new value typed in.
    ChoiceOrNew(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    pub label: &'static str,
    pub kind: FieldKind,
    pub input: TextInput,
    pub choice: usize,
    /// Shown under the field when it has focus. `←/→` and `Ctrl-e` in it
    /// stand for the keys that change a choice and open the editor, and are
    /// drawn as the keymap has them.
    pub hint: &'static str,
    /// The value is one thing (a number, a date): the first key typed on
    /// arriving at the field replaces it rather than being added to it.
    pub whole: bool,
}

impl FormField {
    pub fn text(label: &'static str, value: &str, hint: &'static str) -> FormField {
        let mut input = TextInput::default();
        input.apply(Edit::Paste(value.to_string()));
        FormField {
            label,
            kind: FieldKind::Text,
            input,
            choice: 0,
            hint,
            whole: false,
        }
    }

    /// A number or date: typing on arrival replaces the prefilled value.
    pub fn whole(label: &'static str, value: &str, hint: &'static str) -> FormField {
        FormField {
            whole: true,
            ..FormField::text(label, value, hint)
        }
    }

    pub fn long_text(label: &'static str, value: &str) -> FormField {
        let mut f = FormField::text(label, value, "Ctrl-e opens $VISUAL / $EDITOR");
        f.kind = FieldKind::LongText;
        f
    }

    pub fn choice(
        label: &'static str,
        options: &[&str],
        selected: usize,
        hint: &'static str,
    ) -> FormField {
        FormField {
            label,
            kind: FieldKind::Choice(options.iter().map(|s| s.to_string()).collect()),
            input: TextInput::default(),
            choice: selected.min(options.len().saturating_sub(1)),
            hint,
            whole: false,
        }
    }

    pub fn choice_or_new(
        label: &'static str,
        options: Vec<String>,
        selected: usize,
        hint: &'static str,
    ) -> FormField {
        FormField {
            label,
            choice: selected.min(options.len()),
            kind: FieldKind::ChoiceOrNew(options),
            input: TextInput::default(),
            hint,
            whole: false,
        }
    }

    /// Whether typing goes into the text input (rather than choosing).
    pub fn takes_text(&self) -> bool {
        match &self.kind {
            FieldKind::Text | FieldKind::LongText => true,
            FieldKind::Choice(_) => false,
            FieldKind::ChoiceOrNew(options) => self.choice == options.len(),
        }
    }

    pub fn options(&self) -> Option<&[String]> {
        match &self.kind {
            FieldKind::Choice(o) | FieldKind::ChoiceOrNew(o) => Some(o),
            _ => None,
        }
    }

    fn choices(&self) -> usize {
        match &self.kind {
            FieldKind::Choice(o) => o.len(),
            FieldKind::ChoiceOrNew(o) => o.len() + 1,
            _ => 0,
        }
    }

    pub fn cycle(&mut self, forward: bool) {
        let n = self.choices();
        if n > 0 {
            self.choice = if forward {
                (self.choice + 1) % n
            } else {
                (self.choice + n - 1) % n
            };
        }
    }

    /// The field's value as text: typed text, or the chosen option.
    pub fn value(&self) -> String {
        match &self.kind {
            FieldKind::Text | FieldKind::LongText => self.input.text().trim().to_string(),
            FieldKind::Choice(o) => o.get(self.choice).cloned().unwrap_or_default(),
            FieldKind::ChoiceOrNew(o) => match o.get(self.choice) {
                Some(v) => v.clone(),
                None => self.input.text().trim().to_string(),
            },
        }
    }

    /// True when a new value is being typed into a choice-or-new field.
    pub fn is_new(&self) -> bool {
        matches!(&self.kind, FieldKind::ChoiceOrNew(o) if self.choice == o.len())
    }
}

/// What a form is for; carries what saving needs.
#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    /// Add (no id) or edit an initiative. `goals` are the ids behind the
    /// goal field's options (after "(none)").
    Initiative {
        id: Option<i64>,
        parent: Option<i64>,
        goals: Vec<i64>,
        /// When editing: the initiative as the form loaded it.
        original: Option<Box<crate::domain::detail::InitiativeDetail>>,
    },
    Note {
        id: i64,
    },
    Measurement {
        id: i64,
        kpis: Vec<i64>,
    },
    Kpi {
        id: i64,
        kpi: Option<i64>,
    },
    Close {
        id: i64,
    },
    /// Finishing the last step: the closure code and what was realised.
    Finish {
        id: i64,
        plan: crate::domain::MovePlan,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<FormField>,
    pub focus: usize,
    /// A validation or write error: the field it concerns and why.
    pub error: Option<(usize, String)>,
    /// The values as loaded, to tell an edit from no change (moving the
    /// cursor, or typing and deleting again, is no change).
    pub loaded: Vec<String>,
    /// Focus has just arrived at the field and nothing was pressed there
    /// yet: a whole value is shown selected and typing replaces it.
    pub arrived: bool,
    /// Set while saving: something that is allowed but most likely a slip,
    /// to ask about before writing (a KPI target against its direction).
    pub ask: Option<String>,
    /// The user answered yes to that question: save without asking again.
    pub sure: bool,
}

impl FormKind {
    /// The initiative the form is about, if any.
    pub fn initiative(&self) -> Option<i64> {
        match self {
            FormKind::Initiative { id, .. } => *id,
            FormKind::Note { id }
            | FormKind::Measurement { id, .. }
            | FormKind::Kpi { id, .. }
            | FormKind::Close { id }
            | FormKind::Finish { id, .. } => Some(*id),
        }
    }
}

impl Form {
    pub fn new(kind: FormKind, title: impl Into<String>, fields: Vec<FormField>) -> Form {
        let loaded = fields.iter().map(FormField::value).collect();
        Form {
            kind,
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            loaded,
            arrived: true,
            ask: None,
            sure: false,
        }
    }

    pub fn field(&self, label: &str) -> &FormField {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .unwrap_or_else(|| panic!("form has no field {label}"))
    }

    pub fn index_of(&self, label: &str) -> usize {
        self.fields
            .iter()
            .position(|f| f.label == label)
            .unwrap_or(0)
    }

    pub fn value(&self, label: &str) -> String {
        self.field(label).value()
    }

    pub fn focused(&self) -> &FormField {
        &self.fields[self.focus]
    }

    pub fn is_last_field(&self) -> bool {
        self.focus + 1 == self.fields.len()
    }

    pub fn next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len();
        self.arrived = true;
    }

    pub fn prev(&mut self) {
        self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        self.arrived = true;
    }

    /// Whether the focused field's value is shown selected, to be replaced
    /// by what is typed next.
    pub fn selects_all(&self) -> bool {
        let field = self.focused();
        self.arrived && field.whole && !field.input.text().is_empty()
    }

    pub fn edit(&mut self, edit: Edit) {
        let selected = self.selects_all();
        self.arrived = false;
        let field = &mut self.fields[self.focus];
        if field.takes_text() {
            match edit {
                Edit::Insert(_) | Edit::Paste(_) if selected => {
                    field.input = TextInput::default();
                    field.input.apply(edit);
                }
                Edit::Backspace | Edit::Delete if selected => field.input = TextInput::default(),
                edit => field.input.apply(edit),
            }
        } else {
            match edit {
                Edit::Insert(' ') | Edit::Right => field.cycle(true),
                Edit::Left => field.cycle(false),
                _ => {}
            }
        }
    }

    /// In a choice-or-new field, ←/→ still pick among the options while a
    /// new name is being typed only after choosing "new".
    pub fn cycle_focused(&mut self, forward: bool) {
        self.fields[self.focus].cycle(forward);
    }

    pub fn fail(&mut self, label: &str, why: impl Into<String>) {
        let i = self.index_of(label);
        self.focus = i;
        // What was typed is corrected, not replaced.
        self.arrived = false;
        self.error = Some((i, why.into()));
    }

    /// Replaces the focused long text field's text (after `$EDITOR`).
    pub fn set_text(&mut self, index: usize, text: &str) {
        self.fields[index].input = TextInput::from_multiline(text);
    }

    /// Whether closing the form would lose something: a value differs from
    /// what the form opened with.
    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .map(FormField::value)
            .ne(self.loaded.iter().cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choice_fields_cycle_and_text_fields_take_typing() {
        let mut form = Form::new(
            FormKind::Note { id: 1 },
            "Note",
            vec![
                FormField::choice("Kind", &["work", "decision", "lesson"], 0, ""),
                FormField::text("Text", "", ""),
            ],
        );
        form.edit(Edit::Right);
        assert_eq!(form.value("Kind"), "decision");
        form.edit(Edit::Left);
        form.edit(Edit::Left);
        assert_eq!(form.value("Kind"), "lesson");
        form.next();
        form.edit(Edit::Paste("Rolled back".into()));
        assert_eq!(form.value("Text"), "Rolled back");
        assert!(form.is_dirty());
    }

    #[test]
    fn only_a_changed_value_makes_a_form_dirty() {
        let mut form = Form::new(
            FormKind::Note { id: 1 },
            "Note",
            vec![
                FormField::choice("Kind", &["work", "decision", "lesson"], 0, ""),
                FormField::text("Text", "Ｗｉｄｅ \u{202e}evil\u{202c} text", ""),
            ],
        );
        assert!(!form.is_dirty());
        form.next();
        for edit in [Edit::Left, Edit::Home, Edit::End, Edit::Right] {
            form.edit(edit);
        }
        assert!(!form.is_dirty(), "moving the cursor changes nothing");
        form.edit(Edit::Insert('x'));
        assert!(form.is_dirty());
        form.edit(Edit::Backspace);
        assert!(!form.is_dirty(), "typed and deleted again");
        form.prev();
        form.edit(Edit::Right);
        assert!(form.is_dirty());
        form.edit(Edit::Left);
        assert!(!form.is_dirty());
    }

    #[test]
    fn choice_or_new_types_a_new_value_in_its_last_slot() {
        let mut f =
            FormField::choice_or_new("Goal", vec!["(none)".into(), "Cut cost".into()], 0, "");
        assert!(!f.takes_text());
        f.cycle(true);
        f.cycle(true);
        assert!(f.takes_text() && f.is_new());
        f.input.apply(Edit::Paste("Happier users".into()));
        assert_eq!(f.value(), "Happier users");
        f.cycle(true);
        assert_eq!(f.value(), "(none)");
    }

    #[test]
    fn typing_on_arrival_replaces_a_number_or_date_and_then_adds_to_it() {
        let mut form = Form::new(
            FormKind::Kpi { id: 1, kpi: None },
            "KPI",
            vec![
                FormField::text("Name", "MTTR", ""),
                FormField::whole("Baseline", "24", ""),
                FormField::whole("Target date", "2027-03-01", ""),
            ],
        );
        // A text field is added to as before.
        form.edit(Edit::Insert('s'));
        assert_eq!(form.value("Name"), "MTTRs");
        form.next();
        assert!(form.selects_all());
        form.edit(Edit::Insert('1'));
        form.edit(Edit::Insert('8'));
        assert_eq!(form.value("Baseline"), "18", "replaced, then typed on");
        form.next();
        form.edit(Edit::Paste("+2w".into()));
        assert_eq!(form.value("Target date"), "+2w");
        // Moving first keeps the value to be edited in place.
        form.prev();
        form.edit(Edit::End);
        assert!(!form.selects_all());
        form.edit(Edit::Insert('5'));
        assert_eq!(form.value("Baseline"), "185");
        // Backspace on arrival clears the value, as with a selection.
        form.next();
        form.edit(Edit::Backspace);
        assert_eq!(form.value("Target date"), "");
    }
}
