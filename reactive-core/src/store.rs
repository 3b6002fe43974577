//! The unit's persistent state on `sled`: flags with their JSON values and the
//! unit key-value store, written only as one atomic batch per successful
//! dispatch.
//!
//! One process at a time may hold a store: sled takes an exclusive file lock.
//! Opening a store another process holds waits for it (by default up to
//! [`DEFAULT_LOCK_TIMEOUT`](open::DEFAULT_LOCK_TIMEOUT), see [`OpenOptions`]), then fails with
//! [`StoreError::Locked`]. Within a process, opening a path that is already
//! open returns another handle on the same store.
//!
//! Layout (schema 2): the flags are one JSON object under `flags`, so a
//! commit writes one value for them however many changed (sled's cost is
//! per key written, and a hook reads every flag anyway); each key-value entry
//! is its own key `kv:<key>`; `meta:schema` holds the format version. Stores
//! of schema 1 (one key `flag:<name>` per flag) are converted when opened.

mod open;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

pub(crate) use open::{OpenOptions, LOCK_TIMEOUT_ENV};

/// Key of the flag document.
const FLAGS_KEY: &[u8] = b"flags";
/// Key prefix of flags in schema 1.
const V1_FLAG_PREFIX: &[u8] = b"flag:";
/// Key prefix of the unit key-value store.
const KV_PREFIX: &[u8] = b"kv:";
/// Key of the schema version.
const SCHEMA_KEY: &[u8] = b"meta:schema";
/// The on-disk format this build writes.
pub(crate) const SCHEMA_VERSION: u64 = 2;

/// Errors of the state store; each names the store's path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store could not be opened (missing permission, not a directory,
    /// damaged files, ...).
    #[error("cannot open unit state store {path}")]
    Open {
        /// Path of the store.
        path: PathBuf,
        /// sled's error.
        #[source]
        source: sled::Error,
    },
    /// Another process held the store for longer than the lock timeout.
    #[error(
        "unit state store {path} is locked by another process (waited {waited:.1?}); \
         another hook of this unit may still be running. Set {LOCK_TIMEOUT_ENV} \
         (seconds) to wait longer"
    )]
    Locked {
        /// Path of the store.
        path: PathBuf,
        /// How long the open waited.
        waited: Duration,
    },
    /// The store's files could not be read back (sled gave up on them).
    #[error("unit state store {path} is damaged: {reason}")]
    Damaged {
        /// Path of the store.
        path: PathBuf,
        /// What sled reported.
        reason: String,
    },
    /// A setting taken from the environment is invalid.
    #[error("invalid {var}={value:?}: {reason}")]
    Setting {
        /// The environment variable.
        var: &'static str,
        /// Its value.
        value: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// Reading or writing failed.
    #[error("unit state store {path}: {op} failed")]
    Io {
        /// Path of the store.
        path: PathBuf,
        /// What was being done.
        op: &'static str,
        /// sled's error.
        #[source]
        source: sled::Error,
    },
    /// A stored value is not what this build expects.
    #[error("unit state store {path}: corrupt entry {key:?}: {reason}")]
    Corrupt {
        /// Path of the store.
        path: PathBuf,
        /// The key of the bad entry.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The store was written by a newer format.
    #[error("unit state store {path}: schema version {found} is newer than this build supports ({supported})")]
    Schema {
        /// Path of the store.
        path: PathBuf,
        /// Version found on disk.
        found: u64,
        /// Newest version this build knows.
        supported: u64,
    },
}

/// Changes to write in one commit. `None` deletes the entry.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Changes {
    /// Flag name to new value (`Some(Value::Null)` is a set flag without value).
    pub(crate) flags: BTreeMap<String, Option<Value>>,
    /// Key-value store key to new value.
    pub(crate) kv: BTreeMap<String, Option<Value>>,
}

/// An open store, shared by every [`Store`] handle on it in this process.
struct Inner {
    db: sled::Db,
    path: PathBuf,
    /// Serialises commits: each rewrites the flag document.
    write: Mutex<()>,
}

/// The unit's persistent state. Public (hidden) for the workspace's own
/// tests and benchmarks only.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.inner.path)
            .finish()
    }
}

