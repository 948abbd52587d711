//! Shared test fixtures: a real register in a temp dir, a fixed clock, keys.
#![allow(dead_code)]

pub mod pty;
pub mod server_log;
pub mod source;

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use improve::app::App;
use improve::app::keymap::{Key, KeyCode};
use improve::domain::Model;
use improve::domain::time::Clock;
use improve::store::{NewInitiative, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tempfile::TempDir;

pub fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 30, 0).unwrap()
}

pub struct Fixture {
    pub dir: TempDir,
    pub path: PathBuf,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("register.db");
        Fixture { dir, path }
    }

    pub fn store(&self) -> Store {
        Store::open(&self.path).unwrap()
    }

    /// Adds initiatives titled `titles` in order; returns their ids.
    pub fn add(&self, titles: &[&str]) -> Vec<i64> {
        let mut store = self.store();
        let model = Model::itil4();
        titles
            .iter()
            .map(|t| {
                store
                    .create_initiative(&model, &NewInitiative::titled(*t), fixed_now())
                    .unwrap()
            })
            .collect()
    }

    pub fn app(&self) -> App {
        let mut app = App::new(self.store(), Model::itil4(), Clock::Fixed(fixed_now())).unwrap();
        app.update(improve::app::Action::Resize { backlog_rows: 18 });
        app
    }

    /// An app whose store checkpoints in the background, as the
    /// dashboard's does.
    pub fn dashboard(&self) -> App {
        let mut store = self.store();
        assert!(store.checkpoint_in_background());
        let mut app = App::new(store, Model::itil4(), Clock::Fixed(fixed_now())).unwrap();
        app.update(improve::app::Action::Resize { backlog_rows: 18 });
        app
    }

    /// One value from the register, read through a separate connection.
    pub fn query<T: rusqlite::types::FromSql>(&self, sql: &str) -> T {
        let conn = rusqlite::Connection::open(&self.path).unwrap();
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }
}

pub fn key(c: char) -> Key {
    Key::ch(c)
}

pub fn code(code: KeyCode) -> Key {
    Key::plain(code)
}

/// Presses keys written as in tmux: single characters, or names in angle
/// brackets (`<Tab>`, `<Enter>`, `<Esc>`, `<Down>`, `<S-Right>`).
pub fn press(app: &mut App, keys: &str) {
    let mut rest = keys;
    while let Some(c) = rest.chars().next() {
        if let Some((k, len)) = named_key(rest) {
            app.handle_key(k);
            rest = &rest[len..];
            continue;
        }
        app.handle_key(key(c));
        rest = &rest[c.len_utf8()..];
    }
}

/// `<Name>` at the start of `s`: the key and how many bytes it spans.
fn named_key(s: &str) -> Option<(Key, usize)> {
    let end = s.strip_prefix('<')?.find('>')? + 1;
    let name = &s[1..end];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let k = match name {
        "Tab" => code(KeyCode::Tab),
        "BTab" => code(KeyCode::BackTab),
        "Enter" => code(KeyCode::Enter),
        "Esc" => code(KeyCode::Esc),
        "Down" => code(KeyCode::Down),
        "Up" => code(KeyCode::Up),
        "Home" => code(KeyCode::Home),
        "End" => code(KeyCode::End),
        "PgDn" => code(KeyCode::PageDown),
        "PgUp" => code(KeyCode::PageUp),
        "BS" => code(KeyCode::Backspace),
        "S-Right" => Key::shift(KeyCode::Right),
        "S-Left" => Key::shift(KeyCode::Left),
        "C-w" => Key::ctrl('w'),
        "C-s" => Key::ctrl('s'),
        "C-u" => Key::ctrl('u'),
        "C-r" => Key::ctrl('r'),
        "C-e" => Key::ctrl('e'),
        "Right" => code(KeyCode::Right),
        "Left" => code(KeyCode::Left),
        "C-c" => Key::ctrl('c'),
        other => panic!("unknown key name {other}"),
    };
    Some((k, end + 1))
}

/// Renders the app into a test terminal and returns the screen as text.
pub fn render(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| improve::ui::draw(f, app, &improve::ui::Theme::color()))
        .unwrap();
    screen_text(terminal.backend())
}

pub fn screen_text(backend: &TestBackend) -> String {
    improve::ui::text::buffer_text(backend.buffer())
}

/// Runs the real binary with `args` on top of `cmd`; it must succeed. Its
/// standard output.
pub fn succeeds(mut cmd: assert_cmd::Command, args: &[&str]) -> String {
    let out = cmd.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
