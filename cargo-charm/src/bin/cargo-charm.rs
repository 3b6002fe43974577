//! `cargo charm`: new, build, pack, deploy. Installed under the name
//! `cargo-charm`, cargo runs it for `cargo charm ...`; it is also the hook
//! tool of the juju-sim model it deploys into (run under a hook tool's
//! name, it is that tool).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cargo_charm::build::{BuildOptions, Built, Zig};
use cargo_charm::charmcraft::Project;
use cargo_charm::deploy::DeployOptions;
use cargo_charm::new::{NewOptions, ReactiveCore};
use cargo_charm::pack::Packed;
use cargo_charm::progress::Progress;
use clap::{Args, Parser, Subcommand};

/// Make, build, pack and try Juju charms written with reactive-rs.
#[derive(Parser)]
#[command(name = "cargo charm", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// No progress lines.
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// A new charm crate in ./NAME that builds and passes its test at once.
    New {
        /// The charm's name (lowercase letters, digits, hyphens).
        name: String,
        /// metadata.yaml, config.yaml and actions.yaml beside charmcraft.yaml.
        #[arg(long)]
        separate_yaml: bool,
        /// Depend on a local reactive-core checkout instead of the registry.
        #[arg(long, value_name = "DIR")]
        reactive_core_path: Option<PathBuf>,
    },
    /// A release build that runs on every base the charm declares.
    Build(BuildArgs),
    /// Build, then the charm folder and its .charm zip.
    Pack(PackArgs),
    /// Build, pack, then deploy into a juju-sim model and settle.
    Deploy {
        #[command(flatten)]
        pack: PackArgs,
        /// A model's folder, kept and deployed into (default: a fresh model
        /// in <out>/model).
        #[arg(long)]
        model: Option<PathBuf>,
        /// The application name (default: the charm's).
        #[arg(long)]
        app: Option<String>,
        /// How many units.
        #[arg(long, short = 'n', default_value_t = 1)]
        units: u32,
        /// A config option, as KEY=VALUE (repeatable).
        #[arg(long, value_name = "KEY=VALUE")]
        config: Vec<String>,
    },
}

#[derive(Args)]
struct BuildArgs {
    /// The charm's folder (holding charmcraft.yaml).
    #[arg(long, default_value = ".")]
    charm: PathBuf,
    /// The crate's manifest (default: Cargo.toml in the charm folder).
    #[arg(long)]
    manifest_path: Option<PathBuf>,
    /// The executable, when the crate has several.
    #[arg(long)]
    bin: Option<String>,
    /// Plain cargo build, even with cargo-zigbuild on PATH.
    #[arg(long, conflicts_with = "zig")]
    no_zig: bool,
    /// Fail unless cargo-zigbuild is on PATH.
    #[arg(long)]
    zig: bool,
    /// cargo's target directory.
    #[arg(long)]
    target_dir: Option<PathBuf>,
}

#[derive(Args)]
struct PackArgs {
    #[command(flatten)]
    build: BuildArgs,
    /// Where the charm folder and .charm go (default: <charm>/target/charm).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn build(args: &BuildArgs, progress: Progress) -> Result<(Project, Built), cargo_charm::Error> {
    let project = Project::load(&args.charm)?;
    let options = BuildOptions {
        manifest_path: args.manifest_path.clone(),
        bin: args.bin.clone(),
        zig: match (args.zig, args.no_zig) {
            (true, _) => Zig::Always,
            (_, true) => Zig::Never,
            _ => Zig::Auto,
        },
        target_dir: args.target_dir.clone(),
        progress,
    };
    let built = cargo_charm::build::build(&project, &options)?;
    Ok((project, built))
}

fn pack(args: &PackArgs, progress: Progress) -> Result<(Project, Packed), cargo_charm::Error> {
    let (project, built) = build(&args.build, progress)?;
    let out = match &args.out {
        Some(o) => o.clone(),
        None => args.build.charm.join("target").join("charm"),
    };
    let step = progress.step(format_args!("packing {}", project.name));
    let packed = cargo_charm::pack::pack(&project, &built, &out)?;
    step.done(packed.archive.display());
    Ok((project, packed))
}

fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let progress = Progress { quiet: cli.quiet };
    match cli.command {
        Command::New {
            name,
            separate_yaml,
            reactive_core_path,
        } => {
            let options = NewOptions {
                separate_yaml,
                reactive_core: match reactive_core_path {
                    Some(p) => ReactiveCore::Path(std::path::absolute(p)?),
                    None => ReactiveCore::default(),
                },
            };
            let dir = cargo_charm::new::new_charm(Path::new("."), &name, &options)?;
            println!("{}", dir.display());
        }
        Command::Build(args) => {
            let (_, built) = build(&args, progress)?;
            println!("{}", built.path.display());
        }
        Command::Pack(args) => {
            let (_, packed) = pack(&args, progress)?;
            println!("{}", packed.archive.display());
        }
        Command::Deploy {
            pack: pack_args,
            model,
            app,
            units,
            config,
        } => {
            let (project, packed) = pack(&pack_args, progress)?;
            let mut pairs = Vec::new();
            for kv in config {
                let (k, v) = kv
                    .split_once('=')
                    .ok_or_else(|| format!("--config {kv}: expected KEY=VALUE"))?;
                pairs.push((k.to_string(), v.to_string()));
            }
            // The default model is a fresh one for each try; one named
            // with --model is kept and deployed into.
            let model_dir = match model {
                Some(m) => m,
                None => {
                    let m = packed.dir.with_file_name("model");
                    if m.exists() {
                        std::fs::remove_dir_all(&m)?;
                    }
                    m
                }
            };
            let options = DeployOptions {
                model: model_dir.clone(),
                app,
                units,
                config: pairs,
                tool: Some(std::env::current_exe()?),
                progress,
            };
            for unit in cargo_charm::deploy::deploy(&packed.dir, &project.name, &options)? {
                println!("{}: {}: {}", unit.unit, unit.status, unit.message);
            }
            println!("model: {}", model_dir.display());
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().collect();
    let called = args
        .first()
        .and_then(|a| Path::new(a).file_name())
        .map(|n| n.to_string_lossy().into_owned());
    if called.is_some_and(|c| juju_sim::tool::TOOL_NAMES.contains(&c.as_str())) {
        let code = juju_sim::tool::main(args);
        return ExitCode::from(u8::try_from(code).unwrap_or(1));
    }
    // `cargo charm new` runs `cargo-charm charm new`.
    if args.get(1).map(String::as_str) == Some("charm") {
        args.remove(1);
    }
    match run(Cli::parse_from(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut message = e.to_string();
            let mut source = e.source();
            while let Some(s) = source {
                message.push_str(&format!(": {s}"));
                source = s.source();
            }
            eprintln!("cargo charm: {message}");
            ExitCode::FAILURE
        }
    }
}
