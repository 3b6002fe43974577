//! [`MemoryTools`]: hook tools answered from a [`State`], for charm unit
//! tests. They hold the state (changed by the hook's writes) and what only
//! lives during one hook: its departing unit, the effective config, the
//! action's parameters, the lines logged, the statuses set and the action's
//! results. Requests that Juju refuses (reading a unit not in the
//! relation, `leader-set` on a follower) are refused the same way.

mod secrets;
mod world;

use std::cell::RefCell;
use std::rc::Rc;

use serde_json::{Map, Value};

use self::world::{app_of, World};
use super::{Hook, Outcome, Relation, State, Status};
use crate::hookenv::call;
use crate::hookenv::{
    apply_writes, ApplicationStatus, BindAddress, HookError, HookTools, InterfaceAddress, LogLevel,
    NetworkInfo, Port, Settings, StatusInfo, ToolCall, WorkloadState,
};

/// Hook tools over a shared [`State`]; clones share it.
#[derive(Debug, Clone, Default)]
pub(crate) struct MemoryTools {
    world: Rc<RefCell<World>>,
}

pub(super) fn refused(c: ToolCall, reason: impl Into<String>) -> HookError {
    HookError::Refused {
        call: c,
        reason: reason.into(),
    }
}

impl MemoryTools {
    /// Tools answering `hook` from `state`: the unit is `state.unit_name`
    /// (else `<metadata name>/0`), `config-get` answers `state.config`.
    /// For the hookenv tests, which install the tools themselves; a run
    /// of the harness starts them with the run's own unit and config.
    #[cfg(test)]
    #[must_use]
    pub(crate) fn new(state: State, hook: &Hook) -> MemoryTools {
        let meta = state
            .charm_file("metadata.yaml")
            .and_then(|m| juju_charm::Meta::parse(m, "metadata.yaml").ok());
        let unit = state
            .unit_name
            .clone()
            .unwrap_or_else(|| format!("{}/0", state.app_name(meta.as_ref())));
        let config = state.config.clone();
        MemoryTools::start(state, hook, unit, config)
    }

    /// Tools for `hook` as unit `unit` with the effective `config`.
    pub(super) fn start(
        state: State,
        hook: &Hook,
        unit: String,
        config: Map<String, Value>,
    ) -> MemoryTools {
        let broken = hook
            .relation_id
            .clone()
            .filter(|_| hook.name.ends_with("-relation-broken"));
        let world = World {
            unit,
            config,
            departing: hook.relation_id.clone().zip(hook.departing_unit.clone()),
            broken,
            action_params: hook.action_params.clone(),
            state,
            ..World::default()
        };
        MemoryTools {
            world: Rc::new(RefCell::new(world)),
        }
    }

    /// What the hook did so far, as the tools saw it: the state its writes
    /// changed, the lines logged, the statuses set and the action's results.
    /// The state's flags, key-value data and files are those it started
    /// with, and the error, calls and trace are empty: the store, the charm
    /// directory and the dispatch hold those.
    #[must_use]
    pub(crate) fn outcome(&self) -> Outcome {
        let w = self.world.borrow();
        Outcome {
            state: w.state.clone(),
            error: None,
            logs: w.logs.clone(),
            action_logs: w.action_logs.clone(),
            status_history: w.status_history.clone(),
            tool_calls: Vec::new(),
            trace: crate::trace::Trace::default(),
            action_results: w.action_results.clone(),
            action_failed: w.action_failed.clone(),
        }
    }

    /// Runs `f` on relation `rid` and the rest of the world; refused when
    /// the state has no such relation.
    fn relation<R>(
        &self,
        rid: &str,
        c: impl FnOnce() -> ToolCall,
        f: impl FnOnce(&mut Relation, &World) -> Result<R, HookError>,
    ) -> Result<R, HookError> {
        let mut w = self.world.borrow_mut();
        let Some(i) = w
            .state
            .relations
            .iter()
            .position(|r| r.relation_id() == rid)
        else {
            return Err(refused(c(), format!("relation {rid:?} not found")));
        };
        let mut rel = std::mem::take(&mut w.state.relations[i]);
        let out = f(&mut rel, &w);
        w.state.relations[i] = rel;
        out
    }
}

