//! The detail view: everything about one initiative on one scrollable page:
//! its fields, description, follow-up chain, every step of its model with
//! checklist completion, KPIs, notes and move history.
//!
//! Every string from the register goes through [`fit`] or [`wrap`], which
//! neutralise control characters, so nothing in the database reaches the
//! terminal raw.

use chrono::{DateTime, NaiveDate, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Padding, Paragraph, Widget};

use super::Theme;
use super::spark::{bar, sparkline};
use super::text::{fit, width as text_width, wrap};
use crate::domain::detail::{InitiativeDetail, MoveEntry, Note, NoteKind};
use crate::domain::history::{Event, Summary};
use crate::domain::text::sanitize;
use crate::domain::{DateFormat, Kpi, Model, Status};

/// Width of a field label column ("Raised by" and a space).
const LABEL_W: usize = 11;
/// Narrowest column of the field grid.
const MIN_CELL_W: usize = 34;
const MAX_GRID_COLS: usize = 4;
const GRID_GAP: usize = 2;
/// Due within this many days is flagged as due soon.
const DUE_SOON_DAYS: i64 = 7;
/// Width of the checklist completion bars.
const STEP_BAR_W: usize = 10;
const KPI_BAR_W: usize = 12;
/// Columns of a note's kind ("decision" and two spaces) after its date.
const NOTE_KIND_W: usize = 10;

type Lines = Vec<Line<'static>>;

pub struct DetailView<'a> {
    detail: &'a InitiativeDetail,
    model: &'a Model,
    theme: &'a Theme,
    scroll: u16,
    now: DateTime<Utc>,
    today: NaiveDate,
    dates: &'a DateFormat,
}

/// ISO dates, for views built without a configured format.
static ISO: std::sync::LazyLock<DateFormat> = std::sync::LazyLock::new(DateFormat::default);

impl<'a> DetailView<'a> {
    pub fn new(
        detail: &'a InitiativeDetail,
        model: &'a Model,
        theme: &'a Theme,
        scroll: u16,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Self {
        DetailView {
            detail,
            model,
            theme,
            scroll,
            now,
            today,
            dates: &ISO,
        }
    }

    /// Shows dates in this format (ISO 8601 unless set).
    #[must_use]
    pub fn dates(mut self, dates: &'a DateFormat) -> Self {
        self.dates = dates;
        self
    }

    fn ymd(&self, at: DateTime<Utc>) -> String {
        self.dates.day(at)
    }

    /// Lines of content when the view is drawn `width` columns wide
    /// (borders included, as the view's area).
    pub fn line_count(&self, width: u16) -> usize {
        self.lines(content_width(width)).len()
    }

    /// The largest useful scroll offset for an area: scrolling further shows
    /// nothing new, so the view clamps to this.
    pub fn max_scroll(&self, area: Rect) -> u16 {
        let inner = frame().inner(Rect::new(0, 0, area.width, area.height));
        let lines = self.lines(usize::from(inner.width)).len();
        clamp_u16(lines.saturating_sub(usize::from(inner.height)))
    }

    fn title(&self, width: u16) -> Line<'static> {
        let t = self.theme;
        let id = format!(" #{} ", self.detail.id);
        let room = usize::from(width)
            .saturating_sub(4)
            .saturating_sub(id.len() + 1);
        Line::from(vec![
            Span::styled(id, t.dim),
            Span::styled(format!("{} ", fit(&self.detail.title, room)), t.title),
        ])
    }

    /// All content lines for a content area `width` columns wide.
    fn lines(&self, width: usize) -> Lines {
        let w = width.max(1);
        let mut out = Vec::new();
        self.fields(&mut out, w);
        self.description(&mut out, w);
        self.chain(&mut out, w);
        self.steps(&mut out, w);
        self.kpis(&mut out, w);
        self.notes(&mut out, w);
        self.history(&mut out, w);
        out
    }

    fn heading(&self, out: &mut Lines, text: String, w: usize) {
        if !out.is_empty() {
            out.push(Line::raw(""));
        }
        out.push(Line::styled(fit(&text, w), self.theme.title));
    }

