//! The command-line contract (see DESIGN.md and the README). Keep it stable:
//! scripts rely on it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::suggest;

#[derive(Debug, Parser)]
#[command(
    name = "improve",
    version,
    about = "A terminal dashboard for the ITIL 4 continual improvement model",
    long_about = "A terminal dashboard for the ITIL 4 continual improvement model.\n\n\
        With no subcommand it opens the dashboard; the subcommands make the same \
        register scriptable. Exit codes: 0 success, 1 other failure, 2 usage, \
        3 not found, 4 invalid data, 5 the register cannot be opened, 6 read-only."
)]
pub struct Cli {
    /// The register file [default: the platform data dir, e.g. ~/.local/share/improve/improve.db]
    #[arg(long, global = true, env = "IMPROVE_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Open the register read-only: nothing can be written (also IMPROVE_READ_ONLY=1)
    #[arg(
        long,
        global = true,
        env = "IMPROVE_READ_ONLY",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub read_only: bool,

    /// When to use colours in the dashboard (auto honours NO_COLOR)
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorChoice::Auto,
        value_name = "WHEN"
    )]
    pub color: ColorChoice,

    /// The configuration file [default: the platform config dir, e.g. ~/.config/improve/config.toml]
    #[arg(long, global = true, env = "IMPROVE_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour unless NO_COLOR is set
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill the register with a realistic sample, or N generated initiatives
    #[command(
        override_usage = "improve demo [--initiatives N] [--force [--yes]] | improve demo --remove"
    )]
    Demo {
        /// Generate this many initiatives (for load tests) instead of the sample
        #[arg(long, value_name = "N")]
        initiatives: Option<usize>,
        /// Replace a register that already holds data (backed up first, beside it)
        #[arg(long, conflicts_with = "remove")]
        force: bool,
        /// With --force: do not ask first, even on a terminal
        #[arg(long, short = 'y', requires = "force")]
        yes: bool,
        /// Remove the sample again: its initiatives and goals that nobody has changed since
        #[arg(long, conflicts_with = "initiatives")]
        remove: bool,
    },
    /// List the register, optionally filtered
    #[command(
        override_usage = "improve list [--step STEP] [--status STATUS] [--owner NAME] [--overdue] [--goal GOAL] [--json]"
    )]
    List(ListArgs),
    /// Everything about one initiative: fields, checklists, KPIs, notes, history
    #[command(override_usage = "improve show ID [--json]")]
    Show {
        /// The initiative's id: its number in `list` (the # column)
        #[arg(add = suggest::ids())]
        id: i64,
        /// A JSON object (schema in the README)
        #[arg(long)]
        json: bool,
    },
    /// Add an initiative at step 1; prints its id
    #[command(
        override_usage = "improve add TITLE [--owner NAME] [--priority 1-5] [--due DATE] [--goal GOAL] [--tag TAG]... [OPTIONS]"
    )]
    Add(AddArgs),
    /// Move an initiative: `forward`, `back`, or `--to STEP` (number or name)
    #[command(
        override_usage = "improve move ID forward|back [--reason TEXT] | improve move ID --to STEP [--reason TEXT]"
    )]
    Move {
        /// The initiative's id: its number in `list` (the # column)
        #[arg(add = suggest::ids())]
        id: i64,
        /// forward or back
        #[arg(required_unless_present = "to", conflicts_with = "to")]
        direction: Option<MoveDirection>,
        /// Jump to this step of the initiative's model (a number or a name such as "plan")
        #[arg(long, value_name = "STEP", value_parser = suggest::steps(), hide_possible_values = true)]
        to: Option<String>,
        /// Why (recorded in the move log)
        #[arg(long)]
        reason: Option<String>,
        /// Finishing the last step: how it closes [default: successful]
        #[arg(long, value_enum, value_name = "CODE")]
        code: Option<FinishCode>,
        /// Finishing the last step: what was realised
        #[arg(long, value_name = "TEXT")]
        realised: Option<String>,
    },
    /// Change the model an initiative follows (only at its first step)
    #[command(override_usage = "improve set-model ID MODEL")]
    SetModel {
        /// The initiative's id: its number in `list` (the # column)
        #[arg(add = suggest::ids())]
        id: i64,
        /// The model's id (see `improve models`)
        #[arg(value_parser = suggest::models(), hide_possible_values = true)]
        model: String,
    },
    /// List the improvement models: shipped, and your own in models/ beside the config file
    #[command(override_usage = "improve models [--json]")]
    Models {
        /// A JSON array (schema in the README)
        #[arg(long)]
        json: bool,
    },
    /// Tick an item of the current step's checklist (ITEM is its number in `show`)
    #[command(override_usage = "improve check ID ITEM [--undo]")]
    Check {
        /// The initiative's id: its number in `list` (the # column)
        #[arg(add = suggest::ids())]
        id: i64,
        /// 1-based position in the current step's checklist
        item: usize,
        /// Untick it instead
        #[arg(long)]
        undo: bool,
    },
    /// Add a note to an initiative's journal
    #[command(override_usage = "improve note ID TEXT [--kind work|decision|lesson]")]
    Note {
        /// The initiative's id: its number in `list` (the # column)
        #[arg(add = suggest::ids())]
        id: i64,
        text: String,
        #[arg(long, value_enum, default_value_t = NoteKindArg::Work)]
        kind: NoteKindArg,
    },
    /// Define KPIs and record their baseline, target and measurements
    #[command(
        override_usage = "improve kpi ID add NAME --direction higher|lower [OPTIONS] | improve kpi ID baseline|target|measure KPI VALUE [--date D]"
    )]
    Kpi {
        /// The initiative's id: its number in `list` (the # column)
        #[arg(add = suggest::ids())]
        id: i64,
        #[command(subcommand)]
        action: KpiAction,
    },
    /// Put an active initiative on hold
    #[command(override_usage = "improve hold ID --reason TEXT")]
    Hold {
        /// The initiative's id: its number in `list` (the # column)
        #[arg(add = suggest::ids())]
        id: i64,
        /// Why it waits (shown on the dashboard)
        #[arg(long, required = true)]
        reason: String,
    },
    /// Resume an initiative that is on hold
    #[command(override_usage = "improve resume ID")]
    Resume {
        /// The initiative's id: its number in `list` (the # column)
        #[arg(add = suggest::ids())]
        id: i64,
    },
    /// Cancel an open initiative (closes it as withdrawn)
    #[command(override_usage = "improve cancel ID [--reason TEXT]")]
    Cancel {
        /// The initiative's id: its number in `list` (the # column)
        #[arg(add = suggest::ids())]
        id: i64,
        /// Why it was withdrawn
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
    },
    /// Close an open initiative with a closure code
    #[command(
        override_usage = "improve close ID --code successful|unsuccessful|withdrawn [--realised TEXT]"
    )]
    Close {
        /// The initiative's id: its number in `list` (the # column)
        #[arg(add = suggest::ids())]
        id: i64,
        #[arg(long, value_enum)]
        code: CloseCode,
        /// What was realised
        #[arg(long, value_name = "TEXT")]
        realised: Option<String>,
    },
    /// Bring a done or cancelled initiative back to active
    #[command(override_usage = "improve reopen ID [--reason TEXT] [--to STEP]")]
    Reopen {
        /// The initiative's id: its number in `list` (the # column)
        #[arg(add = suggest::ids())]
        id: i64,
        /// Why (recorded in the history)
        #[arg(long, value_name = "TEXT")]
        reason: Option<String>,
        /// Reopen at this step (number or name) instead of the one it had
        #[arg(long, value_name = "STEP", value_parser = suggest::steps(), hide_possible_values = true)]
        to: Option<String>,
    },
    /// What changed, newest first: every change with when and who
    #[command(
        override_usage = "improve log [ID] [--since WHEN] [--by NAME] [--kind KIND] [--limit N] [--json]"
    )]
    Log(LogArgs),
    /// Organisational goals initiatives serve
    #[command(
        override_usage = "improve goal add NAME [--description TEXT] | improve goal list [--json]"
    )]
    Goal {
        #[command(subcommand)]
        action: GoalAction,
    },
    /// Write the whole register as JSON, CSV or a Markdown report
    #[command(override_usage = "improve export [--format json|csv|md] [-o FILE|-]")]
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Write to this file (atomically; never the register) instead of standard output; `-` is standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Import our JSON export or a spreadsheet CSV (all or nothing by default)
    #[command(override_usage = "improve import FILE|- [--format json|csv] [--skip-invalid]")]
    Import {
        /// The file to read (at most 256 MiB, a regular file); `-` reads standard input
        file: PathBuf,
        /// json or csv [default: from the file's extension, else its content]
        #[arg(long, value_enum)]
        format: Option<ImportFormat>,
        /// Import the good rows and report the bad ones instead of refusing
        #[arg(long)]
        skip_invalid: bool,
        /// How a CSV's 3/4/2026 reads: dmy (3 April) or mdy (March 4)
        #[arg(long, value_enum, value_name = "ORDER")]
        date_order: Option<DateOrderArg>,
    },
    /// Copy the register to PATH (SQLite online backup; safe while it is open)
    #[command(override_usage = "improve backup PATH")]
    Backup { path: PathBuf },
    /// Print a shell completion script to standard output
    #[command(override_usage = "improve completions bash|zsh|fish|powershell|elvish")]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write a page for every subcommand into a folder
    #[command(override_usage = "improve man [--out DIR]")]
    Man {
        /// Write improve.1 and a page per subcommand (improve-show.1, ...) into DIR
        #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
        out: Option<PathBuf>,
    },
    /// Serve the dashboard over SSH: editors and viewers by public key
    #[cfg(feature = "serve")]
    #[command(
        override_usage = "improve serve [--listen ADDR:PORT] [--editors FILE] [--viewers FILE] [--open] [OPTIONS]"
    )]
    Serve(ServeArgs),
    /// The configuration: `--print` shows the effective settings and any warnings
    #[command(override_usage = "improve config [--print]")]
    Config {
        /// Print the effective configuration as TOML, with where each value came from
        #[arg(long)]
        print: bool,
    },
}

