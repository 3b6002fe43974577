//! [`Status`]: a workload status as a test reads and writes it, typed.

use crate::hookenv::{StatusInfo, WorkloadState};

/// A unit's or application's workload status: what `status-set` set, or
/// `state: None` for the `unknown` status Juju shows before a charm sets
/// one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Status {
    /// The state, `None` when unknown.
    pub state: Option<WorkloadState>,
    /// The message.
    pub message: String,
}

impl Status {
    /// `state` with `message`.
    pub fn new(state: WorkloadState, message: impl Into<String>) -> Status {
        Status {
            state: Some(state),
            message: message.into(),
        }
    }

    /// As the hook tools report it (`unknown` when unset).
    pub(crate) fn to_info(&self) -> StatusInfo {
        StatusInfo {
            status: self.state.map_or("unknown", WorkloadState::as_str).into(),
            message: self.message.clone(),
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.state.map_or("unknown", WorkloadState::as_str);
        write!(f, "{state}: {}", self.message)
    }
}
