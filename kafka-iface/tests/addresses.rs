//! Addresses (and ports) a Kafka unit publishes are untrusted: a client uses only an
//! IPv4 or IPv6 address or a DNS hostname, and ignores a unit publishing
//! anything else with a warning naming the unit, the relation and the
//! value (cut after 1 KiB), without failing the hook. The injections a
//! client's properties file would take (a line break and a property, a
//! comma and a broker) are among the inputs.

mod common;

use common::{change, enter, fire, join, warnings};
use kafka_iface::{KafkaRequires, QUOTE_LIMIT};
use reactive_core::prelude::*;
use reactive_core::testing::{Hook, State};

#[when("kafka.available")]
fn configure_kafka(kafka: &KafkaRequires) -> reactive_core::Result {
    hookenv::status_set(WorkloadState::Active, &kafka.brokers()?.join(","))?;
    Ok(())
}

const META: &str = "name: client\nrequires:\n  kafka:\n    interface: kafka\n";

/// The inputs refused, with the reason a warning gives.
fn bad_addresses() -> Vec<(String, &'static str)> {
    vec![
        (
            "10.0.0.1\nssl.truststore.location=/tmp/evil".into(),
            "contains '\\n'",
        ),
        ("[evil.example:1,10.0.0.1]".into(), "contains ','"),
        ("evil.example:1,10.0.0.1".into(), "contains ','"),
        ("10.0.0.1 10.0.0.2".into(), "contains ' '"),
        ("10.0.0.1\r".into(), "contains '\\r'"),
        ("a=b".into(), "contains '='"),
        ("10.0.0.0/8".into(), "contains '/'"),
        ("10.0.0.256".into(), "neither an IPv4"),
        ("-kafka".into(), "neither an IPv4"),
        ("n".repeat(10 * 1024 * 1024), "neither an IPv4"),
    ]
}

/// A client whose Kafka unit `kafka/0` has joined and then published
/// `data`.
fn client_seeing(data: &[(&str, &str)]) -> reactive_core::testing::Outcome {
    let state = enter(
        State::default().with_file("metadata.yaml", META),
        "kafka:1",
        "kafka/0",
        &[],
    );
    let state = fire(&state, Hook::relation("joined", "kafka:1", Some("kafka/0"))).state;
    change(state, "kafka:1", "kafka/0", data)
}

#[test]
fn a_bad_address_is_not_used_and_is_reported_without_failing() {
    for (bad, reason) in bad_addresses() {
        let shown = &bad[..bad.len().min(40)];
        let out = client_seeing(&[("private-address", &bad), ("port", "9092")]);
        assert!(out.error.is_none(), "{shown:?}: {:?}", out.error_message());
        assert!(!out.state.is_flag_set("kafka.available"), "{shown:?}");
        assert!(out.state.is_flag_set("kafka.connected"));
        let w = warnings(&out);
        assert_eq!(w.len(), 1, "{shown:?}: {:?}", out.logs);
        let w = w[0];
        assert!(
            w.contains("kafka/0") && w.contains("kafka:1") && w.contains("private-address="),
            "{w}"
        );
        assert!(w.contains(reason), "{w}");
        assert!(!w.contains('\n'), "one line: {w:?}");
        if bad.len() > QUOTE_LIMIT {
            assert!(w.len() < QUOTE_LIMIT + 300, "{} bytes", w.len());
            assert!(w.contains("more bytes not shown"), "{}", &w[w.len() - 80..]);
        } else {
            assert!(w.contains(&format!("{bad:?}")), "{w}");
        }
    }
}

#[test]
fn a_bad_ingress_address_is_refused_too() {
    let out = client_seeing(&[("ingress-address", "10.0.0.1,evil:1"), ("port", "9092")]);
    assert!(!out.state.is_flag_set("kafka.available"));
    assert!(
        warnings(&out)[0].contains("ingress-address="),
        "{:?}",
        out.logs
    );
}

#[test]
fn good_units_stay_ready_beside_a_bad_one() {
    let state = State::default().with_file("metadata.yaml", META);
    let good = [("private-address", "kafka-0.example.com"), ("port", "9092")];
    let state = join(state, "kafka:1", "kafka/0", &good);
    let v6 = [("private-address", "2001:db8::7"), ("port", "9093")];
    let state = join(state, "kafka:1", "kafka/1", &v6);
    let bad = [("private-address", "10.0.0.1\nx=y"), ("port", "9092")];
    let state = join(state, "kafka:1", "kafka/2", &bad);
    assert!(state.is_flag_set("kafka.available"));
    assert_eq!(
        state.status.message,
        "kafka-0.example.com:9092,[2001:db8::7]:9093"
    );
}

#[test]
fn a_huge_bad_port_is_quoted_cut_too() {
    let port = "9".repeat(10 * 1024 * 1024);
    let out = client_seeing(&[("private-address", "10.0.0.1"), ("port", &port)]);
    assert_eq!(out.error_message(), None);
    assert!(!out.state.is_flag_set("kafka.available"));
    let w = warnings(&out);
    assert_eq!(w.len(), 1);
    assert!(w[0].len() < QUOTE_LIMIT + 300, "{} bytes", w[0].len());
    assert!(
        w[0].contains("kafka/0") && w[0].contains("more bytes not shown"),
        "{}",
        &w[0][w[0].len() - 200..]
    );
}
