//! [`HookEnv`]: the hook tools of one hook invocation behind a read cache and
//! a write buffer, recording every call it makes.
//!
//! - Reads are made once per hook and kept: `config-get --all` once,
//!   `relation-get - <unit>` once per relation id and unit (or app),
//!   `relation-ids`, `relation-list`, `is-leader`, `leader-get`, `unit-get`,
//!   `network-get`, `status-get`, `opened-ports`, `action-get` once each.
//!   Nothing outside the unit can change what they return during the hook:
//!   Juju shows a hook a frozen snapshot of remote settings.
//! - Writes whose effect Juju holds back until the hook succeeds
//!   (`relation-set`, `leader-set`, `open-port`, `close-port`) are merged
//!   here and sent by [`HookEnv::flush`]: one `relation-set` per relation id
//!   (and per `--app`), holding only the keys whose value differs from
//!   this unit's settings as Juju holds them (read once per relation id
//!   if the hook has not), one `leader-set`, one call per port whose state
//!   changes. A failed hook sends none of them. Reads of the unit's own
//!   settings (and the leader settings) see the pending writes.
//! - Writes that take effect at once in Juju (`status-set`, `juju-log`,
//!   `application-version-set`, `action-set`, `action-fail`) are sent at once;
//!   a `status-set` of the unit's status Juju is known to hold is not sent
//!   (`skips`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::context::HookContext;
use super::error::HookError;
use super::tools::ToolCall;
use super::tools::{call, HookTools};
use super::types::{
    ApplicationStatus, LogLevel, NetworkInfo, Port, Settings, StatusInfo, WorkloadState,
};
use super::writes::{merged, Pending};
use crate::metadata::Metadata;

thread_local! {
    static CURRENT: RefCell<Option<Rc<HookEnv>>> = const { RefCell::new(None) };
}

#[derive(Default)]
pub(super) struct Cache {
    pub(super) config: Option<Map<String, Value>>,
    pub(super) relation_ids: HashMap<String, Vec<String>>,
    pub(super) relation_list: HashMap<String, Vec<String>>,
    /// `(relation id, unit or app, is app)` to its settings.
    pub(super) relation_data: HashMap<(String, String, bool), Settings>,
    pub(super) is_leader: Option<bool>,
    pub(super) leader: Option<Settings>,
    pub(super) unit_get: HashMap<String, Option<String>>,
    pub(super) network: HashMap<String, NetworkInfo>,
    pub(super) status: HashMap<bool, StatusInfo>,
    pub(super) opened_ports: Option<Vec<Port>>,
    pub(super) action_params: Option<Value>,
    /// Relation id to its remote application (`relation-list --app`).
    pub(super) relation_app: HashMap<String, Option<String>>,
}

/// The hook tools of one hook, cached, buffered and recorded. See the
/// module docs.
pub struct HookEnv {
    pub(super) ctx: HookContext,
    tools: Box<dyn HookTools>,
    pub(super) cache: RefCell<Cache>,
    pub(super) pending: RefCell<Pending>,
    calls: RefCell<Vec<ToolCall>>,
    previous_config: RefCell<Option<Map<String, Value>>>,
    metadata: RefCell<Option<Rc<Metadata>>>,
    on_leader_set: RefCell<Option<LeaderWritten>>,
    /// The workload status Juju holds for this unit, when known: a
    /// `status-set` of the same is not sent (see `skips`).
    pub(super) known_status: RefCell<Option<StatusInfo>>,
}

/// What the runtime does after a `leader_set` (the leadership flags).
pub(super) type LeaderWritten =
    fn(&Settings) -> Result<(), Box<dyn std::error::Error + Send + Sync>>;

impl std::fmt::Debug for HookEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HookEnv")
            .field("ctx", &self.ctx)
            .field("calls", &self.calls.borrow().len())
            .finish()
    }
}

/// Uninstalls a [`HookEnv`] (restoring the one before) when dropped.
#[must_use = "the hook environment is uninstalled when the guard is dropped"]
pub struct EnvGuard {
    previous: Option<Rc<HookEnv>>,
}

impl Drop for EnvGuard {
    fn drop(&mut self) {
        let prev = self.previous.take();
        CURRENT.with(|c| *c.borrow_mut() = prev);
    }
}

