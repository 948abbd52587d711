//! `config.toml`: the default register, the theme and its colours, key
//! overrides, the date format and when an initiative counts as stale.
//!
//! Keys and colours are kept as written, with their lines: `settings` reads
//! them with the grammar beside `Key` and `Theme`, so this module needs
//! neither.
//!
//! A bad entry never stops the program: it becomes a [`Warning`] naming the
//! file and line, and everything else in the file still applies.

pub mod identity;
pub mod models;
mod parse;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::domain::DateFormat;
use crate::domain::metrics::DEFAULT_STALE_DAYS;

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

/// One `[colors]` entry as written: a role name and its style spec
/// (`None` when the value is not a string), read by `settings::theme`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColorOverride {
    pub role: String,
    pub spec: Option<String>,
    pub line: usize,
}

/// One `[keys]` entry as written: an action name and the keys that replace
/// its defaults, each a key spec or (`Err`) a value that is not a string as
/// shown in a warning; read by `settings::keymap`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOverride {
    pub action: String,
    pub written: Vec<Result<String, String>>,
    pub line: usize,
}

/// What `config --print` shows for one colour role or one action: its
/// name, its value(s) as `config.toml` writes them, and where it came from.
pub struct Effective {
    pub name: String,
    pub values: Vec<String>,
    pub source: &'static str,
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
    /// The effective configuration as TOML, each value commented with
    /// where it came from; `db` is the register actually used and its source,
    /// `colors` and `keys` the theme's roles and the keymap's actions in
    /// effect (worked out by `settings`, which knows themes and keys).
    pub fn to_toml(
        &self,
        db: Option<(&Path, Source)>,
        colors: &[Effective],
        keys: &[Effective],
    ) -> String {
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
        for c in colors {
            let _ = writeln!(
                out,
                "{} = {}  # {}",
                c.name,
                q(&c.values.join(" ")),
                c.source
            );
        }
        let _ = writeln!(out, "\n[keys]  # every action with the keys in effect");
        for k in keys {
            let list: Vec<String> = k.values.iter().map(|l| q(l)).collect();
            let _ = writeln!(out, "{} = [{}]  # {}", k.name, list.join(", "), k.source);
        }
        out
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}
