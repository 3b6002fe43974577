//! hookenv over the in-memory hook tools: config and relations. Reads are
//! made once per hook; writes are merged and sent once at its end.

use super::fixture::{count, ctx, model, s, with_env};
use crate::hookenv::{self, config, HookError};

#[test]
fn config_is_typed_and_read_once() {
    with_env(model(), ctx(), |env| {
        assert_eq!(config().get::<u16>("source_port").unwrap(), Some(9092));
        assert_eq!(config().get::<f64>("source_port").unwrap(), Some(9092.0));
        assert_eq!(
            config().get::<String>("name").unwrap().as_deref(),
            Some("k")
        );
        assert_eq!(config().get::<bool>("debug").unwrap(), Some(false));
        assert_eq!(config().get::<u16>("missing").unwrap(), None);
        let e = config().get::<u8>("source_port").unwrap_err();
        assert_eq!(
            e.to_string(),
            "config option `source_port`: expected u8, found 9092"
        );
        let e = config().get::<String>("ratio").unwrap_err();
        assert_eq!(
            e.to_string(),
            "config option `ratio`: expected String, found 0.5"
        );
        let e = config().require::<String>("missing").unwrap_err();
        assert!(
            matches!(e, HookError::ConfigMissing(ref o) if o == "missing"),
            "{e}"
        );
        assert_eq!(config().all().unwrap().len(), 4);
        assert_eq!(count(env, "config-get"), 1);
        assert_eq!(env.calls()[0].args, ["--all", "--format=json"]);
    });
}

#[test]
fn relation_ids_and_units_default_to_the_current_relation_and_are_cached() {
    with_env(model(), ctx(), |env| {
        assert_eq!(hookenv::relation_ids(None).unwrap(), ["kafka:3", "kafka:7"]);
        assert_eq!(
            hookenv::relation_ids(Some("kafka")).unwrap(),
            ["kafka:3", "kafka:7"]
        );
        assert!(hookenv::relation_ids(Some("db")).unwrap().is_empty());
        assert_eq!(count(env, "relation-ids"), 2);
        assert_eq!(
            hookenv::related_units(None).unwrap(),
            ["client/0", "client/1"]
        );
        assert_eq!(
            hookenv::related_units(Some("kafka:3")).unwrap(),
            ["client/0", "client/1"]
        );
        assert!(hookenv::related_units(Some("kafka:7")).unwrap().is_empty());
        assert_eq!(count(env, "relation-list"), 2);
    });
}

#[test]
fn departing_unit_is_no_longer_listed_but_still_readable() {
    let m = model();
    let mut c = ctx();
    c.hook_name = "kafka-relation-departed".into();
    c.remote_unit = Some("client/1".into());
    c.departing_unit = Some("client/1".into());
    with_env(m, c, |_| {
        assert_eq!(hookenv::departing_unit().as_deref(), Some("client/1"));
        assert_eq!(hookenv::related_units(None).unwrap(), ["client/0"]);
        assert_eq!(
            hookenv::relation_get("port", None, None)
                .unwrap()
                .as_deref(),
            Some("2")
        );
    });
}

#[test]
fn relation_get_reads_each_unit_once() {
    with_env(model(), ctx(), |env| {
        assert_eq!(
            hookenv::relation_get("port", None, None)
                .unwrap()
                .as_deref(),
            Some("1")
        );
        assert_eq!(
            hookenv::relation_get("host", None, None)
                .unwrap()
                .as_deref(),
            Some("a")
        );
        assert_eq!(hookenv::relation_get("nope", None, None).unwrap(), None);
        let all = hookenv::relation_get_all(Some("client/0"), Some("kafka:3")).unwrap();
        assert_eq!(all, s(&[("port", "1"), ("host", "a")]));
        assert_eq!(
            hookenv::relation_get("port", Some("client/1"), Some("kafka:3"))
                .unwrap()
                .as_deref(),
            Some("2")
        );
        assert_eq!(count(env, "relation-get"), 2);
        let first = &env.calls()[0];
        assert_eq!(
            first.args,
            ["--format=json", "-r", "kafka:3", "-", "client/0"]
        );
        assert_eq!(
            hookenv::relation_get("topic", Some("client"), None)
                .unwrap()
                .as_deref(),
            Some("t")
        );
        assert_eq!(
            hookenv::relation_get_all(Some("client"), Some("kafka:3"))
                .unwrap()
                .len(),
            1
        );
        assert_eq!(count(env, "relation-get"), 3);
    });
}

