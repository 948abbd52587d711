use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use color_eyre::eyre::{WrapErr, eyre};

use improve::app::App;
use improve::cli::{self, Cli, ColorChoice, Command, Failure};
use improve::domain::Model;
use improve::domain::time::Clock;
use improve::store::{self, Store};
use improve::tui;
use improve::ui::Theme;

fn main() -> ExitCode {
    if let Err(e) = color_eyre::install() {
        eprintln!("improve: {e}");
    }
    let cli = Cli::parse();
    let result = match cli.command {
        // Shell integration needs no register.
        Some(Command::Completions { shell }) => cli::completions(shell).map_err(Into::into),
        Some(Command::Man) => cli::man().map_err(Into::into),
        _ => match db_path(&cli) {
            Err(f) => Err(f.into()),
            Ok(db) => match cli.command {
                Some(command) => {
                    cli::run(command, &db, cli.read_only).map_err(color_eyre::Report::from)
                }
                None => dashboard(&db, cli.read_only, theme(cli.color)),
            },
        },
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

fn theme(color: ColorChoice) -> Theme {
    match color {
        ColorChoice::Auto => Theme::from_env(),
        ColorChoice::Always => Theme::color(),
        ColorChoice::Never => Theme::mono(),
    }
}

fn db_path(cli: &Cli) -> Result<PathBuf, Failure> {
    cli.db.clone().or_else(store::default_path).ok_or_else(|| {
        Failure::new(
            cli::code::CANNOT_OPEN,
            "no data directory found for this user; pass --db PATH or set IMPROVE_DB",
        )
    })
}

fn dashboard(db: &std::path::Path, read_only: bool, theme: Theme) -> color_eyre::Result<()> {
    let store = if read_only {
        Store::open_read_only(db)
    } else {
        Store::open(db)
    }
    .map_err(Failure::from)?;
    let mut app = App::new(store, Model::itil4(), Clock::System)
        .wrap_err_with(|| format!("loading {}", db.display()))?;
    app.set_read_only(read_only);
    tui::run(&mut app, &theme).map_err(|e| eyre!(e))
}
