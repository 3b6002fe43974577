//! `metadata.yaml` (or the same keys in `charmcraft.yaml`), as `meta.go`
//! reads it: `ReadMeta`'s schema, then `Meta.Check`'s rules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Problem};
use crate::relation::{parse_role, Relation, Role, Scope};
use crate::storage::{parse_storage, Storage};
use crate::yaml::{Item, ItemError, Res};

/// A charm's metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// `name:` (required).
    pub name: String,
    /// `summary:`. Juju's schema requires it and charmcraft always writes
    /// it; it is not required here, so that a hook never fails over a field
    /// the charm does not use.
    pub summary: String,
    /// `description:` (see `summary`).
    pub description: String,
    /// `subordinate:`.
    pub subordinate: bool,
    /// `provides:`, by endpoint name.
    pub provides: BTreeMap<String, Relation>,
    /// `requires:`, by endpoint name.
    pub requires: BTreeMap<String, Relation>,
    /// `peers:`, by endpoint name.
    pub peers: BTreeMap<String, Relation>,
    /// `extra-bindings:` names (their values must be empty).
    pub extra_bindings: BTreeSet<String>,
    /// `storage:`, by name.
    pub storage: BTreeMap<String, Storage>,
    /// `containers:` as written, by name (used for their names:
    /// `<name>-pebble-ready`).
    pub containers: BTreeMap<String, Value>,
    /// `resources:` as written, by name.
    pub resources: BTreeMap<String, Value>,
    /// `devices:` as written, by name.
    pub devices: BTreeMap<String, Value>,
    /// `assumes:` as written.
    pub assumes: Option<Value>,
    /// `charm-user:` (`root`, `sudoer` or `non-root`).
    pub charm_user: Option<String>,
    /// `series:` (metadata v1 only).
    pub series: Vec<String>,
    /// `min-juju-version:` (metadata v1 only).
    pub min_juju_version: Option<String>,
    /// `tags:`.
    pub tags: Vec<String>,
    /// `categories:`.
    pub categories: Vec<String>,
    /// `terms:`.
    pub terms: Vec<String>,
}

/// Keys only metadata v2 (with `manifest.yaml`) has, and keys only v1 has:
/// Juju refuses a file that mixes them (`ensureUnambiguousFormat`).
const V2_KEYS: [&str; 3] = ["assumes", "charm-user", "containers"];
const V1_KEYS: [&str; 3] = ["deployment", "min-juju-version", "series"];