impl HookTools for MemoryTools {
    fn config_get_all(&self) -> Result<Map<String, Value>, HookError> {
        Ok(self.world.borrow().config.clone())
    }

    fn relation_ids(&self, relation_name: &str) -> Result<Vec<String>, HookError> {
        let w = self.world.borrow();
        let mut rels: Vec<&Relation> = w
            .state
            .relations
            .iter()
            .filter(|r| r.name == relation_name)
            .collect();
        // Numeric order of the id part, as Juju lists them.
        rels.sort_by_key(|r| r.id);
        Ok(rels.into_iter().map(Relation::relation_id).collect())
    }

    fn relation_list(&self, relation_id: &str) -> Result<Vec<String>, HookError> {
        let c = || call::relation_list(relation_id);
        self.relation(relation_id, c, |rel, w| {
            let departing = w.departing.as_ref();
            Ok(rel
                .remote_units
                .keys()
                .filter(|_| w.in_scope(relation_id))
                .filter(|u| departing != Some(&(relation_id.to_string(), (*u).clone())))
                .cloned()
                .collect())
        })
    }

    fn relation_get(
        &self,
        relation_id: &str,
        unit_or_app: &str,
        app: bool,
    ) -> Result<Settings, HookError> {
        let c = || call::relation_get(relation_id, unit_or_app, app);
        self.relation(relation_id, c, |rel, w| {
            if app {
                if unit_or_app == app_of(&w.unit) {
                    Ok(rel.local_app_data.clone())
                } else if unit_or_app == rel.remote_app {
                    Ok(rel.remote_app_data.clone())
                } else {
                    Err(refused(
                        c(),
                        format!("application {unit_or_app:?} is not in relation {relation_id}"),
                    ))
                }
            } else if unit_or_app == w.unit {
                Ok(rel.local_unit_data.clone())
            } else {
                rel.remote_units
                    .get(unit_or_app)
                    .filter(|_| w.in_scope(relation_id))
                    .cloned()
                    .ok_or_else(|| {
                        refused(
                            c(),
                            format!("unit {unit_or_app:?} is not in relation {relation_id}"),
                        )
                    })
            }
        })
    }

    fn relation_set(
        &self,
        relation_id: &str,
        app: bool,
        settings: &Settings,
    ) -> Result<(), HookError> {
        let c = || call::relation_set(relation_id, app, settings);
        self.relation(relation_id, c, |rel, w| {
            if app && !w.state.leader {
                return Err(refused(
                    c(),
                    "cannot write application settings: not the leader",
                ));
            }
            let target = if app {
                &mut rel.local_app_data
            } else {
                &mut rel.local_unit_data
            };
            apply_writes(target, settings);
            Ok(())
        })
    }

    fn is_leader(&self) -> Result<bool, HookError> {
        Ok(self.world.borrow().state.leader)
    }

    fn leader_get(&self) -> Result<Settings, HookError> {
        Ok(self.world.borrow().state.leader_settings.clone())
    }

    fn leader_set(&self, settings: &Settings) -> Result<(), HookError> {
        let mut w = self.world.borrow_mut();
        if !w.state.leader {
            return Err(refused(
                call::leader_set(settings),
                "cannot write leadership settings: not the leader",
            ));
        }
        apply_writes(&mut w.state.leader_settings, settings);
        Ok(())
    }

    fn unit_get(&self, key: &str) -> Result<Option<String>, HookError> {
        let w = self.world.borrow();
        let private = &w.state.private_address;
        match key {
            "private-address" => Ok(Some(private.clone())),
            "public-address" => Ok(Some(
                w.state.public_address.clone().unwrap_or(private.clone()),
            )),
            other => Err(refused(
                call::unit_get(key),
                format!("unknown setting {other:?}"),
            )),
        }
    }

