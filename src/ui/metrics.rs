//! Portfolio flow and the selected initiative's KPIs.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::Theme;
use super::overflow;
use super::spark::{bar, sparkline};
use super::text::fit;
use crate::domain::metrics::{FlowMetrics, StepFlow};
use crate::domain::text::{decimal, percent};
use crate::domain::{Kpi, Model};

/// What the metrics pane draws: the portfolio's flow, the selected
/// initiative's KPIs, and the active count per step of its model.
#[derive(Debug, Clone, Copy)]
pub struct Metrics<'a> {
    pub flow: &'a FlowMetrics,
    /// The selected initiative's id and KPIs, when one is selected.
    pub kpis: Option<(i64, &'a [Kpi])>,
    /// The KPI under the cursor.
    pub selected: usize,
    /// The selected initiative's model, and its per-step figures.
    pub model: &'a Model,
    pub steps: Option<&'a StepFlow>,
    /// Another model than the default: the per-step heading names it.
    pub other_model: bool,
}

pub struct MetricsPane<'a> {
    metrics: &'a Metrics<'a>,
    theme: &'a Theme,
    focused: bool,
}

impl<'a> MetricsPane<'a> {
    pub fn new(metrics: &'a Metrics<'a>, theme: &'a Theme, focused: bool) -> Self {
        MetricsPane {
            metrics,
            theme,
            focused,
        }
    }

    fn flow(&self, lines: &mut Vec<Line<'static>>, width: usize) {
        let t = self.theme;
        let m = self.metrics.flow;
        let days = |d: Option<f64>| d.map_or("–".to_string(), |d| format!("{d:.0}d"));
        let throughput: Vec<f64> = m.throughput.iter().map(|&n| n as f64).collect();
        lines.push(Line::from(vec![
            Span::styled("Done/week ", t.dim),
            Span::styled(sparkline(&throughput), t.ok),
            // "wk" gives way to "w" before the count would be cut.
            Span::styled(
                if width >= 33 {
                    format!(" {} in 12 wk", m.done_in_window())
                } else {
                    format!(" {} in 12w", m.done_in_window())
                },
                t.text,
            ),
        ]));
        lines.push(Line::from(vec![
            Span::styled("Cycle     ", t.dim),
            Span::raw(format!(
                "{} median · {} p85",
                days(m.cycle_median),
                days(m.cycle_p85)
            )),
        ]));
        let overdue = if m.overdue > 0 { t.error } else { t.text };
        let pairs = [
            ("Active", m.by_status[0].to_string(), t.text),
            ("Held", m.by_status[1].to_string(), t.text),
            // A failure never reads as done: the unsuccessful are apart.
            (
                "Done",
                (m.by_status[2] - m.unsuccessful.min(m.by_status[2])).to_string(),
                t.text,
            ),
            ("Cancelled", m.by_status[3].to_string(), t.text),
            ("Returns", m.returns.to_string(), t.text),
            ("Overdue", m.overdue.to_string(), overdue),
            ("Stale", m.stale.to_string(), t.text),
        ];
        let mut pairs = pairs.to_vec();
        if m.unsuccessful > 0 {
            pairs.insert(3, ("Unsuccessful", m.unsuccessful.to_string(), t.warn));
        }
        flow_pairs(lines, &pairs, width, t);
    }

    /// The KPI lines; returns the line index where each KPI starts.
    fn kpis(&self, lines: &mut Vec<Line<'static>>, width: usize) -> Vec<usize> {
        let t = self.theme;
        let Some((id, kpis)) = self.metrics.kpis else {
            return Vec::new();
        };
        lines.push(Line::styled(format!("KPIs of #{id}"), t.title));
        if kpis.is_empty() {
            // Where baselines are set is ITIL 4's step 2; other models
            // set them where their steps say.
            let hint = if self.metrics.model.id == "itil4" {
                "  none yet: baselines are set in step 2 (Now)"
            } else {
                "  none yet"
            };
            lines.push(Line::styled(hint, t.dim));
        }
        let mut starts = Vec::new();
        for (i, kpi) in kpis.iter().enumerate() {
            let mut kl = kpi_lines(kpi, t, width);
            if i == self.metrics.selected && self.focused {
                kl[0] = kl[0].clone().patch_style(t.selected);
            }
            starts.push(lines.len());
            lines.extend(kl);
        }
        starts
    }

    /// The per-step counts, one line per step, or (`compact`, where the
    /// pane is short) packed as "Vision 3  Now 2 …" pairs.
    fn per_step(&self, lines: &mut Vec<Line<'static>>, width: usize, compact: bool) {
        let t = self.theme;
        let model = self.metrics.model;
        let none = StepFlow::default();
        let m = self.metrics.steps.unwrap_or(&none);
        let max = m.active_per_step.iter().copied().max().unwrap_or(0).max(1);
        let name_w = model
            .steps
            .iter()
            .map(|s| s.short.chars().count())
            .max()
            .unwrap_or(0);
        let bar_w = width.saturating_sub(name_w + 24).clamp(3, 20);
        // Per-step figures are the selected initiative's model's; another
        // model than the default is named.
        let heading = if !self.metrics.other_model {
            "Active per step (oldest waiting)".to_string()
        } else {
            format!("Active per {} step (oldest waiting)", model.id)
        };
        if compact {
            lines.push(Line::styled(
                heading.replace(" (oldest waiting)", ""),
                t.title,
            ));
            let pairs: Vec<(&str, String, Style)> = model
                .steps
                .iter()
                .enumerate()
                .map(|(i, step)| {
                    let n = m.active_per_step.get(i).copied().unwrap_or(0);
                    (step.short.as_str(), n.to_string(), t.text)
                })
                .collect();
            flow_pairs(lines, &pairs, width, t);
            return;
        }
        lines.push(Line::styled(heading, t.title));
        for (i, step) in model.steps.iter().enumerate() {
            let n = m.active_per_step.get(i).copied().unwrap_or(0);
            let oldest = m
                .oldest_per_step
                .get(i)
                .copied()
                .flatten()
                .map_or(String::new(), |o| format!(" #{} {}d", o.id, o.days));
            lines.push(Line::from(vec![
                Span::styled(format!("{:<name_w$} ", step.short), t.dim),
                Span::styled(bar(f64::from(n) / f64::from(max), bar_w), t.accent),
                Span::raw(format!(" {n:>4}")),
                Span::styled(oldest, t.dim),
            ]));
        }
    }
}

