use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use color_eyre::eyre::{WrapErr, eyre};

use improve::app::App;
use improve::cli::{self, Cli, ColorChoice, Command, Failure};
use improve::config::{self, Config, Source};
use improve::domain::Models;
use improve::domain::time::Clock;
use improve::tui;
use improve::ui::Theme;
use improve::ui::theme::Capabilities;
use improve::{settings, store};

/// Set to 1 for color-eyre's full report (cause chain, source locations,
/// backtrace with RUST_BACKTRACE) instead of the one-line error.
const DEBUG_ENV: &str = "IMPROVE_DEBUG";

fn debugging() -> bool {
    std::env::var_os(DEBUG_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

fn main() -> ExitCode {
    // `COMPLETE=bash improve` and the shell's calls at each Tab: answered
    // here, before anything else runs; without COMPLETE set, nothing happens.
    clap_complete::CompleteEnv::with_factory(cli::completion_command).complete();
    if debugging() {
        if let Err(e) = color_eyre::install() {
            eprintln!("improve: {e}");
        }
    } else {
        install_plain_panic_hook();
    }
    let args = cli::usage::natural_order(std::env::args_os());
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return usage_error(e, &args),
    };
    let result = match cli.command {
        // Shell integration needs no register and no configuration.
        Some(Command::Completions { shell }) => cli::completions(shell).map_err(Into::into),
        Some(Command::Man { out }) => cli::man(out.as_deref()).map_err(Into::into),
        _ => {
            let mut config = load_config(&cli);
            // Keys and colours read now, so their warnings show with the rest.
            let keymap = settings::keymap(&mut config);
            let file_theme = settings::theme(&mut config);
            // The user's model files are checked at every start; a bad one
            // is a warning like a bad config entry.
            let models = config::models::catalogue(&mut config);
            match cli.command {
                Some(Command::Config { print }) => {
                    print_config(&cli, &config, print);
                    Ok(())
                }
                Some(Command::Models { json }) => {
                    for w in &config.warnings {
                        eprintln!("improve: warning: {w}");
                    }
                    cli::models(&models, json).map_err(Into::into)
                }
                _ => {
                    // Warnings go to stderr before anything else happens.
                    for w in &config.warnings {
                        eprintln!("improve: warning: {w}");
                    }
                    match db_path(&cli, &config) {
                        Err(f) => Err(f.into()),
                        Ok((db, _)) => match cli.command {
                            #[cfg(feature = "serve")]
                            Some(Command::Serve(args)) => {
                                improve::serve::run(args, &db, cli.config.clone())
                                    .map_err(color_eyre::Report::from)
                            }
                            Some(command) => cli::run(
                                command,
                                &db,
                                cli.read_only,
                                config.date_format.clone(),
                                &config.author().0,
                                models,
                                config.path.as_deref().map(config::models::folder),
                            )
                            .map_err(color_eyre::Report::from),
                            None => dashboard(
                                &db,
                                cli.read_only,
                                theme(cli.color, file_theme),
                                keymap,
                                &config,
                                models,
                            ),
                        },
                    }
                }
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(report) => match report.downcast_ref::<Failure>() {
            // A user mistake: one line, no backtrace.
            Some(f) if f.code == 0 => ExitCode::SUCCESS,
            Some(f) => {
                eprintln!("improve: {}", f.message);
                ExitCode::from(f.code as u8)
            }
            None if debugging() => {
                eprintln!("improve: {report:?}");
                ExitCode::FAILURE
            }
            None => {
                eprintln!("improve: {}", one_line(&format!("{report:#}")));
                ExitCode::FAILURE
            }
        },
    }
}

/// An error as one line of plain text: the cause chain joined by `: `,
/// and nothing that moves the cursor or colours the terminal.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(line.chars().map(|c| if c.is_control() { '?' } else { c }));
    }
    out
}

/// clap's usage errors as the one line every other error is, with the
/// usage line that fixes them: help and `--version` print as clap prints them.
fn usage_error(e: clap::Error, args: &[std::ffi::OsString]) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) || debugging() {
        e.exit();
    }
    eprintln!("improve: {}", one_line(&cli::usage::message(&e, args)));
    ExitCode::from(cli::code::USAGE as u8)
}

/// A panic is a bug, but its report is still one readable line: what
/// happened and how to see more. The terminal is restored by the
/// dashboard's own hook before this runs.
fn install_plain_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        eprintln!(
            "improve: internal error: {} (a bug; run with {DEBUG_ENV}=1 for details)",
            one_line(&what)
        );
    }));
}

