//! The detail page drawn whole and scrolled, from hand-made initiatives.

use chrono::TimeZone;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use ratatui::buffer::Buffer;

use crate::domain::detail::{Goal, MoveEntry, Note, NoteKind};
use crate::domain::initiative::Measurement;
use crate::domain::{ChecklistItem, Effort, Kpi, KpiDirection, Status};

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
                body: "Night-shift P1s stayed slow: the commander role had no cover after 22:00."
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

/// The whole content, drawn tall enough to need no scrolling.
fn full_text(detail: &InitiativeDetail, w: u16) -> String {
    let model = Model::itil4();
    let theme = Theme::color();
    let view = DetailView::new(detail, &model, &theme, 0, now(), day(2026, 3, 2));
    let h = view.line_count(w) as u16 + 2;
    crate::ui::text::buffer_text(&render(detail, w, h, 0))
}

#[test]
fn shows_every_part_at_80_columns() {
    let model = Model::itil4();
    let d = sample(&model);
    let first = crate::ui::text::buffer_text(&render(&d, 80, 22, 0));
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

/// The page drawn at a size and offset, and what drawing it learned.
fn render_state(detail: &InitiativeDetail, w: u16, h: u16, scroll: u16) -> (Buffer, DetailState) {
    let model = Model::itil4();
    let theme = Theme::color();
    let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
    let mut state = DetailState::default();
    let view = DetailView::new(detail, &model, &theme, scroll, now(), day(2026, 3, 2));
    StatefulWidget::render(view, buf.area, &mut buf, &mut state);
    (buf, state)
}

#[test]
fn scroll_clamps_at_the_end() {
    let model = Model::itil4();
    let theme = Theme::color();
    let d = sample(&model);
    let view = DetailView::new(&d, &model, &theme, 0, now(), day(2026, 3, 2));
    let total = view.line_count(80);
    // The page learns its own length as it draws, whatever it was asked.
    let (_, state) = render_state(&d, 80, 22, 0);
    let max = state.max_scroll();
    assert_eq!(usize::from(max), total - 20);
    assert_eq!(state.scroll(), 0);
    let (at_end, state) = render_state(&d, 80, 22, max);
    assert_eq!(state.scroll(), max);
    for past in [max + 5, u16::MAX] {
        let (buf, state) = render_state(&d, 80, 22, past);
        assert_eq!(buf, at_end);
        assert_eq!((state.scroll(), state.max_scroll()), (max, max));
    }
    assert_eq!(render(&d, 80, 22, u16::MAX), at_end);
    // The last move is on the last content row, and the position shows.
    let screen = crate::ui::text::buffer_text(&at_end);
    let rows: Vec<&str> = screen.lines().collect();
    assert!(rows[20].contains("Act → Check"), "{screen}");
    assert!(
        rows[21].contains(&format!("{}–{total} of {total}", total - 19)),
        "{screen}"
    );
    assert_ne!(render(&d, 80, 22, 0), at_end);
    // A page that fits needs no scrolling.
    let (_, tall) = render_state(&d, 80, total as u16 + 2, 9);
    assert_eq!((tall.scroll(), tall.max_scroll()), (0, 0));
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
    let screen = crate::ui::text::buffer_text(&render(&d, 200, 60, 0));
    // Guiding questions beside the steps.
    assert!(screen.contains(&model.steps[0].question), "{screen}");
    assert!(screen.contains("baseline 7.5 on 2025-09-15"), "{screen}");
}

#[test]
fn kpi_values_read_as_in_show() {
    // An availability KPI: one decimal made 99.95 read as 100.0, as if the
    // target were met.
    let model = Model::itil4();
    let mut d = sample(&model);
    let kpi = &mut d.kpis[0];
    kpi.baseline = Some((99.5, day(2025, 9, 15)));
    kpi.target = Some((99.99, day(2026, 3, 31)));
    kpi.measurements[2].value = 99.95;
    let screen = full_text(&d, 100);
    assert!(
        screen.contains("baseline 99.5 on 2025-09-15 → latest 99.95 on 2026-02-01 → target 99.99"),
        "{screen}"
    );
    assert!(screen.contains("2026-02-01 99.95"), "{screen}");
    assert!(!screen.contains("100.0"), "{screen}");
}

/// The page alone at the dashboard's sizes (the body between header and
/// footer), and narrow, where notes and history put their text under the
/// date instead of beside it.
#[test]
fn detail_80x22() {
    let d = sample(&Model::itil4());
    insta::assert_snapshot!(crate::ui::text::buffer_text(&render(&d, 80, 22, 0)));
}

#[test]
fn detail_120x38() {
    let d = sample(&Model::itil4());
    insta::assert_snapshot!(crate::ui::text::buffer_text(&render(&d, 120, 38, 0)));
}

#[test]
fn detail_narrow_at_the_end_40x30() {
    let d = sample(&Model::itil4());
    insta::assert_snapshot!(crate::ui::text::buffer_text(&render(&d, 40, 30, u16::MAX)));
}

#[test]
fn priority_uses_the_theme_s_pen() {
    let model = Model::itil4();
    let theme = Theme::color();
    for p in 1..=5 {
        let mut d = sample(&model);
        d.priority = p;
        let buf = render(&d, 80, 22, 0);
        let y = 4;
        let x = (0..79)
            .rev()
            .find(|&x| buf[(x, y)].symbol() == "P" && buf[(x + 1, y)].symbol() == p.to_string())
            .unwrap_or_else(|| panic!("no P{p}:\n{}", crate::ui::text::buffer_text(&buf)));
        assert_eq!(
            buf[(x, y)].fg,
            theme.priority(p).fg.unwrap_or(ratatui::style::Color::Reset),
            "P{p}"
        );
    }
}
