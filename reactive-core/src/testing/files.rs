//! The files of the state's own charm directory: written there before a
//! hook, read back after it, so that what handlers write (relative paths
//! resolve against the charm directory, `hookenv::charm_path`) is part of
//! the output state and of the next hook's input, and no test sees
//! another's.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// What the harness itself puts in the charm directory: the store and the
/// started-hook marker beside it (`skips`).
pub(crate) const HARNESS_FILES: [&str; 2] = ["state.sled", "state.sled.hook"];

/// Writes `files` (paths relative to `dir`) into `dir`.
pub(crate) fn write(dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> io::Result<()> {
    for (path, bytes) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(target, bytes)?;
    }
    Ok(())
}

/// Every file under `dir` but the harness's own, by path relative to it.
pub(crate) fn read(dir: &Path) -> io::Result<BTreeMap<PathBuf, Vec<u8>>> {
    let mut out = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            let rel = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            if d == dir && HARNESS_FILES.iter().any(|f| rel == Path::new(f)) {
                continue;
            }
            if entry.file_type()?.is_dir() {
                pending.push(path);
            } else {
                out.insert(rel, std::fs::read(&path)?);
            }
        }
    }
    Ok(out)
}
