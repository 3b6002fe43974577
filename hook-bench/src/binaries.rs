//! The executables the benchmark runs: the Rust charms and juju-sim's hook
//! tool, built by cargo in the benchmark's own profile (`target/release`
//! under `cargo run --release -p hook-bench`).
//!
//! `cargo run -p hook-bench` builds this package only, so the benchmark
//! runs `cargo build -p kafka-examples -p juju-sim` itself, with cargo's
//! progress on stderr. It runs it every time, not only when a binary is
//! missing: cargo does nothing when all is up to date, and a stale charm
//! binary would silently be measured in place of the current source.

use std::path::{Path, PathBuf};
use std::process::Command;

use workspace_bins::Build;

use crate::error::BenchError;

/// The packages built, in the order given to cargo.
pub const PACKAGES: [&str; 2] = ["kafka-examples", "juju-sim"];

/// The charm executables of `kafka-examples`.
pub const CHARM_BINS: [&str; 2] = ["kafka-provider", "kafka-client"];

/// The workspace manifest, as found when this package was built.
const WORKSPACE_MANIFEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");

/// The repository root, as found when this package was built.
pub fn repo_root() -> PathBuf {
    let manifest = Path::new(WORKSPACE_MANIFEST);
    let root = manifest
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    root.canonicalize().unwrap_or(root)
}

/// Where the executables are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binaries {
    /// `target/<profile>`.
    pub profile_dir: PathBuf,
    /// The cargo profile (`release`, `debug`, ...).
    pub profile: String,
    /// `juju-sim-tool`.
    pub tool: PathBuf,
    /// `kafka-provider`.
    pub provider: PathBuf,
    /// `kafka-client`.
    pub client: PathBuf,
}

impl Binaries {
    /// The executables in the running executable's profile directory.
    pub fn of_current_exe() -> Result<Binaries, BenchError> {
        let exe = std::env::current_exe().map_err(|e| BenchError::io(Path::new("<self>"), e))?;
        let dir = exe.parent().map(Path::to_path_buf).ok_or_else(|| {
            BenchError::io(
                &exe,
                std::io::Error::other("the executable has no directory"),
            )
        })?;
        Ok(Binaries::in_dir(dir))
    }

    /// The executables in a profile directory.
    pub fn in_dir(profile_dir: PathBuf) -> Binaries {
        let profile = profile_dir
            .file_name()
            .map_or_else(|| "debug".into(), |n| n.to_string_lossy().into_owned());
        Binaries {
            tool: profile_dir.join(juju_sim::TOOL_BIN),
            provider: profile_dir.join(CHARM_BINS[0]),
            client: profile_dir.join(CHARM_BINS[1]),
            profile,
            profile_dir,
        }
    }

    /// Whether this is an optimised build (the figures mean little otherwise).
    pub fn is_release(&self) -> bool {
        self.profile == "release"
    }

    /// The cargo command that builds them into [`Binaries::profile_dir`].
    pub fn build_command(&self) -> Command {
        let build = PACKAGES.iter().fold(
            Build::new(Path::new(WORKSPACE_MANIFEST), &self.profile_dir),
            |b, p| b.package(p),
        );
        build.command()
    }

    /// The build command as one would type it.
    pub fn build_command_line(&self) -> String {
        let mut line = String::from("cargo build");
        match self.profile.as_str() {
            "debug" => {}
            "release" => line.push_str(" --release"),
            other => line.push_str(&format!(" --profile {other}")),
        }
        for package in PACKAGES {
            line.push_str(&format!(" -p {package}"));
        }
        line
    }

    /// Builds them (cargo's progress on stderr).
    pub fn build(&self) -> Result<(), BenchError> {
        let command = self.build_command_line();
        eprintln!("hook-bench: building the Rust charms and the hook tool: {command}");
        let status = self
            .build_command()
            .status()
            .map_err(|source| BenchError::Spawn {
                command: command.clone(),
                source,
            })?;
        if !status.success() {
            return Err(BenchError::Command {
                command,
                status,
                stderr: String::new(),
            });
        }
        Ok(())
    }

    /// Fails unless the hook tool exists.
    pub fn check_tool(&self) -> Result<(), BenchError> {
        self.check_paths(&[&self.tool])
    }

    /// Fails naming the first executable that is missing.
    pub fn check(&self) -> Result<(), BenchError> {
        self.check_paths(&[&self.tool, &self.provider, &self.client])
    }

    fn check_paths(&self, paths: &[&PathBuf]) -> Result<(), BenchError> {
        for path in paths {
            if !path.is_file() {
                return Err(BenchError::MissingBinary {
                    path: path.to_path_buf(),
                    build: self.build_command_line(),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_build_follows_the_profile_directory() {
        let release = Binaries::in_dir(PathBuf::from("/w/target/release"));
        assert!(release.is_release());
        assert_eq!(
            release.build_command_line(),
            "cargo build --release -p kafka-examples -p juju-sim"
        );
        let args: Vec<String> = release
            .build_command()
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert!(args.ends_with(&["--target-dir".into(), "/w/target".into()]));
        let debug = Binaries::in_dir(PathBuf::from("/w/target/debug"));
        assert!(!debug.is_release());
        assert_eq!(
            debug.build_command_line(),
            "cargo build -p kafka-examples -p juju-sim"
        );
        assert_eq!(debug.tool, PathBuf::from("/w/target/debug/juju-sim-tool"));
    }
}
