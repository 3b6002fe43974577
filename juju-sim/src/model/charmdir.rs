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
    copy_tree(src, dst, false)
}

/// Links (or copies) every file of `src` into `dst`, creating folders; with
/// `unlink_first`, a file already in `dst` is removed before it is
/// replaced, so a hard link to an old source is never written through.
fn copy_tree(src: &Path, dst: &Path, unlink_first: bool) -> Result<(), Error> {
    fs::create_dir_all(dst).map_err(|e| Error::io(dst, e))?;
    let entries = fs::read_dir(src).map_err(|e| Error::io(src, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(src, e))?;
        let name = entry.file_name();
        if skipped(&name.to_string_lossy()) {
            continue;
        }
        let (from, to) = (entry.path(), dst.join(&name));
        if entry.file_type().map_err(|e| Error::io(&from, e))?.is_dir() {
            copy_tree(&from, &to, unlink_first)?;
            continue;
        }
        if unlink_first {
            match fs::remove_file(&to) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::io(&to, e))
                }
                _ => {}
            }
        }
        link_or_copy(&entry, &from, &to)?;
    }
    Ok(())
}

/// A symlink is recreated; a file hard-linked, or copied when linking fails.
fn link_or_copy(entry: &fs::DirEntry, from: &Path, to: &Path) -> Result<(), Error> {
    if entry
        .file_type()
        .map_err(|e| Error::io(from, e))?
        .is_symlink()
    {
        let target = fs::read_link(from).map_err(|e| Error::io(from, e))?;
        std::os::unix::fs::symlink(target, to).map_err(|e| Error::io(to, e))?;
    } else if fs::hard_link(from, to).is_err() {
        fs::copy(from, to).map_err(|e| Error::io(to, e))?;
    }
    Ok(())
}

/// Replaces the charm's files in `dst` with those of `new`, as an upgrade
/// does: files the old charm (`old`) shipped and the new one does not are
/// removed; files the unit wrote itself stay. A file is unlinked before it
/// is replaced, so a hard link to the old source is never written through.
pub(crate) fn replace(old: &Path, new: &Path, dst: &Path) -> Result<(), Error> {
    remove_dropped(old, new, dst)?;
    copy_tree(new, dst, true)
}

fn remove_dropped(old: &Path, new: &Path, dst: &Path) -> Result<(), Error> {
    let Ok(entries) = fs::read_dir(old) else {
        // The old source is gone: nothing to compare with.
        return Ok(());
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(old, e))?;
        let name = entry.file_name();
        if skipped(&name.to_string_lossy()) {
            continue;
        }
        let (in_new, in_dst) = (new.join(&name), dst.join(&name));
        let is_dir = entry
            .file_type()
            .map_err(|e| Error::io(entry.path(), e))?
            .is_dir();
        if is_dir && in_new.is_dir() {
            remove_dropped(&entry.path(), &in_new, &in_dst)?;
        } else if fs::symlink_metadata(&in_new).is_err() {
            let removed = if is_dir {
                fs::remove_dir_all(&in_dst)
            } else {
                fs::remove_file(&in_dst)
            };
            match removed {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Error::io(&in_dst, e))
                }
                _ => {}
            }
        }
    }
    Ok(())
}