    fn fields(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let d = self.detail;
        let label_w = LABEL_W.min(w / 3);

        // Status, with why it is held or how it was closed.
        let mut status = vec![Span::styled(d.status.label(), status_style(t, d.status))];
        if let Some(code) = d.closure_code.as_deref().filter(|_| !d.status.is_open()) {
            let style = match code {
                "successful" => t.ok,
                "unsuccessful" => t.warn,
                _ => t.dim,
            };
            status.push(Span::styled(" · ", t.dim));
            status.push(Span::styled(code.to_string(), style));
        }
        out.push(labelled(t, "Status", label_w, status, w));
        if let Some(reason) = d.hold_reason.as_deref().filter(|r| !r.trim().is_empty()) {
            wide(out, t, "Reason", label_w, reason, t.warn, w);
        }
        if let Some(realised) = d.realised.as_deref().filter(|r| !r.trim().is_empty()) {
            wide(out, t, "Realised", label_w, realised, t.text, w);
        }
        if let Some(why) = d.cancel_reason.as_deref().filter(|r| !r.trim().is_empty()) {
            wide(out, t, "Cancelled", label_w, why, t.warn, w);
        }

        // Where it is in its model.
        let def = self.model.def(d.step);
        let mut step = vec![
            Span::styled(format!("{} of {}", d.step, self.model.len()), t.text),
            Span::styled(" · ", t.dim),
            Span::styled(def.short.clone(), t.accent),
        ];
        match (d.status, d.done_at) {
            (Status::Done, Some(done)) => {
                step.push(Span::styled(
                    format!(" · completed {}", self.ymd(done)),
                    t.dim,
                ));
            }
            (Status::Active | Status::OnHold, _) => {
                let days = d.days_in_step(self.now);
                step.push(Span::styled(
                    format!(" · {} in step", plural(days, "day")),
                    t.dim,
                ));
            }
            _ => {}
        }
        out.push(labelled(t, "Step", label_w, step, w));
        out.push(labelled(t, "Due", label_w, self.due(), w));

        // The short fields, in a grid as wide as the screen allows.
        let weight = num(d.effort.weight());
        let mut cells: Vec<(&str, Vec<Span<'static>>)> = vec![
            (
                "Priority",
                vec![Span::styled(
                    format!("P{}", d.priority),
                    priority_style(t, d.priority),
                )],
            ),
            ("Value", vec![Span::raw(format!("{} of 10", d.value))]),
            (
                "Effort",
                vec![
                    Span::raw(d.effort.as_str()),
                    Span::styled(format!(" (weight {weight})"), t.dim),
                ],
            ),
            (
                "Score",
                vec![
                    Span::styled(format!("{:.1}", d.score()), t.accent),
                    Span::styled(format!(" = {} / {weight}", d.value), t.dim),
                ],
            ),
            ("Owner", text_or_dash(t, &d.owner)),
            ("Raised by", text_or_dash(t, &d.raised_by)),
            ("Area", text_or_dash(t, d.area.as_deref().unwrap_or(""))),
            ("Created", vec![Span::raw(self.ymd(d.created_at))]),
            ("Updated", vec![Span::raw(self.ymd(d.updated_at))]),
            (
                "Returns",
                vec![Span::styled(
                    d.returns.to_string(),
                    if d.returns > 0 { t.warn } else { t.dim },
                )],
            ),
        ];
        if let (Some(done), false) = (d.done_at, d.status == Status::Done) {
            cells.push(("Done at", vec![Span::raw(self.ymd(done))]));
        }
        grid(out, t, &cells, label_w, w);

        // Longer text gets whole lines.
        match &d.goal {
            Some(goal) => {
                wide(out, t, "Goal", label_w, &goal.name, t.text, w);
                if !goal.description.trim().is_empty() {
                    wide(out, t, "", label_w, &goal.description, t.dim, w);
                }
            }
            None => out.push(labelled(t, "Goal", label_w, dash(t), w)),
        }
        if d.source.trim().is_empty() {
            out.push(labelled(t, "Source", label_w, dash(t), w));
        } else {
            wide(out, t, "Source", label_w, &d.source, t.text, w);
        }
        let tags: Vec<&str> = d
            .tags
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if tags.is_empty() {
            out.push(labelled(t, "Tags", label_w, dash(t), w));
        } else {
            wide(out, t, "Tags", label_w, &tags.join(", "), t.accent, w);
        }
    }

