//! What can go wrong while setting up or running a conformance scenario.

use std::path::PathBuf;

/// An error of the runner (not a difference between the implementations:
/// those are [`crate::Difference`]s).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The Python virtualenv could not be made.
    #[error(
        "the Python reference virtualenv could not be created: `{command}` {status}\n{stderr}\n\
         It needs python3 with the venv module and network access to PyPI; \
         run `conformance/bootstrap-venv.sh` to see its whole output"
    )]
    Bootstrap {
        /// The command run.
        command: String,
        /// How it ended.
        status: String,
        /// The end of its stderr.
        stderr: String,
    },
    /// Building binaries or a charm failed.
    #[error("building {what} failed: `{command}` {status}\n{stderr}")]
    Build {
        /// What was being built.
        what: String,
        /// The command run.
        command: String,
        /// How it ended.
        status: String,
        /// The end of its stderr.
        stderr: String,
    },
    /// Packing a Rust charm failed.
    #[error("packing the Rust charm {charm}: {source}")]
    Pack {
        /// The charm.
        charm: String,
        /// Why.
        source: kafka_examples::PackError,
    },
    /// A set-up step failed earlier in this process; its error is repeated.
    #[error("{0}")]
    Setup(String),
    /// A command could not be started.
    #[error("cannot run `{command}`: {source}")]
    Spawn {
        /// The command.
        command: String,
        /// Why.
        source: std::io::Error,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A scenario file is not valid JSON of the expected shape.
    #[error("scenario {path}: {source}")]
    ScenarioJson {
        /// The file.
        path: PathBuf,
        /// Why.
        source: serde_json::Error,
    },
    /// A scenario names something that does not exist.
    #[error("scenario {scenario}: {reason}")]
    Scenario {
        /// The scenario.
        scenario: String,
        /// What is wrong.
        reason: String,
    },
    /// The simulator refused an operation or failed to run a hook.
    #[error("{implementation} run of scenario {scenario}, step {step} ({label}): {source}")]
    Sim {
        /// `python` or `rust`.
        implementation: String,
        /// The scenario.
        scenario: String,
        /// The step index.
        step: usize,
        /// What the step does.
        label: String,
        /// The simulator's error.
        source: Box<juju_sim::Error>,
    },
}

impl Error {
    /// Runs `cmd` to completion with its output captured; `command` names
    /// it if it cannot be started.
    pub(crate) fn output(
        cmd: &mut std::process::Command,
        command: &str,
    ) -> Result<std::process::Output, Error> {
        cmd.output().map_err(|source| Error::Spawn {
            command: command.to_string(),
            source,
        })
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// The last `n` lines of `text`, for error messages.
pub(crate) fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.trim_end().lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}
