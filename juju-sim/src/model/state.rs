//! The model's state, as persisted in `model.json`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::events::{Event, Queued};
use crate::charm::{Charm, Role};
use crate::context::{LogLine, Settings, Status};
use crate::ports::Port;
use crate::report::{ActionRecord, HookRun};

/// Everything the model remembers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct State {
    pub name: String,
    pub uuid: String,
    pub apps: BTreeMap<String, App>,
    pub units: BTreeMap<String, Unit>,
    pub relations: BTreeMap<u32, Relation>,
    pub actions: BTreeMap<String, ActionRecord>,
    pub next_relation: u32,
    pub next_address: u32,
    pub next_action: u64,
    pub next_context: u64,
    pub history: Vec<HookRun>,
    /// Charms unpacked so far (names their directories).
    #[serde(default)]
    pub next_charm: u64,
    /// The model's base, `name@channel`.
    #[serde(default = "default_base")]
    pub base: String,
    /// The seed event order is drawn from (printed, settable).
    #[serde(default)]
    pub seed: u64,
    /// The generator's state, so a saved model goes on where it stopped.
    #[serde(default)]
    pub rng: Rng,
    /// The model's secrets.
    #[serde(default)]
    pub secrets: crate::secret::SecretStore,
}

/// A small deterministic generator (SplitMix64): reproducible orders, not
/// cryptography.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A deployed application.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct App {
    pub charm: Charm,
    /// Values set explicitly; defaults come from the charm.
    pub config: BTreeMap<String, Value>,
    pub leader: Option<String>,
    pub leader_settings: Settings,
    /// Bumped by every committed leader-settings change (starts at 1, so a
    /// new follower is behind).
    #[serde(default = "first_version")]
    pub leader_settings_version: u64,
    pub status: Status,
    pub workload_version: String,
    pub next_unit: u32,
    /// The meter status (`JUJU_METER_STATUS`, `JUJU_METER_INFO`), once set.
    #[serde(default)]
    pub meter_status: Option<(String, String)>,
}

fn default_base() -> String {
    crate::manifest::default_base().to_string()
}

fn first_version() -> u64 {
    1
}

impl App {
    /// Every option, set value or default, `null` when neither.
    pub fn effective_config(&self) -> BTreeMap<String, Value> {
        self.charm
            .options
            .iter()
            .map(|(name, opt)| {
                let value = self
                    .config
                    .get(name)
                    .or(opt.default.as_ref())
                    .cloned()
                    .unwrap_or(Value::Null);
                (name.clone(), value)
            })
            .collect()
    }
}

/// A unit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Unit {
    pub app: String,
    pub number: u32,
    /// The machine it runs on (`JUJU_MACHINE_ID`): one per unit.
    #[serde(default)]
    pub machine: u32,
    /// `<workdir>/units/unit-<app>-<n>`: holds `charm/` and `run/`.
    pub root: PathBuf,
    pub private_address: String,
    pub public_address: String,
    pub status: Status,
    pub logs: Vec<LogLine>,
    pub ports: BTreeSet<Port>,
    pub queue: VecDeque<Queued>,
    /// Being removed: gets no new events, leaves once `remove` ran.
    pub dying: bool,
    /// Has run `install`: actions may run.
    #[serde(default)]
    pub installed: bool,
    /// The leader-settings version its last `leader-settings-changed` saw.
    #[serde(default)]
    pub leader_settings_seen: u64,
}

impl Unit {
    pub fn charm_dir(&self) -> PathBuf {
        self.root.join("charm")
    }

    pub fn run_dir(&self) -> PathBuf {
        self.root.join("run")
    }
}

/// One side of a relation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RelationEnd {
    pub app: String,
    pub endpoint: String,
    pub role: Role,
    pub interface: String,
}

/// A relation: one end for peers, two otherwise.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Relation {
    pub ends: Vec<RelationEnd>,
    /// Units taking part; they get the relation's events and list it in
    /// `relation-ids` until their `-relation-broken` has committed.
    pub members: BTreeSet<String>,
    /// Members on their way out (departed and broken queued): remote
    /// units no longer see them join or change.
    #[serde(default)]
    pub leaving: BTreeSet<String>,
    /// For each unit, the remote units it has seen join and not depart.
    pub scope: BTreeMap<String, BTreeSet<String>>,
    /// Committed unit settings.
    pub unit_data: BTreeMap<String, Settings>,
    /// Committed application settings.
    pub app_data: BTreeMap<String, Settings>,
    /// Removed: being broken on its units, then forgotten.
    pub removed: bool,
}

impl Relation {
    pub fn is_peer(&self) -> bool {
        self.ends.len() == 1
    }