    /// The due date with an overdue or due-soon flag while open.
    fn due(&self) -> Vec<Span<'static>> {
        let t = self.theme;
        let Some(due) = self.detail.due else {
            return dash(t);
        };
        let mut spans = vec![Span::raw(self.dates.date(due))];
        if self.detail.status.is_open() {
            let days = (due - self.today).num_days();
            let (flag, style) = match days {
                d if d < 0 => (format!(" · {} overdue", plural(-d, "day")), t.error),
                0 => (" · due today".to_string(), t.warn),
                d if d <= DUE_SOON_DAYS => (format!(" · due in {}", plural(d, "day")), t.warn),
                d => (format!(" · due in {}", plural(d, "day")), t.dim),
            };
            spans.push(Span::styled(flag, style));
        }
        spans
    }

    fn description(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        self.heading(out, "Description".into(), w);
        if self.detail.description.trim().is_empty() {
            out.push(Line::styled("(none)", t.dim));
            return;
        }
        for line in paragraphs(&self.detail.description, w) {
            out.push(Line::styled(line, t.text));
        }
    }

    fn chain(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let d = self.detail;
        self.heading(out, "Follow-up chain".into(), w);
        if d.parent.is_none() && d.children.is_empty() {
            out.push(Line::styled(
                fit("no parent and no follow-ups yet", w),
                t.dim,
            ));
            return;
        }
        let link =
            |mark: &str, id: i64, title: &str, style: Style, suffix: Option<(String, Style)>| {
                let mut spans = vec![
                    Span::styled(format!("{mark} "), t.accent),
                    Span::styled(format!("#{id} "), t.dim),
                ];
                let used = text_width(mark) + 1 + format!("#{id} ").len();
                let suffix_w = suffix.as_ref().map_or(0, |(s, _)| text_width(s));
                spans.push(Span::styled(
                    fit(title, w.saturating_sub(used + suffix_w)),
                    style,
                ));
                if let Some((s, style)) = suffix {
                    spans.push(Span::styled(s, style));
                }
                Line::from(fit_spans(spans, w))
            };
        if let Some((id, title)) = &d.parent {
            out.push(link(
                "↑",
                *id,
                title,
                t.text,
                Some((" (parent)".into(), t.dim)),
            ));
        }
        out.push(link(
            "●",
            d.id,
            &d.title,
            t.title,
            Some((" (this one)".into(), t.dim)),
        ));
        for (id, title, status) in &d.children {
            out.push(link(
                "↓",
                *id,
                title,
                t.text,
                Some((format!(" ({})", status.label()), status_style(t, *status))),
            ));
        }
    }

    fn steps(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let d = self.detail;
        self.heading(out, format!("Steps · {}", self.model.name), w);
        let short_w = self
            .model
            .steps
            .iter()
            .map(|s| text_width(&sanitize(&s.short)))
            .max()
            .unwrap_or(0);
        let num_w = self.model.len().to_string().len();
        let finished = d.status == Status::Done;
        for step in self.model.steps() {
            let def = self.model.def(step);
            let current = step == d.step && !finished;
            let (marker, marker_style) = if step < d.step || (finished && step <= d.step) {
                ("✓", t.ok)
            } else if current {
                ("▶", t.accent.patch(t.title))
            } else {
                ("·", t.dim)
            };
            let (done, total) = d.checklist_completion(step);
            let name_style = if current {
                t.accent.patch(t.title)
            } else if step > d.step {
                t.dim
            } else {
                t.text
            };
            let mut spans = vec![
                Span::styled(format!("{marker} "), marker_style),
                Span::styled(
                    format!(
                        "{:>num_w$} {:<short_w$}",
                        step.number(),
                        fit(&def.short, short_w)
                    ),
                    name_style,
                ),
                Span::styled(format!("  {done:>2}/{total:<2}"), name_style),
            ];
            let used: usize = 2 + num_w + 1 + short_w + 7;
            if w >= used + 1 + STEP_BAR_W {
                let ratio = if total == 0 {
                    0.0
                } else {
                    done as f64 / total as f64
                };
                spans.push(Span::raw(" "));
                spans.push(Span::styled(bar(ratio, STEP_BAR_W), t.gauge));
                let room = w.saturating_sub(used + 1 + STEP_BAR_W + 2);
                if room >= 12 {
                    spans.push(Span::styled(
                        format!("  {}", fit(&def.question, room)),
                        t.dim,
                    ));
                }
            }
            out.push(Line::from(fit_spans(spans, w)));
            if current {
                self.current_items(out, w);
            }
        }
    }

    /// The current step's checklist under its line.
    fn current_items(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let mut any = false;
        let indent = 4 + 4;
        for item in self.detail.checklist_of(self.detail.step) {
            any = true;
            let (mark, style) = if item.is_done() {
                ("[x] ", t.dim)
            } else {
                ("[ ] ", t.text)
            };
            let lines = wrap(&item.text, w.saturating_sub(indent));
            let last = lines.len() - 1;
            for (i, text) in lines.into_iter().enumerate() {
                let lead = if i == 0 {
                    Span::styled(format!("    {mark}"), t.accent)
                } else {
                    Span::raw(" ".repeat(indent))
                };
                let used = indent + text_width(&text);
                let mut spans = vec![lead, Span::styled(text, style)];
                if i == last
                    && let Some(done) = item.done_at
                {
                    let date = format!("  {}", self.ymd(done));
                    if used + date.len() <= w {
                        spans.push(Span::styled(date, t.dim));
                    }
                }
                out.push(Line::from(fit_spans(spans, w)));
            }
        }
        if !any {
            out.push(Line::styled(fit("    no checklist items", w), t.dim));
        }
    }

    fn kpis(&self, out: &mut Lines, w: usize) {
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

    fn notes(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let notes = &self.detail.notes;
        self.heading(out, format!("Notes ({})", notes.len()), w);
        if notes.is_empty() {
            out.push(Line::styled(fit("none yet", w), t.dim));
        }
        for note in notes {
            note_lines(out, t, self.dates, note, w);
        }
    }

    /// Every change, oldest first, with when and who. A detail read
    /// without its history (an older reader) shows the move log instead.
    fn history(&self, out: &mut Lines, w: usize) {
        if self.detail.history.is_empty() {
            return self.move_history(out, w);
        }
        let t = self.theme;
        let d = self.detail;
        let returns = d.moves.iter().filter(|m| m.is_return()).count();
        self.heading(
            out,
            format!(
                "History ({}, {})",
                plural(d.history.len() as i64, "change"),
                plural(returns as i64, "return")
            ),
            w,
        );
        let indent = self.dates.stamp_width() + 2;
        let who_w = d
            .history
            .iter()
            .map(|e| unicode_width::UnicodeWidthStr::width(e.author()))
            .max()
            .unwrap_or(0)
            .min(12);
        let narrow = w < indent + who_w + 24;
        for e in &d.history {
            let style = match &e.event {
                Some(Event::Moved { back: true, .. }) => t.warn,
                Some(Event::Closed { code, .. }) if code == "successful" => t.ok,
                Some(Event::Closed { .. } | Event::Cancelled { .. }) => t.warn,
                Some(Event::Deleted { .. } | Event::Undone { .. }) => t.dim,
                _ => t.text,
            };
            let when = Span::styled(pad(self.dates.stamp(e.at), indent), t.dim);
            let who = Span::styled(pad(fit(e.author(), who_w), who_w + 2), t.accent);
            let text_at = if narrow { 2 } else { indent + who_w + 2 };
            let text = match &e.event {
                // Steps by name here: the view knows the model.
                Some(ev @ Event::Moved { from, to, .. }) if from != to => {
                    let numbers = format!("{from} → {to}");
                    let names = format!("{} → {}", self.step_name(*from), self.step_name(*to));
                    Summary(ev).to_string().replacen(&numbers, &names, 1)
                }
                _ => e.summary(),
            };
            let mut lines = paragraphs(&text, w.saturating_sub(text_at)).into_iter();
            let first = if narrow {
                out.push(Line::from(fit_spans(vec![when, who], w)));
                lines
                    .next()
                    .map(|l| vec![Span::raw("  "), Span::styled(l, style)])
            } else {
                lines
                    .next()
                    .map(|l| vec![when, who, Span::styled(l, style)])
            };
            if let Some(first) = first {
                out.push(Line::from(fit_spans(first, w)));
            }
            for line in lines {
                out.push(Line::from(fit_spans(
                    vec![Span::raw(" ".repeat(text_at)), Span::styled(line, style)],
                    w,
                )));
            }
        }
    }

    fn move_history(&self, out: &mut Lines, w: usize) {
        let t = self.theme;
        let d = self.detail;
        let returns = d.moves.iter().filter(|m| m.is_return()).count();
        self.heading(
            out,
            format!(
                "Move history ({}, {})",
                plural(d.moves.len() as i64, "move"),
                plural(returns as i64, "return")
            ),
            w,
        );
        if d.moves.is_empty() {
            out.push(Line::styled(fit("no moves recorded", w), t.dim));
        }
        for mv in &d.moves {
            self.move_lines(out, mv, w);
        }
    }

    fn step_name(&self, n: i64) -> String {
        match self.model.step(n) {
            Some(s) => self.model.def(s).short.clone(),
            None => format!("step {n}"),
        }
    }

    fn move_lines(&self, out: &mut Lines, mv: &MoveEntry, w: usize) {
        let t = self.theme;
        // The stamp and two spaces, padded so that every move's text
        // starts in one column whatever the date.
        let move_indent = self.dates.stamp_width() + 2;
        let when = Span::styled(pad(self.dates.stamp(mv.at), move_indent), t.dim);
        let what = match mv.from {
            None => vec![
                Span::styled("created at ", t.dim),
                Span::styled(self.step_name(mv.to), t.text),
            ],
            Some(_) if mv.is_completion() => vec![
                Span::styled("✓ completed ", t.ok),
                Span::styled(self.step_name(mv.to), t.ok),
            ],
            Some(from) => {
                let style = if mv.is_return() { t.warn } else { t.text };
                vec![
                    Span::styled(if mv.is_return() { "↩ " } else { "" }, t.warn),
                    Span::styled(self.step_name(from), style),
                    Span::styled(" → ", t.dim),
                    Span::styled(self.step_name(mv.to), style),
                ]
            }
        };
        let narrow = w < move_indent + 20;
        let mut spans = vec![when];
        spans.extend(what);
        out.push(Line::from(fit_spans(spans, w)));
        if let Some(reason) = mv.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            let indent = if narrow { 2 } else { move_indent + 2 };
            let style = if mv.is_return() { t.text } else { t.dim };
            for line in paragraphs(reason, w.saturating_sub(indent)) {
                out.push(Line::from(fit_spans(
                    vec![Span::raw(" ".repeat(indent)), Span::styled(line, style)],
                    w,
                )));
            }
        }
    }
}

