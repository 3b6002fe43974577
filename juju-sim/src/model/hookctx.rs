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
        }
    }

    fn relation_context(&self, id: u32, unit: &str) -> Option<RelationContext> {
        let rel = self.state.relations.get(&id)?;
        let app = app_of(unit);
        let remote_app = rel.remote_app(app);
        Some(RelationContext {
            name: rel.local_end(app)?.endpoint.clone(),
            remote_app: remote_app.into(),
            peer: rel.is_peer(),
            listed: rel.members.contains(unit) && !rel.removed,
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

    /// The environment of a process run for `unit`: the parent's variables
    /// minus any `JUJU_*` and `CHARM_DIR`, `PATH` with the tools first, the
    /// unit's variables, and the hook's (`hook` is `None` for `dispatch
    /// flags`).
    pub(super) fn unit_env(
        &mut self,
        unit: &str,
        hook: Option<(&str, &Event)>,
        dispatch_path: Option<&str>,
        context_dir: &Path,
        tools: &Path,
    ) -> Vec<(String, String)> {
        let mut env: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| !k.starts_with("JUJU_") && k != "CHARM_DIR" && k != "PATH")
            .collect();
        let path = match std::env::var("PATH") {
            Ok(p) if !p.is_empty() => format!("{}:{p}", tools.display()),
            _ => format!("{}:/usr/local/bin:/usr/bin:/bin", tools.display()),
        };
        let charm_dir = self.state.units[unit].charm_dir().display().to_string();
        self.state.next_context += 1;
        let hook_name = hook.map_or("flags", |(h, _)| h);
        let meter_status = self.state.apps[&self.state.units[unit].app]
            .meter_status
            .clone();
        let mut set = |k: &str, v: String| env.push((k.into(), v));
        set("PATH", path);
        set("JUJU_UNIT_NAME", unit.into());
        set("JUJU_CHARM_DIR", charm_dir.clone());
        set("CHARM_DIR", charm_dir);
        set("JUJU_MODEL_NAME", self.state.name.clone());
        set("JUJU_MODEL_UUID", self.state.uuid.clone());
        set("JUJU_VERSION", self.options.juju_version.clone());
        set(
            "JUJU_CONTEXT_ID",
            format!("{unit}-{hook_name}-{}", self.state.next_context),
        );
        set(CONTEXT_ENV, context_dir.display().to_string());
        if let Some(path) = dispatch_path {
            set("JUJU_DISPATCH_PATH", path.into());
        }
        if let Some((code, info)) = meter_status {
            set("JUJU_METER_STATUS", code);
            set("JUJU_METER_INFO", info);
        }
        let Some((hook, event)) = hook else {
            return env;
        };
        if let Event::Action { id } = event {
            set("JUJU_ACTION_NAME", hook.into());
            set("JUJU_ACTION_UUID", id.clone());
            set("JUJU_ACTION_TAG", format!("action-{id}"));
        } else {
            set("JUJU_HOOK_NAME", hook.into());
        }
        if let Some(rel) = self.relation_env(unit, event) {
            env.push(("JUJU_RELATION".into(), rel.name));
            env.push(("JUJU_RELATION_ID".into(), rel.id));
            env.push((
                "JUJU_REMOTE_UNIT".into(),
                rel.remote_unit.unwrap_or_default(),
            ));
            env.push(("JUJU_REMOTE_APP".into(), rel.remote_app));
            if let Some(departing) = rel.departing_unit {
                env.push(("JUJU_DEPARTING_UNIT".into(), departing));
            }
        }
        env
    }
}
