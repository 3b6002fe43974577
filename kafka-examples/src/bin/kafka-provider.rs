//! The example Kafka provider charm: publishes its `source_port` to every
//! client over the kafka interface, opens it, and reports how many clients
//! are set up.
//!
//! Handlers, in the order the engine tests them (the Python reference
//! charm's names, `conformance/python/charms/kafka-provider`):
//! 1. `check_source_port` on `config.changed.source_port`: a port in
//!    1-65535 sets `kafka-provider.port-ok`; anything else clears it and
//!    blocks the unit with `Invalid source_port: <value>` (the hook
//!    succeeds). Clearing drops the handlers queued after it (rule D4), so
//!    a bad port is never published nor opened.
//! 2. `waiting_for_client`: the interface's documented example.
//! 3. `republish_port` when the port changes.
//! 4. `report_ready`: opens the port (closing any other one) and reports
//!    `Ready: <n> clients`.
//! 5. `waiting_for_relation` while no client is connected.

use kafka_iface::KafkaProvides;
use reactive_core::hookenv::Port;
use reactive_core::prelude::*;
use serde_json::Value;

/// Set while config `source_port` is a usable TCP port.
const PORT_OK: &str = "kafka-provider.port-ok";

/// Config `source_port` as a TCP port, or, when it is not one, the value as
/// shown to the operator.
fn source_port() -> Result<Result<u16, String>, reactive_core::hookenv::HookError> {
    Ok(match config().get::<serde_json::Value>("source_port")? {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(p @ 1..=65535) => Ok(p as u16),
            _ => Err(n.to_string()),
        },
        Some(Value::String(s)) => Err(s),
        Some(other) => Err(other.to_string()),
        None => Err("(unset)".to_string()),
    })
}

/// The port, for handlers guarded by `PORT_OK`.
fn checked_port() -> reactive_core::Result<u16> {
    source_port()?.map_err(|shown| {
        HandlerError::msg(format!(
            "source_port {shown} is not a port, yet {PORT_OK} is set"
        ))
    })
}

#[when("config.changed.source_port")]
fn check_source_port() -> reactive_core::Result {
    match source_port()? {
        Ok(_) => set_flag(PORT_OK),
        Err(shown) => {
            clear_flag(PORT_OK);
            hookenv::status_set(
                WorkloadState::Blocked,
                &format!("Invalid source_port: {shown}"),
            )?;
        }
    }
    Ok(())
}

#[when("kafka.connected", "kafka-provider.port-ok")]
#[when_not("kafka.available")]
fn waiting_for_client(kafka: &KafkaProvides) -> reactive_core::Result {
    kafka.send_configuration(checked_port()?)?;
    hookenv::status_set(
        WorkloadState::Waiting,
        "Waiting for a client to become available",
    )?;
    Ok(())
}

#[when(
    "kafka.connected",
    "kafka-provider.port-ok",
    "config.changed.source_port"
)]
fn republish_port(kafka: &KafkaProvides) -> reactive_core::Result {
    kafka.send_configuration(checked_port()?)?;
    Ok(())
}

/// Opens the port and closes any other one, as Juju holds them
/// (`opened-ports`), not as this unit remembers them: a hook killed after
/// its commit had its port changes dropped by Juju. The framework sends
/// only the changes Juju does not hold yet.
#[when("kafka.available", "kafka-provider.port-ok")]
fn report_ready(kafka: &KafkaProvides) -> reactive_core::Result {
    let port = Port::tcp(checked_port()?);
    for other in hookenv::opened_ports()?.into_iter().filter(|p| *p != port) {
        hookenv::close_port(other)?;
    }
    hookenv::open_port(port)?;
    let clients = kafka.client_units().len();
    hookenv::status_set(WorkloadState::Active, &format!("Ready: {clients} clients"))?;
    Ok(())
}

#[when("kafka-provider.port-ok")]
#[when_not("kafka.connected")]
fn waiting_for_relation() -> reactive_core::Result {
    hookenv::status_set(WorkloadState::Waiting, "Waiting for a client to connect")?;
    Ok(())
}

