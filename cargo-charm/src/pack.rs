//! `cargo charm pack`: the runnable charm folder (`dispatch`, the YAML
//! files, `manifest.yaml`, the files the charm lists) and its `.charm` zip.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use crate::archive::{self, Entry};
use crate::build::Built;
use crate::charmcraft::{Base, Project};
use crate::error::{Error, Result};

/// What is left out of a `dump` part that lists no files: the charm's
/// build inputs and outputs, and what packing writes itself.
pub const IGNORED: [&str; 15] = [
    ".git",
    "build.rs",
    ".gitignore",
    "target",
    "src",
    "tests",
    "Cargo.toml",
    "Cargo.lock",
    "README.md",
    "charmcraft.yaml",
    "metadata.yaml",
    "config.yaml",
    "actions.yaml",
    "manifest.yaml",
    "dispatch",
];

/// A packed charm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packed {
    /// The charm's name.
    pub name: String,
    /// The runnable folder (deploy it with juju-sim).
    pub dir: PathBuf,
    /// The `.charm` zip of the same files.
    pub archive: PathBuf,
}

/// What goes into a charm folder.
#[derive(Debug, Clone, Default)]
pub struct Contents {
    /// Files written as given: (path in the charm, bytes), mode 0644.
    pub files: Vec<(String, Vec<u8>)>,
    /// The executable, copied as `dispatch` (0755).
    pub dispatch: PathBuf,
    /// Files, folders and symbolic links copied as they are: (source,
    /// path in the charm).
    pub copies: Vec<(PathBuf, String)>,
}

/// The `manifest.yaml` of a charm for `bases` on `architecture`, in the
/// form charmcraft writes (Juju reads `bases`).
pub fn manifest(bases: &[Base], architecture: &str) -> String {
    let manifest = juju_charm::Manifest {
        bases: bases
            .iter()
            .map(|b| Base {
                architectures: vec![architecture.to_string()],
                ..b.clone()
            })
            .collect(),
    };
    format!(
        "# Written by cargo-charm {}.\n{}",
        env!("CARGO_PKG_VERSION"),
        manifest.to_yaml()
    )
}

/// What [`pack`] puts in the charm folder of `project` with executable
/// `dispatch` built for `architecture`.
pub fn contents(project: &Project, dispatch: &Path, architecture: &str) -> Result<Contents> {
    let mut files = vec![
        ("metadata.yaml".to_string(), project.metadata.clone()),
        (
            "manifest.yaml".to_string(),
            manifest(&project.bases, architecture).into_bytes(),
        ),
    ];
    for (name, text) in [
        ("config.yaml", &project.config),
        ("actions.yaml", &project.actions),
    ] {
        if let Some(text) = text {
            files.push((name.to_string(), text.clone()));
        }
    }
    let mut copies = Vec::new();
    for include in &project.includes {
        let source = project.dir.join(&include.source);
        let names = match &include.paths {
            Some(paths) => paths.clone(),
            None => all_but_ignored(&source)?,
        };
        for name in names {
            let relative = Path::new(&name);
            let escapes =
                relative.is_absolute() || relative.components().any(|c| c == Component::ParentDir);
            if escapes {
                return Err(Error::Include {
                    path: project.dir.join("charmcraft.yaml"),
                    reason: format!("part {} lists {name}, which is outside it", include.part),
                });
            }
            copies.push((
                source.join(relative),
                name.trim_end_matches('/').to_string(),
            ));
        }
    }
    Ok(Contents {
        files,
        dispatch: dispatch.to_path_buf(),
        copies,
    })
}

fn all_but_ignored(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(Error::io(dir))? {
        let name = entry.map_err(Error::io(dir))?.file_name();
        let name = name.to_string_lossy().into_owned();
        if !IGNORED.contains(&name.as_str()) && !name.ends_with(".charm") {
            out.push(name);
        }
    }
    out.sort();
    Ok(out)
}

/// Packs `project` with its built executable into `out_dir/<name>/` and
/// `out_dir/<name>.charm`.
pub fn pack(project: &Project, built: &Built, out_dir: &Path) -> Result<Packed> {
    let contents = contents(project, &built.path, built.executable.architecture)?;
    pack_contents(&project.name, &contents, out_dir)
}

/// Writes `contents` as `out_dir/<name>/` and zips it beside.
pub fn pack_contents(name: &str, contents: &Contents, out_dir: &Path) -> Result<Packed> {
    let dir = write_charm_dir(name, contents, out_dir)?;
    let archive = out_dir.join(format!("{name}.charm"));
    archive::write_archive(&dir, &archive)?;
    Ok(Packed {
        name: name.to_string(),
        dir,
        archive,
    })
}

