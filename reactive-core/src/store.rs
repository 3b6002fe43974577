//! The unit's persistent state on `sled`: flags with their JSON values and the
//! unit key-value store, written only as one atomic batch per successful
//! dispatch.
//!
//! One process at a time may hold a store: sled takes an exclusive file lock.
//! Opening a store another process holds waits for it (by default up to
//! [`DEFAULT_LOCK_TIMEOUT`], see [`OpenOptions`]), then fails with
//! [`StoreError::Locked`]. Within a process, opening a path that is already
//! open returns another handle on the same store.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Key prefix of flags in the sled tree.
const FLAG_PREFIX: &[u8] = b"flag:";
/// Key prefix of the unit key-value store.
const KV_PREFIX: &[u8] = b"kv:";
/// Key of the schema version.
const SCHEMA_KEY: &[u8] = b"meta:schema";
/// The on-disk format this build writes.
pub const SCHEMA_VERSION: u64 = 1;

/// How long [`Store::open`] waits for a store locked by another process.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(30);
/// Environment variable overriding [`DEFAULT_LOCK_TIMEOUT`], in seconds.
pub const LOCK_TIMEOUT_ENV: &str = "UNIT_STATE_LOCK_TIMEOUT";

/// Log segment size of new stores. sled's default is 512 KiB; a unit's state
/// is small, and smaller segments mean less buffer to allocate and zero and
/// less log to scan when the store is opened. Values larger than a quarter of
/// a segment are kept in files of their own, so 128 KiB keeps traces of up to
/// ~32 KiB inline. sled refuses to reopen a store with another segment size,
/// so an existing store keeps the size it was created with.
const SEGMENT_SIZE: usize = 128 * 1024;
/// First and longest pause between attempts to take another process's lock.
const LOCK_POLL: (Duration, Duration) = (Duration::from_millis(2), Duration::from_millis(100));

/// Errors of the state store; each names the store's path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The store could not be opened (missing permission, not a directory,
    /// damaged files, ...).
    #[error("cannot open unit state store {path}: {source}")]
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

/// How to open a store. `OpenOptions::default()` waits
/// [`DEFAULT_LOCK_TIMEOUT`]; [`OpenOptions::from_env`] honours
/// `UNIT_STATE_LOCK_TIMEOUT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenOptions {
    /// How long to wait for a store locked by another process.
    pub lock_timeout: Duration,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
        }
    }
}