impl HookEnv {
    /// A hook environment for `ctx` over `tools`.
    pub fn new(ctx: HookContext, tools: impl HookTools + 'static) -> HookEnv {
        HookEnv {
            ctx,
            tools: Box::new(tools),
            cache: RefCell::default(),
            pending: RefCell::default(),
            calls: RefCell::default(),
            previous_config: RefCell::default(),
            metadata: RefCell::default(),
            on_leader_set: RefCell::default(),
            known_status: RefCell::default(),
        }
    }

    /// Has `f` called after every successful `leader_set`, with the values
    /// written (the runtime keeps the leadership flags in step this way).
    pub fn on_leader_set(&self, f: LeaderWritten) {
        *self.on_leader_set.borrow_mut() = Some(f);
    }

    /// Calls what [`HookEnv::on_leader_set`] installed.
    pub(super) fn leader_written(
        &self,
        values: &Settings,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let f = *self.on_leader_set.borrow();
        match f {
            Some(f) => f(values),
            None => Ok(()),
        }
    }

    /// Sets the charm's `metadata.yaml`, which relation types are bound by.
    pub(crate) fn set_metadata(&self, metadata: Option<Metadata>) {
        *self.metadata.borrow_mut() = metadata.map(Rc::new);
    }

    /// The charm's `metadata.yaml`, if it has one.
    pub(crate) fn metadata(&self) -> Option<Rc<Metadata>> {
        self.metadata.borrow().clone()
    }

    /// Makes `env` the hook environment of this thread until the guard drops.
    pub(crate) fn install(env: &Rc<HookEnv>) -> EnvGuard {
        let previous = CURRENT.with(|c| c.borrow_mut().replace(env.clone()));
        EnvGuard { previous }
    }

    /// The hook environment installed on this thread, if any.
    pub(crate) fn current() -> Option<Rc<HookEnv>> {
        CURRENT.with(|c| c.borrow().clone())
    }

    /// The hook's context.
    pub fn context(&self) -> &HookContext {
        &self.ctx
    }

    /// Every hook-tool call made so far, in order.
    pub fn calls(&self) -> Vec<ToolCall> {
        self.calls.borrow().clone()
    }

    /// The config the last successful hook saw (set by the automatic flags).
    pub(crate) fn previous_config(&self) -> Option<Map<String, Value>> {
        self.previous_config.borrow().clone()
    }

    pub(crate) fn set_previous_config(&self, prev: Option<Map<String, Value>>) {
        *self.previous_config.borrow_mut() = prev;
    }

    pub(super) fn run<T>(
        &self,
        c: ToolCall,
        f: impl FnOnce(&dyn HookTools) -> Result<T, HookError>,
    ) -> Result<T, HookError> {
        self.calls.borrow_mut().push(c);
        f(&*self.tools)
    }

    /// Returns the cached value under `get`, or fetches and caches it.
    fn cached<T: Clone>(
        &self,
        get: impl Fn(&mut Cache) -> Option<T>,
        c: ToolCall,
        fetch: impl FnOnce(&dyn HookTools) -> Result<T, HookError>,
        put: impl FnOnce(&mut Cache, T),
    ) -> Result<T, HookError> {
        if let Some(v) = get(&mut self.cache.borrow_mut()) {
            return Ok(v);
        }
        let v = self.run(c, fetch)?;
        put(&mut self.cache.borrow_mut(), v.clone());
        Ok(v)
    }

    /// Every config option with a value.
    pub(crate) fn config(&self) -> Result<Map<String, Value>, HookError> {
        self.cached(
            |c| c.config.clone(),
            call::config_get_all(),
            |t| t.config_get_all(),
            |c, v| c.config = Some(v),
        )
    }

    /// Relation ids of relation `name`.
    pub(crate) fn relation_ids(&self, name: &str) -> Result<Vec<String>, HookError> {
        self.cached(
            |c| c.relation_ids.get(name).cloned(),
            call::relation_ids(name),
            |t| t.relation_ids(name),
            |c, v| drop(c.relation_ids.insert(name.to_string(), v)),
        )
    }

