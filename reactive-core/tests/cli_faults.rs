//! The charm's command line under faults, as shell scripts meet them:
//! `is-flag-set` tells "not set" (1) from an error (2) whatever the error
//! (a bad name, a store locked by a running hook, a read-only filesystem),
//! and a closed or full standard output ends every command without a
//! panic.

#[path = "support/tmpfs.rs"]
mod tmpfs;
#[path = "support/unit.rs"]
mod unit;

use std::process::{Command, Output, Stdio};

use reactive_core::__private::Store;
use tmpfs::Tmpfs;
use unit::{ok, text, Unit};

fn is_flag_set(u: &Unit, flag: &str, db: Option<&std::path::Path>) -> Output {
    let mut c = u.dispatch();
    c.args(["is-flag-set", flag])
        .env("UNIT_STATE_LOCK_TIMEOUT", "0.3");
    if let Some(db) = db {
        c.env("UNIT_STATE_DB", db);
    }
    c.output().unwrap()
}

fn code_and_error(out: &Output) -> (Option<i32>, String) {
    (out.status.code(), text(&out.stderr))
}

#[test]
fn is_flag_set_exits_2_on_any_error() {
    let u = Unit::new();
    ok(&u.hook("install"));
    assert_eq!(
        is_flag_set(&u, "charm.installed", None).status.code(),
        Some(0)
    );
    assert_eq!(is_flag_set(&u, "charm.nope", None).status.code(), Some(1));

    let (code, err) = code_and_error(&is_flag_set(&u, "two words", None));
    assert_eq!(code, Some(2), "a name that can never be set: {err}");
    assert!(err.contains("invalid flag name"), "{err}");

    // A hook holding the store (here: this process) for longer than the
    // lock timeout.
    let held = Store::open(u.charm.join(".unit-state.sled")).unwrap();
    let (code, err) = code_and_error(&is_flag_set(&u, "charm.installed", None));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("error: "), "{err}");
    drop(held);

    // A real read-only filesystem under the store.
    let fs = Tmpfs::mount(4096);
    let db = fs.path("state.sled");
    let hook = u
        .dispatch()
        .env("JUJU_DISPATCH_PATH", "hooks/install")
        .env("UNIT_STATE_DB", &db)
        .output()
        .unwrap();
    ok(&hook);
    assert_eq!(
        is_flag_set(&u, "charm.installed", Some(&db)).status.code(),
        Some(0)
    );
    remount(&fs, "ro");
    let (code, err) = code_and_error(&is_flag_set(&u, "charm.installed", Some(&db)));
    remount(&fs, "rw");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains(&db.display().to_string()),
        "names the store: {err}"
    );
}

fn remount(fs: &Tmpfs, how: &str) {
    let out = Command::new("mount")
        .args(["-o", &format!("remount,{how}")])
        .arg(fs.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Every command of the charm's command line, with arguments.
fn every_command() -> Vec<Vec<&'static str>> {
    vec![
        vec!["flags"],
        vec!["is-flag-set", "charm.installed"],
        vec!["set-flag", "ops.note"],
        vec!["clear-flag", "ops.note"],
        vec!["trace"],
        vec!["trace", "--json"],
        vec!["handlers"],
        vec!["handlers", "--json"],
        vec!["handlers", "--unreachable"],
        // Writes a file, and nothing on standard output.
        vec!["snapshot", "snapshot.json"],
        vec!["graph"],
        vec!["graph", "--mermaid"],
        vec!["--help"],
    ]
}

#[test]
fn the_command_list_is_complete() {
    let out = Unit::new().cli(&["--help"]);
    let help = text(&out.stdout);
    let listed: Vec<&str> = help
        .split("Commands:\n")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    let tested: Vec<&str> = every_command().iter().map(|c| c[0]).collect();
    for c in &listed {
        assert!(tested.contains(c), "{c} is not tried below: {help}");
    }
}

#[test]
fn a_closed_or_full_stdout_ends_every_command_quietly() {
    let u = Unit::new();
    ok(&u.hook("install"));
    for args in every_command() {
        // A reader that went away before the first byte.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut c = u.dispatch();
        c.args(&args)
            .env("RUST_BACKTRACE", "1")
            .stdout(Stdio::from(writer));
        let closed = c.output().unwrap();
        let err = text(&closed.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?} quietly: {err}");
        assert_eq!(closed.status.code(), Some(0), "{args:?}");

        let full = u
            .dispatch()
            .args(&args)
            .env("RUST_BACKTRACE", "1")
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        let err = text(&full.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        if args[0] == "is-flag-set" || args[0].ends_with("-flag") || args[0] == "snapshot" {
            // Nothing to print.
            assert_eq!(full.status.code(), Some(0), "{args:?}: {err}");
        } else if args[0] == "--help" {
            // clap's own output: its error is ignored, not a panic.
            assert!(err.is_empty(), "{err}");
        } else {
            assert_eq!(full.status.code(), Some(1), "{args:?}");
            assert_eq!(
                err.trim_end(),
                "error: writing standard output: No space left on device (os error 28)",
                "{args:?}"
            );
        }
    }
}
