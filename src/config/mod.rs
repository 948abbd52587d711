//! `config.toml`: the default register, the theme and its colours, key
//! overrides, the date format and when an initiative counts as stale.
//!
//! A bad entry never stops the program: it becomes a [`Warning`] naming the
//! file and line, and everything else in the file still applies.

pub mod identity;
pub mod models;
mod parse;

use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::style::Style;

use crate::app::keymap::Key;
use crate::domain::DateFormat;
use crate::domain::metrics::DEFAULT_STALE_DAYS;

pub use parse::{parse_color, parse_key, parse_style};

/// A config file is a few hundred bytes; anything past this is not one.
pub const MAX_CONFIG: u64 = 1024 * 1024;

/// The environment variable naming the config file.
pub const ENV: &str = "IMPROVE_CONFIG";

/// Where a setting came from (shown by `improve config --print`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Default,
    File,
    Env,
    Flag,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Default => "default",
            Source::File => "file",
            Source::Env => "env",
            Source::Flag => "flag",
        }
    }
}

/// A preset the `[colors]` table is applied over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeName {
    Dark,
    Light,
    Mono,
}

impl ThemeName {
    pub fn name(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::Mono => "mono",
        }
    }

    pub fn parse(s: &str) -> Option<ThemeName> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dark" => Some(ThemeName::Dark),
            "light" => Some(ThemeName::Light),
            "mono" | "none" => Some(ThemeName::Mono),
            _ => None,
        }
    }
}

/// Something in the config file that was not applied, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub file: PathBuf,
    /// 1-based; `None` when the whole file is concerned.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

/// One `[colors]` entry: a theme role and its style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColorOverride {
    pub role: String,
    /// As written, for `config --print`.
    pub spec: String,
    pub style: Style,
    pub line: usize,
}

/// One `[keys]` entry: an action name and the keys it takes instead of
/// its defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOverride {
    pub action: String,
    pub keys: Vec<Key>,
    /// As written, for `config --print` and warnings.
    pub labels: Vec<String>,
    pub line: usize,
}

/// The effective configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The config file read (or looked for), and how it was chosen.
    pub path: Option<PathBuf>,
    pub path_source: Source,
    /// Whether that file existed.
    pub found: bool,
    /// The register named by the file; `--db` / `IMPROVE_DB` win over it.
    pub db: Option<PathBuf>,
    pub theme: ThemeName,
    pub theme_source: Source,
    pub colors: Vec<ColorOverride>,
    pub keys: Vec<KeyOverride>,
    pub date_format: DateFormat,
    pub date_format_source: Source,
    pub stale_days: i64,
    pub stale_days_source: Source,
    /// Mouse capture in the dashboard (`mouse = false` leaves the mouse to
    /// the terminal).
    pub mouse: bool,
    /// Who writes, when `IMPROVE_USER` does not say (`identity.rs`).
    pub user: Option<String>,
    /// The model new initiatives follow (`model = "pdca"`), and its line.
    pub model: Option<String>,
    pub model_line: Option<usize>,
    pub warnings: Vec<Warning>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            path: None,
            path_source: Source::Default,
            found: false,
            db: None,
            theme: ThemeName::Dark,
            theme_source: Source::Default,
            colors: Vec::new(),
            keys: Vec::new(),
            date_format: DateFormat::default(),
            date_format_source: Source::Default,
            stale_days: DEFAULT_STALE_DAYS,
            stale_days_source: Source::Default,
            mouse: true,
            user: None,
            model: None,
            model_line: None,
            warnings: Vec::new(),
        }
    }
}

/// The default config file: `config.toml` in the platform config dir.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "improve").map(|d| d.config_dir().join("config.toml"))
}

/// Which file to read: `--config` beats `IMPROVE_CONFIG` beats the default.
/// (clap folds the environment variable into the flag; `from_env` says
/// whether the value came from the environment.)
pub fn locate(flag: Option<&Path>, from_env: bool) -> (Option<PathBuf>, Source) {
    match flag {
        Some(p) if from_env => (Some(p.to_path_buf()), Source::Env),
        Some(p) => (Some(p.to_path_buf()), Source::Flag),
        None => (default_path(), Source::Default),
    }
}

impl Config {
    /// Who this process's writes are signed by (see `identity.rs`).
    pub fn author(&self) -> (String, identity::AuthorSource) {
        identity::author(self.user.as_deref())
    }

