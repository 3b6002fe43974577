//! Operations on the model. Each validates everything first, then changes
//! the state and queues events; none runs a hook.
//!
//! Events are queued in this order (each unit runs its queue in order):
//! - new unit: `install`, `<rel>-relation-created` for every relation its
//!   application is already in (by id), `leader-elected` (the leader) or
//!   `leader-settings-changed`, `config-changed`, `start`, then for every
//!   relation and remote unit `-relation-joined` and `-relation-changed`;
//!   each remote unit gets `-relation-joined`/`-changed` for the new unit;
//! - relate: on every unit of both sides `-relation-created`, then per
//!   remote unit (by number) `-relation-joined`, `-relation-changed`;
//! - unit removal: `-relation-departed` on every unit that saw it join;
//!   on the unit, per relation, `-relation-departed` for each remote unit
//!   it saw and `-relation-broken`; then `stop`, `remove`;
//! - relation removal: on every unit, `-relation-departed` per remote unit
//!   it saw (`JUJU_DEPARTING_UNIT` is that remote unit), then `-broken`;
//! - config change: `config-changed` on every unit, if a value changed;
//! - leader change: `leader-elected` on the new leader,
//!   `leader-settings-changed` on the others.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use serde_json::Value;

use super::events::Event;
use super::state::{app_of, App, Relation, RelationEnd, Unit};
use super::{charmdir, Model};
use crate::charm::{Charm, Role};
use crate::context::{Settings, Status};
use crate::error::Error;
use crate::report::{ActionRecord, ActionStatus};

impl Model {
    /// Deploys `n` units of the charm in `charm_dir` as `app`.
    pub fn deploy(
        &mut self,
        app: &str,
        charm_dir: impl AsRef<Path>,
        n: u32,
    ) -> Result<Vec<String>, Error> {
        self.deploy_with_config(app, charm_dir, n, &[] as &[(&str, &str)])
    }

