//! What a hook is given: its context file and its environment.

use std::path::Path;

use super::events::Event;
use super::state::app_of;
use super::Model;
use crate::context::{ActionContext, HookContext, RelationContext, CONTEXT_ENV};
use crate::report::RelationEnv;

impl Model {
    /// The context the tools serve during `event` on `unit` (no event: the
    /// unit's plain view, as for `dispatch flags`).
    pub(super) fn hook_context(&self, unit: &str, event: Option<&Event>) -> HookContext {
        let u = &self.state.units[unit];
        let app = &self.state.apps[&u.app];
        let mut ids = self.state.relations_of(unit);
        if let Some(id) = event.and_then(Event::relation) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let relations = ids
            .into_iter()
            .filter_map(|id| Some((id, self.relation_context(id, unit)?)))
            .collect();
        let action = match event {
            Some(Event::Action { id }) => self.state.actions.get(id).map(|a| ActionContext {
                name: a.name.clone(),
                params: a.params.clone(),
                ..ActionContext::default()
            }),
            _ => None,
        };
        HookContext {
            unit: unit.into(),
            app: u.app.clone(),
            leader: app.leader.as_deref() == Some(unit),
            private_address: u.private_address.clone(),
            public_address: u.public_address.clone(),
            bindings: app.charm.endpoints.keys().cloned().collect(),
            config: app.effective_config(),
            relation_id: event.and_then(Event::relation),
            remote_unit: event.and_then(Event::remote_unit).map(String::from),
            relations,
            leader_settings: app.leader_settings.clone(),
            ports: u.ports.clone(),
            unit_status: u.status.clone(),
            app_status: app.status.clone(),
            app_unit_statuses: self
                .state
                .units
                .iter()
                .filter(|(_, other)| other.app == u.app)
                .map(|(name, other)| (name.clone(), other.status.clone()))
                .collect(),
            workload_version: app.workload_version.clone(),
            action,
            goal_state: self.goal_state(unit),
            model_uuid: self.state.uuid.clone(),
            secrets: self.state.secrets.clone(),
        }
    }

    /// `goal-state` (`jujuc/goal-state.go`): the units of the unit's
    /// application and, per endpoint, the related application (`joined`)
    /// and its units, each with its workload status (`dying` when being
    /// removed).
    fn goal_state(&self, unit: &str) -> serde_json::Value {
        use serde_json::json;
        let status_of = |u: &str| {
            let s = self.state.units.get(u).map_or("unknown", |x| {
                if x.dying {
                    "dying"
                } else {
                    x.status.status.as_str()
                }
            });
            json!({ "status": s })
        };
        let app = app_of(unit);
        let units: serde_json::Map<String, serde_json::Value> = self
            .state
            .all_app_units(app)
            .iter()
            .map(|u| (u.clone(), status_of(u)))
            .collect();
        let mut relations = serde_json::Map::new();
        for id in self.state.relations_of(unit) {
            let rel = &self.state.relations[&id];
            let Some(end) = rel.local_end(app).filter(|_| !rel.removed) else {
                continue;
            };
            let remote_app = rel.remote_app(app);
            let mut entry = serde_json::Map::new();
            if !rel.is_peer() {
                entry.insert(remote_app.into(), json!({"status": "joined"}));
            }
            for remote in self.state.all_app_units(remote_app) {
                if remote != unit {
                    entry.insert(remote.clone(), status_of(&remote));
                }
            }
            relations.insert(end.endpoint.clone(), serde_json::Value::Object(entry));
        }
        json!({ "units": units, "relations": relations })
    }

    fn relation_context(&self, id: u32, unit: &str) -> Option<RelationContext> {
        let rel = self.state.relations.get(&id)?;
        let app = app_of(unit);
        let remote_app = rel.remote_app(app);
        Some(RelationContext {
            name: rel.local_end(app)?.endpoint.clone(),
            remote_app: remote_app.into(),
            peer: rel.is_peer(),
            listed: rel.members.contains(unit),
            units: rel.scope_of(unit),
            local_unit: rel.unit_data.get(unit).cloned().unwrap_or_default(),
            local_app: rel.app_data.get(app).cloned().unwrap_or_default(),
            remote_units: rel
                .unit_data
                .iter()
                .filter(|(u, _)| app_of(u) == remote_app && u.as_str() != unit)
                .map(|(u, s)| (u.clone(), s.clone()))
                .collect(),
            remote_app_data: rel.app_data.get(remote_app).cloned().unwrap_or_default(),
        })
    }

    /// The relation variables of a relation event.
    pub(super) fn relation_env(&self, unit: &str, event: &Event) -> Option<RelationEnv> {
        let id = event.relation()?;
        let rel = self.state.relations.get(&id)?;
        let app = app_of(unit);
        let name = rel.local_end(app)?.endpoint.clone();
        Some(RelationEnv {
            id: format!("{name}:{id}"),
            name,
            remote_unit: event.remote_unit().map(String::from),
            remote_app: rel.remote_app(app).into(),
            departing_unit: match event {
                Event::RelationDeparted { departing_unit, .. } => Some(departing_unit.clone()),
                _ => None,
            },
        })
    }

