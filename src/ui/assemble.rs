//! What each pane draws, read from the app's public accessors. The panes
//! take plain data (slices and small view structs) and never see [`App`],
//! so each is drawn and tested without one; the drawing (`ui::draw_frame`)
//! and hit testing (`ui::hit`) build their panes' data here, so both agree.

use ratatui::layout::Rect;

use super::backlog::{self, Backlog, PageRow};
use super::checklist::Checklist;
use super::dialog;
use super::footer;
use super::header::Header;
use super::metrics::Metrics;
use crate::app::keymap::{Place, Scope};
use crate::app::{App, Focus, Mode};

/// The backlog's page for a pane in `area`: only the rows on screen.
pub fn backlog(app: &App, area: Rect) -> Backlog<'_> {
    let shown = app.visible_len();
    let first = app.offset().min(shown);
    let end = (first + backlog::visible_rows(area)).min(shown);
    Backlog {
        page: (first..end)
            .filter_map(|i| app.visible(i))
            .map(|row| PageRow {
                row,
                steps: app.model_of(row).len(),
            })
            .collect(),
        first,
        selected: app.selected_index(),
        shown,
        total: app.total(),
        filter: app.filter_query(),
        clear_key: app
            .keymap()
            .key_at(Place::Pane(Focus::Backlog), "clear_filter")
            .unwrap_or_default(),
        sort: app.sort().label(),
        steps: app.models().iter().map(|(m, _)| m.len()).max().unwrap_or(1),
        max_id: app.max_id(),
        now: app.now(),
        today: app.today(),
    }
}

/// The header's strip: the selected initiative's model, and who and where.
pub fn header(app: &App) -> Header<'_> {
    let model = app.model();
    let (file, author) = app.identity();
    Header {
        model,
        counts: app.step_flow().map_or(&[], |f| &f.active_per_step),
        current: app.selected_row().map(|r| r.step),
        other_model: model.id != app.models().default_model().id,
        read_only: app.is_read_only(),
        file,
        author,
    }
}

/// The checklist pane's initiative and the step in view, when one is
/// selected.
pub fn checklist(app: &App) -> Option<Checklist<'_>> {
    let (row, selected) = (app.selected_row()?, app.detail()?);
    Some(Checklist {
        row,
        model: app.model(),
        step: selected.step,
        items: &selected.checklist,
        selected: app.checklist_selected(),
        browse: ["step_back", "step_on"]
            .map(|name| {
                app.keymap()
                    .key_in(Scope::Checklist, name)
                    .unwrap_or_default()
            })
            .join(" "),
    })
}

/// The portfolio's flow and the selected initiative's KPIs and model.
pub fn metrics(app: &App) -> Metrics<'_> {
    let model = app.model();
    Metrics {
        flow: app.metrics(),
        kpis: app.detail().map(|d| (d.id, d.kpis.as_slice())),
        selected: app.kpi_selected(),
        model,
        steps: app.step_flow(),
        other_model: model.id != app.models().default_model().id,
    }
}

/// What a question or prompt about initiative `subject` names: its title,
/// the model's steps, the selected initiative's items and KPIs.
pub fn dialog(app: &App, subject: Option<i64>) -> dialog::Context<'_> {
    let keymap = app.keymap();
    let key = |place, name| keymap.key_at(place, name).unwrap_or_default();
    dialog::Context {
        model: app.model(),
        subject: subject.map(|id| (id, app.row_by_id(id).map_or("", |r| r.title.as_str()))),
        items: app.detail().map_or(&[], |d| &d.checklist),
        kpis: app.detail().map_or(&[], |d| &d.kpis),
        answers: keymap.footer(Place::Confirm, true),
        submit: key(Place::Prompt, "submit"),
        cancel: key(Place::Prompt, "cancel"),
        undo: keymap.key_in(Scope::Dashboard, "undo").unwrap_or_default(),
    }
}

/// The footer: the latest message, the filter bar, or the keys where the
/// user is (a viewer is shown only what a viewer can do).
pub fn footer(app: &App) -> footer::FooterData<'_> {
    if let Some(flash) = app.flash() {
        return footer::FooterData::Flash(flash);
    }
    let keymap = app.keymap();
    if let Mode::Filter(input) = app.mode() {
        let key = |name| keymap.key_at(Place::Filter, name).unwrap_or_default();
        return footer::FooterData::Filter(footer::FilterBar {
            input,
            matches: app.visible_len(),
            problem: app.filter_problems().first().map(String::as_str),
            keep: key("submit"),
            clear: key("cancel"),
        });
    }
    let place = app.place();
    footer::FooterData::Keys {
        place: place.title(),
        keys: keymap.footer(place, !app.is_read_only()),
    }
}
