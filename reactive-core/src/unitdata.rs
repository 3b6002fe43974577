//! The unit's key-value store, kept in the same transaction as the flags
//! (charmhelpers' `unitdata`): [`kv`], [`data_changed`], and
//! [`was_invoked`] / [`mark_invoked`].

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::dispatch::{with_running, Running};
use crate::error::Error;
use crate::predicates::hash_hex;
use crate::session::Transaction;

const DATA_CHANGED_PREFIX: &str = "reactive.data_changed.";

/// Runs `f` on the running hook's transaction.
fn with_state<R>(api: &'static str, f: impl FnOnce(&mut Transaction) -> R) -> Result<R, Error> {
    with_running(api, |r: &mut Running| f(&mut r.tx))
}

/// The unit key-value store of the running dispatch (charmhelpers'
/// `unitdata.kv()`). Writes are kept only if the dispatch succeeds.
#[must_use]
pub fn kv() -> Kv {
    Kv { _private: () }
}

/// Handle on the unit key-value store (charmhelpers' `unitdata`), kept in
/// the same transaction as the flags: see [`kv`], and [`data_changed`],
/// [`was_invoked`] / [`mark_invoked`] for what charms keep there most.
#[derive(Debug, Clone, Copy)]
pub struct Kv {
    _private: (),
}

impl Kv {
    /// The value under `key`, decoded; `None` if absent.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, Error> {
        match with_state("kv().get", |s| s.kv_get(key))?? {
            None => Ok(None),
            Some(v) => serde_json::from_value(v)
                .map(Some)
                .map_err(|source| Error::Json {
                    context: format!("unit key-value entry {key:?}"),
                    source,
                }),
        }
    }

    /// Stores `value` under `key`.
    pub fn set<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> Result<(), Error> {
        let v = serde_json::to_value(value).map_err(|source| Error::Json {
            context: format!("unit key-value entry {key:?}"),
            source,
        })?;
        with_state("kv().set", |s| s.kv_set(key, Some(v)))
    }

    /// Removes `key`.
    pub fn unset(&self, key: &str) -> Result<(), Error> {
        with_state("kv().unset", |s| s.kv_set(key, None))
    }

    /// Every entry whose key starts with `prefix`, keys in full.
    pub fn get_prefix(&self, prefix: &str) -> Result<BTreeMap<String, Value>, Error> {
        with_state("kv().get_prefix", |s| s.kv_prefix(prefix))?
    }

    /// Removes every entry whose key starts with `prefix`.
    pub fn unset_prefix(&self, prefix: &str) -> Result<(), Error> {
        with_state("kv().unset_prefix", |s| {
            for k in s.kv_prefix(prefix)?.into_keys() {
                s.kv_set(&k, None);
            }
            Ok(())
        })?
    }
}

fn data_hash<T: Serialize + ?Sized>(key: &str, data: &T) -> Result<String, Error> {
    // serde_json's Value keeps maps sorted, so equal data hashes equally.
    let v = serde_json::to_value(data).map_err(|source| Error::Json {
        context: format!("data_changed({key:?})"),
        source,
    })?;
    Ok(hash_hex(v.to_string().as_bytes()))
}

/// True if `data` differs from what the last call with `key` saw; records
/// it. Kept in the same transaction as the flags.
pub fn data_changed<T: Serialize + ?Sized>(key: &str, data: &T) -> Result<bool, Error> {
    let new = data_hash(key, data)?;
    with_state("data_changed", |s| {
        let k = format!("{DATA_CHANGED_PREFIX}{key}");
        let old = s.kv_get(&k)?;
        let changed = old.as_ref().and_then(Value::as_str) != Some(new.as_str());
        if changed {
            s.kv_set(&k, Some(Value::String(new)));
        }
        Ok(changed)
    })?
}

/// Like [`data_changed`], without recording.
pub fn is_data_changed<T: Serialize + ?Sized>(key: &str, data: &T) -> Result<bool, Error> {
    let new = data_hash(key, data)?;
    with_state("is_data_changed", |s| {
        let old = s.kv_get(&format!("{DATA_CHANGED_PREFIX}{key}"))?;
        Ok(old.as_ref().and_then(Value::as_str) != Some(new.as_str()))
    })?
}

/// Whether [`mark_invoked`] was called with `id` in a successful dispatch.
pub fn was_invoked(id: &str) -> Result<bool, Error> {
    with_state("was_invoked", |s| crate::predicates::was_invoked(s, id))?
}

/// Records that `id` ran (the basis of `#[only_once]`).
pub fn mark_invoked(id: &str) -> Result<(), Error> {
    with_state("mark_invoked", |s| crate::predicates::mark_invoked(s, id))
}
