//! Every hookenv function over the in-memory hook tools: what it returns,
//! which hook-tool calls it makes (reads once per hook, writes merged and
//! sent once at the end), and its errors.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;

use reactive_core::hookenv::{
    self, config, HookContext, HookEnv, HookError, HookSource, LogLevel, MemoryTools, Model,
    NetworkInfo, Port, RelationModel, Settings, WorkloadState,
};
use serde_json::json;

fn s(pairs: &[(&str, &str)]) -> Settings {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn model() -> Model {
    let mut relations = BTreeMap::new();
    relations.insert(
        "kafka:3".to_string(),
        RelationModel {
            name: "kafka".into(),
            remote_app: "client".into(),
            units: BTreeMap::from([
                ("client/0".to_string(), s(&[("port", "1"), ("host", "a")])),
                ("client/1".to_string(), s(&[("port", "2")])),
            ]),
            remote_app_data: s(&[("topic", "t")]),
            local_unit_data: s(&[("private-address", "10.0.0.1"), ("old", "x")]),
            local_app_data: Settings::new(),
        },
    );
    relations.insert(
        "kafka:7".to_string(),
        RelationModel {
            name: "kafka".into(),
            remote_app: "other".into(),
            ..RelationModel::default()
        },
    );
    Model {
        unit_name: "kafka/0".into(),
        config: json!({"source_port": 9092, "name": "k", "ratio": 0.5, "debug": false})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        leader: true,
        leader_settings: s(&[("secret", "s1")]),
        relations,
        unit_addresses: s(&[
            ("private-address", "10.0.0.1"),
            ("public-address", "1.2.3.4"),
        ]),
        action_params: json!({"count": 3, "tls": {"port": 443}})
            .as_object()
            .cloned()
            .unwrap_or_default(),
        ..Model::default()
    }
}

fn ctx() -> HookContext {
    HookContext {
        unit_name: "kafka/0".into(),
        charm_dir: PathBuf::from("/charm"),
        hook_name: "kafka-relation-changed".into(),
        hook_source: HookSource::DispatchPath,
        relation_name: Some("kafka".into()),
        relation_id: Some("kafka:3".into()),
        remote_unit: Some("client/0".into()),
        remote_app: Some("client".into()),
        departing_unit: None,
        action_name: None,
        model_name: None,
    }
}

/// Runs `f` with a hook environment over `model`; returns what `f` returns
/// and the tools (to look at the model afterwards).
fn with_env<R>(
    model: Model,
    ctx: HookContext,
    f: impl FnOnce(&Rc<HookEnv>) -> R,
) -> (R, MemoryTools) {
    let tools = MemoryTools::new(model);
    let (env, _guard) = hookenv::install(ctx, tools.clone());
    (f(&env), tools)
}

fn count(env: &HookEnv, tool: &str) -> usize {
    env.calls().iter().filter(|c| c.tool == tool).count()
}

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
    let mut m = model();
    m.departing = Some(("kafka:3".into(), "client/1".into()));
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
            hookenv::relation_get_app("topic", None, None)
                .unwrap()
                .as_deref(),
            Some("t")
        );
        assert_eq!(
            hookenv::relation_get_app_all(Some("client"), Some("kafka:3"))
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
        assert_eq!(
            sets[0].args,
            ["-r", "kafka:3", "host=h", "old=", "port=9092"]
        );
        assert_eq!(sets[1].args, ["-r", "kafka:7", "port=9092"]);
        assert!(!env.has_pending_writes());
        env.flush().unwrap();
        assert_eq!(
            count(env, "relation-set"),
            2,
            "a second flush sends nothing"
        );
    });
    let m = tools.model();
    assert_eq!(
        m.relations["kafka:3"].local_unit_data,
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
    assert!(tools.model().opened_ports.is_empty());
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
            hookenv::relation_get_app("a", Some("kafka"), None)
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
        assert_eq!(set.args, ["-r", "kafka:3", "--app", "a=b"]);
    });
    assert_eq!(
        tools.model().relations["kafka:3"].local_app_data,
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

#[test]
fn leadership_reads_are_cached_and_writes_buffered() {
    let ((), tools) = with_env(model(), ctx(), |env| {
        assert!(hookenv::is_leader().unwrap());
        assert!(hookenv::is_leader().unwrap());
        assert_eq!(
            hookenv::leader_get("secret").unwrap().as_deref(),
            Some("s1")
        );
        hookenv::leader_set([("secret", "s2"), ("new", "n")]).unwrap();
        hookenv::leader_set([("new", "")]).unwrap();
        assert_eq!(hookenv::leader_get_all().unwrap(), s(&[("secret", "s2")]));
        assert_eq!((count(env, "is-leader"), count(env, "leader-get")), (1, 1));
        assert_eq!(count(env, "leader-set"), 0);
        env.flush().unwrap();
        let set = env
            .calls()
            .into_iter()
            .find(|c| c.tool == "leader-set")
            .unwrap();
        // `new` was never stored, so deleting it is no write.
        assert_eq!(set.args, ["secret=s2"]);
    });
    assert_eq!(tools.model().leader_settings, s(&[("secret", "s2")]));
}

#[test]
fn leader_set_on_a_follower_fails_at_once() {
    let mut m = model();
    m.leader = false;
    with_env(m, ctx(), |_| {
        let e = hookenv::leader_set([("a", "1"), ("b", "2")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "leader_set(a, b): this unit is not the leader; only the leader may write leader settings"
        );
    });
}

#[test]
fn unit_and_network_addresses() {
    let mut m = model();
    m.networks.insert(
        "kafka".into(),
        NetworkInfo {
            ingress_addresses: vec!["10.9.9.9".into()],
            ..NetworkInfo::default()
        },
    );
    with_env(m, ctx(), |env| {
        assert_eq!(
            hookenv::unit_private_ip().unwrap().as_deref(),
            Some("10.0.0.1")
        );
        assert_eq!(
            hookenv::unit_public_ip().unwrap().as_deref(),
            Some("1.2.3.4")
        );
        assert_eq!(
            hookenv::unit_get("private-address").unwrap().as_deref(),
            Some("10.0.0.1")
        );
        assert_eq!(count(env, "unit-get"), 2);
        assert_eq!(
            hookenv::ingress_address("kafka").unwrap().as_deref(),
            Some("10.9.9.9")
        );
        assert_eq!(
            hookenv::network_get("kafka").unwrap().ingress_addresses,
            ["10.9.9.9"]
        );
        // Unlisted binding: the private address.
        assert_eq!(
            hookenv::ingress_address("other").unwrap().as_deref(),
            Some("10.0.0.1")
        );
        assert_eq!(count(env, "network-get"), 2);
        assert!(hookenv::unit_get("colour").is_err());
    });
}

#[test]
fn status_is_set_at_once_and_read_back_without_a_call() {
    let ((), tools) = with_env(model(), ctx(), |env| {
        hookenv::status_set(WorkloadState::Blocked, "need a relation").unwrap();
        assert_eq!(count(env, "status-set"), 1);
        assert_eq!(env.calls()[0].args, ["blocked", "need a relation"]);
        let st = hookenv::status_get().unwrap();
        assert_eq!(
            (st.status.as_str(), st.message.as_str()),
            ("blocked", "need a relation")
        );
        assert_eq!(count(env, "status-get"), 0);
    });
    assert_eq!(tools.model().unit_status.status, "blocked");
}

#[test]
fn ports_are_buffered_and_only_changes_sent() {
    let mut m = model();
    m.opened_ports.insert(Port::tcp(22));
    let ((), tools) = with_env(m, ctx(), |env| {
        hookenv::open_port(9092).unwrap();
        hookenv::open_port(Port::udp(53)).unwrap();
        hookenv::open_port(22).unwrap();
        hookenv::close_port(Port::udp(53)).unwrap();
        assert_eq!(
            hookenv::opened_ports().unwrap(),
            [Port::tcp(22), Port::tcp(9092)]
        );
        env.flush().unwrap();
        let sent: Vec<String> = env
            .calls()
            .iter()
            .filter(|c| c.tool.ends_with("-port"))
            .map(|c| format!("{} {}", c.tool, c.args.join(" ")))
            .collect();
        // Known from opened-ports: 22/tcp is open already, 53/udp ends as
        // it started (closed). Only 9092 changes.
        assert_eq!(sent, ["open-port 9092/tcp"]);
    });
    assert_eq!(tools.model().opened_ports.len(), 2);
}

#[test]
fn version_and_actions() {
    let ((), tools) = with_env(model(), ctx(), |env| {
        hookenv::application_version_set("3.6.1").unwrap();
        assert_eq!(hookenv::action_get::<u32>("count").unwrap(), Some(3));
        assert_eq!(hookenv::action_get::<u16>("tls.port").unwrap(), Some(443));
        assert_eq!(hookenv::action_get::<u16>("tls.nope").unwrap(), None);
        let e = hookenv::action_get::<String>("count").unwrap_err();
        assert_eq!(
            e.to_string(),
            "action parameter `count`: expected String, found 3"
        );
        assert_eq!(hookenv::action_params().unwrap()["count"], 3);
        assert_eq!(count(env, "action-get"), 1);
        hookenv::action_set([("result", "ok")]).unwrap();
        hookenv::action_fail("went wrong").unwrap();
        assert_eq!(count(env, "action-set") + count(env, "action-fail"), 2);
    });
    let m = tools.model();
    assert_eq!(m.application_version.as_deref(), Some("3.6.1"));
    assert_eq!(m.action_results, s(&[("result", "ok")]));
    assert_eq!(m.action_failed.as_deref(), Some("went wrong"));
}

#[test]
fn context_functions() {
    let mut c = ctx();
    c.action_name = Some("backup".into());
    with_env(model(), c, |_| {
        assert_eq!(hookenv::hook_name(), "kafka-relation-changed");
        assert_eq!(hookenv::local_unit(), "kafka/0");
        assert_eq!(hookenv::application_name(), "kafka");
        assert_eq!(hookenv::service_name(), "kafka");
        assert_eq!(hookenv::remote_unit().as_deref(), Some("client/0"));
        assert_eq!(hookenv::remote_app().as_deref(), Some("client"));
        assert_eq!(hookenv::relation_id().as_deref(), Some("kafka:3"));
        assert_eq!(hookenv::relation_type().as_deref(), Some("kafka"));
        assert_eq!(hookenv::departing_unit(), None);
        assert_eq!(hookenv::action_name().as_deref(), Some("backup"));
        assert_eq!(hookenv::charm_dir(), PathBuf::from("/charm"));
        assert!(hookenv::in_relation_hook());
    });
}

#[test]
fn log_goes_to_juju_log_and_debug_is_dropped_by_default() {
    let ((), tools) = with_env(model(), ctx(), |env| {
        hookenv::log("hello");
        hookenv::log_level(LogLevel::Warning, "careful");
        hookenv::log_level(LogLevel::Debug, "details");
        hookenv::log("-starts with a dash");
        let calls = env.calls();
        assert_eq!(calls[0].tool, "juju-log");
        assert_eq!(calls[0].args, ["-l", "INFO", "hello"]);
        // A leading dash would read as an option of juju-log.
        assert_eq!(
            calls.last().unwrap().args,
            ["-l", "INFO", " -starts with a dash"]
        );
    });
    let logs = tools.model().logs.clone();
    if std::env::var_os("REACTIVE_LOG_LEVEL").is_none() {
        assert_eq!(
            logs,
            [
                (LogLevel::Info, "hello".to_string()),
                (LogLevel::Warning, "careful".to_string()),
                (LogLevel::Info, "-starts with a dash".to_string()),
            ]
        );
    }
}

#[test]
fn tool_functions_outside_a_hook_say_so() {
    let e = hookenv::is_leader().unwrap_err();
    assert!(matches!(e, HookError::NoEnvironment("is_leader")), "{e}");
    assert!(e.to_string().contains("called outside a hook"));
    let e = config().get::<u16>("x").unwrap_err();
    assert!(matches!(e, HookError::NoEnvironment("config")), "{e}");
}
