//! hookenv over the in-memory hook tools: leadership, addresses, status,
//! ports, actions, the hook's context, logging, and use outside a hook.

use std::path::PathBuf;

use super::fixture::{count, ctx, model, s, with_env};
use crate::hookenv::{self, config, HookError, LogLevel, NetworkInfo, Port, WorkloadState};

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
    assert_eq!(
        tools.outcome().state.leader_settings,
        s(&[("secret", "s2")])
    );
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
            hookenv::unit_get("private-address").unwrap().as_deref(),
            Some("10.0.0.1")
        );
        assert_eq!(
            hookenv::unit_get("public-address").unwrap().as_deref(),
            Some("1.2.3.4")
        );
        assert_eq!(
            hookenv::unit_get("private-address").unwrap().as_deref(),
            Some("10.0.0.1")
        );
        assert_eq!(count(env, "unit-get"), 2);
        assert_eq!(
            hookenv::network_get("kafka").unwrap().ingress_address(),
            Some("10.9.9.9")
        );
        assert_eq!(
            hookenv::network_get("kafka").unwrap().ingress_addresses,
            ["10.9.9.9"]
        );
        // Unlisted binding: the private address.
        assert_eq!(
            hookenv::network_get("other").unwrap().ingress_address(),
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
        assert_eq!(env.calls()[0].args, ["--", "blocked", "need a relation"]);
        let st = hookenv::status_get().unwrap();
        assert_eq!(
            (st.status.as_str(), st.message.as_str()),
            ("blocked", "need a relation")
        );
        assert_eq!(count(env, "status-get"), 0);
    });
    assert_eq!(
        tools.outcome().state.status.state,
        Some(WorkloadState::Blocked)
    );
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
    assert_eq!(tools.outcome().state.opened_ports.len(), 2);
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
        let all: serde_json::Value = hookenv::action_params().unwrap();
        assert_eq!(all["count"], 3);
        assert_eq!(count(env, "action-get"), 1);
        hookenv::action_set([("result", "ok")]).unwrap();
        hookenv::action_fail("went wrong").unwrap();
        assert_eq!(count(env, "action-set") + count(env, "action-fail"), 2);
    });
    let m = tools.outcome();
    assert_eq!(m.state.application_version.as_deref(), Some("3.6.1"));
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

/// `worker/uniter/runner/jujuc/juju-log.go`: flags anywhere, `--` ends
/// them; every level is sent (Juju filters by `logging-config`).
#[test]
fn log_goes_to_juju_log_at_every_level_juju_log_go() {
    let ((), tools) = with_env(model(), ctx(), |env| {
        hookenv::log("hello");
        // Other levels come through the `log` logger, which sends here.
        crate::hookenv::juju_log::emit(LogLevel::Warning, "careful");
        crate::hookenv::juju_log::emit(LogLevel::Debug, "details");
        hookenv::log("-starts with a dash");
        let calls = env.calls();
        assert_eq!(calls[0].tool, "juju-log");
        assert_eq!(calls[0].args, ["-l", "INFO", "--", "hello"]);
        // `--` ends the flags: a leading dash is sent as it is.
        assert_eq!(
            calls.last().unwrap().args,
            ["-l", "INFO", "--", "-starts with a dash"]
        );
    });
    let logs = tools.outcome().logs;
    if std::env::var_os("REACTIVE_LOG_LEVEL").is_none() {
        assert_eq!(
            logs,
            [
                (LogLevel::Info, "hello".to_string()),
                (LogLevel::Warning, "careful".to_string()),
                (LogLevel::Debug, "details".to_string()),
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
