//! The units that left an endpoint, kept in the unit's key-value store
//! until the charm removes them.

use std::ops::Deref;

use serde::{Deserialize, Serialize};

use super::data::RemoteData;
use super::relation::RelatedUnit;
use crate::error::Error;
use crate::hookenv::Settings;
use crate::unitdata::kv;

/// Key prefix of the stored lists (the Python framework's).
const DEPARTED_PREFIX: &str = "reactive.endpoints.departed.";

/// A departed unit as stored: its relation id, name and last data.
#[derive(Debug, Serialize, Deserialize)]
struct Stored {
    relation: String,
    unit_name: String,
    data: Settings,
}

/// The units that departed an endpoint, with the data they had published,
/// oldest first (it derefs to `[RelatedUnit]`, whose data [`RemoteData`]
/// reads, merged), that persist, kept until
/// removed with [`DepartedUnits::remove`] or [`DepartedUnits::clear`]
/// (changes are kept only if the hook succeeds, like every change to the
/// unit's state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DepartedUnits {
    endpoint: String,
    units: Vec<RelatedUnit>,
}

impl DepartedUnits {
    fn key(&self) -> String {
        format!("{DEPARTED_PREFIX}{}", self.endpoint)
    }

    /// The list of endpoint `endpoint`.
    pub(crate) fn load(endpoint: &str) -> Result<DepartedUnits, Error> {
        let key = format!("{DEPARTED_PREFIX}{endpoint}");
        let stored: Vec<Stored> = kv().get(&key)?.unwrap_or_default();
        Ok(DepartedUnits {
            endpoint: endpoint.to_string(),
            units: stored
                .into_iter()
                .map(|s| RelatedUnit::new(&s.relation, s.unit_name, Some(s.data)))
                .collect(),
        })
    }

    fn save(&self) -> Result<(), Error> {
        if self.units.is_empty() {
            return kv().unset(&self.key());
        }
        let mut stored = Vec::with_capacity(self.units.len());
        for u in &self.units {
            stored.push(Stored {
                relation: u.relation_id.clone(),
                unit_name: u.unit_name.clone(),
                data: u.received_raw()?,
            });
        }
        kv().set(&self.key(), &stored)
    }

    /// Adds `unit` at the end (with its data read now) and saves.
    pub(crate) fn push(&mut self, unit: &RelatedUnit) -> Result<(), Error> {
        let data = unit.received_raw()?;
        self.units.push(RelatedUnit::new(
            &unit.relation_id,
            unit.unit_name.clone(),
            Some(data),
        ));
        self.save()
    }

    /// Forgets the first departed unit named `unit_name` and saves; returns
    /// it, or `None` if there is none.
    pub fn remove(&mut self, unit_name: &str) -> Result<Option<RelatedUnit>, Error> {
        let Some(i) = self.units.iter().position(|u| u.unit_name == unit_name) else {
            return Ok(None);
        };
        let unit = self.units.remove(i);
        self.save()?;
        Ok(Some(unit))
    }

    /// Forgets every departed unit and saves.
    pub fn clear(&mut self) -> Result<(), Error> {
        self.units.clear();
        self.save()
    }
}

impl Deref for DepartedUnits {
    type Target = [RelatedUnit];
    fn deref(&self) -> &[RelatedUnit] {
        &self.units
    }
}

impl<'a> IntoIterator for &'a DepartedUnits {
    type Item = &'a RelatedUnit;
    type IntoIter = std::slice::Iter<'a, RelatedUnit>;
    fn into_iter(self) -> Self::IntoIter {
        self.units.iter()
    }
}