impl Command {
    /// Whether the command writes to the register (refused when read-only).
    pub fn writes(&self) -> bool {
        match self {
            Command::List(_)
            | Command::Log(_)
            | Command::Show { .. }
            | Command::Export { .. }
            | Command::Backup { .. }
            | Command::Completions { .. }
            | Command::Config { .. }
            | Command::Models { .. }
            | Command::Man { .. } => false,
            // The server writes nothing itself; its editors' sessions do.
            #[cfg(feature = "serve")]
            Command::Serve(_) => false,
            Command::Goal { action } => !matches!(action, GoalAction::List { .. }),
            _ => true,
        }
    }
}

/// How finishing the last step closes an initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FinishCode {
    Successful,
    Unsuccessful,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only this initiative's events
    #[arg(add = suggest::ids())]
    pub id: Option<i64>,
    /// Only events since: a date (2026-11-30), today, yesterday, or an age (12h, 3d, 2w)
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only events by this author (as `log` shows it; case-insensitive)
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Only events of this kind (created, moved, edited, ...: see the README)
    #[arg(long, value_name = "KIND", value_parser = suggest::kinds(), hide_possible_values = true)]
    pub kind: Option<String>,
    /// At most this many events
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// A JSON array of events, newest first (schema in the README)
    #[arg(long)]
    pub json: bool,
}

