//! PATCHED (not in sled 0.34.7): which snapshot files count, and writing
//! files atomically (snapshots and the `conf` file).
//!
//! A snapshot is written to `snap.<lsn>.generating`, fsynced, renamed to
//! `snap.<lsn>`, and the directory fsynced. Only names of that second form
//! are committed snapshots; a `.generating` file is what a killed or failed
//! write left behind (empty, partial, or whole but never renamed). sled
//! 0.34.7 took such a file for the latest snapshot and reported corruption
//! on every open from then on; now it is ignored and removed.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::*;

const PREFIX: &str = "snap.";
const UNFINISHED: &str = ".generating";

/// The committed snapshot files in the store's directory, oldest first,
/// after removing what unfinished snapshot writes left behind.
pub(crate) fn committed_snapshots(
    config: &RunningConfig,
) -> io::Result<Vec<PathBuf>> {
    let mut committed = vec![];
    for path in config.get_snapshot_files()? {
        let name = match path.file_name().and_then(|n| n.to_str()) {
            Some(name) => name,
            None => continue,
        };
        if is_committed(name) {
            committed.push(path);
        } else if name.starts_with(PREFIX) && name.ends_with(UNFINISHED) {
            warn!("removing unfinished snapshot file {:?}", path);
            if let Err(e) = fs::remove_file(&path) {
                warn!("failed to remove unfinished snapshot {:?}: {}", path, e);
            }
        }
    }
    // Fixed-width hexadecimal: name order is LSN order.
    committed.sort();
    Ok(committed)
}

/// `snap.` and 16 hexadecimal digits, as `write_atomically` names them.
fn is_committed(name: &str) -> bool {
    name.strip_prefix(PREFIX).map_or(false, |lsn| {
        lsn.len() == 16 && lsn.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// The name of the snapshot of `lsn`, committed and while being written.
pub(crate) fn snapshot_paths(dir: &Path, lsn: Lsn) -> (PathBuf, PathBuf) {
    let committed = dir.join(format!("{}{:016X}", PREFIX, lsn));
    let unfinished = dir.join(format!("{}{:016X}{}", PREFIX, lsn, UNFINISHED));
    (unfinished, committed)
}

/// Writes `parts` to `path` all or nothing: into `unfinished` (truncated
/// first: a stale longer file must not leave a tail), fsynced, renamed to
/// `path`, the directory fsynced. On failure `unfinished` is removed.
pub(crate) fn write_atomically(
    unfinished: &Path,
    path: &Path,
    parts: &[&[u8]],
) -> io::Result<()> {
    let written = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(unfinished)?;
        for part in parts {
            f.write_all(part)?;
        }
        f.sync_all()?;
        drop(f);
        fs::rename(unfinished, path)?;
        sync_dir(path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(unfinished);
    }
    written
}

/// Makes a rename in `path`'s directory durable.
fn sync_dir(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) => fs::File::open(dir)?.sync_all(),
        None => Ok(()),
    }
}