impl Store {
    /// Opens (or creates) the store at `path`, waiting for another process's
    /// lock as long as [`OpenOptions::from_env`] says.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        Store::open_with(path, OpenOptions::from_env()?)
    }

    /// Opens (or creates) the store at `path` with `options`.
    ///
    /// A store another process holds is polled, with short growing pauses,
    /// until `options.lock_timeout` has passed; then [`StoreError::Locked`].
    #[allow(clippy::needless_pass_by_value)] // options are built for the one open
    pub(crate) fn open_with(
        path: impl AsRef<Path>,
        options: OpenOptions,
    ) -> Result<Store, StoreError> {
        let inner = open::open(path.as_ref(), &options, |inner, had_log| {
            Store::check_schema(inner, had_log)
        })?;
        Ok(Store { inner })
    }

    /// Where the store of this unit lives: `UNIT_STATE_DB`, else
    /// `.unit-state.sled` in the charm directory (`JUJU_CHARM_DIR`, then
    /// `CHARM_DIR`, then the executable's directory, then the working
    /// directory).
    pub(crate) fn default_path() -> PathBuf {
        if let Some(p) = std::env::var_os("UNIT_STATE_DB").filter(|p| !p.is_empty()) {
            return PathBuf::from(p);
        }
        let dir = ["JUJU_CHARM_DIR", "CHARM_DIR"]
            .iter()
            .find_map(|k| std::env::var_os(k).filter(|v| !v.is_empty()))
            .map(PathBuf::from)
            .or_else(|| {
                std::env::current_exe()
                    .ok()
                    .and_then(|e| e.parent().map(Path::to_path_buf))
            })
            .unwrap_or_else(|| PathBuf::from("."));
        dir.join(".unit-state.sled")
    }

    /// Opens the store at [`Store::default_path`].
    pub(crate) fn open_default() -> Result<Store, StoreError> {
        Store::open(Self::default_path())
    }

    /// The store's path.
    #[must_use]
    pub(crate) fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Every set flag with its value.
    pub(crate) fn flags(&self) -> Result<BTreeMap<String, Value>, StoreError> {
        self.inner.flags()
    }

    /// Every key-value entry whose key starts with `prefix`.
    pub(crate) fn kv_prefix(&self, prefix: &str) -> Result<BTreeMap<String, Value>, StoreError> {
        let mut p = KV_PREFIX.to_vec();
        p.extend_from_slice(prefix.as_bytes());
        let all = self.inner.scan(&p)?;
        Ok(all
            .into_iter()
            .map(|(k, v)| (format!("{prefix}{k}"), v))
            .collect())
    }

    /// One key-value entry.
    pub(crate) fn kv_get(&self, key: &str) -> Result<Option<Value>, StoreError> {
        let mut k = KV_PREFIX.to_vec();
        k.extend_from_slice(key.as_bytes());
        let inner = &self.inner;
        match inner.db.get(&k).map_err(inner.io("read"))? {
            None => Ok(None),
            Some(v) => inner.decode(&k, &v).map(Some),
        }
    }

    /// Writes `changes` as one atomic batch and flushes it to disk: after a
    /// crash the store holds either all of them or none.
    pub(crate) fn commit(&self, changes: &Changes) -> Result<(), StoreError> {
        let _one_at_a_time = self.inner.write.lock().unwrap_or_else(|p| p.into_inner());
        let flags = if changes.flags.is_empty() {
            None
        } else {
            let mut flags = self.inner.flags()?;
            for (name, value) in &changes.flags {
                match value {
                    Some(v) => flags.insert(name.clone(), v.clone()),
                    None => flags.remove(name),
                };
            }
            Some(flags)
        };
        self.apply(flags.as_ref(), &changes.kv)
    }

    /// Writes a whole flag document (when `flags` is given) and key-value
    /// changes as one atomic batch, flushed: what a session commits, without
    /// reading back the flags it already holds.
    pub(crate) fn write(
        &self,
        flags: Option<&BTreeMap<String, Value>>,
        kv: &BTreeMap<String, Option<Value>>,
    ) -> Result<(), StoreError> {
        let _one_at_a_time = self.inner.write.lock().unwrap_or_else(|p| p.into_inner());
        self.apply(flags, kv)
    }

    fn apply(
        &self,
        flags: Option<&BTreeMap<String, Value>>,
        kv: &BTreeMap<String, Option<Value>>,
    ) -> Result<(), StoreError> {
        let inner = &self.inner;
        let mut batch = sled::Batch::default();
        if let Some(flags) = flags {
            batch.insert(FLAGS_KEY, inner.encode(FLAGS_KEY, flags)?);
        }
        for (name, value) in kv {
            let mut k = KV_PREFIX.to_vec();
            k.extend_from_slice(name.as_bytes());
            match value {
                Some(v) => {
                    let bytes = inner.encode(&k, v)?;
                    batch.insert(k, bytes);
                }
                None => batch.remove(k),
            }
        }
        inner.db.apply_batch(batch).map_err(inner.io("commit"))?;
        inner.db.flush().map_err(inner.io("flush"))?;
        Ok(())
    }

    /// Checks the schema of a newly opened store, recording it in a new one
    /// and converting a store of schema 1.
    fn check_schema(inner: &Inner, had_log: bool) -> Result<(), StoreError> {
        match inner.db.get(SCHEMA_KEY).map_err(inner.io("read schema"))? {
            // sled silently starts over on a log it cannot read at all.
            None if had_log => Err(StoreError::Damaged {
                path: inner.path.clone(),
                reason: "its log holds data but sled recovered nothing from it \
                         (no schema key); move it aside to start over"
                    .into(),
            }),
            None => {
                // Written with the first commit's flush (or when the store is
                // dropped); an unflushed schema key is written again by the
                // next open.
                inner
                    .db
                    .insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())
                    .map_err(inner.io("write schema"))?;
                Ok(())
            }
            Some(v) => {
                let bytes: [u8; 8] = v.as_ref().try_into().map_err(|_| {
                    inner.corrupt(SCHEMA_KEY, format!("{} bytes, expected 8", v.len()))
                })?;
                match u64::from_be_bytes(bytes) {
                    1 => inner.convert_v1(),
                    SCHEMA_VERSION => Ok(()),
                    found if found > SCHEMA_VERSION => Err(StoreError::Schema {
                        path: inner.path.clone(),
                        found,
                        supported: SCHEMA_VERSION,
                    }),
                    found => Err(inner.corrupt(SCHEMA_KEY, format!("unknown version {found}"))),
                }
            }
        }
    }
}

