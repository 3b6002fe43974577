//! The command line: commands named as `juju` names them, the older
//! names kept as aliases.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "juju-sim",
    about = "An offline Juju that runs charms as processes"
)]
pub struct Cli {
    /// The model directory (holds model.json and the units).
    #[arg(long, short, env = "JUJU_SIM_MODEL", default_value = ".juju-sim")]
    pub model: PathBuf,
    /// Queue events without running them.
    #[arg(long, global = true)]
    pub no_settle: bool,
    /// Record the charm's flags after every hook (`dispatch flags`).
    #[arg(long, global = true)]
    pub record_flags: bool,
    /// Give every hook this variable too (repeatable). Not Juju: a charm
    /// under Juju gets only Juju's variables; this is for test knobs such
    /// as UNIT_STATE_DB or REACTIVE_LOG_LEVEL.
    #[arg(long, global = true, value_name = "KEY=VALUE")]
    pub hook_env: Vec<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Deploy a charm directory or `.charm` archive (creates the model if
    /// needed).
    Deploy {
        /// The charm directory or archive.
        charm: PathBuf,
        /// Application name (default: the charm's name).
        app: Option<String>,
        /// Number of units.
        #[arg(short = 'n', long, default_value_t = 1)]
        num_units: u32,
        /// Config values, `key=value`.
        #[arg(long = "config", value_name = "KEY=VALUE")]
        config: Vec<String>,
        /// The base of a model created now (default ubuntu@22.04).
        #[arg(long)]
        base: Option<String>,
        /// The event-order seed of a model created now (default: random;
        /// `status` shows it, to replay a run).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Add units to an application.
    AddUnit {
        /// The application.
        app: String,
        /// Number of units.
        #[arg(short = 'n', long, default_value_t = 1)]
        num_units: u32,
    },
    /// Remove units.
    RemoveUnit {
        /// The units (`app/N`).
        #[arg(required = true)]
        units: Vec<String>,
    },
    /// Relate two endpoints (`app` or `app:endpoint`).
    #[command(alias = "relate")]
    Integrate {
        /// One endpoint.
        a: String,
        /// The other.
        b: String,
    },
    /// Remove a relation by id.
    RemoveRelation {
        /// The relation id (as `status` shows it).
        id: u32,
    },
    /// Show an application's config, or set (`key=value`) and reset values.
    Config {
        /// The application.
        app: String,
        /// `key=value` to set.
        values: Vec<String>,
        /// Options to reset to their default.
        #[arg(long)]
        reset: Vec<String>,
    },
    /// Replace an application's charm: upgrade-charm, then config-changed.
    #[command(alias = "upgrade-charm")]
    Refresh {
        /// The application.
        app: String,
        /// The new charm (directory or archive).
        #[arg(long)]
        path: PathBuf,
    },
    /// Queue update-status on every unit.
    UpdateStatus,
    /// Make a unit the leader of its application.
    SetLeader {
        /// The unit.
        unit: String,
    },
    /// Run an action on a unit and print its outcome as `juju run` does.
    #[command(alias = "run-action")]
    Run {
        /// The unit.
        unit: String,
        /// The action.
        action: String,
        /// Parameters, `key=value`.
        params: Vec<String>,
    },
    /// A task's outcome (`--format yaml|json` for the whole record).
    ShowTask {
        /// The task (action) id.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Plain)]
        format: Format,
    },
    /// Drop the failed hook at the head of a unit's queue.
    #[command(alias = "resolved")]
    Resolve {
        /// The unit.
        unit: String,
    },
    /// Run queued events until none remain.
    Settle,
    /// Applications, units, their status, ports and queues, relations.
    Status {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Tabular)]
        format: Format,
    },
    /// A unit and what it and its peers published on each relation.
    ShowUnit {
        /// The unit.
        unit: String,
    },
    /// juju-log lines.
    #[command(alias = "log")]
    DebugLog {
        /// Only this unit.
        unit: Option<String>,
    },
    /// Hook-tool calls.
    Calls {
        /// Only this unit.
        unit: Option<String>,
    },
    /// Hook runs so far.
    History {
        /// Only this unit.
        unit: Option<String>,
    },
    /// A unit's flags (`dispatch flags`).
    Flags {
        /// The unit.
        unit: String,
    },
    /// The model's secrets (`juju secrets`).
    Secrets {
        /// tabular, yaml or json.
        #[arg(long, value_enum, default_value = "tabular")]
        format: Format,
    },
    /// One secret, by URI, id or owner label (`juju show-secret`).
    ShowSecret {
        /// The secret.
        secret: String,
        /// Show the content too.
        #[arg(long)]
        reveal: bool,
        /// This revision's content (default: the latest).
        #[arg(long)]
        revision: Option<u32>,
    },
    /// Run `secret-rotate` on a secret's owner, as Juju does when its
    /// rotation is due.
    RotateSecret {
        /// The secret.
        secret: String,
    },
    /// Run `secret-expired` on a secret's owner, as Juju does when a
    /// revision's expiry passes.
    ExpireSecret {
        /// The secret.
        secret: String,
        /// The revision (default: the latest).
        #[arg(long)]
        revision: Option<u32>,
    },
}

/// How `status` and `show-task` print.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Tabular,
    Plain,
    Yaml,
    Json,
}
