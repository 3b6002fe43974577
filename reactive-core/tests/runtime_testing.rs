//! The state-transition test harness: input state, one hook through the
//! real dispatch, output state.

use reactive_core::hookenv::{self, LogLevel, Port, WorkloadState};
use reactive_core::testing::{Hook, Relation, State};
use reactive_core::{kv, Binding, Error, HandlerDef, Predicate, Role};
use reactive_core::{set_flag, set_flag_value};

const META: &str = "name: kafka
provides:
  kafka: {interface: kafka}
requires:
  queue: {interface: kafka}
";

fn h(
    name: &str,
    conds: Vec<Predicate>,
    body: impl Fn() -> Result<(), Error> + Send + Sync + 'static,
) -> HandlerDef {
    HandlerDef::new("charm.rs", 1, name, conds, move |_| body())
}

fn when(f: &str) -> Vec<Predicate> {
    vec![Predicate::WhenAll(vec![f.into()])]
}

fn hook(p: &str) -> Vec<Predicate> {
    vec![Predicate::Hook(vec![p.into()])]
}

fn related() -> State {
    State::default()
        .with_file("metadata.yaml", META)
        .with_relation(Relation {
            local_unit_data: [("private-address".into(), "192.0.2.10".into())].into(),
            ..Relation::new("kafka", 3, "client")
                .with_unit("client/0", [("topic", "logs")])
                .with_unit("client/1", [("topic", "metrics")])
        })
}

#[test]
fn a_relation_hook_reads_the_remote_unit_and_writes_local_settings() {
    let reply = h("reply", hook("kafka-relation-changed"), || {
        let topic = hookenv::relation_get("topic", None, None)?.unwrap_or_default();
        hookenv::relation_set(None, [("topic-ack", topic.as_str()), ("port", "9092")])?;
        set_flag_value("last.topic", &topic);
        Ok(())
    });
    let out = related().run_handlers(
        vec![reply],
        Hook::relation("changed", "kafka:3", Some("client/1")),
    );
    assert_eq!(out.error_message(), None);
    let rel = out.state.relation("kafka:3").unwrap();
    assert_eq!(rel.local_unit_data["topic-ack"], "metrics");
    assert_eq!(rel.local_unit_data["private-address"], "192.0.2.10");
    assert_eq!(out.state.flags["last.topic"], "metrics");
    assert_eq!(out.calls_to("relation-set"), 1);
    assert_eq!(
        out.trace.invoked().collect::<Vec<_>>(),
        ["charm.rs:1:reply"]
    );
    assert!(out
        .logs
        .iter()
        .any(|(_, l)| l.contains("Invoking reactive handler: charm.rs:1:reply")));
}

#[test]
fn a_failing_hook_returns_its_error_and_the_input_state() {
    let write = h("write", hook("install"), || {
        set_flag("written");
        kv().set("k", &1)?;
        hookenv::relation_set(Some("kafka:3"), [("x", "1")])?;
        hookenv::open_port(9092)?;
        Ok(())
    });
    let fail = h("fail", when("written"), || {
        Err(Error::Other("disk full".into()))
    });
    let input = related().with_flag("kept");
    let out = input.run_handlers(vec![write, fail], Hook::new("install"));
    assert_eq!(out.state, input);
    let msg = out.error_message().unwrap();
    assert_eq!(
        msg,
        "handler charm.rs:1:fail failed\n  caused by: disk full"
    );
    assert!(out
        .tool_calls
        .iter()
        .all(|c| c.tool != "relation-set" && c.tool != "open-port"));
    let (level, line) = out.logs.last().unwrap();
    assert_eq!(*level, LogLevel::Error);
    assert_eq!(
        line,
        "hook install failed: handler charm.rs:1:fail failed\n  caused by: disk full"
    );
    // The trace shows how far the hook got: `write` ran, `fail` was queued.
    assert_eq!(
        out.trace.invoked().collect::<Vec<_>>(),
        ["charm.rs:1:write"]
    );
    assert_eq!(out.trace.rounds.last().unwrap().queued, ["charm.rs:1:fail"]);
}

#[test]
fn a_panic_fails_the_hook() {
    let boom = h("boom", hook("start"), || panic!("unexpected"));
    let out = State::default().run_handlers(vec![boom], Hook::new("start"));
    assert_eq!(
        out.error_message().unwrap(),
        "handler charm.rs:1:boom failed\n  caused by: panicked: unexpected"
    );
}

#[test]
fn a_hook_tool_refusal_fails_the_hook_naming_the_call() {
    let read = h("read", hook("install"), || {
        hookenv::relation_get("x", Some("nobody/0"), Some("kafka:3"))?;
        Ok(())
    });
    let out = related().run_handlers(vec![read], Hook::new("install"));
    let msg = out.error_message().unwrap();
    assert!(
        msg.contains("relation-get --format=json -r kafka:3 - nobody/0"),
        "{msg}"
    );
}

#[test]
fn departed_and_broken_relations() {
    let count = h("count", when("probe"), || {
        let units = match hookenv::relation_id() {
            Some(_) => hookenv::related_units(None)?,
            None => vec![],
        };
        set_flag_value("units", &units);
        Ok(())
    });
    let state = related().with_flag("probe");
    let out = state.run_handlers(
        vec![count.clone()],
        Hook::relation("departed", "kafka:3", Some("client/0")),
    );
    assert_eq!(out.state.flags["units"], serde_json::json!(["client/1"]));
    let out = state.run_handlers(vec![count], Hook::relation("broken", "kafka:3", None));
    assert_eq!(out.state.flags["units"], serde_json::json!([]));
}