impl OpenOptions {
    /// The defaults, with the lock timeout from `UNIT_STATE_LOCK_TIMEOUT`
    /// (seconds, fractions allowed) when it is set.
    pub fn from_env() -> Result<OpenOptions, StoreError> {
        let mut opts = OpenOptions::default();
        if let Some(raw) = std::env::var_os(LOCK_TIMEOUT_ENV) {
            let value = raw.to_string_lossy().into_owned();
            let bad = |reason| StoreError::Setting {
                var: LOCK_TIMEOUT_ENV,
                value: value.clone(),
                reason,
            };
            let secs: f64 = value
                .trim()
                .parse()
                .map_err(|_| bad("expected a number of seconds"))?;
            opts.lock_timeout = Duration::try_from_secs_f64(secs)
                .map_err(|_| bad("expected a non-negative, finite number of seconds"))?;
        }
        Ok(opts)
    }
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

struct Inner {
    db: sled::Db,
    path: PathBuf,
}

/// Stores open in this process, by canonical path: sled's lock is per open
/// file, so a second open of the same path would wait for ourselves.
static OPEN: Mutex<Vec<(PathBuf, Weak<Inner>)>> = Mutex::new(Vec::new());

fn open_in_process(key: &Path) -> Option<Arc<Inner>> {
    let open = OPEN.lock().unwrap_or_else(|p| p.into_inner());
    open.iter()
        .find(|(p, _)| p == key)
        .and_then(|(_, w)| w.upgrade())
}

fn register(key: PathBuf, inner: &Arc<Inner>) {
    let mut open = OPEN.lock().unwrap_or_else(|p| p.into_inner());
    open.retain(|(p, w)| w.strong_count() > 0 && *p != key);
    open.push((key, Arc::downgrade(inner)));
}

/// True for sled's report that another open file holds the store's lock
/// (`flock` gave `EWOULDBLOCK`), and for nothing else. sled 0.34 wraps that
/// in an `ErrorKind::Other` I/O error whose text embeds the `Debug` form of
/// the original error.
fn is_lock_conflict(e: &sled::Error) -> bool {
    match e {
        sled::Error::Io(io) if io.kind() == std::io::ErrorKind::Other => {
            let msg = io.to_string();
            msg.starts_with("could not acquire lock on ") && msg.contains("kind: WouldBlock")
        }
        _ => false,
    }
}

/// The segment size an existing store was created with (sled's `conf` file
/// holds `segment_size: N`), so that it opens whatever this build prefers.
fn existing_segment_size(path: &Path) -> Option<usize> {
    let conf = std::fs::read(path.join("conf")).ok()?;
    let text = String::from_utf8_lossy(&conf);
    text.lines()
        .find_map(|l| l.strip_prefix("segment_size: "))
        .and_then(|n| n.trim().parse().ok())
        .filter(|n: &usize| n.is_power_of_two())
}

fn sled_config(path: &Path) -> sled::Config {
    sled::Config::new()
        .path(path)
        // The page cache bound; a unit's state is small, and sled's 1 GiB
        // default only invites growth.
        .cache_capacity(8 * 1024 * 1024)
        .segment_size(existing_segment_size(path).unwrap_or(SEGMENT_SIZE))
        // Commits flush explicitly. Without this sled starts a thread that
        // flushes every 500 ms, which open and drop must start and join.
        .flush_every_ms(None)
        // Values are small JSON documents; zstd is not compiled in (sled's
        // `compression` feature), and a store must keep this setting.
        .use_compression(false)
}

fn open_sled(path: &Path) -> Result<sled::Db, StoreError> {
    let config = sled_config(path);
    match catch_unwind(AssertUnwindSafe(|| config.open())) {
        Ok(Ok(db)) => Ok(db),
        Ok(Err(source)) if is_lock_conflict(&source) => Err(StoreError::Locked {
            path: path.to_path_buf(),
            waited: Duration::ZERO,
        }),
        Ok(Err(sled::Error::Corruption { .. })) => Err(StoreError::Damaged {
            path: path.to_path_buf(),
            reason: "sled found corrupt data in its log".into(),
        }),
        Ok(Err(source)) => Err(StoreError::Open {
            path: path.to_path_buf(),
            source,
        }),
        Err(panic) => Err(StoreError::Damaged {
            path: path.to_path_buf(),
            reason: format!(
                "sled failed while reading it: {}",
                panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)")
            ),
        }),
    }
}