#[test]
fn relation_get_outside_a_relation_hook_needs_ids() {
    let mut c = ctx();
    c.hook_name = "config-changed".into();
    c.relation_id = None;
    c.relation_name = None;
    c.remote_unit = None;
    c.remote_app = None;
    with_env(model(), c, |_| {
        let e = hookenv::relation_get("port", None, None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "relation_get: no relation id given and hook `config-changed` has none"
        );
        let e = hookenv::relation_get("port", None, Some("kafka:3")).unwrap_err();
        assert!(e.to_string().contains("no remote unit given"), "{e}");
        assert!(hookenv::relation_ids(None).unwrap().is_empty());
        assert!(hookenv::related_units(None).is_err());
        // A unit not in the relation is refused, as Juju does.
        let e = hookenv::relation_get("port", Some("client/9"), Some("kafka:3")).unwrap_err();
        assert!(
            e.to_string()
                .contains("relation-get --format=json -r kafka:3 - client/9"),
            "{e}"
        );
    });
}

#[test]
fn relation_writes_are_merged_sent_once_per_relation_and_seen_by_own_reads() {
    let ((), tools) = with_env(model(), ctx(), |env| {
        hookenv::relation_set(None, [("port", 9092)]).unwrap();
        hookenv::relation_set(Some("kafka:3"), [("host", "h"), ("old", "")]).unwrap();
        hookenv::relation_set(Some("kafka:7"), [("port", "9092")]).unwrap();
        // Same value as the unit already holds: read first, so known.
        let own = hookenv::relation_get_all(Some("kafka/0"), None).unwrap();
        assert_eq!(
            own,
            s(&[
                ("private-address", "10.0.0.1"),
                ("port", "9092"),
                ("host", "h")
            ])
        );
        hookenv::relation_set(None, [("private-address", "10.0.0.1")]).unwrap();
        assert_eq!(
            count(env, "relation-set"),
            0,
            "writes wait for the end of the hook"
        );
        assert!(env.has_pending_writes());
        env.flush().unwrap();
        let sets: Vec<_> = env
            .calls()
            .into_iter()
            .filter(|c| c.tool == "relation-set")
            .collect();
        assert_eq!(sets.len(), 2);
        // The settings go as YAML on stdin (`relation-set.go`: `--file -`).
        assert_eq!(sets[0].args, ["-r", "kafka:3", "--file", "-"]);
        assert_eq!(sets[1].args, ["-r", "kafka:7", "--file", "-"]);
        assert!(!env.has_pending_writes());
        env.flush().unwrap();
        assert_eq!(
            count(env, "relation-set"),
            2,
            "a second flush sends nothing"
        );
    });
    let m = tools.outcome().state;
    assert_eq!(
        m.relation("kafka:3").unwrap().local_unit_data,
        s(&[
            ("private-address", "10.0.0.1"),
            ("port", "9092"),
            ("host", "h")
        ])
    );
}

#[test]
fn discarded_writes_are_never_sent() {
    let ((), tools) = with_env(model(), ctx(), |env| {
        hookenv::relation_set(None, [("port", 1)]).unwrap();
        hookenv::leader_set([("k", "v")]).unwrap();
        hookenv::open_port(80).unwrap();
        env.discard();
        env.flush().unwrap();
        assert!(env
            .calls()
            .iter()
            .all(|c| !["relation-set", "leader-set", "open-port"].contains(&c.tool.as_str())));
    });
    assert!(tools.outcome().state.opened_ports.is_empty());
}

#[test]
fn application_settings_need_leadership() {
    let mut m = model();
    m.leader = false;
    with_env(m, ctx(), |_| {
        let e = hookenv::relation_set_app(None, [("a", "b")]).unwrap_err();
        assert!(e.to_string().contains("not the leader"), "{e}");
    });
    let ((), tools) = with_env(model(), ctx(), |env| {
        hookenv::relation_set_app(None, [("a", "b")]).unwrap();
        assert_eq!(
            hookenv::relation_get("a", Some("kafka"), None)
                .unwrap()
                .as_deref(),
            Some("b")
        );
        env.flush().unwrap();
        let set = env
            .calls()
            .into_iter()
            .find(|c| c.tool == "relation-set")
            .unwrap();
        assert_eq!(set.args, ["--app", "-r", "kafka:3", "--file", "-"]);
    });
    assert_eq!(
        tools
            .outcome()
            .state
            .relation("kafka:3")
            .unwrap()
            .local_app_data,
        s(&[("a", "b")])
    );
}

#[test]
fn invalid_keys_are_refused() {
    with_env(model(), ctx(), |_| {
        for key in ["", "a=b", "a b"] {
            let e = hookenv::relation_set(None, [(key, "v")]).unwrap_err();
            assert!(
                e.to_string().starts_with("relation_set: invalid key"),
                "{e}"
            );
        }
    });
}