impl Inner {
    fn io(&self, op: &'static str) -> impl FnOnce(sled::Error) -> StoreError + '_ {
        move |source| StoreError::Io {
            path: self.path.clone(),
            op,
            source,
        }
    }

    fn corrupt(&self, key: &[u8], reason: impl Into<String>) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            key: String::from_utf8_lossy(key).into_owned(),
            reason: reason.into(),
        }
    }

    fn decode<T: serde::de::DeserializeOwned>(
        &self,
        key: &[u8],
        bytes: &[u8],
    ) -> Result<T, StoreError> {
        serde_json::from_slice(bytes).map_err(|e| self.corrupt(key, e.to_string()))
    }

    fn encode<T: serde::Serialize>(&self, key: &[u8], value: &T) -> Result<Vec<u8>, StoreError> {
        serde_json::to_vec(value).map_err(|e| self.corrupt(key, format!("cannot encode: {e}")))
    }

    fn flags(&self) -> Result<BTreeMap<String, Value>, StoreError> {
        match self.db.get(FLAGS_KEY).map_err(self.io("read flags"))? {
            None => Ok(BTreeMap::new()),
            Some(bytes) => self.decode(FLAGS_KEY, &bytes),
        }
    }

    fn scan(&self, prefix: &[u8]) -> Result<BTreeMap<String, Value>, StoreError> {
        let mut out = BTreeMap::new();
        for item in self.db.scan_prefix(prefix) {
            let (k, v) = item.map_err(self.io("scan"))?;
            let name = std::str::from_utf8(&k[prefix.len()..])
                .map_err(|_| self.corrupt(&k, "key is not UTF-8"))?;
            out.insert(name.to_string(), self.decode(&k, &v)?);
        }
        Ok(out)
    }

    /// Schema 1 kept each flag under `flag:<name>`: gather them into the flag
    /// document, in one atomic batch with the new schema version.
    fn convert_v1(&self) -> Result<(), StoreError> {
        let flags = self.scan(V1_FLAG_PREFIX)?;
        let mut batch = sled::Batch::default();
        for name in flags.keys() {
            let mut k = V1_FLAG_PREFIX.to_vec();
            k.extend_from_slice(name.as_bytes());
            batch.remove(k);
        }
        batch.insert(FLAGS_KEY, self.encode(FLAGS_KEY, &flags)?);
        batch.insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes());
        self.db
            .apply_batch(batch)
            .map_err(self.io("convert schema 1"))?;
        self.db.flush().map_err(self.io("flush"))?;
        Ok(())
    }
}
