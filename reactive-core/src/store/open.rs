//! Opening a store: sled's configuration, waiting for another process's
//! lock, and sharing a store already open in this process.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use super::{Inner, StoreError};

/// How long [`Store::open`](super::Store::open) waits for a store locked by
/// another process.
pub(crate) const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(30);
/// Environment variable overriding [`DEFAULT_LOCK_TIMEOUT`], in seconds.
pub(crate) const LOCK_TIMEOUT_ENV: &str = "UNIT_STATE_LOCK_TIMEOUT";

/// Log segment size of new stores. sled's default is 512 KiB; a unit's state
/// is small, and smaller segments mean less buffer to allocate and zero, a
/// smaller file, and less log to scan when the store is opened. Values
/// larger than a quarter of a segment go to files of their own, so 128 KiB
/// keeps values (the flag document, traces) of up to ~32 KiB inline. sled
/// refuses to reopen a store with another segment size, so an existing store
/// keeps the size it was created with.
const SEGMENT_SIZE: usize = 128 * 1024;
/// First and longest pause between attempts to take another process's lock.
const LOCK_POLL: (Duration, Duration) = (Duration::from_millis(2), Duration::from_millis(100));

/// How to open a store. `OpenOptions::default()` waits
/// [`DEFAULT_LOCK_TIMEOUT`]; [`OpenOptions::from_env`] honours
/// `UNIT_STATE_LOCK_TIMEOUT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpenOptions {
    /// How long to wait for a store locked by another process.
    pub(crate) lock_timeout: Duration,
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
    pub(crate) fn from_env() -> Result<OpenOptions, StoreError> {
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
    // `mode` and `snapshot_after_ops` are left alone: sled 0.34 ignores them.
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
    let damaged = |reason: String| StoreError::Damaged {
        path: path.to_path_buf(),
        reason,
    };
    match catch_unwind(AssertUnwindSafe(|| config.open())) {
        Ok(Ok(db)) => Ok(db),
        Ok(Err(source)) if is_lock_conflict(&source) => Err(StoreError::Locked {
            path: path.to_path_buf(),
            waited: Duration::ZERO,
        }),
        Ok(Err(sled::Error::Corruption { .. })) => {
            Err(damaged("sled found corrupt data in its log".into()))
        }
        Ok(Err(source)) => Err(StoreError::Open {
            path: path.to_path_buf(),
            source,
        }),
        Err(panic) => Err(damaged(format!(
            "sled failed while reading it: {}",
            crate::panic::panic_message(&*panic)
        ))),
    }
}

/// Opens the store at `path` (or shares the one open in this process),
/// waiting for another process's lock up to `options.lock_timeout`.
/// `prepare` checks a newly opened store; it is told whether the store's log
/// held data before the open.
pub(super) fn open(
    path: &Path,
    options: &OpenOptions,
    prepare: impl FnOnce(&Inner, bool) -> Result<(), StoreError>,
) -> Result<Arc<Inner>, StoreError> {
    let open_err = |e: std::io::Error| StoreError::Open {
        path: path.to_path_buf(),
        source: sled::Error::Io(e),
    };
    if path.exists() && !path.is_dir() {
        return Err(open_err(std::io::Error::new(
            std::io::ErrorKind::NotADirectory,
            "it exists and is not a directory",
        )));
    }
    std::fs::create_dir_all(path).map_err(open_err)?;
    let key = std::fs::canonicalize(path).map_err(open_err)?;
    // sled writes nothing to its log before the first flush, and the schema
    // key is in that flush.
    let had_log = std::fs::metadata(path.join("db")).is_ok_and(|m| m.len() > 0);
    let start = Instant::now();
    let mut pause = LOCK_POLL.0;
    let db = loop {
        if let Some(inner) = open_in_process(&key) {
            return Ok(inner);
        }
        match open_sled(path) {
            Err(StoreError::Locked { .. }) => {
                let waited = start.elapsed();
                let left = options.lock_timeout.saturating_sub(waited);
                if left.is_zero() {
                    return Err(StoreError::Locked {
                        path: path.to_path_buf(),
                        waited,
                    });
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
    let inner = Arc::new(Inner {
        db,
        path: path.to_path_buf(),
        write: Mutex::new(()),
    });
    prepare(&inner, had_log)?;
    register(key, &inner);
    Ok(inner)
}