    /// Reads the file at `path` if it exists. A missing default file is no
    /// error; a missing file named by `--config` or `IMPROVE_CONFIG` warns.
    pub fn load(path: Option<PathBuf>, source: Source) -> Config {
        let mut config = Config {
            path: path.clone(),
            path_source: source,
            ..Config::default()
        };
        let Some(path) = path else {
            return config;
        };
        // `--config /dev/null` is the usual way to say "no configuration":
        // an empty file, not a device to refuse.
        if path == Path::new("/dev/null") {
            config.found = true;
            return config;
        }
        // Bounded and non-blocking: `--config /dev/zero` or a FIFO is one
        // warning at once, not a hang.
        match crate::files::read_regular_text(&path, MAX_CONFIG) {
            Ok(text) => {
                config.found = true;
                parse::apply(&mut config, &path, &text);
            }
            Err(crate::files::ReadError::Io(e))
                if e.kind() == std::io::ErrorKind::NotFound && source == Source::Default => {}
            Err(e) => config.warnings.push(Warning {
                file: path.clone(),
                line: None,
                message: format!("cannot read it ({e}); using the defaults"),
            }),
        }
        config
    }

    /// Parses `text` as if read from `file` (tests, and `load`).
    pub fn from_str(file: &Path, text: &str) -> Config {
        let mut config = Config {
            path: Some(file.to_path_buf()),
            path_source: Source::Flag,
            found: true,
            ..Config::default()
        };
        parse::apply(&mut config, file, text);
        config
    }

    /// Adds a warning about this config's file.
    pub(crate) fn warn(&mut self, line: Option<usize>, message: impl Into<String>) {
        self.warnings.push(Warning {
            file: self
                .path
                .clone()
                .unwrap_or_else(|| PathBuf::from("config.toml")),
            line,
            message: message.into(),
        });
    }
}

impl Config {
    /// The theme: the preset named by the file with its `[colors]` over it.
    /// (`--color never` and `NO_COLOR` are decided by the caller, which
    /// then uses `Theme::mono()` whatever the file says.)
    pub fn theme(&self) -> crate::ui::Theme {
        let mut theme = match self.theme {
            ThemeName::Dark => crate::ui::Theme::color(),
            ThemeName::Light => crate::ui::Theme::light(),
            ThemeName::Mono => crate::ui::Theme::mono(),
        };
        for c in &self.colors {
            if let Some(role) = theme.role_mut(&c.role) {
                *role = c.style;
            }
        }
        theme
    }

    /// The keymap: the defaults with `[keys]` applied; a conflicting key
    /// becomes a warning on the override's line.
    pub fn keymap(&mut self) -> crate::app::keymap::Keymap {
        let overrides: Vec<(&str, &[Key])> = self
            .keys
            .iter()
            .map(|o| (o.action.as_str(), o.keys.as_slice()))
            .collect();
        let (map, problems) = crate::app::keymap::Keymap::with_overrides(&overrides);
        let lines: Vec<usize> = problems.iter().map(|(i, _)| self.keys[*i].line).collect();
        for ((_, message), line) in problems.into_iter().zip(lines) {
            self.warn(Some(line), message);
        }
        self.warnings.sort_by_key(|w| w.line);
        map
    }