/// The block around the view; its inner area is the content area.
fn frame() -> Block<'static> {
    Block::bordered().padding(Padding::horizontal(1))
}

fn content_width(width: u16) -> usize {
    usize::from(frame().inner(Rect::new(0, 0, width, 2)).width)
}

fn clamp_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

impl Widget for DetailView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let t = self.theme;
        let inner = frame().inner(area);
        let lines = self.lines(usize::from(inner.width));
        let height = usize::from(inner.height);
        let max_scroll = lines.len().saturating_sub(height);
        let scroll = usize::from(self.scroll).min(max_scroll);
        // Styled as the terminal allows; the same size as `frame()`.
        let mut block = t
            .block()
            .padding(Padding::horizontal(1))
            .border_style(t.border_focused)
            .title(self.title(area.width));
        if lines.len() > height && height > 0 {
            let last = (scroll + height).min(lines.len());
            let position = format!(" {}–{} of {} ", scroll + 1, last, lines.len());
            if text_width(&position) + 4 <= usize::from(area.width) {
                block = block.title_bottom(Line::styled(position, t.dim).right_aligned());
            }
        }
        block.render(area, buf);
        Paragraph::new(lines)
            .scroll((clamp_u16(scroll), 0))
            .render(inner, buf);
    }
}

fn status_style(t: &Theme, s: Status) -> Style {
    match s {
        Status::Active | Status::Done => t.ok,
        Status::OnHold => t.warn,
        Status::Cancelled => t.dim,
    }
}

