//! [`MemoryTools`]: hook tools answered from an in-memory [`Model`] of the
//! unit's world, for charm unit tests (feature `testing`). Requests that Juju
//! refuses (reading a unit not in the relation, `leader-set` on a follower)
//! are refused the same way.

use std::cell::{Ref, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::error::HookError;
use super::memory_secrets::MemorySecret;
use super::tool_call::ToolCall;
use super::tools::{call, HookTools};
use super::types::{
    apply_writes, ApplicationStatus, BindAddress, InterfaceAddress, LogLevel, NetworkInfo, Port,
    Settings, StatusInfo, WorkloadState,
};

/// One relation as this unit sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelationModel {
    /// Relation (endpoint) name.
    pub name: String,
    /// The remote application.
    pub remote_app: String,
    /// Remote units in scope and their settings.
    pub units: BTreeMap<String, Settings>,
    /// The remote application's settings.
    pub remote_app_data: Settings,
    /// This unit's settings.
    pub local_unit_data: Settings,
    /// This application's settings.
    pub local_app_data: Settings,
}

/// The unit's world, as the hook tools report it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    /// `kafka/0`.
    pub unit_name: String,
    /// What `config-get --all` returns.
    pub config: Map<String, Value>,
    /// What `is-leader` returns.
    pub leader: bool,
    /// The leader settings.
    pub leader_settings: Settings,
    /// Relations by relation id (`kafka:3`).
    pub relations: BTreeMap<String, RelationModel>,
    /// The unit leaving in a `-relation-departed` hook: `relation-list` no
    /// longer lists it, `relation-get` still reads it.
    pub departing: Option<(String, String)>,
    /// `unit-get` answers (`private-address`, `public-address`).
    pub unit_addresses: Settings,
    /// `network-get` answers by binding; a binding not listed gets the
    /// private address.
    pub networks: BTreeMap<String, NetworkInfo>,
    /// The unit's status.
    pub unit_status: StatusInfo,
    /// The application's status.
    pub app_status: StatusInfo,
    /// Every unit status set, in order.
    pub status_history: Vec<StatusInfo>,
    /// Opened ports.
    pub opened_ports: BTreeSet<Port>,
    /// The application version set.
    pub application_version: Option<String>,
    /// The running action's parameters.
    pub action_params: Map<String, Value>,
    /// Results set with `action-set`.
    pub action_results: Settings,
    /// The message of `action-fail`, if called.
    pub action_failed: Option<String>,
    /// Lines sent to `juju-log`.
    pub logs: Vec<(LogLevel, String)>,
    /// Lines sent to `action-log`.
    pub action_logs: Vec<String>,
    /// Secrets the unit owns or was granted.
    pub secrets: Vec<MemorySecret>,
}

/// Hook tools over a shared [`Model`]; clones share the model.
#[derive(Debug, Clone, Default)]
pub struct MemoryTools {
    model: Rc<RefCell<Model>>,
}

fn refused(c: ToolCall, reason: impl Into<String>) -> HookError {
    HookError::Refused {
        call: c,
        reason: reason.into(),
    }
}

impl MemoryTools {
    /// Tools answering from `model`.
    #[must_use]
    pub fn new(model: Model) -> MemoryTools {
        MemoryTools {
            model: Rc::new(RefCell::new(model)),
        }
    }

    /// The model as it is now.
    #[must_use]
    pub fn model(&self) -> Ref<'_, Model> {
        self.model.borrow()
    }

    fn relation<R>(
        &self,
        rid: &str,
        c: impl FnOnce() -> ToolCall,
        f: impl FnOnce(&mut RelationModel, &mut Model) -> Result<R, HookError>,
    ) -> Result<R, HookError> {
        let mut m = self.model.borrow_mut();
        let Some(mut rel) = m.relations.remove(rid) else {
            return Err(refused(c(), format!("relation {rid:?} not found")));
        };
        let out = f(&mut rel, &mut m);
        m.relations.insert(rid.to_string(), rel);
        out
    }

    fn app_name(m: &Model) -> String {
        m.unit_name
            .split('/')
            .next()
            .unwrap_or_default()
            .to_string()
    }
}

impl HookTools for MemoryTools {
    fn config_get_all(&self) -> Result<Map<String, Value>, HookError> {
        Ok(self.model.borrow().config.clone())
    }

    fn relation_ids(&self, relation_name: &str) -> Result<Vec<String>, HookError> {
        let m = self.model.borrow();
        let mut ids: Vec<&String> = m
            .relations
            .iter()
            .filter(|(_, r)| r.name == relation_name)
            .map(|(id, _)| id)
            .collect();
        // Numeric order of the id part, as Juju lists them.
        ids.sort_by_key(|id| {
            let n: u64 = id
                .rsplit(':')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            (n, (*id).clone())
        });
        Ok(ids.into_iter().cloned().collect())
    }

