//! The runtime as Juju runs it: the test charm as a process with stub hook
//! tools (see `support/unit.rs`). Checks where the hook name comes from,
//! exit codes, rollback on failure, and how many hook-tool calls a hook
//! makes.

#[path = "support/unit.rs"]
mod unit;

use std::os::unix::fs::symlink;

use serde_json::{json, Value};
use unit::{ok, text, Unit};

#[test]
fn hook_name_comes_from_dispatch_path_then_hook_name_then_argv0() {
    let u = Unit::new();
    let out = u
        .dispatch()
        .env("JUJU_DISPATCH_PATH", "hooks/install")
        .env("JUJU_HOOK_NAME", "start")
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(u.flags()["charm.last-hook"], "install");
    ok(&u
        .dispatch()
        .env("JUJU_HOOK_NAME", "start")
        .output()
        .unwrap());
    assert_eq!(u.flags()["charm.last-hook"], "start");
    symlink(
        u.charm.join("dispatch"),
        u.charm.join("hooks/update-status"),
    )
    .unwrap();
    ok(&u
        .command(&u.charm.join("hooks/update-status"))
        .output()
        .unwrap());
    assert_eq!(u.flags()["charm.last-hook"], "update-status");
}

#[test]
fn run_by_hand_without_a_hook_prints_usage_and_fails() {
    let u = Unit::new();
    let out = u.dispatch().env_remove("JUJU_UNIT_NAME").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("\"dispatch\" is not a hook"), "{err}");
    assert!(
        err.contains("Usage:") && err.contains("is-flag-set"),
        "{err}"
    );
    assert!(u.calls().is_empty());
}

#[test]
fn a_hook_reads_each_thing_once_and_writes_once_per_relation() {
    let u = Unit::new();
    ok(&u.hook("install"));
    for (tool, n) in [
        ("config-get", 1),
        ("is-leader", 1),
        ("leader-get", 1),
        ("relation-ids", 1),
        ("relation-list", 2),
        // One per remote unit, and this unit's own settings once per
        // relation id it writes, compared before sending.
        ("relation-get", 5),
        ("relation-set", 2),
        // Ports are compared with Juju's before they are sent.
        ("opened-ports", 1),
        ("open-port", 1),
        ("status-set", 1),
        ("leader-set", 0),
    ] {
        assert_eq!(u.count(tool), n, "calls to {tool}: {:?}", u.calls());
    }
    assert_eq!(
        u.args_of("relation-set"),
        [
            ["-r", "website:1", "--file", "-"],
            ["-r", "website:2", "--file", "-"],
        ]
    );
    let settings = json!({"leader": "true", "port": "8080"});
    assert_eq!(u.stdin_of("relation-set"), [settings.clone(), settings]);
    assert_eq!(u.args_of("open-port"), [["8080/tcp"]]);
    let logs: Vec<String> = u
        .args_of("juju-log")
        .into_iter()
        .map(|a| a.join(" "))
        .collect();
    assert!(
        logs.iter()
            .any(|l| l.starts_with("-l INFO -- Invoking reactive handler: ")
                && l.ends_with(":publish")),
        "{logs:?}"
    );
    // The stored trace records exactly the calls the stub saw.
    let out = u.cli(&["trace", "--json"]);
    ok(&out);
    let trace: Value = serde_json::from_slice(&out.stdout).unwrap();
    let recorded: Vec<(String, Vec<String>)> = trace["tool_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["tool"].as_str().unwrap().into(),
                c["args"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().into())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(recorded, u.calls());
    let flags = u.flags();
    assert_eq!(flags["charm.installed"], Value::Null);
    assert_eq!(flags["charm.port"], 8080);
    assert!(
        flags
            .as_object()
            .unwrap()
            .keys()
            .all(|k| !k.starts_with("config.")),
        "{flags}"
    );
}

#[test]
fn a_failed_hook_commits_nothing_sends_no_write_and_exits_non_zero() {
    let u = Unit::new();
    ok(&u.hook("install"));
    let before = u.flags();
    u.reply("config-get", json!({"json": {"port": 9999, "fail": true}}));
    let out = u.hook("config-changed");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("hook config-changed failed: handler ")
            && err.contains(":fail failed\n  caused by: configured to fail"),
        "{err}"
    );
    assert_eq!(u.count("relation-set"), 0, "{:?}", u.calls());
    assert_eq!(u.count("open-port"), 0);
    let errors: Vec<Vec<String>> = u
        .args_of("juju-log")
        .into_iter()
        .filter(|a| a[1] == "ERROR")
        .collect();
    assert_eq!(errors.len(), 1);
    assert!(errors[0][3].contains("configured to fail"), "{errors:?}");
    assert_eq!(
        u.flags(),
        before,
        "flags are those of the last successful hook"
    );
    // The retry, once fixed, sees the config change again.
    u.reply("config-get", json!({"json": {"port": 9999}}));
    ok(&u.hook("config-changed"));
    assert_eq!(u.flags()["charm.port"], 9999);
    assert_eq!(u.args_of("open-port"), [["9999/tcp"]]);
}

