//! Colours by role. Named ANSI colours only, so the dashboard reads the same
//! in 16 colours; with `NO_COLOR`, modifiers alone keep focus and selection
//! visible.

use ratatui::style::{Color, Modifier, Style};

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
        }
    }

    /// A dashboard pane's frame: its title, and a border that shows focus.
    pub fn pane<'a>(
        &self,
        title: impl Into<ratatui::text::Line<'a>>,
        focused: bool,
    ) -> ratatui::widgets::Block<'a> {
        ratatui::widgets::Block::bordered()
            .title(title)
            .border_style(if focused {
                self.border_focused
            } else {
                self.border
            })
    }

    /// Colour unless the `NO_COLOR` convention (set and non-empty) says no.
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::mono(),
            _ => Theme::color(),
        }
    }
}
