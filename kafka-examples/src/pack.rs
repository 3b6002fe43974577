//! Packing the example charms with `cargo-charm`'s library: a runnable
//! charm folder and a `.charm` zip beside it.
//!
//! [`pack_portable`] is what `pack-charms` runs: a release build against
//! the oldest glibc of the bases each charm declares (Ubuntu 20.04, 22.04,
//! 24.04), checked, then packed. [`pack`] and [`pack_charm_dir`] pack
//! executables already built (the demo's and the tests'), for this
//! machine only.

use std::path::{Path, PathBuf};

use cargo_charm::build::{BuildOptions, Zig};
use cargo_charm::charmcraft::{Base, Project};
use cargo_charm::new::CrateBuild;
use cargo_charm::pack::{manifest, Contents};
use cargo_charm::progress::Progress;

pub use cargo_charm::pack::Packed;

/// A charm's source files (name, contents), besides its executable.
pub type CharmFiles = Vec<(String, Vec<u8>)>;

/// The folder of the example charms' sources.
pub const CHARMS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/charms");

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

/// The `kafka_client` broker the demo relates the client to (packed for
/// this machine only, not by `pack-charms`).
pub const BROKER_CHARM: ExampleCharm = ExampleCharm {
    name: "kafka-broker",
    files: charm_files!("kafka-broker"),
};

impl ExampleCharm {
    /// Its files as [`CharmFiles`].
    pub fn charm_files(&self) -> CharmFiles {
        self.files
            .iter()
            .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
            .collect()
    }

    /// Its source folder, `kafka-examples/charms/<name>`.
    pub fn dir(&self) -> PathBuf {
        Path::new(CHARMS_DIR).join(self.name)
    }

    /// How charmcraft builds it: this package's executable of the same
    /// name, from the workspace root.
    pub fn crate_build(&self) -> CrateBuild {
        CrateBuild {
            source: "../../..".into(),
            cargo_args: format!("-p kafka-examples --bin {}", self.name),
            bin: self.name.into(),
        }
    }

    /// Its `charmcraft.yaml` as `cargo charm new --separate-yaml` writes
    /// it, building [`ExampleCharm::crate_build`].
    pub fn charmcraft_yaml(&self) -> String {
        cargo_charm::new::charmcraft_yaml(&self.crate_build(), None)
    }
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
    /// Reading, building, checking or writing the charm failed.
    #[error(transparent)]
    Charm(Box<cargo_charm::Error>),
}

impl From<cargo_charm::Error> for PackError {
    fn from(e: cargo_charm::Error) -> PackError {
        PackError::Charm(Box::new(e))
    }
}

/// The bases of the `charmcraft.yaml` among `files`; Ubuntu 22.04 for a
/// charm without one.
fn bases_of(files: &[(String, Vec<u8>)]) -> Result<Vec<Base>, PackError> {
    let Some((_, text)) = files.iter().find(|(n, _)| n == "charmcraft.yaml") else {
        return Ok(vec![Base {
            name: "ubuntu".into(),
            channel: "22.04".into(),
            architectures: Vec::new(),
        }]);
    };
    let path = Path::new("charmcraft.yaml");
    Ok(cargo_charm::charmcraft::parse_bases(
        path,
        &String::from_utf8_lossy(text),
    )?)
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

/// Builds each example charm for every base it declares (with
/// cargo-zigbuild when on `PATH`), checks its glibc needs, and packs it
/// into `out_dir`.
/// `target_dir` is cargo's (default: the workspace's).
pub fn pack_portable(
    out_dir: &Path,
    zig: Zig,
    target_dir: Option<&Path>,
    progress: Progress,
) -> Result<Vec<Packed>, PackError> {
    let manifest_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    let mut out = Vec::new();
    for charm in EXAMPLE_CHARMS {
        let project = Project::load(charm.dir())?;
        let options = BuildOptions {
            manifest_path: Some(manifest_path.clone()),
            bin: Some(charm.name.into()),
            zig,
            target_dir: target_dir.map(Path::to_path_buf),
            progress,
        };
        let built = cargo_charm::build::build(&project, &options)?;
        out.push(cargo_charm::pack::pack(&project, &built, out_dir)?);
    }
    Ok(out)
}

/// Reads a charm source folder's files (every regular file directly in
/// it), for [`pack_charm`].
pub fn read_charm_dir(dir: &Path) -> Result<CharmFiles, PackError> {
    let mut files = Vec::new();
    for entry in cargo_charm::archive::entries(dir)? {
        if let cargo_charm::archive::Entry::File(name, _) = entry {
            if !name.contains('/') {
                let path = dir.join(&name);
                let bytes = std::fs::read(&path).map_err(cargo_charm::Error::io(&path))?;
                files.push((name, bytes));
            }
        }
    }
    Ok(files)
}

/// Packs charm `name` into `out_dir/<name>/` (see [`pack_charm_dir`]) and
/// `out_dir/<name>.charm`.
pub fn pack_charm(
    name: &str,
    files: &[(String, Vec<u8>)],
    binary: &Path,
    out_dir: &Path,
) -> Result<Packed, PackError> {
    let dir = pack_charm_dir(name, files, binary, out_dir)?;
    let archive = out_dir.join(format!("{name}.charm"));
    cargo_charm::archive::write_archive(&dir, &archive)?;
    Ok(Packed {
        name: name.to_string(),
        dir,
        archive,
    })
}

/// Writes the runnable charm folder `out_dir/<name>/`: `files`, a
/// `manifest.yaml` (the bases of the `charmcraft.yaml` among `files`, the
/// architecture of `binary`) and `binary` as an executable `dispatch`,
/// replacing what was there, atomically. Returns the folder.
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
    let architecture = cargo_charm::elf::read(binary)
        .map(|e| e.architecture)
        .unwrap_or_else(|_| cargo_charm::elf::architecture_of_this_build());
    let mut own: CharmFiles = files
        .iter()
        .filter(|(f, _)| f != "dispatch" && f != "manifest.yaml")
        .cloned()
        .collect();
    own.push((
        "manifest.yaml".into(),
        manifest(&bases_of(files)?, architecture).into_bytes(),
    ));
    let contents = Contents {
        files: own,
        dispatch: binary.to_path_buf(),
        copies: Vec::new(),
    };
    Ok(cargo_charm::pack::write_charm_dir(
        name, &contents, out_dir,
    )?)
}
