//! Typed relation data: a unit's or an application's databag on one
//! relation, loaded into and saved from a serde type.
//!
//! Databags hold strings. [`Databag::load`] decodes each key into the
//! field of the same name (rename fields with `#[serde(rename = "...")]`,
//! `rename_all = "kebab-case"` for Juju's dashes): numbers and booleans
//! from their text, lists, maps and structs from the JSON the string holds,
//! strings as they are. A unit databag's keys that Juju writes itself
//! (`private-address`, `ingress-address`, `egress-subnets`) are left out, so
//! a type with `deny_unknown_fields` or a flattened map never sees them.
//! [`Databag::save`] writes strings as they are and everything else as
//! JSON; a field that serializes to `null` (an `Option` set to `None`)
//! deletes its key. Keys the type does not name are left alone. Loaded
//! into [`Settings`], a databag is its raw text.
//!
//! What a remote application publishes is untrusted: a [`DataError`] names
//! the relation, the unit or application and the field, so a charm can log
//! it as a warning.
//!
//! ```
//! use reactive_core::databag::Databag;
//! use reactive_core::hookenv;
//! use reactive_core::testing::{Hook, Relation, State};
//! use reactive_core::{Predicate, HandlerDef};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, Serialize, Deserialize)]
//! #[serde(rename_all = "kebab-case")]
//! struct Request {
//!     topic: String,
//!     extra_user_roles: Option<String>,
//!     requested_secrets: Vec<String>,
//! }
//!
//! let h = HandlerDef::new("charm.rs", 1, "answer", vec![Predicate::Hook(vec!["kafka-client-relation-changed".into()])], |_| {
//!     let rid = "kafka-client:2";
//!     let request: Request = Databag::app(rid, "app").load()?;
//!     assert_eq!(request.requested_secrets, ["username", "password"]);
//!     Databag::app(rid, hookenv::application_name()).save(&serde_json::json!({"topic": request.topic, "endpoints": "10.0.0.1:9092"}))?;
//!     Ok(())
//! });
//! let relation = Relation::new("kafka-client", 2, "app")
//!     .with_unit("app/0", [("private-address", "10.0.0.2")])
//!     .with_remote_app_data([
//!     ("topic", "events"),
//!     ("requested-secrets", r#"["username","password"]"#),
//! ]);
//! let metadata = "name: kafka\nprovides:\n  kafka-client: {interface: kafka_client}\n";
//! let out = State::default().with_file("metadata.yaml", metadata).with_leader(true).with_relation(relation)
//!     .run_handlers(vec![h], Hook::relation("changed", "kafka-client:2", Some("app/0")));
//! assert_eq!(out.error_message(), None);
//! assert_eq!(out.state.relation("kafka-client:2").unwrap().local_app_data["endpoints"], "10.0.0.1:9092");
//! ```

mod de;

use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::hookenv::{self, HookError, Settings};

/// Keys Juju writes in every unit databag itself.
const JUJU_UNIT_KEYS: [&str; 3] = ["private-address", "ingress-address", "egress-subnets"];

/// Whose databag: a unit's or an application's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BagOwner {
    /// A unit (`kafka/0`).
    Unit(String),
    /// An application (`kafka`).
    App(String),
}

impl fmt::Display for BagOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BagOwner::Unit(u) => write!(f, "unit {u}"),
            BagOwner::App(a) => write!(f, "application {a}"),
        }
    }
}

/// One databag on one relation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Databag {
    /// The relation id (`kafka:3`).
    pub relation_id: String,
    /// Whose databag it is.
    pub owner: BagOwner,
}

