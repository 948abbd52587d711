use ratatui::Terminal;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Widget;

use super::pen::{ON, Pen, color, colors};
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
        let cursor =
            (frame % 3 == 0).then(|| Position::new(next(w as u32) as u16, next(h as u32) as u16));
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