/// Writes the runnable charm folder `out_dir/<name>/`, replacing what was
/// there: built under a temporary name and renamed, so that a failure
/// leaves the previous one whole. A path given twice is an error, never a
/// silent overwrite. Returns the folder.
pub fn write_charm_dir(name: &str, contents: &Contents, out_dir: &Path) -> Result<PathBuf> {
    if !contents.dispatch.is_file() {
        return Err(Error::Include {
            path: contents.dispatch.clone(),
            reason: "the charm executable is not there; build it first".into(),
        });
    }
    fs::create_dir_all(out_dir).map_err(Error::io(out_dir))?;
    let dir = out_dir.join(name);
    let tmp = out_dir.join(format!(".{name}.tmp"));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(Error::io(&tmp))?;
    }
    fs::create_dir(&tmp).map_err(Error::io(&tmp))?;
    let taken = |path: &Path| -> Result<()> {
        match path.symlink_metadata() {
            Ok(_) => Err(Error::Include {
                path: path.to_path_buf(),
                reason: "is packed twice (listed twice, or also written by packing)".into(),
            }),
            Err(_) => Ok(()),
        }
    };
    for (file, bytes) in &contents.files {
        let path = tmp.join(file);
        taken(&path)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(Error::io(parent))?;
        }
        fs::write(&path, bytes).map_err(Error::io(&path))?;
    }
    let dispatch = tmp.join("dispatch");
    taken(&dispatch)?;
    fs::copy(&contents.dispatch, &dispatch).map_err(Error::io(&contents.dispatch))?;
    set_mode(&dispatch, 0o755)?;
    for (source, name) in &contents.copies {
        let path = tmp.join(name);
        taken(&path)?;
        copy_tree(source, &path, &tmp)?;
    }
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(Error::io(&dir))?;
    }
    fs::rename(&tmp, &dir).map_err(Error::io(&dir))?;
    Ok(dir)
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(Error::io(path))
}

/// Copies `source` (file, folder or symbolic link) to `dest`, keeping
/// symbolic links as links; a link must stay inside the charm (`root`).
fn copy_tree(source: &Path, dest: &Path, root: &Path) -> Result<()> {
    let meta = fs::symlink_metadata(source).map_err(|e| Error::Include {
        path: source.to_path_buf(),
        reason: format!("is listed to be packed but cannot be read ({e})"),
    })?;
    if let Some(parent) = dest.parent() {
        fs::create_dir_all(parent).map_err(Error::io(parent))?;
    }
    if meta.file_type().is_symlink() {
        let target = fs::read_link(source).map_err(Error::io(source))?;
        check_link(source, dest, &target, root)?;
        return std::os::unix::fs::symlink(&target, dest).map_err(Error::io(dest));
    }
    if meta.is_dir() {
        fs::create_dir(dest).map_err(Error::io(dest))?;
        let mut names = Vec::new();
        for entry in fs::read_dir(source).map_err(Error::io(source))? {
            names.push(entry.map_err(Error::io(source))?.file_name());
        }
        names.sort();
        for name in names {
            copy_tree(&source.join(&name), &dest.join(&name), root)?;
        }
        return set_mode(dest, meta.permissions().mode() & 0o777);
    }
    fs::copy(source, dest).map_err(Error::io(source))?;
    set_mode(dest, meta.permissions().mode() & 0o777)
}

/// A packed link must resolve inside the charm on the unit: relative, and
/// not climbing above the charm folder.
fn check_link(source: &Path, dest: &Path, target: &Path, root: &Path) -> Result<()> {
    let depth = dest
        .parent()
        .and_then(|p| p.strip_prefix(root).ok())
        .map_or(0, |p| p.components().count());
    let mut level = depth as i64;
    for c in target.components() {
        match c {
            Component::ParentDir => level -= 1,
            Component::Normal(_) => level += 1,
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => level = -1,
        }
        if level < 0 {
            return Err(Error::Include {
                path: source.to_path_buf(),
                reason: format!(
                    "is a symbolic link to {}, outside the charm: it would not resolve on a unit",
                    target.display()
                ),
            });
        }
    }
    Ok(())
}

/// The entries of a charm folder, for tests and listings.
pub fn listing(dir: &Path) -> Result<Vec<Entry>> {
    archive::entries(dir)
}