fn priority_style(t: &Theme, p: u8) -> Style {
    match p {
        1 => t.error,
        2 => t.warn,
        _ => t.text,
    }
}

/// `text` and spaces up to `width` columns.
fn pad(text: String, width: usize) -> String {
    let room = width.saturating_sub(text_width(&text));
    text + &" ".repeat(room)
}

fn plural(n: i64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn num(v: f64) -> String {
    if let Some(s) = crate::domain::text::extreme_number(v) {
        return s;
    }
    if v.fract().abs() < 1e-9 && v.abs() < 1e12 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

fn dash(t: &Theme) -> Vec<Span<'static>> {
    vec![Span::styled("–", t.dim)]
}

fn text_or_dash(t: &Theme, s: &str) -> Vec<Span<'static>> {
    if s.trim().is_empty() {
        dash(t)
    } else {
        // Cut to its cell by `fit_spans`, which sanitises.
        vec![Span::styled(s.to_string(), t.text)]
    }
}

/// Sanitises each span and cuts the line to `width` columns, ending with
/// `…` where it was cut.
fn fit_spans(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let mut left = width;
    let mut out = Vec::with_capacity(spans.len());
    for span in spans {
        if left == 0 {
            break;
        }
        let safe = sanitize(&span.content);
        let w = text_width(&safe);
        if w <= left {
            left -= w;
            out.push(Span::styled(safe.into_owned(), span.style));
        } else {
            out.push(Span::styled(fit(&safe, left), span.style));
            break;
        }
    }
    out
}

/// Width of a line made of safe spans.
fn spans_width(spans: &[Span<'_>]) -> usize {
    spans.iter().map(|s| text_width(&s.content)).sum()
}

/// A label and a one-line value, cut to the width.
fn labelled(
    t: &Theme,
    label: &str,
    label_w: usize,
    value: Vec<Span<'static>>,
    w: usize,
) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!("{:<label_w$}", fit(label, label_w.saturating_sub(1))),
        t.dim,
    )];
    spans.extend(fit_spans(value, w.saturating_sub(label_w)));
    Line::from(fit_spans(spans, w))
}

/// A label and register text wrapped beside it.
fn wide(
    out: &mut Lines,
    t: &Theme,
    label: &str,
    label_w: usize,
    text: &str,
    style: Style,
    w: usize,
) {
    for (i, line) in paragraphs(text, w.saturating_sub(label_w))
        .into_iter()
        .enumerate()
    {
        let lead = if i == 0 {
            format!("{:<label_w$}", fit(label, label_w.saturating_sub(1)))
        } else {
            " ".repeat(label_w)
        };
        out.push(Line::from(fit_spans(
            vec![Span::styled(lead, t.dim), Span::styled(line, style)],
            w,
        )));
    }
}