fn main() {
    reactive_core::main()
}

#[cfg(test)]
mod tests {
    use reactive_core::hookenv::{Port, WorkloadState};
    use reactive_core::testing::{Hook, Outcome, Relation, State};

    const META: &str = include_str!("../../charms/kafka-provider/metadata.yaml");
    const CONFIG: &str = include_str!("../../charms/kafka-provider/config.yaml");

    fn provider() -> State {
        State::default()
            .with_file("metadata.yaml", META)
            .with_file("config.yaml", CONFIG)
    }

    fn fire(state: &State, hook: Hook) -> Outcome {
        let out = state.run(hook);
        assert_eq!(out.error_message(), None);
        out
    }

    /// A provider with one client unit set up on kafka:1.
    fn serving() -> State {
        let client =
            Relation::new("kafka", 1, "client").with_unit("client/0", [("private-address", "a")]);
        let state = fire(&provider(), Hook::new("install")).state;
        let state = fire(
            &state.with_relation(client),
            Hook::relation("joined", "kafka:1", Some("client/0")),
        );
        fire(
            &state.state,
            Hook::relation("changed", "kafka:1", Some("client/0")),
        )
        .state
    }

    #[test]
    fn waits_for_a_client_then_reports_it() {
        let out = fire(&provider(), Hook::new("install"));
        assert!(out.state.is_flag_set("kafka-provider.port-ok"));
        assert_eq!(out.state.status.message, "Waiting for a client to connect");
        let state = serving();
        assert_eq!(state.status.state, Some(WorkloadState::Active));
        assert_eq!(state.status.message, "Ready: 1 clients");
        assert_eq!(
            state.relation("kafka:1").unwrap().local_unit_data["port"],
            "9092"
        );
        assert!(state.opened_ports.contains(&Port::tcp(9092)));
    }

    #[test]
    fn a_new_port_is_republished_opened_and_the_old_one_closed() {
        let out = fire(
            &serving().with_config("source_port", 9093),
            Hook::new("config-changed"),
        );
        assert!(out.trace.invoked().any(|h| h.ends_with(":republish_port")));
        assert_eq!(
            out.state.relation("kafka:1").unwrap().local_unit_data["port"],
            "9093"
        );
        assert!(out.state.opened_ports.contains(&Port::tcp(9093)));
        assert!(!out.state.opened_ports.contains(&Port::tcp(9092)));
        // Nothing changes in the next hook: no port or relation call.
        let out = fire(&out.state, Hook::new("update-status"));
        for tool in ["open-port", "close-port", "relation-set"] {
            assert_eq!(out.calls_to(tool), 0, "{tool}");
        }
    }

    #[test]
    fn an_invalid_port_blocks_without_failing_and_publishes_nothing() {
        // Not "abc": Juju refuses a string for an `int` option, and so does
        // the harness.
        for bad in [serde_json::json!(0), serde_json::json!(70000)] {
            let out = fire(
                &serving().with_config("source_port", bad.clone()),
                Hook::new("config-changed"),
            );
            assert!(!out.state.is_flag_set("kafka-provider.port-ok"));
            assert_eq!(out.state.status.state, Some(WorkloadState::Blocked));
            let shown = bad.as_str().map_or(bad.to_string(), str::to_string);
            assert_eq!(
                out.state.status.message,
                format!("Invalid source_port: {shown}")
            );
            assert_eq!(
                out.state.relation("kafka:1").unwrap().local_unit_data["port"],
                "9092"
            );
            assert_eq!(out.calls_to("relation-set"), 0);
            // Fixed: active again, on the new port.
            let out = fire(
                &out.state.with_config("source_port", 9094),
                Hook::new("config-changed"),
            );
            assert_eq!(out.state.status.message, "Ready: 1 clients");
            assert_eq!(
                out.state.relation("kafka:1").unwrap().local_unit_data["port"],
                "9094"
            );
        }
    }
}
