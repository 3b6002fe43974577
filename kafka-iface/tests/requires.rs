//! The requiring side through the testing harness: readiness per Kafka
//! unit, bad ports, joins and departures in every order, two relation ids,
//! a relation not named `kafka`, typed errors.

mod common;

use common::{change, conv, depart, enter, fire, holders, join, warnings};
use kafka_iface::KafkaRequires;
use reactive_core::prelude::*;
use reactive_core::testing::{Hook, State};

// The seed's client example, with `{relation_name}` so that the same
// handlers serve a relation named `queue`. The status shows what the
// interface answered.
#[when("{relation_name}.connected")]
#[when_not("{relation_name}.available")]
fn waiting_for_kafka_available(kafka: &KafkaRequires) -> reactive_core::Result {
    let err = match kafka.get_kafka_port() {
        Ok(port) => {
            return Err(HandlerError::msg(format!(
                "a port ({port}) while not available"
            )))
        }
        Err(e) => e,
    };
    if kafka.get_kafka_ip().is_ok() || !kafka.brokers()?.is_empty() {
        return Err(HandlerError::msg("an address while not available"));
    }
    hookenv::status_set(WorkloadState::Waiting, &err.to_string())?;
    Ok(())
}

#[when("{relation_name}.available")]
fn configure_kafka(kafka: &KafkaRequires) -> reactive_core::Result {
    let first = format!("{}:{}", kafka.get_kafka_ip()?, kafka.get_kafka_port()?);
    let brokers = kafka.brokers()?.join(",");
    hookenv::status_set(WorkloadState::Active, &format!("{first} | {brokers}"))?;
    Ok(())
}

const META: &str = "name: client\nrequires:\n  kafka:\n    interface: kafka\n";

fn client() -> State {
    State::default().with_file("metadata.yaml", META)
}

fn kafka_unit(address: &str, port: &str) -> Vec<(&'static str, String)> {
    vec![
        ("private-address", address.to_string()),
        ("port", port.to_string()),
    ]
}

/// `unit` joins `rid` publishing `address` and `port`.
fn join_kafka(state: State, rid: &str, unit: &str, address: &str, port: &str) -> State {
    let data = kafka_unit(address, port);
    let data: Vec<(&str, &str)> = data.iter().map(|(k, v)| (*k, v.as_str())).collect();
    join(state, rid, unit, &data)
}

#[test]
fn connected_on_join_available_once_a_port_is_published() {
    let state = enter(
        client(),
        "kafka:1",
        "kafka/0",
        &[("private-address", "10.0.0.1")],
    );
    let out = fire(&state, Hook::relation("joined", "kafka:1", Some("kafka/0")));
    assert_eq!(
        holders(&out.state, "kafka.connected"),
        Some(vec![conv("kafka:1", "kafka/0")])
    );
    assert!(!out.state.is_flag_set("kafka.available"));
    assert!(
        out.state
            .status
            .message
            .starts_with("no Kafka unit is ready on relation kafka"),
        "{}",
        out.state.status.message
    );

    let out = fire(
        &out.state,
        Hook::relation("changed", "kafka:1", Some("kafka/0")),
    );
    assert!(!out.state.is_flag_set("kafka.available"), "no port yet");
    assert!(warnings(&out).is_empty(), "no port is no warning");

    let data = [("private-address", "10.0.0.1"), ("port", "9092")];
    let out = change(out.state, "kafka:1", "kafka/0", &data);
    assert_eq!(
        holders(&out.state, "kafka.available"),
        Some(vec![conv("kafka:1", "kafka/0")])
    );
    assert_eq!(out.state.status.message, "10.0.0.1:9092 | 10.0.0.1:9092");
}

#[test]
fn the_ingress_address_serves_when_there_is_no_private_address() {
    let data = [("ingress-address", "10.0.0.9"), ("port", "9092")];
    let state = join(client(), "kafka:1", "kafka/0", &data);
    assert_eq!(state.status.message, "10.0.0.9:9092 | 10.0.0.9:9092");
}

#[test]
fn a_bad_port_is_not_ready_and_is_reported_without_failing() {
    for bad in ["abc", "0", "70000", ""] {
        let state = enter(client(), "kafka:1", "kafka/0", &[]);
        let state = fire(&state, Hook::relation("joined", "kafka:1", Some("kafka/0"))).state;
        let data = [("private-address", "10.0.0.1"), ("port", bad)];
        let out = change(state, "kafka:1", "kafka/0", &data);
        assert!(!out.state.is_flag_set("kafka.available"), "port {bad:?}");
        assert!(out.state.is_flag_set("kafka.connected"));
        assert_eq!(out.state.status.state, Some(WorkloadState::Waiting));
        let w = warnings(&out);
        assert_eq!(w.len(), 1, "port {bad:?}: {:?}", out.logs);
        assert!(
            w[0].contains("kafka/0") && w[0].contains(&format!("port={bad:?}")),
            "{}",
            w[0]
        );
    }
}

