//! The example Kafka client charm: waits for Kafka over the kafka
//! interface and writes every ready broker to `kafka-client.properties` in
//! the charm directory (`bootstrap.servers=host:port,...`).
//!
//! Handlers (the first two are the Python reference charm's,
//! `conformance/python/charms/kafka-client`):
//! 1. `waiting_for_kafka_available`: the interface's documented example.
//! 2. `configure_kafka`: writes the file once Kafka is available, sets
//!    `service.started`, reports `Ready`.
//! 3. `update_kafka_brokers`: rewrites the file when the broker list
//!    changes (another Kafka unit, a new port).
//! 4. `unconfigure_kafka`: when no broker is left, removes the file and
//!    clears `service.started`, so `configure_kafka` runs again later.
//! 5. `waiting_for_kafka_relation`: no Kafka unit connected; blocked when
//!    there is no relation at all.

use std::path::PathBuf;

use kafka_iface::KafkaRequires;
use reactive_core::prelude::*;

/// The client's configuration, in the charm directory.
const PROPERTIES: &str = "kafka-client.properties";

/// Where `data_changed` keeps the broker list last written.
const BROKERS_KEY: &str = "kafka-client.brokers";

fn properties_path() -> PathBuf {
    hookenv::charm_dir().join(PROPERTIES)
}

/// Writes the properties file whole (through a temporary file and a
/// rename, so a reader never sees half of it).
fn write_properties(brokers: &[String]) -> reactive_core::Result {
    let path = properties_path();
    let tmp = path.with_extension("properties.tmp");
    let text = format!("bootstrap.servers={}\n", brokers.join(","));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|e| HandlerError::msg(format!("writing {}: {e}", path.display())))
}

#[when("kafka.connected")]
#[when_not("kafka.available")]
fn waiting_for_kafka_available(_kafka: &KafkaRequires) -> reactive_core::Result {
    hookenv::status_set(WorkloadState::Waiting, "Waiting for availability of Kafka")?;
    Ok(())
}

#[when("kafka.available")]
#[when_not("service.started")]
fn configure_kafka(kafka: &KafkaRequires) -> reactive_core::Result {
    let brokers = kafka.brokers()?;
    data_changed(BROKERS_KEY, &brokers)?;
    write_properties(&brokers)?;
    set_flag("service.started");
    hookenv::status_set(WorkloadState::Active, "Ready")?;
    Ok(())
}

#[when("kafka.available", "service.started")]
fn update_kafka_brokers(kafka: &KafkaRequires) -> reactive_core::Result {
    let brokers = kafka.brokers()?;
    if data_changed(BROKERS_KEY, &brokers)? {
        write_properties(&brokers)?;
        hookenv::log(format!("bootstrap.servers is now {}", brokers.join(",")));
    }
    Ok(())
}

#[when("service.started")]
#[when_not("kafka.available")]
fn unconfigure_kafka() -> reactive_core::Result {
    let path = properties_path();
    match std::fs::remove_file(&path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(HandlerError::msg(format!(
                "removing {}: {e}",
                path.display()
            )))
        }
    }
    clear_flag("service.started");
    Ok(())
}

#[when_not("kafka.connected")]
fn waiting_for_kafka_relation() -> reactive_core::Result {
    // Juju still lists a relation during its own -relation-broken hook.
    let broken = hookenv::hook_name()
        .ends_with("-relation-broken")
        .then(hookenv::relation_id)
        .flatten();
    let mut ids = hookenv::relation_ids(Some("kafka"))?;
    ids.retain(|id| Some(id) != broken.as_ref());
    if ids.is_empty() {
        hookenv::status_set(WorkloadState::Blocked, "Missing relation to Kafka")?;
    } else {
        hookenv::status_set(WorkloadState::Waiting, "Waiting for a Kafka unit to join")?;
    }
    Ok(())
}

fn main() {
    reactive_core::main()
}

#[cfg(test)]
mod tests {
    use reactive_core::hookenv::WorkloadState;
    use reactive_core::testing::{Hook, Outcome, Relation, State};

    const META: &str = include_str!("../../charms/kafka-client/metadata.yaml");

    fn fire(state: &State, hook: Hook) -> Outcome {
        let out = state.run(hook);
        assert!(out.is_ok(), "{:?}", out.error_message());
        out
    }

    fn kafka(units: &[(&str, &str)]) -> Relation {
        units
            .iter()
            .fold(Relation::new("kafka", 1, "kafka"), |r, (unit, addr)| {
                r.with_unit(*unit, [("private-address", *addr), ("port", "9092")])
            })
    }

    /// `unit` (already in the state's relation) joins and changes.
    fn join(state: &State, unit: &str) -> State {
        let state = fire(state, Hook::relation_joined("kafka:1", unit)).state;
        fire(&state, Hook::relation_changed("kafka:1", unit)).state
    }

    #[test]
    fn blocked_without_relation_waiting_without_unit() {
        let out = fire(&State::default().with_metadata(META), Hook::new("install"));
        assert!(out.state.status.is(WorkloadState::Blocked));
        assert_eq!(out.state.status.message, "Missing relation to Kafka");
        let state = out.state.with_relation(Relation::new("kafka", 1, "kafka"));
        let out = fire(&state, Hook::relation_created("kafka:1"));
        assert_eq!(out.state.status.message, "Waiting for a Kafka unit to join");
    }

    // The properties file itself is checked by the end-to-end tests, which
    // run the charm in its own directory; here the flags and the status.
    #[test]
    fn ready_once_kafka_is_available_and_waiting_when_it_leaves() {
        let state = State::default()
            .with_metadata(META)
            .with_relation(kafka(&[("kafka/0", "10.0.0.1")]));
        let state = join(&state, "kafka/0");
        assert!(state.is_flag_set("service.started"));
        assert_eq!(state.status.message, "Ready");
        let mut state = fire(&state, Hook::relation_departed("kafka:1", "kafka/0")).state;
        state.relations[0].remote_units.clear();
        assert!(!state.is_flag_set("service.started"));
        assert!(!state.is_flag_set("kafka.connected"));
        assert_eq!(state.status.message, "Waiting for a Kafka unit to join");
    }

    /// Juju lists the relation in its own -relation-broken hook
    /// (`worker/uniter/relation/resolver.go`): the client must not wait
    /// for a unit of a relation that is going away.
    #[test]
    fn blocked_when_the_last_relation_is_broken() {
        let state = State::default()
            .with_metadata(META)
            .with_relation(Relation::new("kafka", 1, "kafka"));
        let out = fire(&state, Hook::relation_broken("kafka:1"));
        assert!(out.state.status.is(WorkloadState::Blocked));
        assert_eq!(out.state.status.message, "Missing relation to Kafka");
    }
}
