//! What a hook takes as known instead of asking a hook tool: values the
//! runtime has from the unit's store, where Juju guarantees they are what
//! the tool would return (see `skips`).

use serde_json::{Map, Value};

use super::env::HookEnv;
use super::types::{Settings, StatusInfo};

impl HookEnv {
    /// The unit's workload status as Juju holds it, when known.
    pub(crate) fn known_status(&self) -> Option<StatusInfo> {
        self.known_status.borrow().clone()
    }

    /// Takes `status` as the unit's workload status Juju holds.
    pub(crate) fn assume_status(&self, status: Option<StatusInfo>) {
        *self.known_status.borrow_mut() = status;
    }

    /// Takes `config` as what `config-get` returns in this hook, unless it
    /// was read already (see `skips`).
    pub(crate) fn assume_config(&self, config: Map<String, Value>) {
        self.cache.borrow_mut().config.get_or_insert(config);
    }

    /// Takes `settings` as what `leader-get` returns in this hook, unless it
    /// was read already.
    pub(crate) fn assume_leader_settings(&self, settings: Settings) {
        self.cache.borrow_mut().leader.get_or_insert(settings);
    }

    /// Takes `leader` as what `is-leader` returns in this hook, unless it
    /// was asked already.
    pub(crate) fn assume_is_leader(&self, leader: bool) {
        self.cache.borrow_mut().is_leader.get_or_insert(leader);
    }
}