    /// The effective configuration as TOML, each value commented with
    /// where it came from; `db` is the register actually used and its source.
    pub fn to_toml(&self, db: Option<(&Path, Source)>) -> String {
        use std::fmt::Write as _;
        let q = |s: &str| toml_string(s);
        let mut out = String::new();
        let file = match &self.path {
            Some(p) if self.found => format!("{} ({})", p.display(), self.path_source.name()),
            Some(p) => format!("{} (not found; {})", p.display(), self.path_source.name()),
            None => "none (no config directory)".to_string(),
        };
        let _ = writeln!(out, "# improve: effective configuration");
        let _ = writeln!(out, "# config file: {file}");
        for w in &self.warnings {
            let _ = writeln!(out, "# warning: {w}");
        }
        out.push('\n');
        match db {
            Some((p, source)) => {
                let _ = writeln!(
                    out,
                    "db = {}  # {}",
                    q(&p.display().to_string()),
                    source.name()
                );
            }
            None => out.push_str("# db: no data directory found; pass --db\n"),
        }
        let _ = writeln!(
            out,
            "theme = {}  # {}",
            q(self.theme.name()),
            self.theme_source.name()
        );
        let _ = writeln!(
            out,
            "date_format = {}  # {}",
            q(self.date_format.as_str()),
            self.date_format_source.name()
        );
        let _ = writeln!(
            out,
            "stale_days = {}  # {}",
            self.stale_days,
            self.stale_days_source.name()
        );
        let _ = writeln!(out, "mouse = {}", self.mouse);
        let (user, from) = self.author();
        let from = match from {
            identity::AuthorSource::Env => "IMPROVE_USER",
            identity::AuthorSource::Config => "file",
            identity::AuthorSource::Login => "login name",
            identity::AuthorSource::Unknown => "unknown",
        };
        let _ = writeln!(out, "user = {}  # {from}", q(&user));
        let _ = writeln!(
            out,
            "model = {}  # {}",
            q(self
                .model
                .as_deref()
                .unwrap_or(crate::domain::model::DEFAULT_MODEL)),
            if self.model.is_some() {
                "file"
            } else {
                "default"
            }
        );
        let _ = writeln!(
            out,
            "\n[colors]  # the theme's roles; file entries override the preset"
        );
        let theme = self.theme();
        for role in crate::ui::Theme::ROLES {
            let from_file = self.colors.iter().rev().find(|c| c.role == *role);
            let (spec, source) = match from_file {
                Some(c) => (c.spec.clone(), "file"),
                None => (
                    style_spec(theme.role(role).unwrap_or_default()),
                    self.theme.name(),
                ),
            };
            let _ = writeln!(out, "{role} = {}  # {source}", q(&spec));
        }
        let _ = writeln!(out, "\n[keys]  # every action with the keys in effect");
        let keymap = self.clone().keymap();
        let mut seen: Vec<&str> = Vec::new();
        for b in keymap.bindings() {
            if seen.contains(&b.name) {
                continue;
            }
            seen.push(b.name);
            let mut labels: Vec<String> = Vec::new();
            for k in &b.keys {
                let l = k.label();
                if !labels.contains(&l) {
                    labels.push(l);
                }
            }
            let list: Vec<String> = labels.iter().map(|l| q(&key_spec(l))).collect();
            let source = if self.keys.iter().any(|o| o.action == b.name) {
                "file"
            } else {
                "default"
            };
            let _ = writeln!(out, "{} = [{}]  # {source}", b.name, list.join(", "));
        }
        out
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A key label written so that `parse_key` reads it back (arrows by name).
fn key_spec(label: &str) -> String {
    label
        .replace('↑', "Up")
        .replace('↓', "Down")
        .replace('←', "Left")
        .replace('→', "Right")
}

/// A style written as `[colors]` takes it: modifiers, colour, `on` colour.
fn style_spec(style: Style) -> String {
    use ratatui::style::{Color, Modifier};
    let mut words: Vec<String> = Vec::new();
    for (m, name) in [
        (Modifier::BOLD, "bold"),
        (Modifier::DIM, "dim"),
        (Modifier::ITALIC, "italic"),
        (Modifier::UNDERLINED, "underlined"),
        (Modifier::REVERSED, "reversed"),
        (Modifier::CROSSED_OUT, "crossed_out"),
    ] {
        if style.add_modifier.contains(m) {
            words.push(name.into());
        }
    }
    let color = |c: Color| match c {
        Color::Reset => "reset".to_string(),
        Color::Black => "black".into(),
        Color::Red => "red".into(),
        Color::Green => "green".into(),
        Color::Yellow => "yellow".into(),
        Color::Blue => "blue".into(),
        Color::Magenta => "magenta".into(),
        Color::Cyan => "cyan".into(),
        Color::Gray => "gray".into(),
        Color::DarkGray => "dark_gray".into(),
        Color::LightRed => "light_red".into(),
        Color::LightGreen => "light_green".into(),
        Color::LightYellow => "light_yellow".into(),
        Color::LightBlue => "light_blue".into(),
        Color::LightMagenta => "light_magenta".into(),
        Color::LightCyan => "light_cyan".into(),
        Color::White => "white".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => i.to_string(),
    };
    if let Some(fg) = style.fg {
        words.push(color(fg));
    }
    if let Some(bg) = style.bg {
        words.push(format!("on {}", color(bg)));
    }
    if words.is_empty() {
        "reset".into()
    } else {
        words.join(" ")
    }
}
