//! The calls a hook does without (`reactive_core::skips`), as Juju would
//! see them: the test charm as a process with stub hook tools, hook after
//! hook on one unit.

#[path = "support/unit.rs"]
mod unit;

use serde_json::json;
use unit::{ok, Unit};

fn counts(u: &Unit, tools: &[&str]) -> Vec<usize> {
    tools.iter().map(|t| u.count(t)).collect()
}

const READS: [&str; 3] = ["config-get", "leader-get", "is-leader"];

#[test]
fn reads_are_made_only_where_juju_can_have_changed_the_answer() {
    let u = Unit::new();
    ok(&u.hook("install"));
    assert_eq!(counts(&u, &READS), [1, 1, 1], "{:?}", u.calls());
    // worker/uniter/resolver.go runs config-changed before update-status
    // and the relation hooks, and only the leader writes leader settings:
    // the stored answers stand. A leader is still asked whether it leads.
    ok(&u.hook("update-status"));
    assert_eq!(counts(&u, &READS), [0, 0, 1], "{:?}", u.calls());
    assert_eq!(
        u.flags()["charm.port"],
        8080,
        "the charm read the stored config"
    );
    ok(&u.hook("website-relation-changed"));
    assert_eq!(counts(&u, &READS), [0, 0, 1], "{:?}", u.calls());
    // Deposed: leader-settings-changed reads the settings and the config.
    u.reply("is-leader", json!({"json": false}));
    ok(&u.hook("leader-settings-changed"));
    assert_eq!(counts(&u, &READS), [1, 1, 1], "{:?}", u.calls());
    assert!(u.flags().get("leadership.is_leader").is_none());
    // A unit that is not the leader becomes one only through
    // leader-elected: it is not asked until then.
    ok(&u.hook("update-status"));
    assert_eq!(counts(&u, &READS), [0, 0, 0], "{:?}", u.calls());
    u.reply("is-leader", json!({"json": true}));
    ok(&u.hook("leader-elected"));
    assert_eq!(counts(&u, &READS), [1, 1, 1], "{:?}", u.calls());
    assert_eq!(u.flags()["leadership.is_leader"], serde_json::Value::Null);
}

#[test]
fn a_status_juju_holds_is_not_sent_again_except_after_a_failed_hook() {
    let u = Unit::new();
    ok(&u.hook("install"));
    assert_eq!(u.count("status-set"), 1);
    ok(&u.hook("install"));
    assert_eq!(u.count("status-set"), 0, "{:?}", u.calls());
    // A hook that fails commits nothing: whatever it sent reached Juju, so
    // the next hook skips nothing, reads everything again.
    u.reply(
        "config-get",
        json!({"json": {"port": 8080, "fail": true, "panic": false}}),
    );
    assert!(!u.hook("config-changed").status.success());
    u.reply(
        "config-get",
        json!({"json": {"port": 8080, "fail": false, "panic": false}}),
    );
    ok(&u.hook("update-status"));
    assert_eq!(counts(&u, &READS), [1, 1, 1], "{:?}", u.calls());
    ok(&u.hook("install"));
    assert_eq!(u.count("status-set"), 1, "{:?}", u.calls());
    ok(&u.hook("install"));
    assert_eq!(u.count("status-set"), 0, "{:?}", u.calls());
}
