//! A ratatui backend that sends a frame's changes in as few bytes as it can,
//! because over SSH every byte is latency.
//!
//! ratatui hands the backend only the cells that changed. The stock
//! crossterm backend writes each run of them with an absolute cursor move,
//! colours in their 256-colour form (`ESC[38;5;8;49m`) and a full reset of
//! every attribute after each frame. This one keeps what the terminal shows
//! (a copy of the screen, the cursor, the current colours and attributes)
//! and writes only the difference:
//!
//! - the cheapest cursor motion: none when the cursor is already there, a
//!   relative step on the same row, `CR LF` to the next line, or the few
//!   unchanged cells in between printed again when that is shorter;
//! - colours as the sixteen ANSI colours' own codes (`ESC[90m`, which
//!   16-colour terminals understand too), and only the attributes that
//!   change, in one sequence, or a reset when that is shorter;
//! - a run of blank cells as an erase (`ECH`) instead of spaces;
//! - cursor show/hide only when it changes; nothing at all for a frame
//!   without changes.
//!
//! Anything that may have changed the screen behind its back (a resize, a
//! `clear`, an external editor) resets this knowledge: ratatui clears before
//! it repaints everything, and this backend then assumes nothing.

mod motion;
mod pen;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;
use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::{queue, terminal};
use ratatui::layout::{Position, Size};
use unicode_width::UnicodeWidthStr;

use pen::{Pen, is_plain_blank};

/// Shortest blank run written as an erase rather than as spaces: `ESC[nX`
/// plus the step over it costs 7-10 bytes.
const MIN_ERASE: u16 = 9;

pub struct LeanBackend<W: Write> {
    out: W,
    size: Size,
    /// What each cell of the screen shows, row by row; `None` where unknown.
    screen: Vec<Option<Cell>>,
    /// Where the terminal's cursor is, when known.
    cursor: Option<Position>,
    /// The terminal's pen, when known.
    pen: Option<Pen>,
    cursor_visible: Option<bool>,
    /// Reused between frames.
    scratch: String,
}

impl<W: Write> LeanBackend<W> {
    /// A backend for a terminal of `size` whose contents are unknown.
    pub fn new(out: W, size: Size) -> Self {
        let mut backend = LeanBackend {
            out,
            size,
            screen: Vec::new(),
            cursor: None,
            pen: None,
            cursor_visible: None,
            scratch: String::with_capacity(64),
        };
        backend.forget(size);
        backend
    }

    /// For a terminal of the real size.
    pub fn for_terminal(out: W) -> io::Result<Self> {
        let (width, height) = terminal::size()?;
        Ok(Self::new(out, Size { width, height }))
    }

    /// Assumes nothing about the screen any more.
    fn forget(&mut self, size: Size) {
        self.size = size;
        self.screen.clear();
        self.screen
            .resize(usize::from(size.width) * usize::from(size.height), None);
        self.cursor = None;
        self.pen = None;
        self.cursor_visible = None;
    }

    fn index(&self, x: u16, y: u16) -> Option<usize> {
        (x < self.size.width && y < self.size.height)
            .then(|| usize::from(y) * usize::from(self.size.width) + usize::from(x))
    }

    fn remember(&mut self, x: u16, y: u16, cell: &Cell) {
        if let Some(i) = self.index(x, y) {
            self.screen[i] = Some(cell.clone());
        }
    }

    /// How many columns from the first of `cells` (a plain blank) on could
    /// be erased in one go: changed cells that become blank, and unchanged
    /// ones already blank between them. Returns the columns and the number
    /// of changed cells they cover.
    fn blank_run(&self, cells: &[(u16, u16, &Cell)]) -> (u16, usize) {
        let (x, y, _) = cells[0];
        let (mut col, mut next, mut end, mut consumed) = (x, 0, x, 0);
        while col < self.size.width {
            match cells.get(next) {
                Some(&(cx, cy, c)) if cx == col && cy == y => {
                    if !is_plain_blank(c) {
                        break;
                    }
                    next += 1;
                    (end, consumed) = (col + 1, next);
                }
                _ => {
                    let shown = self.index(col, y).and_then(|i| self.screen[i].as_ref());
                    if !shown.is_some_and(is_plain_blank) {
                        break;
                    }
                }
            }
            col += 1;
        }
        (end - x, consumed)
    }

