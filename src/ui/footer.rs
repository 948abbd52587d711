//! The keys of the focused pane, or the latest message.

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Theme;
use super::dialog::visible_input;
use super::text::fit;
use crate::app::Flash;
use crate::app::input::TextInput;

/// Where the cursor goes while the filter is typed in the footer.
pub fn filter_cursor(input: &TextInput, area: Rect) -> Option<Position> {
    let room = usize::from(area.width).saturating_sub(3);
    let (_, col) = visible_input(input.text(), input.cursor(), room);
    Some(Position::new(area.x + 2 + col as u16, area.y))
}

/// What the footer draws: a message, the filter bar, or the keys of the
/// place the user is at.
#[derive(Debug, Clone)]
pub enum FooterData<'a> {
    /// The latest message, until the next key.
    Flash(&'a Flash),
    /// The filter as it is typed.
    Filter(FilterBar<'a>),
    /// The place's name and its keys, from the keymap.
    Keys {
        place: &'static str,
        keys: Vec<(String, &'static str)>,
    },
}

/// The filter bar: the input, how many rows match, the first term it did
/// not understand, and the keys that keep and clear it.
#[derive(Debug, Clone)]
pub struct FilterBar<'a> {
    pub input: &'a TextInput,
    pub matches: usize,
    pub problem: Option<&'a str>,
    pub keep: String,
    pub clear: String,
}

pub struct Footer<'a> {
    data: &'a FooterData<'a>,
    theme: &'a Theme,
}

impl<'a> Footer<'a> {
    pub fn new(data: &'a FooterData<'a>, theme: &'a Theme) -> Self {
        Footer { data, theme }
    }
}

impl Widget for Footer<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let width = usize::from(area.width);
        let (place, keys) = match self.data {
            FooterData::Flash(flash) => {
                let style = if flash.error { t.error } else { t.ok };
                Line::from(Span::styled(
                    format!(" {}", fit(&flash.text, width.saturating_sub(1))),
                    style,
                ))
                .render(area, buf);
                return;
            }
            FooterData::Filter(bar) => return filter_bar(bar, t, width).render(area, buf),
            FooterData::Keys { place, keys } => (place, keys),
        };
        let mut spans = vec![
            Span::styled(format!(" {place} "), t.selected_unfocused),
            Span::raw(" "),
        ];
        let mut used = place.len() + 3;
        for (key, label) in keys {
            let len = key.chars().count() + label.len() + 3;
            if used + len > width {
                break;
            }
            used += len;
            spans.push(Span::styled(key.as_str(), t.key));
            spans.push(Span::styled(format!(" {label}  "), t.dim));
        }
        Line::from(spans).render(area, buf);
    }
}

fn filter_bar<'a>(bar: &'a FilterBar, t: &Theme, width: usize) -> Line<'a> {
    let room = width.saturating_sub(3);
    let (shown, _) = visible_input(bar.input.text(), bar.input.cursor(), room);
    let matches = format!(
        "  {}",
        crate::domain::text::count(bar.matches as u64, "match")
    );
    let used = shown.chars().count() + 2;
    let mut spans = vec![Span::styled(" /", t.key), Span::styled(shown, t.text)];
    if let Some(problem) = bar.problem {
        // A term matched as text would silently match nothing: the bar
        // says which and what the filter understands.
        let room = width.saturating_sub(used + 2);
        if room > 0 {
            spans.push(Span::styled(format!("  {}", fit(problem, room)), t.warn));
        }
    } else if width > used + matches.len() + 18 {
        spans.push(Span::styled(matches, t.dim));
        spans.push(Span::styled(
            format!("  {} keep · {} clear", bar.keep, bar.clear),
            t.dim,
        ));
    }
    Line::from(spans)
}
