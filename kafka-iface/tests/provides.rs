//! The providing side through the testing harness: flags per conversation,
//! joins and departures in every order, two relation ids, a relation not
//! named `kafka`, and what `send_configuration` writes.

mod common;

use common::{conv, depart, enter, fire, holders, join};
use kafka_iface::KafkaProvides;
use reactive_core::prelude::*;
use reactive_core::testing::{Hook, State};

// The seed's provider example, with `{relation_name}` so that the same
// handler serves a relation named `queue`.
#[when("{relation_name}.connected")]
#[when_not("{relation_name}.available")]
fn waiting_for_client(kafka: &KafkaProvides) -> reactive_core::Result {
    kafka.send_configuration(hookenv::config().require("source_port")?)?;
    hookenv::status_set(
        WorkloadState::Waiting,
        "Waiting for a client to become available",
    )?;
    Ok(())
}

#[when("{relation_name}.available")]
fn report_ready(kafka: &KafkaProvides) -> reactive_core::Result {
    let units = kafka.client_units().join(",");
    hookenv::status_set(WorkloadState::Active, &format!("clients: {units}"))?;
    Ok(())
}

// Republishes in every hook while `test.republish` is set.
#[when("{relation_name}.available", "test.republish")]
fn republish(kafka: &KafkaProvides) -> reactive_core::Result {
    kafka.send_configuration(hookenv::config().require("source_port")?)?;
    Ok(())
}

const META: &str = "name: kafka\nprovides:\n  kafka:\n    interface: kafka\n";
const CONFIG: &str = "options:\n  source_port: {type: int, default: 9092}\n";
const CLIENT: &[(&str, &str)] = &[("private-address", "10.0.0.2")];

fn provider() -> State {
    State::default()
        .with_file("metadata.yaml", META)
        .with_file("config.yaml", CONFIG)
        .with_config("source_port", 9092)
}

fn port_on(state: &State, rid: &str) -> Option<String> {
    state.relation(rid)?.local_unit_data.get("port").cloned()
}

#[test]
fn a_joining_client_connects_and_gets_the_port() {
    let state = enter(provider(), "kafka:1", "client/0", CLIENT);
    let out = fire(
        &state,
        Hook::relation("joined", "kafka:1", Some("client/0")),
    );
    assert_eq!(
        holders(&out.state, "kafka.connected"),
        Some(vec![conv("kafka:1", "client/0")])
    );
    assert!(!out.state.is_flag_set("kafka.available"));
    assert_eq!(port_on(&out.state, "kafka:1").as_deref(), Some("9092"));
    assert_eq!(
        out.state.status.message,
        "Waiting for a client to become available"
    );
    assert_eq!(out.calls_to("relation-set"), 1);

    let out = fire(
        &out.state,
        Hook::relation("changed", "kafka:1", Some("client/0")),
    );
    assert_eq!(
        holders(&out.state, "kafka.available"),
        Some(vec![conv("kafka:1", "client/0")])
    );
    assert_eq!(out.state.status.message, "clients: client/0");
    assert_eq!(out.calls_to("relation-set"), 0);
}

#[test]
fn flags_stay_while_a_client_unit_remains_in_either_order() {
    let both = join(provider(), "kafka:1", "client/0", CLIENT);
    let both = join(both, "kafka:1", "client/1", CLIENT);
    assert_eq!(
        holders(&both, "kafka.available").map(|h| h.len()),
        Some(2),
        "{:?}",
        both.flags
    );
    for (first, second) in [("client/0", "client/1"), ("client/1", "client/0")] {
        let one = depart(both.clone(), "kafka:1", first);
        assert_eq!(
            holders(&one, "kafka.connected"),
            Some(vec![conv("kafka:1", second)])
        );
        assert_eq!(
            holders(&one, "kafka.available"),
            Some(vec![conv("kafka:1", second)])
        );
        assert_eq!(one.status.message, format!("clients: {second}"));
        let none = depart(one, "kafka:1", second);
        assert!(!none.is_flag_set("kafka.connected"), "{:?}", none.flags);
        assert!(!none.is_flag_set("kafka.available"));
        assert!(
            !none
                .kv
                .keys()
                .any(|k| k.starts_with("reactive.conversations.")),
            "conversations are dropped: {:?}",
            none.kv.keys()
        );
    }
}

#[test]
fn a_client_leaving_before_its_first_change_takes_connected_away() {
    let state = enter(provider(), "kafka:1", "client/0", CLIENT);
    let state = fire(
        &state,
        Hook::relation("joined", "kafka:1", Some("client/0")),
    )
    .state;
    let state = depart(state, "kafka:1", "client/0");
    assert!(!state.is_flag_set("kafka.connected"));
    assert!(!state.is_flag_set("kafka.available"));
}

