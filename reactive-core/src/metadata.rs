//! The charm's metadata: its relation endpoints by role and interface.
//!
//! Read by the `juju-charm` crate with Juju's rules (`juju/charm`
//! `meta.go`): the short form `requires: {db: mysql}` and the long form
//! (`interface`, `limit`, `optional`, `scope`), from `metadata.yaml` or,
//! when there is none, from the keys of a charmcraft 3 `charmcraft.yaml`.
//! This module keeps the framework's view of it ([`Metadata`]): endpoints
//! sorted by name, looked up by role and interface; [`Binding`], the role
//! and interface a relation or endpoint type implements, and [`TypeSpec`],
//! how such a type is registered.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use serde_json::Value;

pub use juju_charm::Role;

/// Errors reading the metadata; each names the file and the item
/// (`requires.kafka.interface`).
pub(crate) type MetadataError = juju_charm::Error;

/// A role and interface that a relation type or an endpoint type
/// implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Binding {
    /// The role.
    pub role: Role,
    /// The interface name (`kafka`).
    pub interface: &'static str,
}

/// A relation type or an endpoint type as its declaring macro
/// ([`relation_type!`](crate::relation_type),
/// [`endpoint_type!`](crate::endpoint_type)) registers it; the generated
/// code builds it. `M` is what the model needs of the type (`data`): a relation
/// type's conversation scope, an endpoint type's `register_triggers` and
/// `manage_flags` functions.
#[derive(Debug)]
pub struct TypeSpec<M> {
    /// The role and interface it implements.
    pub binding: Binding,
    /// The Rust type's name, for messages.
    pub rust_name: &'static str,
    /// What the model needs of it.
    pub data: M,
}

impl<M> TypeSpec<M> {
    /// Whether the type implements `role` and `interface`.
    pub(crate) fn implements(&self, role: Role, interface: &str) -> bool {
        self.binding.role == role && self.binding.interface == interface
    }
}

/// The charm's metadata: everything the file declares in `meta`, with its
/// relation endpoints at hand for the framework.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The charm's name.
    pub name: String,
    /// Everything the file declares (relations, subordinate, extra
    /// bindings, storage, containers, …).
    pub meta: juju_charm::Meta,
    /// Every relation endpoint, sorted by name.
    pub(crate) endpoints: Vec<juju_charm::Relation>,
}

impl From<juju_charm::Meta> for Metadata {
    fn from(meta: juju_charm::Meta) -> Metadata {
        Metadata {
            name: meta.name.clone(),
            endpoints: meta.relations().cloned().collect(),
            meta,
        }
    }
}

/// Parses and checks the text of a `metadata.yaml` (or of a
/// `charmcraft.yaml`, whose other keys are ignored); errors name
/// `metadata.yaml`.
///
/// ```
/// let meta: reactive_core::Metadata = "name: app\nrequires:\n  db: mysql\n".parse().unwrap();
/// assert_eq!(meta.meta.relation("db").map(|r| r.interface.as_str()), Some("mysql"));
/// ```
impl FromStr for Metadata {
    type Err = juju_charm::Error;

    fn from_str(text: &str) -> Result<Metadata, juju_charm::Error> {
        Metadata::parse(text, "metadata.yaml")
    }
}

impl Metadata {
    /// Parses and checks metadata text (`metadata.yaml`, or a
    /// `charmcraft.yaml`, whose other keys are ignored); `path` is only
    /// used in error messages.
    pub(crate) fn parse(text: &str, path: impl AsRef<Path>) -> Result<Metadata, juju_charm::Error> {
        juju_charm::Meta::parse(text, path).map(Metadata::from)
    }

    /// The metadata of the charm in `dir`: `metadata.yaml`, else
    /// `charmcraft.yaml` when it has a `name`; `None` when neither.
    pub(crate) fn from_charm_dir(dir: impl AsRef<Path>) -> Result<Option<Metadata>, MetadataError> {
        Ok(juju_charm::Meta::find(dir)?.map(|(meta, _)| Metadata::from(meta)))
    }

    /// The config defaults of a charmcraft 3 charm that keeps its options
    /// under `config:` in `charmcraft.yaml`: `None` when the charm has a
    /// `config.yaml` (what Juju reads) or declares no options.
    pub(crate) fn charmcraft_config_defaults(
        dir: impl AsRef<Path>,
    ) -> Result<Option<BTreeMap<String, Option<Value>>>, MetadataError> {
        let dir = dir.as_ref();
        if dir.join("config.yaml").exists() {
            return Ok(None);
        }
        let config = juju_charm::Config::find(dir)?;
        Ok(config.map(|c| c.options.into_iter().map(|(k, o)| (k, o.default)).collect()))
    }

    /// Relation names declared with `role` and `interface`, sorted.
    pub(crate) fn relations_for(&self, role: Role, interface: &str) -> Vec<String> {
        self.endpoints
            .iter()
            .filter(|e| e.role == role && e.interface == interface)
            .map(|e| e.name.clone())
            .collect()
    }

    /// The endpoint named `relation`, if declared.
    pub(crate) fn endpoint(&self, relation: &str) -> Option<&juju_charm::Relation> {
        self.meta.relation(relation)
    }
}
