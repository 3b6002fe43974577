//! What can stop a benchmark run, each with what a user needs to act on it.

use std::path::{Path, PathBuf};
use std::process::ExitStatus;

/// Why the benchmark could not run or could not write its report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BenchError {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A helper command (cargo, a build script, python) could not be started.
    #[error("could not run `{command}`: {source}")]
    Spawn {
        /// The command line.
        command: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A helper command failed.
    #[error("`{command}` failed ({status}){}", stderr_suffix(.stderr))]
    Command {
        /// The command line.
        command: String,
        /// Its exit status.
        status: ExitStatus,
        /// The end of its stderr, when it was captured.
        stderr: String,
    },
    /// An executable is missing after the build.
    #[error("{} is missing after `{build}`", path.display())]
    MissingBinary {
        /// Where it was expected.
        path: PathBuf,
        /// The build command that should have made it.
        build: String,
    },
    /// The reference side (its virtualenv or its charms) could not be made.
    #[error("preparing the Python reference")]
    Reference(#[source] Box<conformance::Error>),
    /// Packing a Rust charm failed.
    #[error("packing charm {charm}: {message}")]
    Pack {
        /// The charm.
        charm: String,
        /// What went wrong.
        message: String,
    },
    /// The offline Juju failed, or a hook failed (a benchmark of failing
    /// hooks measures nothing).
    #[error("{implementation}, {scenario}, step `{step}`: {source}")]
    Sim {
        /// Which implementation was running.
        implementation: String,
        /// The scenario.
        scenario: String,
        /// The step of the scenario.
        step: String,
        /// The simulator's error (for a failed hook: every run and the
        /// units left in error).
        #[source]
        source: Box<juju_sim::Error>,
    },
    /// The charms ran but did not reach the state the scenario expects.
    #[error("{implementation}, {scenario}, step `{step}`: {problem}")]
    Scenario {
        /// Which implementation was running.
        implementation: String,
        /// The scenario.
        scenario: String,
        /// The step of the scenario.
        step: String,
        /// What was wrong.
        problem: String,
    },
    /// The chart could not be drawn.
    #[error("drawing {}: {message}", path.display())]
    Plot {
        /// The SVG file.
        path: PathBuf,
        /// The drawing backend's message.
        message: String,
    },
}

impl BenchError {
    /// An [`BenchError::Io`] for `path`.
    pub fn io(path: &Path, source: std::io::Error) -> BenchError {
        BenchError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

fn stderr_suffix(stderr: &str) -> String {
    let tail: Vec<&str> = stderr.trim_end().lines().rev().take(5).collect();
    if tail.is_empty() {
        String::new()
    } else {
        let lines: Vec<&str> = tail.into_iter().rev().collect();
        format!(":\n{}", lines.join("\n"))
    }
}
