//! The charm's command line, run as a process on a unit (see
//! `support/unit.rs`): flags, is-flag-set, set-flag, clear-flag, trace,
//! handlers (and the unreachable flags), graph, snapshot.

#[path = "support/unit.rs"]
mod unit;

use reactive_core::testing::{Hook, State};
use serde_json::{json, Value};
use unit::{ok, text, Unit};

#[test]
fn flag_subcommands() {
    let u = Unit::new();
    assert_eq!(u.flags(), json!({}));
    ok(&u.hook("install"));
    assert_eq!(
        u.cli(&["is-flag-set", "charm.installed"]).status.code(),
        Some(0)
    );
    assert_eq!(u.cli(&["is-flag-set", "charm.nope"]).status.code(), Some(1));
    ok(&u.cli(&["set-flag", "ops.note", r#"{"by": "operator"}"#]));
    ok(&u.cli(&["set-flag", "ops.plain"]));
    let flags = u.flags();
    assert_eq!(flags["ops.note"], json!({"by": "operator"}));
    assert_eq!(flags["ops.plain"], Value::Null);
    ok(&u.cli(&["clear-flag", "ops.plain"]));
    assert_eq!(u.cli(&["is-flag-set", "ops.plain"]).status.code(), Some(1));
    let out = u.cli(&["set-flag", "ops.bad", "{not json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("value of flag \"ops.bad\" is not JSON"),
        "{}",
        text(&out.stderr)
    );
    let out = u.cli(&["set-flag", "two words"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("invalid flag name"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(u.cli(&["no-such-command"]).status.code(), Some(2));
    // The exact form the offline Juju reads: one JSON object, sorted keys.
    let out = u.cli(&["flags"]);
    let printed = text(&out.stdout);
    let keys: Vec<&str> = printed
        .lines()
        .filter_map(|l| l.strip_prefix("  \""))
        .filter_map(|l| l.split_once("\":").map(|(k, _)| k))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys.len(), u.flags().as_object().unwrap().len());
    assert!(
        printed.starts_with('{') && printed.ends_with("}\n"),
        "{printed}"
    );
}

#[test]
fn trace_handlers_and_graph_subcommands() {
    let u = Unit::new();
    let out = u.cli(&["trace"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no dispatch has been recorded yet"));
    ok(&u.hook("install"));
    let out = u.cli(&["trace"]);
    ok(&out);
    let t = text(&out.stdout);
    assert!(t.starts_with("hook install\n"), "{t}");
    assert!(
        t.contains("hooks phase: 1 queued") && t.contains(":installed: +charm.installed"),
        "{t}"
    );
    assert!(t.contains("hook-tool calls: "), "{t}");

    let out = u.cli(&["handlers"]);
    ok(&out);
    let h = text(&out.stdout);
    assert!(h.contains(":installed\n    hook(install)"), "{h}");
    assert!(
        h.contains(":fail\n    when_all(config.set.fail, charm.installed)"),
        "{h}"
    );
    let out = u.cli(&["handlers", "--json"]);
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 8);

    let out = u.cli(&["graph"]);
    ok(&out);
    let g = text(&out.stdout);
    assert!(g.starts_with("digraph reactive {"), "{g}");
    assert!(g.contains("[shape=diamond, label=\"install\"]"), "{g}");
    assert!(g.contains("[label=\"when_not\", style=dashed]"), "{g}");
    let out = u.cli(&["graph", "--mermaid"]);
    ok(&out);
    let m = text(&out.stdout);
    assert!(
        m.starts_with("flowchart LR\n") && m.contains("-->|when|"),
        "{m}"
    );
}

#[test]
fn unreachable_lists_flags_nothing_sets() {
    let u = Unit::new();
    let out = u.cli(&["handlers", "--unreachable"]);
    ok(&out);
    let t = text(&out.stdout);
    // `charm.installed` is set by a handler, `config.*` by the engine.
    assert!(t.starts_with("charm.orphan\n    waited for by "), "{t}");
    assert!(t.ends_with("test_charm.rs:64:orphan\n"), "{t}");
    assert_eq!(t.lines().count(), 2, "{t}");
}

#[test]
fn a_snapshot_loads_as_a_harness_state() {
    let u = Unit::new();
    ok(&u.hook("install"));
    let file = u.charm.join("unit.snapshot.json");
    ok(&u.cli(&["snapshot", file.to_str().unwrap()]));
    let state = State::from_snapshot(&file).unwrap();
    assert_eq!(state.unit_name.as_deref(), Some("test-charm/0"));
    assert!(state.is_flag_set("charm.installed"));
    assert_eq!(state.flags["charm.last-hook"], "install");
    assert!(state.leader);
    assert_eq!(state.config["port"], 8080);
    let rel = state.relation("website:1").unwrap();
    assert_eq!(rel.remote_app, "proxy");
    assert_eq!(rel.remote_units["proxy/1"]["hostname"], "h");
    assert_eq!(state.relation("website:2").unwrap().remote_app, "cache");
    // A state Juju could produce: the harness accepts it as it is.
    assert_eq!(
        state.check(&Hook::relation("changed", "website:2", Some("cache/0"))),
        Ok(())
    );
}
