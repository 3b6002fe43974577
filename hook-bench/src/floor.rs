//! What a hook costs before the framework does any work: the floors the
//! report subtracts to say where each side's overhead goes.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::error::BenchError;
use crate::sample::Sample;

/// The floors measured in a run, each a list of wall times in µs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Floors {
    /// `update-status` of the null charm through juju-sim (spawn, exec,
    /// exit of a native executable that does nothing).
    pub null: Vec<Sample>,
    /// `update-status` of the empty reactive-rs charm (the runtime with no
    /// handler).
    pub empty_reactive: Vec<Sample>,
    /// `dispatch flags` of the empty reactive-rs charm: start, open the
    /// unit's sled store, read the flags, exit.
    pub store_read_us: Vec<u64>,
    /// `python -c pass` in the reference venv (interpreter start, `site`).
    pub python_start_us: Vec<u64>,
    /// `python -c "import charms.reactive, charmhelpers.core.hookenv"`.
    pub python_import_us: Vec<u64>,
}

/// The Python statement timed as "framework import".
pub const IMPORT_STATEMENT: &str = "import charms.reactive, charmhelpers.core.hookenv";

/// Times `python -c pass` and the framework import, `repeats` times each,
/// alternating so that both see the same machine.
pub fn python(python: &Path, repeats: usize) -> Result<(Vec<u64>, Vec<u64>), BenchError> {
    let (mut start, mut import) = (Vec::new(), Vec::new());
    for _ in 0..repeats {
        start.push(time(python, &["-c", "pass"], &[])?);
        import.push(time(python, &["-c", IMPORT_STATEMENT], &[])?);
    }
    Ok((start, import))
}

/// Times `dispatch flags` of a unit of the empty reactive charm, whose
/// charm directory is `unit_dir`, `repeats` times: the charm's command
/// line starts, opens the unit's store, reads the flags, exits.
pub fn store_read(unit_dir: &Path, repeats: usize) -> Result<Vec<u64>, BenchError> {
    let dispatch = unit_dir.join("dispatch");
    let dir = unit_dir.to_string_lossy();
    // JUJU_DISPATCH_PATH marks the start as the charm's, not the benchmark's.
    let env = [
        ("JUJU_CHARM_DIR", dir.as_ref()),
        ("JUJU_DISPATCH_PATH", "hooks/update-status"),
    ];
    (0..repeats)
        .map(|_| time(&dispatch, &["flags"], &env))
        .collect()
}

/// Wall time of one run of a command that must succeed, µs.
fn time(program: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<u64, BenchError> {
    let command = format!("{} {}", program.display(), args.join(" "));
    let start = Instant::now();
    let out = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|source| BenchError::Spawn {
            command: command.clone(),
            source,
        })?;
    let micros = start.elapsed().as_micros() as u64;
    if !out.status.success() {
        return Err(BenchError::Command {
            command,
            status: out.status,
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        });
    }
    Ok(micros)
}
