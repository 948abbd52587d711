//! The model as a strip of steps with the active count in each.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::Theme;
use super::text::width;
use crate::domain::{Model, Step};

/// What the header draws: the selected initiative's model with the active
/// count in each step, and which register is open and as whom.
#[derive(Debug, Clone)]
pub struct Header<'a> {
    pub model: &'a Model,
    /// Active initiatives per step, index 0 = step 1.
    pub counts: &'a [u32],
    /// The selected initiative's step, highlighted.
    pub current: Option<Step>,
    /// Another model than the default: the strip names it.
    pub other_model: bool,
    pub read_only: bool,
    /// The register's file name, empty when unknown.
    pub file: String,
    pub author: &'a str,
}

pub struct StepStrip<'a> {
    header: &'a Header<'a>,
    theme: &'a Theme,
}

impl<'a> StepStrip<'a> {
    pub fn new(header: &'a Header<'a>, theme: &'a Theme) -> Self {
        StepStrip { header, theme }
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
        let model = self.header.model;
        let counts = self.header.counts;
        let current = self.header.current;
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
        let brand = if self.header.read_only {
            " read-only "
        } else if let Some(brand) = brand {
            brand
        } else if self.header.other_model {
            other.as_str()
        } else {
            " improve "
        };
        let brand_style = if self.header.read_only {
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
    /// " ana@improve.db ": which register is open and as whom.
    fn identity(&self) -> String {
        let (file, author) = (&self.header.file, self.header.author);
        // "ana@improve.db", as ssh writes a user at a host: short enough to
        // take the name's place at 80 columns with the default file name.
        let who = if author.is_empty() { "unknown" } else { author };
        if file.is_empty() {
            format!(" {} ", super::text::fit(who, 16))
        } else {
            format!(
                " {}@{} ",
                super::text::fit(who, 16),
                super::text::fit(file, 24)
            )
        }
    }
}

impl StepStrip<'_> {
    /// The strip as drawn at this width, and whether who and where go on
    /// the right of it.
    fn choose(&self, max: usize) -> (Line<'static>, Option<String>) {
        let who = self.identity();
        let who_w = width(&who);
        // Who and where go on the right while the strip keeps its names
        // and separators; on a narrower screen they take the name's place
        // while the strip keeps its names; narrower still, the strip wins.
        let (strip, form) = self.line_with(max.saturating_sub(who_w + 1), None);
        if form <= 1 && strip.width() + who_w < max {
            return (strip, Some(who));
        }
        let (strip, form) = self.line_with(max, Some(&who));
        if form <= 2 && strip.width() <= max && !self.header.read_only {
            (strip, None)
        } else {
            (self.line(max), None)
        }
    }
}

/// Which step of the strip (its index in the model) is at column `x` of a
/// header drawn in `area`: the strip's own layout, as drawn.
pub fn step_at(header: &Header, area: Rect, x: u16) -> Option<usize> {
    let (strip, _) = StepStrip::new(header, &Theme::mono()).choose(usize::from(area.width));
    let mut at = area.x;
    // The name, then each step's part with a separator before all but the
    // first.
    for (k, span) in strip.spans.iter().enumerate() {
        let w = width(&span.content) as u16;
        if x >= at && x < at + w && k >= 1 && (k - 1) % 2 == 0 {
            return Some((k - 1) / 2);
        }
        at += w;
    }
    None
}

impl Widget for StepStrip<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let max = usize::from(area.width);
        let (strip, who) = self.choose(max);
        strip.render(area, buf);
        if let Some(who) = who {
            let who_w = width(&who);
            let x = area.x + (max - who_w) as u16;
            Line::styled(who, self.theme.dim).render(
                Rect::new(x, area.y, who_w as u16, 1).intersection(area),
                buf,
            );
        }
    }
}
