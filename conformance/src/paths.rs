//! Where things are: the workspace, the target directory, the scenarios.

use std::path::{Path, PathBuf};

/// The workspace root (the directory holding `conformance/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// `conformance/` in the workspace.
pub fn conformance_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The scenarios driven through the simulator: `conformance/scenarios/sim`.
pub fn scenarios_dir() -> PathBuf {
    conformance_dir().join("scenarios").join("sim")
}

/// The directory of the running executable's cargo profile
/// (`target/debug` for `target/debug/deps/probe-1234`), if it is one.
pub(crate) fn profile_dir() -> Option<PathBuf> {
    workspace_bins::profile_dir().ok()
}

/// The cargo target directory: `$CARGO_TARGET_DIR`, else the one the
/// running executable was built in, else `<workspace>/target`.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    profile_dir()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .filter(|t| t.join("CACHEDIR.TAG").exists())
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// The virtualenv of the Python reference framework:
/// `<target>/conformance-venv`.
pub fn venv_dir() -> PathBuf {
    target_dir().join("conformance-venv")
}
