//! A charm directory: which file each part comes from.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::actions::Actions;
use crate::bases::{Base, Manifest};
use crate::charmcraft;
use crate::config::Config;
use crate::error::Error;
use crate::meta::Meta;
use crate::yaml::{self, ItemError, Res};

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
        let config = read_part(dir, &CONFIG, craft.as_ref(), Config::from_value)?;
        let actions = read_part(dir, &ACTIONS, craft.as_ref(), |doc| {
            Actions::from_value(doc, &meta.name)
        })?;
        let manifest_path = dir.join("manifest.yaml");
        let bases = if manifest_path.exists() {
            Manifest::load(&manifest_path)?.bases
        } else if let Some(doc) = &craft {
            charmcraft::from_document(doc).map_err(|e| e.in_file(&craft_path))?
        } else {
            Vec::new()
        };
        Ok(Charm {
            dir: dir.into(),
            meta,
            config: config.unwrap_or_default(),
            actions: actions.unwrap_or_default(),
            bases,
            meta_file,
        })
    }
}

impl Config {
    /// The config options of the charm in `dir`: `config.yaml`, else the
    /// `config:` key of `charmcraft.yaml`; `None` when neither declares
    /// any. Both at once is refused, as charmcraft refuses it.
    pub fn find(dir: impl AsRef<Path>) -> Result<Option<Config>, Error> {
        let dir = dir.as_ref();
        let craft = yaml::read(&dir.join("charmcraft.yaml"))?;
        read_part(dir, &CONFIG, craft.as_ref(), Config::from_value)
    }
}

/// `part` of the charm in `dir`, built from its own file or else from its
/// key in the `charmcraft.yaml` document `craft`; `None` when in neither.
fn read_part<T>(
    dir: &Path,
    part: &Part,
    craft: Option<&Value>,
    build: impl FnOnce(&Value) -> Res<T>,
) -> Result<Option<T>, Error> {
    let path = dir.join(part.file);
    let in_craft = craft.and_then(|c| c.get(part.key)).filter(|v| !v.is_null());
    match (yaml::read(&path)?, in_craft) {
        (Some(_), Some(_)) => Err(Error::Conflict {
            dir: dir.into(),
            file: part.file,
            key: part.key,
        }),
        (Some(doc), None) => build(&doc).map(Some).map_err(|e| e.in_file(&path)),
        (None, Some(doc)) => build(doc)
            .map(Some)
            .map_err(|e| prefixed(e, part.key).in_file(&dir.join("charmcraft.yaml"))),
        (None, None) => Ok(None),
    }
}

/// `e` with its item under `key`, as it is in `charmcraft.yaml`.
fn prefixed(mut e: ItemError, key: &str) -> ItemError {
    e.item = if e.item == "." {
        key.to_string()
    } else {
        yaml::join(key, &e.item)
    };
    e
}