#[test]
fn a_departure_leaves_the_units_that_have_not_finished_joining() {
    // client/1 has joined but its -changed has not run yet.
    let state = join(provider(), "kafka:1", "client/0", CLIENT);
    let state = enter(state, "kafka:1", "client/1", CLIENT);
    let state = fire(
        &state,
        Hook::relation("joined", "kafka:1", Some("client/1")),
    )
    .state;
    let state = depart(state, "kafka:1", "client/0");
    assert_eq!(
        holders(&state, "kafka.connected"),
        Some(vec![conv("kafka:1", "client/1")])
    );
    assert!(!state.is_flag_set("kafka.available"));
}

#[test]
fn two_relation_ids_each_get_the_port_and_hold_the_flags() {
    let state = join(provider(), "kafka:1", "client-a/0", CLIENT);
    let state = join(state, "kafka:2", "client-b/0", CLIENT);
    assert_eq!(port_on(&state, "kafka:1").as_deref(), Some("9092"));
    assert_eq!(port_on(&state, "kafka:2").as_deref(), Some("9092"));
    assert_eq!(state.status.message, "clients: client-a/0,client-b/0");
    let state = depart(state, "kafka:1", "client-a/0");
    assert_eq!(
        holders(&state, "kafka.available"),
        Some(vec![conv("kafka:2", "client-b/0")])
    );
    assert_eq!(state.status.message, "clients: client-b/0");
}

#[test]
fn a_client_application_relating_late_gets_the_port_when_it_joins() {
    // kafka.available is already set, so the seed handler does not run for
    // the new application: the interface publishes in -joined.
    let state = join(provider(), "kafka:1", "client-a/0", CLIENT);
    let state = enter(state, "kafka:2", "client-b/0", CLIENT);
    let out = fire(
        &state,
        Hook::relation("joined", "kafka:2", Some("client-b/0")),
    );
    assert!(!out
        .trace
        .invoked()
        .any(|h| h.contains("waiting_for_client")));
    assert_eq!(port_on(&out.state, "kafka:2").as_deref(), Some("9092"));
    assert_eq!(out.calls_to("relation-set"), 1);
    assert_eq!(out.calls_to("relation-ids"), 0);

    // A further unit of an application already served: nothing to write.
    let state = enter(out.state, "kafka:2", "client-b/1", CLIENT);
    let out = fire(
        &state,
        Hook::relation("joined", "kafka:2", Some("client-b/1")),
    );
    assert_eq!(out.calls_to("relation-set"), 0);
}

#[test]
fn send_configuration_writes_only_what_changed() {
    let state = join(provider(), "kafka:1", "client/0", CLIENT).with_flag("test.republish");
    let out = fire(&state, Hook::new("update-status"));
    assert!(out.trace.invoked().any(|h| h.contains("republish")));
    assert_eq!(out.calls_to("relation-set"), 0);

    let out = fire(
        &out.state.with_config("source_port", 9093),
        Hook::new("config-changed"),
    );
    assert_eq!(out.calls_to("relation-set"), 1);
    assert_eq!(port_on(&out.state, "kafka:1").as_deref(), Some("9093"));

    let out = fire(&out.state, Hook::new("update-status"));
    assert_eq!(out.calls_to("relation-set"), 0);
}

#[test]
fn a_relation_named_queue_gets_queue_flags() {
    let meta = "name: kafka\nprovides:\n  queue:\n    interface: kafka\n";
    let state = State::default()
        .with_file("metadata.yaml", meta)
        .with_file("config.yaml", CONFIG)
        .with_config("source_port", 9092);
    let state = enter(state, "queue:4", "client/0", CLIENT);
    let out = fire(
        &state,
        Hook::relation("joined", "queue:4", Some("client/0")),
    );
    assert_eq!(
        holders(&out.state, "queue.connected"),
        Some(vec![conv("queue:4", "client/0")])
    );
    assert!(!out.state.is_flag_set("kafka.connected"));
    assert_eq!(port_on(&out.state, "queue:4").as_deref(), Some("9092"));
    let state = fire(
        &out.state,
        Hook::relation("changed", "queue:4", Some("client/0")),
    )
    .state;
    assert!(state.is_flag_set("queue.available"));
    let state = depart(state, "queue:4", "client/0");
    assert!(!state.is_flag_set("queue.connected"));
    assert!(!state.is_flag_set("queue.available"));
}

#[test]
fn a_failed_hook_keeps_nothing_of_the_interface() {
    // A port that does not fit u16 makes the seed handler fail after the
    // interface has set kafka.connected in the same hook.
    let state = enter(
        provider().with_config("source_port", 70000),
        "kafka:1",
        "client/0",
        CLIENT,
    );
    let out = state.run(Hook::relation("joined", "kafka:1", Some("client/0")));
    assert!(out.error.is_some());
    assert!(!out.state.is_flag_set("kafka.connected"));
    assert_eq!(port_on(&out.state, "kafka:1"), None);
    assert_eq!(out.calls_to("relation-set"), 0);
}