    /// The environment of a process run for `unit`, built from nothing as
    /// Juju builds it (`worker/uniter/runner/context/context.go`
    /// `HookVars`, `context/env.go`): the `JUJU_*` variables and
    /// `CHARM_DIR`, `PATH` with the tools first, the Ubuntu allow-list;
    /// then [`Options::hook_env`](super::Options::hook_env), which is not
    /// Juju. `hook` is `None` for `dispatch flags`.
    pub(super) fn unit_env(
        &mut self,
        unit: &str,
        hook: Option<(&str, &Event)>,
        dispatch_path: Option<&str>,
        context_dir: &Path,
        tools: &Path,
    ) -> Vec<(String, String)> {
        let agent_path = std::env::var("PATH")
            .ok()
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "/usr/local/bin:/usr/bin:/bin".into());
        let u = &self.state.units[unit];
        let charm_dir = u.charm_dir().display().to_string();
        let machine = u.machine.to_string();
        self.state.next_context += 1;
        let hook_name = hook.map_or("flags", |(h, _)| h);
        let meter_status = self.state.apps[&u.app].meter_status.clone();
        let socket = context_dir.join("agent.socket").display().to_string();
        let mut env: Vec<(String, String)> = Vec::new();
        let mut set = |k: &str, v: String| env.push((k.into(), v));
        for (k, v) in UBUNTU_ENV {
            set(k, (*v).into());
        }
        set("PATH", format!("{}:{agent_path}", tools.display()));
        set("CHARM_DIR", charm_dir.clone());
        set("JUJU_CHARM_DIR", charm_dir);
        set(
            "JUJU_CONTEXT_ID",
            format!("{unit}-{hook_name}-{}", self.state.next_context),
        );
        set("JUJU_AGENT_SOCKET_ADDRESS", socket);
        set("JUJU_AGENT_SOCKET_NETWORK", "unix".into());
        set("JUJU_UNIT_NAME", unit.into());
        set("JUJU_MODEL_UUID", self.state.uuid.clone());
        set("JUJU_MODEL_NAME", self.state.name.clone());
        set("JUJU_API_ADDRESSES", "198.18.0.1:17070".into());
        set("JUJU_SLA", "unsupported".into());
        set("JUJU_MACHINE_ID", machine);
        // Empty for a principal unit, as Juju exports it.
        set("JUJU_PRINCIPAL_UNIT", String::new());
        set("JUJU_AVAILABILITY_ZONE", String::new());
        set("JUJU_VERSION", self.options.juju_version.clone());
        set("CLOUD_API_VERSION", String::new());
        for proxy in ["HTTP", "HTTPS", "FTP", "NO"] {
            set(&format!("JUJU_CHARM_{proxy}_PROXY"), String::new());
        }
        set(CONTEXT_ENV, context_dir.display().to_string());
        if let Some(path) = dispatch_path {
            set("JUJU_DISPATCH_PATH", path.into());
        }
        if let Some((code, info)) = meter_status {
            set("JUJU_METER_STATUS", code);
            set("JUJU_METER_INFO", info);
        }
        if let Some((hook, event)) = hook {
            if let Event::Action { id } = event {
                set("JUJU_HOOK_NAME", String::new());
                set("JUJU_ACTION_NAME", hook.into());
                set("JUJU_ACTION_UUID", id.clone());
                set("JUJU_ACTION_TAG", format!("action-{id}"));
            } else {
                set("JUJU_HOOK_NAME", hook.into());
            }
            for (k, v) in self.secret_env(unit, event) {
                set(k, v);
            }
            if let Some(rel) = self.relation_env(unit, event) {
                set("JUJU_RELATION", rel.name);
                set("JUJU_RELATION_ID", rel.id);
                set("JUJU_REMOTE_UNIT", rel.remote_unit.unwrap_or_default());
                set("JUJU_REMOTE_APP", rel.remote_app);
                if let Some(departing) = rel.departing_unit {
                    set("JUJU_DEPARTING_UNIT", departing);
                }
            }
        }
        // Not Juju: what a test asked for, last so it wins.
        for (k, v) in &self.options.hook_env {
            env.retain(|(name, _)| name != k);
            env.push((k.clone(), v.clone()));
        }
        env
    }
}

/// What Juju adds on Ubuntu besides `PATH` (`context/env.go`, `ubuntuEnv`).
const UBUNTU_ENV: &[(&str, &str)] = &[
    ("APT_LISTCHANGES_FRONTEND", "none"),
    ("DEBIAN_FRONTEND", "noninteractive"),
    ("LANG", "C.UTF-8"),
    ("TERM", "tmux-256color"),
];
