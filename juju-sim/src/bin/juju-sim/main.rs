//! `juju-sim`: drive an offline model kept in a directory, with the
//! `juju` command names (the older names stay as aliases).
//!
//! ```sh
//! juju-sim deploy ./kafka-charm kafka -n 3
//! juju-sim deploy ./client.charm client
//! juju-sim integrate kafka client
//! juju-sim status
//! ```

mod args;
mod out;
mod secrets;
mod show;

use std::process::ExitCode;

use args::{Cli, Command, Format};
use clap::Parser;
use juju_sim::report::HookRun;
use juju_sim::{Error, Model, Options};
use out::outln;

/// A failure of the command: from the model, or a malformed argument.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Sim(#[from] Error),
    #[error("expected key=value, got {0:?}")]
    NotKeyValue(String),
    #[error(transparent)]
    Base(#[from] juju_sim::manifest::BaseError),
    #[error("task {0} failed")]
    TaskFailed(String),
    #[error("no task {0}")]
    NoTask(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = run(cli);
    let printed = out::finish();
    let code = match result {
        Ok(()) => ExitCode::SUCCESS,
        // The task printed its own failure.
        Err(CliError::TaskFailed(_)) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    };
    match printed {
        Ok(()) => code,
        // A reader that went away (`| head`) wanted no more.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            eprintln!("error: writing standard output: {e}");
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
    let mut options = Options {
        record_flags: cli.record_flags,
        hook_env: cli
            .hook_env
            .iter()
            .map(|kv| split_kv(kv))
            .collect::<Result<_, _>>()?,
        ..Options::default()
    };
    let mut model = match (&cli.command, Model::open(&cli.model, options.clone())) {
        (Command::Deploy { base, seed, .. }, Err(Error::NoModel { .. })) => {
            if let Some(base) = base {
                options.base = base.parse()?;
            }
            options.seed = *seed;
            let model = Model::create(&cli.model, "sim", options)?;
            outln!(
                "created model {} (base {}, seed {})",
                model.name(),
                model.base(),
                model.seed()
            );
            model
        }
        (_, opened) => opened?,
    };
    let mutates = match &cli.command {
        Command::Deploy {
            charm,
            app,
            num_units,
            config,
            ..
        } => {
            let app = match app {
                Some(a) => a.clone(),
                None => juju_sim::archive::charm_name(charm)?,
            };
            let pairs = config
                .iter()
                .map(|c| split_kv(c))
                .collect::<Result<Vec<_>, _>>()?;
            for unit in model.deploy_with_config(&app, charm, *num_units, &pairs)? {
                outln!("added {unit}");
            }
            true
        }
        Command::AddUnit { app, num_units } => {
            for _ in 0..*num_units {
                outln!("added {}", model.add_unit(app)?);
            }
            true
        }
        Command::RemoveUnit { units } => {
            for unit in units {
                model.remove_unit(unit)?;
            }
            true
        }
        Command::Integrate { a, b } => {
            outln!("relation {}", model.relate(a, b)?);
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
                    outln!("{k}: {v}");
                }
            }
            !(values.is_empty() && reset.is_empty())
        }
        Command::Refresh { app, path } => {
            model.refresh(app, path)?;
            true
        }
        Command::UpdateStatus => {
            model.update_status();
            true
        }
        Command::SetLeader { unit } => {
            model.set_leader(unit)?;
            true
        }
        Command::Run {
            unit,
            action,
            params,
        } => {
            let pairs = params
                .iter()
                .map(|c| split_kv(c))
                .collect::<Result<Vec<_>, _>>()?;
            let id = model.queue_action(unit, action, &pairs)?;
            let tag = format!("unit-{}", unit.replace('/', "-"));
            outln!("Running operation {id} with 1 task");
            outln!("  - task {id} on {tag}");
            outln!("");
            if cli.no_settle {
                outln!("task {id} queued");
                model.save()?;
                return Ok(());
            }
            outln!("Waiting for task {id}...");
            let report = model.settle_report();
            model.save()?;
            let report = report?;
            let ok = model.action(&id).is_some_and(show::task);
            if !report.errors.is_empty() {
                return Err(Error::HookFailed(Box::new(report)).into());
            }
            return if ok {
                Ok(())
            } else {
                Err(CliError::TaskFailed(id))
            };
        }
        Command::ShowTask { id, format } => {
            let record = model
                .action(id)
                .ok_or_else(|| CliError::NoTask(id.clone()))?;
            match format {
                Format::Json => outln!("{}", serde_json::to_string(record).unwrap_or_default()),
                Format::Yaml => show::yaml(&serde_json::to_value(record).unwrap_or_default()),
                Format::Plain | Format::Tabular => {
                    if !show::task(record) {
                        return Err(CliError::TaskFailed(id.clone()));
                    }
                }
            }
            false
        }
        Command::Resolve { unit } => {
            model.resolve(unit)?;
            true
        }
        Command::Settle => true,
        Command::Status { format } => {
            match format {
                Format::Json => outln!("{}", show::status_value(&model)?),
                Format::Yaml => show::yaml(&show::status_value(&model)?),
                Format::Tabular | Format::Plain => show::status(&model)?,
            }
            false
        }
        Command::ShowUnit { unit } => {
            show::yaml(&show::unit_value(&model, unit)?);
            false
        }
        Command::DebugLog { unit } => {
            for u in units_of(&model, unit.as_deref()) {
                let tag = format!("unit-{}", u.replace('/', "-"));
                for line in model.logs(&u)? {
                    outln!("{tag}: {} unit.{u}.juju-log {}", line.level, line.message);
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
                    outln!(
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
        Command::Secrets { format } => {
            secrets::list(&model, *format);
            false
        }
        Command::ShowSecret {
            secret,
            reveal,
            revision,
        } => {
            secrets::show(&model, secret, *reveal, *revision)?;
            false
        }
        Command::RotateSecret { secret } => {
            model.secret_rotate(secret)?;
            true
        }
        Command::ExpireSecret { secret, revision } => {
            model.secret_expire(secret, *revision)?;
            true
        }
        Command::Flags { unit } => {
            let flags = model.flags(unit)?;
            outln!(
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
        None => model
            .apps()
            .iter()
            .flat_map(|a| model.all_units(a))
            .collect(),
    }
}

fn print_runs(runs: &[HookRun]) {
    for run in runs {
        outln!("{run}");
    }
}
