//! The unit state store: round trips, deletion, the schema key, damaged
//! entries, unusable paths, and waiting for another process's lock.
//!
//! The lock tests (`lock`) re-run this test binary as the other process.
//! The store under kills and full disks, driven through dispatches as
//! hooks drive it, is tested with the runtime (`runtime/tests`).

mod lock;

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Changes, OpenOptions, Store, StoreError, SCHEMA_VERSION};
use serde_json::{json, Value};

pub(super) fn changes(flags: &[(&str, Option<Value>)], kv: &[(&str, Option<Value>)]) -> Changes {
    let own =
        |v: &[(&str, Option<Value>)]| v.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    Changes {
        flags: own(flags),
        kv: own(kv),
    }
}

pub(super) fn wait(timeout: Duration) -> OpenOptions {
    OpenOptions {
        lock_timeout: timeout,
    }
}

#[test]
fn flags_and_kv_round_trip_through_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    let store = Store::open(&path).unwrap();
    store
        .commit(&changes(
            &[
                ("installed", Some(Value::Null)),
                ("db.ready", Some(json!({"host": "10.0.0.1", "port": 5432}))),
                ("ports", Some(json!([80, 443]))),
            ],
            &[
                ("app.version", Some(json!("1.2.3"))),
                ("app.peers", Some(json!({"a": 1, "b": [true, null]}))),
                ("other", Some(json!(7))),
            ],
        ))
        .unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    let flags = store.flags().unwrap();
    assert_eq!(flags.len(), 3);
    assert_eq!(flags["installed"], Value::Null);
    assert_eq!(flags["db.ready"], json!({"host": "10.0.0.1", "port": 5432}));
    assert_eq!(flags["ports"], json!([80, 443]));
    assert_eq!(store.kv_get("app.version").unwrap(), Some(json!("1.2.3")));
    assert_eq!(store.kv_get("missing").unwrap(), None);
    let app = store.kv_prefix("app.").unwrap();
    assert_eq!(
        app.keys().collect::<Vec<_>>(),
        ["app.peers", "app.version"],
        "kv_prefix returns full keys, and only those under the prefix"
    );
    assert_eq!(app["app.peers"], json!({"a": 1, "b": [true, null]}));
}

#[test]
fn none_deletes_flags_and_kv_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    let store = Store::open(&path).unwrap();
    store
        .commit(&changes(
            &[("a", Some(Value::Null)), ("b", Some(json!(1)))],
            &[("k", Some(json!("v"))), ("keep", Some(json!(true)))],
        ))
        .unwrap();
    store
        .commit(&changes(&[("a", None)], &[("k", None)]))
        .unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.flags().unwrap().keys().collect::<Vec<_>>(), ["b"]);
    assert_eq!(store.kv_get("k").unwrap(), None);
    assert_eq!(store.kv_get("keep").unwrap(), Some(json!(true)));
}

/// Opens a store with sled itself. This test binary also starts processes
/// (the crash and fault tests): between a fork and its exec the child holds
/// a copy of every open file, and so, for a moment, the lock of a store
/// just closed; an open landing then waits that moment out.
fn open_raw(config: &sled::Config) -> sled::Db {
    let start = std::time::Instant::now();
    loop {
        match config.open() {
            Err(sled::Error::Io(e))
                if e.to_string().contains("WouldBlock")
                    && start.elapsed() < Duration::from_secs(5) =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            other => return other.unwrap(),
        }
    }
}

/// Writes raw entries with sled itself, as another build or a damaged disk
/// might have left them. The store must not be open in this process.
fn write_raw(path: &Path, entries: &[(&[u8], &[u8])]) {
    let db = open_raw(&sled::Config::new().path(path));
    for (k, v) in entries {
        db.insert(*k, *v).unwrap();
    }
    db.flush().unwrap();
}

#[test]
fn a_store_of_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    let newer = (SCHEMA_VERSION + 1).to_be_bytes();
    write_raw(&path, &[(b"meta:schema", &newer), (b"flag:x", b"null")]);

    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::Schema { found, supported, .. }
            if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("newer than this build supports"), "{msg}");
}

#[test]
fn the_current_schema_is_accepted_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    drop(Store::open(&path).unwrap());
    let db = open_raw(
        &sled::Config::new()
            .path(&path)
            .segment_size(segment_size(&path)),
    );
    assert_eq!(
        db.get(b"meta:schema").unwrap().as_deref(),
        Some(&SCHEMA_VERSION.to_be_bytes()[..])
    );
}

