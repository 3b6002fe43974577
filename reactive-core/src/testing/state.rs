//! The input and output of a charm unit test: [`State`], [`Relation`], and
//! the [`Hook`] to fire.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::hookenv::{NetworkInfo, Port, Settings, StatusInfo};

mod secrets;
pub use secrets::Secret;

fn settings<K: Into<String>, V: ToString>(items: impl IntoIterator<Item = (K, V)>) -> Settings {
    items
        .into_iter()
        .map(|(k, v)| (k.into(), v.to_string()))
        .collect()
}

/// One relation as the unit under test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// Relation (endpoint) name, as in `metadata.yaml`.
    pub name: String,
    /// The number of the relation id (`3` in `kafka:3`).
    pub id: u32,
    /// The remote application.
    pub remote_app: String,
    /// Remote units in scope and their settings.
    pub remote_units: BTreeMap<String, Settings>,
    /// The remote application's settings.
    pub remote_app_data: Settings,
    /// The unit under test's settings.
    pub local_unit_data: Settings,
    /// Its application's settings.
    pub local_app_data: Settings,
}

impl Relation {
    /// Relation `name:id` with `remote_app`, no units yet.
    pub fn new(name: impl Into<String>, id: u32, remote_app: impl Into<String>) -> Relation {
        Relation {
            name: name.into(),
            id,
            remote_app: remote_app.into(),
            remote_units: BTreeMap::new(),
            remote_app_data: Settings::new(),
            local_unit_data: Settings::new(),
            local_app_data: Settings::new(),
        }
    }

    /// The relation id, `name:id`.
    #[must_use]
    pub fn relation_id(&self) -> String {
        format!("{}:{}", self.name, self.id)
    }

