//! Colours by role. Named ANSI colours only, so the dashboard reads the same
//! in 16 colours; with `NO_COLOR`, modifiers alone keep focus and selection
//! visible.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

/// Borders for terminals that cannot draw line characters.
pub const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// What a terminal can draw, as its `TERM` and locale tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// More than the 16 named colours (256 or true colour).
    pub many_colors: bool,
    /// Line-drawing characters (a UTF-8 locale on a terminal that has them).
    pub unicode_lines: bool,
}

impl Capabilities {
    /// From `TERM`, `COLORTERM` and the locale in effect (`LC_ALL`, else
    /// `LC_CTYPE`, else `LANG`). Only a locale that names a charset other
    /// than UTF-8 (`en_US.ISO-8859-1`) turns line characters off: an unset
    /// locale, or a bare `C` or `POSIX` (what a host without locales
    /// installed gives every session), says nothing about the terminal,
    /// which is nearly always UTF-8.
    pub fn detect(term: Option<&str>, colorterm: Option<&str>, locale: Option<&str>) -> Self {
        let term = term.unwrap_or("").to_ascii_lowercase();
        let many_colors = term.contains("256")
            || term.contains("truecolor")
            || term.contains("direct")
            || colorterm.is_some_and(|c| matches!(c, "truecolor" | "24bit"));
        // The DEC terminals and their emulations draw no Unicode.
        let ascii_term = term.starts_with("vt1") || term.starts_with("vt2") || term == "ansi";
        let other_charset = locale
            .and_then(|l| l.split('@').next())
            .and_then(|l| l.split_once('.'))
            .is_some_and(|(_, charset)| {
                let c = charset.to_ascii_lowercase();
                c != "utf-8" && c != "utf8"
            });
        let utf8 = !other_charset;
        Capabilities {
            many_colors,
            unicode_lines: utf8 && !ascii_term,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub accent: Style,
    pub border: Style,
    pub border_focused: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub header_step: Style,
    pub header_current: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    pub gauge: Style,
    pub key: Style,
    /// Borders drawn with `+ - |` (a terminal without line characters).
    pub ascii: bool,
}

impl Theme {
    /// The role names, as `[colors]` in `config.toml` spells them.
    pub const ROLES: &'static [&'static str] = &[
        "text",
        "dim",
        "title",
        "accent",
        "border",
        "border_focused",
        "selected",
        "selected_unfocused",
        "header_step",
        "header_current",
        "ok",
        "warn",
        "error",
        "gauge",
        "key",
    ];

    /// The style of a role by its name.
    pub fn role_mut(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "text" => &mut self.text,
            "dim" => &mut self.dim,
            "title" => &mut self.title,
            "accent" => &mut self.accent,
            "border" => &mut self.border,
            "border_focused" => &mut self.border_focused,
            "selected" => &mut self.selected,
            "selected_unfocused" => &mut self.selected_unfocused,
            "header_step" => &mut self.header_step,
            "header_current" => &mut self.header_current,
            "ok" => &mut self.ok,
            "warn" => &mut self.warn,
            "error" => &mut self.error,
            "gauge" => &mut self.gauge,
            "key" => &mut self.key,
            _ => return None,
        })
    }

    /// The style of a role by its name.
    pub fn role(&self, name: &str) -> Option<Style> {
        let mut t = *self;
        t.role_mut(name).map(|s| *s)
    }

    /// The preset for dark terminals (the default).
    pub fn dark() -> Theme {
        Theme::color()
    }

    /// For dark terminals: the default colour theme.
    pub fn color() -> Theme {
        let base = Style::new();
        Theme {
            text: base,
            dim: base.fg(Color::DarkGray),
            title: base.add_modifier(Modifier::BOLD),
            accent: base.fg(Color::Cyan),
            border: base.fg(Color::DarkGray),
            border_focused: base.fg(Color::Cyan),
            selected: base.fg(Color::Black).bg(Color::Cyan),
            selected_unfocused: base.add_modifier(Modifier::REVERSED),
            header_step: base,
            header_current: base
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            ok: base.fg(Color::Green),
            warn: base.fg(Color::Yellow),
            error: base.fg(Color::Red).add_modifier(Modifier::BOLD),
            gauge: base.fg(Color::Green),
            key: base.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            ascii: false,
        }
    }

    /// For light terminals, in 16 colours: no yellow or light colours as
    /// text on white, no dark gray that vanishes; the selection is black on
    /// cyan.
    pub fn light() -> Theme {
        let base = Style::new();
        Theme {
            text: base,
            // The terminal's own foreground, faded: never a grey that
            // vanishes on white.
            dim: base.add_modifier(Modifier::DIM),
            title: base.add_modifier(Modifier::BOLD),
            accent: base.fg(Color::Blue),
            border: base,
            border_focused: base.fg(Color::Blue).add_modifier(Modifier::BOLD),
            selected: base.fg(Color::Black).bg(Color::Cyan),
            selected_unfocused: base.add_modifier(Modifier::REVERSED),
            header_step: base,
            header_current: base
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            ok: base.fg(Color::Green),
            warn: base.fg(Color::Magenta).add_modifier(Modifier::BOLD),
            error: base.fg(Color::Red).add_modifier(Modifier::BOLD),
            gauge: base.fg(Color::Blue),
            key: base.fg(Color::Blue).add_modifier(Modifier::BOLD),
            ascii: false,
        }
    }

    /// For `NO_COLOR`: no colour at all, only bold, reverse, underline, dim.
    pub fn mono() -> Theme {
        let base = Style::new();
        Theme {
            text: base,
            dim: base.add_modifier(Modifier::DIM),
            title: base.add_modifier(Modifier::BOLD),
            accent: base.add_modifier(Modifier::BOLD),
            border: base,
            border_focused: base.add_modifier(Modifier::BOLD),
            selected: base.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_unfocused: base.add_modifier(Modifier::UNDERLINED),
            header_step: base,
            header_current: base.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            ok: base,
            warn: base.add_modifier(Modifier::BOLD),
            error: base.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            gauge: base,
            key: base.add_modifier(Modifier::BOLD),
            ascii: false,
        }
    }

    /// A priority's pen, the same in the backlog and on the detail page: P1
    /// as an error, P2 as a warning, the routine rest receding so that those
    /// stand out (and, in the backlog, in the pen of the cells around them:
    /// plain text there costs bytes on every frame).
    pub fn priority(&self, p: u8) -> Style {
        match p {
            1 => self.error,
            2 => self.warn,
            _ => self.dim,
        }
    }

    /// The pen of a KPI's share of the gap closed: met, lost ground, or on
    /// the way; the same on the dashboard and the detail page.
    pub fn progress(&self, share: f64) -> Style {
        if share >= 1.0 {
            self.ok
        } else if share < 0.0 {
            self.error
        } else {
            self.text
        }
    }

    /// A dashboard pane's frame: its title, and a border that shows focus.
    pub fn pane<'a>(
        &self,
        title: impl Into<ratatui::text::Line<'a>>,
        focused: bool,
    ) -> ratatui::widgets::Block<'a> {
        self.block().title(title).border_style(if focused {
            self.border_focused
        } else {
            self.border
        })
    }

    /// A bordered block, in line characters or ASCII as the terminal allows.
    pub fn block<'a>(&self) -> ratatui::widgets::Block<'a> {
        let block = ratatui::widgets::Block::bordered();
        if self.ascii {
            block.border_set(ASCII_BORDER)
        } else {
            block
        }
    }

    /// Fitted to what the terminal can draw: ASCII borders without line
    /// characters, and the configuration's 256 or RGB colours brought down
    /// to the 16 named ones where that is all the terminal has.
    pub fn for_terminal(mut self, caps: Capabilities) -> Theme {
        self.ascii = !caps.unicode_lines;
        if !caps.many_colors {
            for role in Theme::ROLES {
                if let Some(style) = self.role_mut(role) {
                    style.fg = style.fg.map(to_16);
                    style.bg = style.bg.map(to_16);
                }
            }
        }
        self
    }

    /// Colour unless the `NO_COLOR` convention (set and non-empty) says no.
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::mono(),
            _ => Theme::color(),
        }
    }
}

