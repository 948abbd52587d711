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
        self.line_with(max, None).0
    }

    /// [`line`](Self::line) with `brand` in place of the name, and which
    /// form it took (0: the most readable).
    fn line_with(&self, max: usize, brand: Option<&str>) -> (Line<'static>, usize) {
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
        } else if let Some(brand) = brand {
            brand
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
                return (Line::from(spans), n);
            }
        }
        unreachable!("the last form is always taken")
    }
}

impl StepStrip<'_> {
    /// " improve.db · ana ": which register is open and as whom.
    fn identity(&self) -> String {
        let (file, author) = self.app.identity();
        let who = if author.is_empty() { "unknown" } else { author };
        if file.is_empty() {
            format!(" {} ", super::text::fit(who, 16))
        } else {
            format!(
                " {} · {} ",
                super::text::fit(&file, 24),
                super::text::fit(who, 16)
            )
        }
    }
}

impl Widget for StepStrip<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let max = usize::from(area.width);
        let who = self.identity();
        let who_w = width(&who);
        // Who and where go on the right while the strip keeps its names
        // and separators; on a narrower screen they take the name's place
        // while the strip keeps its names; narrower still, the strip wins.
        let (strip, form) = self.line_with(max.saturating_sub(who_w + 1), None);
        if form <= 1 && strip.width() + who_w < max {
            strip.render(area, buf);
            let x = area.x + (max - who_w) as u16;
            Line::styled(who, self.theme.dim).render(
                Rect::new(x, area.y, who_w as u16, 1).intersection(area),
                buf,
            );
            return;
        }
        let (strip, form) = self.line_with(max, Some(&who));
        if form <= 2 && strip.width() <= max && !self.app.is_read_only() {
            strip.render(area, buf);
        } else {
            self.line(max).render(area, buf);
        }
    }
}
