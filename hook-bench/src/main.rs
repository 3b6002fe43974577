//! `cargo run --release -p hook-bench [-- --quick] [--out DIR]`: runs the
//! per-hook cost benchmark and writes `benchmarks.md` and `benchmarks.svg`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use hook_bench::charms::{self, FloorCharm};
use hook_bench::{binaries::repo_root, Config};

#[derive(Parser)]
#[command(
    about = "Whole-hook benchmark: the Kafka charms of reactive-rs against the Python \
             reference (charms.reactive + charmhelpers), through juju-sim. Writes \
             benchmarks.md and benchmarks.svg."
)]
struct Args {
    /// A fast sanity run: one lifecycle, N = 1 and 2 in the scaling scenario.
    #[arg(long)]
    quick: bool,
    /// Where to write the report (default: docs/ of the repository).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Do not run cargo to build the Rust charms first (they must exist).
    #[arg(long)]
    no_build: bool,
}

fn main() -> ExitCode {
    // The floor charms of the benchmark are this executable, copied as
    // their `dispatch`.
    match charms::floor_charm_role() {
        Some(FloorCharm::Null) => return ExitCode::SUCCESS,
        Some(FloorCharm::EmptyReactive) => reactive_core::main(),
        None => {}
    }
    let args = Args::parse();
    let mut config = if args.quick {
        Config::quick()
    } else {
        Config::full()
    };
    config.build = !args.no_build;
    let out = args.out.unwrap_or_else(|| repo_root().join("docs"));
    let results = match hook_bench::run(&config) {
        Ok(results) => results,
        Err(e) => {
            eprintln!("hook-bench: {}", reactive_core::error_chain(&e));
            return ExitCode::FAILURE;
        }
    };
    match hook_bench::write(&results, &out) {
        Ok([md, svg]) => {
            for target in hook_bench::report::figures::targets(&results) {
                println!(
                    "{}: {} ({}) {}",
                    target.name,
                    hook_bench::report::table::ratio(target.ratio),
                    target.measured,
                    if target.met { "met" } else { "MISSED" }
                );
            }
            println!("wrote {} and {}", md.display(), svg.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("hook-bench: {}", reactive_core::error_chain(&e));
            ExitCode::FAILURE
        }
    }
}
