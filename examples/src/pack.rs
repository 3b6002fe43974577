//! Packing a charm: its YAML files, a `manifest.yaml`, and the charm
//! executable as `dispatch`, into a runnable directory and a `.charm` zip
//! beside it.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// A charm's source files (name, contents), besides its executable.
pub type CharmFiles = Vec<(String, Vec<u8>)>;

/// An example charm of this package.
#[derive(Debug, Clone, Copy)]
pub struct ExampleCharm {
    /// The charm's name, also the name of its executable.
    pub name: &'static str,
    /// Its YAML files, embedded at build time.
    pub files: &'static [(&'static str, &'static str)],
}

macro_rules! charm_files {
    ($name:literal) => {
        &[
            (
                "metadata.yaml",
                include_str!(concat!("../charms/", $name, "/metadata.yaml")),
            ),
            (
                "config.yaml",
                include_str!(concat!("../charms/", $name, "/config.yaml")),
            ),
            (
                "charmcraft.yaml",
                include_str!(concat!("../charms/", $name, "/charmcraft.yaml")),
            ),
        ]
    };
}

/// The Kafka provider and client charms.
pub const EXAMPLE_CHARMS: [ExampleCharm; 2] = [
    ExampleCharm {
        name: "kafka-provider",
        files: charm_files!("kafka-provider"),
    },
    ExampleCharm {
        name: "kafka-client",
        files: charm_files!("kafka-client"),
    },
];

impl ExampleCharm {
    /// Its files as [`CharmFiles`].
    pub fn charm_files(&self) -> CharmFiles {
        self.files
            .iter()
            .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
            .collect()
    }
}

/// A packed charm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packed {
    /// The charm's name.
    pub name: String,
    /// The runnable directory (deploy it with juju-sim).
    pub dir: PathBuf,
    /// The `.charm` zip of the same files.
    pub archive: PathBuf,
}

/// Why packing failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PackError {
    /// The charm executable has not been built.
    #[error(
        "charm executable {} not found: build it with `cargo build -p kafka-examples --bins` \
         (add --release for target/release)",
        path.display()
    )]
    MissingBinary {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The zip archive could not be written.
    #[error("{}: {source}", path.display())]
    Zip {
        /// The archive.
        path: PathBuf,
        /// The cause.
        source: zip::result::ZipError,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> PackError + '_ {
    move |source| PackError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The `manifest.yaml` charmcraft would write for this machine's
/// architecture.
pub fn manifest() -> String {
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "powerpc64" => "ppc64el",
        other => other,
    };
    format!(
        "# Written by kafka-examples' pack-charms with the keys charmcraft writes.\n\
         bases:\n\
         - name: ubuntu\n  channel: '22.04'\n  architectures:\n  - {arch}\n"
    )
}

/// Packs both example charms from the executables in `profile_dir`
/// (`target/release`, say) into `out_dir`: `out_dir/<name>/` and
/// `out_dir/<name>.charm` for each.
pub fn pack(profile_dir: &Path, out_dir: &Path) -> Result<Vec<Packed>, PackError> {
    EXAMPLE_CHARMS
        .iter()
        .map(|c| pack_charm(c.name, &c.charm_files(), &profile_dir.join(c.name), out_dir))
        .collect()
}

/// Reads a charm source directory's files (every regular file directly in
/// it), for [`pack_charm`].
pub fn read_charm_dir(dir: &Path) -> Result<CharmFiles, PackError> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_err(dir))? {
        let path = entry.map_err(io_err(dir))?.path();
        if path.is_file() {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let contents = fs::read(&path).map_err(io_err(&path))?;
            files.extend(name.map(|n| (n, contents)));
        }
    }
    files.sort();
    Ok(files)
}

