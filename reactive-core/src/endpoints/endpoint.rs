//! [`Endpoint`]: every relation of one endpoint name, with their units and
//! data, and the endpoint's flags.

use super::departed::DepartedUnits;
use super::relation::{RelatedUnit, Relation};
use crate::error::Error;
use crate::hookenv;

/// One endpoint (a relation name of `metadata.yaml`, such as `db`) and
/// every relation established on it.
///
/// Endpoint types declared with [`endpoint_type!`](crate::endpoint_type)
/// deref to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The endpoint name (`db`, whatever the interface is called).
    pub endpoint_name: String,
    /// The relations established on this endpoint, sorted by relation id
    /// (as text, as the Python framework sorts them).
    pub relations: Vec<Relation>,
}

/// Whether the running hook is a relation hook of endpoint `name`, and
/// whether it is its `-relation-departed` hook.
pub(crate) fn hook_kind(name: &str) -> (bool, bool) {
    let hook = hookenv::hook_name();
    let rel_hook = hook
        .strip_prefix(name)
        .is_some_and(|rest| rest.starts_with("-relation-"));
    (rel_hook, rel_hook && hook.ends_with("-departed"))
}

impl Endpoint {
    /// Endpoint `name` with its relations. In the endpoint's
    /// `-relation-departed` hook, a relation left without any remote unit
    /// is no longer among them.
    pub(crate) fn load(name: &str) -> Result<Endpoint, Error> {
        let mut rids: Vec<String> = hookenv::relation_ids(Some(name))?
            .into_iter()
            .map(|r| {
                if r.contains(':') {
                    r
                } else {
                    format!("{name}:{r}")
                }
            })
            .collect();
        rids.sort();
        let mut relations: Vec<Relation> = rids.into_iter().map(Relation::new).collect();
        if hook_kind(name).1 {
            if let Some(rid) = hookenv::relation_id() {
                if let Some(i) = relations.iter().position(|r| r.relation_id == rid) {
                    if relations[i].joined_units()?.is_empty() {
                        relations.remove(i);
                    }
                }
            }
        }
        Ok(Endpoint {
            endpoint_name: name.to_string(),
            relations,
        })
    }

    /// Whether any remote unit is joined on any relation of this endpoint
    /// (what sets `endpoint.<name>.joined`, which handlers test).
    pub(crate) fn is_joined(&self) -> Result<bool, Error> {
        for r in &self.relations {
            if !r.joined_units()?.is_empty() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every remote unit of every relation, sorted by relation id then unit
    /// name; their [`received`](super::RemoteData::received) data is merged.
    pub fn all_joined_units(&self) -> Result<Vec<RelatedUnit>, Error> {
        let mut all: Vec<RelatedUnit> = Vec::new();
        for r in &self.relations {
            all.extend(r.joined_units()?);
        }
        all.sort_by(|a, b| {
            (a.relation_id.as_str(), a.unit_name.as_str())
                .cmp(&(b.relation_id.as_str(), b.unit_name.as_str()))
        });
        Ok(all)
    }

    /// The units that departed this endpoint and have not been removed from
    /// the list yet, with the data they had published (persistent).
    ///
    /// ```
    /// # reactive_core::endpoint_type! { pub struct Peers: peers "cluster"; }
    /// # fn f(ep: &Peers) -> reactive_core::Result {
    /// let mut departed = ep.all_departed_units()?;
    /// for unit in &departed {
    ///     reactive_core::hookenv::log(format!("{} left", unit.unit_name));
    /// }
    /// departed.clear()?;
    /// reactive_core::clear_flag(&ep.expand_name("departed"));
    /// # Ok(()) }
    /// ```
    pub fn all_departed_units(&self) -> Result<DepartedUnits, Error> {
        DepartedUnits::load(&self.endpoint_name)
    }

    /// A flag of this endpoint: `{endpoint_name}` replaced by the endpoint
    /// name, after prefixing `endpoint.{endpoint_name}.` to a flag that
    /// does not hold `{endpoint_name}` (`joined` is `endpoint.db.joined`,
    /// `{endpoint_name}.available` is `db.available`). Set and test it with
    /// the flag functions: `set_flag(&ep.expand_name("ready"))`.
    #[must_use]
    pub fn expand_name(&self, flag: &str) -> String {
        if flag.contains("{endpoint_name}") {
            flag.replace("{endpoint_name}", &self.endpoint_name)
        } else {
            format!("endpoint.{}.{flag}", self.endpoint_name)
        }
    }
}

/// The endpoint name a flag refers to: `db` for `endpoint.db.joined`, and
/// (the older style) `db` for `db.available`.
pub(crate) fn name_in_flag(flag: &str) -> Option<&str> {
    let mut parts = flag.split('.');
    match (parts.next(), parts.next()) {
        (Some("endpoint"), Some(name)) if !name.is_empty() => Some(name),
        (Some(name), Some(_)) if !name.is_empty() => Some(name),
        _ => None,
    }
}
