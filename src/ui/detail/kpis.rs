//! The KPIs: baseline, latest and target, the gap closed and every
//! measurement.

use chrono::NaiveDate;
use ratatui::text::{Line, Span};

use super::DetailView;
use super::lines::{Lines, fit_spans, plural, spans_width};
use crate::domain::text::{decimal, percent};
use crate::domain::{DateFormat, Kpi};
use crate::ui::Theme;
use crate::ui::spark::{bar, sparkline};
use crate::ui::text::fit;

const KPI_BAR_W: usize = 12;

impl DetailView<'_> {
    pub(super) fn kpis(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let kpis = &self.detail.kpis;
        self.heading(out, format!("KPIs ({})", kpis.len()), w);
        if kpis.is_empty() {
            let hint = if self.model.id == "itil4" {
                "none yet: baselines are set in step 2 (Now)"
            } else {
                "none yet"
            };
            out.push(Line::styled(fit(hint, w), t.dim));
        }
        for kpi in kpis {
            kpi_lines(out, t, self.dates, kpi, w);
        }
    }
}

fn kpi_lines(out: &mut Lines, t: &Theme, dates: &DateFormat, kpi: &Kpi, w: usize) {
    // Name, unit and direction.
    let unit = if kpi.unit.trim().is_empty() {
        String::new()
    } else {
        format!(" ({})", kpi.unit)
    };
    let direction = format!(" · {} is better", kpi.direction.as_str());
    let name = fit(&format!("{}{unit}", kpi.name), w.saturating_sub(2));
    let mut head = vec![Span::raw("  "), Span::styled(name, t.title)];
    if 2 + spans_width(&head[1..]) + direction.len() <= w {
        head.push(Span::styled(direction, t.dim));
    }
    out.push(Line::from(fit_spans(head, w)));

    // Baseline → latest → target, in words when there is room.
    let value = |v: Option<f64>| v.map_or("–".to_string(), decimal);
    let latest = kpi.measurements.last();
    let when = |word: &str, d: Option<NaiveDate>| {
        d.map_or(String::new(), |d| format!(" {word} {}", dates.date(d)))
    };
    let words = vec![
        Span::raw("    "),
        Span::styled("baseline ", t.dim),
        Span::raw(value(kpi.baseline.map(|b| b.0))),
        Span::styled(when("on", kpi.baseline.map(|b| b.1)), t.dim),
        Span::styled(" → latest ", t.dim),
        Span::styled(value(kpi.latest()), t.accent),
        Span::styled(when("on", latest.map(|m| m.on)), t.dim),
        Span::styled(" → target ", t.dim),
        Span::raw(value(kpi.target.map(|b| b.0))),
        Span::styled(when("by", kpi.target.map(|b| b.1)), t.dim),
    ];
    let dated = vec![
        Span::raw("    "),
        Span::raw(value(kpi.baseline.map(|b| b.0))),
        Span::styled(when("on", kpi.baseline.map(|b| b.1)), t.dim),
        Span::styled(" → ", t.dim),
        Span::styled(value(kpi.latest()), t.accent),
        Span::styled(" → ", t.dim),
        Span::raw(value(kpi.target.map(|b| b.0))),
        Span::styled(when("by", kpi.target.map(|b| b.1)), t.dim),
    ];
    let bare = vec![
        Span::raw("    "),
        Span::raw(value(kpi.baseline.map(|b| b.0))),
        Span::styled(" → ", t.dim),
        Span::styled(value(kpi.latest()), t.accent),
        Span::styled(" → ", t.dim),
        Span::raw(value(kpi.target.map(|b| b.0))),
    ];
    let mut values = [words, dated]
        .into_iter()
        .find(|spans| spans_width(spans) <= w)
        .unwrap_or(bare);

    // Share of the gap closed.
    let mut gap = vec![Span::styled("gap closed ", t.dim)];
    match kpi.progress() {
        Some(p) => {
            gap.push(Span::styled(format!("{} ", percent(p)), t.progress(p)));
            gap.push(Span::styled(bar(p, KPI_BAR_W), t.gauge));
        }
        None => gap.push(Span::styled("–", t.dim)),
    }
    if spans_width(&values) + 2 + spans_width(&gap) <= w {
        values.push(Span::raw("  "));
        values.extend(gap);
        out.push(Line::from(fit_spans(values, w)));
    } else {
        out.push(Line::from(fit_spans(values, w)));
        let mut line = vec![Span::raw("    ")];
        line.extend(gap);
        out.push(Line::from(fit_spans(line, w)));
    }

    // History: a sparkline, then every dated value.
    if kpi.measurements.is_empty() {
        out.push(Line::styled(fit("    no measurements yet", w), t.dim));
        return;
    }
    let history: Vec<f64> = kpi.measurements.iter().map(|m| m.value).collect();
    let room = w.saturating_sub(4 + 16).max(1);
    let shown = &history[history.len().saturating_sub(room)..];
    out.push(Line::from(fit_spans(
        vec![
            Span::raw("    "),
            Span::styled(sparkline(shown), t.accent),
            Span::styled(
                format!("  {}", plural(history.len() as i64, "measurement")),
                t.dim,
            ),
        ],
        w,
    )));
    let mut line: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for m in &kpi.measurements {
        let item = [
            Span::styled(format!("{} ", dates.date(m.on)), t.dim),
            Span::raw(decimal(m.value)),
        ];
        let item_w = spans_width(&item);
        if used > 0 && used + 3 + item_w > w {
            out.push(Line::from(fit_spans(std::mem::take(&mut line), w)));
            used = 0;
        }
        if used == 0 {
            line.push(Span::raw("    "));
            used = 4;
        } else {
            line.push(Span::styled(" · ", t.dim));
            used += 3;
        }
        line.extend(item);
        used += item_w;
    }
    if !line.is_empty() {
        out.push(Line::from(fit_spans(line, w)));
    }
}
