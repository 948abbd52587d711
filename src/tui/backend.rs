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

use std::fmt::Write as _;
use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::{queue, terminal};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// Colours and attributes of the terminal's pen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

impl Pen {
    const DEFAULT: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        underline: Color::Reset,
        modifier: Modifier::empty(),
    };

    fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// Shortest blank run written as an erase rather than as spaces: `ESC[nX`
/// plus the step over it costs 7-10 bytes.
const MIN_ERASE: u16 = 9;

/// Longest run of unchanged cells printed again instead of stepping over.
const MAX_REPRINT: u16 = 8;

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

    /// The shortest way from the cursor to `(x, y)`, appended to `seq`.
    fn motion(&self, x: u16, y: u16, seq: &mut String) {
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

    /// Sets the pen to `to`, appending the sequence to `seq`.
    fn set_pen(&mut self, to: Pen, seq: &mut String) {
        if self.pen == Some(to) {
            return;
        }
        // From scratch: a reset, then everything `to` has.
        let mut reset = String::from("0");
        add_modifiers(&mut reset, to.modifier);
        colors(&mut reset, Pen::DEFAULT, to);
        let params = match self.pen {
            Some(from) => {
                let mut change = String::new();
                change_modifiers(&mut change, from.modifier, to.modifier);
                colors(&mut change, from, to);
                if change.len() < reset.len() {
                    change
                } else {
                    reset
                }
            }
            None => reset,
        };
        let params = if params == "0" { "" } else { &params };
        let _ = write!(seq, "\x1b[{params}m");
        self.pen = Some(to);
    }

    /// The pen back to the terminal's default.
    fn reset_pen(&mut self) -> io::Result<()> {
        if self.pen != Some(Pen::DEFAULT) {
            self.out.write_all(b"\x1b[m")?;
            self.pen = Some(Pen::DEFAULT);
        }
        Ok(())
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

fn param(params: &mut String, p: impl std::fmt::Display) {
    if !params.is_empty() {
        params.push(';');
    }
    let _ = write!(params, "{p}");
}

const ON: [(Modifier, u8); 9] = [
    (Modifier::BOLD, 1),
    (Modifier::DIM, 2),
    (Modifier::ITALIC, 3),
    (Modifier::UNDERLINED, 4),
    (Modifier::SLOW_BLINK, 5),
    (Modifier::RAPID_BLINK, 6),
    (Modifier::REVERSED, 7),
    (Modifier::HIDDEN, 8),
    (Modifier::CROSSED_OUT, 9),
];

fn add_modifiers(params: &mut String, add: Modifier) {
    for (m, code) in ON {
        if add.contains(m) {
            param(params, code);
        }
    }
}

fn change_modifiers(params: &mut String, from: Modifier, to: Modifier) {
    let removed = from - to;
    let mut add = to - from;
    // One code turns off both bold and dim: put back the one that stays.
    if removed.intersects(Modifier::BOLD | Modifier::DIM) {
        param(params, 22);
        add |= to & (Modifier::BOLD | Modifier::DIM);
    }
    for (m, code) in [
        (Modifier::ITALIC, 23),
        (Modifier::UNDERLINED, 24),
        (Modifier::SLOW_BLINK | Modifier::RAPID_BLINK, 25),
        (Modifier::REVERSED, 27),
        (Modifier::HIDDEN, 28),
        (Modifier::CROSSED_OUT, 29),
    ] {
        if removed.intersects(m) {
            param(params, code);
            add |= to & m;
        }
    }
    add_modifiers(params, add);
}

fn colors(params: &mut String, from: Pen, to: Pen) {
    if from.fg != to.fg {
        color(params, to.fg, 30, 90, 38, 39);
    }
    if from.bg != to.bg {
        color(params, to.bg, 40, 100, 48, 49);
    }
    if from.underline != to.underline {
        // No short codes for underline colours.
        color(params, to.underline, 58, 58, 58, 59);
    }
}

/// One colour: the sixteen ANSI colours by their own codes (`normal + i`,
/// `bright + i`), others as 256-colour or RGB, `Reset` as `default`.
fn color(params: &mut String, c: Color, normal: u8, bright: u8, extended: u8, default: u8) {
    let ansi = match c {
        Color::Reset => return param(params, default),
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) => i,
        Color::Rgb(r, g, b) => return param(params, format_args!("{extended};2;{r};{g};{b}")),
    };
    match ansi {
        0..=7 if normal != extended => param(params, normal + ansi),
        8..=15 if bright != extended => param(params, bright + ansi - 8),
        _ => param(params, format_args!("{extended};5;{ansi}")),
    }
}

/// A blank cell in the default pen: what an erase leaves.
fn is_plain_blank(cell: &Cell) -> bool {
    cell.symbol() == " " && Pen::of(cell) == Pen::DEFAULT
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

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;
    use ratatui::text::Line;
    use ratatui::widgets::Widget;

    use super::*;

    /// A backend of a fixed size whose `size()` does not ask a terminal.
    struct Fixed(LeanBackend<Vec<u8>>);

    fn backend(w: u16, h: u16) -> LeanBackend<Vec<u8>> {
        LeanBackend::new(
            Vec::new(),
            Size {
                width: w,
                height: h,
            },
        )
    }

    /// Draws `before` on a cleared screen, then `after` over it, and
    /// returns the bytes of the second frame.
    fn frame_bytes(before: &Buffer, after: &Buffer) -> String {
        let mut b = backend(before.area.width, before.area.height);
        b.erase_all(b.size).unwrap();
        b.draw(Buffer::empty(before.area).diff(before).into_iter())
            .unwrap();
        b.out.clear();
        b.draw(before.diff(after).into_iter()).unwrap();
        String::from_utf8(b.out).unwrap()
    }

    fn line(text: &str, style: Style, w: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, w, 2));
        Line::styled(text, style).render(Rect::new(0, 0, w, 1), &mut buf);
        buf
    }

    #[test]
    fn sixteen_colours_use_their_short_codes() {
        let mut s = String::new();
        colors(
            &mut s,
            Pen::DEFAULT,
            Pen {
                fg: Color::DarkGray,
                bg: Color::Cyan,
                ..Pen::DEFAULT
            },
        );
        assert_eq!(s, "90;46");
        let mut s = String::new();
        color(&mut s, Color::Indexed(200), 30, 90, 38, 39);
        assert_eq!(s, "38;5;200");
    }

    #[test]
    fn a_changed_word_between_unchanged_spaces_is_one_run() {
        let bytes = frame_bytes(
            &line("ab cd", Style::new(), 20),
            &line("xb cx", Style::new(), 20),
        );
        // Back to the start of the line, the unchanged cells in between
        // printed again (shorter than a move), no colour codes at all.
        assert_eq!(bytes, "\rxb cx");
        // Further apart: a relative step.
        let bytes = frame_bytes(
            &line("alpha beta gamma", Style::new(), 20),
            &line("alphx beta gammx", Style::new(), 20),
        );
        assert_eq!(bytes, "\x1b[12Dx\x1b[10Cx");
    }

    #[test]
    fn only_the_attributes_that_change_are_sent() {
        let bytes = frame_bytes(
            &line("abc", Style::new().bold().dark_gray(), 10),
            &line("abc", Style::new().dark_gray(), 10),
        );
        // (A styled line styles its whole width.)
        assert_eq!(bytes, "\x1b[1H\x1b[22mabc       ");
    }

    #[test]
    fn a_long_blank_run_is_erased_not_spaced() {
        let bytes = frame_bytes(
            &line("a long line of text here", Style::new(), 30),
            &line("a", Style::new(), 30),
        );
        // From where the last frame left the cursor; the spaces that were
        // already blank between the changed cells are part of the run.
        assert_eq!(bytes, "\x1b[22D\x1b[22X");
    }

    #[test]
    fn an_unchanged_frame_writes_nothing() {
        let buf = line("same", Style::new().red(), 10);
        assert_eq!(frame_bytes(&buf, &buf), "");
    }

    #[test]
    fn next_line_start_is_a_carriage_return_and_line_feed() {
        let mut before = Buffer::empty(Rect::new(0, 0, 10, 2));
        Line::raw("ab").render(Rect::new(0, 0, 10, 1), &mut before);
        let mut after = before.clone();
        Line::raw("ac").render(Rect::new(0, 0, 10, 1), &mut after);
        Line::raw("x").render(Rect::new(0, 1, 10, 1), &mut after);
        assert_eq!(frame_bytes(&before, &after), "\x1b[Dc\r\nx");
    }

    /// What a real terminal would show after the bytes: a tiny interpreter
    /// of the sequences this backend writes, keeping each cell's symbol and
    /// pen.
    struct Replay {
        screen: Vec<Vec<(String, Pen)>>,
        x: usize,
        y: usize,
        pen: Pen,
    }

    impl Replay {
        fn new(w: usize, h: usize) -> Replay {
            Replay {
                screen: vec![vec![(" ".to_string(), Pen::DEFAULT); w]; h],
                x: 0,
                y: 0,
                pen: Pen::DEFAULT,
            }
        }

        fn sgr(&mut self, params: &str) {
            let nums: Vec<u16> = params.split(';').map(|p| p.parse().unwrap_or(0)).collect();
            let mut i = 0;
            let indexed = |n: u16| -> Color {
                match n {
                    0 => Color::Black,
                    1 => Color::Red,
                    2 => Color::Green,
                    3 => Color::Yellow,
                    4 => Color::Blue,
                    5 => Color::Magenta,
                    6 => Color::Cyan,
                    7 => Color::Gray,
                    8 => Color::DarkGray,
                    9 => Color::LightRed,
                    10 => Color::LightGreen,
                    11 => Color::LightYellow,
                    12 => Color::LightBlue,
                    13 => Color::LightMagenta,
                    14 => Color::LightCyan,
                    15 => Color::White,
                    n => Color::Indexed(n as u8),
                }
            };
            while i < nums.len() {
                let n = nums[i];
                let p = &mut self.pen;
                match n {
                    0 => *p = Pen::DEFAULT,
                    1..=9 => p.modifier |= ON[usize::from(n) - 1].0,
                    22 => p.modifier -= Modifier::BOLD | Modifier::DIM,
                    23 => p.modifier -= Modifier::ITALIC,
                    24 => p.modifier -= Modifier::UNDERLINED,
                    25 => p.modifier -= Modifier::SLOW_BLINK | Modifier::RAPID_BLINK,
                    27 => p.modifier -= Modifier::REVERSED,
                    28 => p.modifier -= Modifier::HIDDEN,
                    29 => p.modifier -= Modifier::CROSSED_OUT,
                    30..=37 => p.fg = indexed(n - 30),
                    90..=97 => p.fg = indexed(n - 90 + 8),
                    40..=47 => p.bg = indexed(n - 40),
                    100..=107 => p.bg = indexed(n - 100 + 8),
                    39 => p.fg = Color::Reset,
                    49 => p.bg = Color::Reset,
                    59 => p.underline = Color::Reset,
                    38 | 48 | 58 => {
                        let c = if nums[i + 1] == 5 {
                            i += 2;
                            indexed(nums[i])
                        } else {
                            i += 4;
                            Color::Rgb(nums[i - 2] as u8, nums[i - 1] as u8, nums[i] as u8)
                        };
                        match n {
                            38 => p.fg = c,
                            48 => p.bg = c,
                            _ => p.underline = c,
                        }
                    }
                    other => panic!("unexpected SGR {other}"),
                }
                i += 1;
            }
        }

        fn feed(&mut self, bytes: &str) {
            let w = self.screen[0].len();
            let mut chars = bytes.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\r' => self.x = 0,
                    '\n' => self.y += 1,
                    '\x1b' => {
                        assert_eq!(chars.next(), Some('['));
                        let mut params = String::new();
                        let fin = loop {
                            let c = chars.next().unwrap();
                            if c.is_ascii_alphabetic() {
                                break c;
                            }
                            params.push(c);
                        };
                        if fin == 'm' {
                            self.sgr(&params);
                            continue;
                        }
                        let nums: Vec<usize> = params
                            .trim_start_matches('?')
                            .split(';')
                            .map(|p| p.parse().unwrap_or(0))
                            .collect();
                        let n = nums[0].max(1);
                        match fin {
                            'H' => {
                                self.y = n - 1;
                                self.x = nums.get(1).copied().unwrap_or(1).max(1) - 1;
                            }
                            'A' => self.y -= n,
                            'B' => self.y += n,
                            'C' => self.x += n,
                            'D' => self.x -= n,
                            'X' => {
                                for i in self.x..(self.x + n).min(w) {
                                    self.screen[self.y][i] = (" ".into(), self.pen);
                                }
                            }
                            'J' => {
                                for row in &mut self.screen {
                                    row.fill((" ".into(), self.pen));
                                }
                            }
                            'l' | 'h' => {}
                            other => panic!("unexpected sequence {other}"),
                        }
                    }
                    c => {
                        assert!(self.x < w, "printed past the edge");
                        self.screen[self.y][self.x] = (c.to_string(), self.pen);
                        self.x += 1;
                    }
                }
            }
        }
    }

    #[test]
    fn frames_replayed_show_what_the_buffers_hold() {
        // Pseudo-random text and styles over many frames: what the terminal
        // ends up showing is always exactly the last buffer.
        let (w, h) = (30u16, 6u16);
        let area = Rect::new(0, 0, w, h);
        let mut term = Terminal::new(Fixed(backend(w, h))).unwrap();
        term.clear().unwrap();
        let mut replay = Replay::new(w.into(), h.into());
        let styles = [
            Style::new(),
            Style::new().cyan().bold(),
            Style::new().dark_gray(),
            Style::new().black().on_cyan(),
            Style::new().reversed(),
            Style::new().bold().dim(),
            Style::new().fg(Color::Indexed(200)).on_dark_gray(),
            Style::new().fg(Color::Rgb(1, 2, 3)).italic().underlined(),
        ];
        let mut seed = 7u32;
        let mut next = |n: u32| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (seed >> 16) % n
        };
        for frame in 0..200 {
            let mut expect = Buffer::empty(area);
            for row in 0..h {
                let mut x = 0;
                while x < w {
                    let len = (next(8) as u16).min(w - x);
                    let text: String = (0..len)
                        .map(|_| [' ', ' ', 'a', 'b', '│', '●'][next(6) as usize])
                        .collect();
                    let style = styles[next(styles.len() as u32) as usize];
                    Line::styled(text, style).render(Rect::new(x, row, len, 1), &mut expect);
                    x += len.max(1);
                }
            }
            let cursor = (frame % 3 == 0)
                .then(|| Position::new(next(w as u32) as u16, next(h as u32) as u16));
            term.draw(|f| {
                f.buffer_mut().clone_from(&expect);
                if let Some(p) = cursor {
                    f.set_cursor_position(p);
                }
            })
            .unwrap();
            let out = &mut term.backend_mut().0.out;
            replay.feed(std::str::from_utf8(out).unwrap());
            out.clear();
            for y in 0..h {
                for x in 0..w {
                    let cell = &expect[(x, y)];
                    let shown = &replay.screen[usize::from(y)][usize::from(x)];
                    assert_eq!(
                        (shown.0.as_str(), shown.1),
                        (cell.symbol(), Pen::of(cell)),
                        "frame {frame} cell {x},{y}"
                    );
                }
            }
            if let Some(p) = cursor {
                assert_eq!((replay.x, replay.y), (usize::from(p.x), usize::from(p.y)));
            }
        }
    }

    impl Backend for Fixed {
        type Error = io::Error;
        fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(&mut self, c: I) -> io::Result<()> {
            self.0.draw(c)
        }
        fn hide_cursor(&mut self) -> io::Result<()> {
            self.0.hide_cursor()
        }
        fn show_cursor(&mut self) -> io::Result<()> {
            self.0.show_cursor()
        }
        fn get_cursor_position(&mut self) -> io::Result<Position> {
            self.0.get_cursor_position()
        }
        fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> io::Result<()> {
            self.0.set_cursor_position(p)
        }
        fn clear(&mut self) -> io::Result<()> {
            let size = self.0.size;
            self.0.erase_all(size)
        }
        fn clear_region(&mut self, _: ClearType) -> io::Result<()> {
            self.clear()
        }
        fn size(&self) -> io::Result<Size> {
            Ok(self.0.size)
        }
        fn window_size(&mut self) -> io::Result<WindowSize> {
            Ok(WindowSize {
                columns_rows: self.0.size,
                pixels: Size::default(),
            })
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}
