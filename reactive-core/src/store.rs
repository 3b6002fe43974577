//! The unit's persistent state on `sled`: flags with their JSON values and the
//! unit key-value store, written only as one atomic batch per successful
//! dispatch.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Key prefix of flags in the sled tree.
const FLAG_PREFIX: &[u8] = b"flag:";
/// Key prefix of the unit key-value store.
const KV_PREFIX: &[u8] = b"kv:";
/// Key of the schema version.
const SCHEMA_KEY: &[u8] = b"meta:schema";
/// The on-disk format this build writes.
pub const SCHEMA_VERSION: u64 = 1;

/// Errors of the state store; each names the store's path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store could not be opened.
    #[error("cannot open unit state store {path}: {source}")]
    Open {
        /// Path of the store.
        path: PathBuf,
        /// sled's error.
        #[source]
        source: sled::Error,
    },
    /// Reading or writing failed.
    #[error("unit state store {path}: {op} failed: {source}")]
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
pub struct Changes {
    /// Flag name to new value (`Some(Value::Null)` is a set flag without value).
    pub flags: BTreeMap<String, Option<Value>>,
    /// Key-value store key to new value.
    pub kv: BTreeMap<String, Option<Value>>,
}

impl Changes {
    /// True when there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.flags.is_empty() && self.kv.is_empty()
    }
}

/// The unit's persistent state.
#[derive(Clone)]
pub struct Store {
    db: sled::Db,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        let db = sled::Config::new()
            .path(&path)
            .cache_capacity(4 * 1024 * 1024)
            .open()
            .map_err(|source| StoreError::Open {
                path: path.clone(),
                source,
            })?;
        let store = Store { db, path };
        store.check_schema()?;
        Ok(store)
    }

    /// Where the store of this unit lives: `UNIT_STATE_DB`, else
    /// `.unit-state.sled` in the charm directory (`JUJU_CHARM_DIR`, then
    /// `CHARM_DIR`, then the executable's directory, then the working
    /// directory).
    pub fn default_path() -> PathBuf {
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
    pub fn open_default() -> Result<Store, StoreError> {
        Store::open(Self::default_path())
    }

    /// The store's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, op: &'static str) -> impl FnOnce(sled::Error) -> StoreError + '_ {
        move |source| StoreError::Io {
            path: self.path.clone(),
            op,
            source,
        }
    }

    fn check_schema(&self) -> Result<(), StoreError> {
        match self.db.get(SCHEMA_KEY).map_err(self.io("read schema"))? {
            None => {
                self.db
                    .insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())
                    .map_err(self.io("write schema"))?;
                Ok(())
            }
            Some(v) => {
                let bytes: [u8; 8] = v.as_ref().try_into().map_err(|_| StoreError::Corrupt {
                    path: self.path.clone(),
                    key: "meta:schema".into(),
                    reason: format!("{} bytes, expected 8", v.len()),
                })?;
                let found = u64::from_be_bytes(bytes);
                if found > SCHEMA_VERSION {
                    return Err(StoreError::Schema {
                        path: self.path.clone(),
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                Ok(())
            }
        }
    }

    fn decode(&self, key: &[u8], bytes: &[u8]) -> Result<Value, StoreError> {
        serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
            path: self.path.clone(),
            key: String::from_utf8_lossy(key).into_owned(),
            reason: e.to_string(),
        })
    }

    fn scan(&self, prefix: &[u8]) -> Result<BTreeMap<String, Value>, StoreError> {
        let mut out = BTreeMap::new();
        for item in self.db.scan_prefix(prefix) {
            let (k, v) = item.map_err(self.io("scan"))?;
            let name =
                std::str::from_utf8(&k[prefix.len()..]).map_err(|_| StoreError::Corrupt {
                    path: self.path.clone(),
                    key: String::from_utf8_lossy(&k).into_owned(),
                    reason: "key is not UTF-8".into(),
                })?;
            out.insert(name.to_string(), self.decode(&k, &v)?);
        }
        Ok(out)
    }

    /// Every set flag with its value.
    pub fn flags(&self) -> Result<BTreeMap<String, Value>, StoreError> {
        self.scan(FLAG_PREFIX)
    }

    /// Every key-value entry whose key starts with `prefix`.
    pub fn kv_prefix(&self, prefix: &str) -> Result<BTreeMap<String, Value>, StoreError> {
        let mut p = KV_PREFIX.to_vec();
        p.extend_from_slice(prefix.as_bytes());
        let all = self.scan(&p)?;
        Ok(all
            .into_iter()
            .map(|(k, v)| (format!("{prefix}{k}"), v))
            .collect())
    }

    /// One key-value entry.
    pub fn kv_get(&self, key: &str) -> Result<Option<Value>, StoreError> {
        let mut k = KV_PREFIX.to_vec();
        k.extend_from_slice(key.as_bytes());
        match self.db.get(&k).map_err(self.io("read"))? {
            None => Ok(None),
            Some(v) => self.decode(&k, &v).map(Some),
        }
    }

    /// Writes `changes` as one atomic batch and flushes it to disk.
    pub fn commit(&self, changes: &Changes) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for (prefix, map) in [(FLAG_PREFIX, &changes.flags), (KV_PREFIX, &changes.kv)] {
            for (name, value) in map {
                let mut k = prefix.to_vec();
                k.extend_from_slice(name.as_bytes());
                match value {
                    Some(v) => {
                        let bytes = serde_json::to_vec(v).map_err(|e| StoreError::Corrupt {
                            path: self.path.clone(),
                            key: name.clone(),
                            reason: e.to_string(),
                        })?;
                        batch.insert(k, bytes);
                    }
                    None => batch.remove(k),
                }
            }
        }
        self.db.apply_batch(batch).map_err(self.io("commit"))?;
        self.db.flush().map_err(self.io("flush"))?;
        Ok(())
    }
}
