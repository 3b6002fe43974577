//! Events queued on a unit, and the hook each one runs.

use serde::{Deserialize, Serialize};

/// An event waiting in a unit's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum Event {
    Install,
    LeaderElected,
    LeaderSettingsChanged,
    ConfigChanged,
    Start,
    UpdateStatus,
    UpgradeCharm,
    Stop,
    Remove,
    CollectMetrics,
    MeterStatusChanged,
    RelationCreated {
        relation: u32,
    },
    RelationJoined {
        relation: u32,
        remote_unit: String,
    },
    /// `remote_unit: None` is a change of the remote application's data.
    RelationChanged {
        relation: u32,
        remote_unit: Option<String>,
    },
    RelationDeparted {
        relation: u32,
        remote_unit: String,
        departing_unit: String,
    },
    RelationBroken {
        relation: u32,
    },
    Action {
        id: String,
    },
    /// A new revision of a secret the unit tracks an older one of.
    SecretChanged {
        id: String,
    },
    /// A revision of a secret the unit's application owns that no
    /// consumer tracks any more.
    SecretRemove {
        id: String,
        revision: u32,
    },
    /// A secret the unit's application owns is due for rotation.
    SecretRotate {
        id: String,
    },
    /// A revision of an owned secret expired.
    SecretExpired {
        id: String,
        revision: u32,
    },
}

impl Event {
    /// The relation a relation event is about.
    pub fn relation(&self) -> Option<u32> {
        match self {
            Event::RelationCreated { relation }
            | Event::RelationJoined { relation, .. }
            | Event::RelationChanged { relation, .. }
            | Event::RelationDeparted { relation, .. }
            | Event::RelationBroken { relation } => Some(*relation),
            _ => None,
        }
    }

    /// The remote unit of a relation event (`JUJU_REMOTE_UNIT`).
    pub fn remote_unit(&self) -> Option<&str> {
        match self {
            Event::RelationJoined { remote_unit, .. }
            | Event::RelationDeparted { remote_unit, .. } => Some(remote_unit),
            Event::RelationChanged { remote_unit, .. } => remote_unit.as_deref(),
            _ => None,
        }
    }

    /// The hook name; relation hooks are prefixed by the local endpoint.
    pub fn hook_name(&self, endpoint: &str) -> String {
        let suffix = match self {
            Event::Install => return "install".into(),
            Event::LeaderElected => return "leader-elected".into(),
            Event::LeaderSettingsChanged => return "leader-settings-changed".into(),
            Event::ConfigChanged => return "config-changed".into(),
            Event::Start => return "start".into(),
            Event::UpdateStatus => return "update-status".into(),
            Event::UpgradeCharm => return "upgrade-charm".into(),
            Event::Stop => return "stop".into(),
            Event::Remove => return "remove".into(),
            Event::CollectMetrics => return "collect-metrics".into(),
            Event::MeterStatusChanged => return "meter-status-changed".into(),
            Event::Action { .. } => return "action".into(),
            Event::SecretChanged { .. } => return "secret-changed".into(),
            Event::SecretRemove { .. } => return "secret-remove".into(),
            Event::SecretRotate { .. } => return "secret-rotate".into(),
            Event::SecretExpired { .. } => return "secret-expired".into(),
            Event::RelationCreated { .. } => "created",
            Event::RelationJoined { .. } => "joined",
            Event::RelationChanged { .. } => "changed",
            Event::RelationDeparted { .. } => "departed",
            Event::RelationBroken { .. } => "broken",
        };
        format!("{endpoint}-relation-{suffix}")
    }

    /// Events that say "something changed": one pending copy is enough,
    /// since it reads the latest state when it runs.
    pub fn coalesces(&self) -> bool {
        matches!(
            self,
            Event::ConfigChanged
                | Event::LeaderSettingsChanged
                | Event::UpdateStatus
                | Event::CollectMetrics
                | Event::MeterStatusChanged
                | Event::RelationChanged { .. }
                | Event::SecretChanged { .. }
        )
    }
}

/// A queued event and how often it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Queued {
    pub event: Event,
    /// Failed attempts during the current settle.
    #[serde(default)]
    pub attempts: u32,
    /// Failed attempts in all.
    #[serde(default)]
    pub failures: u32,
}

impl Queued {
    pub fn new(event: Event) -> Queued {
        Queued {
            event,
            attempts: 0,
            failures: 0,
        }
    }
}
