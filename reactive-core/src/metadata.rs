//! The charm's metadata: its relation endpoints by role and interface.
//!
//! Read by the `juju-charm` crate with Juju's rules (`juju/charm`
//! `meta.go`): the short form `requires: {db: mysql}` and the long form
//! (`interface`, `limit`, `optional`, `scope`), from `metadata.yaml` or,
//! when there is none, from the keys of a charmcraft 3 `charmcraft.yaml`.
//! This module keeps the framework's view of it: endpoints sorted by name,
//! looked up by role and interface.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

pub use juju_charm::Role;

/// Errors reading the metadata; each names the file and the item
/// (`requires.kafka.interface`).
pub type MetadataError = juju_charm::Error;

/// A role and interface that a relation type implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Binding {
    /// The role.
    pub role: Role,
    /// The interface name (`kafka`).
    pub interface: &'static str,
}

/// One relation endpoint declared in the metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The relation (endpoint) name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Its interface.
    pub interface: String,
    /// `limit:`, if given (and not 0, which Juju reads as no limit).
    pub limit: Option<u32>,
    /// `scope:` (`global` unless given, or `container`).
    pub scope: String,
}

/// The parts of the metadata the framework uses, and all of it in `meta`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The charm's name.
    pub name: String,
    /// Every endpoint, sorted by name.
    pub endpoints: Vec<Endpoint>,
    /// Everything the file declares (subordinate, extra bindings, storage,
    /// containers, …).
    pub meta: juju_charm::Meta,
}

impl From<juju_charm::Meta> for Metadata {
    fn from(meta: juju_charm::Meta) -> Metadata {
        let endpoints = meta
            .relations()
            .map(|r| Endpoint {
                name: r.name.clone(),
                role: r.role,
                interface: r.interface.clone(),
                limit: r.limit,
                scope: r.scope.to_string(),
            })
            .collect();
        Metadata {
            name: meta.name.clone(),
            endpoints,
            meta,
        }
    }
}

impl Metadata {
    /// Reads and checks the metadata file at `path` (`metadata.yaml`, or a
    /// `charmcraft.yaml`, whose other keys are ignored).
    pub fn load(path: impl AsRef<Path>) -> Result<Metadata, MetadataError> {
        juju_charm::Meta::load(path).map(Metadata::from)
    }

    /// The metadata of the charm in `dir`: `metadata.yaml`, else
    /// `charmcraft.yaml` when it has a `name`; `None` when neither.
    pub fn from_charm_dir(dir: impl AsRef<Path>) -> Result<Option<Metadata>, MetadataError> {
        Ok(juju_charm::Meta::find(dir)?.map(|(meta, _)| Metadata::from(meta)))
    }

    /// The config defaults of a charmcraft 3 charm that keeps its options
    /// under `config:` in `charmcraft.yaml`: `None` when the charm has a
    /// `config.yaml` (what Juju reads) or declares no options.
    pub fn charmcraft_config_defaults(
        dir: impl AsRef<Path>,
    ) -> Result<Option<BTreeMap<String, Option<Value>>>, MetadataError> {
        let dir = dir.as_ref();
        if dir.join("config.yaml").exists() {
            return Ok(None);
        }
        let config = juju_charm::Config::find(dir)?;
        Ok(config.map(|c| c.options.into_iter().map(|(k, o)| (k, o.default)).collect()))
    }

    /// Parses metadata text; `path` is only used in error messages.
    pub fn parse(text: &str, path: impl AsRef<Path>) -> Result<Metadata, MetadataError> {
        juju_charm::Meta::parse(text, path).map(Metadata::from)
    }

    /// Relation names declared with `role` and `interface`, sorted.
    #[must_use]
    pub fn relations_for(&self, role: Role, interface: &str) -> Vec<String> {
        self.endpoints
            .iter()
            .filter(|e| e.role == role && e.interface == interface)
            .map(|e| e.name.clone())
            .collect()
    }

    /// The endpoint named `relation`, if declared.
    #[must_use]
    pub fn endpoint(&self, relation: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.name == relation)
    }
}
