//! The project's demo: builds and packs the example Kafka charms, deploys
//! one provider and two clients in juju-sim (an offline Juju), relates
//! them, adds a client, changes the port, removes a client, then the
//! relation, and prints what every hook did and the units at the end.
//!
//! `cargo run --release -p kafka-examples --bin demo`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use juju_sim::{Model, Options};
use kafka_examples::binaries::{self, TOOL_BIN};
use kafka_examples::pack::BROKER_CHARM;
use kafka_examples::scenario::{units_table, Charms, Step};
use kafka_examples::timeline::Timeline;
use kafka_examples::{pack, pack_charm, Packed};

/// Runs the example Kafka charms through a small lifecycle in juju-sim.
#[derive(Parser)]
struct Args {
    /// Use the executables as they are instead of running `cargo build`.
    #[arg(long)]
    no_build: bool,
    /// Where the model lives (default: `<target>/demo-model`; replaced).
    #[arg(long)]
    model: Option<PathBuf>,
}

/// Writes to stdout and flushes; a reader that went away (`demo | head`)
/// ends the demo quietly instead of with a panic.
fn emit(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if out.write_fmt(args).and_then(|()| out.flush()).is_err() {
        std::process::exit(0);
    }
}

macro_rules! say {
    ($($arg:tt)*) => { emit(format_args!($($arg)*)) };
}

macro_rules! sayln {
    ($($arg:tt)*) => { emit(format_args!("{}\n", format_args!($($arg)*))) };
}

fn banner(text: &str) {
    sayln!("\n== {text} ==");
}

fn charm_dir(packed: &[Packed], name: &str) -> Result<PathBuf, String> {
    packed
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.dir.clone())
        .ok_or_else(|| format!("charm {name} was not packed"))
}

fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let profile = binaries::profile_dir()?;
    let target = profile.parent().unwrap_or(&profile).to_path_buf();

    let profile_name = profile
        .file_name()
        .map(|n| n.to_string_lossy().into_owned());
    banner(&format!(
        "build: the charms and the hook tool (cargo build -p kafka-examples --bins, {} profile)",
        profile_name.as_deref().unwrap_or("default")
    ));
    if args.no_build {
        sayln!("skipped (--no-build)");
    } else {
        binaries::build(&profile)?;
    }
    binaries::check(&profile)?;

    banner("pack");
    let packed = pack(&profile, &target.join("charms"))?;
    for p in &packed {
        let size = std::fs::metadata(&p.archive)?.len() as f64 / (1024.0 * 1024.0);
        sayln!(
            "{:<15} {}/  {} ({size:.1} MiB)",
            p.name,
            p.dir.display(),
            p.archive.display()
        );
    }
    let broker = pack_charm(
        BROKER_CHARM.name,
        &BROKER_CHARM.charm_files(),
        &profile.join(BROKER_CHARM.name),
        &target.join("charms"),
    )?;
    sayln!(
        "{:<15} {}/  {}",
        broker.name,
        broker.dir.display(),
        broker.archive.display()
    );
    let charms = Charms {
        provider: charm_dir(&packed, "kafka-provider")?,
        client: charm_dir(&packed, "kafka-client")?,
        broker: broker.dir.clone(),
    };

    let model_dir = args.model.unwrap_or_else(|| target.join("demo-model"));
    if model_dir.exists() {
        std::fs::remove_dir_all(&model_dir)?;
    }
    let options = Options {
        tool: Some(profile.join(TOOL_BIN)),
        record_flags: true,
        ..Options::default()
    };
    let mut model = Model::create(&model_dir, "demo", options)?;
    let mut timeline = Timeline::new();
    let mut runs_all = Vec::new();
    for (i, step) in Step::ALL.iter().enumerate() {
        banner(&format!(
            "step {}/{}: {}",
            i + 1,
            Step::ALL.len(),
            step.title()
        ));
        step.apply(&mut model, &charms)?;
        let report = model.settle_report()?;
        for run in &report.runs {
            say!("{}", timeline.record(run));
        }
        if let Some(e) = report.errors.first() {
            return Err(format!("{e}").into());
        }
        runs_all.extend(report.runs);
    }

    banner("units");
    say!("{}", units_table(&mut model)?);
    model.save()?;

    banner("summary");
    let total: u64 = runs_all.iter().map(|r| r.wall_micros).sum();
    let calls: usize = runs_all.iter().map(|r| r.calls.len()).sum();
    let n = runs_all.len().max(1) as f64;
    if let Some(slowest) = runs_all.iter().max_by_key(|r| r.wall_micros) {
        sayln!(
            "{} hooks in {:.0} ms (mean {:.1} ms; slowest {:.1} ms: {} {}), {} hook-tool calls",
            runs_all.len(),
            total as f64 / 1000.0,
            total as f64 / 1000.0 / n,
            slowest.wall_micros as f64 / 1000.0,
            slowest.unit,
            slowest.hook,
            calls
        );
    }
    sayln!(
        "model saved in {}; inspect it with\n  cargo run -p juju-sim --bin juju-sim -- --model {} status",
        model_dir.display(),
        model_dir.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("demo: {}", reactive_core::error_chain(&*e));
            ExitCode::FAILURE
        }
    }
}
