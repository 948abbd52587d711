use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use color_eyre::eyre::{WrapErr, eyre};

use improve::app::App;
use improve::cli::{self, Cli, ColorChoice, Command, Failure};
use improve::config::{self, Config, Source};
use improve::domain::Model;
use improve::domain::time::Clock;
use improve::store;
use improve::tui;
use improve::ui::Theme;
use improve::ui::theme::Capabilities;

fn main() -> ExitCode {
    if let Err(e) = color_eyre::install() {
        eprintln!("improve: {e}");
    }
    let cli = Cli::parse();
    let result = match cli.command {
        // Shell integration needs no register and no configuration.
        Some(Command::Completions { shell }) => cli::completions(shell).map_err(Into::into),
        Some(Command::Man) => cli::man().map_err(Into::into),
        _ => {
            let mut config = load_config(&cli);
            let keymap = config.keymap();
            match cli.command {
                Some(Command::Config { print }) => {
                    print_config(&cli, &config, print);
                    Ok(())
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
                            Some(command) => {
                                cli::run(command, &db, cli.read_only, config.date_format.clone())
                                    .map_err(color_eyre::Report::from)
                            }
                            None => dashboard(
                                &db,
                                cli.read_only,
                                theme(cli.color, &config),
                                keymap,
                                &config,
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
            None => {
                eprintln!("improve: {report:?}");
                ExitCode::FAILURE
            }
        },
    }
}

/// `--color never` and `NO_COLOR` win over the configuration's theme; the
/// terminal's `TERM` and locale decide the colours and lines it can draw.
fn theme(color: ColorChoice, config: &Config) -> Theme {
    let theme = match color {
        ColorChoice::Auto if Theme::from_env() == Theme::mono() => Theme::mono(),
        ColorChoice::Auto | ColorChoice::Always => config.theme(),
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
        config.to_toml(db.as_ref().map(|(p, s)| (p.as_path(), *s)))
    );
}

fn dashboard(
    db: &std::path::Path,
    read_only: bool,
    theme: Theme,
    keymap: improve::app::keymap::Keymap,
    config: &Config,
) -> color_eyre::Result<()> {
    let (mut store, storage) = cli::open_register(db, read_only)?;
    if !read_only && storage.is_none() {
        // A checkpoint inside a write would stall the key that made it.
        store.checkpoint_in_background();
    }
    // The first frame's data only; the rest loads while it is on screen.
    let mut app = App::start(store, Model::itil4(), Clock::System, config.stale_days)
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
    tui::run(&mut app, &theme).map_err(|e| eyre!(e))
}
