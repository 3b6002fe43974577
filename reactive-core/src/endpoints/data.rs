//! Relation data as the endpoint model shows it: [`Received`], what remote
//! units and applications published (JSON-decoded where it parses), and
//! [`ToPublish`] / [`ToPublishRaw`], what this unit or application
//! publishes.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::{BadRemoteValue, Error};
use crate::hookenv::{self, Settings};
use crate::quote::{truncate, QUOTE_LIMIT};

/// Decodes a published value as the Python framework does: JSON where it
/// parses, else the text itself (an empty value stays an empty string).
#[must_use]
pub fn decode(raw: &str) -> Value {
    if raw.is_empty() {
        return Value::String(String::new());
    }
    serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()))
}

/// Who published a value: relation id and remote unit (or application).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Source {
    relation_id: String,
    unit: String,
}

/// Data published by remote units (or a remote application): read-only,
/// a missing key is `None`. Values are JSON-decoded where they parse
/// ([`Received::get`]), raw text is kept ([`Received::raw`]), and typed
/// access ([`Received::get_as`]) fails with [`Error::RemoteValue`], naming
/// the relation id, the unit and the key, when a value has the wrong shape:
/// relation data is written by the remote side and is not trusted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Received {
    sources: Vec<Source>,
    /// Key to (raw value, index into `sources`).
    entries: BTreeMap<String, (String, usize)>,
}

impl Received {
    /// The data `unit` published on `relation_id`.
    pub(crate) fn of(relation_id: &str, unit: &str, data: Settings) -> Received {
        let mut r = Received::default();
        r.merge(relation_id, unit, data);
        r
    }

    /// Adds `data` published by `unit`, keeping values already present
    /// (the first unit merged takes precedence).
    pub(crate) fn merge(&mut self, relation_id: &str, unit: &str, data: Settings) {
        let index = self.sources.len();
        self.sources.push(Source {
            relation_id: relation_id.to_string(),
            unit: unit.to_string(),
        });
        for (k, v) in data {
            self.entries.entry(k).or_insert((v, index));
        }
    }

    /// The value of `key`, JSON-decoded where it parses, else as text;
    /// `None` when not published.
    pub fn get(&self, key: &str) -> Option<Value> {
        self.raw(key).map(decode)
    }

    /// The value of `key` as published (raw text).
    #[must_use]
    pub fn raw(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(|(v, _)| v.as_str())
    }

    /// The value of `key` as a `T`: `Ok(None)` when not published, an
    /// [`Error::RemoteValue`] naming the relation id, the unit and the key
    /// when it is not a `T`. The JSON-decoded value is tried first, then
    /// the raw text as a string (so `String` accepts any value).
    pub fn get_as<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, Error> {
        let Some((raw, index)) = self.entries.get(key) else {
            return Ok(None);
        };
        let decoded = decode(raw);
        let is_text = decoded.is_string();
        let result = serde_json::from_value::<T>(decoded).or_else(|e| {
            // The error about the decoded value is the one worth reporting.
            if is_text {
                return Err(e);
            }
            serde_json::from_value::<T>(Value::String(raw.clone())).map_err(|_| e)
        });
        result.map(Some).map_err(|e| {
            let source = &self.sources[*index];
            Error::from(BadRemoteValue {
                relation_id: source.relation_id.clone(),
                unit: source.unit.clone(),
                key: key.to_string(),
                value: raw.clone(),
                // serde's message quotes the value: bounded like it.
                expected: format!(
                    "{} ({})",
                    hookenv::short_type_name::<T>(),
                    truncate(&e.to_string(), QUOTE_LIMIT)
                ),
            })
        })
    }

    /// The relation id and unit (or application) that published `key`.
    #[must_use]
    pub fn source(&self, key: &str) -> Option<(&str, &str)> {
        self.entries.get(key).map(|(_, i)| {
            let s = &self.sources[*i];
            (s.relation_id.as_str(), s.unit.as_str())
        })
    }

    /// Whether `key` was published.
    #[must_use]
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The published keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Every key with its decoded value, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Value)> {
        self.entries
            .iter()
            .map(|(k, (v, _))| (k.as_str(), decode(v)))
    }

    /// Number of keys.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing was published.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every key with its raw value.
    #[must_use]
    pub fn raw_data(&self) -> Settings {
        self.entries
            .iter()
            .map(|(k, (v, _))| (k.clone(), v.clone()))
            .collect()
    }
}