#[test]
fn status_ports_version_and_kv_come_out() {
    let work = h("work", hook("start"), || {
        hookenv::status_set(WorkloadState::Active, "Ready")?;
        hookenv::open_port(9092)?;
        hookenv::close_port(22)?;
        hookenv::application_version_set("3.6")?;
        kv().set("started", &true)?;
        Ok(())
    });
    let out = State {
        opened_ports: [Port::tcp(22)].into(),
        ..State::default()
    }
    .run_handlers(vec![work], Hook::new("start"));
    assert_eq!(out.error_message(), None);
    assert_eq!(out.state.status.state, Some(WorkloadState::Active));
    assert_eq!(
        out.state.opened_ports.iter().copied().collect::<Vec<_>>(),
        [Port::tcp(9092)]
    );
    assert_eq!(out.state.application_version.as_deref(), Some("3.6"));
    assert_eq!(out.state.kv["started"], true);
    assert!(!out.state.kv.contains_key("reactive.dispatch.trace"));
    assert_eq!(out.trace.hook, "start");
    assert_eq!(
        out.trace.tool_calls,
        out.tool_calls[..out.trace.tool_calls.len()]
    );
}

#[test]
fn actions_get_parameters_and_set_results() {
    // An action's handlers match `actions/<name>`, not the hook `backup`.
    let act = h("backup", vec![Predicate::Action("backup".into())], || {
        let dest: String = hookenv::action_get("dest")?.unwrap_or_default();
        if dest.is_empty() {
            hookenv::action_fail("no destination")?;
        } else {
            hookenv::action_set([("path", format!("{dest}/backup.tar"))])?;
        }
        Ok(())
    });
    let state = State::default().with_file(
        "actions.yaml",
        "backup:\n  params:\n    dest: {type: string}\n    level: {type: integer, default: 3}\n",
    );
    let backup = Hook::action("backup").with_param("dest", "/srv");
    let out = state.run_handlers(vec![act.clone()], backup);
    assert_eq!(out.error_message(), None);
    assert_eq!(out.action_results["path"], "/srv/backup.tar");
    let out = state.run_handlers(vec![act], Hook::action("backup"));
    assert_eq!(out.action_failed.as_deref(), Some("no destination"));
}

#[test]
fn metadata_binds_relation_name_flags_and_names_the_unit() {
    let mut def = h("queue", when("{relation_name}.connected"), || {
        set_flag_value("unit", &hookenv::local_unit());
        Ok(())
    });
    def.binding = Some(Binding {
        role: Role::Requires,
        interface: "kafka",
    });
    let out = State::default()
        .with_file("metadata.yaml", META)
        .with_flag("queue.connected")
        .run_handlers(vec![def], Hook::new("update-status"));
    assert_eq!(out.error_message(), None);
    assert_eq!(
        out.trace.invoked().collect::<Vec<_>>(),
        ["charm.rs:1:queue:queue"]
    );
    assert_eq!(out.state.flags["unit"], "kafka/0");
}

#[test]
fn hooks_chain_through_output_states() {
    let install = h(
        "install",
        vec![Predicate::WhenNone(vec!["installed".into()])],
        || {
            set_flag("installed");
            Ok(())
        },
    );
    let count = h("count", when("installed"), || {
        let n: u32 = kv().get("runs")?.unwrap_or(0);
        kv().set("runs", &(n + 1))?;
        Ok(())
    });
    let defs = vec![install, count];
    let one = State::default().run_handlers(defs.clone(), Hook::new("install"));
    let two = one.state.run_handlers(defs, Hook::new("update-status"));
    assert_eq!(two.state.kv["runs"], 2);
    assert_eq!(
        two.trace.invoked().collect::<Vec<_>>(),
        ["charm.rs:1:count"]
    );
}

/// A charm written with the attribute macros, as charm authors write one.
mod web_charm {
    use reactive_core::prelude::*;

    #[when("config.set.port")]
    #[when_not("website.configured")]
    fn configure() -> Result {
        let port: u16 = config().require("port")?;
        for rid in hookenv::relation_ids(Some("website"))? {
            hookenv::relation_set(Some(&rid), [("port", port)])?;
        }
        hookenv::open_port(port)?;
        hookenv::status_set(WorkloadState::Active, "Ready")?;
        set_flag("website.configured");
        Ok(())
    }

    /// Before the flag handlers (hooks phase): configure again.
    #[hook("config-changed")]
    fn reconfigure() {
        clear_flag("website.configured");
    }
}

#[test]
fn macro_declared_handlers_run_through_run_in() {
    let charm = concat!(module_path!(), "::web_charm");
    let state = State::default()
        .with_file(
            "metadata.yaml",
            "name: web\nprovides:\n  website: {interface: http}\n",
        )
        .with_file("config.yaml", "options:\n  port: {type: int}\n")
        .with_config("port", 8080)
        .with_relation(Relation::new("website", 1, "proxy").with_unit("proxy/0", [("a", "b")]));
    let out = state.run_in(charm, Hook::new("install"));
    assert_eq!(out.error_message(), None);
    assert_eq!(
        out.state.relation("website:1").unwrap().local_unit_data["port"],
        "8080"
    );
    assert_eq!(out.state.status.message, "Ready");
    assert!(out.state.is_flag_set("website.configured"));

    // A new port: reconfigure clears the flag in the hooks phase, configure
    // runs again.
    let out = out
        .state
        .with_config("port", 9090)
        .run_in(charm, Hook::new("config-changed"));
    assert_eq!(out.error_message(), None);
    assert_eq!(
        out.state.relation("website:1").unwrap().local_unit_data["port"],
        "9090"
    );
    assert_eq!(
        out.state
            .opened_ports
            .iter()
            .map(|p| p.number)
            .collect::<Vec<_>>(),
        [8080, 9090]
    );
    assert_eq!(out.calls_to("relation-set"), 1);
}
