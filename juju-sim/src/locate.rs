//! Finding the `juju-sim-tool` executable and installing it under every
//! hook-tool name.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::tool::TOOL_NAMES;

/// The environment variable that names the tool executable explicitly.
pub const TOOL_ENV: &str = "JUJU_SIM_TOOL";

/// File name of the tool executable.
pub const TOOL_BIN: &str = "juju-sim-tool";

/// Finds the tool: `$JUJU_SIM_TOOL`, else next to the current executable,
/// else in an ancestor directory of it (test binaries live in
/// `target/<profile>/deps`, the tool in `target/<profile>`).
pub fn locate_tool() -> Result<PathBuf, Error> {
    workspace_bins::locate(TOOL_BIN, TOOL_ENV).map_err(|searched| Error::ToolNotFound { searched })
}

/// Makes `dir` hold a symbolic link to `tool` under every tool name.
pub(crate) fn install_tools(dir: &Path, tool: &Path) -> Result<(), Error> {
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tool = tool.canonicalize().map_err(|e| Error::io(tool, e))?;
    for name in TOOL_NAMES {
        let link = dir.join(name);
        if fs::read_link(&link).is_ok_and(|target| target == tool) {
            continue;
        }
        if link.symlink_metadata().is_ok() {
            fs::remove_file(&link).map_err(|e| Error::io(&link, e))?;
        }
        std::os::unix::fs::symlink(&tool, &link).map_err(|e| Error::io(&link, e))?;
    }
    Ok(())
}
