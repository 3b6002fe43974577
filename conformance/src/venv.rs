//! The Python reference framework's virtualenv, made once per process by
//! `conformance/bootstrap-venv.sh` (which itself locks the venv, so
//! concurrent processes wait for one another and the second finds it made).

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use crate::error::{tail, Error};
use crate::paths::{conformance_dir, venv_dir};

/// The virtualenv's path, bootstrapping it on first use. Fails with the
/// script's output when it cannot be made (no python3, no network).
pub fn venv() -> Result<PathBuf, Error> {
    static VENV: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    VENV.get_or_init(|| bootstrap().map_err(|e| e.to_string()))
        .clone()
        .map_err(Error::Setup)
}

fn bootstrap() -> Result<PathBuf, Error> {
    let script = conformance_dir().join("bootstrap-venv.sh");
    let dir = venv_dir();
    let command = format!("{} {}", script.display(), dir.display());
    let out = Error::output(Command::new(&script).arg(&dir), &command)?;
    if !out.status.success() {
        return Err(Error::Bootstrap {
            command,
            status: out.status.to_string(),
            stderr: tail(&String::from_utf8_lossy(&out.stderr), 30),
        });
    }
    let printed = String::from_utf8_lossy(&out.stdout).trim().to_string();
    Ok(if printed.is_empty() {
        dir
    } else {
        PathBuf::from(printed)
    })
}
