//! Relation endpoints: `provides`, `requires` and `peers` in the short form
//! (`db: mysql`) and the long form (`interface`, `limit`, `optional`,
//! `scope`), as `meta.go`'s `ifaceExpander` reads them.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::yaml::{Item, Res};

/// The role of a relation endpoint, named after its `metadata.yaml` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Declared under `provides:` (Juju's `provider`).
    Provides,
    /// Declared under `requires:` (Juju's `requirer`).
    Requires,
    /// Declared under `peers:` (Juju's `peer`).
    Peers,
}

impl Role {
    /// Every role, in `metadata.yaml` order.
    pub const ALL: [Role; 3] = [Role::Provides, Role::Requires, Role::Peers];

    /// The role's key in `metadata.yaml` (`provides`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Provides => "provides",
            Role::Requires => "requires",
            Role::Peers => "peers",
        }
    }

    /// The role's name in Juju (`provider`, `requirer`, `peer`).
    pub fn juju_name(self) -> &'static str {
        match self {
            Role::Provides => "provider",
            Role::Requires => "requirer",
            Role::Peers => "peer",
        }
    }

    /// Parses a role from its `metadata.yaml` key or its Juju name (so
    /// `peer` is `peers`, as charms.reactive also accepts).
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s || r.juju_name() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a relation's units see each other.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Every unit of the remote application (the default).
    #[default]
    Global,
    /// Only the units on the same machine or pod: the relation of a
    /// subordinate to its principal.
    Container,
}

impl Scope {
    /// The scope's name in `metadata.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::Container => "container",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One relation endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// The endpoint (relation) name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Its interface (`mysql`).
    pub interface: String,
    /// `optional:` (informational to Juju; `false` unless given).
    pub optional: bool,
    /// `limit:`, the most relations the endpoint accepts; `None` when not
    /// given or 0, which Juju treats as no limit.
    pub limit: Option<u32>,
    /// `scope:`.
    pub scope: Scope,
}

/// The endpoints under one role's key, sorted by name.
pub(crate) fn parse_role(item: Option<Item<'_>>, role: Role) -> Res<BTreeMap<String, Relation>> {
    let mut out = BTreeMap::new();
    let Some(item) = item else {
        return Ok(out);
    };
    for (name, ep) in item.entries()? {
        out.insert(name.to_string(), parse_endpoint(name, &ep, role)?);
    }
    Ok(out)
}

fn parse_endpoint(name: &str, ep: &Item<'_>, role: Role) -> Res<Relation> {
    let mut rel = Relation {
        name: name.to_string(),
        role,
        interface: String::new(),
        optional: false,
        limit: None,
        scope: Scope::Global,
    };
    // The short form: the value is the interface name.
    if let Some(interface) = ep.value.as_str() {
        rel.interface = interface.to_string();
        return Ok(rel);
    }
    let interface = ep.require("interface")?;
    rel.interface = interface.str()?.to_string();
    if let Some(optional) = ep.get("optional")? {
        rel.optional = optional.bool()?;
    }
    if let Some(limit) = ep.get("limit")? {
        let n = limit.int()?;
        rel.limit = u32::try_from(n).ok().filter(|n| *n > 0);
        if n > i64::from(u32::MAX) {
            return Err(limit.error(Problem::Invalid(format!("limit {n} is too large"))));
        }
    }
    if let Some(scope) = ep.get("scope")? {
        rel.scope = match scope.str()? {
            "global" => Scope::Global,
            "container" => Scope::Container,
            other => {
                return Err(scope.error(Problem::NotOneOf {
                    got: other.to_string(),
                    allowed: &["global", "container"],
                }))
            }
        };
    }
    Ok(rel)
}