/// `improve serve`: who may connect, where, and the limits that keep one
/// client from slowing the rest.
#[cfg(feature = "serve")]
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address and port to listen on (any address but loopback must be given here)
    #[arg(long, default_value = "127.0.0.1:2222", value_name = "ADDR:PORT")]
    pub listen: std::net::SocketAddr,
    /// OpenSSH authorized_keys file of the people who may change the register (comment = name)
    #[arg(long, value_name = "FILE")]
    pub editors: Option<PathBuf>,
    /// OpenSSH authorized_keys file of the people who may only look (comment = name)
    #[arg(long, value_name = "FILE")]
    pub viewers: Option<PathBuf>,
    /// Let anyone in as an anonymous viewer (for demos)
    #[arg(long)]
    pub open: bool,
    /// The server's private key [default: host_ed25519_key in the data folder, made on first start]
    #[arg(long, value_name = "FILE")]
    pub host_key: Option<PathBuf>,
    /// Most sessions at once; more are refused with a message
    #[arg(long, default_value_t = 64, value_name = "N")]
    pub max_sessions: usize,
    /// End a session that sends nothing for this long (e.g. 90s, 30m, 2h; 0 = never)
    #[arg(long, default_value = "0", value_name = "DURATION", value_parser = crate::serve::parse_duration)]
    pub idle_timeout: std::time::Duration,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// A JSON array (schema in the README)
    #[arg(long)]
    pub json: bool,
    /// Only initiatives at this step (a number, or a step name such as "plan")
    #[arg(long, value_name = "STEP", value_parser = suggest::steps(), hide_possible_values = true)]
    pub step: Option<String>,
    /// Only this status: active, on_hold, done, cancelled, open (active or on hold) or closed
    #[arg(long, value_name = "STATUS", value_parser = suggest::statuses(), hide_possible_values = true)]
    pub status: Option<String>,
    /// Only this owner (case-insensitive)
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,
    /// Only open initiatives past their due date
    #[arg(long)]
    pub overdue: bool,
    /// Only initiatives serving this goal (name or id)
    #[arg(long, value_name = "GOAL")]
    pub goal: Option<String>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    pub title: String,
    #[arg(long, default_value = "")]
    pub description: String,
    #[arg(long, default_value = "")]
    pub owner: String,
    /// 1 (highest) to 5
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=5))]
    pub priority: u8,
    /// 1 to 10
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u8).range(1..=10))]
    pub value: u8,
    /// S, M, L or XL
    #[arg(long, default_value = "M", value_parser = suggest::efforts(), hide_possible_values = true)]
    pub effort: String,
    /// Due date, YYYY-MM-DD
    #[arg(long)]
    pub due: Option<String>,
    /// Name or id of an existing goal (see `improve goal add`)
    #[arg(long)]
    pub goal: Option<String>,
    /// A tag; repeat for several
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Where the idea came from (an incident, a review, a person)
    #[arg(long, default_value = "")]
    pub source: String,
    /// Who raised it
    #[arg(long, default_value = "")]
    pub raised_by: String,
    /// The improvement model it follows [default: `model` in the config, else itil4]
    #[arg(long, value_name = "MODEL", value_parser = suggest::models(), hide_possible_values = true)]
    pub model: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum KpiAction {
    /// Define a KPI
    #[command(
        override_usage = "improve kpi ID add NAME --direction higher|lower [--unit U] [--baseline V] [--target V] [OPTIONS]"
    )]
    Add {
        /// What is measured, e.g. "P1 MTTR"
        name: String,
        #[arg(long, default_value = "")]
        unit: String,
        #[arg(long, value_enum)]
        direction: DirectionArg,
        #[arg(long, allow_negative_numbers = true, value_name = "V")]
        baseline: Option<f64>,
        /// [default: today]
        #[arg(long, value_name = "D", requires = "baseline")]
        baseline_date: Option<String>,
        #[arg(long, allow_negative_numbers = true, value_name = "V")]
        target: Option<f64>,
        /// [default: today]
        #[arg(long, value_name = "D", requires = "target")]
        target_date: Option<String>,
    },
    /// Set a KPI's baseline (KPI is its name or 1-based number)
    #[command(override_usage = "improve kpi ID baseline KPI VALUE [--date D]")]
    Baseline(KpiValue),
    /// Set a KPI's target
    #[command(override_usage = "improve kpi ID target KPI VALUE [--date D]")]
    Target(KpiValue),
    /// Record a measurement
    #[command(override_usage = "improve kpi ID measure KPI VALUE [--date D]")]
    Measure(KpiValue),
}

#[derive(Debug, Args)]
pub struct KpiValue {
    /// The KPI's name or its 1-based number in `show`
    pub kpi: String,
    #[arg(allow_negative_numbers = true)]
    pub value: f64,
    /// The date it was or will be true, YYYY-MM-DD (also `--on`, `--by`)
    /// [default: today]
    #[arg(long, value_name = "D", aliases = ["on", "by"])]
    pub date: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum GoalAction {
    /// Add an organisational goal; prints its id
    #[command(override_usage = "improve goal add NAME [--description TEXT]")]
    Add {
        name: String,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// List the goals
    #[command(override_usage = "improve goal list [--json]")]
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MoveDirection {
    Forward,
    Back,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NoteKindArg {
    Work,
    Decision,
    Lesson,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DirectionArg {
    /// Higher is better
    Higher,
    /// Lower is better
    Lower,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CloseCode {
    Successful,
    Unsuccessful,
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Md,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DateOrderArg {
    /// Day first: 3/4/2026 is 3 April
    Dmy,
    /// Month first: 3/4/2026 is March 4
    Mdy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Json,
    Csv,
}
