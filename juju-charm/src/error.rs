//! Errors reading a charm: each names the file and the item in it.

use std::path::PathBuf;

/// What is wrong with one item of a charm file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// The item has the wrong YAML type.
    #[error("expected {expected}, got {got}")]
    WrongType {
        /// What Juju accepts there (`a string`, `a map`).
        expected: &'static str,
        /// What was found, as JSON.
        got: String,
    },
    /// A required item is missing.
    #[error("missing")]
    Missing,
    /// The item is YAML null (`null`, `~` or nothing), which Juju reads as
    /// no value: text such as a charm named `null` must be quoted.
    #[error("is null (`null`, `~` or no value); quote it if it is text")]
    Null,
    /// The item is present but empty.
    #[error("must not be empty")]
    Empty,
    /// The value is not one of the allowed ones.
    #[error("{got:?} is not one of {allowed:?}")]
    NotOneOf {
        /// The value given.
        got: String,
        /// The values Juju accepts.
        allowed: &'static [&'static str],
    },
    /// `juju` and `juju-*` names are reserved to Juju.
    #[error("{name:?} is reserved: {reason}")]
    Reserved {
        /// The name.
        name: String,
        /// Juju's reason.
        reason: &'static str,
    },
    /// A relation name appears twice (under two roles, or as an extra binding).
    #[error("{name:?} is already declared as {other}")]
    Duplicate {
        /// The name.
        name: String,
        /// Where it is already declared (`requires.db`).
        other: String,
    },
    /// An action name breaks Juju's rule `^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$`.
    #[error("bad action name {0:?}: lowercase letters, digits and inner hyphens only")]
    BadActionName(String),
    /// A config option declares a type Juju does not know.
    #[error("unknown type {0:?}; Juju accepts string, int, float, boolean, secret")]
    UnknownOptionType(String),
    /// A config default does not have the option's type.
    #[error(transparent)]
    BadValue(#[from] crate::config::ValueError),
    /// An action's parameter schema uses a key Juju refuses.
    #[error("schema key {0:?} is not supported by Juju")]
    ProhibitedSchemaKey(String),
    /// A subordinate charm needs a `requires` relation with `scope: container`.
    #[error("a subordinate charm needs a requires relation with scope: container")]
    SubordinateWithoutContainerScope,
    /// A value is malformed for another reason.
    #[error("{0}")]
    Invalid(String),
}

/// Why a charm could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("reading {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid YAML.
    #[error("parsing {path}")]
    Yaml {
        /// The file.
        path: PathBuf,
        /// The YAML error, with its position.
        #[source]
        source: serde_norway::Error,
    },
    /// An item of a file breaks one of Juju's rules.
    #[error("{path}: {item}: {problem}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The item, as a dotted path (`requires.db.limit`); `.` for the
        /// whole file.
        item: String,
        /// What is wrong.
        problem: Problem,
    },
    /// The directory has neither `metadata.yaml` nor a `charmcraft.yaml`
    /// with a `name`.
    #[error("{dir} is not a charm: it has no metadata.yaml and no charmcraft.yaml with a name")]
    NotACharm {
        /// The directory.
        dir: PathBuf,
    },
    /// Both a separate file and `charmcraft.yaml` declare the same part, which
    /// charmcraft refuses.
    #[error("{dir}: {file} and the `{key}` key of charmcraft.yaml both exist; keep one")]
    Conflict {
        /// The charm directory.
        dir: PathBuf,
        /// The separate file (`config.yaml`).
        file: &'static str,
        /// The charmcraft.yaml key (`config`).
        key: &'static str,
    },
}

impl Error {
    /// The problem, when the error is about one item.
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Error::Invalid { problem, .. } => Some(problem),
            _ => None,
        }
    }

    /// The item's dotted path, when the error is about one item.
    pub fn item(&self) -> Option<&str> {
        match self {
            Error::Invalid { item, .. } => Some(item),
            _ => None,
        }
    }
}
