//! `juju-sim`: drive an offline model kept in a directory.
//!
//! ```sh
//! juju-sim deploy ./kafka-charm kafka -n 3
//! juju-sim deploy ./client-charm client
//! juju-sim relate kafka client
//! juju-sim status
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use juju_sim::charm::Charm;
use juju_sim::report::HookRun;
use juju_sim::{Error, Model, Options};

#[derive(Parser)]
#[command(
    name = "juju-sim",
    about = "An offline Juju that runs charms as processes"
)]
struct Cli {
    /// The model directory (holds model.json and the units).
    #[arg(long, short, env = "JUJU_SIM_MODEL", default_value = ".juju-sim")]
    model: PathBuf,
    /// Queue events without running them.
    #[arg(long, global = true)]
    no_settle: bool,
    /// Record the charm's flags after every hook (`dispatch flags`).
    #[arg(long, global = true)]
    record_flags: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Deploy a charm directory (creates the model if needed).
    Deploy {
        /// The charm directory.
        charm: PathBuf,
        /// Application name (default: the charm's name).
        app: Option<String>,
        /// Number of units.
        #[arg(short = 'n', long, default_value_t = 1)]
        num_units: u32,
        /// Config values, `key=value`.
        #[arg(long = "config", value_name = "KEY=VALUE")]
        config: Vec<String>,
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
    #[command(alias = "integrate")]
    Relate {
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
    /// Queue update-status on every unit.
    UpdateStatus,
    /// Make a unit the leader of its application.
    SetLeader {
        /// The unit.
        unit: String,
    },
    /// Run an action on a unit.
    RunAction {
        /// The unit.
        unit: String,
        /// The action.
        action: String,
        /// Parameters, `key=value`.
        params: Vec<String>,
    },
    /// Drop the failed hook at the head of a unit's queue.
    Resolve {
        /// The unit.
        unit: String,
    },
    /// Run queued events until none remain.
    Settle,
    /// Applications, units, their status, ports and queues, relations.
    Status,
    /// juju-log lines.
    Log {
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
}

/// A failure of the command: from the model, or a malformed argument.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Sim(#[from] Error),
    #[error("expected key=value, got {0:?}")]
    NotKeyValue(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn split_kv(pair: &str) -> Result<(String, String), CliError> {
    pair.split_once('=')
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| CliError::NotKeyValue(pair.into()))
}

fn run(cli: Cli) -> Result<(), CliError> {
    let options = Options {
        record_flags: cli.record_flags,
        ..Options::default()
    };
    let mut model = match (&cli.command, Model::open(&cli.model, options.clone())) {
        (Command::Deploy { .. }, Err(Error::NoModel { .. })) => {
            Model::create(&cli.model, "sim", options)?
        }
        (_, opened) => opened?,
    };
    let mutates = match &cli.command {
        Command::Deploy {
            charm,
            app,
            num_units,
            config,
        } => {
            let app = match app {
                Some(a) => a.clone(),
                None => Charm::load(charm)?.name,
            };
            let pairs = config
                .iter()
                .map(|c| split_kv(c))
                .collect::<Result<Vec<_>, _>>()?;
            for unit in model.deploy_with_config(&app, charm, *num_units, &pairs)? {
                println!("added {unit}");
            }
            true
        }
        Command::AddUnit { app, num_units } => {
            for _ in 0..*num_units {
                println!("added {}", model.add_unit(app)?);
            }
            true
        }
        Command::RemoveUnit { units } => {
            for unit in units {
                model.remove_unit(unit)?;
            }
            true
        }
        Command::Relate { a, b } => {
            println!("relation {}", model.relate(a, b)?);
            true
        }
        Command::RemoveRelation { id } => {
            model.remove_relation(*id)?;
            true
        }
        Command::Config { app, values, reset } => {
            for pair in values {
                let (k, v) = split_kv(pair)?;
                model.set_config(app, &k, &v)?;
            }
            for key in reset {
                model.reset_config(app, key)?;
            }
            if values.is_empty() && reset.is_empty() {
                for (k, v) in model.config(app)? {
                    println!("{k}: {v}");
                }
            }
            !(values.is_empty() && reset.is_empty())
        }
        Command::UpdateStatus => {
            model.update_status();
            true
        }
        Command::SetLeader { unit } => {
            model.set_leader(unit)?;
            true
        }
        Command::RunAction {
            unit,
            action,
            params,
        } => {
            let pairs = params
                .iter()
                .map(|c| split_kv(c))
                .collect::<Result<Vec<_>, _>>()?;
            let id = model.queue_action(unit, action, &pairs)?;
            println!("action {id} queued");
            true
        }
        Command::Resolve { unit } => {
            model.resolve(unit)?;
            true
        }
        Command::Settle => true,
        Command::Status => {
            print_status(&model)?;
            false
        }
        Command::Log { unit } => {
            for u in units_of(&model, unit.as_deref()) {
                for line in model.logs(&u)? {
                    println!("{u} {} {}", line.level, line.message);
                }
            }
            false
        }
        Command::Calls { unit } => {
            for run in model.history() {
                if unit.as_deref().is_some_and(|u| u != run.unit) {
                    continue;
                }
                for c in &run.calls {
                    println!(
                        "#{} {} {}: {} {} -> {} ({} µs)",
                        run.seq,
                        run.unit,
                        run.hook,
                        c.tool,
                        c.args.join(" "),
                        c.exit_code,
                        c.micros
                    );
                }
            }
            false
        }
        Command::History { unit } => {
            let runs: Vec<HookRun> = model
                .history()
                .iter()
                .filter(|r| unit.as_deref().is_none_or(|u| u == r.unit))
                .cloned()
                .collect();
            print_runs(&runs);
            false
        }
        Command::Flags { unit } => {
            let flags = model.flags(unit)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&flags).unwrap_or_default()
            );
            false
        }
    };
    if mutates && !cli.no_settle {
        let report = model.settle_report();
        model.save()?;
        let report = report?;
        print_runs(&report.runs);
        if !report.errors.is_empty() {
            return Err(Error::HookFailed(Box::new(report)).into());
        }
    } else {
        model.save()?;
    }
    Ok(())
}

/// Every unit of the model, or just `unit`.
fn units_of(model: &Model, unit: Option<&str>) -> Vec<String> {
    match unit {
        Some(u) => vec![u.to_string()],
        None => model.apps().iter().flat_map(|a| model.units(a)).collect(),
    }
}

fn print_runs(runs: &[HookRun]) {
    for run in runs {
        println!("{run}");
    }
}

fn print_status(model: &Model) -> Result<(), Error> {
    println!("Model {}  ({})", model.name(), model.workdir().display());
    println!();
    println!(
        "{:<16} {:<10} {:<10} {:<12} Message",
        "App", "Version", "Units", "Status"
    );
    for app in model.apps() {
        let status = model.app_status(&app)?;
        println!(
            "{:<16} {:<10} {:<10} {:<12} {}",
            app,
            model.workload_version(&app)?,
            model.units(&app).len(),
            status.status,
            status.message
        );
    }
    println!();
    println!(
        "{:<16} {:<12} {:<24} {:<16} Queued",
        "Unit", "Workload", "Message", "Ports"
    );
    for app in model.apps() {
        let leader = model.leader(&app)?.map(str::to_string);
        for unit in model.units(&app) {
            let status = model.unit_status(&unit)?;
            let (workload, message) = match model.unit_error(&unit)? {
                Some(hook) => ("error".to_string(), format!("hook failed: {hook}")),
                None => (status.status.clone(), status.message.clone()),
            };
            let ports: Vec<String> = model
                .opened_ports(&unit)?
                .iter()
                .map(|p| p.to_string())
                .collect();
            let star = if leader.as_deref() == Some(unit.as_str()) {
                "*"
            } else {
                ""
            };
            println!(
                "{:<16} {:<12} {:<24} {:<16} {}",
                format!("{unit}{star}"),
                workload,
                message,
                ports.join(","),
                model.pending(&unit)?.len()
            );
        }
    }
    println!();
    println!("{:<4} Endpoints", "Id");
    for id in model.relation_ids() {
        println!("{:<4} {}", id, model.relation_endpoints(id)?.join(" "));
    }
    Ok(())
}
