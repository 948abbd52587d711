//! A one-line text field that edits like a shell prompt.

/// Edits a field understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    /// Bracketed paste: inserted as typed text, line breaks flattened.
    Paste(String),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Ctrl-w: delete the word before the cursor.
    DeleteWord,
    /// Ctrl-u: delete to the start of the line.
    DeleteToStart,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Cursor position in characters (not bytes).
    cursor: usize,
}

impl TextInput {
    /// A field holding `text` with its line breaks (from `$EDITOR`), the
    /// cursor at the end. Other control characters are dropped.
    pub fn from_multiline(text: &str) -> TextInput {
        let text: String = text
            .trim_end()
            .chars()
            .filter(|c| *c == '\n' || !c.is_control())
            .collect();
        TextInput {
            cursor: text.chars().count(),
            text,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    pub fn apply(&mut self, edit: Edit) {
        match edit {
            Edit::Insert(c) if !c.is_control() => {
                let at = self.byte_at(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
            }
            Edit::Insert(_) => {}
            Edit::Paste(s) => {
                // In one piece: inserting a 100 KB paste a character at a
                // time is quadratic.
                let clean: String = s
                    .chars()
                    .filter_map(|c| match c {
                        '\n' | '\r' | '\t' => Some(' '),
                        c if c.is_control() => None,
                        c => Some(c),
                    })
                    .collect();
                let at = self.byte_at(self.cursor);
                self.text.insert_str(at, &clean);
                self.cursor += clean.chars().count();
            }
            Edit::Backspace => {
                if self.cursor > 0 {
                    let at = self.byte_at(self.cursor - 1);
                    self.text.remove(at);
                    self.cursor -= 1;
                }
            }
            Edit::Delete => {
                if self.cursor < self.len() {
                    let at = self.byte_at(self.cursor);
                    self.text.remove(at);
                }
            }
            Edit::Left => self.cursor = self.cursor.saturating_sub(1),
            Edit::Right => self.cursor = (self.cursor + 1).min(self.len()),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = self.len(),
            Edit::DeleteWord => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !chars[start - 1].is_whitespace() {
                    start -= 1;
                }
                let (from, to) = (self.byte_at(start), self.byte_at(self.cursor));
                self.text.replace_range(from..to, "");
                self.cursor = start;
            }
            Edit::DeleteToStart => {
                let to = self.byte_at(self.cursor);
                self.text.replace_range(..to, "");
                self.cursor = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> TextInput {
        let mut t = TextInput::default();
        t.apply(Edit::Paste(s.into()));
        t
    }

    #[test]
    fn edits_like_a_shell_line() {
        let mut t = typed("targets missed");
        t.apply(Edit::DeleteWord);
        assert_eq!(t.text(), "targets ");
        t.apply(Edit::Home);
        t.apply(Edit::Insert('>'));
        t.apply(Edit::End);
        t.apply(Edit::Backspace);
        assert_eq!(t.text(), ">targets");
        t.apply(Edit::Home);
        t.apply(Edit::Delete);
        assert_eq!(t.text(), "targets");
        t.apply(Edit::Right);
        t.apply(Edit::DeleteToStart);
        assert_eq!((t.text(), t.cursor()), ("argets", 0));
    }

    #[test]
    fn unicode_is_edited_by_character() {
        let mut t = typed("改善 🚀");
        t.apply(Edit::Backspace);
        t.apply(Edit::Left);
        t.apply(Edit::Backspace);
        assert_eq!(t.text(), "改 ");
        assert_eq!(t.cursor(), 1);
    }

    #[test]
    fn pasted_line_breaks_and_controls_do_not_enter_a_line() {
        let t = typed("a\nb\x1b[2Jc");
        assert_eq!(t.text(), "a b[2Jc");
    }
}
