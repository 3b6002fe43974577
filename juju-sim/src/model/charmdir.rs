//! Giving each unit its own copy of the charm directory.
//!
//! Files are hard-linked (copied when linking fails, e.g. across file
//! systems), so a 50 MB charm binary costs nothing per unit. A charm that
//! writes new files or replaces files keeps that to its unit; one that
//! rewrites a shipped file in place would change the source too, which no
//! charm framework does.

use std::fs;
use std::path::Path;

use crate::error::Error;

/// Names never copied: a unit's own state, left in the source directory by
/// a local run, must not be shared between units.
fn skipped(name: &str) -> bool {
    name.starts_with(".unit-state") || name == ".git"
}

/// Fills `dst` (created) with the contents of `src`.
pub(crate) fn populate(src: &Path, dst: &Path) -> Result<(), Error> {
    fs::create_dir_all(dst).map_err(|e| Error::io(dst, e))?;
    let entries = fs::read_dir(src).map_err(|e| Error::io(src, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(src, e))?;
        let name = entry.file_name();
        if skipped(&name.to_string_lossy()) {
            continue;
        }
        let from = entry.path();
        let to = dst.join(&name);
        let kind = entry.file_type().map_err(|e| Error::io(&from, e))?;
        if kind.is_dir() {
            populate(&from, &to)?;
        } else if kind.is_symlink() {
            let target = fs::read_link(&from).map_err(|e| Error::io(&from, e))?;
            std::os::unix::fs::symlink(target, &to).map_err(|e| Error::io(&to, e))?;
        } else if fs::hard_link(&from, &to).is_err() {
            fs::copy(&from, &to).map_err(|e| Error::io(&to, e))?;
        }
    }
    Ok(())
}