/// The segment size recorded in a store's sled `conf` file.
fn segment_size(path: &Path) -> usize {
    let conf = std::fs::read(path.join("conf")).unwrap();
    let text = String::from_utf8_lossy(&conf);
    text.lines()
        .find_map(|l| l.strip_prefix("segment_size: "))
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn a_value_that_is_not_json_is_reported_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    let schema = SCHEMA_VERSION.to_be_bytes();
    write_raw(
        &path,
        &[
            (b"meta:schema", &schema),
            (b"flags", b"{\"good\": null, broken"),
            (b"kv:good", b"1"),
            (b"kv:bad", b"\xff"),
        ],
    );

    let store = Store::open(&path).unwrap();
    let err = store.flags().unwrap_err();
    assert!(
        matches!(&err, StoreError::Corrupt { key, .. } if key == "flags"),
        "{err:?}"
    );
    assert!(err.to_string().contains(&path.display().to_string()));
    assert!(err.to_string().contains("corrupt entry \"flags\""), "{err}");
    let err = store.kv_get("bad").unwrap_err();
    assert!(
        matches!(&err, StoreError::Corrupt { key, .. } if key == "kv:bad"),
        "{err:?}"
    );
    assert_eq!(store.kv_get("good").unwrap(), Some(json!(1)));
    // Nothing is written over an entry that cannot be read.
    let err = store
        .commit(&changes(&[("new", Some(Value::Null))], &[]))
        .unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
}

#[test]
fn a_store_of_schema_1_is_converted_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    write_raw(
        &path,
        &[
            (b"meta:schema", &1u64.to_be_bytes()),
            (b"flag:installed", b"null"),
            (b"flag:db.ready", b"{\"port\":5432}"),
            (b"kv:app.version", b"\"1.0\""),
        ],
    );

    let store = Store::open(&path).unwrap();
    let flags = store.flags().unwrap();
    assert_eq!(flags.keys().collect::<Vec<_>>(), ["db.ready", "installed"]);
    assert_eq!(flags["db.ready"], json!({"port": 5432}));
    assert_eq!(store.kv_get("app.version").unwrap(), Some(json!("1.0")));
    store.commit(&changes(&[("installed", None)], &[])).unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(
        store.flags().unwrap().keys().collect::<Vec<_>>(),
        ["db.ready"]
    );
    drop(store);
    let db = open_raw(
        &sled::Config::new()
            .path(&path)
            .segment_size(segment_size(&path)),
    );
    assert_eq!(
        db.get(b"meta:schema").unwrap().as_deref(),
        Some(&SCHEMA_VERSION.to_be_bytes()[..])
    );
    assert_eq!(
        db.scan_prefix(b"flag:").count(),
        0,
        "schema 1 keys are gone"
    );
}

#[test]
fn a_schema_1_store_with_a_bad_flag_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    write_raw(
        &path,
        &[
            (b"meta:schema", &1u64.to_be_bytes()),
            (b"flag:good", b"null"),
            (b"flag:broken", b"{not json"),
        ],
    );

    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(&err, StoreError::Corrupt { key, .. } if key == "flag:broken"),
        "{err:?}"
    );
    let db = open_raw(
        &sled::Config::new()
            .path(&path)
            .segment_size(segment_size(&path)),
    );
    assert_eq!(
        db.get(b"meta:schema").unwrap().as_deref(),
        Some(&1u64.to_be_bytes()[..])
    );
    assert_eq!(db.scan_prefix(b"flag:").count(), 2);
}

/// A directory this process cannot create entries in: a read-only one when
/// permissions apply to us, else (as root) a path under sysfs.
fn unwritable_dir(tmp: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let ro = tmp.join("read-only");
    std::fs::create_dir(&ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    for dir in [ro, PathBuf::from("/sys")] {
        let probe = dir.join("probe");
        if std::fs::create_dir(&probe).is_err() {
            return dir;
        }
        let _ = std::fs::remove_dir(&probe);
    }
    panic!("no directory here refuses writes, not even /sys");
}

#[test]
fn an_unwritable_directory_is_an_error_naming_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let path = unwritable_dir(tmp.path()).join("state.sled");
    let err = Store::open_with(&path, wait(Duration::ZERO)).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(!path.exists());
}

#[test]
fn a_path_that_is_a_file_is_an_error_naming_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("state.sled");
    std::fs::write(&path, "not a store").unwrap();
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
    assert!(err.to_string().contains(&path.display().to_string()));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a store");
}

#[test]
fn damaged_store_files_are_an_error_naming_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("state.sled");
    let store = Store::open(&path).unwrap();
    store
        .commit(&changes(&[("installed", Some(Value::Null))], &[]))
        .unwrap();
    drop(store);
    // Garbage over the whole log and the snapshot.
    for entry in std::fs::read_dir(&path).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name == "db" || name.starts_with("snap.") {
            let len = std::fs::metadata(&p).unwrap().len() as usize;
            let junk: Vec<u8> = (0..len.max(64)).map(|i| (i * 31 % 251) as u8).collect();
            std::fs::write(&p, junk).unwrap();
        }
    }
    let err = Store::open_with(&path, wait(Duration::ZERO)).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "{err}"
    );
}

#[test]
fn opening_an_open_store_again_in_this_process_shares_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    let a = Store::open(&path).unwrap();
    let b = Store::open_with(dir.path().join("./state.sled"), wait(Duration::ZERO)).unwrap();
    b.commit(&changes(&[("shared", Some(Value::Null))], &[]))
        .unwrap();
    assert!(a.flags().unwrap().contains_key("shared"));
}
