//! # hook-bench
//!
//! The per-hook cost benchmark: whole hooks of the Kafka charms, this
//! project's Rust charms against the Python reference (`charms.reactive`
//! 1.5.3 + `charmhelpers` 1.2.1), both run in the same process through the
//! same offline Juju (`juju-sim`). One command:
//!
//! ```sh
//! cargo run --release -p hook-bench            # writes docs/benchmarks.md and docs/benchmarks.svg
//! cargo run --release -p hook-bench -- --quick # smaller N, fewer repeats
//! ```
//!
//! ## Map of the crate
//! - [`binaries`]: building the Rust charms and the hook tool in the
//!   benchmark's own profile;
//! - [`charms`]: the charm directories of each side, and the floor charms;
//! - [`scenario`]: the Kafka lifecycle and the scaling scenario in
//!   juju-sim;
//! - [`floor`]: what a hook costs before any framework work;
//! - [`sample`]: one measured hook, quantiles;
//! - [`controller`]: which calls reach the controller, the cost model;
//! - [`machine`]: the machine a run was made on;
//! - [`report`]: the Markdown report and its targets; [`plot`]: the SVG
//!   chart.

#![warn(missing_docs)]

pub mod binaries;
pub mod charms;
pub mod controller;
pub mod error;
pub mod floor;
pub mod machine;
pub mod plot;
pub mod report;
pub mod sample;
pub mod scenario;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use error::BenchError;

use binaries::Binaries;
use charms::{FloorCharm, Implementation};
use floor::Floors;
use machine::Machine;
use sample::{Sample, Side};
use scenario::ScenarioRun;

/// How much to measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// A quick run (the figures are indicative only).
    pub quick: bool,
    /// Lifecycle runs per side.
    pub lifecycle_repeats: usize,
    /// Client counts of the scaling scenario, ascending.
    pub scaling: Vec<u32>,
    /// `update-status` hooks of each floor charm.
    pub floor_repeats: usize,
    /// Runs of each Python start-up measurement.
    pub python_repeats: usize,
    /// Run one lifecycle per side first and discard it (caches, `.pyc`).
    pub warm_up: bool,
    /// Run cargo to build the Rust charms first.
    pub build: bool,
}

impl Config {
    /// The full benchmark.
    pub fn full() -> Config {
        Config {
            quick: false,
            lifecycle_repeats: 5,
            scaling: vec![1, 10, 100],
            floor_repeats: 50,
            python_repeats: 20,
            warm_up: true,
            build: true,
        }
    }

    /// A fast sanity run: one lifecycle, N = 1 and 2.
    pub fn quick() -> Config {
        Config {
            quick: true,
            lifecycle_repeats: 1,
            scaling: vec![1, 2],
            floor_repeats: 5,
            python_repeats: 2,
            warm_up: false,
            build: true,
        }
    }
}

/// The scaling scenario at one N on one side.
#[derive(Debug, Clone)]
pub struct ScalingPoint {
    /// Number of client units.
    pub n: u32,
    /// The implementation.
    pub side: Side,
    /// What was measured.
    pub run: ScenarioRun,
}

/// Everything one benchmark run measured.
#[derive(Debug, Clone)]
pub struct Results {
    /// What was asked.
    pub config: Config,
    /// Where it ran.
    pub machine: Machine,
    /// The Python reference.
    pub reference: Implementation,
    /// This project's charms.
    pub ours: Implementation,
    /// The executables of our side.
    pub binaries: Binaries,
    /// Every lifecycle hook of both sides, in order of the runs.
    pub lifecycle: Vec<Sample>,
    /// Lifecycle wall time per side (all repeats).
    pub lifecycle_total: [(Side, Duration); 2],
    /// The scaling scenario, in the order it ran.
    pub scaling: Vec<ScalingPoint>,
    /// The floors.
    pub floors: Floors,
    /// Wall time of the whole measurement.
    pub elapsed: Duration,
}

