//! The charms both implementations provide, and how each is made into a
//! charm directory the simulator can deploy.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::binaries::Binaries;
use crate::error::{tail, Error};
use crate::paths::{conformance_dir, workspace_root};
use crate::venv::venv;

/// Which framework runs a charm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Implementation {
    /// `charms.reactive` 1.5.3 + `charmhelpers` 1.2.1, the reference.
    Python,
    /// This project's engine.
    Rust,
}

impl Implementation {
    /// Both, reference first.
    pub const BOTH: [Implementation; 2] = [Implementation::Python, Implementation::Rust];
}

impl fmt::Display for Implementation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Implementation::Python => "python",
            Implementation::Rust => "rust",
        })
    }
}

/// The Rust side of a charm: a binary that becomes the charm's `dispatch`,
/// and the directory holding its `metadata.yaml` and `config.yaml`.
#[derive(Debug, Clone, Copy)]
pub struct RustCharm {
    /// The cargo package of the binary.
    pub package: &'static str,
    /// The binary.
    pub bin: &'static str,
    /// The directory with the charm's YAML files, relative to the workspace.
    pub files: &'static str,
}

/// A charm both implementations provide.
#[derive(Debug, Clone, Copy)]
pub struct CharmSpec {
    /// The name scenarios use.
    pub name: &'static str,
    /// The Python charm: a directory under `conformance/python/charms`.
    pub python: &'static str,
    /// The Rust charm.
    pub rust: RustCharm,
    /// Files of the charm directory observed after every step.
    pub observed_files: &'static [&'static str],
}

/// Every charm the scenarios may deploy.
pub const CHARMS: &[CharmSpec] = &[
    CharmSpec {
        name: "probe",
        python: "probe",
        // The Python probe's metadata.yaml and config.yaml, shared.
        rust: RustCharm {
            package: "conformance",
            bin: "probe",
            files: "conformance/python/charms/probe",
        },
        observed_files: &["probe-alone.txt", "probe-flagged.txt"],
    },
    CharmSpec {
        name: "kafka-provider",
        python: "kafka-provider",
        rust: RustCharm {
            package: "kafka-examples",
            bin: "kafka-provider",
            files: "kafka-examples/charms/kafka-provider",
        },
        observed_files: &[],
    },
    CharmSpec {
        name: "kafka-client",
        python: "kafka-client",
        rust: RustCharm {
            package: "kafka-examples",
            bin: "kafka-client",
            files: "kafka-examples/charms/kafka-client",
        },
        observed_files: &["kafka-client.properties"],
    },
];

/// The files copied from [`RustCharm::files`] into a packed charm.
const CHARM_FILES: [&str; 5] = [
    "metadata.yaml",
    "config.yaml",
    "actions.yaml",
    "metrics.yaml",
    "charmcraft.yaml",
];

/// Rust charms the interoperability tests deploy beside Python ops charms
/// (no Python twin): the `kafka_client` broker.
pub const INTEROP_CHARMS: &[RustCharm] = &[RustCharm {
    package: "kafka-examples",
    bin: "kafka-broker",
    files: "kafka-examples/charms/kafka-broker",
}];

/// The charm named `name`.
pub fn charm(name: &str) -> Option<&'static CharmSpec> {
    CHARMS.iter().find(|c| c.name == name)
}

/// Makes the charm directory of `spec` for `implementation` at `out`
/// (which must not exist yet) and returns it.
pub fn build_charm(
    spec: &CharmSpec,
    implementation: Implementation,
    out: &Path,
) -> Result<PathBuf, Error> {
    match implementation {
        Implementation::Python => build_python(spec.python, out),
        Implementation::Rust => pack_rust(&spec.rust, out),
    }
}

/// `conformance/python/build-charm.sh CHARM OUT VENV`.
fn build_python(charm: &str, out: &Path) -> Result<PathBuf, Error> {
    let venv = venv()?;
    let script = conformance_dir().join("python").join("build-charm.sh");
    let command = format!(
        "{} {charm} {} {}",
        script.display(),
        out.display(),
        venv.display()
    );
    let result = Error::output(
        Command::new(&script).arg(charm).arg(out).arg(&venv),
        &command,
    )?;
    if !result.status.success() {
        return Err(Error::Build {
            what: format!("the Python charm {charm}"),
            command,
            status: result.status.to_string(),
            stderr: tail(&String::from_utf8_lossy(&result.stderr), 30),
        });
    }
    Ok(out.to_path_buf())
}

/// The charm's YAML files, and its binary as `dispatch`, packed as the
/// example charms are (`kafka_examples::pack_charm_dir`), at `out` (which
/// must not exist yet).
pub fn pack_rust(charm: &RustCharm, out: &Path) -> Result<PathBuf, Error> {
    let binary = Binaries::get()?.path(charm.bin);
    let source = workspace_root().join(charm.files);
    let mut files = Vec::new();
    for name in CHARM_FILES {
        let path = source.join(name);
        if path.is_file() {
            let contents = fs::read(&path).map_err(|e| Error::io(&path, e))?;
            files.push((name.to_string(), contents));
        }
    }
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return Err(Error::io(
            out,
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a charm directory path",
            ),
        ));
    };
    let name = name.to_string_lossy();
    kafka_examples::pack_charm_dir(&name, &files, &binary, parent).map_err(|source| Error::Pack {
        charm: name.to_string(),
        source,
    })
}
