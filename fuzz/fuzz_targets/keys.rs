//! Bytes as a user at the keyboard: keys, typed and pasted text, an
//! editor's result and terminal resizes, for the app on a copy of the
//! sample register, drawing the real view into a TestBackend after each.
//! Anything that panics is a finding.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use improve::app::input::Edit;
use improve::app::keymap::{Key, KeyCode};
use improve::app::{Action, App, Mode, Screen};
use improve::domain::Model;
use improve::domain::time::Clock;
use improve::store::{Store, demo};
use libfuzzer_sys::fuzz_target;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

/// The sample register, written once; each input starts from a copy.
struct Template {
    _dir: tempfile::TempDir,
    sample: PathBuf,
    work: PathBuf,
}

fn template() -> &'static Template {
    static T: OnceLock<Template> = OnceLock::new();
    T.get_or_init(|| {
        let dir = scratch_dir();
        let sample = dir.path().join("sample.db");
        let mut store = Store::open(&sample).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap();
        demo::load_sample(&mut store, &Model::itil4(), now).unwrap();
        drop(store);
        let work = dir.path().join("work.db");
        Template {
            _dir: dir,
            sample,
            work,
        }
    })
}

fn fresh_copy(t: &Template) -> &Path {
    for ext in ["-wal", "-shm"] {
        let mut p = t.work.clone().into_os_string();
        p.push(ext);
        let _ = std::fs::remove_file(p);
    }
    std::fs::copy(&t.sample, &t.work).unwrap();
    &t.work
}

const KEYS: &[Key] = {
    use KeyCode::*;
    &[
        Key::plain(Up),
        Key::plain(Down),
        Key::plain(Left),
        Key::plain(Right),
        Key::plain(Home),
        Key::plain(End),
        Key::plain(PageUp),
        Key::plain(PageDown),
        Key::plain(Tab),
        Key::plain(BackTab),
        Key::plain(Enter),
        Key::plain(Esc),
        Key::plain(Backspace),
        Key::plain(Delete),
        Key::shift(Right),
        Key::shift(Left),
        Key::shift(Up),
        Key::shift(Down),
        Key::ctrl('r'),
        Key::ctrl('s'),
        Key::ctrl('w'),
        Key::ctrl('u'),
        Key::ctrl('e'),
        Key::ctrl('c'),
    ]
};

/// Reads the input a byte at a time.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn next(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn text(&mut self) -> String {
        let n = usize::from(self.next().unwrap_or(0) % 64).min(self.0.len());
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        String::from_utf8_lossy(head).into_owned()
    }
}

fn draw(app: &mut App, (w, h): (u16, u16)) {
    let area = Rect::new(0, 0, w, h);
    if matches!(app.screen(), Screen::Detail { .. }) {
        let max = improve::ui::detail_max_scroll(app, area);
        app.update(Action::DetailLimit(max));
    }
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| improve::ui::draw(f, app, &improve::ui::Theme::color()))
        .unwrap();
}

fn resize(app: &mut App, w: u16, h: u16) {
    app.update(Action::Resize {
        backlog_rows: improve::ui::backlog_rows(Rect::new(0, 0, w, h)),
    });
}

fuzz_target!(|data: &[u8]| {
    let t = template();
    let path = fresh_copy(t);
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap();
    let mut app = App::new(
        Store::open(path).unwrap(),
        Model::itil4(),
        Clock::Fixed(now),
    )
    .unwrap();
    let mut size = (80u16, 24u16);
    resize(&mut app, size.0, size.1);
    let mut input = Bytes(data);
    let mut steps = 0;
    while let Some(b) = input.next() {
        steps += 1;
        if steps > 400 || app.should_quit() {
            break;
        }
        match b {
            // Printable ASCII: the keys of the keymap and typed text.
            0x20..=0x7e => {
                app.handle_key(Key::ch(char::from(b)));
            }
            0x00..=0x17 => {
                app.handle_key(KEYS[usize::from(b) % KEYS.len()]);
            }
            0x18..=0x1f => {
                let (w, h) = (input.next().unwrap_or(80), input.next().unwrap_or(24));
                size = (1 + u16::from(w) % 200, 1 + u16::from(h) % 60);
                resize(&mut app, size.0, size.1);
            }
            // A character of any script (wide, combining, right-to-left,
            // controls), typed.
            0x80..=0xbf => {
                let hi = u32::from(input.next().unwrap_or(0));
                let lo = u32::from(input.next().unwrap_or(0));
                let c = char::from_u32(((u32::from(b) & 0x3f) << 16 | hi << 8 | lo) % 0x11_0000)
                    .unwrap_or('\u{fffd}');
                app.handle_key(Key::ch(c));
            }
            // A paste, where the terminal layer would deliver one.
            0xc0..=0xdf => {
                let text = input.text();
                if matches!(
                    app.mode(),
                    Mode::Prompt(_) | Mode::Form(_) | Mode::Filter(_)
                ) {
                    app.update(Action::Edit(Edit::Paste(text)));
                }
            }
            // Ctrl with a letter.
            0xe0..=0xfe => {
                let c = char::from(b'a' + (b - 0xe0) % 26);
                app.handle_key(Key::ctrl(c));
            }
            0x7f | 0xff => {
                app.update(Action::ClockTick);
                app.poll_external();
            }
        }
        // Ctrl-e asks for $EDITOR: the "editor" returns text from the input,
        // or fails.
        if app.take_effect().is_some() {
            let result = match input.next() {
                Some(b) if b % 4 != 0 => Ok(input.text()),
                _ => Err("no editor".to_string()),
            };
            app.editor_closed(result);
        }
        draw(&mut app, size);
    }
});

/// A folder in memory where there is one (`/dev/shm`), so that SQLite
/// never waits for a disk.
fn scratch_dir() -> tempfile::TempDir {
    tempfile::tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .unwrap()
}
