//! One relation of an endpoint ([`Relation`]), its remote units
//! ([`RelatedUnit`]) and lists of units with a merged view of their data
//! ([`Units`]).

use std::ops::Deref;

use serde::de::DeserializeOwned;

use super::data::{Received, ToPublish, ToPublishRaw};
use crate::error::Error;
use crate::hookenv::{self, Settings};

/// One relation (one relation id) of an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Relation {
    relation_id: String,
}

impl Relation {
    /// The relation with id `relation_id` (`db:1`).
    pub fn new(relation_id: impl Into<String>) -> Relation {
        Relation {
            relation_id: relation_id.into(),
        }
    }

    /// The relation id (`db:1`).
    #[must_use]
    pub fn relation_id(&self) -> &str {
        &self.relation_id
    }

    /// The endpoint (relation) name: the relation id before its `:`.
    #[must_use]
    pub fn endpoint_name(&self) -> &str {
        endpoint_of(&self.relation_id)
    }

    /// The remote application: in a hook of this relation, the hook's;
    /// else that of the first joined unit; else what `relation-list --app`
    /// says, which Juju knows before any remote unit joined.
    pub fn application_name(&self) -> Result<Option<String>, Error> {
        if hookenv::relation_id().as_deref() == Some(self.relation_id.as_str()) {
            if let Some(app) = hookenv::remote_app().filter(|a| !a.is_empty()) {
                return Ok(Some(app));
            }
        }
        if let Some(u) = self.joined_units()?.first() {
            return Ok(Some(u.application_name().to_string()));
        }
        Ok(hookenv::relation_remote_app(Some(&self.relation_id))?)
    }

    /// The remote units in this relation now, sorted by name. In a
    /// `-relation-departed` hook the departing unit is no longer among them.
    pub fn joined_units(&self) -> Result<Units, Error> {
        let mut names = hookenv::related_units(Some(&self.relation_id))?;
        names.sort();
        Ok(Units(
            names
                .into_iter()
                .map(|n| RelatedUnit::new(&self.relation_id, n))
                .collect(),
        ))
    }

    /// What the remote application published on this relation (empty when
    /// the remote application is not known yet).
    pub fn received_app(&self) -> Result<Received, Error> {
        let Some(app) = self.application_name()? else {
            return Ok(Received::default());
        };
        let data = hookenv::relation_get_all(Some(&app), Some(&self.relation_id))?;
        Ok(Received::of(&self.relation_id, &app, data))
    }

    /// The raw application data received on this relation.
    pub fn received_app_raw(&self) -> Result<Settings, Error> {
        Ok(self.received_app()?.raw_data())
    }

    /// What this unit publishes on this relation, JSON-encoded.
    #[must_use]
    pub fn to_publish(&self) -> ToPublish {
        ToPublish::unit(&self.relation_id)
    }

    /// What this unit publishes on this relation, as plain text (for
    /// interfaces that do not JSON-encode).
    #[must_use]
    pub fn to_publish_raw(&self) -> ToPublishRaw {
        ToPublish::unit(&self.relation_id).raw()
    }

    /// What this application publishes on this relation, JSON-encoded
    /// (written by the leader only).
    #[must_use]
    pub fn to_publish_app(&self) -> ToPublish {
        ToPublish::app(&self.relation_id)
    }

    /// What this application publishes on this relation, as plain text.
    #[must_use]
    pub fn to_publish_app_raw(&self) -> ToPublishRaw {
        ToPublish::app(&self.relation_id).raw()
    }
}

/// The endpoint name of relation id `rid`.
pub(crate) fn endpoint_of(rid: &str) -> &str {
    rid.rsplit_once(':').map(|(n, _)| n).unwrap_or(rid)
}

/// A remote unit on one relation of an endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedUnit {
    relation_id: String,
    unit_name: String,
    /// The data kept for a departed unit; read from Juju otherwise.
    data: Option<Settings>,
}

impl RelatedUnit {
    pub(crate) fn new(relation_id: &str, unit_name: String) -> RelatedUnit {
        RelatedUnit {
            relation_id: relation_id.to_string(),
            unit_name,
            data: None,
        }
    }

