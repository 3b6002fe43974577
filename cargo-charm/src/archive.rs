//! The `.charm` zip of a charm folder: every file, folder and symbolic
//! link, sorted, with permission bits and a fixed timestamp, so that the
//! same folder always gives the same bytes.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{Error, Result};

/// One entry of a charm folder, by path relative to it (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    /// A folder and its permission bits.
    Dir(String, u32),
    /// A regular file and its permission bits.
    File(String, u32),
    /// A symbolic link and its target, as written.
    Symlink(String, PathBuf),
}

impl Entry {
    /// The entry's path in the archive.
    pub fn name(&self) -> &str {
        match self {
            Entry::Dir(n, _) | Entry::File(n, _) | Entry::Symlink(n, _) => n,
        }
    }
}

/// Every entry under `dir`, sorted by path; symbolic links are not
/// followed.
pub fn entries(dir: &Path) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    walk(dir, "", &mut out)?;
    out.sort_by(|a, b| a.name().cmp(b.name()));
    Ok(out)
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<Entry>) -> Result<()> {
    for entry in fs::read_dir(dir).map_err(Error::io(dir))? {
        let entry = entry.map_err(Error::io(dir))?;
        let path = entry.path();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let meta = fs::symlink_metadata(&path).map_err(Error::io(&path))?;
        let mode = meta.permissions().mode() & 0o777;
        if meta.file_type().is_symlink() {
            let target = fs::read_link(&path).map_err(Error::io(&path))?;
            out.push(Entry::Symlink(name, target));
        } else if meta.is_dir() {
            out.push(Entry::Dir(name.clone(), mode));
            walk(&path, &format!("{name}/"), out)?;
        } else if meta.is_file() {
            out.push(Entry::File(name, mode));
        } else {
            return Err(Error::Include {
                path,
                reason: "is neither a file, a folder nor a symbolic link".into(),
            });
        }
    }
    Ok(())
}

/// Zips charm folder `dir` into `archive` (written under a temporary name,
/// then renamed).
pub fn write_archive(dir: &Path, archive: &Path) -> Result<()> {
    let entries = entries(dir)?;
    let tmp = archive.with_extension("charm.tmp");
    let zip_err = |source| Error::Zip {
        path: archive.to_path_buf(),
        source,
    };
    let file = File::create(&tmp).map_err(Error::io(&tmp))?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let options = |mode: u32| {
        SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .unix_permissions(mode)
            .last_modified_time(DateTime::default())
    };
    for entry in &entries {
        match entry {
            Entry::Dir(name, mode) => zip
                .add_directory(format!("{name}/"), options(*mode))
                .map_err(zip_err)?,
            Entry::Symlink(name, target) => zip
                .add_symlink(name.as_str(), target.to_string_lossy(), options(0o777))
                .map_err(zip_err)?,
            Entry::File(name, mode) => {
                zip.start_file(name.as_str(), options(*mode))
                    .map_err(zip_err)?;
                let path = dir.join(name);
                let mut src = File::open(&path).map_err(Error::io(&path))?;
                io::copy(&mut src, &mut zip).map_err(Error::io(&tmp))?;
            }
        }
    }
    let mut out = zip.finish().map_err(zip_err)?;
    out.flush().map_err(Error::io(&tmp))?;
    drop(out);
    fs::rename(&tmp, archive).map_err(Error::io(archive))
}