    fn network_get(&self, binding: &str) -> Result<NetworkInfo, HookError> {
        let w = self.world.borrow();
        if let Some(n) = w.state.networks.get(binding) {
            return Ok(n.clone());
        }
        let addr = w.state.private_address.clone();
        Ok(NetworkInfo {
            bind_addresses: vec![BindAddress {
                interface_name: "eth0".into(),
                addresses: vec![InterfaceAddress {
                    address: addr.clone(),
                    ..InterfaceAddress::default()
                }],
                ..BindAddress::default()
            }],
            egress_subnets: Vec::new(),
            ingress_addresses: vec![addr],
        })
    }

    fn status_get(&self, application: bool) -> Result<StatusInfo, HookError> {
        let w = self.world.borrow();
        Ok(if application {
            w.state.app_status.to_info()
        } else {
            w.state.status.to_info()
        })
    }

    fn status_set(
        &self,
        state: WorkloadState,
        message: &str,
        application: bool,
    ) -> Result<(), HookError> {
        let mut w = self.world.borrow_mut();
        if application && !w.state.leader {
            let c = call::status_set(state, message, application);
            return Err(refused(c, "cannot set application status: not the leader"));
        }
        let s = Status::new(state, message);
        if application {
            w.state.app_status = s;
        } else {
            w.status_history.push(s.clone());
            w.state.status = s;
        }
        Ok(())
    }

    fn juju_log(&self, level: LogLevel, message: &str) -> Result<(), HookError> {
        self.world
            .borrow_mut()
            .logs
            .push((level, message.to_string()));
        Ok(())
    }

    fn open_port(&self, port: Port) -> Result<(), HookError> {
        self.world.borrow_mut().state.opened_ports.insert(port);
        Ok(())
    }

    fn close_port(&self, port: Port) -> Result<(), HookError> {
        self.world.borrow_mut().state.opened_ports.remove(&port);
        Ok(())
    }

    fn opened_ports(&self) -> Result<Vec<Port>, HookError> {
        let ports = &self.world.borrow().state.opened_ports;
        Ok(ports.iter().copied().collect())
    }

    fn application_version_set(&self, version: &str) -> Result<(), HookError> {
        self.world.borrow_mut().state.application_version = Some(version.to_string());
        Ok(())
    }

    fn action_get(&self) -> Result<Value, HookError> {
        Ok(Value::Object(self.world.borrow().action_params.clone()))
    }

    fn action_set(&self, values: &Settings) -> Result<(), HookError> {
        let mut w = self.world.borrow_mut();
        w.action_results
            .extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
        Ok(())
    }

    fn action_fail(&self, message: &str) -> Result<(), HookError> {
        self.world.borrow_mut().action_failed = Some(message.to_string());
        Ok(())
    }

    fn action_log(&self, message: &str) -> Result<(), HookError> {
        self.world
            .borrow_mut()
            .action_logs
            .push(message.to_string());
        Ok(())
    }

    fn relation_list_app(&self, relation_id: &str) -> Result<Option<String>, HookError> {
        self.relation(
            relation_id,
            || call::relation_list_app(relation_id),
            |rel, _| Ok(Some(rel.remote_app.clone()).filter(|a| !a.is_empty())),
        )
    }

    fn application_status_get(&self) -> Result<ApplicationStatus, HookError> {
        let w = self.world.borrow();
        if !w.state.leader {
            let c = call::status_get(true);
            return Err(refused(c, "cannot read application status: not the leader"));
        }
        Ok(ApplicationStatus {
            application: w.state.app_status.to_info(),
            units: [(w.unit.clone(), w.state.status.to_info())].into(),
        })
    }

    secrets::secret_tools!();
}