/// Why a databag could not be loaded or saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// A value does not decode into its field.
    #[error("relation {relation_id}, {owner}: field `{field}` {message}")]
    Field {
        /// The relation id.
        relation_id: String,
        /// Whose databag.
        owner: BagOwner,
        /// The key.
        field: String,
        /// What is wrong with it (the value is quoted, it may be long).
        message: String,
    },
    /// The databag as a whole does not fit the type (a missing field).
    #[error("relation {relation_id}, {owner}: {message}")]
    Shape {
        /// The relation id.
        relation_id: String,
        /// Whose databag.
        owner: BagOwner,
        /// serde's message (it names a missing field).
        message: String,
    },
    /// The value to save is not a struct or map.
    #[error("relation {relation_id}, {owner}: the value to save is not a map of fields")]
    NotAMap {
        /// The relation id.
        relation_id: String,
        /// Whose databag.
        owner: BagOwner,
    },
    /// The value to save could not be encoded.
    #[error("relation {relation_id}, {owner}: encoding the value to save")]
    Encode {
        /// The relation id.
        relation_id: String,
        /// Whose databag.
        owner: BagOwner,
        /// serde_json's error.
        #[source]
        source: serde_json::Error,
    },
    /// Reading or writing the databag failed.
    #[error(transparent)]
    Hook(#[from] HookError),
}

impl Databag {
    /// Unit `unit`'s databag on `relation_id`.
    pub fn unit(relation_id: impl Into<String>, unit: impl Into<String>) -> Databag {
        Databag {
            relation_id: relation_id.into(),
            owner: BagOwner::Unit(unit.into()),
        }
    }

    /// Application `app`'s databag on `relation_id`.
    pub fn app(relation_id: impl Into<String>, app: impl Into<String>) -> Databag {
        Databag {
            relation_id: relation_id.into(),
            owner: BagOwner::App(app.into()),
        }
    }

    fn is_local(&self) -> bool {
        match &self.owner {
            BagOwner::Unit(u) => *u == hookenv::local_unit(),
            BagOwner::App(a) => *a == hookenv::application_name(),
        }
    }

    /// The raw settings, Juju's own unit keys left out (what
    /// `load::<Settings>()` gives).
    fn settings(&self) -> Result<Settings, HookError> {
        let rid = Some(self.relation_id.as_str());
        Ok(match &self.owner {
            BagOwner::Unit(u) => {
                let mut s = hookenv::relation_get_all(Some(u), rid)?;
                s.retain(|k, _| !JUJU_UNIT_KEYS.contains(&k.as_str()));
                s
            }
            BagOwner::App(a) => hookenv::relation_get_all(Some(a), rid)?,
        })
    }

    /// The databag decoded into `T`.
    pub fn load<T: DeserializeOwned>(&self) -> Result<T, DataError> {
        self.decode(&self.settings()?)
    }

    /// `settings` decoded into `T`, errors naming this databag.
    pub(crate) fn decode<T: DeserializeOwned>(&self, settings: &Settings) -> Result<T, DataError> {
        de::from_settings(settings).map_err(|e| match e.field {
            Some(field) => DataError::Field {
                relation_id: self.relation_id.clone(),
                owner: self.owner.clone(),
                field,
                message: e.message,
            },
            None => DataError::Shape {
                relation_id: self.relation_id.clone(),
                owner: self.owner.clone(),
                message: e.message,
            },
        })
    }

    /// Writes `value`'s fields (sent when the hook succeeds). Only this
    /// unit's databag, or with leadership this application's, can be saved.
    pub fn save<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), DataError> {
        let values = self.encode(value)?;
        let rid = Some(self.relation_id.as_str());
        if !self.is_local() {
            return Err(HookError::InvalidArgument {
                api: "Databag::save",
                reason: format!(
                    "relation {}: the databag of {} is not this unit's or its application's",
                    self.relation_id, self.owner
                ),
            }
            .into());
        }
        match &self.owner {
            BagOwner::Unit(_) => hookenv::relation_set(rid, values)?,
            BagOwner::App(_) => hookenv::relation_set_app(rid, values)?,
        }
        Ok(())
    }

    /// `value`'s fields as databag settings (an empty value deletes).
    pub(crate) fn encode<T: Serialize + ?Sized>(&self, value: &T) -> Result<Settings, DataError> {
        let encoded = serde_json::to_value(value).map_err(|source| DataError::Encode {
            relation_id: self.relation_id.clone(),
            owner: self.owner.clone(),
            source,
        })?;
        let Value::Object(fields) = encoded else {
            return Err(DataError::NotAMap {
                relation_id: self.relation_id.clone(),
                owner: self.owner.clone(),
            });
        };
        Ok(fields
            .into_iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::Null => String::new(),
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, text)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests;
