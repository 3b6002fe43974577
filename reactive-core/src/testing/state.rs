//! [`State`]: everything about a unit a hook can see or change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;
use serde_json::{Map, Value};

use super::Relation;
use super::Status;
use crate::hookenv::{NetworkInfo, Port, Settings, WorkloadState};

/// Everything about a unit a hook can see or change. Build it with the
/// `with_*` methods from `State::default()`.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The unit's name; default `<metadata name>/0`.
    pub unit_name: Option<String>,
    /// `metadata.yaml` text (relations for `{relation_name}` and
    /// `{requires:kafka}` expansion).
    pub metadata: Option<String>,
    /// `config.yaml` text (defaults for the `config.default.*` flags, and
    /// the options and types [`State::config`] is checked against).
    pub config_yaml: Option<String>,
    /// `actions.yaml` text (the actions and parameters a [`Hook::action`]
    /// is checked against, and the parameters' defaults).
    ///
    /// [`Hook::action`]: super::Hook::action
    pub actions_yaml: Option<String>,
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
    pub status: Status,
    /// The application's status.
    pub app_status: Status,
    /// Opened ports.
    pub opened_ports: BTreeSet<Port>,
    /// The workload version set with `application_version_set`.
    pub application_version: Option<String>,
    /// `unit-get private-address` (and `public-address` unless given).
    pub private_address: String,
    /// `unit-get public-address`, when it is not the private address.
    pub public_address: Option<String>,
    /// `network-get` answers by binding (default: the private address).
    pub networks: BTreeMap<String, NetworkInfo>,
    /// Secrets the unit owns or was granted ([`State::with_secret`]).
    pub secrets: Vec<super::Secret>,
    /// Files in the charm directory, by path relative to it (what handlers
    /// wrote with `hookenv::charm_path`, or the test put there).
    pub files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Default for State {
    fn default() -> State {
        State {
            unit_name: None,
            metadata: None,
            config_yaml: None,
            actions_yaml: None,
            config: Map::new(),
            leader: false,
            leader_settings: Settings::new(),
            flags: BTreeMap::new(),
            kv: BTreeMap::new(),
            relations: Vec::new(),
            status: Status::default(),
            app_status: Status::default(),
            opened_ports: BTreeSet::new(),
            application_version: None,
            // TEST-NET-1, an address for documentation.
            private_address: "192.0.2.10".into(),
            public_address: None,
            networks: BTreeMap::new(),
            secrets: Vec::new(),
            files: BTreeMap::new(),
        }
    }
}

pub(super) fn json<T: Serialize>(what: &str, value: T) -> Value {
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

    /// Sets the `actions.yaml` text.
    #[must_use]
    pub fn with_actions_yaml(mut self, yaml: impl Into<String>) -> State {
        self.actions_yaml = Some(yaml.into());
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

    /// Sets the unit's workload status, as a previous hook left it.
    #[must_use]
    pub fn with_status(mut self, state: WorkloadState, message: impl Into<String>) -> State {
        self.status = Status::new(state, message);
        self
    }

    /// Puts a file in the charm directory (`path` relative to it).
    #[must_use]
    pub fn with_file(mut self, path: impl Into<PathBuf>, contents: impl Into<Vec<u8>>) -> State {
        self.files.insert(path.into(), contents.into());
        self
    }

    /// The text of file `path` of the charm directory, if it exists and
    /// is UTF-8.
    #[must_use]
    pub fn file(&self, path: impl AsRef<std::path::Path>) -> Option<&str> {
        let bytes = self.files.get(path.as_ref())?;
        std::str::from_utf8(bytes).ok()
    }

    /// Marks a port opened.
    #[must_use]
    pub fn with_opened_port(mut self, port: impl Into<Port>) -> State {
        self.opened_ports.insert(port.into());
        self
    }

    /// The unit's application: that of [`State::unit_name`], else the
    /// metadata's name, else `charm`.
    pub(crate) fn app_name(&self, meta: Option<&juju_charm::Meta>) -> String {
        match &self.unit_name {
            Some(u) => u.split('/').next().unwrap_or_default().to_string(),
            None => meta.map_or_else(|| "charm".to_string(), |m| m.name.clone()),
        }
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
