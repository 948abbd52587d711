//! The event loop: block until something happens, update, redraw only if
//! something changed. An idle dashboard wakes once a second to ask SQLite
//! whether another process changed the register, and draws nothing; served
//! by `improve serve`, it asks only when the server signals a change.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use color_eyre::Result;
use color_eyre::eyre::WrapErr;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::queue;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};

use super::backend::LeanBackend;
use super::keys::to_keys;
use super::lock_wait::{WaitFlags, lock_wait};
use super::terminal::{FrameSink, FrameWriter, TerminalGuard, frame_writer};
use super::watch::{IN_EDITOR, Wake, Watch};
use crate::app::input::Edit;
use crate::app::{Action, App, Effect, Mode};
use crate::ui::{self, Theme};

/// How often an idle dashboard checks for changes from other processes.
const REFRESH_EVERY: Duration = Duration::from_secs(1);

type Term = Terminal<LeanBackend<FrameWriter>>;

/// Runs the dashboard until the user quits. The terminal is restored on
/// return, on error and on panic.
pub fn run(app: &mut App, theme: &Theme) -> Result<()> {
    let mut watch = Watch::install().wrap_err("watching for signals")?;
    let (lock_wait, waited) = lock_wait(watch.stop_flag(), app.keymap());
    app.set_lock_wait(Some(lock_wait));
    let _guard = TerminalGuard::enter().wrap_err("setting up the terminal")?;
    let (writer, mut sink) = frame_writer();
    let mut terminal =
        Terminal::new(LeanBackend::for_terminal(writer)?).wrap_err("setting up the terminal")?;
    // Not `terminal.clear()`: it asks the terminal for the cursor position,
    // a round trip that stalls over slow links and hangs where nothing
    // answers. The backend erases the alternate screen itself, and from then
    // on knows what the screen shows.
    terminal.backend_mut().clear()?;
    // The first poll sets up crossterm's reader (and its resize handler):
    // from here on it sees every resize.
    drain(&mut watch, &mut terminal, app, &waited)?;
    resize(&mut terminal, app)?;
    quietly(&mut watch, draw(&mut terminal, &mut sink, app, theme))?;
    if app.is_loading() {
        // Started with `App::start`: the first frame is on screen; now the
        // whole register, before the first key (which waits in the
        // terminal's queue meanwhile). Drawn again it is the same frame, so
        // nothing is written, unless another process changed the register.
        app.finish_loading().wrap_err("loading the register")?;
        quietly(&mut watch, draw(&mut terminal, &mut sink, app, theme))?;
    }
    let served = super::served();
    let mut last_check = Instant::now();
    while !app.should_quit() {
        let wait = REFRESH_EVERY.saturating_sub(last_check.elapsed());
        let mut dirty = false;
        match watch.wait(wait).wrap_err("waiting for input")? {
            // A signal or a terminal that went away: leave as on `q`.
            // Every change is already committed.
            Wake::Stop(_) => return Ok(()),
            Wake::Timeout => {}
            Wake::Input => dirty |= drain(&mut watch, &mut terminal, app, &waited)?,
        }
        if watch.take_suspend() {
            suspend(&mut watch, &mut terminal, app)?;
            dirty = true;
        }
        if watch.take_resumed() {
            // Stopped and continued from outside (`kill -STOP`, a
            // debugger): the shell may have reset the terminal meanwhile.
            super::terminal::reenter().wrap_err("setting up the terminal again")?;
            repaint(&mut terminal)?;
            resize(&mut terminal, app)?;
            dirty = true;
        }
        match app.take_effect() {
            Some(Effect::EditText { .. }) if served => {
                // An editor runs commands: never for a session over SSH.
                app.editor_closed(Err("not available over SSH; type the text here".into()));
                dirty = true;
            }
            Some(Effect::EditText { text }) => {
                IN_EDITOR.store(true, Ordering::SeqCst);
                let edited = super::editor::edit(&text);
                IN_EDITOR.store(false, Ordering::SeqCst);
                app.editor_closed(edited);
                // The editor drew over the screen: repaint everything.
                repaint(&mut terminal)?;
                dirty = true;
            }
            None => {}
        }
        if last_check.elapsed() >= REFRESH_EVERY {
            last_check = Instant::now();
            if !served {
                dirty |= app.poll_external();
            }
            let (today, metrics) = (app.today(), app.metrics().clone());
            app.update(Action::ClockTick);
            dirty |= app.today() != today || *app.metrics() != metrics;
        }
        if served && watch.take_refresh() {
            dirty |= app.poll_external();
        }
        if dirty && !app.should_quit() {
            quietly(&mut watch, draw(&mut terminal, &mut sink, app, theme))?;
        }
    }
    Ok(())
}

