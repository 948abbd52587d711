use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use color_eyre::eyre::{WrapErr, eyre};

use improve::app::App;
use improve::cli::{self, Cli, Failure};
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
    let result = match db_path(&cli) {
        Err(f) => Err(f.into()),
        Ok(db) => match cli.command {
            Some(command) => cli::run(command, &db).map_err(color_eyre::Report::from),
            None => dashboard(&db),
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

fn db_path(cli: &Cli) -> Result<PathBuf, Failure> {
    cli.db.clone().or_else(store::default_path).ok_or_else(|| {
        Failure::new(
            cli::code::CANNOT_OPEN,
            "no data directory found for this user; pass --db PATH or set IMPROVE_DB",
        )
    })
}

fn dashboard(db: &std::path::Path) -> color_eyre::Result<()> {
    let store = Store::open(db).map_err(Failure::from)?;
    let mut app = App::new(store, Model::itil4(), Clock::System)
        .wrap_err_with(|| format!("loading {}", db.display()))?;
    tui::run(&mut app, &Theme::from_env()).map_err(|e| eyre!(e))
}
