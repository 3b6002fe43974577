//! The testing harness as a charm author chains it: interface flags through
//! the interface's own handlers, changes between hooks on the output state,
//! statuses typed and recorded, and the idempotence report.

use reactive_core::hookenv::{LogLevel, WorkloadState};
use reactive_core::testing::{Hook, Idempotence, Relation, State, Status};

/// A Kafka client: the interface crate's handlers set `kafka.available`.
mod client {
    use kafka_iface::KafkaRequires;
    use reactive_core::prelude::*;

    #[when("kafka.available")]
    fn connect(kafka: &KafkaRequires) -> reactive_core::Result {
        let servers = kafka.brokers()?.join(",");
        hookenv::status_set(WorkloadState::Active, &format!("brokers {servers}"))?;
        Ok(())
    }
}

const CLIENT: &str = "name: client\nrequires:\n  kafka: {interface: kafka}\n";

#[test]
fn a_relation_with_remote_data_sets_the_interface_flags_through_its_handlers() {
    let kafka = Relation::new("kafka", 1, "kafka").with_unit(
        "kafka/0",
        [("private-address", "10.0.0.1"), ("port", "9092")],
    );
    let state = State::default()
        .with_file("metadata.yaml", CLIENT)
        .with_joined_relation(kafka);
    assert!(state.is_flag_set("kafka.connected"));
    assert!(state.is_flag_set("kafka.available"));
    assert_eq!(
        state.status,
        Status::new(WorkloadState::Active, "brokers 10.0.0.1:9092")
    );

    // The broker moves between two hooks: the real handlers see it.
    let kafka = state.relation("kafka:1").cloned().unwrap();
    let moved = kafka.with_unit(
        "kafka/0",
        [("private-address", "10.0.0.1"), ("port", "9093")],
    );
    let state = state.with_relation(moved);
    let out = state.run(Hook::relation("changed", "kafka:1", Some("kafka/0")));
    assert_eq!(out.error_message(), None);
    assert_eq!(out.state.status.message, "brokers 10.0.0.1:9093");

    // A second broker joins, then the first leaves.
    let kafka = out.state.relation("kafka:1").cloned().unwrap();
    let joined = kafka.with_unit(
        "kafka/1",
        [("private-address", "10.0.0.2"), ("port", "9092")],
    );
    let state = out
        .state
        .with_relation(joined)
        .run(Hook::relation("joined", "kafka:1", Some("kafka/1")))
        .state
        .run(Hook::relation("changed", "kafka:1", Some("kafka/1")))
        .state;
    assert_eq!(state.status.message, "brokers 10.0.0.1:9093,10.0.0.2:9092");
    let state = state
        .run(Hook::relation("departed", "kafka:1", Some("kafka/0")))
        .state;
    let mut kafka = state.relation("kafka:1").cloned().unwrap();
    kafka.remote_units.remove("kafka/0");
    let state = state.with_relation(kafka);
    assert!(state.is_flag_set("kafka.available"));
}

/// A charm that rewrites its status on every hook.
mod restless {
    use reactive_core::prelude::*;

    #[when("config.set.port")]
    fn report() -> reactive_core::Result {
        let port: u16 = config().require("port")?;
        hookenv::status_set(WorkloadState::Maintenance, "checking")?;
        hookenv::status_set(WorkloadState::Active, &format!("port {port}"))?;
        log::info!("port is {port}");
        kv().set("runs", &(kv().get::<u32>("runs")?.unwrap_or(0) + 1))?;
        Ok(())
    }
}

#[test]
fn the_idempotence_report_names_what_re_ran_and_what_changed() {
    let charm = concat!(module_path!(), "::restless");
    let state = State::default()
        .with_file("config.yaml", "options:\n  port: {type: int}\n")
        .with_config("port", 80);
    let out = state.run_in(charm, Hook::new("config-changed"));
    assert_eq!(out.error_message(), None);
    assert_eq!(
        out.status_history,
        [
            Status::new(WorkloadState::Maintenance, "checking"),
            Status::new(WorkloadState::Active, "port 80")
        ]
    );
    assert!(out
        .logs
        .iter()
        .any(|(l, m)| *l == LogLevel::Info && m == "port is 80"));

    let again = out.state.run_in(charm, Hook::new("update-status"));
    let report = Idempotence::of(&out.state, &again);
    assert!(!report.is_idempotent());
    assert!(!report.changes.is_empty());
    assert_eq!(report.handlers.len(), 1, "{report}");
    assert!(report.handlers[0].ends_with(":report"), "{report}");
    assert_eq!(report.changes, ["key-value runs: Number(1) -> Number(2)"]);
    assert_eq!(report.writes.len(), 2, "{report}");
    assert!(report.to_string().contains("handler ran"), "{report}");

    // Config and leadership change between hooks.
    let mut state = state.with_config("port", 81).with_leader(true);
    state.leader_settings.insert("token".into(), "t1".into());
    let out = state.run_in(charm, Hook::new("config-changed"));
    assert_eq!(
        out.state.status,
        Status::new(WorkloadState::Active, "port 81")
    );
    assert!(out.state.is_flag_set("leadership.is_leader"));
    assert!(out.state.is_flag_set("leadership.set.token"));
}
