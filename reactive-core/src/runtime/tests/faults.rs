//! The store against real faults: a full filesystem (a small tmpfs mounted
//! by the test), and the leftovers of a snapshot write that was killed or
//! ran out of space (`snap.*.generating`, empty or truncated). Each time
//! the store must open with the last committed state, and a commit that
//! cannot be written must fail within seconds, naming the path and the
//! cause.

// The process-level tests' helpers: a small filesystem, and a unit whose
// charm is the test charm.
#[allow(unreachable_pub)]
#[path = "../../../tests/support/tmpfs.rs"]
mod tmpfs;
#[allow(unreachable_pub)]
#[path = "../../../tests/support/unit.rs"]
mod unit;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::generations;
use crate::dispatch::DispatchOptions;
use crate::flags::set_flag_value;
use crate::handler::{HandlerDef, Predicate};
use crate::registry::Registry;
use crate::session::Session;
use crate::store::{OpenOptions, Store};
use serde_json::{json, Value};
use tmpfs::Tmpfs;
use unit::{default_replies, ok, text, Unit};

/// Far more than a failed commit may take; a hook still running then hangs.
const HANG: Duration = Duration::from_secs(20);

/// Runs `cmd`, killing it and failing the test if it outlives [`HANG`].
fn run_bounded(cmd: &mut Command, what: &str) -> Output {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} still running after {HANG:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().expect("output")
}

fn hook(u: &Unit, fs: &Tmpfs, name: &str) -> Output {
    u.clear_calls();
    run_bounded(
        u.dispatch()
            .env("UNIT_STATE_DB", fs.path("state"))
            .env("JUJU_DISPATCH_PATH", format!("hooks/{name}")),
        name,
    )
}

fn flags(u: &Unit, fs: &Tmpfs) -> Result<Value, String> {
    let out = run_bounded(
        u.dispatch()
            .env("UNIT_STATE_DB", fs.path("state"))
            .arg("flags"),
        "flags",
    );
    if out.status.success() {
        serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())
    } else {
        Err(text(&out.stderr))
    }
}

/// The stub's replies with `note` as a config option (the store keeps the
/// last config: over ~32 KiB it is a sled blob).
fn config_of(note: &str) -> Value {
    let mut r = default_replies();
    r["config-get"]["json"]["note"] = json!(note);
    r
}

/// The `note` of the config the last successful hook committed.
fn committed_note(fs: &Tmpfs) -> Option<String> {
    open_note(fs).unwrap_or_else(|e| panic!("the store does not open: {e}"))
}

/// [`committed_note`], or why the store does not open, with its causes.
fn open_note(fs: &Tmpfs) -> Result<Option<String>, String> {
    let store = Store::open_with(fs.path("state"), OpenOptions::default())
        .map_err(|e| crate::error_chain(&e))?;
    let config = store
        .kv_get("reactive.config.previous")
        .expect("reading the stored config");
    Ok(config.and_then(|c| c["note"].as_str().map(str::to_string)))
}

/// Checks a hook that failed on the full disk: promptly, exit 1, with a
/// message naming the store and the cause.
fn assert_failed_for_space(fs: &Tmpfs, out: &Output, took: Duration) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let store = fs.path("state");
    assert!(
        err.contains(&store.display().to_string()),
        "the message names the store: {err}"
    );
    assert!(
        err.contains("No space left on device"),
        "the message names the cause: {err}"
    );
}

