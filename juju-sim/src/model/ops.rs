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
//!   `leader-settings-changed` only on units whose leader-settings version
//!   is behind (see `leadership.rs`);
//! - `collect_metrics` / meter status change: `collect-metrics` /
//!   `meter-status-changed` on every unit of the application.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use serde_json::Value;

use super::events::Event;
use super::state::{App, RelationEnd, Unit};
use super::{charmdir, Model};
use crate::charm::Role;
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
        let charm = self.load_charm(charm_dir.as_ref())?;
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
                leader_settings_version: 1,
                status: Status::default(),
                workload_version: String::new(),
                next_unit: 0,
                meter_status: None,
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
                machine: n,
                root,
                private_address: format!("198.18.{hi}.{lo}"),
                public_address: format!("198.19.{hi}.{lo}"),
                status: Status::default(),
                logs: Vec::new(),
                ports: BTreeSet::new(),
                queue: VecDeque::new(),
                dying: false,
                installed: false,
                leader_settings_seen: 0,
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
        if leader {
            self.state.enqueue(&name, Event::LeaderElected);
        } else {
            // Its leader-settings version (0) is behind the application's.
            self.queue_leader_settings(app);
        }
        for event in [Event::ConfigChanged, Event::Start] {
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
            if !rel.leaving.insert(unit.into()) {
                // Already leaving this relation (it is being removed).
                continue;
            }
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

    /// Queues `collect-metrics` on every unit of `app`, as Juju does
    /// periodically for charms that declare metrics.
    pub fn collect_metrics(&mut self, app: &str) -> Result<(), Error> {
        self.app(app)?;
        for unit in self.state.app_units(app) {
            self.state.enqueue(&unit, Event::CollectMetrics);
        }
        Ok(())
    }

    /// Sets `app`'s meter status (`code` such as `AMBER`, and a message);
    /// queues `meter-status-changed` on every unit when it changes. Hooks
    /// see it as `JUJU_METER_STATUS` and `JUJU_METER_INFO` from then on.
    pub fn set_meter_status(&mut self, app: &str, code: &str, info: &str) -> Result<(), Error> {
        let state = self
            .state
            .apps
            .get_mut(app)
            .ok_or_else(|| Error::UnknownApp(app.into()))?;
        let status = Some((code.to_string(), info.to_string()));
        if state.meter_status != status {
            state.meter_status = status;
            for unit in self.state.app_units(app) {
                self.state.enqueue(&unit, Event::MeterStatusChanged);
            }
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
        let spec = self.state.apps[app]
            .charm
            .actions
            .get(name)
            .ok_or_else(|| Error::UnknownAction {
                unit: unit.into(),
                action: name.into(),
            })?;
        let mut all = spec.defaults();
        for (k, v) in params {
            let value = serde_norway::from_str::<Value>(v.as_ref())
                .unwrap_or_else(|_| Value::String(v.as_ref().into()));
            all.insert(k.as_ref().into(), value);
        }
        spec.validate_params(&all)
            .map_err(|e| Error::BadActionParams {
                unit: unit.into(),
                action: name.into(),
                problems: e.violations,
            })?;
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
            stdout: String::new(),
            stderr: String::new(),
            exit_code: None,
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
}