    /// Remote units in scope on relation `rid`.
    pub(crate) fn relation_list(&self, rid: &str) -> Result<Vec<String>, HookError> {
        self.cached(
            |c| c.relation_list.get(rid).cloned(),
            call::relation_list(rid),
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
            call::relation_get(rid, unit, app),
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
        let pending = self.pending.borrow();
        Ok(merged(base, pending.relation.get(&(rid.to_string(), app))))
    }

    /// Whether this unit is the leader.
    pub(crate) fn is_leader(&self) -> Result<bool, HookError> {
        self.cached(
            |c| c.is_leader,
            call::is_leader(),
            |t| t.is_leader(),
            |c, v| c.is_leader = Some(v),
        )
    }

    /// The leader settings, pending writes included.
    pub(crate) fn leader_get(&self) -> Result<Settings, HookError> {
        let base = self.cached(
            |c| c.leader.clone(),
            call::leader_get(),
            |t| t.leader_get(),
            |c, v| c.leader = Some(v),
        )?;
        Ok(merged(base, Some(&self.pending.borrow().leader)))
    }

    /// `unit-get <key>`.
    pub(crate) fn unit_get(&self, key: &str) -> Result<Option<String>, HookError> {
        self.cached(
            |c| c.unit_get.get(key).cloned(),
            call::unit_get(key),
            |t| t.unit_get(key),
            |c, v| drop(c.unit_get.insert(key.to_string(), v)),
        )
    }

    /// `network-get <binding>`.
    pub(crate) fn network_get(&self, binding: &str) -> Result<NetworkInfo, HookError> {
        self.cached(
            |c| c.network.get(binding).cloned(),
            call::network_get(binding),
            |t| t.network_get(binding),
            |c, v| drop(c.network.insert(binding.to_string(), v)),
        )
    }

    /// The unit's (or with `application`, the application's) status.
    pub(crate) fn status_get(&self, application: bool) -> Result<StatusInfo, HookError> {
        self.cached(
            |c| c.status.get(&application).cloned(),
            call::status_get(application),
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
            self.run(call::status_set(state, message, application), |t| {
                t.status_set(state, message, application)
            })?;
            if !application {
                *self.known_status.borrow_mut() = Some(info.clone());
            }
        }
        self.cache.borrow_mut().status.insert(application, info);
        Ok(())
    }

    /// Sends one line to the unit's log at once.
    pub(crate) fn juju_log(&self, level: LogLevel, message: &str) -> Result<(), HookError> {
        self.run(call::juju_log(level, message), |t| {
            t.juju_log(level, message)
        })
    }

    /// The ports opened on this unit, pending changes included.
    pub(crate) fn opened_ports(&self) -> Result<Vec<Port>, HookError> {
        let mut ports = self.cached(
            |c| c.opened_ports.clone(),
            call::opened_ports(),
            |t| t.opened_ports(),
            |c, v| c.opened_ports = Some(v),
        )?;
        for (p, open) in &self.pending.borrow().ports {
            ports.retain(|q| q != p);
            if *open {
                ports.push(*p);
            }
        }
        ports.sort();
        Ok(ports)
    }

    /// Sets the application version at once.
    pub(crate) fn application_version_set(&self, version: &str) -> Result<(), HookError> {
        self.run(call::application_version_set(version), |t| {
            t.application_version_set(version)
        })
    }

    /// Every parameter of the running action.
    pub(crate) fn action_get(&self) -> Result<Value, HookError> {
        self.cached(
            |c| c.action_params.clone(),
            call::action_get(),
            |t| t.action_get(),
            |c, v| c.action_params = Some(v),
        )
    }

    /// The remote application of relation `rid`.
    pub(crate) fn relation_list_app(&self, rid: &str) -> Result<Option<String>, HookError> {
        self.cached(
            |c| c.relation_app.get(rid).cloned(),
            call::relation_list_app(rid),
            |t| t.relation_list_app(rid),
            |c, v| drop(c.relation_app.insert(rid.to_string(), v)),
        )
    }

    /// The application's status and each unit's (leader only); not cached,
    /// since the units set theirs while this hook runs.
    pub(crate) fn application_status_get(&self) -> Result<ApplicationStatus, HookError> {
        self.run(call::status_get(true), |t| t.application_status_get())
    }
}