/// Hooks run on a full disk, each committing a new config `note` of
/// `note_len` bytes, until one fails (a commit can succeed while it fits
/// in pages sled's files already have). The failure is prompt and says
/// where and why; after space is freed the store holds the last committed
/// state and the next hook runs from it. Over ~32 KiB a note takes sled's
/// blob path, which used to hang for ever in sled's flush.
fn full_disk_during_hooks(note_len: usize) -> usize {
    let fs = Tmpfs::mount(1024);
    let u = Unit::new();
    ok(&hook(&u, &fs, "install"));
    fs.fill();
    let mut committed = committed_note(&fs);
    for i in 0..200 {
        let note = format!("{i:04}{}", "n".repeat(note_len));
        u.replies(&config_of(&note));
        let start = Instant::now();
        let out = hook(&u, &fs, "config-changed");
        let took = start.elapsed();
        if out.status.success() {
            committed = Some(note);
            continue;
        }
        assert_failed_for_space(&fs, &out, took);
        println!(
            "hook {i} on the full disk failed in {took:?}: {}",
            text(&out.stderr).trim()
        );
        // Still full: opening for reading works.
        assert_eq!(committed_note(&fs), committed, "after a failed commit");
        fs.free();
        assert_eq!(committed_note(&fs), committed, "after freeing space");
        ok(&hook(&u, &fs, "config-changed"));
        assert_eq!(committed_note(&fs).as_ref(), Some(&note));
        let flags = flags(&u, &fs).expect("flags after freeing space");
        assert_eq!(flags["charm.last-hook"], "config-changed");
        return i;
    }
    panic!("200 hooks committed on a full disk");
}

/// The disk runs out at a different point of each hook: filled but for a
/// random 0-64 KiB, with a config note of random size (a third of them
/// sled blobs), so that space ends in the blob, in the log write, in the
/// flush or not at all. Each hook commits or fails promptly saying why;
/// the store opens on the full disk and after freeing it, always with the
/// last committed note. `STORE_FAULT_SEED` replays a run.
#[test]
fn a_disk_running_out_at_any_point_never_loses_the_last_commit() {
    let (mut rng, seed) = generations::Rng::from_env("STORE_FAULT_SEED");
    let fs = Tmpfs::mount(2048);
    let u = Unit::new();
    ok(&hook(&u, &fs, "install"));
    let mut committed = committed_note(&fs);
    let (mut failed, mut succeeded) = (0, 0);
    for i in 0..40 {
        let len = if rng.below(3) == 0 {
            33_000 + rng.below(20_000)
        } else {
            rng.below(8_000)
        };
        let note = format!("{i:04}{}", "n".repeat(len as usize));
        u.replies(&config_of(&note));
        fs.fill_leaving(rng.below(64) * 1024);
        let start = Instant::now();
        let out = hook(&u, &fs, "config-changed");
        let took = start.elapsed();
        let context = format!("hook {i} (STORE_FAULT_SEED={seed})");
        if out.status.success() {
            committed = Some(note);
            succeeded += 1;
        } else {
            assert_failed_for_space(&fs, &out, took);
            failed += 1;
        }
        match open_note(&fs) {
            Ok(note) => assert_eq!(note, committed, "{context}, disk full"),
            // sled sometimes needs a few bytes to open (ENOSPC); what
            // it must never do is lose the last commit, checked next.
            Err(e) => assert!(
                e.contains("No space left on device"),
                "{context}, disk full: {e}"
            ),
        }
        fs.free();
        assert_eq!(committed_note(&fs), committed, "{context}, space freed");
    }
    println!(
        "disk running out: {succeeded} hooks committed, {failed} failed for space \
         (STORE_FAULT_SEED={seed}); the store always opened with the last commit"
    );
    assert!(
        failed > 0,
        "no hook ran out of space (STORE_FAULT_SEED={seed})"
    );
}

#[test]
fn a_commit_on_a_full_disk_fails_and_the_next_hook_starts_from_the_last_commit() {
    full_disk_during_hooks(100);
}

#[test]
fn a_large_value_on_a_full_disk_fails_instead_of_hanging() {
    assert_eq!(
        full_disk_during_hooks(40_000),
        0,
        "the first blob needs space"
    );
}

