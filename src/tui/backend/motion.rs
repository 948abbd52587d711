//! Cursor motion: the shortest bytes that take the cursor from where it
//! is to where the next changed cell goes.

use std::fmt::Write as _;
use std::io::Write;

use unicode_width::UnicodeWidthStr;

use super::LeanBackend;
use super::pen::Pen;

/// Longest run of unchanged cells printed again instead of stepping over.
const MAX_REPRINT: u16 = 8;

impl<W: Write> LeanBackend<W> {
    /// The shortest way from the cursor to `(x, y)`, appended to `seq`.
    pub(super) fn motion(&self, x: u16, y: u16, seq: &mut String) {
        let absolute = |seq: &mut String| {
            if x == 0 {
                let _ = write!(seq, "\x1b[{}H", y + 1);
            } else {
                let _ = write!(seq, "\x1b[{};{}H", y + 1, x + 1);
            }
        };
        let Some(at) = self.cursor else {
            return absolute(seq);
        };
        if at.x == x && at.y == y {
            return;
        }
        let mut best = String::new();
        absolute(&mut best);
        let mut try_path = |candidate: &str| {
            if candidate.len() < best.len() {
                best.clear();
                best.push_str(candidate);
            }
        };
        let mut path = String::new();
        if at.y == y {
            if let Some(reprint) = self.reprint(at.x, x, y) {
                try_path(&reprint);
            }
            horizontal(at.x, x, &mut path);
            try_path(&path);
        } else {
            if y == at.y + 1 {
                path.push_str("\r\n");
                horizontal(0, x, &mut path);
                try_path(&path);
                path.clear();
            }
            if y > at.y {
                step(&mut path, y - at.y, 'B');
            } else {
                step(&mut path, at.y - y, 'A');
            }
            horizontal(at.x, x, &mut path);
            try_path(&path);
        }
        seq.push_str(&best);
    }

    /// The cells from `from` up to `to` on row `y` as the screen shows them,
    /// if they can be printed again as they are: known, one column wide,
    /// in the current pen.
    fn reprint(&self, from: u16, to: u16, y: u16) -> Option<String> {
        if to <= from || to - from > MAX_REPRINT {
            return None;
        }
        let pen = self.pen?;
        let mut text = String::new();
        for x in from..to {
            let shown = self.screen.get(self.index(x, y)?)?.as_ref()?;
            if Pen::of(shown) != pen || shown.symbol().width() != 1 {
                return None;
            }
            text.push_str(shown.symbol());
        }
        Some(text)
    }
}

/// Moves along the row from column `from` to `to`.
fn horizontal(from: u16, to: u16, path: &mut String) {
    if to == 0 && from != 0 {
        path.push('\r');
    } else if to > from {
        step(path, to - from, 'C');
    } else if to < from {
        let back = {
            let mut s = String::new();
            step(&mut s, from - to, 'D');
            s
        };
        let mut again = String::from("\r");
        step(&mut again, to, 'C');
        path.push_str(if again.len() < back.len() {
            &again
        } else {
            &back
        });
    }
}

/// `ESC[nX` style relative motion; `n == 1` needs no number.
fn step(path: &mut String, n: u16, code: char) {
    if n == 1 {
        let _ = write!(path, "\x1b[{code}");
    } else {
        let _ = write!(path, "\x1b[{n}{code}");
    }
}
