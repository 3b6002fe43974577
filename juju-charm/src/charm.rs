//! A charm directory: which file each part comes from.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::actions::Actions;
use crate::bases::{charmcraft_bases, Base, Manifest};
use crate::config::Config;
use crate::error::Error;
use crate::meta::Meta;
use crate::yaml::{self, ItemError};

/// Everything Juju and charmcraft read from a charm directory.
#[derive(Debug, Clone, PartialEq)]
pub struct Charm {
    /// The directory.
    pub dir: PathBuf,
    /// The metadata.
    pub meta: Meta,
    /// The config options (none when the charm declares none).
    pub config: Config,
    /// The actions (none when the charm declares none).
    pub actions: Actions,
    /// The bases it runs on (empty when nothing says).
    pub bases: Vec<Base>,
    /// The file the metadata came from (`metadata.yaml` or
    /// `charmcraft.yaml`).
    pub meta_file: PathBuf,
}

/// A part kept either in its own file or under a key of `charmcraft.yaml`.
struct Part {
    file: &'static str,
    key: &'static str,
}

const CONFIG: Part = Part {
    file: "config.yaml",
    key: "config",
};
const ACTIONS: Part = Part {
    file: "actions.yaml",
    key: "actions",
};

impl Charm {
    /// Reads the charm at `dir`. Each part comes from its own file when it
    /// exists (`metadata.yaml`, `config.yaml`, `actions.yaml`,
    /// `manifest.yaml`: what a packed charm has and Juju reads), else from
    /// `charmcraft.yaml` (`name:` and the other metadata keys, `config:`,
    /// `actions:`, and `bases:` or `base:`/`platforms:`), the charmcraft 3
    /// form. A part in both places is refused, as charmcraft refuses it.
    pub fn load(dir: impl AsRef<Path>) -> Result<Charm, Error> {
        let dir = dir.as_ref();
        let craft_path = dir.join("charmcraft.yaml");
        let craft = yaml::read(&craft_path)?.filter(|v| !v.is_null());
        let craft_key = |key: &str| {
            craft
                .as_ref()
                .and_then(|c| c.get(key))
                .filter(|v| !v.is_null())
        };

        if dir.join("metadata.yaml").exists() && craft_key("name").is_some() {
            return Err(Error::Conflict {
                dir: dir.into(),
                file: "metadata.yaml",
                key: "name",
            });
        }
        let (meta, meta_file) =
            Meta::find(dir)?.ok_or_else(|| Error::NotACharm { dir: dir.into() })?;
        let config = match part(dir, &CONFIG, craft_key(CONFIG.key))? {
            Some(Found { doc, path, prefix }) => {
                Config::from_value(&doc).map_err(|e| prefixed(e, prefix).in_file(&path))?
            }
            None => Config::default(),
        };
        let actions = match part(dir, &ACTIONS, craft_key(ACTIONS.key))? {
            Some(Found { doc, path, prefix }) => Actions::from_value(&doc, &meta.name)
                .map_err(|e| prefixed(e, prefix).in_file(&path))?,
            None => Actions::default(),
        };
        let manifest_path = dir.join("manifest.yaml");
        let bases = if manifest_path.exists() {
            Manifest::load(&manifest_path)?.bases
        } else if let Some(doc) = &craft {
            charmcraft_bases(doc).map_err(|e| e.in_file(&craft_path))?
        } else {
            Vec::new()
        };
        Ok(Charm {
            dir: dir.into(),
            meta,
            config,
            actions,
            bases,
            meta_file,
        })
    }
}

/// Where a part was found: the document, its file, and the prefix of its
/// items in that file.
struct Found {
    doc: Value,
    path: PathBuf,
    prefix: Option<&'static str>,
}

/// The document for `part`: its own file, or its key in `charmcraft.yaml`,
/// or `None`.
fn part(dir: &Path, part: &Part, in_craft: Option<&Value>) -> Result<Option<Found>, Error> {
    let path = dir.join(part.file);
    match (yaml::read(&path)?, in_craft) {
        (Some(_), Some(_)) => Err(Error::Conflict {
            dir: dir.into(),
            file: part.file,
            key: part.key,
        }),
        (Some(doc), None) => Ok(Some(Found {
            doc,
            path,
            prefix: None,
        })),
        (None, Some(doc)) => Ok(Some(Found {
            doc: doc.clone(),
            path: dir.join("charmcraft.yaml"),
            prefix: Some(part.key),
        })),
        (None, None) => Ok(None),
    }
}

fn prefixed(mut e: ItemError, prefix: Option<&str>) -> ItemError {
    if let Some(p) = prefix {
        e.item = if e.item == "." {
            p.to_string()
        } else {
            yaml::join(p, &e.item)
        };
    }
    e
}
