//! Packs the example charms: `target/charms/<name>/` (runnable: YAML files,
//! `manifest.yaml`, the executable as `dispatch`) and
//! `target/charms/<name>.charm` beside each.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use kafka_examples::{binaries, pack};

/// Packs kafka-provider and kafka-client into runnable charm directories
/// and `.charm` archives.
#[derive(Parser)]
struct Args {
    /// Output directory (default: `<target>/charms`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Use the executables as they are instead of running `cargo build`.
    #[arg(long)]
    no_build: bool,
}

fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let profile = binaries::profile_dir()?;
    if !args.no_build {
        eprintln!("building the charms (cargo build -p kafka-examples --bins) ...");
        binaries::build(&profile)?;
    }
    let out = match args.out {
        Some(o) => o,
        None => profile.parent().unwrap_or(&profile).join("charms"),
    };
    for packed in pack(&profile, &out)? {
        let size = std::fs::metadata(&packed.archive)?.len();
        println!(
            "{}: {}/ and {} ({:.1} MiB)",
            packed.name,
            packed.dir.display(),
            packed.archive.display(),
            size as f64 / (1024.0 * 1024.0)
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pack-charms: {}", reactive_core::error_chain(&*e));
            ExitCode::FAILURE
        }
    }
}
