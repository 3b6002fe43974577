//! Persistent memory of a unit, kept in the same transaction as the flags:
//! the key-value store ([`kv`], charmhelpers' `unitdata.kv()`),
//! [`data_changed`], and [`was_invoked`] / [`mark_invoked`].

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::session::with_state;

const DATA_CHANGED_PREFIX: &str = "reactive.data_changed.";
const INVOKED_PREFIX: &str = "reactive.invoked.";
const FILE_HASH_PREFIX: &str = "reactive.files_changed.";

/// The unit key-value store of the running dispatch (charmhelpers'
/// `unitdata.kv()`). Writes are kept only if the dispatch succeeds.
pub fn kv() -> Kv {
    Kv { _private: () }
}

/// Handle on the unit key-value store. See [`kv`].
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

/// Hex SHA-256 of some bytes: stable across builds, so stored hashes stay
/// comparable after a charm upgrade.
pub(crate) fn hash_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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
    with_state("was_invoked", |s| {
        Ok(s.kv_get(&format!("{INVOKED_PREFIX}{id}"))?
            .and_then(|v| v.as_bool())
            .unwrap_or(false))
    })?
}

/// Records that `id` ran (the basis of `#[only_once]`).
pub fn mark_invoked(id: &str) -> Result<(), Error> {
    with_state("mark_invoked", |s| {
        s.kv_set(&format!("{INVOKED_PREFIX}{id}"), Some(Value::Bool(true)))
    })
}

/// The content hash of a file; `None` when it does not exist, which is also
/// what "never checked" reads as (as charmhelpers' `file_hash`), so a file
/// that never existed is not a change, while deleting one is. A file that
/// exists but cannot be read gets a marker naming why.
fn file_hash(path: &str) -> Option<String> {
    match std::fs::read(Path::new(path)) {
        Ok(bytes) => Some(hash_hex(&bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => Some(format!("unreadable: {}", e.kind())),
    }
}

/// True if any of `paths` changed since the last check; records every new
/// hash (the `#[when_file_changed]` predicate).
pub fn any_file_changed(paths: &[String]) -> Result<bool, Error> {
    with_state("any_file_changed", |s| {
        let mut changed = false;
        for p in paths {
            let key = format!("{FILE_HASH_PREFIX}{p}");
            let new = file_hash(p);
            let old = s.kv_get(&key)?;
            if old.as_ref().and_then(Value::as_str) != new.as_deref() {
                s.kv_set(&key, new.map(Value::String));
                changed = true;
            }
        }
        Ok(changed)
    })?
}
