//! The text free-text terms search, lowercased once per row and kept
//! for every row in one buffer with a mask of the bytes each row has.

use super::BacklogRow;

/// The lowercased text free-text terms search: the row's title, its
/// description (not kept in the row: only the filter reads it), owner and
/// tags, each followed by a separator.
pub fn haystack_text(row: &BacklogRow, description: &str) -> String {
    let mut s = String::with_capacity(text_len(row, description));
    push_text(&mut s, row, description);
    s
}

/// The bytes of a row's text as written, before lowercasing (which leaves
/// ASCII as long as it is).
fn text_len(row: &BacklogRow, description: &str) -> usize {
    row.title.len() + description.len() + row.owner.len() + row.tags.len() + 4
}

/// Appends [`haystack_text`] to `s` without a string per part: ASCII (almost
/// all text) is lowercased in place.
fn push_text(s: &mut String, row: &BacklogRow, description: &str) {
    for part in [&*row.title, description, &*row.owner, &*row.tags] {
        if part.is_ascii() {
            let start = s.len();
            s.push_str(part);
            s[start..].make_ascii_lowercase();
        } else {
            s.push_str(&part.to_lowercase());
        }
        s.push('\u{1f}');
    }
}

/// Every row's [`haystack_text`], back to back in one buffer (a full scan
/// reads memory in order instead of chasing 100,000 allocations), with a
/// mask per row of the bytes its text contains: a free-text term with a
/// byte the row lacks is rejected without reading the text, and a
/// one-character term is answered by the mask alone. Built as the rows are
/// read (`push`), so the rows need not keep their descriptions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Haystacks {
    pub(super) text: String,
    /// Per row, where its text is in `text`.
    spans: Vec<(usize, usize)>,
    masks: Vec<u128>,
    /// Bytes of `text` no row uses any more (rewritten or removed rows).
    garbage: usize,
}

impl Haystacks {
    /// Room for `rows` rows, their text growing as it comes.
    pub fn with_capacity(rows: usize) -> Haystacks {
        Haystacks {
            text: String::new(),
            spans: Vec::with_capacity(rows),
            masks: Vec::with_capacity(rows),
            garbage: 0,
        }
    }

    /// The search text of these rows with their descriptions, in order.
    pub fn new<'a>(rows: impl IntoIterator<Item = (&'a BacklogRow, &'a str)>) -> Haystacks {
        let mut h = Haystacks::default();
        for (row, description) in rows {
            h.push(row, description);
        }
        h.shrink_to_fit();
        h
    }

    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    pub fn text(&self, i: usize) -> &str {
        let (start, end) = self.spans[i];
        &self.text[start..end]
    }

    pub fn mask(&self, i: usize) -> u128 {
        self.masks[i]
    }

    /// Every row's mask, in row order.
    pub fn masks(&self) -> &[u128] {
        &self.masks
    }

    /// A row joined, after the others.
    pub fn push(&mut self, row: &BacklogRow, description: &str) {
        let start = self.append(row, description);
        self.spans.push((start, self.text.len()));
        self.masks.push(byte_mask(&self.text.as_bytes()[start..]));
    }

    /// Gives back what growing the buffer left unused, once every row is in.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.spans.shrink_to_fit();
        self.masks.shrink_to_fit();
    }

    /// Row `i` changed; its text, if different, is rewritten at the end of
    /// the buffer. Whether it was different.
    pub fn set(&mut self, i: usize, row: &BacklogRow, description: &str) -> bool {
        let (start, end) = self.spans[i];
        let new = self.append(row, description);
        if self.text[start..end] == self.text[new..] {
            self.text.truncate(new);
            return false;
        }
        self.garbage += end - start;
        self.spans[i] = (new, self.text.len());
        self.masks[i] = byte_mask(&self.text.as_bytes()[new..]);
        self.compact_if_sparse();
        true
    }

    /// Appends a row's text; where it starts.
    fn append(&mut self, row: &BacklogRow, description: &str) -> usize {
        let start = self.text.len();
        // Whole rows at a time: grown by doubling, the buffer's unused
        // part is never touched and costs no memory (a realloc of a buffer
        // this large moves pages, it does not copy them).
        self.text.reserve(text_len(row, description));
        push_text(&mut self.text, row, description);
        start
    }

    /// Row `i` left; the rows after it move up one.
    pub fn remove(&mut self, i: usize) {
        let (start, end) = self.spans.remove(i);
        self.masks.remove(i);
        self.garbage += end - start;
        self.compact_if_sparse();
    }

    fn compact_if_sparse(&mut self) {
        if self.garbage > (1 << 20).max(self.text.len() / 2) {
            let mut text = String::with_capacity(self.text.len() - self.garbage);
            for span in &mut self.spans {
                let start = text.len();
                text.push_str(&self.text[span.0..span.1]);
                *span = (start, text.len());
            }
            self.text = text;
            self.garbage = 0;
        }
    }
}

/// Which bytes occur: one bit per printable ASCII byte, and bit 127 for
/// every other byte (controls, the separator, UTF-8).
pub fn byte_mask(bytes: &[u8]) -> u128 {
    bytes.iter().fold(0, |m, &b| m | 1 << byte_bit(b))
}

pub(super) fn byte_bit(b: u8) -> u32 {
    match b {
        0x20..=0x7e => u32::from(b - 0x20),
        _ => 127,
    }
}