/// Packs charm `name` into `out_dir/<name>/` (see [`pack_charm_dir`]) and
/// `out_dir/<name>.charm` (see [`write_archive`]).
pub fn pack_charm(
    name: &str,
    files: &[(String, Vec<u8>)],
    binary: &Path,
    out_dir: &Path,
) -> Result<Packed, PackError> {
    let dir = pack_charm_dir(name, files, binary, out_dir)?;
    let archive = out_dir.join(format!("{name}.charm"));
    write_archive(&dir, &archive)?;
    Ok(Packed {
        name: name.to_string(),
        dir,
        archive,
    })
}

/// Writes the runnable charm directory `out_dir/<name>/`: `files`, a
/// `manifest.yaml` and `binary` as an executable `dispatch`, replacing what
/// was there. It is written under a temporary name and then renamed, so a
/// failure leaves the previous one whole. Returns the directory.
pub fn pack_charm_dir(
    name: &str,
    files: &[(String, Vec<u8>)],
    binary: &Path,
    out_dir: &Path,
) -> Result<PathBuf, PackError> {
    if !binary.is_file() {
        return Err(PackError::MissingBinary {
            path: binary.to_path_buf(),
        });
    }
    fs::create_dir_all(out_dir).map_err(io_err(out_dir))?;
    let dir = out_dir.join(name);
    let tmp_dir = out_dir.join(format!(".{name}.tmp"));
    if tmp_dir.exists() {
        fs::remove_dir_all(&tmp_dir).map_err(io_err(&tmp_dir))?;
    }
    fs::create_dir(&tmp_dir).map_err(io_err(&tmp_dir))?;
    let manifest = ("manifest.yaml".to_string(), manifest().into_bytes());
    let own = files
        .iter()
        .filter(|(f, _)| f != "dispatch" && f != "manifest.yaml");
    for (file, contents) in own.chain([&manifest]) {
        let path = tmp_dir.join(file);
        fs::write(&path, contents).map_err(io_err(&path))?;
    }
    let dispatch = tmp_dir.join("dispatch");
    fs::copy(binary, &dispatch).map_err(io_err(binary))?;
    fs::set_permissions(&dispatch, fs::Permissions::from_mode(0o755)).map_err(io_err(&dispatch))?;
    if dir.exists() {
        fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
    }
    fs::rename(&tmp_dir, &dir).map_err(io_err(&dir))?;
    Ok(dir)
}

/// Zips the files of charm directory `dir` into `archive` (a `.charm`),
/// sorted, deflated, with their permission bits and a fixed timestamp, so
/// that the same files give the same archive. Written under a temporary
/// name and then renamed.
pub fn write_archive(dir: &Path, archive: &Path) -> Result<(), PackError> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let meta = entry.metadata().map_err(io_err(&entry.path()))?;
        if meta.is_file() {
            let name = entry.file_name().to_string_lossy().into_owned();
            entries.push((name, meta.permissions().mode() & 0o777));
        }
    }
    entries.sort();
    write_zip(dir, &entries, archive)
}

/// Zips `entries` (name, mode) of `dir` into `archive`, deflated, with a
/// fixed timestamp so that the same files give the same archive.
fn write_zip(dir: &Path, entries: &[(String, u32)], archive: &Path) -> Result<(), PackError> {
    let tmp = archive.with_extension("charm.tmp");
    let zip_err = |source| PackError::Zip {
        path: archive.to_path_buf(),
        source,
    };
    let file = File::create(&tmp).map_err(io_err(&tmp))?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    for (name, mode) in entries {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .unix_permissions(*mode)
            .last_modified_time(DateTime::default());
        zip.start_file(name.as_str(), options).map_err(zip_err)?;
        let path = dir.join(name);
        let mut src = File::open(&path).map_err(io_err(&path))?;
        io::copy(&mut src, &mut zip).map_err(io_err(&tmp))?;
    }
    let mut out = zip.finish().map_err(zip_err)?;
    out.flush().map_err(io_err(&tmp))?;
    drop(out);
    fs::rename(&tmp, archive).map_err(io_err(archive))
}