/// Runs the benchmark in a fresh temporary directory (removed after),
/// printing progress on stderr.
pub fn run(config: &Config) -> Result<Results, BenchError> {
    let started = Instant::now();
    let binaries = Binaries::of_current_exe()?;
    if config.build {
        binaries.build()?;
    }
    binaries.check_tool()?;
    let tmp = tempfile::Builder::new()
        .prefix("hook-bench-")
        .tempdir()
        .map_err(|e| BenchError::io(&std::env::temp_dir(), e))?;
    let work = tmp.path();
    progress("building the Python reference charms (and its venv, the first time)");
    let (reference, python) = charms::reference(&work.join("charms/reference"))?;
    let ours = charms::ours(&binaries, &work.join("charms/ours"))?;
    let machine = Machine::probe(&python);
    let sides = [&reference, &ours];

    let floor_charms = [
        FloorCharm::Null.write(&work.join("charms"))?,
        FloorCharm::EmptyReactive.write(&work.join("charms"))?,
    ];
    let mut floors = Floors::default();
    if config.warm_up {
        for imp in sides {
            progress(&format!("warm-up lifecycle, {}", imp.side));
            scenario::lifecycle(imp, &binaries.tool, &work.join("model"))?;
        }
    }
    let mut lifecycle = Vec::new();
    let mut totals = [
        (Side::Reference, Duration::ZERO),
        (Side::Ours, Duration::ZERO),
    ];
    let chunks = config.lifecycle_repeats.max(1);
    for repeat in 0..config.lifecycle_repeats {
        // The floors in slices between the lifecycle runs, so that they
        // see the same machine as the hooks they are compared with.
        progress("floors: the null charm, the empty reactive charm, Python start-up");
        measure_floors(
            &mut floors,
            &floor_charms,
            &python,
            &binaries.tool,
            &work.join("model"),
            (
                config.floor_repeats.div_ceil(chunks),
                config.python_repeats.div_ceil(chunks),
            ),
        )?;
        // Alternate which side goes first, so drift in the machine's load
        // does not favour one.
        let order = if repeat % 2 == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            let imp = sides[i];
            let run = scenario::lifecycle(imp, &binaries.tool, &work.join("model"))?;
            progress(&format!(
                "lifecycle {}/{}, {}: {} hooks in {:.1} s",
                repeat + 1,
                config.lifecycle_repeats,
                imp.side,
                run.samples.len(),
                run.total.as_secs_f64()
            ));
            totals[i].1 += run.total;
            lifecycle.extend(run.samples);
        }
    }
    // Ours at every N first, then the reference: the scaling targets
    // compare our N against our N = 1, best measured close together.
    let mut scaling = Vec::new();
    for imp in [&ours, &reference] {
        for &n in &config.scaling {
            let run = scenario::scaling(imp, &binaries.tool, &work.join("model"), n)?;
            progress(&format!(
                "scaling N={n}, {}: {} hooks in {:.1} s",
                imp.side,
                run.samples.len(),
                run.total.as_secs_f64()
            ));
            scaling.push(ScalingPoint {
                n,
                side: imp.side,
                run,
            });
        }
    }
    Ok(Results {
        config: config.clone(),
        machine,
        reference,
        ours,
        binaries,
        lifecycle,
        lifecycle_total: totals,
        scaling,
        floors,
        elapsed: started.elapsed(),
    })
}

/// Adds one slice of floor measurements: `repeats.0` hooks of each floor
/// charm (and `dispatch flags` runs), `repeats.1` Python start-ups.
fn measure_floors(
    floors: &mut Floors,
    [null, empty]: &[PathBuf; 2],
    python: &Path,
    tool: &Path,
    model: &Path,
    repeats: (usize, usize),
) -> Result<(), BenchError> {
    let (samples, ()) = scenario::floor_hooks(null, tool, model, repeats.0, |_| Ok(()))?;
    floors.null.extend(samples);
    let (samples, store) = scenario::floor_hooks(empty, tool, model, repeats.0, |unit_dir| {
        floor::store_read(unit_dir, repeats.0)
    })?;
    floors.empty_reactive.extend(samples);
    floors.store_read_us.extend(store);
    let (start, import) = floor::python(python, repeats.1)?;
    floors.python_start_us.extend(start);
    floors.python_import_us.extend(import);
    Ok(())
}

/// Writes `benchmarks.md` and `benchmarks.svg` into `out_dir` (created if
/// missing); returns their paths.
pub fn write(results: &Results, out_dir: &Path) -> Result<[PathBuf; 2], BenchError> {
    std::fs::create_dir_all(out_dir).map_err(|e| BenchError::io(out_dir, e))?;
    let svg = out_dir.join("benchmarks.svg");
    plot::draw(results, &svg)?;
    let md = out_dir.join("benchmarks.md");
    let text = report::markdown(results);
    std::fs::write(&md, text).map_err(|e| BenchError::io(&md, e))?;
    Ok([md, svg])
}

fn progress(message: &str) {
    eprintln!("hook-bench: {message}");
}
