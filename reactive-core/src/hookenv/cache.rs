//! The read half of [`HookEnv`]: reads are made once per hook and kept.
//!
//! `config-get --all` once, `relation-get - <unit>` once per relation id
//! and unit (or app), `relation-ids`, `relation-list`, `is-leader`,
//! `leader-get`, `unit-get`, `network-get`, `status-get`, `opened-ports`,
//! `action-get` once each. Nothing outside the unit can change what they
//! return during the hook: Juju shows a hook a frozen snapshot of remote
//! settings. Reads of the unit's own settings (and the leader settings,
//! and the opened ports) see the hook's pending writes (`writes.rs`).
//!
//! Writes that take effect at once in Juju (`status-set`, `juju-log`,
//! `application-version-set`, `action-*`, `secret-*`) go straight to the
//! tools; a `status-set` of the unit's status Juju is known to hold is not
//! sent (`skips`).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::env::HookEnv;
use super::error::HookError;
use super::record::Recorder;
use super::types::{LogLevel, NetworkInfo, Port, Settings, StatusInfo, WorkloadState};
use super::writes::merged;

/// What the hook has read so far.
#[derive(Default)]
pub(super) struct Cache {
    pub(super) config: Option<Map<String, Value>>,
    relation_ids: HashMap<String, Vec<String>>,
    relation_list: HashMap<String, Vec<String>>,
    /// `(relation id, unit or app, is app)` to its settings.
    relation_data: HashMap<(String, String, bool), Settings>,
    pub(super) is_leader: Option<bool>,
    pub(super) leader: Option<Settings>,
    unit_get: HashMap<String, Option<String>>,
    network: HashMap<String, NetworkInfo>,
    status: HashMap<bool, StatusInfo>,
    opened_ports: Option<Vec<Port>>,
    action_params: Option<Value>,
    /// Relation id to its remote application (`relation-list --app`).
    relation_app: HashMap<String, Option<String>>,
}

impl HookEnv {
    /// Returns the cached value under `get`, or reads it with `read` and
    /// caches it with `put`.
    fn cached<T: Clone>(
        &self,
        get: impl FnOnce(&Cache) -> Option<T>,
        read: impl FnOnce(&Recorder) -> Result<T, HookError>,
        put: impl FnOnce(&mut Cache, T),
    ) -> Result<T, HookError> {
        if let Some(v) = get(&self.cache.borrow()) {
            return Ok(v);
        }
        let v = read(&self.tools)?;
        put(&mut self.cache.borrow_mut(), v.clone());
        Ok(v)
    }

    /// Every config option with a value.
    pub(crate) fn config(&self) -> Result<Map<String, Value>, HookError> {
        self.cached(
            |c| c.config.clone(),
            |t| t.config_get_all(),
            |c, v| c.config = Some(v),
        )
    }

    /// Relation ids of relation `name`.
    pub(crate) fn relation_ids(&self, name: &str) -> Result<Vec<String>, HookError> {
        self.cached(
            |c| c.relation_ids.get(name).cloned(),
            |t| t.relation_ids(name),
            |c, v| drop(c.relation_ids.insert(name.to_string(), v)),
        )
    }

    /// Remote units in scope on relation `rid`.
    pub(crate) fn relation_list(&self, rid: &str) -> Result<Vec<String>, HookError> {
        self.cached(
            |c| c.relation_list.get(rid).cloned(),
            |t| t.relation_list(rid),
            |c, v| drop(c.relation_list.insert(rid.to_string(), v)),
        )
    }

    /// The settings of `unit` (or with `app`, of application `unit`) on
    /// `rid`; this unit's own settings include pending writes.
    pub(crate) fn relation_get(
        &self,
        rid: &str,
        unit: &str,
        app: bool,
    ) -> Result<Settings, HookError> {
        let key = (rid.to_string(), unit.to_string(), app);
        let base = self.cached(
            |c| c.relation_data.get(&key).cloned(),
            |t| t.relation_get(rid, unit, app),
            |c, v| drop(c.relation_data.insert(key.clone(), v)),
        )?;
        let own = if app {
            unit == self.ctx.application_name()
        } else {
            unit == self.ctx.unit_name
        };
        if !own {
            return Ok(base);
        }
        Ok(self.writes.borrow().relation_view(rid, app, base))
    }