/// Commits the flag `generation` with value `n` to the store at `path`,
/// through a dispatch as a hook does.
fn commit_generation(path: &Path, n: u64) {
    let store = Store::open_with(path, OpenOptions::default()).expect("open");
    let set = HandlerDef::new(
        "faults.rs",
        1,
        "set_generation",
        vec![Predicate::Hook(vec![generations::HOOK.into()])],
        move |_| {
            set_flag_value("generation", &n);
            Ok(())
        },
    );
    let registry = Registry::new(vec![set], None).expect("registry");
    let mut session = Session::begin(store, generations::HOOK).expect("session");
    crate::dispatch::run(&registry, &mut session, &DispatchOptions::default())
        .result
        .expect("dispatch");
    session.commit().expect("commit");
}

fn generation_of(path: &Path) -> Result<Value, String> {
    let store = Store::open_with(path, OpenOptions::default()).map_err(|e| e.to_string())?;
    let flags = store.flags().map_err(|e| e.to_string())?;
    Ok(flags.get("generation").cloned().unwrap_or(Value::Null))
}

/// The store's snapshot files, committed (`snap.<lsn>`) and unfinished.
fn snapshots(path: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(path)
        .expect("store directory")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("snap."))
        .collect();
    names.sort();
    names
}

/// What a snapshot write killed or out of space leaves: `snap.<lsn>
/// .generating` with a later LSN than the committed snapshot, holding
/// `bytes`. sled 0.34.7 took it for the latest snapshot and reported the
/// store corrupt on every open from then on.
fn plant_unfinished_snapshot(path: &Path, bytes: &[u8]) -> String {
    let name = "snap.00000000FFFFFFFF.generating".to_string();
    std::fs::write(path.join(&name), bytes).expect("planting");
    name
}

fn a_planted_unfinished_snapshot_is_skipped_and_removed(truncated: bool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("state");
    commit_generation(&path, 1);
    // The open after a commit writes a snapshot.
    assert_eq!(generation_of(&path).expect("reopen"), json!(1));
    let committed = snapshots(&path);
    assert_eq!(committed.len(), 1, "{committed:?}");
    let bytes = if truncated {
        let whole = std::fs::read(path.join(&committed[0])).expect("snapshot");
        whole[..whole.len() / 2].to_vec()
    } else {
        vec![]
    };
    let planted = plant_unfinished_snapshot(&path, &bytes);
    assert_eq!(generation_of(&path).expect("open"), json!(1));
    assert!(!snapshots(&path).contains(&planted), "{planted} is removed");
    commit_generation(&path, 2);
    assert_eq!(generation_of(&path).expect("open"), json!(2));
    assert_eq!(generation_of(&path).expect("open twice"), json!(2));
}

#[test]
fn an_empty_unfinished_snapshot_is_skipped_and_removed() {
    a_planted_unfinished_snapshot_is_skipped_and_removed(false);
}

#[test]
fn a_truncated_unfinished_snapshot_is_skipped_and_removed() {
    a_planted_unfinished_snapshot_is_skipped_and_removed(true);
}

/// The open after a commit writes a snapshot; on a full disk it cannot.
/// The store opens all the same, leaves no partial snapshot, and after
/// space is freed the next open writes one.
#[test]
fn a_snapshot_that_does_not_fit_leaves_the_store_readable() {
    let fs = Tmpfs::mount(1024);
    let path = fs.path("state");
    commit_generation(&path, 1);
    let before = snapshots(&path);
    fs.fill();
    assert_eq!(generation_of(&path).expect("open on a full disk"), json!(1));
    assert_eq!(snapshots(&path), before, "no partial snapshot left");
    assert_eq!(generation_of(&path).expect("open again"), json!(1));
    fs.free();
    assert_eq!(generation_of(&path).expect("open after freeing"), json!(1));
    assert_ne!(snapshots(&path), before, "a new snapshot is written");
    commit_generation(&path, 2);
    assert_eq!(generation_of(&path).expect("open"), json!(2));
}
