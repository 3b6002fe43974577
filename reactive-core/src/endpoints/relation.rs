//! One relation of an endpoint ([`Relation`]), its remote units
//! ([`RelatedUnit`]), and a merged view of a list of units' data.

use super::data::{Owner, Received, RemoteData, ToPublish};
use crate::error::Error;
use crate::hookenv::{self, Settings};

/// One relation (one relation id) of an endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Relation {
    /// The relation id (`db:1`).
    pub relation_id: String,
}

impl Relation {
    /// The relation with id `relation_id` (`db:1`).
    pub(crate) fn new(relation_id: impl Into<String>) -> Relation {
        Relation {
            relation_id: relation_id.into(),
        }
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
            return Ok(Some(u.application_name.clone()));
        }
        Ok(hookenv::relation_remote_app(Some(&self.relation_id))?)
    }

    /// The remote units in this relation now, sorted by name. In a
    /// `-relation-departed` hook the departing unit is no longer among them.
    pub fn joined_units(&self) -> Result<Vec<RelatedUnit>, Error> {
        let mut names = hookenv::related_units(Some(&self.relation_id))?;
        names.sort();
        Ok(names
            .into_iter()
            .map(|n| RelatedUnit::new(&self.relation_id, n, None))
            .collect())
    }

    /// What the remote application published on this relation, decoded
    /// (empty when the remote application is not known yet).
    pub fn received_app(&self) -> Result<Received, Error> {
        let Some(app) = self.application_name()? else {
            return Ok(Received::default());
        };
        let data = hookenv::relation_get_all(Some(&app), Some(&self.relation_id))?;
        Ok(Received::of(&self.relation_id, &app, data))
    }

    /// What the remote application published on this relation, as raw
    /// text.
    pub fn received_app_raw(&self) -> Result<Settings, Error> {
        Ok(self.received_app()?.raw_data())
    }

    /// What this unit publishes on this relation, JSON-encoded.
    #[must_use]
    pub fn to_publish(&self) -> ToPublish {
        ToPublish::new(&self.relation_id, Owner::Unit, false)
    }

    /// What this unit publishes on this relation, as plain text (for
    /// interfaces that do not JSON-encode).
    #[must_use]
    pub fn to_publish_raw(&self) -> ToPublish {
        ToPublish::new(&self.relation_id, Owner::Unit, true)
    }

    /// What this application publishes on this relation, JSON-encoded
    /// (written by the leader only).
    #[must_use]
    pub fn to_publish_app(&self) -> ToPublish {
        ToPublish::new(&self.relation_id, Owner::App, false)
    }

    /// What this application publishes on this relation, as plain text.
    #[must_use]
    pub fn to_publish_app_raw(&self) -> ToPublish {
        ToPublish::new(&self.relation_id, Owner::App, true)
    }
}

/// A remote unit on one relation of an endpoint; what it published is read
/// through [`RemoteData`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedUnit {
    /// The relation id it is (or was) on.
    pub relation_id: String,
    /// The unit's name (`mysql/0`).
    pub unit_name: String,
    /// The unit's application (`mysql`).
    pub application_name: String,
    /// The data kept for a departed unit; read from Juju otherwise.
    data: Option<Settings>,
}

impl RelatedUnit {
    pub(crate) fn new(relation_id: &str, unit_name: String, data: Option<Settings>) -> RelatedUnit {
        let application_name = unit_name
            .split_once('/')
            .map_or(unit_name.as_str(), |(a, _)| a)
            .to_string();
        RelatedUnit {
            relation_id: relation_id.to_string(),
            unit_name,
            application_name,
            data,
        }
    }
}

impl RemoteData for RelatedUnit {
    fn received(&self) -> Result<Received, Error> {
        Ok(Received::of(
            &self.relation_id,
            &self.unit_name,
            self.received_raw()?,
        ))
    }

    fn received_raw(&self) -> Result<Settings, Error> {
        match &self.data {
            Some(d) => Ok(d.clone()),
            None => Ok(hookenv::relation_get_all(
                Some(&self.unit_name),
                Some(&self.relation_id),
            )?),
        }
    }
}

/// A list of remote units' data merged (the Python framework's
/// `CombinedUnitsView`): for a key published by several units, the value of
/// the first unit in the list, which [`Relation::joined_units`] and
/// [`Endpoint::all_joined_units`](super::Endpoint::all_joined_units) sort
/// by relation id then unit name. Iterating the units and reading each
/// one's data is usually what an interface wants.
impl RemoteData for [RelatedUnit] {
    fn received(&self) -> Result<Received, Error> {
        let mut out = Received::default();
        for u in self {
            out.merge(&u.relation_id, &u.unit_name, u.received_raw()?);
        }
        Ok(out)
    }

    fn received_raw(&self) -> Result<Settings, Error> {
        Ok(self.received()?.raw_data())
    }
}