/// The unit's persistent state.
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
    pub fn open_with(path: impl AsRef<Path>, options: OpenOptions) -> Result<Store, StoreError> {
        let path = path.as_ref().to_path_buf();
        let open_err = |e: std::io::Error| StoreError::Open {
            path: path.clone(),
            source: sled::Error::Io(e),
        };
        if path.exists() && !path.is_dir() {
            return Err(open_err(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                "it exists and is not a directory",
            )));
        }
        std::fs::create_dir_all(&path).map_err(open_err)?;
        let key = std::fs::canonicalize(&path).map_err(open_err)?;
        // sled writes nothing to its log before the first flush, and the
        // schema key is in that flush: a log with data but no schema key is
        // one sled could not read (it silently starts over on garbage).
        let had_log = std::fs::metadata(path.join("db")).is_ok_and(|m| m.len() > 0);
        let start = Instant::now();
        let mut pause = LOCK_POLL.0;
        let db = loop {
            if let Some(inner) = open_in_process(&key) {
                return Ok(Store { inner });
            }
            match open_sled(&path) {
                Err(StoreError::Locked { .. }) => {
                    let waited = start.elapsed();
                    let Some(left) = options.lock_timeout.checked_sub(waited) else {
                        return Err(StoreError::Locked { path, waited });
                    };
                    if left.is_zero() {
                        return Err(StoreError::Locked { path, waited });
                    }
                    log::debug!(
                        "unit state store {} is locked; retrying for another {left:.1?}",
                        path.display()
                    );
                    std::thread::sleep(pause.min(left));
                    pause = (pause * 2).min(LOCK_POLL.1);
                }
                other => break other?,
            }
        };
        let inner = Arc::new(Inner { db, path });
        let store = Store {
            inner: inner.clone(),
        };
        store.check_schema(had_log)?;
        register(key, &inner);
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
        &self.inner.path
    }

    fn db(&self) -> &sled::Db {
        &self.inner.db
    }

    fn io(&self, op: &'static str) -> impl FnOnce(sled::Error) -> StoreError + '_ {
        move |source| StoreError::Io {
            path: self.inner.path.clone(),
            op,
            source,
        }
    }

    fn corrupt(&self, key: &[u8], reason: impl Into<String>) -> StoreError {
        StoreError::Corrupt {
            path: self.inner.path.clone(),
            key: String::from_utf8_lossy(key).into_owned(),
            reason: reason.into(),
        }
    }

    fn check_schema(&self, had_log: bool) -> Result<(), StoreError> {
        match self.db().get(SCHEMA_KEY).map_err(self.io("read schema"))? {
            None if had_log => Err(StoreError::Damaged {
                path: self.inner.path.clone(),
                reason: "its log holds data but sled recovered nothing from it \
                         (no schema key); move it aside to start over"
                    .into(),
            }),
            None => {
                // Written with the first commit's flush; an unflushed schema
                // key is simply written again by the next open.
                self.db()
                    .insert(SCHEMA_KEY, &SCHEMA_VERSION.to_be_bytes())
                    .map_err(self.io("write schema"))?;
                Ok(())
            }
            Some(v) => {
                let bytes: [u8; 8] = v.as_ref().try_into().map_err(|_| {
                    self.corrupt(SCHEMA_KEY, format!("{} bytes, expected 8", v.len()))
                })?;
                let found = u64::from_be_bytes(bytes);
                if found > SCHEMA_VERSION {
                    return Err(StoreError::Schema {
                        path: self.inner.path.clone(),
                        found,
                        supported: SCHEMA_VERSION,
                    });
                }
                Ok(())
            }
        }
    }

    fn decode(&self, key: &[u8], bytes: &[u8]) -> Result<Value, StoreError> {
        serde_json::from_slice(bytes).map_err(|e| self.corrupt(key, e.to_string()))
    }

    fn scan(&self, prefix: &[u8]) -> Result<BTreeMap<String, Value>, StoreError> {
        let mut out = BTreeMap::new();
        for item in self.db().scan_prefix(prefix) {
            let (k, v) = item.map_err(self.io("scan"))?;
            let name = std::str::from_utf8(&k[prefix.len()..])
                .map_err(|_| self.corrupt(&k, "key is not UTF-8"))?;
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
        match self.db().get(&k).map_err(self.io("read"))? {
            None => Ok(None),
            Some(v) => self.decode(&k, &v).map(Some),
        }
    }

    /// Writes `changes` as one atomic batch and flushes it to disk: after a
    /// crash the store holds either all of them or none.
    pub fn commit(&self, changes: &Changes) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for (prefix, map) in [(FLAG_PREFIX, &changes.flags), (KV_PREFIX, &changes.kv)] {
            for (name, value) in map {
                let mut k = prefix.to_vec();
                k.extend_from_slice(name.as_bytes());
                match value {
                    Some(v) => {
                        let bytes = serde_json::to_vec(v)
                            .map_err(|e| self.corrupt(&k, format!("cannot encode: {e}")))?;
                        batch.insert(k, bytes);
                    }
                    None => batch.remove(k),
                }
            }
        }
        self.db().apply_batch(batch).map_err(self.io("commit"))?;
        self.db().flush().map_err(self.io("flush"))?;
        Ok(())
    }
}