/// Label/value pairs packed left to right, wrapping at the pane's width.
fn flow_pairs(
    lines: &mut Vec<Line<'static>>,
    pairs: &[(&str, String, Style)],
    width: usize,
    t: &Theme,
) {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (label, value, style) in pairs {
        let len = label.len() + 1 + value.len();
        if used > 0 && used + 2 + len > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if used > 0 {
            spans.push(Span::raw("  "));
            used += 2;
        }
        spans.push(Span::styled(format!("{label} "), t.dim));
        spans.push(Span::styled(value.clone(), *style));
        used += len;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
}

fn kpi_lines(kpi: &Kpi, t: &Theme, width: usize) -> Vec<Line<'static>> {
    let unit = if kpi.unit.is_empty() {
        String::new()
    } else {
        format!(" ({})", kpi.unit)
    };
    let history: Vec<f64> = kpi.measurements.iter().map(|m| m.value).collect();
    let spark = sparkline(&history[history.len().saturating_sub(12)..]);
    let name_w = width.saturating_sub(spark.chars().count() + 3);
    let first = Line::from(vec![
        Span::raw("  "),
        Span::styled(fit(&format!("{}{unit}", kpi.name), name_w), t.text),
        Span::raw(" "),
        Span::styled(spark, t.accent),
    ]);
    let show = |v: Option<f64>| v.map_or("–".to_string(), decimal);
    let values = format!(
        "    {} → {} → {}",
        show(kpi.baseline.map(|b| b.0)),
        show(kpi.latest()),
        show(kpi.target.map(|b| b.0)),
    );
    let mut second = vec![Span::styled(values.clone(), t.dim)];
    if let Some(p) = kpi.progress() {
        let style = t.progress(p);
        let pct = format!(" {:>5} ", percent(p));
        let bar_w = width
            .saturating_sub(values.chars().count() + pct.len())
            .min(12);
        second.push(Span::styled(pct, style));
        second.push(Span::styled(bar(p, bar_w), t.gauge));
    }
    vec![first, Line::from(second)]
}

impl MetricsPane<'_> {
    /// The pane's lines, where each KPI starts among them, and how far
    /// they are scrolled in a pane whose inside is `inner`: what the view
    /// draws and where a click lands.
    fn view(&self, inner: Rect) -> (Vec<Line<'static>>, Vec<usize>, usize) {
        let width = usize::from(inner.width);
        let height = usize::from(inner.height);
        let lay_out = |compact: bool| {
            let mut lines = Vec::new();
            self.flow(&mut lines, width);
            lines.push(Line::raw(""));
            let starts = self.kpis(&mut lines, width);
            lines.push(Line::raw(""));
            self.per_step(&mut lines, width, compact);
            (lines, starts)
        };
        // Every step's count beats the oldest in each: packed when the
        // pane is too short for a line per step.
        let (mut lines, mut starts) = lay_out(false);
        if lines.len() > height {
            (lines, starts) = lay_out(true);
        }
        // Scroll just enough to keep the selected KPI (two lines) in view;
        // on the last KPI (j and G go no further) the pane shows its end,
        // so that every line can be reached.
        let max_scroll = lines.len().saturating_sub(height);
        let selected = self.metrics.selected;
        let scroll = if self.focused && selected + 1 >= starts.len() {
            max_scroll
        } else {
            starts
                .get(selected)
                .map_or(0, |at| (at + 2).saturating_sub(height))
        }
        .min(max_scroll);
        (lines, starts, scroll)
    }
}

/// Which KPI is drawn at row `y` of a metrics pane in `area`.
pub fn kpi_at(metrics: &Metrics, area: Rect, focused: bool, y: u16) -> Option<usize> {
    let theme = Theme::mono();
    let inner = theme.pane("", focused).inner(area);
    if y < inner.y || y >= inner.bottom() {
        return None;
    }
    let (_, starts, scroll) = MetricsPane::new(metrics, &theme, focused).view(inner);
    let line = scroll + usize::from(y - inner.y);
    // Each KPI takes two lines.
    starts.iter().position(|&at| line >= at && line < at + 2)
}

impl Widget for MetricsPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let t = self.theme;
        let block = t.pane(Span::styled(" Metrics ", t.title), self.focused);
        let inner = block.inner(area);
        let (width, height) = (usize::from(inner.width), usize::from(inner.height));
        let (lines, _, scroll) = self.view(inner);
        let below = lines.len().saturating_sub(scroll + height);
        overflow::mark_hidden(block, scroll, below, t).render(area, buf);
        let lines: Vec<Line> = lines
            .into_iter()
            .skip(scroll)
            .take(height)
            .map(|l| overflow::fit_line(l, width))
            .collect();
        Paragraph::new(lines).render(inner, buf);
    }
}