/// The nearest of the 16 named colours.
fn to_16(color: Color) -> Color {
    let (r, g, b) = match color {
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) if i < 16 => return NAMED[usize::from(i)].0,
        Color::Indexed(i) if i >= 232 => {
            let v = 8 + (i - 232) * 10;
            (v, v, v)
        }
        Color::Indexed(i) => {
            let i = i - 16;
            let level = |n: u8| if n == 0 { 0 } else { 55 + n * 40 };
            (level(i / 36), level((i / 6) % 6), level(i % 6))
        }
        named => return named,
    };
    let distance = |(_, (nr, ng, nb)): &(Color, (u8, u8, u8))| {
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(r, *nr) + d(g, *ng) + d(b, *nb)
    };
    NAMED
        .iter()
        .min_by_key(|n| distance(n))
        .map_or(Color::Reset, |n| n.0)
}

/// The 16 named colours in index order, with xterm's values.
const NAMED: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vt100_and_a_non_utf8_locale_get_ascii_borders() {
        let caps = |t, l| Capabilities::detect(Some(t), None, l);
        assert!(!caps("vt100", None).unicode_lines);
        assert!(!caps("vt220", Some("en_US.UTF-8")).unicode_lines);
        assert!(!caps("xterm-256color", Some("en_US.ISO-8859-1")).unicode_lines);
        assert!(!caps("xterm-256color", Some("ru_RU.KOI8-R@x")).unicode_lines);
        assert!(caps("xterm-256color", Some("C")).unicode_lines);
        assert!(caps("xterm-256color", Some("C.utf8")).unicode_lines);
        assert!(caps("xterm-256color", Some("en_GB.UTF-8")).unicode_lines);
        assert!(caps("linux", None).unicode_lines);
        assert!(caps("screen", Some("")).unicode_lines);
    }

    #[test]
    fn only_terminals_that_say_so_get_more_than_16_colours() {
        assert!(!Capabilities::detect(Some("xterm"), None, None).many_colors);
        assert!(!Capabilities::detect(Some("linux"), None, None).many_colors);
        assert!(Capabilities::detect(Some("xterm-256color"), None, None).many_colors);
        assert!(Capabilities::detect(Some("xterm"), Some("truecolor"), None).many_colors);
    }

    #[test]
    fn configured_colours_come_down_to_the_16_named_ones() {
        let mut theme = Theme::dark();
        theme.accent = Style::new()
            .fg(Color::Rgb(250, 10, 10))
            .bg(Color::Indexed(21));
        theme.dim = Style::new().fg(Color::Indexed(244));
        let few = Capabilities {
            many_colors: false,
            unicode_lines: false,
        };
        let t = theme.for_terminal(few);
        assert_eq!(t.accent.fg, Some(Color::LightRed));
        assert_eq!(t.accent.bg, Some(Color::Blue));
        assert_eq!(t.dim.fg, Some(Color::DarkGray));
        assert!(t.ascii);
        let many = Capabilities {
            many_colors: true,
            unicode_lines: true,
        };
        assert_eq!(
            theme.for_terminal(many),
            theme,
            "nothing changes where all is drawn"
        );
    }
}
