//! The simulator's errors, each carrying what a user needs to act on it.

use std::path::{Path, PathBuf};

use crate::charm::OptionType;
use crate::report::Settlement;

/// Everything that can go wrong driving the model.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A YAML file of the charm is malformed.
    #[error("{path}: {source}")]
    Yaml {
        /// The file.
        path: PathBuf,
        /// The parse error, with its position.
        #[source]
        source: serde_norway::Error,
    },
    /// A JSON file (the persisted model) is malformed.
    #[error("{path}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The parse error, with its position.
        #[source]
        source: serde_json::Error,
    },
    /// The persisted model contradicts itself.
    #[error("{path}: inconsistent model: {problem}")]
    Inconsistent {
        /// The file.
        path: PathBuf,
        /// The broken reference.
        problem: String,
    },
    /// The charm's metadata, config or actions break one of Juju's rules
    /// (the error names the file and the item).
    #[error(transparent)]
    Charm(juju_charm::Error),
    /// The directory has neither `metadata.yaml` nor `charmcraft.yaml`.
    #[error("{dir} is not a charm: it has no metadata.yaml (nor charmcraft.yaml)")]
    NotACharm {
        /// The directory.
        dir: PathBuf,
    },
    /// The application has no such config option.
    #[error("application {app:?} has no config option {option:?}")]
    UnknownOption {
        /// The application.
        app: String,
        /// The option.
        option: String,
    },
    /// A config value does not parse as the option's type.
    #[error("config option {option:?} of {app:?} is a {kind}; {value:?} is not")]
    BadOptionValue {
        /// The application.
        app: String,
        /// The option.
        option: String,
        /// Its type.
        kind: OptionType,
        /// The value given.
        value: String,
    },
    /// The hook-tool executable was not found.
    #[error("the hook tool juju-sim-tool was not found (looked at: {}); build it with `cargo build -p juju-sim` or set JUJU_SIM_TOOL", display_paths(.searched))]
    ToolNotFound {
        /// Every place looked at.
        searched: Vec<PathBuf>,
    },
    /// A model already exists in the directory.
    #[error("{dir} already holds a model (model.json); open it instead")]
    ModelExists {
        /// The directory.
        dir: PathBuf,
    },
    /// No model was saved in the directory.
    #[error("{dir} holds no model (no model.json)")]
    NoModel {
        /// The directory.
        dir: PathBuf,
    },
    /// Not a valid application name.
    #[error("invalid application name {0:?}: use lowercase letters, digits and hyphens, starting with a letter")]
    InvalidAppName(String),
    /// An application of that name is already deployed.
    #[error("application {0:?} already exists")]
    AppExists(String),
    /// No such application.
    #[error("application {0:?} not found")]
    UnknownApp(String),
    /// No such unit (or it is being removed).
    #[error("unit {0:?} not found")]
    UnknownUnit(String),
    /// The application has no such endpoint.
    #[error("application {app:?} has no relation endpoint {endpoint:?}")]
    UnknownEndpoint {
        /// The application.
        app: String,
        /// The endpoint asked for.
        endpoint: String,
    },
    /// No endpoint pair matches (provides/requires of one interface).
    #[error("cannot relate {a:?} and {b:?}: {reason}")]
    CannotRelate {
        /// The first endpoint as given.
        a: String,
        /// The second endpoint as given.
        b: String,
        /// What did not match (roles, interfaces, ambiguity, limit, ...).
        reason: String,
    },
    /// No such relation.
    #[error("relation {0} not found")]
    UnknownRelation(u32),
    /// No such secret (`secret:<id>` or its owner label).
    #[error("secret {0:?} not found")]
    UnknownSecret(String),
    /// Peer relations live as long as their application.
    #[error("relation {0} is a peer relation; peer relations cannot be removed")]
    PeerRelation(u32),
    /// The charm declares no such action.
    #[error("unit {unit:?}: the charm has no action {action:?} in actions.yaml")]
    UnknownAction {
        /// The unit.
        unit: String,
        /// The action.
        action: String,
    },
    /// A task's parameters do not fit the action's schema; the charm is
    /// not run (as `juju run` refuses it).
    #[error("unit {unit:?}: action {action:?}: validation failed: {}", .problems.join("; "))]
    BadActionParams {
        /// The unit.
        unit: String,
        /// The action.
        action: String,
        /// Each problem, `(root).<param> : <reason>`.
        problems: Vec<String>,
    },
    /// A `.charm` archive could not be read or unpacked.
    #[error("{path}: not a usable .charm archive: {reason}")]
    BadArchive {
        /// The archive.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The charm does not declare the model's base.
    #[error("cannot deploy {charm}: {reason}")]
    WrongBase {
        /// The charm given.
        charm: PathBuf,
        /// Why it does not fit.
        reason: String,
    },
    /// `refresh` refused the new charm.
    #[error("cannot refresh {app:?}: {reason}")]
    CannotRefresh {
        /// The application.
        app: String,
        /// Why.
        reason: String,
    },
    /// The charm has no `dispatch` to ask for its flags.
    #[error("unit {unit:?}: {path} does not exist, so the charm cannot report its flags")]
    NoDispatch {
        /// The unit.
        unit: String,
        /// The missing file.
        path: PathBuf,
    },
    /// `dispatch flags` failed or printed something other than a JSON object.
    #[error("unit {unit:?}: `dispatch flags` {problem}")]
    Flags {
        /// The unit.
        unit: String,
        /// What went wrong, with the process's output.
        problem: String,
    },
    /// Units were left in error by `settle`; the report holds every run.
    #[error("{}", display_failures(.0))]
    HookFailed(Box<Settlement>),
    /// Hooks kept queueing hooks beyond the configured bound.
    #[error("the model did not settle after {runs} hook runs; still queued: {pending}")]
    NoQuiescence {
        /// Hook runs made by this settle.
        runs: usize,
        /// Queued hooks, `unit: hook, ...`.
        pending: String,
    },
}

impl Error {
    pub(crate) fn io(path: impl AsRef<Path>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }
}

fn display_paths(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

fn display_failures(s: &Settlement) -> String {
    let each: Vec<String> = s.errors.iter().map(|e| e.to_string()).collect();
    format!(
        "units left in error (model seed {}): {}",
        s.seed,
        each.join("; ")
    )
}
