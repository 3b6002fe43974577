//! Reading what the hooks left: status, logs, relation data, ports, ...
//! (committed state only).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use super::Model;
use crate::context::{CallRecord, LogLine, Settings, Status};
use crate::error::Error;
use crate::ports::Port;
use crate::report::{ActionRecord, HookRun};

impl Model {
    /// Deployed applications, by name.
    pub fn apps(&self) -> Vec<String> {
        self.state.apps.keys().cloned().collect()
    }

    /// Units of an application (not those being removed), by number.
    pub fn units(&self, app: &str) -> Vec<String> {
        self.state.app_units(app)
    }

    /// Units of an application, dying ones included (as `juju status`
    /// shows them until they are gone), by number.
    pub fn all_units(&self, app: &str) -> Vec<String> {
        self.state.all_app_units(app)
    }

    /// Whether a unit is being removed (it still runs its teardown hooks).
    pub fn is_dying(&self, unit: &str) -> Result<bool, Error> {
        Ok(self.unit(unit)?.dying)
    }

    /// The charm directory of a unit (its working directory in hooks).
    pub fn unit_dir(&self, unit: &str) -> Result<PathBuf, Error> {
        Ok(self.unit(unit)?.charm_dir())
    }

    /// The leader of an application.
    pub fn leader(&self, app: &str) -> Result<Option<&str>, Error> {
        Ok(self.app(app)?.leader.as_deref())
    }

    /// A unit's workload status.
    pub fn unit_status(&self, unit: &str) -> Result<&Status, Error> {
        Ok(&self.unit(unit)?.status)
    }

    /// An application's status (set with `status-set --application`).
    pub fn app_status(&self, app: &str) -> Result<&Status, Error> {
        Ok(&self.app(app)?.status)
    }

    /// The hook at the head of a unit's queue if it has failed (the unit is
    /// in error until it succeeds or is [resolved](Model::resolve)).
    pub fn unit_error(&self, unit: &str) -> Result<Option<String>, Error> {
        let u = self.unit(unit)?;
        Ok(u.queue
            .front()
            .filter(|q| q.failures > 0)
            .map(|q| self.hook_of(unit, &q.event)))
    }

    /// The hooks queued on a unit, in order.
    pub fn pending(&self, unit: &str) -> Result<Vec<String>, Error> {
        let u = self.unit(unit)?;
        Ok(u.queue
            .iter()
            .map(|q| self.hook_of(unit, &q.event))
            .collect())
    }

    /// Every `juju-log` line of a unit.
    pub fn logs(&self, unit: &str) -> Result<&[LogLine], Error> {
        Ok(&self.unit(unit)?.logs)
    }

    /// Every hook-tool call a unit made, in order.
    pub fn calls<'a>(&'a self, unit: &'a str) -> Vec<&'a CallRecord> {
        self.runs_of(unit).flat_map(|r| r.calls.iter()).collect()
    }

    /// Every hook run of the model, in order.
    pub fn history(&self) -> &[HookRun] {
        &self.state.history
    }

    /// The hook runs of one unit.
    pub fn runs_of<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a HookRun> + 'a {
        self.state.history.iter().filter(move |r| r.unit == unit)
    }

    /// Ids of the relations that exist (not removed), in order.
    pub fn relation_ids(&self) -> Vec<u32> {
        let live = self.state.relations.iter().filter(|(_, r)| !r.removed);
        live.map(|(id, _)| *id).collect()
    }

    /// A relation's endpoints as `app:endpoint` (one for a peer relation).
    pub fn relation_endpoints(&self, id: u32) -> Result<Vec<String>, Error> {
        let rel = self.relation(id)?;
        Ok(rel
            .ends
            .iter()
            .map(|e| format!("{}:{}", e.app, e.endpoint))
            .collect())
    }

    /// The id of the peer relation of `app` on `endpoint`.
    pub fn peer_relation(&self, app: &str, endpoint: &str) -> Option<u32> {
        self.state.relations.iter().find_map(|(id, r)| {
            (r.is_peer() && r.ends[0].app == app && r.ends[0].endpoint == endpoint).then_some(*id)
        })
    }

    /// The settings a unit published on a relation (committed).
    pub fn relation_data(&self, id: u32, unit: &str) -> Result<Settings, Error> {
        let rel = self.relation(id)?;
        Ok(rel.unit_data.get(unit).cloned().unwrap_or_default())
    }

    /// The settings an application published on a relation (committed).
    pub fn relation_app_data(&self, id: u32, app: &str) -> Result<Settings, Error> {
        let rel = self.relation(id)?;
        Ok(rel.app_data.get(app).cloned().unwrap_or_default())
    }

    /// The remote units a unit currently sees on a relation
    /// (`relation-list`).
    pub fn relation_units(&self, id: u32, unit: &str) -> Result<Vec<String>, Error> {
        Ok(self.relation(id)?.scope_of(unit))
    }

    /// An application's leader settings (committed).
    pub fn leader_settings(&self, app: &str) -> Result<&Settings, Error> {
        Ok(&self.app(app)?.leader_settings)
    }

    /// A unit's opened ports (committed).
    pub fn opened_ports(&self, unit: &str) -> Result<&BTreeSet<Port>, Error> {
        Ok(&self.unit(unit)?.ports)
    }

    /// An application's workload version (`application-version-set`).
    pub fn workload_version(&self, app: &str) -> Result<&str, Error> {
        Ok(&self.app(app)?.workload_version)
    }

    /// An application's config: every option, `null` when it has no value.
    pub fn config(&self, app: &str) -> Result<BTreeMap<String, Value>, Error> {
        Ok(self.app(app)?.effective_config())
    }

    /// An action by id.
    pub fn action(&self, id: &str) -> Option<&ActionRecord> {
        self.state.actions.get(id)
    }

    /// The application status `juju status` shows: the one the leader set,
    /// else derived from the units' as Juju derives it (the most severe:
    /// error, blocked, waiting, maintenance, active, then unknown).
    pub fn shown_app_status(&self, app: &str) -> Result<Status, Error> {
        let set = &self.app(app)?.status;
        if set.status != "unknown" {
            return Ok(set.clone());
        }
        let severity = |s: &str| match s {
            "error" => 5,
            "blocked" => 4,
            "waiting" => 3,
            "maintenance" => 2,
            "active" => 1,
            _ => 0,
        };
        let mut shown = set.clone();
        for unit in self.state.all_app_units(app) {
            let status = match self.unit_error(&unit)? {
                Some(hook) => Status {
                    status: "error".into(),
                    message: format!("hook failed: \"{hook}\""),
                },
                None => self.unit(&unit)?.status.clone(),
            };
            if severity(&status.status) > severity(&shown.status) {
                shown = status;
            }
        }
        Ok(shown)
    }

    /// The relations a unit is in (until its `-relation-broken`), by id.
    pub fn unit_relations(&self, unit: &str) -> Result<Vec<u32>, Error> {
        self.unit(unit)?;
        Ok(self.state.relations_of(unit))
    }

    /// A unit's public address and machine number.
    pub fn unit_placement(&self, unit: &str) -> Result<(String, u32), Error> {
        let u = self.unit(unit)?;
        Ok((u.public_address.clone(), u.machine))
    }
}
