//! A stakeholder report in Markdown: the register by step, KPIs with
//! baseline, latest and target, what was done in the last quarter, and what
//! is overdue.

use std::collections::HashMap;
use std::fmt::Write;

use chrono::{NaiveDate, TimeDelta};

use super::doc::{InitiativeDoc, RegisterDoc};
use crate::domain::initiative::gap_closed;
use crate::domain::text::{decimal, percent};
use crate::domain::{Model, Models};

/// Text that renders exactly as typed inside a Markdown table cell (or a
/// heading): one line, no control characters, HTML's `&`, `<` and `>` as
/// entities (so `<script>` and `<OldCRM>` are text, not tags), and
/// Markdown's own characters backslash-escaped (emphasis, code, links,
/// strikethrough, table pipes, and a `#`, `-`, `+` or `=` that starts the
/// cell).
fn cell(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = one_line.trim();
    let mut out = String::with_capacity(text.len());
    for (n, c) in text.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '~' | '|' | '!' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '-' | '+' | '=' if n == 0 => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn is_open(i: &InitiativeDoc) -> bool {
    i.status == "active" || i.status == "on_hold"
}

fn due_date(i: &InitiativeDoc) -> Option<NaiveDate> {
    i.due
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// The report for `today`.
pub fn report(doc: &RegisterDoc, models: &Models, today: NaiveDate) -> String {
    let mut out = String::new();
    let goals: HashMap<i64, &str> = doc.goals.iter().map(|g| (g.id, g.name.as_str())).collect();
    let count = |s: &str| doc.initiatives.iter().filter(|i| i.status == s).count();
    let _ = writeln!(out, "# Continual improvement register\n");
    let _ = writeln!(
        out,
        "Report of {today}: {} ({} active, {} on hold, {} done, {} cancelled).\n",
        crate::domain::text::count(doc.initiatives.len() as u64, "initiative"),
        count("active"),
        count("on_hold"),
        count("done"),
        count("cancelled"),
    );

    let _ = writeln!(out, "## Register by step\n");
    // One section per model the open initiatives follow (steps differ);
    // a register of one model reads as before.
    let in_use: Vec<&Model> = models
        .iter()
        .map(|(m, _)| m)
        .filter(|m| {
            doc.initiatives
                .iter()
                .any(|i| is_open(i) && i.model == m.id)
        })
        .collect();
    let in_use = if in_use.is_empty() {
        vec![models.default_model()]
    } else {
        in_use
    };
    for model in &in_use {
        if in_use.len() > 1 {
            let _ = writeln!(out, "### Model: {}\n", cell(&model.name));
        }
        for step in model.steps() {
            let def = model.def(step);
            let mut here: Vec<&InitiativeDoc> = doc
                .initiatives
                .iter()
                .filter(|i| is_open(i) && i.model == model.id && i.step == i64::from(step.number()))
                .collect();
            here.sort_by_key(|i| (i.priority, i.id));
            let _ = writeln!(
                out,
                "### {} {} ({})\n\n_{}_\n",
                step.number(),
                cell(&def.short),
                here.len(),
                cell(&def.question)
            );
            if here.is_empty() {
                let _ = writeln!(out, "Nothing at this step.\n");
                continue;
            }
            let _ = writeln!(out, "| # | Title | Owner | P | Due | Goal | Status |");
            let _ = writeln!(out, "| ---: | --- | --- | ---: | --- | --- | --- |");
            for i in here {
                let goal = i.goal_id.and_then(|g| goals.get(&g)).copied().unwrap_or("");
                let status = if i.status == "on_hold" {
                    format!(
                        "on hold{}",
                        i.hold_reason
                            .as_deref()
                            .map(|r| format!(": {}", cell(r)))
                            .unwrap_or_default()
                    )
                } else {
                    "active".into()
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    i.id,
                    cell(&i.title),
                    cell(&i.owner),
                    i.priority,
                    i.due.as_deref().unwrap_or(""),
                    cell(goal),
                    status
                );
            }
            let _ = writeln!(out);
        }
    }

    let _ = writeln!(out, "## KPIs\n");
    let kpis: Vec<_> = doc
        .initiatives
        .iter()
        .filter(|i| i.status != "cancelled")
        .flat_map(|i| i.kpis.iter().map(move |k| (i, k)))
        .collect();
    if kpis.is_empty() {
        let _ = writeln!(out, "No KPIs defined.\n");
    } else {
        let _ = writeln!(
            out,
            "| # | Initiative | KPI | Baseline | Latest | Target | Gap closed |"
        );
        let _ = writeln!(out, "| ---: | --- | --- | ---: | ---: | ---: | ---: |");
        for (i, k) in kpis {
            let unit = if k.unit.is_empty() {
                String::new()
            } else {
                format!(" {}", cell(&k.unit))
            };
            let show = |v: Option<f64>| {
                v.map(|v| format!("{}{unit}", decimal(v)))
                    .unwrap_or("–".into())
            };
            let latest = k.latest();
            let closed = match (k.baseline, latest, k.target) {
                (Some(b), Some(l), Some(t)) => {
                    gap_closed(b, l, t).map(percent).unwrap_or("–".into())
                }
                _ => "–".into(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} ({} is better) | {} | {} | {} | {} |",
                i.id,
                cell(&i.title),
                cell(&k.name),
                cell(&k.direction),
                show(k.baseline),
                show(latest),
                show(k.target),
                closed
            );
        }
        let _ = writeln!(out);
    }

    let since = today - TimeDelta::days(91);
    let mut done: Vec<&InitiativeDoc> = doc
        .initiatives
        .iter()
        .filter(|i| i.status == "done")
        .filter(|i| i.done_at.is_some_and(|d| d.utc().date_naive() > since))
        .collect();
    done.sort_by_key(|i| std::cmp::Reverse(i.done_at));
    let _ = writeln!(out, "## Done in the last quarter\n");
    if done.is_empty() {
        let _ = writeln!(out, "Nothing completed since {since}.\n");
    } else {
        let _ = writeln!(out, "| # | Title | Owner | Done | Outcome | Realised |");
        let _ = writeln!(out, "| ---: | --- | --- | --- | --- | --- |");
        for i in done {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                i.id,
                cell(&i.title),
                cell(&i.owner),
                i.done_at
                    .map(|d| d.utc().date_naive().to_string())
                    .unwrap_or_default(),
                cell(i.closure_code.as_deref().unwrap_or("")),
                cell(i.realised.as_deref().unwrap_or(""))
            );
        }
        let _ = writeln!(out);
    }

    let mut overdue: Vec<(&InitiativeDoc, NaiveDate)> = doc
        .initiatives
        .iter()
        .filter(|i| is_open(i))
        .filter_map(|i| due_date(i).filter(|d| *d < today).map(|d| (i, d)))
        .collect();
    overdue.sort_by_key(|(i, d)| (*d, i.id));
    let _ = writeln!(out, "## Overdue\n");
    if overdue.is_empty() {
        let _ = writeln!(out, "Nothing is overdue.");
    } else {
        let _ = writeln!(out, "| # | Title | Owner | Step | Due | Days late |");
        let _ = writeln!(out, "| ---: | --- | --- | --- | --- | ---: |");
        for (i, d) in overdue {
            let model = models.resolve(&i.model);
            let step = model
                .step(i.step)
                .map(|s| format!("{} {}", s, model.def(s).short))
                .unwrap_or_else(|| i.step.to_string());
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                i.id,
                cell(&i.title),
                cell(&i.owner),
                cell(&step),
                d,
                (today - d).num_days()
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::doc::{KpiDoc, MeasurementDoc, SCHEMA, Stamp};

    fn initiative(id: i64, title: &str, step: i64, status: &str) -> InitiativeDoc {
        InitiativeDoc {
            id,
            title: title.into(),
            description: String::new(),
            source: String::new(),
            model: "itil4".into(),
            step,
            status: status.into(),
            hold_reason: None,
            closure_code: None,
            realised: None,
            priority: 2,
            value: 5,
            effort: "M".into(),
            owner: "Ana".into(),
            raised_by: String::new(),
            area: None,
            tags: String::new(),
            goal_id: None,
            parent_id: None,
            due: None,
            created_at: Stamp(0),
            updated_at: Stamp(0),
            step_entered_at: Stamp(0),
            done_at: None,
            returns: 0,
            version: 1,
            checklist: Vec::new(),
            moves: Vec::new(),
            kpis: Vec::new(),
            cancel_reason: None,
            history: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn report_has_every_section() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let mut late = initiative(1, "Cut | MTTR", 4, "active");
        late.due = Some("2026-02-20".into());
        late.kpis.push(KpiDoc {
            id: 1,
            position: 0,
            name: "MTTR".into(),
            unit: "h".into(),
            direction: "lower".into(),
            baseline: Some(24.0),
            baseline_date: Some("2026-01-01".into()),
            target: Some(16.0),
            target_date: Some("2026-06-01".into()),
            measurements: vec![MeasurementDoc {
                id: 1,
                value: 18.0,
                measured_on: "2026-02-01".into(),
                created_at: Stamp(0),
            }],
        });
        let mut done = initiative(2, "Automate certs", 7, "done");
        done.done_at = Some(Stamp(
            crate::domain::time::noon(today).timestamp() - 86_400 * 10,
        ));
        done.closure_code = Some("successful".into());
        let mut old = initiative(3, "Old win", 7, "done");
        old.done_at = Some(Stamp(0));
        let doc = RegisterDoc {
            models: Vec::new(),
            schema: SCHEMA,
            kind: "improve-register".into(),
            exported_at: Stamp(0),
            goals: Vec::new(),
            initiatives: vec![late, done, old],
        };
        let md = report(&doc, &Models::builtin(), today);
        assert!(md.contains("## Register by step"));
        assert!(md.contains("### 4 Plan (1)"));
        assert!(
            md.contains("| 1 | Cut \\| MTTR | Ana | 2 | 2026-02-20 |  | active |"),
            "{md}"
        );
        assert!(md.contains("| 24 h | 18 h | 16 h | 75% |"), "{md}");
        assert!(
            md.contains("| 2 | Automate certs | Ana | 2026-02-20 | successful |"),
            "{md}"
        );
        assert!(!md.contains("Old win"), "done long ago: not in the quarter");
        assert!(md.contains("## Overdue"));
        assert!(md.contains("| 2026-02-20 | 10 |"), "{md}");
    }

    #[test]
    fn titles_render_as_typed_not_as_markup() {
        for (typed, escaped) in [
            (
                "<script>alert(1)</script>",
                "&lt;script&gt;alert\\(1\\)&lt;/script&gt;",
            ),
            (
                "<img src=x onerror=alert(1)>",
                "&lt;img src=x onerror=alert\\(1\\)&gt;",
            ),
            ("Retire <OldCRM>", "Retire &lt;OldCRM&gt;"),
            ("*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`"),
            ("[x](http://y)", "\\[x\\]\\(http://y\\)"),
            ("# not a heading", "\\# not a heading"),
            ("a | b", "a \\| b"),
            ("AT&T &copy;", "AT&amp;T &amp;copy;"),
            ("- item", "\\- item"),
            ("Self-service ~~x~~", "Self-service \\~\\~x\\~\\~"),
            ("back\\slash", "back\\\\slash"),
            ("two\nlines\x1b[2J", "two lines \\[2J"),
        ] {
            assert_eq!(cell(typed), escaped, "{typed:?}");
        }
    }
}
