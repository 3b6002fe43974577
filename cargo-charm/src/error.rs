//! What can go wrong, with the path, command or base a user needs to fix it.

use std::io;
use std::path::{Path, PathBuf};

/// Why a `cargo charm` step failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// A YAML file does not parse.
    #[error("parsing {}", path.display())]
    Yaml {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: serde_norway::Error,
    },
    /// `charmcraft.yaml` breaks a rule Juju or charmcraft has (naming the
    /// file and the item).
    #[error(transparent)]
    Charm(#[from] juju_charm::Error),
    /// `charmcraft.yaml` (or a YAML file beside it) is not what a charm
    /// needs.
    #[error("{}: `{field}` {reason}", path.display())]
    Project {
        /// The file.
        path: PathBuf,
        /// The key, dotted (`parts.files.prime`).
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A base that `cargo charm` does not know the glibc of.
    #[error("{}: unknown base {base}; known: {known}", path.display())]
    UnknownBase {
        /// `charmcraft.yaml`.
        path: PathBuf,
        /// The base, as `ubuntu@20.04`.
        base: String,
        /// The bases known, comma-separated.
        known: String,
    },
    /// A command could not be started.
    #[error("could not run `{command}`")]
    Spawn {
        /// The command line.
        command: String,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// A command failed (its messages went to stderr).
    #[error("`{command}` failed ({status})")]
    Command {
        /// The command line.
        command: String,
        /// Its exit status.
        status: std::process::ExitStatus,
    },
    /// cargo built no executable, or more than one and none was chosen.
    #[error("{reason}")]
    NoExecutable {
        /// What was built and what to do.
        reason: String,
    },
    /// The executable is not an ELF file `cargo charm` can read.
    #[error("reading the executable {} as ELF", path.display())]
    Elf {
        /// The executable.
        path: PathBuf,
        /// The cause.
        #[source]
        source: goblin::error::Error,
    },
    /// The executable is for a machine Juju has no architecture name for.
    #[error("{}: built for ELF machine {machine} ({endian}), which has no Juju architecture", path.display())]
    UnknownMachine {
        /// The executable.
        path: PathBuf,
        /// `e_machine`.
        machine: u16,
        /// `little-endian` or `big-endian`.
        endian: &'static str,
    },
    /// The executable cannot run on a base the charm declares.
    #[error(
        "{} needs {needed} (symbol {symbol}) but {base} has glibc {has}: build against \
         glibc {has} (`cargo charm build` does with cargo-zigbuild and zig on PATH: \
         `pip install cargo-zigbuild ziglang`) or drop {base} from the bases",
        path.display()
    )]
    GlibcTooNew {
        /// The executable.
        path: PathBuf,
        /// The newest version it needs, as `GLIBC_2.34`.
        needed: String,
        /// A symbol that needs it, as `__libc_start_main`.
        symbol: String,
        /// The base, as `ubuntu@20.04`.
        base: String,
        /// That base's glibc, as `2.31`.
        has: String,
    },
    /// A file the charm lists is not there, or points outside the charm.
    #[error("{}: {reason}", path.display())]
    Include {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The `.charm` zip could not be written.
    #[error("writing {}", path.display())]
    Zip {
        /// The archive.
        path: PathBuf,
        /// The cause.
        #[source]
        source: zip::result::ZipError,
    },
    /// `cargo charm new` would overwrite something.
    #[error("{} already exists", path.display())]
    Exists {
        /// The folder.
        path: PathBuf,
    },
    /// The charm name is not one Juju accepts.
    #[error("invalid charm name {name:?}: {reason}")]
    Name {
        /// The name given.
        name: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// The simulated model failed.
    #[error("juju-sim")]
    Sim(#[from] juju_sim::Error),
    /// A unit of the deployed charm went into error.
    #[error("unit {unit} is in error: {message}")]
    UnitError {
        /// The unit.
        unit: String,
        /// Juju's message.
        message: String,
    },
}

impl Error {
    /// An [`Error::Io`] for `path`.
    pub fn io(path: impl AsRef<Path>) -> impl FnOnce(io::Error) -> Error {
        let path = path.as_ref().to_path_buf();
        move |source| Error::Io { path, source }
    }

    /// An [`Error::Project`].
    pub fn project(path: &Path, field: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Project {
            path: path.to_path_buf(),
            field: field.into(),
            reason: reason.into(),
        }
    }
}

/// What a step returns.
pub type Result<T, E = Error> = std::result::Result<T, E>;
