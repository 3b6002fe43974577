//! Relative paths resolved against the charm directory, where Juju runs
//! every hook, rather than against the process's working directory, which
//! is shared by every thread (and so by every parallel test).

use std::path::{Path, PathBuf};

/// `path` resolved against [`charm_dir`](super::charm_dir) when relative;
/// an absolute path unchanged. Under Juju the two agree (hooks run in the
/// charm directory); in the testing harness the charm directory is the
/// state's own, so tests that write `charm_path("app.conf")` run in
/// parallel.
///
/// ```
/// use reactive_core::hookenv::charm_path;
/// assert_eq!(charm_path("/etc/app.conf"), std::path::Path::new("/etc/app.conf"));
/// assert!(charm_path("app.conf").ends_with("app.conf"));
/// ```
pub fn charm_path(path: impl AsRef<Path>) -> PathBuf {
    let path = path.as_ref();
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        super::charm_dir().join(path)
    }
}