    /// Deploys with config values (parsed per `config.yaml`, as
    /// `juju deploy --config key=value` does).
    pub fn deploy_with_config<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        app: &str,
        charm_dir: impl AsRef<Path>,
        n: u32,
        config: &[(K, V)],
    ) -> Result<Vec<String>, Error> {
        let valid_name = app.starts_with(|c: char| c.is_ascii_lowercase())
            && app
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid_name {
            return Err(Error::InvalidAppName(app.into()));
        }
        if self.state.apps.contains_key(app) {
            return Err(Error::AppExists(app.into()));
        }
        let charm = Charm::load(charm_dir)?;
        let mut values = BTreeMap::new();
        for (k, v) in config {
            let value = charm.parse_option(app, k.as_ref(), v.as_ref())?;
            values.insert(k.as_ref().to_string(), value);
        }
        let peers: Vec<RelationEnd> = charm
            .endpoints
            .iter()
            .filter(|(_, e)| e.role == Role::Peers)
            .map(|(name, e)| RelationEnd {
                app: app.into(),
                endpoint: name.clone(),
                role: e.role,
                interface: e.interface.clone(),
            })
            .collect();
        self.state.apps.insert(
            app.into(),
            App {
                charm,
                config: values,
                leader: None,
                leader_settings: Settings::new(),
                status: Status::default(),
                workload_version: String::new(),
                next_unit: 0,
            },
        );
        // Juju creates peer relations with the application.
        for end in peers {
            self.new_relation(vec![end]);
        }
        (0..n).map(|_| self.add_unit(app)).collect()
    }

    /// Adds a unit to an application; returns its name.
    pub fn add_unit(&mut self, app: &str) -> Result<String, Error> {
        let app_state = self
            .state
            .apps
            .get_mut(app)
            .ok_or_else(|| Error::UnknownApp(app.into()))?;
        let number = app_state.next_unit;
        let name = format!("{app}/{number}");
        let root = self
            .workdir
            .join("units")
            .join(format!("unit-{app}-{number}"));
        charmdir::populate(&app_state.charm.dir, &root.join("charm"))?;
        app_state.next_unit += 1;
        let leader = app_state.leader.is_none();
        if leader {
            app_state.leader = Some(name.clone());
        }
        let n = self.state.next_address;
        self.state.next_address += 1;
        let (hi, lo) = (1 + n / 254, 1 + n % 254);
        self.state.units.insert(
            name.clone(),
            Unit {
                app: app.into(),
                number,
                root,
                private_address: format!("198.18.{hi}.{lo}"),
                public_address: format!("198.19.{hi}.{lo}"),
                status: Status::default(),
                logs: Vec::new(),
                ports: BTreeSet::new(),
                queue: VecDeque::new(),
                dying: false,
            },
        );
        let relations: Vec<u32> = self
            .state
            .relations
            .iter()
            .filter(|(_, r)| !r.removed && r.local_end(app).is_some())
            .map(|(id, _)| *id)
            .collect();
        for id in &relations {
            self.enter_relation(*id, &name);
        }
        self.state.enqueue(&name, Event::Install);
        for id in &relations {
            self.state
                .enqueue(&name, Event::RelationCreated { relation: *id });
        }
        let leadership = if leader {
            Event::LeaderElected
        } else {
            Event::LeaderSettingsChanged
        };
        for event in [leadership, Event::ConfigChanged, Event::Start] {
            self.state.enqueue(&name, event);
        }
        for id in relations {
            self.introduce(id, &name);
        }
        Ok(name)
    }

    /// Removes a unit: it departs its relations, then runs `stop` and
    /// `remove`, and leaves the model once `remove` has run. A leader hands
    /// leadership to the next unit by number.
    pub fn remove_unit(&mut self, unit: &str) -> Result<(), Error> {
        let u = self
            .state
            .units
            .get_mut(unit)
            .filter(|u| !u.dying)
            .ok_or_else(|| Error::UnknownUnit(unit.into()))?;
        u.dying = true;
        let app = u.app.clone();
        if self.state.apps[&app].leader.as_deref() == Some(unit) {
            match self.state.app_units(&app).first().cloned() {
                Some(next) => self.elect(&app, &next),
                None => {
                    if let Some(a) = self.state.apps.get_mut(&app) {
                        a.leader = None;
                    }
                }
            }
        }
        for id in self.state.relations_of(unit) {
            let rel = self.rel_mut(id);
            rel.members.remove(unit);
            for m in rel.remote_members(unit, &app) {
                if self.state.relations[&id].knows(&m, unit) {
                    let event = Event::RelationDeparted {
                        relation: id,
                        remote_unit: unit.into(),
                        departing_unit: unit.into(),
                    };
                    self.state.enqueue(&m, event);
                } else {
                    self.forget_pending(&m, id, unit);
                }
            }
            self.leave_relation(id, unit, Some(unit));
        }
        self.state.enqueue(unit, Event::Stop);
        self.state.enqueue(unit, Event::Remove);
        Ok(())
    }

    /// Relates two endpoints, each `app:endpoint` or just `app` when only
    /// one endpoint fits. Provides relates to requires of the same
    /// interface. Peer relations exist from deploy on: naming one returns
    /// its id. Returns the relation id.
    pub fn relate(&mut self, a: &str, b: &str) -> Result<u32, Error> {
        let (ea, eb) = self.match_endpoints(a, b)?;
        if ea.role == Role::Peers {
            return self.peer_relation(&ea.app, &ea.endpoint).ok_or_else(|| {
                Error::UnknownEndpoint {
                    app: ea.app.clone(),
                    endpoint: ea.endpoint.clone(),
                }
            });
        }
        let fail = |reason: String| Error::CannotRelate {
            a: a.into(),
            b: b.into(),
            reason,
        };
        for (id, rel) in &self.state.relations {
            if !rel.removed && rel.ends.contains(&ea) && rel.ends.contains(&eb) {
                return Err(fail(format!("relation {id} already exists")));
            }
        }
        for end in [&ea, &eb] {
            let limit = self.state.apps[&end.app].charm.endpoints[&end.endpoint].limit;
            let used = self
                .state
                .relations
                .values()
                .filter(|r| !r.removed && r.ends.contains(end))
                .count();
            if limit.is_some_and(|l| used as u64 >= u64::from(l)) {
                return Err(fail(format!(
                    "endpoint {}:{} is limited to {} relation(s)",
                    end.app,
                    end.endpoint,
                    limit.unwrap_or(0)
                )));
            }
        }
        let units: Vec<String> = [&ea.app, &eb.app]
            .iter()
            .flat_map(|app| self.state.app_units(app))
            .collect();
        let id = self.new_relation(vec![ea, eb]);
        for unit in &units {
            self.enter_relation(id, unit);
        }
        for unit in &units {
            self.state
                .enqueue(unit, Event::RelationCreated { relation: id });
        }
        let mut members = units;
        super::state::sort_units(&mut members);
        for unit in &members {
            let app = app_of(unit).to_string();
            for remote in self.state.relations[&id].remote_members(unit, &app) {
                self.joined(unit, id, &remote);
            }
        }
        Ok(id)
    }

    /// Removes a relation: every unit departs each remote unit it saw,
    /// then runs `-relation-broken`.
    pub fn remove_relation(&mut self, id: u32) -> Result<(), Error> {
        let rel = self
            .state
            .relations
            .get_mut(&id)
            .filter(|r| !r.removed)
            .ok_or(Error::UnknownRelation(id))?;
        if rel.is_peer() {
            return Err(Error::PeerRelation(id));
        }
        rel.removed = true;
        let mut members: Vec<String> = std::mem::take(&mut rel.members).into_iter().collect();
        super::state::sort_units(&mut members);
        for unit in members {
            self.leave_relation(id, &unit, None);
        }
        Ok(())
    }

    /// Sets a config option from its text form; queues `config-changed` on
    /// every unit when the value changes.
    pub fn set_config(&mut self, app: &str, key: &str, value: &str) -> Result<(), Error> {
        let parsed = self.app(app)?.charm.parse_option(app, key, value)?;
        self.change_config(app, key, Some(parsed))
    }

    /// Resets an option to its default (`juju config --reset`).
    pub fn reset_config(&mut self, app: &str, key: &str) -> Result<(), Error> {
        if !self.app(app)?.charm.options.contains_key(key) {
            return Err(Error::UnknownOption {
                app: app.into(),
                option: key.into(),
            });
        }
        self.change_config(app, key, None)
    }

    fn change_config(&mut self, app: &str, key: &str, value: Option<Value>) -> Result<(), Error> {
        let state = self
            .state
            .apps
            .get_mut(app)
            .ok_or_else(|| Error::UnknownApp(app.into()))?;
        let before = state.effective_config();
        match value {
            Some(v) => state.config.insert(key.into(), v),
            None => state.config.remove(key),
        };
        if state.effective_config() != before {
            for unit in self.state.app_units(app) {
                self.state.enqueue(&unit, Event::ConfigChanged);
            }
        }
        Ok(())
    }

    /// Queues `update-status` on every unit.
    pub fn update_status(&mut self) {
        for unit in self.state.unit_order() {
            if !self.state.units[&unit].dying {
                self.state.enqueue(&unit, Event::UpdateStatus);
            }
        }
    }

    /// Makes `unit` the leader of its application.
    pub fn set_leader(&mut self, unit: &str) -> Result<(), Error> {
        let u = self.unit(unit)?;
        if u.dying {
            return Err(Error::UnknownUnit(unit.into()));
        }
        let app = u.app.clone();
        if self.state.apps[&app].leader.as_deref() != Some(unit) {
            self.elect(&app, unit);
        }
        Ok(())
    }

    /// Queues an action on a unit; parameters are YAML scalars
    /// (`count=3` is a number). Returns the action id.
    pub fn queue_action<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        unit: &str,
        name: &str,
        params: &[(K, V)],
    ) -> Result<String, Error> {
        let app = &self.unit(unit)?.app;
        let defaults = self.state.apps[app]
            .charm
            .actions
            .get(name)
            .ok_or_else(|| Error::UnknownAction {
                unit: unit.into(),
                action: name.into(),
            })?;
        let mut all = defaults.clone();
        for (k, v) in params {
            let value = serde_norway::from_str::<Value>(v.as_ref())
                .unwrap_or_else(|_| Value::String(v.as_ref().into()));
            all.insert(k.as_ref().into(), value);
        }
        self.state.next_action += 1;
        let id = self.state.next_action.to_string();
        let record = ActionRecord {
            id: id.clone(),
            unit: unit.into(),
            name: name.into(),
            params: all,
            status: ActionStatus::Pending,
            results: Default::default(),
            message: None,
            logs: Vec::new(),
        };
        self.state.actions.insert(id.clone(), record);
        self.state.enqueue(unit, Event::Action { id: id.clone() });
        Ok(id)
    }

    /// Queues an action, settles the model and returns the action's outcome.
    pub fn run_action<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        unit: &str,
        name: &str,
        params: &[(K, V)],
    ) -> Result<ActionRecord, Error> {
        let id = self.queue_action(unit, name, params)?;
        self.settle()?;
        Ok(self.state.actions[&id].clone())
    }

    // ---- helpers -----------------------------------------------------

    fn rel_mut(&mut self, id: u32) -> &mut Relation {
        self.state
            .relations
            .get_mut(&id)
            .expect("relation ids come from the state")
    }

    fn new_relation(&mut self, ends: Vec<RelationEnd>) -> u32 {
        let id = self.state.next_relation;
        self.state.next_relation += 1;
        let rel = Relation {
            ends,
            members: BTreeSet::new(),
            scope: BTreeMap::new(),
            unit_data: BTreeMap::new(),
            app_data: BTreeMap::new(),
            removed: false,
        };
        self.state.relations.insert(id, rel);
        id
    }

    /// Makes `unit` a member, with its settings pre-filled as Juju does.
    fn enter_relation(&mut self, id: u32, unit: &str) {
        let address = self.state.units[unit].private_address.clone();
        let rel = self.rel_mut(id);
        rel.members.insert(unit.into());
        rel.scope.entry(unit.into()).or_default();
        let data = rel.unit_data.entry(unit.into()).or_default();
        data.insert("private-address".into(), address.clone());
        data.insert("ingress-address".into(), address.clone());
        data.insert("egress-subnets".into(), format!("{address}/32"));
    }

    /// Queues the join of a new member with every remote member, both ways.
    fn introduce(&mut self, id: u32, unit: &str) {
        let app = app_of(unit).to_string();
        for remote in self.state.relations[&id].remote_members(unit, &app) {
            self.joined(unit, id, &remote);
            self.joined(&remote, id, unit);
        }
    }

    fn joined(&mut self, unit: &str, id: u32, remote: &str) {
        let joined = Event::RelationJoined {
            relation: id,
            remote_unit: remote.into(),
        };
        let changed = Event::RelationChanged {
            relation: id,
            remote_unit: Some(remote.into()),
        };
        self.state.enqueue(unit, joined);
        self.state.enqueue(unit, changed);
    }

    /// Queues `unit`'s departure from every remote unit it saw, then
    /// `-relation-broken`. `departing` is `JUJU_DEPARTING_UNIT` (the unit
    /// itself when it is being removed; else each remote unit).
    fn leave_relation(&mut self, id: u32, unit: &str, departing: Option<&str>) {
        let app = app_of(unit).to_string();
        let rel = &self.state.relations[&id];
        let seen = rel.scope_of(unit);
        let remote_app = rel.remote_app(&app).to_string();
        let unseen: Vec<String> = rel
            .unit_data
            .keys()
            .filter(|u| app_of(u) == remote_app && *u != unit && !seen.contains(u))
            .cloned()
            .collect();
        for remote in unseen {
            self.forget_pending(unit, id, &remote);
        }
        for remote in seen {
            let event = Event::RelationDeparted {
                relation: id,
                remote_unit: remote.clone(),
                departing_unit: departing.unwrap_or(&remote).into(),
            };
            self.state.enqueue(unit, event);
        }
        self.state
            .enqueue(unit, Event::RelationBroken { relation: id });
    }

    /// Drops queued joined/changed events of `unit` about `remote`, which
    /// leaves before `unit` ever saw it.
    fn forget_pending(&mut self, unit: &str, id: u32, remote: &str) {
        if let Some(u) = self.state.units.get_mut(unit) {
            u.queue.retain(|q| {
                let about_remote = q.event.relation() == Some(id)
                    && q.event.remote_unit() == Some(remote)
                    && matches!(
                        q.event,
                        Event::RelationJoined { .. } | Event::RelationChanged { .. }
                    );
                !about_remote
            });
        }
    }

    fn elect(&mut self, app: &str, unit: &str) {
        if let Some(a) = self.state.apps.get_mut(app) {
            a.leader = Some(unit.into());
        }
        self.state.enqueue(unit, Event::LeaderElected);
        for other in self.state.app_units(app) {
            if other != unit {
                self.state.enqueue(&other, Event::LeaderSettingsChanged);
            }
        }
    }

    /// Resolves `a` and `b` to one compatible endpoint pair.
    fn match_endpoints(&self, a: &str, b: &str) -> Result<(RelationEnd, RelationEnd), Error> {
        let side_a = self.candidates(a)?;
        let side_b = self.candidates(b)?;
        let mut pairs = Vec::new();
        for ea in &side_a {
            for eb in &side_b {
                let fits = match (ea.role, eb.role) {
                    (Role::Provides, Role::Requires) | (Role::Requires, Role::Provides) => {
                        ea.app != eb.app
                    }
                    (Role::Peers, Role::Peers) => ea == eb,
                    _ => false,
                };
                if fits && ea.interface == eb.interface {
                    pairs.push((ea.clone(), eb.clone()));
                }
            }
        }
        let describe = |side: &[RelationEnd]| {
            let each: Vec<String> = side
                .iter()
                .map(|e| format!("{}:{} ({} {})", e.app, e.endpoint, e.role, e.interface))
                .collect();
            each.join(", ")
        };
        match pairs.len() {
            1 => Ok(pairs.remove(0)),
            0 => Err(Error::CannotRelate {
                a: a.into(),
                b: b.into(),
                reason: format!(
                    "no provides/requires pair with one interface among [{}] and [{}]",
                    describe(&side_a),
                    describe(&side_b)
                ),
            }),
            _ => Err(Error::CannotRelate {
                a: a.into(),
                b: b.into(),
                reason: format!(
                    "ambiguous, name the endpoints: {}",
                    pairs
                        .iter()
                        .map(|(x, y)| format!("{}:{} {}:{}", x.app, x.endpoint, y.app, y.endpoint))
                        .collect::<Vec<_>>()
                        .join(" | ")
                ),
            }),
        }
    }

    /// The endpoints `app:endpoint` (or every endpoint of `app`) names.
    fn candidates(&self, spec: &str) -> Result<Vec<RelationEnd>, Error> {
        let (app, endpoint) = match spec.split_once(':') {
            Some((app, ep)) => (app, Some(ep)),
            None => (spec, None),
        };
        let charm = &self.app(app)?.charm;
        if let Some(ep) = endpoint {
            if !charm.endpoints.contains_key(ep) {
                return Err(Error::UnknownEndpoint {
                    app: app.into(),
                    endpoint: ep.into(),
                });
            }
        }
        Ok(charm
            .endpoints
            .iter()
            .filter(|(name, _)| endpoint.is_none_or(|ep| ep == name.as_str()))
            .map(|(name, e)| RelationEnd {
                app: app.into(),
                endpoint: name.clone(),
                role: e.role,
                interface: e.interface.clone(),
            })
            .collect())
    }
}
