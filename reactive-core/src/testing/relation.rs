//! [`Relation`]: one relation of the unit under test.

use std::collections::BTreeMap;

use crate::hookenv::Settings;

/// Settings from key-value pairs of any displayable values.
pub(crate) fn settings<K: Into<String>, V: ToString>(
    items: impl IntoIterator<Item = (K, V)>,
) -> Settings {
    items
        .into_iter()
        .map(|(k, v)| (k.into(), v.to_string()))
        .collect()
}

/// One relation as the unit under test sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

    /// Adds remote unit `unit` with its settings, in place of those it had
    /// (a unit entering the relation, or changing its data between hooks).
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
}
