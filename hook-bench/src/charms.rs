//! The charm directories each implementation deploys, and the null charm
//! that measures the floor of a hook.

use std::path::{Path, PathBuf};
use std::process::Command;

use kafka_examples::pack::{pack_charm_dir, EXAMPLE_CHARMS};

use crate::binaries::{Binaries, CHARM_BINS};
use crate::error::BenchError;
use crate::sample::Side;

/// The provider and client charm directories of one implementation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Implementation {
    /// Which side it is.
    pub side: Side,
    /// What it is, for the report (`Rust, release build`).
    pub description: String,
    /// The `kafka-provider` charm directory.
    pub provider: PathBuf,
    /// The `kafka-client` charm directory.
    pub client: PathBuf,
}

/// The Python reference: the conformance suite's charms, built into `out`
/// by the conformance crate (`conformance/python/build-charm.sh` on the
/// virtualenv of `conformance/bootstrap-venv.sh`, made on first use: a few
/// seconds when PyPI answers, then a stamp file makes it instant). Returns
/// them and the venv's interpreter.
pub fn reference(out: &Path) -> Result<(Implementation, PathBuf), BenchError> {
    let build = |name: &str| -> Result<PathBuf, BenchError> {
        let spec = conformance::charms::charm(name).ok_or_else(|| BenchError::Pack {
            charm: name.into(),
            message: "the conformance suite has no such charm".into(),
        })?;
        conformance::charms::build_charm(spec, conformance::Implementation::Python, &out.join(name))
            .map_err(|e| BenchError::Reference(Box::new(e)))
    };
    let provider = build(CHARM_BINS[0])?;
    let client = build(CHARM_BINS[1])?;
    let venv = conformance::venv::venv().map_err(|e| BenchError::Reference(Box::new(e)))?;
    let python = venv.join("bin/python");
    let versions = framework_versions(&python)?;
    Ok((
        Implementation {
            side: Side::Reference,
            description: format!("Python charms of conformance/python/charms on {versions}"),
            provider,
            client,
        },
        python,
    ))
}

/// This project's example charms (`kafka-examples`), packed from the
/// executables in `bins` into `out` with the package's own packing.
pub fn ours(bins: &Binaries, out: &Path) -> Result<Implementation, BenchError> {
    bins.check()?;
    let pack = |name: &str, binary: &Path| -> Result<PathBuf, BenchError> {
        let charm = EXAMPLE_CHARMS
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| BenchError::Pack {
                charm: name.into(),
                message: "kafka-examples has no such charm".into(),
            })?;
        pack_charm_dir(name, &charm.charm_files(), binary, out).map_err(|e| BenchError::Pack {
            charm: name.into(),
            message: e.to_string(),
        })
    };
    Ok(Implementation {
        side: Side::Ours,
        description: format!(
            "the Rust charms of kafka-examples on reactive-rs ({} build)",
            bins.profile
        ),
        provider: pack(CHARM_BINS[0], &bins.provider)?,
        client: pack(CHARM_BINS[1], &bins.client)?,
    })
}

/// The charms whose `dispatch` is the running executable itself, told
/// apart by a marker file in the charm directory ([`floor_charm_role`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloorCharm {
    /// Exits 0 at once. Its hooks measure what every hook pays before any
    /// charm code runs: the simulator's spawn, `exec`, the dynamic loader
    /// and process exit.
    Null,
    /// `reactive_core::main()` with no handler, and the provider's
    /// `config.yaml`. Its hooks measure the runtime alone: the store, the
    /// automatic flags and their hook-tool calls, the commit.
    EmptyReactive,
}

/// The marker file naming a [`FloorCharm`].
const FLOOR_MARKER: &str = ".hook-bench-charm";

impl FloorCharm {
    fn marker(self) -> &'static str {
        match self {
            FloorCharm::Null => "null",
            FloorCharm::EmptyReactive => "empty-reactive",
        }
    }

    /// Writes the charm into `out/<marker>`; returns its directory.
    pub fn write(self, out: &Path) -> Result<PathBuf, BenchError> {
        let dir = out.join(self.marker());
        std::fs::create_dir_all(&dir).map_err(|e| BenchError::io(&dir, e))?;
        let config = "options:\n  source_port:\n    type: int\n    default: 9092\n    \
                      description: TCP port.\n";
        let files = [
            (
                "metadata.yaml",
                format!(
                    // Quoted: unquoted, the name `null` is YAML null, which
                    // Juju refuses as a charm name.
                    "name: '{}'\nsummary: floor\ndescription: Measures a floor.\n",
                    self.marker()
                ),
            ),
            ("config.yaml", config.to_string()),
            (FLOOR_MARKER, self.marker().to_string()),
        ];
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| BenchError::io(&path, e))?;
        }
        let exe = std::env::current_exe().map_err(|e| BenchError::io(Path::new("<self>"), e))?;
        let dispatch = dir.join("dispatch");
        std::fs::copy(&exe, &dispatch).map_err(|e| BenchError::io(&dispatch, e))?;
        Ok(dir)
    }
}

/// Which floor charm this process was started as, by the simulator or
/// Juju: named `dispatch`, with `JUJU_DISPATCH_PATH` set, in a charm
/// directory that holds the marker. `None` for a normal start.
pub fn floor_charm_role() -> Option<FloorCharm> {
    let named_dispatch = std::env::args_os()
        .next()
        .map(PathBuf::from)
        .is_some_and(|p| p.file_name().is_some_and(|n| n == "dispatch"));
    if !named_dispatch || std::env::var_os("JUJU_DISPATCH_PATH").is_none() {
        return None;
    }
    let dir = std::env::var_os("JUJU_CHARM_DIR")?;
    let marker = std::fs::read_to_string(Path::new(&dir).join(FLOOR_MARKER)).ok()?;
    [FloorCharm::Null, FloorCharm::EmptyReactive]
        .into_iter()
        .find(|c| c.marker() == marker.trim())
}

/// `charms.reactive X, charmhelpers Y (Python Z)` as installed in the venv.
fn framework_versions(python: &Path) -> Result<String, BenchError> {
    let script = "import importlib.metadata as m, platform; \
                  print('charms.reactive %s + charmhelpers %s, Python %s' % \
                  (m.version('charms.reactive'), m.version('charmhelpers'), \
                  platform.python_version()))";
    let out = run_quiet(Command::new(python).args(["-c", script]))?;
    Ok(out.trim().to_string())
}

/// Runs a command to completion, returning its stdout; its stderr is kept
/// for the error.
fn run_quiet(cmd: &mut Command) -> Result<String, BenchError> {
    let command = format!("{cmd:?}").replace('"', "");
    let out = cmd.output().map_err(|source| BenchError::Spawn {
        command: command.clone(),
        source,
    })?;
    if !out.status.success() {
        return Err(BenchError::Command {
            command,
            status: out.status,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}
