//! The charm directory a hook runs in, checked before anything else: a
//! directory that does not exist, or one without the charm's metadata,
//! fails the hook with a message naming the path, before the store is
//! opened (sled would create the directory, and a fresh store in it).
//!
//! Juju always runs a hook in the unit's charm directory; a wrong one
//! (`JUJU_CHARM_DIR` pointing elsewhere, a charm packed without its
//! `metadata.yaml`) would otherwise run every hook with no endpoint, no
//! relation handler and an empty state, all of it silently.

use std::path::Path;

use crate::metadata::{Metadata, MetadataError};

/// What a charm directory without metadata lacks.
const NO_METADATA: &str =
    "holds no metadata.yaml, nor a charmcraft.yaml with the charm's metadata (a `name:` key)";

/// The metadata of the charm in `dir`; `Ok(Err(problem))` when `dir` is
/// not a directory holding it (see the module docs), `problem` completing
/// "the charm directory <dir> ...".
pub(crate) fn hook_metadata(dir: &Path) -> Result<Result<Metadata, &'static str>, MetadataError> {
    match std::fs::metadata(dir) {
        Err(_) => return Ok(Err("does not exist")),
        Ok(m) if !m.is_dir() => return Ok(Err("is not a directory")),
        Ok(_) => {}
    }
    Ok(Metadata::from_charm_dir(dir)?.ok_or(NO_METADATA))
}
