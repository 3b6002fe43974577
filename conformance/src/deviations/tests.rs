//! The deviations' checks on hand-made observations: each flags our side
//! when it does not behave as documented, and says when the difference
//! showed.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{deviation, Check, Observed};
use crate::observe::{Flags, StepObs, UnitObs};
use crate::scenario::Step;

fn unit(charm: &str, flags: &[&str], status: (&str, &str)) -> UnitObs {
    UnitObs {
        charm: charm.into(),
        flags: flags
            .iter()
            .map(|f| (f.to_string(), Value::Null))
            .collect::<Flags>(),
        status: (status.0.into(), status.1.into()),
        ports: Vec::new(),
        relation_data: BTreeMap::new(),
        remote_units: BTreeMap::new(),
        files: BTreeMap::new(),
        error: None,
    }
}

fn step(units: Vec<(&str, UnitObs)>) -> StepObs {
    StepObs {
        index: 3,
        label: "update-status".into(),
        hooks: Vec::new(),
        units: units.into_iter().map(|(n, u)| (n.to_string(), u)).collect(),
        apps: BTreeMap::new(),
        errors: Vec::new(),
    }
}

fn run(id: &str, python: &StepObs, rust: &StepObs) -> Check {
    let s: Step = serde_json::from_value(json!({"do": "update-status"})).unwrap();
    let d = deviation(id).unwrap();
    (d.check)(&[Observed {
        step: &s,
        python,
        rust,
    }])
}

#[test]
fn ports_ours_holds_only_the_published_port() {
    let provider = |ports: &[&str]| {
        let mut u = unit("kafka-provider", &[], ("active", "Ready: 1 clients"));
        u.ports = ports.iter().map(|p| p.to_string()).collect();
        u.relation_data.insert(
            "kafka:0".into(),
            [("port".to_string(), "9093".to_string())].into(),
        );
        u
    };
    let python = step(vec![(
        "kafka-provider/0",
        provider(&["9092/tcp", "9093/tcp"]),
    )]);
    let good = step(vec![("kafka-provider/0", provider(&["9093/tcp"]))]);
    let c = run("kafka-ports", &python, &good);
    assert!(c.problems.is_empty() && c.observed, "{c:?}");
    let stale = step(vec![(
        "kafka-provider/0",
        provider(&["9092/tcp", "9093/tcp"]),
    )]);
    let c = run("kafka-ports", &python, &stale);
    assert_eq!(c.problems.len(), 1, "{c:?}");
}

#[test]
fn client_status_is_explained_only_by_the_missing_relation_or_unit() {
    let python = step(vec![(
        "kafka-client/0",
        unit("kafka-client", &[], ("unknown", "")),
    )]);
    let blocked = unit(
        "kafka-client",
        &[],
        ("blocked", "Missing relation to Kafka"),
    );
    let c = run(
        "kafka-client-status",
        &python,
        &step(vec![("kafka-client/0", blocked.clone())]),
    );
    assert!(c.problems.is_empty() && c.observed, "{c:?}");
    // Blocked although related: not what the deviation documents.
    let mut related = blocked;
    related
        .remote_units
        .insert("kafka:0".into(), vec!["kafka-provider/0".into()]);
    let c = run(
        "kafka-client-status",
        &python,
        &step(vec![("kafka-client/0", related)]),
    );
    assert_eq!(c.problems.len(), 1, "{c:?}");
    // Any other status difference is reported.
    let other = unit("kafka-client", &[], ("active", "Ready"));
    let c = run(
        "kafka-client-status",
        &python,
        &step(vec![("kafka-client/0", other)]),
    );
    assert_eq!(c.problems.len(), 1, "{c:?}");
}

#[test]
fn unconfigure_ours_clears_service_started_with_kafka_available() {
    let python = step(vec![(
        "kafka-client/0",
        unit("kafka-client", &["service.started"], ("active", "Ready")),
    )]);
    let gone = unit("kafka-client", &["kafka.connected"], ("blocked", "x"));
    let c = run(
        "kafka-client-unconfigure",
        &python,
        &step(vec![("kafka-client/0", gone)]),
    );
    assert!(c.problems.is_empty() && c.observed, "{c:?}");
    let kept = unit(
        "kafka-client",
        &["kafka.connected", "service.started"],
        ("blocked", "x"),
    );
    let c = run(
        "kafka-client-unconfigure",
        &python,
        &step(vec![("kafka-client/0", kept)]),
    );
    assert!(!c.problems.is_empty(), "{c:?}");
}

#[test]
fn brokers_ours_lists_every_ready_unit_in_order() {
    let provider = |addr: &str| {
        let mut u = unit("kafka-provider", &[], ("active", "Ready: 1 clients"));
        u.relation_data.insert(
            "kafka:0".into(),
            [
                ("port".to_string(), "9092".to_string()),
                ("private-address".to_string(), addr.to_string()),
            ]
            .into(),
        );
        u
    };
    let client = |file: &str| {
        let mut u = unit(
            "kafka-client",
            &["kafka.available", "service.started"],
            ("active", "Ready"),
        );
        u.remote_units.insert(
            "kafka:0".into(),
            vec!["kafka-provider/10".into(), "kafka-provider/2".into()],
        );
        u.files
            .insert("kafka-client.properties".into(), Some(file.into()));
        u
    };
    let units = |file: &str| {
        step(vec![
            ("kafka-provider/2", provider("10.0.0.2")),
            ("kafka-provider/10", provider("10.0.0.10")),
            ("kafka-client/0", client(file)),
        ])
    };
    let python = units("bootstrap.servers=10.0.0.2:9092\n");
    let good = units("bootstrap.servers=10.0.0.2:9092,10.0.0.10:9092\n");
    let c = run("kafka-client-brokers", &python, &good);
    assert!(c.problems.is_empty() && c.observed, "{c:?}");
    let reversed = units("bootstrap.servers=10.0.0.10:9092,10.0.0.2:9092\n");
    assert_eq!(
        run("kafka-client-brokers", &python, &reversed)
            .problems
            .len(),
        1
    );
}
