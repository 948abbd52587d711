//! The event loop: block until something happens, update, redraw only if
//! something changed. An idle dashboard wakes once a second to ask SQLite
//! whether another process changed the register, and draws nothing.

use std::time::{Duration, Instant};

use color_eyre::Result;
use color_eyre::eyre::WrapErr;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::queue;
use ratatui::crossterm::terminal::{
    BeginSynchronizedUpdate, Clear, ClearType, EndSynchronizedUpdate,
};

use super::keys::to_key;
use super::terminal::{FrameSink, FrameWriter, TerminalGuard, frame_writer};
use crate::app::input::Edit;
use crate::app::{Action, App, Effect, Mode};
use crate::ui::{self, Theme};

/// How often an idle dashboard checks for changes from other processes.
const REFRESH_EVERY: Duration = Duration::from_secs(1);

type Term = Terminal<CrosstermBackend<FrameWriter>>;

/// Runs the dashboard until the user quits. The terminal is restored on
/// return, on error and on panic.
pub fn run(app: &mut App, theme: &Theme) -> Result<()> {
    let _guard = TerminalGuard::enter().wrap_err("setting up the terminal")?;
    let (writer, mut sink) = frame_writer();
    let mut terminal =
        Terminal::new(CrosstermBackend::new(writer)).wrap_err("setting up the terminal")?;
    // Not `terminal.clear()`: it asks the terminal for the cursor position,
    // a round trip that stalls over slow links and hangs where nothing
    // answers. The alternate screen is cleared with a plain erase instead.
    queue!(terminal.backend_mut(), Clear(ClearType::All))?;
    resize(&mut terminal, app)?;
    draw(&mut terminal, &mut sink, app, theme)?;
    let mut last_check = Instant::now();
    while !app.should_quit() {
        let wait = REFRESH_EVERY.saturating_sub(last_check.elapsed());
        let mut dirty = false;
        if event::poll(wait).wrap_err("reading the terminal")? {
            // Take everything already queued (a paste, key repeat) before
            // drawing once.
            loop {
                let ev = event::read().wrap_err("reading the terminal")?;
                dirty |= handle(&mut terminal, app, ev)?;
                if app.should_quit() || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if let Some(Effect::EditText { text }) = app.take_effect() {
            app.editor_closed(super::editor::edit(&text));
            // The editor drew over the screen: repaint everything.
            let size = terminal.size()?;
            terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
            dirty = true;
        }
        if last_check.elapsed() >= REFRESH_EVERY {
            last_check = Instant::now();
            dirty |= app.poll_external();
            let today = app.today();
            app.update(Action::ClockTick);
            dirty |= app.today() != today;
        }
        if dirty && matches!(app.screen(), crate::app::Screen::Detail { .. }) {
            let size = terminal.size()?;
            let max = ui::detail_max_scroll(
                app,
                ratatui::layout::Rect::new(0, 0, size.width, size.height),
            );
            app.update(Action::DetailLimit(max));
        }
        if dirty && !app.should_quit() {
            draw(&mut terminal, &mut sink, app, theme)?;
        }
    }
    Ok(())
}

fn handle(terminal: &mut Term, app: &mut App, ev: Event) -> Result<bool> {
    Ok(match ev {
        Event::Key(key) => to_key(key).is_some_and(|k| app.handle_key(k)),
        Event::Paste(text)
            if matches!(
                app.mode(),
                Mode::Prompt(_) | Mode::Form(_) | Mode::Filter(_)
            ) =>
        {
            app.update(Action::Edit(Edit::Paste(text)));
            true
        }
        Event::Resize(..) => {
            resize(terminal, app)?;
            true
        }
        _ => false,
    })
}

fn resize(terminal: &mut Term, app: &mut App) -> Result<()> {
    terminal.autoresize()?;
    let size = terminal.size()?;
    app.update(Action::Resize {
        backlog_rows: ui::backlog_rows(ratatui::layout::Rect::new(0, 0, size.width, size.height)),
    });
    Ok(())
}

fn draw(terminal: &mut Term, sink: &mut FrameSink, app: &App, theme: &Theme) -> Result<()> {
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| ui::draw(frame, app, theme))?;
    queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    sink.commit()?;
    Ok(())
}
