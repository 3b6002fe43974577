//! Unpacking a `.charm` archive (a zip) as Juju does: every entry under
//! the target directory with its file mode; symbolic links kept when they
//! point inside the charm; entries escaping the directory refused.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

const S_IFMT: u32 = 0o170_000;
const S_IFLNK: u32 = 0o120_000;

/// Unpacks `archive` into `dst` (created; must not exist yet).
pub fn unpack(archive: &Path, dst: &Path) -> Result<(), Error> {
    let bad = |reason: String| Error::BadArchive {
        path: archive.to_path_buf(),
        reason,
    };
    let file = fs::File::open(archive).map_err(|e| Error::io(archive, e))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| bad(e.to_string()))?;
    fs::create_dir_all(dst).map_err(|e| Error::io(dst, e))?;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| bad(e.to_string()))?;
        let name = entry.name().to_string();
        let Some(relative) = entry.enclosed_name() else {
            return Err(bad(format!("entry {name:?} points outside the charm")));
        };
        let target = dst.join(&relative);
        if entry.is_dir() {
            fs::create_dir_all(&target).map_err(|e| Error::io(&target, e))?;
            continue;
        }
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let mode = entry.unix_mode().unwrap_or(0o644);
        if mode & S_IFMT == S_IFLNK {
            let link = io::read_to_string(&mut entry).map_err(|e| Error::io(&target, e))?;
            if !stays_inside(&relative, Path::new(&link)) {
                return Err(bad(format!(
                    "symlink {name:?} -> {link:?} leaves the charm"
                )));
            }
            std::os::unix::fs::symlink(&link, &target).map_err(|e| Error::io(&target, e))?;
            continue;
        }
        let mut out = fs::File::create(&target).map_err(|e| Error::io(&target, e))?;
        io::copy(&mut entry, &mut out).map_err(|e| Error::io(&target, e))?;
        let perms = fs::Permissions::from_mode(mode & 0o777);
        fs::set_permissions(&target, perms).map_err(|e| Error::io(&target, e))?;
    }
    Ok(())
}

/// The name a charm (directory or archive) declares in `metadata.yaml`
/// (or `charmcraft.yaml`), the default application name.
pub fn charm_name(path: &Path) -> Result<String, Error> {
    if !path.is_file() {
        return Ok(crate::charm::Charm::load(path)?.name);
    }
    let bad = |reason: String| Error::BadArchive {
        path: path.to_path_buf(),
        reason,
    };
    let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut zip = zip::ZipArchive::new(file).map_err(|e| bad(e.to_string()))?;
    for candidate in ["metadata.yaml", "charmcraft.yaml"] {
        let Ok(entry) = zip.by_name(candidate) else {
            continue;
        };
        let text = io::read_to_string(entry).map_err(|e| bad(format!("{candidate}: {e}")))?;
        let meta = juju_charm::Meta::parse(&text, path.join(candidate)).map_err(Error::Charm)?;
        return Ok(meta.name);
    }
    Err(bad("no metadata.yaml naming the charm".into()))
}

/// Whether a link at `entry` (relative to the charm root) to `link` stays
/// under the root.
fn stays_inside(entry: &Path, link: &Path) -> bool {
    if link.is_absolute() {
        return false;
    }
    let mut depth: Vec<Component> = entry
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .collect();
    for part in link.components() {
        match part {
            Component::ParentDir if depth.pop().is_none() => return false,
            Component::Normal(_) => depth.push(part),
            _ => {}
        }
    }
    true
}

/// Where the `n`th unpacked charm of an application goes under a model.
pub(crate) fn unpack_dir(workdir: &Path, stem: &str, n: u64) -> PathBuf {
    workdir.join("charms").join(format!("{stem}-{n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_must_stay_inside_the_charm() {
        assert!(stays_inside(
            Path::new("hooks/install"),
            Path::new("../dispatch")
        ));
        assert!(!stays_inside(
            Path::new("hooks/install"),
            Path::new("../../etc")
        ));
        assert!(!stays_inside(Path::new("x"), Path::new("/etc/passwd")));
    }
}
