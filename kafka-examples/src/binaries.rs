//! Finding this package's executables (the charms, the hook tool) next to
//! the running one, and building them with cargo when asked.
//!
//! `cargo run --bin demo` builds the demo only, not the package's other
//! executables, so the demo and `pack-charms` run `cargo build --bins` for
//! their own profile and target directory first: a no-op when everything
//! is up to date, a rebuild when a source changed.

use std::path::{Path, PathBuf};
use std::process::Command;

use workspace_bins::{missing, Build};

/// The charm executables and the hook tool the demo needs.
pub const REQUIRED_BINS: [&str; 4] = ["kafka-provider", "kafka-client", "kafka-broker", TOOL_BIN];

/// juju-sim's hook tool as this package builds it.
pub const TOOL_BIN: &str = "sim-hook-tool";

/// The workspace manifest, as found when this package was built.
const WORKSPACE_MANIFEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.toml");

/// Why the executables are not there.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The running executable's path is unknown.
    #[error("cannot tell where the running executable is: {0}")]
    CurrentExe(std::io::Error),
    /// cargo could not be started.
    #[error("could not run `{command}`: {source}")]
    Spawn {
        /// The command line.
        command: String,
        /// The cause.
        source: std::io::Error,
    },
    /// cargo failed (its messages went to stderr).
    #[error("`{command}` failed ({status})")]
    Failed {
        /// The command line.
        command: String,
        /// Its exit status.
        status: std::process::ExitStatus,
    },
    /// The workspace is not where this executable was built from.
    #[error(
        "the workspace manifest {} is gone, so the charms cannot be built; build them with \
         `cargo build --release -p kafka-examples --bins` and run again without building",
        path.display()
    )]
    NoWorkspace {
        /// The manifest looked for.
        path: PathBuf,
    },
    /// Executables are missing after the build (or without one).
    #[error(
        "missing in {}: {}; build them with `cargo build -p kafka-examples --bins` \
         (with --release for target/release)",
        dir.display(),
        missing.join(", ")
    )]
    Missing {
        /// The profile directory.
        dir: PathBuf,
        /// The executables not found.
        missing: Vec<String>,
    },
}

/// The directory of the running executable (`target/release` for
/// `cargo run --release`).
pub fn profile_dir() -> Result<PathBuf, BuildError> {
    workspace_bins::profile_dir().map_err(BuildError::CurrentExe)
}

/// The cargo command that builds this package's executables into
/// `profile_dir` (its profile is the directory's name, its target
/// directory the parent).
pub fn build_command(profile_dir: &Path) -> Result<Command, BuildError> {
    let manifest = PathBuf::from(WORKSPACE_MANIFEST);
    if !manifest.is_file() {
        return Err(BuildError::NoWorkspace { path: manifest });
    }
    Ok(Build::new(&manifest, profile_dir)
        .package("kafka-examples")
        .bins()
        .command())
}

/// Builds this package's executables for `profile_dir` with cargo, whose
/// progress shows on stderr.
pub fn build(profile_dir: &Path) -> Result<(), BuildError> {
    let mut cmd = build_command(profile_dir)?;
    let command = format!("{cmd:?}").replace('"', "");
    let status = cmd.status().map_err(|source| BuildError::Spawn {
        command: command.clone(),
        source,
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(BuildError::Failed { command, status })
    }
}

/// Checks that every executable in [`REQUIRED_BINS`] is in `profile_dir`.
pub fn check(profile_dir: &Path) -> Result<(), BuildError> {
    let missing = missing(profile_dir, &REQUIRED_BINS);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(BuildError::Missing {
            dir: profile_dir.to_path_buf(),
            missing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(profile_dir: &str) -> Vec<String> {
        let cmd = build_command(Path::new(profile_dir)).expect("the workspace is here");
        cmd.get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn the_build_matches_the_profile_and_target_directory() {
        let release = args("/t/release");
        assert!(release.contains(&"--release".to_string()), "{release:?}");
        assert!(release.ends_with(&["--target-dir".into(), "/t".into()]));
        let debug = args("/t/debug");
        assert!(!debug.iter().any(|a| a == "--release" || a == "--profile"));
        let custom = args("/t/bench-fast");
        assert!(custom.windows(2).any(|w| w == ["--profile", "bench-fast"]));
        let all = release.join(" ");
        assert!(all.contains("build --manifest-path") && all.contains("-p kafka-examples --bins"));
    }

    #[test]
    fn missing_executables_are_listed() {
        let dir = std::env::temp_dir().join("kafka-examples-no-bins");
        let err = check(&dir).unwrap_err().to_string();
        assert!(
            err.contains("kafka-provider, kafka-client, kafka-broker, sim-hook-tool"),
            "{err}"
        );
        assert!(err.contains("cargo build"), "{err}");
    }
}
