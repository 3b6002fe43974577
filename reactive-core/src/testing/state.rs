//! [`State`]: everything about a unit a hook can see or change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;
use serde_json::{Map, Value};

use super::Relation;
use super::Status;
use crate::hookenv::{NetworkInfo, Port, Settings};

/// Everything about a unit a hook can see or change: set its fields over
/// `State::default()` (or [`State::for_charm`]), add config, flags and
/// relations with the `with_*` methods.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The unit's name; default `<metadata name>/0`.
    pub unit_name: Option<String>,
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
    /// The unit's workload status (as a previous hook left it).
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
    /// Secrets the unit owns or was granted.
    pub secrets: Vec<super::Secret>,
    /// Files in the charm directory, by path relative to it: the charm's
    /// declarations (`metadata.yaml`: relations for `{relation_name}` and
    /// `{requires:kafka}` expansion; `config.yaml`: defaults for the
    /// `config.default.*` flags, and the options and types
    /// [`State::config`] is checked against; `actions.yaml`: the actions
    /// and parameters a [`Hook::action`] is checked against, and their
    /// defaults), what handlers wrote with `hookenv::charm_path`, or what
    /// the test put there.
    ///
    /// [`Hook::action`]: super::Hook::action
    pub files: BTreeMap<PathBuf, Vec<u8>>,
}

impl Default for State {
    fn default() -> State {
        State {
            unit_name: None,
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

    /// Puts a file in the charm directory (`path` relative to it), such as
    /// the charm's `metadata.yaml`, `config.yaml` and `actions.yaml`.
    #[must_use]
    pub fn with_file(mut self, path: impl Into<PathBuf>, contents: impl Into<Vec<u8>>) -> State {
        self.files.insert(path.into(), contents.into());
        self
    }

    /// The text of charm file `name` (`metadata.yaml`), if the state has
    /// it and it is UTF-8.
    pub(crate) fn charm_file(&self, name: &str) -> Option<&str> {
        let bytes = self.files.get(std::path::Path::new(name))?;
        std::str::from_utf8(bytes).ok()
    }

    /// Makes the unit the leader or not.
    #[must_use]
    pub fn with_leader(mut self, leader: bool) -> State {
        self.leader = leader;
        self
    }

    /// Sets a flag without value.
    #[must_use]
    pub fn with_flag(mut self, flag: impl Into<String>) -> State {
        self.flags.insert(flag.into(), Value::Null);
        self
    }

    /// Adds `relation`, in place of the one with its relation id if the
    /// state has it (to change a relation between hooks:
    /// `state.with_relation(changed)`).
    #[must_use]
    pub fn with_relation(mut self, relation: Relation) -> State {
        let rid = relation.relation_id();
        match self.relations.iter_mut().find(|r| r.relation_id() == rid) {
            Some(r) => *r = relation,
            None => self.relations.push(relation),
        }
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

    /// The relation with id `rid` (`kafka:3`).
    #[must_use]
    pub fn relation(&self, rid: &str) -> Option<&Relation> {
        self.relations.iter().find(|r| r.relation_id() == rid)
    }
}
