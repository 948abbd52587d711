//! The model as a strip of steps with the active count in each.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Theme;
use super::text::width;
use crate::app::App;

pub struct StepStrip<'a> {
    app: &'a App,
    theme: &'a Theme,
}

impl<'a> StepStrip<'a> {
    pub fn new(app: &'a App, theme: &'a Theme) -> Self {
        StepStrip { app, theme }
    }

    /// The strip in the most readable form that fits: full names with
    /// numbers, then names, then names without separators, then numbers
    /// only.
    fn line(&self, max: usize) -> Line<'static> {
        let model = self.app.model();
        let none = Vec::new();
        let counts = self.app.step_flow().map_or(&none, |f| &f.active_per_step);
        let current = self.app.selected_row().map(|r| r.step);
        let forms: [&dyn Fn(usize) -> String; 4] = [
            &|i| {
                format!(
                    " {} {} {} ",
                    i + 1,
                    model.steps[i].short,
                    counts.get(i).unwrap_or(&0)
                )
            },
            &|i| format!(" {} {} ", model.steps[i].short, counts.get(i).unwrap_or(&0)),
            &|i| format!(" {} {} ", model.steps[i].short, counts.get(i).unwrap_or(&0)),
            &|i| format!(" {}:{} ", i + 1, counts.get(i).unwrap_or(&0)),
        ];
        // A read-only dashboard says so where the eye starts, on every
        // screen, in place of the name so the step names still fit at 80.
        // Another model than the default names itself there instead: the
        // strip is that model's steps.
        let other = format!(" {} ", model.id);
        let brand = if self.app.is_read_only() {
            " read-only "
        } else if model.id != self.app.models().default_model().id {
            other.as_str()
        } else {
            " improve "
        };
        let brand_style = if self.app.is_read_only() {
            self.theme.warn.add_modifier(Modifier::REVERSED)
        } else {
            self.theme.accent
        };
        for (n, form) in forms.iter().enumerate() {
            let sep = if n >= 2 { "" } else { "›" };
            let parts: Vec<String> = (0..model.len()).map(form).collect();
            let total = width(brand)
                + parts.iter().map(|p| width(p)).sum::<usize>()
                + width(sep) * (parts.len().saturating_sub(1));
            if total <= max || n == forms.len() - 1 {
                let mut spans = vec![Span::styled(brand.to_string(), brand_style)];
                for (i, part) in parts.into_iter().enumerate() {
                    if i > 0 {
                        spans.push(Span::styled(sep, self.theme.dim));
                    }
                    let style = if current.is_some_and(|s| s.index() == i) {
                        self.theme.header_current
                    } else {
                        self.theme.header_step
                    };
                    spans.push(Span::styled(part, style));
                }
                return Line::from(spans);
            }
        }
        unreachable!("the last form is always taken")
    }
}

impl Widget for StepStrip<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        self.line(usize::from(area.width)).render(area, buf);
    }
}