    /// Erases the whole screen (of `size`) and knows it is blank.
    fn erase_all(&mut self, size: Size) -> io::Result<()> {
        self.forget(size);
        // An erase paints with the current background: reset it first.
        self.out.write_all(b"\x1b[m\x1b[2J")?;
        self.pen = Some(Pen::DEFAULT);
        self.screen.fill(Some(Cell::EMPTY));
        Ok(())
    }
}

impl<W: Write> Write for LeanBackend<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.out.write(data)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, &Cell)> = content.collect();
        let mut seq = std::mem::take(&mut self.scratch);
        let mut i = 0;
        while i < cells.len() {
            let (x, y, cell) = cells[i];
            seq.clear();
            if is_plain_blank(cell) {
                let (run, consumed) = self.blank_run(&cells[i..]);
                if run >= MIN_ERASE {
                    self.motion(x, y, &mut seq);
                    self.set_pen(Pen::DEFAULT, &mut seq);
                    let _ = write!(seq, "\x1b[{run}X");
                    self.out.write_all(seq.as_bytes())?;
                    self.cursor = Some(Position { x, y });
                    for k in 0..run {
                        self.remember(x + k, y, &Cell::EMPTY);
                    }
                    i += consumed;
                    continue;
                }
            }
            self.motion(x, y, &mut seq);
            // Reprinted cells are in the current pen, so the pen changes
            // only after the motion.
            let pen = Pen::of(cell);
            self.set_pen(pen, &mut seq);
            let symbol = cell.symbol();
            seq.push_str(symbol);
            self.out.write_all(seq.as_bytes())?;
            self.remember(x, y, cell);
            // After the last column the cursor waits to wrap, and a symbol
            // of another width may be drawn differently by the terminal:
            // in both cases the next cell gets an absolute move.
            self.cursor = (symbol.width() == 1 && x + 1 < self.size.width)
                .then_some(Position { x: x + 1, y });
            i += 1;
        }
        self.scratch = seq;
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_visible != Some(false) {
            self.out.write_all(b"\x1b[?25l")?;
            self.cursor_visible = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_visible != Some(true) {
            self.out.write_all(b"\x1b[?25h")?;
            self.cursor_visible = Some(true);
        }
        Ok(())
    }

    /// The cursor as last placed; asking the terminal would be a round trip
    /// that stalls over slow links, and a full-screen view never needs it.
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor.unwrap_or(Position::ORIGIN))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        let mut seq = std::mem::take(&mut self.scratch);
        seq.clear();
        self.motion(x, y, &mut seq);
        self.out.write_all(seq.as_bytes())?;
        self.scratch = seq;
        self.cursor = Some(Position { x, y });
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        if clear_type == ClearType::All {
            // A clear comes with a resize or after something else drew on
            // the terminal: start again from what is known for certain.
            let size = self.size()?;
            return self.erase_all(size);
        }
        // An erase paints with the current background: reset it first.
        self.reset_pen()?;
        match clear_type {
            ClearType::All => unreachable!(),
            ClearType::AfterCursor => queue!(
                self.out,
                terminal::Clear(terminal::ClearType::FromCursorDown)
            )?,
            ClearType::BeforeCursor => {
                queue!(self.out, terminal::Clear(terminal::ClearType::FromCursorUp))?
            }
            ClearType::CurrentLine => {
                queue!(self.out, terminal::Clear(terminal::ClearType::CurrentLine))?
            }
            ClearType::UntilNewLine => {
                queue!(self.out, terminal::Clear(terminal::ClearType::UntilNewLine))?
            }
        }
        // Partly erased: which cells is not worth tracking.
        let size = self.size;
        let (cursor, visible) = (self.cursor, self.cursor_visible);
        self.forget(size);
        self.pen = Some(Pen::DEFAULT);
        (self.cursor, self.cursor_visible) = (cursor, visible);
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        let (width, height) = terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let ws = terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: ws.columns,
                height: ws.rows,
            },
            pixels: Size {
                width: ws.width,
                height: ws.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
