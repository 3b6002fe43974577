//! [`Hook`]: the hook or action a test fires.

use serde::Serialize;
use serde_json::{Map, Value};

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

    /// `<name>-relation-<event>` on relation id `rid` (`kafka:3`) for
    /// remote unit `unit`: `created`, `joined`, `changed`, `departed` (the
    /// unit leaves: no longer listed by `related_units`, still readable)
    /// or `broken` (the relation is going away; no remote unit is left in
    /// it).
    #[must_use]
    pub fn relation(event: &str, rid: &str, unit: Option<&str>) -> Hook {
        let departing = unit.filter(|_| event == "departed");
        Hook {
            name: format!("{}-relation-{event}", relation_name(rid)),
            relation_id: Some(rid.to_string()),
            remote_unit: unit.map(str::to_string),
            departing_unit: departing.map(str::to_string),
            ..Hook::default()
        }
    }

    /// Runs action `name`, declared in the state's `actions.yaml`; add its
    /// parameters with [`Hook::with_param`] (those not given take their
    /// default from `actions.yaml`, as Juju fills them in).
    pub fn action(name: impl Into<String>) -> Hook {
        let name = name.into();
        Hook {
            action_name: Some(name.clone()),
            ..Hook::new(name)
        }
    }

    /// Sets action parameter `key` (any JSON-encodable value).
    ///
    /// # Panics
    /// If the value cannot be encoded as JSON.
    #[must_use]
    pub fn with_param(mut self, key: impl Into<String>, value: impl Serialize) -> Hook {
        let key = key.into();
        let value = match serde_json::to_value(value) {
            Ok(v) => v,
            Err(e) => panic!("testing::Hook: action parameter {key:?} cannot be encoded: {e}"),
        };
        self.action_params.insert(key, value);
        self
    }
}
