//! Typed relation data in a hook: Juju's own keys stay out of a unit's
//! databag, errors name the remote unit, saves reach the unit's or (as
//! leader) the application's databag when the hook succeeds.

use reactive_core::databag::Databag;
use reactive_core::hookenv;
use reactive_core::testing::{Hook, Relation, State};
use reactive_core::{HandlerDef, Predicate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Port {
    port: u16,
}

fn on_changed(f: fn() -> Result<(), reactive_core::Error>) -> Vec<HandlerDef> {
    vec![HandlerDef::new(
        "charm.rs",
        1,
        "changed",
        vec![Predicate::Hook(vec!["kafka-relation-changed".into()])],
        move |_| f(),
    )]
}

fn state(port: &str) -> State {
    let unit = [
        ("port", port),
        ("private-address", "10.0.0.1"),
        ("ingress-address", "10.0.0.1"),
        ("egress-subnets", "10.0.0.1/32"),
    ];
    State {
        unit_name: Some("client/0".into()),
        leader: true,
        ..State::default()
    }
    .with_file(
        "metadata.yaml",
        "name: client\nrequires:\n  kafka: {interface: kafka}\n",
    )
    .with_relation(Relation::new("kafka", 3, "kafka").with_unit("kafka/0", unit))
}

#[test]
fn a_unit_databag_loads_without_juju_s_keys_and_saves_typed_values() {
    let handlers = on_changed(|| {
        let port: Port = Databag::unit("kafka:3", "kafka/0").load()?;
        Databag::unit("kafka:3", hookenv::local_unit()).save(&Port {
            port: port.port + 1,
        })?;
        Databag::app("kafka:3", hookenv::application_name())
            .save(&serde_json::json!({"seen": [port.port]}))?;
        Ok(())
    });
    let out = state("9092").run_handlers(
        handlers,
        Hook::relation("changed", "kafka:3", Some("kafka/0")),
    );
    assert_eq!(out.error_message(), None);
    let rel = out.state.relation("kafka:3").unwrap();
    assert_eq!(rel.local_unit_data["port"], "9093");
    assert_eq!(rel.local_app_data["seen"], "[9092]");
}

#[test]
fn a_bad_remote_value_names_the_relation_unit_and_field() {
    let handlers = on_changed(|| {
        let _: Port = Databag::unit("kafka:3", "kafka/0").load()?;
        Ok(())
    });
    let out = state("ninety").run_handlers(
        handlers,
        Hook::relation("changed", "kafka:3", Some("kafka/0")),
    );
    let message = out.error_message().expect("fails");
    assert!(
        message.contains(
            "relation kafka:3, unit kafka/0: field `port` expected u16, found \"ninety\""
        ),
        "{message}"
    );
}

#[test]
fn another_unit_s_databag_cannot_be_saved() {
    let handlers = on_changed(|| {
        Databag::unit("kafka:3", "kafka/0").save(&Port { port: 1 })?;
        Ok(())
    });
    let out = state("1").run_handlers(
        handlers,
        Hook::relation("changed", "kafka:3", Some("kafka/0")),
    );
    let message = out.error_message().expect("fails");
    assert!(
        message.contains("the databag of unit kafka/0 is not this unit's"),
        "{message}"
    );
    assert_eq!(out.calls_to("relation-set"), 0);
}
