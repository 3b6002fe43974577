//! The Python ops charms juju-sim hosts beside Rust ones
//! (`conformance/python/ops-charms`): copied into a charm directory with
//! the shared `dispatch` and the virtualenv's path, as a packed ops charm
//! carries its dependencies, and what they record.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::paths::conformance_dir;

/// The files of an ops charm besides `dispatch` (`config.yaml` when it has
/// one).
const FILES: [&str; 3] = ["metadata.yaml", "config.yaml", "src/charm.py"];

/// A copy of `conformance/python/ops-charms/<name>` at `dir/<name>`,
/// running under the virtualenv `venv`.
pub fn ops_charm(dir: &Path, name: &str, venv: &Path) -> Result<PathBuf, Error> {
    let charms = conformance_dir().join("python/ops-charms");
    let out = dir.join(name);
    let src = out.join("src");
    fs::create_dir_all(&src).map_err(|e| Error::io(&src, e))?;
    for file in FILES {
        let from = charms.join(name).join(file);
        if file == "config.yaml" && !from.is_file() {
            continue;
        }
        fs::copy(&from, out.join(file)).map_err(|e| Error::io(&from, e))?;
    }
    let dispatch = charms.join("dispatch");
    fs::copy(&dispatch, out.join("dispatch")).map_err(|e| Error::io(&dispatch, e))?;
    let venv_path = out.join(".venv-path");
    fs::write(&venv_path, venv.display().to_string()).map_err(|e| Error::io(&venv_path, e))?;
    Ok(out)
}

/// The lines an ops charm appended to `events.log` in its unit directory
/// `unit_dir`, repeats folded (a charm may record the same thing in
/// several hooks).
pub fn recorded(unit_dir: &Path) -> Vec<String> {
    let mut lines: Vec<String> = fs::read_to_string(unit_dir.join("events.log"))
        .unwrap_or_default()
        .lines()
        .map(String::from)
        .collect();
    lines.dedup();
    lines
}