/// Short fields in columns, filled top to bottom then left to right.
fn grid(
    out: &mut Lines,
    t: &Theme,
    cells: &[(&str, Vec<Span<'static>>)],
    label_w: usize,
    w: usize,
) {
    let cols = (w / MIN_CELL_W).clamp(1, MAX_GRID_COLS);
    let rows = cells.len().div_ceil(cols);
    // Each column as wide as its widest cell, and the room left shared
    // out, so that a long value next to short ones is shown whole; when
    // the cells do not fit so, equal columns cut the long ones.
    let room = w.saturating_sub(GRID_GAP * (cols - 1));
    let natural: Vec<usize> = (0..cols)
        .map(|c| {
            cells
                .iter()
                .skip(c * rows)
                .take(rows)
                .map(|(_, v)| label_w + spans_width(v))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let total: usize = natural.iter().sum();
    let widths: Vec<usize> = if total <= room {
        natural.iter().map(|n| n + (room - total) / cols).collect()
    } else {
        vec![room / cols; cols]
    };
    for r in 0..rows {
        let mut spans = Vec::new();
        for (c, &col_w) in widths.iter().enumerate() {
            let Some((label, value)) = cells.get(c * rows + r) else {
                break;
            };
            if c > 0 {
                spans.push(Span::raw(" ".repeat(GRID_GAP)));
            }
            let cell = labelled(t, label, label_w, value.clone(), col_w);
            let used = spans_width(&cell.spans);
            spans.extend(cell.spans);
            if c + 1 < cols {
                spans.push(Span::raw(" ".repeat(col_w.saturating_sub(used))));
            }
        }
        out.push(Line::from(fit_spans(spans, w)));
    }
}

/// Register text wrapped to `width`, keeping its own line breaks.
fn paragraphs(text: &str, width: usize) -> Vec<String> {
    text.trim_end()
        .split('\n')
        .flat_map(|p| wrap(p.trim_end_matches('\r'), width))
        .collect()
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
    let value = |v: Option<f64>| v.map_or("–".to_string(), num);
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
            let style = if p >= 1.0 {
                t.ok
            } else if p < 0.0 {
                t.error
            } else {
                t.text
            };
            gap.push(Span::styled(format!("{:.0}% ", p * 100.0), style));
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
            Span::raw(num(m.value)),
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

fn note_lines(out: &mut Lines, t: &Theme, dates: &DateFormat, note: &Note, w: usize) {
    // Date, a space and the kind before the body.
    let note_indent = dates.width() + 1 + NOTE_KIND_W;
    let kind_style = match note.kind {
        NoteKind::Work => t.text,
        NoteKind::Decision => t.accent,
        NoteKind::Lesson => t.ok,
    };
    let head = vec![
        Span::styled(pad(dates.day(note.at), dates.width() + 1), t.dim),
        Span::styled(
            format!("{:<w$}", note.kind.as_str(), w = NOTE_KIND_W),
            kind_style,
        ),
    ];
    let narrow = w < note_indent + 20;
    let indent = if narrow { 2 } else { note_indent };
    let body = paragraphs(&note.body, w.saturating_sub(indent));
    if narrow {
        out.push(Line::from(fit_spans(head, w)));
        for line in body {
            out.push(Line::from(fit_spans(
                vec![Span::raw(" ".repeat(indent)), Span::styled(line, t.text)],
                w,
            )));
        }
        return;
    }
    for (i, line) in body.into_iter().enumerate() {
        let mut spans = if i == 0 {
            head.clone()
        } else {
            vec![Span::raw(" ".repeat(indent))]
        };
        spans.push(Span::styled(line, t.text));
        out.push(Line::from(fit_spans(spans, w)));
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::domain::detail::Goal;
    use crate::domain::initiative::Measurement;
    use crate::domain::{ChecklistItem, Effort, KpiDirection};

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 30, 0).unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn now() -> DateTime<Utc> {
        at(2026, 3, 2, 12)
    }

    /// An initiative at Check, back once from Check to Plan, with every part
    /// filled in.
    fn sample(model: &Model) -> InitiativeDetail {
        let step = |n: i64| model.step(n).unwrap();
        let mut checklist = Vec::new();
        for s in model.steps() {
            for (pos, text) in model.def(s).checklist.iter().enumerate() {
                checklist.push(ChecklistItem {
                    id: checklist.len() as i64 + 1,
                    step: s,
                    position: pos as i64,
                    text: text.clone(),
                    done_at: (s.number() < 6 || pos < 2).then(|| at(2026, 1, 10, 9)),
                });
            }
        }
        let mv = |from: Option<i64>, to: i64, at: DateTime<Utc>, reason: Option<&str>| MoveEntry {
            from,
            to,
            at,
            reason: reason.map(String::from),
        };
        InitiativeDetail {
            id: 12,
            title: "Cut P1 incident MTTR".into(),
            description: "P1 incidents take 7.5 hours on average to restore, mostly lost finding \
                          the right people.\nIntroduce an incident commander rota."
                .into(),
            source: "Post-incident review of INC-48213".into(),
            model: model.id.clone(),
            step: step(6),
            status: Status::Active,
            hold_reason: None,
            closure_code: None,
            realised: None,
            priority: 1,
            value: 9,
            effort: Effort::L,
            owner: "Marcus".into(),
            raised_by: "Jonas".into(),
            area: Some("process".into()),
            tags: "incident,mttr".into(),
            goal: Some(Goal {
                id: 1,
                name: "Fewer, shorter outages".into(),
                description: "Availability of customer-facing services".into(),
            }),
            due: Some(day(2026, 3, 10)),
            created_at: at(2025, 9, 1, 9),
            updated_at: at(2026, 2, 26, 16),
            step_entered_at: at(2026, 2, 26, 16),
            done_at: None,
            returns: 1,
            version: 7,
            parent: Some((3, "Major incident process review".into())),
            children: vec![(20, "Commander rota for night shift".into(), Status::OnHold)],
            checklist,
            kpis: vec![Kpi {
                id: 1,
                name: "P1 mean time to restore".into(),
                unit: "h".into(),
                direction: KpiDirection::LowerIsBetter,
                baseline: Some((7.5, day(2025, 9, 15))),
                target: Some((4.0, day(2026, 3, 31))),
                measurements: vec![
                    Measurement {
                        value: 6.9,
                        on: day(2025, 11, 1),
                    },
                    Measurement {
                        value: 5.4,
                        on: day(2025, 12, 1),
                    },
                    Measurement {
                        value: 4.2,
                        on: day(2026, 2, 1),
                    },
                ],
            }],
            notes: vec![
                Note {
                    id: 1,
                    kind: NoteKind::Decision,
                    body: "Adopt swarming for P1s instead of tiered escalation.".into(),
                    at: at(2025, 10, 2, 10),
                },
                Note {
                    id: 2,
                    kind: NoteKind::Lesson,
                    body:
                        "Night-shift P1s stayed slow: the commander role had no cover after 22:00."
                            .into(),
                    at: at(2026, 1, 20, 10),
                },
            ],
            cancel_reason: None,
            history: Vec::new(),
            moves: vec![
                mv(None, 1, at(2025, 9, 1, 9), None),
                mv(Some(1), 2, at(2025, 9, 10, 9), None),
                mv(Some(2), 3, at(2025, 9, 20, 9), None),
                mv(Some(3), 4, at(2025, 10, 1, 9), None),
                mv(Some(4), 5, at(2025, 10, 15, 9), None),
                mv(Some(5), 6, at(2025, 12, 20, 9), None),
                mv(
                    Some(6),
                    4,
                    at(2026, 1, 5, 9),
                    Some("Targets missed, re-plan: MTTR 5.4 h against a 4 h target"),
                ),
                mv(Some(4), 5, at(2026, 1, 12, 9), None),
                mv(Some(5), 6, at(2026, 2, 26, 16), None),
            ],
        }
    }

    fn render(detail: &InitiativeDetail, w: u16, h: u16, scroll: u16) -> Buffer {
        let model = Model::itil4();
        let theme = Theme::color();
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|f| {
                let view = DetailView::new(detail, &model, &theme, scroll, now(), day(2026, 3, 2));
                f.render_widget(view, f.area());
            })
            .unwrap();
        terminal.backend().buffer().clone()
    }

    fn text(buf: &Buffer) -> String {
        let mut s = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                s.push_str(buf[(x, y)].symbol());
            }
            s.push('\n');
        }
        s
    }

    /// The whole content, drawn tall enough to need no scrolling.
    fn full_text(detail: &InitiativeDetail, w: u16) -> String {
        let model = Model::itil4();
        let theme = Theme::color();
        let view = DetailView::new(detail, &model, &theme, 0, now(), day(2026, 3, 2));
        let h = view.line_count(w) as u16 + 2;
        text(&render(detail, w, h, 0))
    }

    #[test]
    fn shows_every_part_at_80_columns() {
        let model = Model::itil4();
        let d = sample(&model);
        let first = text(&render(&d, 80, 22, 0));
        assert!(first.contains("#12 Cut P1 incident MTTR"), "{first}");
        assert!(first.contains("Status"), "{first}");
        assert!(first.contains("6 of 7 · Check · 3 days in step"), "{first}");
        assert!(first.contains("2026-03-10 · due in 8 days"), "{first}");
        assert!(first.contains("3.0"), "score: {first}");

        let all = full_text(&d, 80);
        for def in &model.steps {
            assert!(all.contains(&def.short), "step {}: {all}", def.short);
        }
        assert!(all.contains("▶ 6 Check"), "{all}");
        assert!(all.contains("✓ 5 Act"), "{all}");
        assert!(all.contains("· 7 Momentum"), "{all}");
        // Under the current step, its checklist.
        let check_item = &model.steps[5].checklist[0];
        assert!(all.contains(&format!("[x] {check_item}")), "{all}");
        assert!(all.contains("[ ] "), "{all}");
        assert!(all.contains("P1 mean time to restore (h)"), "{all}");
        assert!(
            all.contains("7.5 on 2025-09-15 → 4.2 → 4 by 2026-03-31"),
            "{all}"
        );
        assert!(all.contains("gap closed"), "{all}");
        assert!(all.contains("2026-02-01 4.2"), "{all}");
        assert!(all.contains("2025-10-02 decision"), "{all}");
        assert!(all.contains("Adopt swarming"), "{all}");
        assert!(all.contains("↩ Check → Plan"), "{all}");
        assert!(all.contains("Targets missed, re-plan"), "{all}");
        assert!(all.contains("created at Vision"), "{all}");
        assert!(all.contains("↑ #3 Major incident process review"), "{all}");
        assert!(
            all.contains("↓ #20 Commander rota for night shift (on hold)"),
            "{all}"
        );
        assert!(all.contains("Fewer, shorter outages"), "{all}");
    }

    #[test]
    fn step_completion_is_counted_per_step() {
        let model = Model::itil4();
        let d = sample(&model);
        let all = full_text(&d, 120);
        let n = model.steps[5].checklist.len();
        let line = all
            .lines()
            .find(|l| l.contains("▶ 6 Check"))
            .expect("current step line");
        assert!(line.contains(&format!(" 2/{n}")), "{line}");
        let plan_total = model.steps[3].checklist.len();
        let plan = all.lines().find(|l| l.contains("✓ 4 Plan")).unwrap();
        assert!(
            plan.contains(&format!("{plan_total}/{plan_total}")),
            "{plan}"
        );
        assert!(plan.contains("██████████"), "{plan}");
    }

    #[test]
    fn hostile_text_never_reaches_the_buffer_raw() {
        let model = Model::itil4();
        let mut d = sample(&model);
        let evil = "evil\x1b[2J\u{202e}txt\u{9b}31m\x07";
        d.title = format!("Title {evil}");
        d.description = format!("Desc {evil}");
        d.owner = evil.into();
        d.source = evil.into();
        d.tags = format!("a,{evil}");
        d.hold_reason = Some(evil.into());
        d.status = Status::OnHold;
        d.parent = Some((3, evil.into()));
        d.children[0].1 = evil.into();
        d.goal.as_mut().unwrap().name = evil.into();
        d.notes[0].body = format!("Note {evil}");
        d.kpis[0].name = evil.into();
        d.kpis[0].unit = evil.into();
        d.moves[6].reason = Some(format!("Reason {evil}"));
        d.checklist.iter_mut().for_each(|i| i.text = evil.into());
        for (w, h) in [(80, 22), (200, 60), (30, 10)] {
            let model = Model::itil4();
            let theme = Theme::color();
            let view = DetailView::new(&d, &model, &theme, 0, now(), day(2026, 3, 2));
            let rows = view.line_count(w) as u16 + 2;
            for scroll in [0, 10, 40] {
                let buf = render(&d, w, h.max(rows), scroll);
                for cell in buf.content() {
                    let s = cell.symbol();
                    assert!(
                        !s.chars().any(|c| c.is_control() || c == '\u{202e}'),
                        "{w}x{h}: raw {s:?}"
                    );
                }
            }
        }
        let all = full_text(&d, 80);
        assert!(all.contains("Title evil␛[2Jtxt"), "{all}");
        assert!(all.contains("Note evil␛[2J"), "{all}");
        assert!(all.contains("Reason evil␛[2J"), "{all}");
    }

    #[test]
    fn never_panics_at_any_size() {
        let model = Model::itil4();
        let mut d = sample(&model);
        let mut empty = sample(&model);
        empty.kpis.clear();
        empty.notes.clear();
        empty.moves.clear();
        empty.checklist.clear();
        empty.children.clear();
        empty.parent = None;
        empty.goal = None;
        empty.description.clear();
        empty.due = None;
        d.title = "改善".repeat(500);
        d.notes[1].body = "x".repeat(5_000);
        for detail in [&d, &empty] {
            for (w, h) in [
                (0, 0),
                (1, 1),
                (2, 2),
                (3, 3),
                (10, 3),
                (20, 5),
                (40, 12),
                (80, 22),
                (250, 80),
            ] {
                for scroll in [0, 1, 30, u16::MAX] {
                    render(detail, w, h, scroll);
                }
            }
        }
    }

    #[test]
    fn scroll_clamps_at_the_end() {
        let model = Model::itil4();
        let theme = Theme::color();
        let d = sample(&model);
        let view = DetailView::new(&d, &model, &theme, 0, now(), day(2026, 3, 2));
        let area = Rect::new(0, 0, 80, 22);
        let max = view.max_scroll(area);
        assert_eq!(usize::from(max), view.line_count(80) - 20);
        let at_end = render(&d, 80, 22, max);
        assert_eq!(render(&d, 80, 22, u16::MAX), at_end);
        assert_eq!(render(&d, 80, 22, max + 5), at_end);
        // The last move is on the last content row, and the position shows.
        let screen = text(&at_end);
        let rows: Vec<&str> = screen.lines().collect();
        assert!(rows[20].contains("Act → Check"), "{screen}");
        let total = view.line_count(80);
        assert!(
            rows[21].contains(&format!("{}–{total} of {total}", total - 19)),
            "{screen}"
        );
        assert_ne!(render(&d, 80, 22, 0), at_end);
        // A page that fits needs no scrolling.
        let tall = Rect::new(0, 0, 80, total as u16 + 2);
        assert_eq!(view.max_scroll(tall), 0);
    }

    #[test]
    fn closed_and_held_initiatives_say_so() {
        let model = Model::itil4();
        let mut d = sample(&model);
        d.status = Status::Done;
        d.step = model.last();
        d.closure_code = Some("successful".into());
        d.realised = Some("MTTR down to 3.9 h".into());
        d.done_at = Some(at(2026, 2, 28, 12));
        let all = full_text(&d, 80);
        assert!(all.contains("done · successful"), "{all}");
        assert!(all.contains("MTTR down to 3.9 h"), "{all}");
        assert!(all.contains("completed 2026-02-28"), "{all}");
        assert!(all.contains("✓ 7 Momentum"), "{all}");
        assert!(!all.contains('▶'), "{all}");
        assert!(!all.contains("overdue"), "{all}");

        let mut held = sample(&model);
        held.status = Status::OnHold;
        held.hold_reason = Some("Waiting for the vendor".into());
        held.due = Some(day(2026, 2, 20));
        let all = full_text(&held, 80);
        assert!(all.contains("on hold"), "{all}");
        assert!(all.contains("Waiting for the vendor"), "{all}");
        assert!(all.contains("2026-02-20 · 10 days overdue"), "{all}");
    }

    #[test]
    fn wide_screens_use_the_room() {
        let model = Model::itil4();
        let d = sample(&model);
        let theme = Theme::color();
        let wide = DetailView::new(&d, &model, &theme, 0, now(), day(2026, 3, 2));
        assert!(wide.line_count(200) < wide.line_count(80));
        let screen = text(&render(&d, 200, 60, 0));
        // Guiding questions beside the steps.
        assert!(screen.contains(&model.steps[0].question), "{screen}");
        assert!(screen.contains("baseline 7.5 on 2025-09-15"), "{screen}");
    }
}
