//! The metrics pane alone.

use super::{draw, today};
use crate::domain::initiative::Measurement;
use crate::domain::metrics::{FlowMetrics, Oldest, StepFlow};
use crate::domain::{Kpi, KpiDirection, Model};
use crate::ui::Theme;
use crate::ui::metrics::{Metrics, MetricsPane};

fn flow() -> FlowMetrics {
    FlowMetrics {
        throughput: std::array::from_fn(|i| [0, 1, 0, 2, 1, 0, 3, 1, 1, 2, 4, 1][i % 12]),
        cycle_median: Some(77.4),
        cycle_p85: Some(84.0),
        returns: 3,
        overdue: 2,
        stale: 4,
        total: 30,
        by_status: [17, 2, 8, 3],
        unsuccessful: 1,
        ..FlowMetrics::default()
    }
}

fn steps() -> StepFlow {
    StepFlow {
        active_per_step: vec![3, 2, 2, 2, 5, 2, 1],
        oldest_per_step: vec![
            Some(Oldest { id: 15, days: 40 }),
            Some(Oldest { id: 12, days: 18 }),
            None,
            Some(Oldest { id: 28, days: 5 }),
            Some(Oldest { id: 9, days: 40 }),
            Some(Oldest { id: 1, days: 4 }),
            Some(Oldest { id: 13, days: 6 }),
        ],
    }
}

fn kpis() -> Vec<Kpi> {
    let on = |d: i64| today() - chrono::Duration::days(d);
    vec![
        Kpi {
            id: 1,
            name: "P1 mean time to restore".into(),
            unit: "h".into(),
            direction: KpiDirection::LowerIsBetter,
            baseline: Some((7.5, on(120))),
            target: Some((4.0, on(-30))),
            measurements: [6.9, 5.4, 4.2]
                .iter()
                .enumerate()
                .map(|(i, &value)| Measurement {
                    value,
                    on: on(90 - 30 * i as i64),
                })
                .collect(),
        },
        Kpi {
            id: 2,
            name: "Availability".into(),
            unit: "%".into(),
            direction: KpiDirection::HigherIsBetter,
            baseline: Some((99.5, on(120))),
            target: Some((99.99, on(-30))),
            measurements: vec![Measurement {
                value: 99.95,
                on: on(10),
            }],
        },
    ]
}

fn pane(m: &Metrics, focused: bool, w: u16, h: u16) -> String {
    draw(MetricsPane::new(m, &Theme::color(), focused), w, h)
}

/// The figures the pane is given, owned here.
struct Figures {
    model: Model,
    flow: FlowMetrics,
    steps: StepFlow,
    kpis: Vec<Kpi>,
}

impl Figures {
    fn new() -> Figures {
        Figures {
            model: Model::itil4(),
            flow: flow(),
            steps: steps(),
            kpis: kpis(),
        }
    }

    /// Initiative #1's KPIs, the `selected` one under the cursor.
    fn of_one(&self, selected: usize) -> Metrics<'_> {
        Metrics {
            flow: &self.flow,
            kpis: Some((1, &self.kpis)),
            selected,
            model: &self.model,
            steps: Some(&self.steps),
            other_model: false,
        }
    }
}

#[test]
fn metrics_80x24() {
    let figures = Figures::new();
    let screen = pane(&figures.of_one(1), true, 80, 24);
    // Values as `improve show` writes them: 99.95, not 100.0.
    assert!(screen.contains("99.5 → 99.95 → 99.99"), "{screen}");
    insta::assert_snapshot!(screen);
}

/// Another model than the default names itself in the per-step heading.
#[test]
fn metrics_120x40() {
    let figures = Figures::new();
    let m = Metrics {
        other_model: true,
        ..figures.of_one(0)
    };
    insta::assert_snapshot!(pane(&m, false, 120, 40));
}

/// As at 80x24 on the dashboard: the per-step counts packed in pairs, and
/// scrolled to the last KPI with marks in the border.
#[test]
fn metrics_dashboard_size_34x11() {
    let figures = Figures::new();
    insta::assert_snapshot!(pane(&figures.of_one(1), true, 34, 11));
}

/// Narrower than 33 inside: "12 wk" gives way to "12w"; no initiative
/// selected, no KPI lines.
#[test]
fn metrics_narrow_nothing_selected_34x16() {
    let figures = Figures::new();
    let m = Metrics {
        kpis: None,
        steps: None,
        ..figures.of_one(0)
    };
    insta::assert_snapshot!(pane(&m, false, 34, 16));
}
