//! `metadata.yaml`: the charm's relation endpoints by role and interface.
//!
//! Parsed with `serde_norway`, a maintained fork of `serde_yaml` (which is no
//! longer maintained) with the same serde-based API; YAML is only read here.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// The role of a relation endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Declared under `provides:`.
    Provides,
    /// Declared under `requires:`.
    Requires,
    /// Declared under `peers:`.
    Peers,
}

impl Role {
    /// The role's name in `metadata.yaml` and in hook patterns.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Provides => "provides",
            Role::Requires => "requires",
            Role::Peers => "peers",
        }
    }

    /// Parses a role name; `peer` is accepted for `peers`, as the Python
    /// framework does.
    #[must_use]
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "provides" => Some(Role::Provides),
            "requires" => Some(Role::Requires),
            "peers" | "peer" => Some(Role::Peers),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role and interface that a relation type implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Binding {
    /// The role.
    pub role: Role,
    /// The interface name (`kafka`).
    pub interface: &'static str,
}

/// Errors reading `metadata.yaml`; each names the file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MetadataError {
    /// The file could not be read.
    #[error("reading {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The YAML is malformed or a field has the wrong shape.
    #[error("parsing {path}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The YAML error, with the field and position.
        #[source]
        source: serde_norway::Error,
    },
    /// A field is missing or invalid.
    #[error("{path}: field `{field}`: {reason}")]
    Field {
        /// The file.
        path: PathBuf,
        /// The field (`requires.kafka.interface`).
        field: String,
        /// What is wrong.
        reason: String,
    },
}

#[derive(Debug, Deserialize)]
struct RawEndpoint {
    interface: Option<String>,
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    scope: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawMetadata {
    name: Option<String>,
    #[serde(default)]
    provides: Option<BTreeMap<String, RawEndpoint>>,
    #[serde(default)]
    requires: Option<BTreeMap<String, RawEndpoint>>,
    #[serde(default)]
    peers: Option<BTreeMap<String, RawEndpoint>>,
}

/// One relation endpoint declared in `metadata.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The relation (endpoint) name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Its interface.
    pub interface: String,
    /// `limit:`, if given.
    pub limit: Option<u32>,
    /// `scope:` (`global` unless given).
    pub scope: String,
}

/// The parts of `metadata.yaml` the framework uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// The charm's name.
    pub name: String,
    /// Every endpoint, sorted by name.
    pub endpoints: Vec<Endpoint>,
}

impl Metadata {
    /// Reads and checks `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Metadata, MetadataError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| MetadataError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Metadata::parse(&text, path)
    }

    /// Parses YAML text; `path` is only used in error messages.
    pub fn parse(text: &str, path: impl AsRef<Path>) -> Result<Metadata, MetadataError> {
        let path = path.as_ref();
        let field = |field: String, reason: &str| MetadataError::Field {
            path: path.to_path_buf(),
            field,
            reason: reason.to_string(),
        };
        let raw: RawMetadata =
            serde_norway::from_str(text).map_err(|source| MetadataError::Parse {
                path: path.to_path_buf(),
                source,
            })?;
        let name = raw
            .name
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| field("name".into(), "missing or empty"))?;
        let mut endpoints: Vec<Endpoint> = Vec::new();
        for (role, map) in [
            (Role::Provides, raw.provides),
            (Role::Requires, raw.requires),
            (Role::Peers, raw.peers),
        ] {
            for (rel, ep) in map.unwrap_or_default() {
                let interface = ep
                    .interface
                    .filter(|i| !i.trim().is_empty())
                    .ok_or_else(|| field(format!("{role}.{rel}.interface"), "missing or empty"))?;
                if let Some(other) = endpoints.iter().find(|e| e.name == rel) {
                    return Err(field(
                        format!("{role}.{rel}"),
                        &format!(
                            "relation name `{rel}` is already declared under `{}`; a relation \
                             name may appear under one role only",
                            other.role
                        ),
                    ));
                }
                let scope = ep.scope.unwrap_or_else(|| "global".into());
                if scope != "global" && scope != "container" {
                    return Err(field(
                        format!("{role}.{rel}.scope"),
                        "must be `global` or `container`",
                    ));
                }
                endpoints.push(Endpoint {
                    name: rel,
                    role,
                    interface,
                    limit: ep.limit,
                    scope,
                });
            }
        }
        endpoints.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Metadata { name, endpoints })
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