/// `--color never` and `NO_COLOR` win over the configuration's theme; the
/// terminal's `TERM` and locale decide the colours and lines it can draw.
fn theme(color: ColorChoice, from_config: Theme) -> Theme {
    let theme = match color {
        ColorChoice::Auto if Theme::from_env() == Theme::mono() => Theme::mono(),
        ColorChoice::Auto | ColorChoice::Always => from_config,
        ColorChoice::Never => Theme::mono(),
    };
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let locale = var("LC_ALL")
        .or_else(|| var("LC_CTYPE"))
        .or_else(|| var("LANG"));
    theme.for_terminal(Capabilities::detect(
        var("TERM").as_deref(),
        var("COLORTERM").as_deref(),
        locale.as_deref(),
    ))
}

/// Whether clap took a flag's value from its environment variable.
fn from_env(var: &str, value: Option<&std::path::Path>) -> bool {
    match (std::env::var_os(var), value) {
        (Some(v), Some(p)) => !v.is_empty() && std::path::Path::new(&v) == p,
        _ => false,
    }
}

fn load_config(cli: &Cli) -> Config {
    let (path, source) = config::locate(
        cli.config.as_deref(),
        from_env(config::ENV, cli.config.as_deref()),
    );
    Config::load(path, source)
}

/// The register: `--db` beats `IMPROVE_DB` beats the config file beats the
/// platform data dir.
fn db_path(cli: &Cli, config: &Config) -> Result<(PathBuf, Source), Failure> {
    if let Some(db) = &cli.db {
        let source = if from_env("IMPROVE_DB", Some(db)) {
            Source::Env
        } else {
            Source::Flag
        };
        return Ok((db.clone(), source));
    }
    if let Some(db) = &config.db {
        return Ok((db.clone(), Source::File));
    }
    store::default_path()
        .map(|p| (p, Source::Default))
        .ok_or_else(|| {
            Failure::new(
                cli::code::CANNOT_OPEN,
                "no data directory found for this user; pass --db PATH or set IMPROVE_DB",
            )
        })
}

fn print_config(cli: &Cli, config: &Config, print: bool) {
    if !print {
        match &config.path {
            Some(p) => println!("{}", p.display()),
            None => println!("no config directory found; pass --config PATH"),
        }
        return;
    }
    let db = db_path(cli, config).ok();
    print!(
        "{}",
        settings::to_toml(config, db.as_ref().map(|(p, s)| (p.as_path(), *s)))
    );
}

fn dashboard(
    db: &std::path::Path,
    read_only: bool,
    theme: Theme,
    keymap: improve::app::keymap::Keymap,
    config: &Config,
    models: Models,
) -> color_eyre::Result<()> {
    if let Some(why) = tui::unusable_terminal() {
        return Err(Failure::new(cli::code::FAILURE, why).into());
    }
    // Read-only, as asked or as the file or its folder allow: opened as a
    // viewer, which stays open all day (see `Store::open_viewer`).
    let reason = store::access(db).reason().filter(|_| db.exists());
    let (mut store, mut storage) = if read_only || reason.is_some() {
        let viewer = store::Store::open_viewer(db).map_err(Failure::from)?;
        (viewer, reason.filter(|_| !read_only))
    } else {
        store::open_for(db, read_only).map_err(Failure::from)?
    };
    if store.short_of_space() {
        // Read in exclusive locking mode, no other program could use the
        // register while the dashboard is open: show a copy instead.
        drop(store);
        store = store::Store::open_read_only(db).map_err(Failure::from)?;
        storage = Some("the disk is full");
    }
    store.set_author(config.author().0);
    if !read_only && storage.is_none() {
        // A checkpoint inside a write would stall the key that made it.
        store.checkpoint_in_background();
    }
    // The first frame's data only; the rest loads while it is on screen.
    let mut app = App::start(store, models, Clock::System, config.stale_days)
        .wrap_err_with(|| format!("loading {}", db.display()))?;
    app.set_read_only(read_only);
    if read_only && tui::served() {
        app.set_read_only_because("you are viewing over SSH");
    }
    app.set_keymap(keymap);
    app.set_date_format(config.date_format.clone());
    if let Some(first) = config.warnings.first() {
        let more = match config.warnings.len() {
            1 => String::new(),
            n => format!(" (and {} more; see improve config --print)", n - 1),
        };
        app.set_flash(format!("config: {first}{more}"), true);
    }
    if let Some(why) = storage {
        // The file or its folder cannot be written: show the register
        // read-only, say why once (over any configuration warning, which stderr has), and keep the banner up.
        app.set_read_only_because(why);
        app.set_flash(format!("read-only: {why}"), true);
    }
    tui::set_mouse(config.mouse);
    tui::run(&mut app, &theme).map_err(|e| eyre!(e))
}