/// Whose settings a publisher writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Unit,
    App,
}

/// What this unit (or, for the leader, this application) publishes on one
/// relation, JSON-encoded as the Python framework's `to_publish` does
/// (sorted keys, Python's `json.dumps` text).
///
/// Writes go through [`hookenv::relation_set`]: buffered, sent once at the
/// end of a successful hook, dropped if it fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToPublish {
    relation_id: String,
    owner: Owner,
}

/// Like [`ToPublish`], with values written and read as plain text: for
/// interfaces that do not JSON-encode their values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToPublishRaw {
    relation_id: String,
    owner: Owner,
}

fn write(relation_id: &str, owner: Owner, key: &str, text: String) -> Result<(), Error> {
    let rid = Some(relation_id);
    match owner {
        Owner::Unit => hookenv::relation_set(rid, [(key, text)])?,
        Owner::App => hookenv::relation_set_app(rid, [(key, text)])?,
    }
    Ok(())
}

fn read(relation_id: &str, owner: Owner) -> Result<Settings, Error> {
    let rid = Some(relation_id);
    Ok(match owner {
        Owner::Unit => hookenv::relation_get_all(Some(&hookenv::local_unit()), rid)?,
        Owner::App => hookenv::relation_get_all(Some(&hookenv::application_name()), rid)?,
    })
}

impl ToPublish {
    pub(crate) fn unit(relation_id: &str) -> ToPublish {
        ToPublish {
            relation_id: relation_id.to_string(),
            owner: Owner::Unit,
        }
    }

    pub(crate) fn app(relation_id: &str) -> ToPublish {
        ToPublish {
            relation_id: relation_id.to_string(),
            owner: Owner::App,
        }
    }

    /// Publishes `key` = `value` JSON-encoded.
    pub fn set<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> Result<(), Error> {
        let v = serde_json::to_value(value).map_err(|source| Error::Json {
            context: format!("value of {key:?} to publish on {}", self.relation_id),
            source,
        })?;
        write(&self.relation_id, self.owner, key, super::json::dumps(&v))
    }

    /// Publishes `value` under `key` unless `key` already has a value;
    /// returns the value in force, decoded.
    pub fn set_default<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> Result<Value, Error> {
        if let Some(v) = self.get(key)? {
            return Ok(v);
        }
        self.set(key, value)?;
        Ok(self.get(key)?.unwrap_or(Value::Null))
    }

    /// Stops publishing `key`.
    pub fn remove(&self, key: &str) -> Result<(), Error> {
        write(&self.relation_id, self.owner, key, String::new())
    }

    /// The published value of `key` (with this hook's writes), decoded.
    pub fn get(&self, key: &str) -> Result<Option<Value>, Error> {
        Ok(read(&self.relation_id, self.owner)?
            .get(key)
            .map(|v| decode(v)))
    }

    /// Every published value (with this hook's writes), decoded.
    pub fn data(&self) -> Result<BTreeMap<String, Value>, Error> {
        Ok(read(&self.relation_id, self.owner)?
            .iter()
            .map(|(k, v)| (k.clone(), decode(v)))
            .collect())
    }

    /// The same settings, written and read as plain text.
    #[must_use]
    pub fn raw(&self) -> ToPublishRaw {
        ToPublishRaw {
            relation_id: self.relation_id.clone(),
            owner: self.owner,
        }
    }
}

impl ToPublishRaw {
    /// Publishes `key` = `value` as text.
    #[allow(clippy::needless_pass_by_value)] // any `ToString` value, as charmhelpers takes any value
    pub fn set(&self, key: &str, value: impl ToString) -> Result<(), Error> {
        write(&self.relation_id, self.owner, key, value.to_string())
    }

    /// Stops publishing `key`.
    pub fn remove(&self, key: &str) -> Result<(), Error> {
        write(&self.relation_id, self.owner, key, String::new())
    }

    /// The published text of `key` (with this hook's writes).
    pub fn get(&self, key: &str) -> Result<Option<String>, Error> {
        Ok(read(&self.relation_id, self.owner)?.remove(key))
    }

    /// Every published setting (with this hook's writes).
    pub fn data(&self) -> Result<Settings, Error> {
        read(&self.relation_id, self.owner)
    }
}