    /// Adds a remote unit with its settings.
    #[must_use]
    pub fn with_unit<K: Into<String>, V: ToString>(
        mut self,
        unit: impl Into<String>,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Relation {
        self.remote_units.insert(unit.into(), settings(data));
        self
    }

    /// Sets the remote application's settings.
    #[must_use]
    pub fn with_remote_app_data<K: Into<String>, V: ToString>(
        mut self,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Relation {
        self.remote_app_data = settings(data);
        self
    }

    /// Sets the unit under test's settings.
    #[must_use]
    pub fn with_local_unit_data<K: Into<String>, V: ToString>(
        mut self,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Relation {
        self.local_unit_data = settings(data);
        self
    }

    /// Sets the local application's settings.
    #[must_use]
    pub fn with_local_app_data<K: Into<String>, V: ToString>(
        mut self,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> Relation {
        self.local_app_data = settings(data);
        self
    }
}

/// Everything about a unit a hook can see or change. Build it with the
/// `with_*` methods from `State::default()`.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The unit's name; default `<metadata name>/0`.
    pub unit_name: Option<String>,
    /// `metadata.yaml` text (relations for `{relation_name}` and
    /// `{requires:kafka}` expansion).
    pub metadata: Option<String>,
    /// `config.yaml` text (defaults for the `config.default.*` flags).
    pub config_yaml: Option<String>,
    /// What `config-get --all` returns.
    pub config: Map<String, Value>,
    /// Whether the unit is the leader.
    pub leader: bool,
    /// The leader settings.
    pub leader_settings: Settings,
    /// Set flags and their values.
    pub flags: BTreeMap<String, Value>,
    /// The unit key-value store (the dispatch trace left out).
    pub kv: BTreeMap<String, Value>,
    /// Relations.
    pub relations: Vec<Relation>,
    /// The unit's workload status.
    pub status: StatusInfo,
    /// The application's status.
    pub app_status: StatusInfo,
    /// Opened ports.
    pub opened_ports: BTreeSet<Port>,
    /// The workload version set with `application_version_set`.
    pub application_version: Option<String>,
    /// `unit-get private-address` (and `public-address`).
    pub private_address: String,
    /// `network-get` answers by binding (default: the private address).
    pub networks: BTreeMap<String, NetworkInfo>,
    /// Secrets the unit owns or was granted ([`State::with_secret`]).
    pub secrets: Vec<Secret>,
}

impl Default for State {
    fn default() -> State {
        State {
            unit_name: None,
            metadata: None,
            config_yaml: None,
            config: Map::new(),
            leader: false,
            leader_settings: Settings::new(),
            flags: BTreeMap::new(),
            kv: BTreeMap::new(),
            relations: Vec::new(),
            status: StatusInfo::default(),
            app_status: StatusInfo::default(),
            opened_ports: BTreeSet::new(),
            application_version: None,
            // TEST-NET-1, an address for documentation.
            private_address: "192.0.2.10".into(),
            networks: BTreeMap::new(),
            secrets: Vec::new(),
        }
    }
}

fn json<T: Serialize>(what: &str, value: T) -> Value {
    match serde_json::to_value(value) {
        Ok(v) => v,
        Err(e) => panic!("testing::State: {what} cannot be encoded as JSON: {e}"),
    }
}

impl State {
    /// Sets the unit's name.
    #[must_use]
    pub fn with_unit_name(mut self, name: impl Into<String>) -> State {
        self.unit_name = Some(name.into());
        self
    }

    /// Sets the `metadata.yaml` text.
    #[must_use]
    pub fn with_metadata(mut self, yaml: impl Into<String>) -> State {
        self.metadata = Some(yaml.into());
        self
    }

    /// Sets the `config.yaml` text.
    #[must_use]
    pub fn with_config_yaml(mut self, yaml: impl Into<String>) -> State {
        self.config_yaml = Some(yaml.into());
        self
    }

    /// Sets config option `option` (any JSON-encodable value).
    ///
    /// # Panics
    /// If the value cannot be encoded as JSON.
    #[must_use]
    pub fn with_config(mut self, option: impl Into<String>, value: impl Serialize) -> State {
        let option = option.into();
        let v = json(&format!("config option {option:?}"), value);
        self.config.insert(option, v);
        self
    }

    /// Makes the unit the leader or not.
    #[must_use]
    pub fn with_leader(mut self, leader: bool) -> State {
        self.leader = leader;
        self
    }

    /// Sets a leader setting.
    #[must_use]
    #[allow(clippy::needless_pass_by_value)] // any `ToString` value, as charmhelpers takes any value
    pub fn with_leader_setting(mut self, key: impl Into<String>, value: impl ToString) -> State {
        self.leader_settings.insert(key.into(), value.to_string());
        self
    }

    /// Sets a flag without value.
    #[must_use]
    pub fn with_flag(mut self, flag: impl Into<String>) -> State {
        self.flags.insert(flag.into(), Value::Null);
        self
    }

    /// Sets a flag with a value.
    ///
    /// # Panics
    /// If the value cannot be encoded as JSON.
    #[must_use]
    pub fn with_flag_value(mut self, flag: impl Into<String>, value: impl Serialize) -> State {
        let flag = flag.into();
        let v = json(&format!("value of flag {flag:?}"), value);
        self.flags.insert(flag, v);
        self
    }

    /// Sets a unit key-value entry.
    ///
    /// # Panics
    /// If the value cannot be encoded as JSON.
    #[must_use]
    pub fn with_kv(mut self, key: impl Into<String>, value: impl Serialize) -> State {
        let key = key.into();
        let v = json(&format!("key-value entry {key:?}"), value);
        self.kv.insert(key, v);
        self
    }

    /// Adds a relation.
    #[must_use]
    pub fn with_relation(mut self, relation: Relation) -> State {
        self.relations.push(relation);
        self
    }

    /// Sets the unit's private address.
    #[must_use]
    pub fn with_private_address(mut self, address: impl Into<String>) -> State {
        self.private_address = address.into();
        self
    }

    /// Marks a port opened.
    #[must_use]
    pub fn with_opened_port(mut self, port: impl Into<Port>) -> State {
        self.opened_ports.insert(port.into());
        self
    }

    /// Whether `flag` is set.
    #[must_use]
    pub fn is_flag_set(&self, flag: &str) -> bool {
        self.flags.contains_key(flag)
    }

    /// The set flags' names, sorted.
    pub fn flag_names(&self) -> Vec<&str> {
        self.flags.keys().map(String::as_str).collect()
    }

    /// The relation with id `rid` (`kafka:3`).
    #[must_use]
    pub fn relation(&self, rid: &str) -> Option<&Relation> {
        self.relations.iter().find(|r| r.relation_id() == rid)
    }
}

/// The hook (or action) to fire.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hook {
    /// The hook name.
    pub name: String,
    /// The relation id of a relation hook.
    pub relation_id: Option<String>,
    /// The remote unit of a relation hook.
    pub remote_unit: Option<String>,
    /// The remote application (default: that of the remote unit, else of
    /// the relation).
    pub remote_app: Option<String>,
    /// The departing unit of `-relation-departed`.
    pub departing_unit: Option<String>,
    /// The action name, when running an action.
    pub action_name: Option<String>,
    /// The action's parameters.
    pub action_params: Map<String, Value>,
    /// The secret of a secret hook (`secret-changed`, ...).
    pub secret: Option<crate::hookenv::SecretEvent>,
}

fn relation_name(rid: &str) -> &str {
    rid.rsplit_once(':').map(|(n, _)| n).unwrap_or(rid)
}

impl Hook {
    /// A hook by name (`install`, `config-changed`, `update-status`).
    pub fn new(name: impl Into<String>) -> Hook {
        Hook {
            name: name.into(),
            ..Hook::default()
        }
    }

    fn relation(event: &str, rid: &str, unit: Option<&str>) -> Hook {
        Hook {
            name: format!("{}-relation-{event}", relation_name(rid)),
            relation_id: Some(rid.to_string()),
            remote_unit: unit.map(str::to_string),
            ..Hook::default()
        }
    }

    /// `<name>-relation-created` on relation id `rid` (`kafka:3`).
    #[must_use]
    pub fn relation_created(rid: &str) -> Hook {
        Hook::relation("created", rid, None)
    }

    /// `<name>-relation-joined` for `unit`.
    #[must_use]
    pub fn relation_joined(rid: &str, unit: &str) -> Hook {
        Hook::relation("joined", rid, Some(unit))
    }

    /// `<name>-relation-changed` for `unit`.
    #[must_use]
    pub fn relation_changed(rid: &str, unit: &str) -> Hook {
        Hook::relation("changed", rid, Some(unit))
    }

    /// `<name>-relation-departed`: `unit` leaves (no longer listed by
    /// `related_units`, still readable).
    #[must_use]
    pub fn relation_departed(rid: &str, unit: &str) -> Hook {
        Hook {
            departing_unit: Some(unit.to_string()),
            ..Hook::relation("departed", rid, Some(unit))
        }
    }

    /// `<name>-relation-broken`: the relation is going away; no remote unit
    /// is left in it.
    #[must_use]
    pub fn relation_broken(rid: &str) -> Hook {
        Hook::relation("broken", rid, None)
    }

    /// Runs action `name` with `params`.
    pub fn action(name: impl Into<String>, params: Map<String, Value>) -> Hook {
        let name = name.into();
        Hook {
            action_name: Some(name.clone()),
            action_params: params,
            ..Hook::new(name)
        }
    }
}