#[test]
fn a_unit_whose_port_goes_bad_stops_being_ready() {
    let state = join_kafka(client(), "kafka:1", "kafka/0", "10.0.0.1", "9092");
    let state = join_kafka(state, "kafka:1", "kafka/1", "10.0.0.2", "9092");
    assert_eq!(
        state.status.message,
        "10.0.0.1:9092 | 10.0.0.1:9092,10.0.0.2:9092"
    );
    let data = [("private-address", "10.0.0.1"), ("port", "abc")];
    let out = change(state, "kafka:1", "kafka/0", &data);
    assert_eq!(
        holders(&out.state, "kafka.available"),
        Some(vec![conv("kafka:1", "kafka/1")])
    );
    assert_eq!(out.state.status.message, "10.0.0.2:9092 | 10.0.0.2:9092");
    let data = [("private-address", "10.0.0.2"), ("port", "0")];
    let out = change(out.state, "kafka:1", "kafka/1", &data);
    assert!(!out.state.is_flag_set("kafka.available"));
    assert_eq!(out.state.status.state, Some(WorkloadState::Waiting));
    let data = [("private-address", "10.0.0.2"), ("port", "9093")];
    let out = change(out.state, "kafka:1", "kafka/1", &data);
    assert_eq!(out.state.status.message, "10.0.0.2:9093 | 10.0.0.2:9093");
}

#[test]
fn departures_in_either_order_recompute_from_who_remains() {
    let both = join_kafka(client(), "kafka:1", "kafka/0", "10.0.0.1", "9092");
    let both = join_kafka(both, "kafka:1", "kafka/1", "10.0.0.2", "9093");
    for (first, (second, rest)) in [
        ("kafka/0", ("kafka/1", "10.0.0.2:9093")),
        ("kafka/1", ("kafka/0", "10.0.0.1:9092")),
    ] {
        let one = depart(both.clone(), "kafka:1", first);
        assert_eq!(
            holders(&one, "kafka.available"),
            Some(vec![conv("kafka:1", second)])
        );
        assert_eq!(
            holders(&one, "kafka.connected"),
            Some(vec![conv("kafka:1", second)])
        );
        assert_eq!(one.status.message, format!("{rest} | {rest}"));
        let none = depart(one, "kafka:1", second);
        assert!(!none.is_flag_set("kafka.connected"));
        assert!(!none.is_flag_set("kafka.available"));
    }
}

#[test]
fn a_ready_unit_leaving_leaves_a_connected_one_waiting() {
    let state = join_kafka(client(), "kafka:1", "kafka/0", "10.0.0.1", "9092");
    let state = enter(
        state,
        "kafka:1",
        "kafka/1",
        &[("private-address", "10.0.0.2")],
    );
    let state = fire(&state, Hook::relation("joined", "kafka:1", Some("kafka/1"))).state;
    let state = depart(state, "kafka:1", "kafka/0");
    assert!(state.is_flag_set("kafka.connected"));
    assert!(!state.is_flag_set("kafka.available"));
    assert_eq!(state.status.state, Some(WorkloadState::Waiting));
}

#[test]
fn two_relation_ids_list_brokers_by_relation_then_unit() {
    let state = join_kafka(client(), "kafka:7", "kafka-b/0", "10.0.1.1", "9092");
    let state = join_kafka(state, "kafka:3", "kafka-a/1", "10.0.0.2", "9092");
    let state = join_kafka(state, "kafka:3", "kafka-a/0", "10.0.0.1", "9092");
    assert_eq!(
        state.status.message,
        "10.0.0.1:9092 | 10.0.0.1:9092,10.0.0.2:9092,10.0.1.1:9092"
    );
    let state = depart(state, "kafka:3", "kafka-a/0");
    let state = depart(state, "kafka:3", "kafka-a/1");
    assert_eq!(state.status.message, "10.0.1.1:9092 | 10.0.1.1:9092");
}

#[test]
fn a_relation_named_queue_gets_queue_flags() {
    let meta = "name: client\nrequires:\n  queue:\n    interface: kafka\n";
    let state = State::default().with_file("metadata.yaml", meta);
    let state = join_kafka(state, "queue:2", "kafka/0", "10.0.0.1", "9092");
    assert!(state.is_flag_set("queue.connected"));
    assert!(state.is_flag_set("queue.available"));
    assert!(!state.is_flag_set("kafka.available"));
    assert_eq!(state.status.message, "10.0.0.1:9092 | 10.0.0.1:9092");
    let state = depart(state, "queue:2", "kafka/0");
    assert!(!state.is_flag_set("queue.connected"));
}

#[test]
fn reading_the_brokers_costs_no_hook_tool_call() {
    let state = join_kafka(client(), "kafka:1", "kafka/0", "10.0.0.1", "9092");
    let out = fire(&state, Hook::new("update-status"));
    assert!(out.trace.invoked().any(|h| h.contains("configure_kafka")));
    let relation_tools = out
        .tool_calls
        .iter()
        .filter(|c| c.tool.starts_with("relation-"))
        .count();
    assert_eq!(relation_tools, 0, "{:?}", out.tool_calls);
}