    fn relation_list(&self, relation_id: &str) -> Result<Vec<String>, HookError> {
        let c = || call::relation_list(relation_id);
        self.relation(relation_id, c, |rel, m| {
            Ok(rel
                .units
                .keys()
                .filter(|u| m.departing.as_ref() != Some(&(relation_id.to_string(), (*u).clone())))
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
        self.relation(relation_id, c, |rel, m| {
            if app {
                if unit_or_app == Self::app_name(m) {
                    Ok(rel.local_app_data.clone())
                } else if unit_or_app == rel.remote_app {
                    Ok(rel.remote_app_data.clone())
                } else {
                    Err(refused(
                        c(),
                        format!("application {unit_or_app:?} is not in relation {relation_id}"),
                    ))
                }
            } else if unit_or_app == m.unit_name {
                Ok(rel.local_unit_data.clone())
            } else {
                rel.units.get(unit_or_app).cloned().ok_or_else(|| {
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
        self.relation(relation_id, c, |rel, m| {
            if app && !m.leader {
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
        Ok(self.model.borrow().leader)
    }

    fn leader_get(&self) -> Result<Settings, HookError> {
        Ok(self.model.borrow().leader_settings.clone())
    }

    fn leader_set(&self, settings: &Settings) -> Result<(), HookError> {
        let mut m = self.model.borrow_mut();
        if !m.leader {
            return Err(refused(
                call::leader_set(settings),
                "cannot write leadership settings: not the leader",
            ));
        }
        apply_writes(&mut m.leader_settings, settings);
        Ok(())
    }

    fn unit_get(&self, key: &str) -> Result<Option<String>, HookError> {
        match key {
            "private-address" | "public-address" => {
                Ok(self.model.borrow().unit_addresses.get(key).cloned())
            }
            other => Err(refused(
                call::unit_get(key),
                format!("unknown setting {other:?}"),
            )),
        }
    }

    fn network_get(&self, binding: &str) -> Result<NetworkInfo, HookError> {
        let m = self.model.borrow();
        if let Some(n) = m.networks.get(binding) {
            return Ok(n.clone());
        }
        let addr = m
            .unit_addresses
            .get("private-address")
            .cloned()
            .unwrap_or_default();
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
        let m = self.model.borrow();
        Ok(if application {
            m.app_status.clone()
        } else {
            m.unit_status.clone()
        })
    }

    fn status_set(
        &self,
        state: WorkloadState,
        message: &str,
        application: bool,
    ) -> Result<(), HookError> {
        let mut m = self.model.borrow_mut();
        if application && !m.leader {
            let c = call::status_set(state, message, application);
            return Err(refused(c, "cannot set application status: not the leader"));
        }
        let s = StatusInfo {
            status: state.as_str().to_string(),
            message: message.to_string(),
        };
        if application {
            m.app_status = s;
        } else {
            m.status_history.push(s.clone());
            m.unit_status = s;
        }
        Ok(())
    }

    fn juju_log(&self, level: LogLevel, message: &str) -> Result<(), HookError> {
        self.model
            .borrow_mut()
            .logs
            .push((level, message.to_string()));
        Ok(())
    }

    fn open_port(&self, port: Port) -> Result<(), HookError> {
        self.model.borrow_mut().opened_ports.insert(port);
        Ok(())
    }

    fn close_port(&self, port: Port) -> Result<(), HookError> {
        self.model.borrow_mut().opened_ports.remove(&port);
        Ok(())
    }

    fn opened_ports(&self) -> Result<Vec<Port>, HookError> {
        Ok(self.model.borrow().opened_ports.iter().copied().collect())
    }

    fn application_version_set(&self, version: &str) -> Result<(), HookError> {
        self.model.borrow_mut().application_version = Some(version.to_string());
        Ok(())
    }

    fn action_get(&self) -> Result<Value, HookError> {
        Ok(Value::Object(self.model.borrow().action_params.clone()))
    }

    fn action_set(&self, values: &Settings) -> Result<(), HookError> {
        let mut m = self.model.borrow_mut();
        m.action_results
            .extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
        Ok(())
    }

    fn action_fail(&self, message: &str) -> Result<(), HookError> {
        self.model.borrow_mut().action_failed = Some(message.to_string());
        Ok(())
    }

    fn action_log(&self, message: &str) -> Result<(), HookError> {
        self.model
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
        let m = self.model.borrow();
        if !m.leader {
            let c = call::status_get(true);
            return Err(refused(c, "cannot read application status: not the leader"));
        }
        Ok(ApplicationStatus {
            application: m.app_status.clone(),
            units: [(m.unit_name.clone(), m.unit_status.clone())].into(),
        })
    }

    super::memory_secrets::secret_tools!();
}
