//! The command-line contract (see DESIGN.md and the README). Keep it stable:
//! scripts rely on it.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "improve",
    version,
    about = "A terminal dashboard for the ITIL 4 continual improvement model"
)]
pub struct Cli {
    /// The register file [default: the platform data dir, e.g. ~/.local/share/improve/improve.db]
    #[arg(long, global = true, env = "IMPROVE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill the register with a realistic sample, or N generated initiatives
    Demo {
        /// Generate this many initiatives (for load tests) instead of the sample
        #[arg(long, value_name = "N")]
        initiatives: Option<usize>,
        /// Replace a register that already holds data
        #[arg(long)]
        force: bool,
    },
    /// List the register
    List {
        /// A JSON array (schema in the README)
        #[arg(long)]
        json: bool,
    },
    /// Move an initiative: `forward`, `back`, or `--to STEP` (number or name)
    Move {
        id: i64,
        /// forward or back
        #[arg(required_unless_present = "to", conflicts_with = "to")]
        direction: Option<MoveDirection>,
        /// Jump to this step (1-7 or a name such as "plan")
        #[arg(long, value_name = "STEP")]
        to: Option<String>,
        /// Why (recorded in the move log)
        #[arg(long)]
        reason: Option<String>,
    },
    /// Add an initiative at step 1; prints its id
    Add {
        title: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long, default_value = "")]
        owner: String,
        /// 1 (highest) to 5
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=5))]
        priority: u8,
        /// 1 to 10
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(1..=10))]
        value: u8,
        /// S, M, L or XL
        #[arg(long, default_value = "M")]
        effort: String,
        /// Due date, YYYY-MM-DD
        #[arg(long)]
        due: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum MoveDirection {
    Forward,
    Back,
}