impl Meta {
    /// Reads `metadata.yaml` at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Meta, Error> {
        crate::yaml::load_with(path.as_ref(), Meta::from_value)
    }

    /// The metadata of the charm in `dir` and the file it came from:
    /// `metadata.yaml` when it exists (what Juju reads), else a
    /// `charmcraft.yaml` with a `name` (charmcraft 3's single file), else
    /// `None`.
    pub fn find(dir: impl AsRef<Path>) -> Result<Option<(Meta, PathBuf)>, Error> {
        let dir = dir.as_ref();
        for file in ["metadata.yaml", "charmcraft.yaml"] {
            let path = dir.join(file);
            let Some(doc) = crate::yaml::read(&path)? else {
                continue;
            };
            if file == "charmcraft.yaml" && doc.get("name").is_none_or(Value::is_null) {
                continue;
            }
            let meta = Meta::from_value(&doc).map_err(|e| e.in_file(&path))?;
            return Ok(Some((meta, path)));
        }
        Ok(None)
    }

    /// Parses `metadata.yaml` text; `path` names the file in errors.
    pub fn parse(text: &str, path: impl AsRef<Path>) -> Result<Meta, Error> {
        crate::yaml::parse_with(text, path.as_ref(), Meta::from_value)
    }

    /// The metadata in a parsed document (`metadata.yaml`, or
    /// `charmcraft.yaml`, whose other keys are ignored).
    pub(crate) fn from_value(doc: &Value) -> Res<Meta> {
        let root = Item::root(doc);
        root.map()?;
        check_format(doc)?;
        let name = root.require("name")?.non_empty_str()?.to_string();
        let text = |key: &str| -> Res<String> { Ok(root.get_str(key)?.unwrap_or_default()) };
        let list = |key: &str| -> Res<Vec<String>> {
            Ok(root
                .get(key)?
                .map(|i| i.str_list())
                .transpose()?
                .unwrap_or_default())
        };
        let raw_map = |key: &str| -> Res<BTreeMap<String, Value>> {
            Ok(match root.get(key)? {
                Some(i) => i
                    .map()?
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                None => BTreeMap::new(),
            })
        };
        let charm_user = match root.get("charm-user")? {
            Some(i) => {
                let user = i.str()?;
                if !["root", "sudoer", "non-root"].contains(&user) {
                    return Err(i.error(Problem::NotOneOf {
                        got: user.into(),
                        allowed: &["root", "sudoer", "non-root"],
                    }));
                }
                Some(user.to_string())
            }
            None => None,
        };
        let meta = Meta {
            summary: text("summary")?,
            description: text("description")?,
            subordinate: root.get_bool("subordinate")?,
            provides: parse_role(root.get("provides")?, Role::Provides)?,
            requires: parse_role(root.get("requires")?, Role::Requires)?,
            peers: parse_role(root.get("peers")?, Role::Peers)?,
            extra_bindings: parse_extra_bindings(root.get("extra-bindings")?)?,
            storage: parse_storage(root.get("storage")?)?,
            containers: raw_map("containers")?,
            resources: raw_map("resources")?,
            devices: raw_map("devices")?,
            assumes: root.get("assumes")?.map(|i| i.value.clone()),
            charm_user,
            series: list("series")?,
            min_juju_version: root.get_str("min-juju-version")?,
            tags: list("tags")?,
            categories: list("categories")?,
            terms: list("terms")?,
            name,
        };
        meta.check()?;
        Ok(meta)
    }

    /// Every endpoint of every role, sorted by name.
    pub fn relations(&self) -> impl Iterator<Item = &Relation> {
        let mut all: Vec<&Relation> = self
            .provides
            .values()
            .chain(self.requires.values())
            .chain(self.peers.values())
            .collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
        all.into_iter()
    }

    /// The endpoint named `name`, whatever its role.
    pub fn relation(&self, name: &str) -> Option<&Relation> {
        self.provides
            .get(name)
            .or_else(|| self.requires.get(name))
            .or_else(|| self.peers.get(name))
    }

    /// The endpoints under `role`.
    pub fn role(&self, role: Role) -> &BTreeMap<String, Relation> {
        match role {
            Role::Provides => &self.provides,
            Role::Requires => &self.requires,
            Role::Peers => &self.peers,
        }
    }

    /// `Meta.Check`'s rules on relation names, extra bindings and
    /// subordinates.
    fn check(&self) -> Res<()> {
        let mut seen: BTreeMap<&str, Role> = BTreeMap::new();
        for role in Role::ALL {
            for rel in self.role(role).values() {
                let item = format!("{role}.{}", rel.name);
                // A subordinate's container-scoped requirer may use a
                // reserved name (`juju-info`).
                let container_requirer =
                    self.subordinate && role == Role::Requires && rel.scope == Scope::Container;
                if !container_requirer {
                    if let Some(reason) = reserved(&self.name, &rel.name) {
                        return Err(ItemError::new(
                            item,
                            Problem::Reserved {
                                name: rel.name.clone(),
                                reason,
                            },
                        ));
                    }
                }
                if role != Role::Requires {
                    if let Some(reason) = reserved(&self.name, &rel.interface) {
                        return Err(ItemError::new(
                            format!("{item}.interface"),
                            Problem::Reserved {
                                name: rel.interface.clone(),
                                reason,
                            },
                        ));
                    }
                }
                if let Some(other) = seen.insert(&rel.name, role) {
                    return Err(ItemError::new(
                        item,
                        Problem::Duplicate {
                            name: rel.name.clone(),
                            other: format!("{other}.{}", rel.name),
                        },
                    ));
                }
            }
        }
        if let Some(name) = self
            .extra_bindings
            .iter()
            .find(|b| seen.contains_key(b.as_str()))
        {
            return Err(ItemError::new(
                format!("extra-bindings.{name}"),
                Problem::Duplicate {
                    name: name.clone(),
                    other: format!("{}.{name}", seen[name.as_str()]),
                },
            ));
        }
        if self.subordinate && !self.requires.values().any(|r| r.scope == Scope::Container) {
            return Err(ItemError::new(
                "subordinate",
                Problem::SubordinateWithoutContainerScope,
            ));
        }
        Ok(())
    }
}

/// Juju reserves `juju` and the `juju-` prefix, except in charms whose own
/// name starts with `juju-` (`meta.go`'s `reservedName`).
pub(crate) fn reserved(charm: &str, name: &str) -> Option<&'static str> {
    if charm.starts_with("juju-") {
        None
    } else if name == "juju" {
        Some("\"juju\" is a reserved name")
    } else if name.starts_with("juju-") {
        Some("the \"juju-\" prefix is reserved")
    } else {
        None
    }
}

fn check_format(doc: &Value) -> Res<()> {
    let has = |k: &&str| doc.get(*k).is_some();
    let v1: Vec<&str> = V1_KEYS.iter().copied().filter(has).collect();
    let v2: Vec<&str> = V2_KEYS.iter().copied().filter(has).collect();
    if let (Some(a), Some(b)) = (v1.first(), v2.first()) {
        return Err(ItemError::new(
            *a,
            Problem::Invalid(format!(
                "ambiguous metadata: {a:?} cannot be used with {b:?}"
            )),
        ));
    }
    Ok(())
}

/// `extra-bindings:` is a map of names to empty values; given, it must not
/// be empty (`extra_bindings.go`).
fn parse_extra_bindings(item: Option<Item<'_>>) -> Res<BTreeSet<String>> {
    let Some(item) = item else {
        return Ok(BTreeSet::new());
    };
    let entries = item.entries()?;
    if entries.is_empty() {
        return Err(item.error(Problem::Empty));
    }
    let mut out = BTreeSet::new();
    for (name, value) in entries {
        if name.is_empty() {
            return Err(value.error(Problem::Empty));
        }
        if !value.value.is_null() {
            return Err(value.error(Problem::WrongType {
                expected: "no value",
                got: value.value.to_string(),
            }));
        }
        out.insert(name.to_string());
    }
    Ok(out)
}
