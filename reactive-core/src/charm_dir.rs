//! The charm directory a hook runs in, checked before anything else: a
//! directory that does not exist, or one without the charm's metadata,
//! fails the hook with a message naming the path, before the store is
//! opened (sled would create the directory, and a fresh store in it).
//!
//! Juju always runs a hook in the unit's charm directory; a wrong one
//! (`JUJU_CHARM_DIR` pointing elsewhere, a charm packed without its
//! `metadata.yaml`) would otherwise run every hook with no endpoint, no
//! relation handler and an empty state, all of it silently.

use std::path::{Path, PathBuf};

use crate::metadata::{Metadata, MetadataError};

/// Why the charm directory cannot run a hook.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CharmDirError {
    /// Nothing is at the path.
    #[error("the charm directory {path} does not exist")]
    Missing {
        /// The charm directory (`JUJU_CHARM_DIR`).
        path: PathBuf,
    },
    /// Something other than a directory is at the path.
    #[error("the charm directory {path} is not a directory")]
    NotADirectory {
        /// The charm directory.
        path: PathBuf,
    },
    /// It holds neither `metadata.yaml` nor a `charmcraft.yaml` with the
    /// metadata.
    #[error(
        "the charm directory {path} holds no metadata.yaml, nor a charmcraft.yaml with the \
         charm's metadata (a `name:` key)"
    )]
    NoMetadata {
        /// The charm directory.
        path: PathBuf,
    },
    /// The metadata is unreadable or invalid.
    #[error(transparent)]
    Metadata(#[from] MetadataError),
}

/// The metadata of the charm in `dir`, which must be a directory holding
/// it (see the module docs).
pub fn hook_metadata(dir: &Path) -> Result<Metadata, CharmDirError> {
    let path = || dir.to_path_buf();
    match std::fs::metadata(dir) {
        Err(_) => return Err(CharmDirError::Missing { path: path() }),
        Ok(m) if !m.is_dir() => return Err(CharmDirError::NotADirectory { path: path() }),
        Ok(_) => {}
    }
    Metadata::from_charm_dir(dir)?.ok_or_else(|| CharmDirError::NoMetadata { path: path() })
}
