//! The pen: colours and attributes, and the shortest SGR sequence that
//! changes the terminal's pen into the one the next cell is drawn in.

use std::fmt::Write as _;
use std::io::{self, Write};

use ratatui::buffer::Cell;
use ratatui::style::{Color, Modifier};

use super::LeanBackend;

/// Colours and attributes of the terminal's pen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Pen {
    pub(super) fg: Color,
    pub(super) bg: Color,
    pub(super) underline: Color,
    pub(super) modifier: Modifier,
}

impl Pen {
    pub(super) const DEFAULT: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        underline: Color::Reset,
        modifier: Modifier::empty(),
    };

    pub(super) fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

impl<W: Write> LeanBackend<W> {
    /// Sets the pen to `to`, appending the sequence to `seq`.
    pub(super) fn set_pen(&mut self, to: Pen, seq: &mut String) {
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
    pub(super) fn reset_pen(&mut self) -> io::Result<()> {
        if self.pen != Some(Pen::DEFAULT) {
            self.out.write_all(b"\x1b[m")?;
            self.pen = Some(Pen::DEFAULT);
        }
        Ok(())
    }
}

fn param(params: &mut String, p: impl std::fmt::Display) {
    if !params.is_empty() {
        params.push(';');
    }
    let _ = write!(params, "{p}");
}

pub(super) const ON: [(Modifier, u8); 9] = [
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

pub(super) fn colors(params: &mut String, from: Pen, to: Pen) {
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
pub(super) fn color(
    params: &mut String,
    c: Color,
    normal: u8,
    bright: u8,
    extended: u8,
    default: u8,
) {
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
pub(super) fn is_plain_blank(cell: &Cell) -> bool {
    cell.symbol() == " " && Pen::of(cell) == Pen::DEFAULT
}
