//! Another process holding the store: the lock tests re-run this test
//! binary as that process: the ignored test `child` does what
//! `STORE_TEST_CHILD` asks and is run with `--exact
//! store::tests::lock::child --ignored --nocapture`.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::json;

use super::{changes, wait};
use crate::store::{Store, StoreError};

const CHILD_ENV: &str = "STORE_TEST_CHILD";

/// Not a test: the other process of the lock tests. `STORE_TEST_CHILD` is
/// `hold:<millis>:<path>` (open, commit a flag `held`, say `HOLDING`, hold
/// the store, exit) or `open:<path>` (open with the settings from the
/// environment, say `OPENED` or the error).
#[test]
#[ignore = "run by the lock tests as their other process"]
fn child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (mode, rest) = spec.split_once(':').unwrap();
    match mode {
        "hold" => {
            let (ms, path) = rest.split_once(':').unwrap();
            let store = Store::open(path).unwrap();
            store
                .commit(&changes(&[("held", Some(json!(std::process::id())))], &[]))
                .unwrap();
            println!("HOLDING");
            std::thread::sleep(Duration::from_millis(ms.parse().unwrap()));
            drop(store);
        }
        "open" => match Store::open(rest) {
            Ok(_) => println!("OPENED"),
            Err(e) => println!("ERROR {e}"),
        },
        _ => panic!("unknown child mode {mode}"),
    }
}

fn child_command(spec: String, env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "store::tests::lock::child",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_ENV, spec)
    .env_remove("UNIT_STATE_LOCK_TIMEOUT")
    .envs(env.iter().copied())
    .stdout(Stdio::piped());
    cmd
}

/// Runs a child to completion; returns its stdout.
fn run_child(mode: &str, path: &Path, env: &[(&str, &str)]) -> String {
    let out = child_command(format!("{mode}:{}", path.display()), env)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A child process holding a store; killed when dropped, so a failing test
/// leaves no process behind.
struct Holder(Child);

impl Drop for Holder {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A child holding the store at `path` for `hold`; returns once it holds it.
fn holder(path: &Path, hold: Duration) -> Holder {
    let spec = format!("hold:{}:{}", hold.as_millis(), path.display());
    let mut child = Holder(child_command(spec, &[]).spawn().unwrap());
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    while let Some(line) = lines.next() {
        // The harness prints `test child ... ` on the same line.
        if line.unwrap().ends_with("HOLDING") {
            // Keep reading, so the child's last words do not meet a closed pipe.
            std::thread::spawn(move || lines.for_each(drop));
            return child;
        }
    }
    panic!("the holding child exited without holding the store");
}

#[test]
fn open_waits_for_the_lock_timeout_then_reports_locked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    let child = holder(&path, Duration::from_secs(60));

    let timeout = Duration::from_millis(400);
    let err = Store::open_with(&path, wait(timeout)).unwrap_err();
    drop(child);
    match &err {
        StoreError::Locked { path: p, waited } => {
            assert_eq!(p, &path);
            assert!(*waited >= timeout, "gave up after {waited:?}");
        }
        other => panic!("expected Locked, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("locked by another process"), "{msg}");

    // The holder is gone: the store opens, with what the holder committed.
    let store = Store::open_with(&path, wait(Duration::from_secs(30))).unwrap();
    assert!(store.flags().unwrap().contains_key("held"));
}

#[test]
fn open_succeeds_when_the_holder_exits_within_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    let mut child = holder(&path, Duration::from_millis(300));

    let store = Store::open_with(&path, wait(Duration::from_secs(30))).unwrap();
    let flags = store.flags().unwrap();
    assert_eq!(flags.get("held"), Some(&json!(child.0.id())));
    assert!(child.0.wait().unwrap().success());
}

#[test]
fn the_lock_timeout_comes_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.sled");
    let child = holder(&path, Duration::from_secs(60));
    let out = run_child("open", &path, &[("UNIT_STATE_LOCK_TIMEOUT", "0.2")]);
    drop(child);
    assert!(out.contains("ERROR unit state store"), "{out}");
    assert!(out.contains("is locked by another process"), "{out}");
}

#[test]
fn a_bad_lock_timeout_setting_is_refused() {
    let out = run_child(
        "open",
        Path::new("/nonexistent"),
        &[("UNIT_STATE_LOCK_TIMEOUT", "soon")],
    );
    assert!(
        out.contains("invalid UNIT_STATE_LOCK_TIMEOUT=\"soon\""),
        "{out}"
    );
}
