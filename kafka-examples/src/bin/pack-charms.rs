//! Packs the example charms with `cargo-charm`'s library: a release build
//! of each that runs on every base it declares (Ubuntu 20.04, 22.04,
//! 24.04; linked against glibc 2.31 with cargo-zigbuild), checked, then
//! `target/charms/<name>/` (runnable: YAML files, `manifest.yaml`, the
//! executable as `dispatch`) and `target/charms/<name>.charm` beside each.

use std::path::PathBuf;
use std::process::ExitCode;

use cargo_charm::build::Zig;
use cargo_charm::progress::Progress;
use clap::Parser;
use kafka_examples::{binaries, pack_portable};

/// Builds kafka-provider and kafka-client for their bases and packs them
/// into runnable charm directories and `.charm` archives.
#[derive(Parser)]
struct Args {
    /// Output directory (default: `<target>/charms`).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Plain `cargo build` even with cargo-zigbuild on PATH (then a base
    /// older than this machine's glibc is refused).
    #[arg(long)]
    no_zig: bool,
}

fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let out = match args.out {
        Some(o) => o,
        None => {
            let profile = binaries::profile_dir()?;
            profile.parent().unwrap_or(&profile).join("charms")
        }
    };
    let zig = if args.no_zig { Zig::Never } else { Zig::Auto };
    for packed in pack_portable(&out, zig, None, Progress::default())? {
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
