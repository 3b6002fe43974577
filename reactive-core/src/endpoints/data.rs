//! Relation data as the endpoint model shows it: [`Received`], what remote
//! units and applications published (JSON-decoded where it parses), read
//! through [`RemoteData`], and [`ToPublish`], what this unit or
//! application publishes.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::error::{BadRemoteValue, Error};
use crate::hookenv::{self, Settings};
use crate::quote::{truncate, QUOTE_LIMIT};

/// Decodes a published value as the Python framework does: JSON where it
/// parses, else the text itself (an empty value stays an empty string).
pub(crate) fn decode(raw: &str) -> Value {
    if raw.is_empty() {
        return Value::String(String::new());
    }
    serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.to_string()))
}

/// `raw` as a `T`, trying the JSON-decoded value and the text itself as a
/// string, in the order `text_first` says; the error is about the first
/// form tried (the one worth reporting).
fn typed<T: DeserializeOwned>(raw: &str, text_first: bool) -> Result<T, serde_json::Error> {
    let decoded = decode(raw);
    let text = Value::String(raw.to_string());
    if decoded == text {
        return serde_json::from_value(text);
    }
    let (first, second) = if text_first {
        (text, decoded)
    } else {
        (decoded, text)
    };
    serde_json::from_value::<T>(first)
        .or_else(|e| serde_json::from_value::<T>(second).map_err(|_| e))
}

/// Data remote units published, read the two ways the Python framework
/// reads it: decoded ([`RemoteData::received`]) and as text
/// ([`RemoteData::received_raw`]). Implemented by a
/// [`RelatedUnit`](super::RelatedUnit) and by a list of them (every unit's
/// data merged).
pub trait RemoteData {
    /// What was published, JSON-decoded where it parses. For a departed
    /// unit, what it had published when it left.
    fn received(&self) -> Result<Received, Error>;

    /// What was published, as raw text.
    fn received_raw(&self) -> Result<Settings, Error>;
}

/// Who published a value: relation id and remote unit (or application).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Source {
    relation_id: String,
    unit: String,
}

/// Data published by remote units (or a remote application): read-only,
/// a missing key is `None`. [`Received::get`] fails with
/// [`Error::RemoteValue`], naming the relation id, the unit and the key,
/// when a value has the wrong shape: relation data is written by the
/// remote side and is not trusted.
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

    /// The value of `key` as a `T` (a [`serde_json::Value`] takes any
    /// value): `Ok(None)` when not published, an [`Error::RemoteValue`]
    /// naming the relation id, the unit and the key when it is not a `T`.
    /// The JSON-decoded value is tried first, then the raw text as a string
    /// (so `String` accepts any value).
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, Error> {
        let Some((raw, index)) = self.entries.get(key) else {
            return Ok(None);
        };
        typed::<T>(raw, false).map(Some).map_err(|e| {
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

    /// Every key with its decoded value, sorted by key.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, Value)> {
        self.entries
            .iter()
            .map(|(k, (v, _))| (k.as_str(), decode(v)))
    }

    /// Every key with its raw value.
    pub(crate) fn raw_data(&self) -> Settings {
        self.entries
            .iter()
            .map(|(k, (v, _))| (k.clone(), v.clone()))
            .collect()
    }
}

/// Whose settings a publisher writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    Unit,
    App,
}

/// What this unit (or, for the leader, this application) publishes on one
/// relation. From `to_publish`, values are JSON-encoded as the Python
/// framework's `to_publish` does (sorted keys, Python's `json.dumps`
/// text); from `to_publish_raw`, a string is written as it is (for
/// interfaces that do not JSON-encode) and any other value as that JSON.
///
/// Writes go through [`hookenv::relation_set`]: buffered, sent once at the
/// end of a successful hook, dropped if it fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToPublish {
    relation_id: String,
    owner: Owner,
    raw: bool,
}

impl ToPublish {
    pub(crate) fn new(relation_id: &str, owner: Owner, raw: bool) -> ToPublish {
        ToPublish {
            relation_id: relation_id.to_string(),
            owner,
            raw,
        }
    }

    fn write(&self, key: &str, text: String) -> Result<(), Error> {
        let rid = Some(self.relation_id.as_str());
        match self.owner {
            Owner::Unit => hookenv::relation_set(rid, [(key, text)])?,
            Owner::App => hookenv::relation_set_app(rid, [(key, text)])?,
        }
        Ok(())
    }

    /// Publishes `key` = `value`.
    pub fn set<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> Result<(), Error> {
        let v = serde_json::to_value(value).map_err(|source| Error::Json {
            context: format!("value of {key:?} to publish on {}", self.relation_id),
            source,
        })?;
        let text = match v {
            Value::String(s) if self.raw => s,
            v => super::json::dumps(&v),
        };
        self.write(key, text)
    }

    /// Stops publishing `key`.
    pub fn remove(&self, key: &str) -> Result<(), Error> {
        self.write(key, String::new())
    }

    /// The published value of `key` (with this hook's writes) as a `T`:
    /// decoded, or from `to_publish_raw` the text first (so a `String` is
    /// the text as written).
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, Error> {
        let rid = Some(self.relation_id.as_str());
        let mut data = match self.owner {
            Owner::Unit => hookenv::relation_get_all(Some(&hookenv::local_unit()), rid)?,
            Owner::App => hookenv::relation_get_all(Some(&hookenv::application_name()), rid)?,
        };
        let Some(raw) = data.remove(key) else {
            return Ok(None);
        };
        typed::<T>(&raw, self.raw)
            .map(Some)
            .map_err(|source| Error::Json {
                context: format!("value of {key:?} published on {}", self.relation_id),
                source,
            })
    }
}
