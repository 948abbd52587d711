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
