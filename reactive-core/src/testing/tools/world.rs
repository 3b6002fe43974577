//! The unit's world during one hook, as [`MemoryTools`](super::MemoryTools)
//! hold it.

use serde_json::{Map, Value};

use crate::hookenv::{LogLevel, Settings};
use crate::testing::{State, Status};

/// The unit's world during one hook.
#[derive(Debug, Default)]
pub(super) struct World {
    pub(super) state: State,
    pub(super) unit: String,
    /// `config-get --all`: config.yaml's defaults under the state's values.
    pub(super) config: Map<String, Value>,
    /// `(relation id, unit)` leaving in `-relation-departed`: no longer
    /// listed, still readable.
    pub(super) departing: Option<(String, String)>,
    /// The relation of a `-relation-broken` hook: no remote unit is left.
    pub(super) broken: Option<String>,
    pub(super) action_params: Map<String, Value>,
    pub(super) logs: Vec<(LogLevel, String)>,
    pub(super) action_logs: Vec<String>,
    pub(super) status_history: Vec<Status>,
    pub(super) action_results: Settings,
    pub(super) action_failed: Option<String>,
}

impl World {
    /// Whether the remote units of relation `rid` are in scope for this
    /// hook (none is in `-relation-broken`).
    pub(super) fn in_scope(&self, rid: &str) -> bool {
        self.broken.as_deref() != Some(rid)
    }
}

/// The application of `unit` (`kafka` of `kafka/0`).
pub(super) fn app_of(unit: &str) -> &str {
    unit.split('/').next().unwrap_or_default()
}