#[test]
fn a_panic_fails_the_hook() {
    let u = Unit::new();
    u.reply("config-get", json!({"json": {"panic": true}}));
    let out = u.hook("install");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(":explode failed\n  caused by: panicked: configured to panic"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(u.flags(), json!({}));
}

#[test]
fn a_failing_hook_tool_is_reported_with_its_arguments_and_stderr() {
    let u = Unit::new();
    u.reply(
        "relation-ids --format=json website",
        json!({"stderr": "ERROR permission denied\n", "exit": 1}),
    );
    let out = u.hook("install");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("hook tool `relation-ids --format=json website` failed (exit status 1): ERROR permission denied"),
        "{err}"
    );
}

#[test]
fn unparseable_tool_output_is_reported() {
    let u = Unit::new();
    u.reply("is-leader", json!({"stdout": "perhaps\n"}));
    let out = u.hook("install");
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "hook tool `is-leader --format=json` printed output that is not true or false"
        ),
        "{err}"
    );
}

#[test]
fn iteration_bound_from_the_environment() {
    let u = Unit::new();
    let out = u
        .dispatch()
        .env("JUJU_DISPATCH_PATH", "hooks/install")
        .env("REACTIVE_MAX_ITERATIONS", "0")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("dispatch did not settle within 0 iterations"),
        "{}",
        text(&out.stderr)
    );
    let out = u
        .dispatch()
        .env("JUJU_DISPATCH_PATH", "hooks/install")
        .env("REACTIVE_MAX_ITERATIONS", "many")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("REACTIVE_MAX_ITERATIONS=\"many\": expected a number"),
        "{}",
        text(&out.stderr)
    );
}

/// Juju filters juju-log lines by the model's `logging-config`, which a
/// hook cannot read: DEBUG lines are sent; `REACTIVE_LOG_LEVEL` (tests,
/// the unit CLI) bounds them.
#[test]
fn debug_lines_are_sent_unless_bounded() {
    let u = Unit::new();
    ok(&u.hook("update-status"));
    assert!(
        u.args_of("juju-log")
            .iter()
            .any(|a| a[1..] == ["DEBUG", "--", "debug line from the charm"]),
        "{:?}",
        u.args_of("juju-log")
    );
    u.clear_calls();
    ok(&u
        .dispatch()
        .env("JUJU_DISPATCH_PATH", "hooks/update-status")
        .env("REACTIVE_LOG_LEVEL", "info")
        .output()
        .unwrap());
    assert!(u.args_of("juju-log").iter().all(|a| a[1] != "DEBUG"));
}

#[test]
fn restricted_hooks_call_no_tool_but_juju_log() {
    let u = Unit::new();
    ok(&u.hook("collect-metrics"));
    assert!(
        u.calls().iter().all(|(t, _)| t == "juju-log"),
        "{:?}",
        u.calls()
    );
    assert_eq!(u.flags(), json!({"charm.metrics": null}));
}