    /// The end of `app`.
    pub fn local_end(&self, app: &str) -> Option<&RelationEnd> {
        self.ends.iter().find(|e| e.app == app)
    }

    /// The application on the other side (`app` itself for peers).
    pub fn remote_app<'a>(&'a self, app: &'a str) -> &'a str {
        self.ends
            .iter()
            .map(|e| e.app.as_str())
            .find(|a| *a != app)
            .unwrap_or(app)
    }

    /// Members that `unit` (of `app`) sees as remote, in unit order.
    pub fn remote_members(&self, unit: &str, app: &str) -> Vec<String> {
        let remote_app = self.remote_app(app);
        let mut units: Vec<String> = self
            .members
            .iter()
            .filter(|m| m.as_str() != unit && app_of(m) == remote_app)
            .filter(|m| !self.leaving.contains(*m))
            .cloned()
            .collect();
        sort_units(&mut units);
        units
    }

    /// The remote units `unit` has in scope, in unit order.
    pub fn scope_of(&self, unit: &str) -> Vec<String> {
        let mut units: Vec<String> = self
            .scope
            .get(unit)
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        sort_units(&mut units);
        units
    }

    /// Whether `unit` has `remote` in scope.
    pub fn knows(&self, unit: &str, remote: &str) -> bool {
        self.scope.get(unit).is_some_and(|s| s.contains(remote))
    }
}

/// The application of a unit name (`kafka/0` -> `kafka`).
pub(crate) fn app_of(unit: &str) -> &str {
    unit.rsplit_once('/').map_or(unit, |(app, _)| app)
}

/// Sort key: application, then unit number (so `a/2` comes before `a/10`).
pub(crate) fn unit_key(unit: &str) -> (&str, u64) {
    match unit.rsplit_once('/') {
        Some((app, n)) => (app, n.parse().unwrap_or(u64::MAX)),
        None => (unit, 0),
    }
}

pub(crate) fn sort_units(units: &mut [String]) {
    units.sort_by(|a, b| unit_key(a).cmp(&unit_key(b)));
}

impl State {
    /// All units in the documented order: by application name, then number.
    pub fn unit_order(&self) -> Vec<String> {
        let mut names: Vec<String> = self.units.keys().cloned().collect();
        sort_units(&mut names);
        names
    }

    /// Every unit of an application, dying ones included, in order.
    pub fn all_app_units(&self, app: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .units
            .iter()
            .filter(|(_, u)| u.app == app)
            .map(|(n, _)| n.clone())
            .collect();
        sort_units(&mut names);
        names
    }

    /// Living units of an application, in order.
    pub fn app_units(&self, app: &str) -> Vec<String> {
        let mut names: Vec<String> = self
            .units
            .iter()
            .filter(|(_, u)| u.app == app && !u.dying)
            .map(|(n, _)| n.clone())
            .collect();
        sort_units(&mut names);
        names
    }

    /// Appends an event to a unit's queue. A change event is dropped when
    /// an identical one is already queued (it will read the latest state).
    pub fn enqueue(&mut self, unit: &str, event: Event) {
        if let Some(u) = self.units.get_mut(unit) {
            if event.coalesces() && u.queue.iter().any(|q| q.event == event) {
                return;
            }
            u.queue.push_back(Queued::new(event));
        }
    }

    /// Checks the references a hand-edited or damaged `model.json` could
    /// break, so lookups by name cannot fail later.
    pub fn check(&self) -> Result<(), String> {
        for (name, unit) in &self.units {
            if !self.apps.contains_key(&unit.app) {
                return Err(format!(
                    "unit {name} belongs to unknown application {}",
                    unit.app
                ));
            }
        }
        for (name, app) in &self.apps {
            if let Some(leader) = app.leader.as_ref().filter(|l| !self.units.contains_key(*l)) {
                return Err(format!("leader {leader} of {name} is not a unit"));
            }
        }
        for (id, rel) in &self.relations {
            for end in &rel.ends {
                let known = self
                    .apps
                    .get(&end.app)
                    .is_some_and(|a| a.charm.endpoints.contains_key(&end.endpoint));
                if !known {
                    return Err(format!(
                        "relation {id} names unknown endpoint {}:{}",
                        end.app, end.endpoint
                    ));
                }
            }
            if let Some(m) = rel.members.iter().find(|m| !self.units.contains_key(*m)) {
                return Err(format!("relation {id} has unknown member {m}"));
            }
        }
        Ok(())
    }

    /// Relations `unit` is a member of, by id.
    pub fn relations_of(&self, unit: &str) -> Vec<u32> {
        self.relations
            .iter()
            .filter(|(_, r)| r.members.contains(unit))
            .map(|(id, _)| *id)
            .collect()
    }
}
