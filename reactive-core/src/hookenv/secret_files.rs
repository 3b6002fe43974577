//! Secret content on its way to a real hook tool: one file per value in a
//! private temporary directory, named on the command line as
//! `key#file=<path>`, removed when the call returns.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::HookError;
use super::secret::{SecretContent, CONTENT_FILE};
use super::tool_call::ToolCall;

/// Runs `f` with `c`'s `key#file=…` arguments pointing at files holding
/// `content`'s values.
pub(super) fn with_content_files<R>(
    c: &ToolCall,
    content: &SecretContent,
    f: impl FnOnce(&ToolCall) -> Result<R, HookError>,
) -> Result<R, HookError> {
    if content.is_empty() {
        return f(c);
    }
    let failed = |path: PathBuf, source| HookError::SecretFile {
        call: c.clone(),
        path,
        source,
    };
    // `tempfile` makes the directory readable by this user only.
    let dir = tempfile::Builder::new()
        .prefix("secret-content-")
        .tempdir()
        .map_err(|e| failed(std::env::temp_dir(), e))?;
    for (key, value) in content {
        let path = dir.path().join(key);
        write_private(&path, value.as_bytes()).map_err(|e| failed(path.clone(), e))?;
    }
    let placeholder = format!("#file={CONTENT_FILE}");
    let args = c
        .args
        .iter()
        .map(|a| match a.strip_suffix(&placeholder) {
            Some(key) => format!("{key}#file={}", dir.path().join(key).display()),
            None => a.clone(),
        })
        .collect();
    f(&ToolCall {
        tool: c.tool.clone(),
        args,
        input: None,
    })
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}
