//! [`Relation`]: one relation of the unit under test, and the changes to it
//! between hooks.

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

    /// Sets `key` in remote unit `unit`'s settings (adding the unit if it
    /// is not in the relation yet), between two hooks.
    #[allow(clippy::needless_pass_by_value)] // any `ToString` value, as charmhelpers takes any value
    pub fn set_remote_unit_data(
        &mut self,
        unit: &str,
        key: impl Into<String>,
        value: impl ToString,
    ) -> &mut Relation {
        self.remote_units
            .entry(unit.to_string())
            .or_default()
            .insert(key.into(), value.to_string());
        self
    }

    /// Removes `key` from remote unit `unit`'s settings.
    pub fn unset_remote_unit_data(&mut self, unit: &str, key: &str) -> &mut Relation {
        if let Some(data) = self.remote_units.get_mut(unit) {
            data.remove(key);
        }
        self
    }

    /// Sets `key` in the remote application's settings.
    #[allow(clippy::needless_pass_by_value)] // any `ToString` value
    pub fn set_remote_app_data(
        &mut self,
        key: impl Into<String>,
        value: impl ToString,
    ) -> &mut Relation {
        self.remote_app_data.insert(key.into(), value.to_string());
        self
    }

    /// A remote unit enters the relation with `data` (fire
    /// `Hook::relation_joined` next, as Juju would).
    pub fn add_remote_unit<K: Into<String>, V: ToString>(
        &mut self,
        unit: impl Into<String>,
        data: impl IntoIterator<Item = (K, V)>,
    ) -> &mut Relation {
        self.remote_units.insert(unit.into(), settings(data));
        self
    }

    /// A remote unit leaves the relation (after its
    /// `Hook::relation_departed`, as Juju would).
    pub fn remove_remote_unit(&mut self, unit: &str) -> &mut Relation {
        self.remote_units.remove(unit);
        self
    }
}