    /// Notes that `sent` went to `who`'s settings on `rid`.
    pub(super) fn relation_sent(&self, rid: &str, who: String, app: bool, sent: &Settings) {
        let key = (rid.to_string(), who, app);
        if let Some(cur) = self.cache.borrow_mut().relation_data.get_mut(&key) {
            *cur = merged(std::mem::take(cur), Some(sent));
        }
    }

    /// Whether this unit is the leader.
    pub(crate) fn is_leader(&self) -> Result<bool, HookError> {
        self.cached(
            |c| c.is_leader,
            |t| t.is_leader(),
            |c, v| c.is_leader = Some(v),
        )
    }

    /// The leader settings, pending writes included.
    pub(crate) fn leader_get(&self) -> Result<Settings, HookError> {
        let base = self.cached(
            |c| c.leader.clone(),
            |t| t.leader_get(),
            |c, v| c.leader = Some(v),
        )?;
        Ok(self.writes.borrow().leader_view(base))
    }

    /// The leader settings as read in this hook, if they were.
    pub(super) fn leader_seen(&self) -> Option<Settings> {
        self.cache.borrow().leader.clone()
    }

    /// Notes that `sent` went to the leader settings.
    pub(super) fn leader_sent(&self, sent: &Settings) {
        if let Some(cur) = self.cache.borrow_mut().leader.as_mut() {
            *cur = merged(std::mem::take(cur), Some(sent));
        }
    }

    /// `unit-get <key>`.
    pub(crate) fn unit_get(&self, key: &str) -> Result<Option<String>, HookError> {
        self.cached(
            |c| c.unit_get.get(key).cloned(),
            |t| t.unit_get(key),
            |c, v| drop(c.unit_get.insert(key.to_string(), v)),
        )
    }

    /// `network-get <binding>`.
    pub(crate) fn network_get(&self, binding: &str) -> Result<NetworkInfo, HookError> {
        self.cached(
            |c| c.network.get(binding).cloned(),
            |t| t.network_get(binding),
            |c, v| drop(c.network.insert(binding.to_string(), v)),
        )
    }

    /// The unit's (or with `application`, the application's) status.
    pub(crate) fn status_get(&self, application: bool) -> Result<StatusInfo, HookError> {
        self.cached(
            |c| c.status.get(&application).cloned(),
            |t| t.status_get(application),
            |c, v| drop(c.status.insert(application, v)),
        )
    }

    /// Sets the status at once, unless it is the unit's status and Juju is
    /// known to hold it already.
    pub(crate) fn status_set(
        &self,
        state: WorkloadState,
        message: &str,
        application: bool,
    ) -> Result<(), HookError> {
        let info = StatusInfo {
            status: state.as_str().to_string(),
            message: message.to_string(),
        };
        let known = !application && self.known_status.borrow().as_ref() == Some(&info);
        if !known {
            self.tools.status_set(state, message, application)?;
            if !application {
                *self.known_status.borrow_mut() = Some(info.clone());
            }
        }
        self.cache.borrow_mut().status.insert(application, info);
        Ok(())
    }

    /// Sends one line to the unit's log at once.
    pub(crate) fn juju_log(&self, level: LogLevel, message: &str) -> Result<(), HookError> {
        self.tools.juju_log(level, message)
    }

    /// The ports opened on this unit, pending changes included.
    pub(crate) fn opened_ports(&self) -> Result<Vec<Port>, HookError> {
        let ports = self.cached(
            |c| c.opened_ports.clone(),
            |t| t.opened_ports(),
            |c, v| c.opened_ports = Some(v),
        )?;
        Ok(self.writes.borrow().ports_view(ports))
    }

    /// Every parameter of the running action.
    pub(crate) fn action_get(&self) -> Result<Value, HookError> {
        self.cached(
            |c| c.action_params.clone(),
            |t| t.action_get(),
            |c, v| c.action_params = Some(v),
        )
    }

    /// The remote application of relation `rid`.
    pub(crate) fn relation_list_app(&self, rid: &str) -> Result<Option<String>, HookError> {
        self.cached(
            |c| c.relation_app.get(rid).cloned(),
            |t| t.relation_list_app(rid),
            |c, v| drop(c.relation_app.insert(rid.to_string(), v)),
        )
    }
}
