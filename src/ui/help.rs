//! The help overlay, generated from the keymap that dispatches keys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Widget};

use super::Theme;
use crate::app::keymap::{FILTER_HELP, Keymap, Place, Scope};

pub struct HelpOverlay<'a> {
    theme: &'a Theme,
    keymap: &'a Keymap,
    stale_days: i64,
    scroll: u16,
    read_only: bool,
    /// Where it was opened: the keys that work there are listed first.
    from: Option<Place>,
}

impl<'a> HelpOverlay<'a> {
    pub fn new(theme: &'a Theme, keymap: &'a Keymap, stale_days: i64, scroll: u16) -> Self {
        HelpOverlay {
            theme,
            keymap,
            stale_days,
            scroll,
            read_only: false,
            from: None,
        }
    }

    /// Lists the keys that work at `place` first.
    pub fn from(mut self, place: Place) -> Self {
        self.from = Some(place);
        self
    }

    /// Lists only the keys a read-only dashboard (a viewer) can use.
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.read_only = read_only;
        self
    }

    /// How to close and scroll it, as the keymap has it: ` Esc close · j/k scroll `.
    fn hint(&self) -> String {
        let keys: Vec<String> = self
            .keymap
            .footer(Place::Help, true)
            .iter()
            .map(|(k, l)| format!("{k} {l}"))
            .collect();
        format!(" {} ", keys.join(" · "))
    }

    pub fn lines(&self) -> Vec<Line<'static>> {
        let t = self.theme;
        let key_w = self
            .keymap
            .bindings()
            .iter()
            .map(|b| b.keys_label().chars().count())
            .chain(FILTER_HELP.iter().map(|(k, _)| k.chars().count()))
            .max()
            .unwrap_or(8);
        let row = |keys: String, help: &str| {
            Line::from(vec![
                Span::styled(format!("  {keys:<key_w$}  "), t.key),
                Span::styled(help.to_string(), t.text),
            ])
        };
        let mut lines = Vec::new();
        if self.read_only {
            lines.push(Line::styled(
                "Read-only: keys that change the register are not listed",
                t.warn,
            ));
            lines.push(Line::raw(""));
        }
        // The keys that work where it was opened come first: the place's
        // own section leading, then the others that apply there.
        let here = |scope: &Scope| self.from.is_some_and(|p| scope.applies(p));
        let shared = |scope: &Scope| Place::ALL.iter().filter(|&&p| scope.applies(p)).count() > 1;
        let mut first: Vec<Scope> = Scope::ALL.iter().filter(|s| here(s)).copied().collect();
        first.sort_by_key(shared);
        let scopes = first
            .into_iter()
            .chain(Scope::ALL.iter().filter(|s| !here(s)).copied());
        for scope in scopes {
            // A read-only dashboard opens no form.
            let no_forms = self.read_only
                && !Place::ALL
                    .iter()
                    .any(|&p| scope.applies(p) && !matches!(p, Place::Form { .. }));
            if no_forms {
                continue;
            }
            let bindings: Vec<_> = self
                .keymap
                .bindings()
                .iter()
                .filter(|b| b.scope == scope && !(self.read_only && b.action.writes()))
                .filter(|b| !b.keys.is_empty())
                .collect();
            if bindings.is_empty() {
                continue;
            }
            lines.push(Line::styled(scope.title(), t.title));
            for b in bindings {
                lines.push(row(b.keys_label(), b.help));
            }
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled("Filter terms (/)", t.title));
        for (keys, help) in FILTER_HELP {
            let help = if keys.contains("is:stale") {
                help.replace(
                    "30 days",
                    &crate::domain::text::count(self.stale_days.max(0) as u64, "day"),
                )
            } else {
                (*help).to_string()
            };
            lines.push(row((*keys).to_string(), &help));
        }
        lines
    }
}

impl Widget for HelpOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let lines = self.lines();
        let width = lines.iter().map(Line::width).max().unwrap_or(40) as u16 + 4;
        let height = lines.len() as u16 + 2;
        let popup = area.centered(
            ratatui::layout::Constraint::Length(width.min(area.width)),
            ratatui::layout::Constraint::Length(height.min(area.height)),
        );
        Clear.render(popup, buf);
        let block = t
            .block()
            .title(Span::styled(" Keys ", t.title))
            .title_bottom(Line::styled(self.hint(), t.dim).right_aligned())
            .border_style(t.border_focused);
        let max_scroll = height.saturating_sub(popup.height);
        let scroll = self.scroll.min(max_scroll);
        let shown = usize::from(popup.height.saturating_sub(2));
        let inner_w = usize::from(popup.width.saturating_sub(2));
        let below = lines.len().saturating_sub(usize::from(scroll) + shown);
        let mut block = block;
        if scroll > 0 {
            block = block.title(Line::styled(format!(" ↑ {scroll} more "), t.dim).right_aligned());
        }
        if below > 0 {
            block = block.title_bottom(Line::styled(format!(" ↓ {below} more "), t.dim));
        }
        let lines: Vec<Line> = lines
            .into_iter()
            .map(|l| super::overflow::fit_line(l, inner_w))
            .collect();
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll, 0))
            .render(popup, buf);
    }
}
