//! Changing a [`State`] between two hooks without reaching into its
//! fields: config, leadership, relations and their remote units, and
//! relations brought up through the interface's own handlers.

use serde::Serialize;

use super::run::setup;
use super::{Hook, Relation, State};

impl State {
    /// The relation `rid` (`kafka:3`), to change it between hooks:
    /// `state.relation_mut("web:1").set_remote_unit_data("app/0", "port", 80)`.
    ///
    /// # Panics
    /// If the state has no such relation (a bug in the test), naming those
    /// it has.
    pub fn relation_mut(&mut self, rid: &str) -> &mut Relation {
        let have: Vec<String> = self.relations.iter().map(Relation::relation_id).collect();
        match self.relations.iter_mut().find(|r| r.relation_id() == rid) {
            Some(r) => r,
            None => panic!(
                "testing: no relation {rid} in the state (relations: {})",
                have.join(", ")
            ),
        }
    }

    /// Removes relation `rid` (after its `-relation-broken`, as Juju does).
    pub fn remove_relation(&mut self, rid: &str) -> &mut State {
        self.relations.retain(|r| r.relation_id() != rid);
        self
    }

    /// Sets config option `option`, between hooks.
    ///
    /// # Panics
    /// If the value cannot be encoded as JSON.
    pub fn set_config(&mut self, option: impl Into<String>, value: impl Serialize) -> &mut State {
        let option = option.into();
        let v = super::state::json(&format!("config option {option:?}"), value);
        self.config.insert(option, v);
        self
    }

    /// Unsets config option `option` (back to its default).
    pub fn unset_config(&mut self, option: &str) -> &mut State {
        self.config.remove(option);
        self
    }

    /// Makes the unit the leader or not, between hooks.
    pub fn set_leader(&mut self, leader: bool) -> &mut State {
        self.leader = leader;
        self
    }

    /// Sets leader setting `key` (as another unit's `leader-set` would),
    /// between hooks; an empty value unsets it, as Juju does.
    #[allow(clippy::needless_pass_by_value)] // any `ToString` value
    pub fn set_leader_setting(
        &mut self,
        key: impl Into<String>,
        value: impl ToString,
    ) -> &mut State {
        let (key, value) = (key.into(), value.to_string());
        if value.is_empty() {
            self.leader_settings.remove(&key);
        } else {
            self.leader_settings.insert(key, value);
        }
        self
    }

    /// Adds the peer relation `name:id` (declared under `peers:` in the
    /// metadata, set before), whose remote application is the unit's own.
    #[must_use]
    pub fn with_peer_relation(self, name: impl Into<String>, id: u32) -> State {
        let meta = self
            .metadata
            .as_deref()
            .map(|m| setup("metadata.yaml", juju_charm::Meta::parse(m, "metadata.yaml")));
        let app = self.app_name(meta.as_ref());
        self.with_relation(Relation::new(name, id, app))
    }

    /// Adds `relation` the way Juju brings it up: `-relation-created`,
    /// then `-joined` and `-changed` for each of its remote units, fired
    /// with every handler registered in the executable (the interface's
    /// own handlers set its flags, such as `kafka.connected` and
    /// `kafka.available`).
    ///
    /// # Panics
    /// If a hook fails, naming it and why.
    #[must_use]
    pub fn with_joined_relation(self, relation: Relation) -> State {
        let rid = relation.relation_id();
        let units: Vec<String> = relation.remote_units.keys().cloned().collect();
        let mut state = self.with_relation(relation);
        let mut hooks = vec![Hook::relation_created(&rid)];
        for unit in &units {
            hooks.push(Hook::relation_joined(&rid, unit));
            hooks.push(Hook::relation_changed(&rid, unit));
        }
        for hook in hooks {
            let name = hook.name.clone();
            let out = state.run(hook);
            if let Some(e) = out.error_message() {
                panic!("testing: bringing up {rid}: {name} failed: {e}");
            }
            state = out.state;
        }
        state
    }
}
