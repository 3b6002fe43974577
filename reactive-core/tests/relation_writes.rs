//! Relation writes converge on what the charm intends: at the end of a
//! hook each relation id gets only the keys whose value differs from this
//! unit's (or application's) settings as Juju holds them, read once per
//! relation id. A charm writing the same settings in every hook sends
//! nothing; settings a crash made Juju drop (a hook killed after the
//! store's commit, before it exited) are sent again by the next hook that
//! writes them, whatever the store remembers. The same with a real signal
//! in `juju-sim`: `kafka-examples/tests/kafka_convergence.rs`.

use reactive_core::prelude::*;
use reactive_core::testing::{Hook, Outcome, Relation, State};

const META: &str = "name: web
provides:
  website: {interface: http}
";

/// What the charm intends on every relation id of `website`, in every
/// hook: its port and hostname, and no `stale` key. The application's
/// settings too, on the leader.
#[hook("update-status", "website-relation-joined", "config-changed")]
fn publish() -> reactive_core::Result {
    let port: u16 = config().require("port")?;
    for rid in hookenv::relation_ids(Some("website"))? {
        hookenv::relation_set(
            Some(&rid),
            [
                ("port", port.to_string()),
                ("hostname", "web-0".into()),
                ("stale", String::new()),
            ],
        )?;
        if hookenv::is_leader()? {
            hookenv::relation_set_app(Some(&rid), [("url", format!("http://web:{port}"))])?;
        }
    }
    set_flag("web.published");
    Ok(())
}

fn web() -> State {
    State::default()
        .with_file("metadata.yaml", META)
        .with_leader(true)
        .with_file(
            "config.yaml",
            "options:\n  port: {type: int, default: 80}\n",
        )
        .with_relation(Relation::new("website", 1, "proxy").with_unit("proxy/0", [("a", "1")]))
        .with_relation(Relation::new("website", 2, "cache").with_unit("cache/0", [("a", "1")]))
}

fn fire(state: &State, hook: Hook) -> Outcome {
    let out = state.run_in(module_path!(), hook);
    assert_eq!(out.error_message(), None);
    out
}

fn calls(out: &Outcome, tool: &str) -> Vec<String> {
    out.tool_calls
        .iter()
        .filter(|c| c.tool == tool)
        .map(|c| {
            let mut words = c.args.clone();
            words.extend(c.input.as_deref().map(str::to_string));
            words.join(" ")
        })
        .collect()
}

#[test]
fn the_same_settings_are_sent_once_then_never_again() {
    let first = fire(
        &web(),
        Hook::relation("joined", "website:1", Some("proxy/0")),
    );
    assert_eq!(
        calls(&first, "relation-set"),
        [
            "-r website:1 --file - hostname=web-0 port=80",
            "--app -r website:1 --file - url=http://web:80",
            "-r website:2 --file - hostname=web-0 port=80",
            "--app -r website:2 --file - url=http://web:80",
        ],
        "a key already absent is not deleted"
    );
    // Every later hook writes the same: one read of this unit's and this
    // application's settings per relation id, no write.
    let mut state = first.state;
    for hook in ["update-status", "config-changed", "update-status"] {
        let out = fire(&state, Hook::new(hook));
        assert_eq!(out.calls_to("relation-set"), 0, "{hook}");
        assert_eq!(
            calls(&out, "relation-get"),
            [
                "--format=json -r website:1 - web/0",
                "--format=json --app -r website:1 - web",
                "--format=json -r website:2 - web/0",
                "--format=json --app -r website:2 - web",
            ],
            "{hook}"
        );
        state = out.state;
    }
    // A change sends only the key that differs.
    let out = fire(&state.with_config("port", 81), Hook::new("config-changed"));
    assert_eq!(
        calls(&out, "relation-set"),
        [
            "-r website:1 --file - port=81",
            "--app -r website:1 --file - url=http://web:81",
            "-r website:2 --file - port=81",
            "--app -r website:2 --file - url=http://web:81",
        ]
    );
}

#[test]
fn settings_juju_dropped_after_a_crash_are_sent_again() {
    let sent = fire(
        &web(),
        Hook::relation("joined", "website:1", Some("proxy/0")),
    )
    .state;
    assert!(sent.is_flag_set("web.published"));
    // The hook was killed after the store's commit: the store keeps its
    // flags, Juju dropped its relation writes and still holds an old key.
    let mut crashed = sent.clone();
    for r in &mut crashed.relations {
        r.local_unit_data.clear();
        r.local_unit_data.insert("stale".into(), "yes".into());
        r.local_app_data.clear();
    }
    let out = fire(
        &crashed,
        Hook::relation("joined", "website:1", Some("proxy/0")),
    );
    assert_eq!(
        calls(&out, "relation-set"),
        [
            "-r website:1 --file - hostname=web-0 port=80 stale=",
            "--app -r website:1 --file - url=http://web:80",
            "-r website:2 --file - hostname=web-0 port=80 stale=",
            "--app -r website:2 --file - url=http://web:80",
        ]
    );
    for rid in ["website:1", "website:2"] {
        let r = out.state.relation(rid).unwrap();
        assert_eq!(r.local_unit_data["port"], "80");
        assert!(!r.local_unit_data.contains_key("stale"));
        assert_eq!(r.local_app_data["url"], "http://web:80");
    }
}

#[test]
fn a_follower_compares_its_unit_settings_only() {
    let out = fire(
        &web().with_leader(false),
        Hook::relation("joined", "website:1", Some("proxy/0")),
    );
    assert_eq!(
        calls(&out, "relation-set"),
        [
            "-r website:1 --file - hostname=web-0 port=80",
            "-r website:2 --file - hostname=web-0 port=80",
        ]
    );
    assert!(calls(&out, "relation-get")
        .iter()
        .all(|c| !c.contains("--app")));
}

/// Opens the port it wants in every hook, remembering nothing.
#[hook("install", "start")]
fn open_wanted_port() -> reactive_core::Result {
    hookenv::open_port(8080)?;
    Ok(())
}

#[test]
fn ports_converge_on_juju_s_view_too() {
    let first = fire(&web(), Hook::new("install"));
    assert_eq!(calls(&first, "open-port"), ["8080/tcp"]);
    let again = fire(&first.state, Hook::new("start"));
    assert_eq!(again.calls_to("open-port"), 0);
    assert_eq!(again.calls_to("opened-ports"), 1);
    // Juju dropped the port (a crash after the commit): opened again.
    let mut crashed = first.state.clone();
    crashed.opened_ports.clear();
    let out = fire(&crashed, Hook::new("start"));
    assert_eq!(calls(&out, "open-port"), ["8080/tcp"]);
}