/// Handles everything already queued (a paste, key repeat) so it is drawn
/// once. crossterm is asked only while the terminal is still there: it
/// retries a failing read forever.
fn drain(
    watch: &mut Watch,
    terminal: &mut Term,
    app: &mut App,
    waited: &WaitFlags,
) -> Result<bool> {
    let mut dirty = false;
    while !app.should_quit()
        && watch.stopped()?.is_none()
        && event::poll(Duration::ZERO).wrap_err("reading the terminal")?
    {
        let ev = event::read().wrap_err("reading the terminal")?;
        if is_suspend_key(&ev) {
            suspend(watch, terminal, app)?;
            dirty = true;
            continue;
        }
        dirty |= handle(terminal, app, ev)?;
        if waited.take_repaint() {
            // A write waited for a lock and drew its notice over the
            // footer, perhaps on a resized screen.
            repaint(terminal)?;
            resize(terminal, app)?;
            dirty = true;
        }
        // `q` while waiting: stop waiting, then quit, unless a form or
        // prompt holds what was typed (it stays open, as after any failure).
        if waited.take_quit() && matches!(app.mode(), Mode::Normal) {
            app.update(Action::Quit);
        }
    }
    Ok(dirty)
}

/// Ctrl-z: in raw mode the terminal sends it as a key instead of stopping
/// the program, so the dashboard does what the shell would.
fn is_suspend_key(ev: &Event) -> bool {
    use ratatui::crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
    matches!(ev, Event::Key(k)
        if k.kind != KeyEventKind::Release
            && k.code == KeyCode::Char('z')
            && k.modifiers.contains(KeyModifiers::CONTROL))
}

/// Gives the terminal back, stops (the shell's prompt appears), and when
/// continued with `fg` takes the terminal again and repaints all of it.
fn suspend(watch: &mut Watch, terminal: &mut Term, app: &mut App) -> Result<()> {
    super::watch::stop_self();
    super::terminal::reenter().wrap_err("setting up the terminal again")?;
    // The SIGCONT that woke us is this resume's: already handled.
    watch.take_resumed();
    repaint(terminal)?;
    resize(terminal, app)
}

/// Forgets what the screen shows, so the next draw sends every cell (the
/// size may have changed meanwhile).
fn repaint(terminal: &mut Term) -> Result<()> {
    terminal.autoresize()?;
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
    Ok(())
}

/// A frame that cannot be written to a terminal that hung up is no error:
/// the dashboard just leaves.
fn quietly(watch: &mut Watch, drawn: Result<()>) -> Result<()> {
    match drawn {
        Err(_) if watch.hung_up() => Ok(()),
        other => other,
    }
}

fn handle(terminal: &mut Term, app: &mut App, ev: Event) -> Result<bool> {
    Ok(match ev {
        Event::Key(key) => to_keys(key).fold(false, |redraw, k| app.handle_key(k) | redraw),
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
        Event::Mouse(mouse) => {
            let size = terminal.size()?;
            let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
            match super::mouse::to_action(app, area, mouse) {
                Some(action) => {
                    app.update(action);
                    true
                }
                None => false,
            }
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

/// Draws a frame, then tells the app what the frame learned (how far the
/// detail page scrolls at this size), so the page is laid out once a frame.
fn draw(terminal: &mut Term, sink: &mut FrameSink, app: &mut App, theme: &Theme) -> Result<()> {
    queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    let mut drawn = ui::Drawn::default();
    terminal.draw(|frame| {
        drawn = ui::draw_frame(frame, app, theme);
        scrub(frame.buffer_mut());
    })?;
    queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    if let Some(action) = drawn.feedback() {
        app.update(action);
    }
    sink.commit()?;
    Ok(())
}

/// The last line of defence behind `sanitize`: whatever a widget put in a
/// cell, no control character (the start of an escape sequence) and no pile
/// of combining marks leaves for the terminal.
fn scrub(buf: &mut ratatui::buffer::Buffer) {
    for cell in &mut buf.content {
        let sym = cell.symbol();
        if sym.chars().any(char::is_control) {
            cell.set_symbol("\u{fffd}");
        } else if sym.len() > 32 {
            let first: String = sym
                .chars()
                .take(1 + crate::domain::text::MAX_MARKS)
                .collect();
            cell.set_symbol(&first);
        }
    }
}