    pub(crate) fn with_data(relation_id: String, unit_name: String, data: Settings) -> RelatedUnit {
        RelatedUnit {
            relation_id,
            unit_name,
            data: Some(data),
        }
    }

    /// The unit's name (`mysql/0`).
    #[must_use]
    pub fn unit_name(&self) -> &str {
        &self.unit_name
    }

    /// The unit's application (`mysql`).
    #[must_use]
    pub fn application_name(&self) -> &str {
        self.unit_name
            .split_once('/')
            .map(|(a, _)| a)
            .unwrap_or(&self.unit_name)
    }

    /// The relation id it is (or was) on.
    #[must_use]
    pub fn relation_id(&self) -> &str {
        &self.relation_id
    }

    /// The relation it is (or was) on.
    #[must_use]
    pub fn relation(&self) -> Relation {
        Relation::new(self.relation_id.clone())
    }

    /// What the unit published, JSON-decoded where it parses. For a
    /// departed unit, what it had published when it left.
    pub fn received(&self) -> Result<Received, Error> {
        Ok(Received::of(
            &self.relation_id,
            &self.unit_name,
            self.received_raw()?,
        ))
    }

    /// What the unit published, as raw text.
    pub fn received_raw(&self) -> Result<Settings, Error> {
        match &self.data {
            Some(d) => Ok(d.clone()),
            None => Ok(hookenv::relation_get_all(
                Some(&self.unit_name),
                Some(&self.relation_id),
            )?),
        }
    }

    /// The address to reach the unit at, as it published it:
    /// `ingress-address` (reachable across spaces and models), else
    /// `private-address` ([`hookenv::published_address`]); `None` when it
    /// published neither. Untrusted text: validate it before use.
    pub fn address(&self) -> Result<Option<String>, Error> {
        let data = self.received_raw()?;
        Ok(hookenv::published_address(&data).map(|(_, a)| a.to_string()))
    }

    /// The value of `key` the unit published, as a `T` (see
    /// [`Received::get_as`]): `None` when missing, an
    /// [`Error::RemoteValue`] when malformed.
    pub fn received_as<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, Error> {
        self.received()?.get_as(key)
    }
}

/// Remote units, sorted by relation id then unit name, as a list (it derefs
/// to `[RelatedUnit]`) with lookup by name and a merged view of their data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Units(pub(crate) Vec<RelatedUnit>);

impl Units {
    pub(crate) fn sorted(mut units: Vec<RelatedUnit>) -> Units {
        units.sort_by(|a, b| {
            (a.relation_id.as_str(), a.unit_name.as_str())
                .cmp(&(b.relation_id.as_str(), b.unit_name.as_str()))
        });
        Units(units)
    }

    /// The first unit named `unit_name` (the lowest relation id when the
    /// same application is related several times).
    #[must_use]
    pub fn get(&self, unit_name: &str) -> Option<&RelatedUnit> {
        self.0.iter().find(|u| u.unit_name == unit_name)
    }

    /// The units' names, in order (a name may repeat across relations).
    #[must_use]
    pub fn names(&self) -> Vec<&str> {
        self.0.iter().map(|u| u.unit_name.as_str()).collect()
    }

    /// Every unit's data merged: for a key published by several units, the
    /// value of the first unit in order (lowest relation id, then unit
    /// name). Iterating the units and reading each one's data is usually
    /// what an interface wants.
    pub fn received(&self) -> Result<Received, Error> {
        let mut out = Received::default();
        for u in &self.0 {
            out.merge(&u.relation_id, &u.unit_name, u.received_raw()?);
        }
        Ok(out)
    }

    /// The merged data as raw text.
    pub fn received_raw(&self) -> Result<Settings, Error> {
        Ok(self.received()?.raw_data())
    }

    /// The units, owned.
    #[must_use]
    pub fn into_vec(self) -> Vec<RelatedUnit> {
        self.0
    }
}

impl Deref for Units {
    type Target = [RelatedUnit];
    fn deref(&self) -> &[RelatedUnit] {
        &self.0
    }
}

impl IntoIterator for Units {
    type Item = RelatedUnit;
    type IntoIter = std::vec::IntoIter<RelatedUnit>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Units {
    type Item = &'a RelatedUnit;
    type IntoIter = std::slice::Iter<'a, RelatedUnit>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
