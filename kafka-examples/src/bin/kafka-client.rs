//! The example Kafka client charm: waits for Kafka over the `kafka`
//! interface (the seed's) or the `kafka_client` one (Charmed Kafka's) and
//! writes the brokers to `kafka-client.properties` in the charm directory
//! (`bootstrap.servers=host:port,...`, and the SASL settings when Kafka
//! gave credentials).
//!
//! Handlers (the first two are the Python reference charm's,
//! `conformance/python/charms/kafka-client`):
//! 1. `waiting_for_kafka_available`: the interface's documented example.
//! 2. `configure_kafka`: writes the file once Kafka is available on either
//!    relation, sets `service.started`, reports `Ready`.
//! 3. `update_kafka_brokers`: rewrites the file when the broker list or
//!    the credentials change (another Kafka unit, a new port, a new
//!    password).
//! 4. `unconfigure_kafka`: when no broker is left, removes the file and
//!    clears `service.started`, so `configure_kafka` runs again later.
//! 5. `waiting_for_kafka_relation`: no Kafka connected; blocked when there
//!    is no relation at all.
//! 6. `request_topic`: on `kafka-client.connected`, the leader asks for
//!    the topic named after the application.

use std::path::PathBuf;

use kafka_iface::{Credentials, KafkaClientRequires, KafkaRequires};
use reactive_core::endpoints::EndpointType;
use reactive_core::prelude::*;
use reactive_core::relations::RelationType;

/// The client's configuration, in the charm directory.
const PROPERTIES: &str = "kafka-client.properties";

/// Where `data_changed` keeps the broker list last written.
const BROKERS_KEY: &str = "kafka-client.brokers";

/// Where `data_changed` keeps the credentials last written.
const CREDENTIALS_KEY: &str = "kafka-client.credentials";

/// The relations the client can reach Kafka over: the seed's protocol and
/// `kafka_client`.
const RELATIONS: [&str; 2] = ["kafka", "kafka-client"];

fn properties_path() -> PathBuf {
    hookenv::charm_dir().join(PROPERTIES)
}

/// Where to connect and as whom.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
struct Connection {
    brokers: Vec<String>,
    credentials: Option<Credentials>,
}

/// The connection of the available relation: `kafka` first, then
/// `kafka-client`.
fn connection() -> reactive_core::Result<Connection> {
    if let Some(kafka) = KafkaRequires::from_flag("kafka.available")? {
        return Ok(Connection {
            brokers: kafka.brokers()?,
            credentials: None,
        });
    }
    if let Some(kafka) = KafkaClientRequires::from_flag("kafka-client.available")? {
        return Ok(Connection {
            brokers: kafka.bootstrap_servers()?,
            credentials: kafka.credentials()?,
        });
    }
    Ok(Connection {
        brokers: Vec::new(),
        credentials: None,
    })
}

/// A JAAS quoted string: `"` and `\` escaped (the interface already left
/// out credentials with control characters, so no line break gets in).
fn jaas_quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Writes the properties file whole (through a temporary file and a
/// rename, so a reader never sees half of it); readable by this user only
/// since it may hold a password.
fn write_properties(c: &Connection) -> reactive_core::Result {
    let path = properties_path();
    let tmp = path.with_extension("properties.tmp");
    let mut text = format!("bootstrap.servers={}\n", c.brokers.join(","));
    if let Some(creds) = &c.credentials {
        let protocol = if creds.tls {
            "SASL_SSL"
        } else {
            "SASL_PLAINTEXT"
        };
        text.push_str(&format!(
            "security.protocol={protocol}\nsasl.mechanism=SCRAM-SHA-512\n\
             sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule \
             required username={} password={};\n",
            jaas_quoted(&creds.username),
            jaas_quoted(&creds.password)
        ));
    }
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)
    };
    write().map_err(|e| HandlerError::msg(format!("writing {}: {e}", path.display())))
}

#[when("kafka.connected")]
#[when_not("kafka.available")]
fn waiting_for_kafka_available(_kafka: &KafkaRequires) -> reactive_core::Result {
    hookenv::status_set(WorkloadState::Waiting, "Waiting for availability of Kafka")?;
    Ok(())
}

#[when_any("kafka.available", "kafka-client.available")]
#[when_not("service.started")]
fn configure_kafka() -> reactive_core::Result {
    let c = connection()?;
    data_changed(BROKERS_KEY, &c.brokers)?;
    data_changed(CREDENTIALS_KEY, &c.credentials)?;
    write_properties(&c)?;
    set_flag("service.started");
    hookenv::status_set(WorkloadState::Active, "Ready")?;
    Ok(())
}

#[when_any("kafka.available", "kafka-client.available")]
#[when("service.started")]
fn update_kafka_brokers() -> reactive_core::Result {
    let c = connection()?;
    let brokers_changed = data_changed(BROKERS_KEY, &c.brokers)?;
    let credentials_changed = data_changed(CREDENTIALS_KEY, &c.credentials)?;
    if brokers_changed || credentials_changed {
        write_properties(&c)?;
    }
    if brokers_changed {
        hookenv::log(format!("bootstrap.servers is now {}", c.brokers.join(",")));
    }
    if credentials_changed {
        hookenv::log("new credentials written to kafka-client.properties");
    }
    clear_flag("kafka-client.endpoints.changed");
    Ok(())
}

#[when("service.started")]
#[when_none("kafka.available", "kafka-client.available")]
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

#[when_none("kafka.connected", "kafka-client.connected")]
fn waiting_for_kafka_relation() -> reactive_core::Result {
    // Juju still lists a relation during its own -relation-broken hook.
    let broken = hookenv::hook_name()
        .ends_with("-relation-broken")
        .then(hookenv::relation_id)
        .flatten();
    let mut ids = Vec::new();
    for name in RELATIONS {
        ids.extend(hookenv::relation_ids(Some(name))?);
    }
    ids.retain(|id| Some(id) != broken.as_ref());
    if ids.is_empty() {
        hookenv::status_set(WorkloadState::Blocked, "Missing relation to Kafka")?;
    } else {
        hookenv::status_set(WorkloadState::Waiting, "Waiting for a Kafka unit to join")?;
    }
    Ok(())
}

#[when("kafka-client.connected")]
fn request_topic(kafka: &KafkaClientRequires) -> reactive_core::Result {
    kafka.request_topic(&hookenv::application_name(), "producer,consumer", None)?;
    if !is_flag_set("kafka-client.available") && !is_flag_set("kafka.available") {
        hookenv::status_set(WorkloadState::Waiting, "Waiting for Kafka to grant a topic")?;
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
        assert_eq!(out.error_message(), None);
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
        let state = fire(state, Hook::relation("joined", "kafka:1", Some(unit))).state;
        fire(&state, Hook::relation("changed", "kafka:1", Some(unit))).state
    }

    #[test]
    fn blocked_without_relation_waiting_without_unit() {
        let out = fire(
            &State::default().with_file("metadata.yaml", META),
            Hook::new("install"),
        );
        assert_eq!(out.state.status.state, Some(WorkloadState::Blocked));
        assert_eq!(out.state.status.message, "Missing relation to Kafka");
        let state = out.state.with_relation(Relation::new("kafka", 1, "kafka"));
        let out = fire(&state, Hook::relation("created", "kafka:1", None));
        assert_eq!(out.state.status.message, "Waiting for a Kafka unit to join");
    }

    // The properties file itself is checked by the end-to-end tests, which
    // run the charm in its own directory; here the flags and the status.
    #[test]
    fn ready_once_kafka_is_available_and_waiting_when_it_leaves() {
        let state = State::default()
            .with_file("metadata.yaml", META)
            .with_relation(kafka(&[("kafka/0", "10.0.0.1")]));
        let state = join(&state, "kafka/0");
        assert!(state.is_flag_set("service.started"));
        assert_eq!(state.status.message, "Ready");
        let mut state = fire(
            &state,
            Hook::relation("departed", "kafka:1", Some("kafka/0")),
        )
        .state;
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
            .with_file("metadata.yaml", META)
            .with_relation(Relation::new("kafka", 1, "kafka"));
        let out = fire(&state, Hook::relation("broken", "kafka:1", None));
        assert_eq!(out.state.status.state, Some(WorkloadState::Blocked));
        assert_eq!(out.state.status.message, "Missing relation to Kafka");
    }
}
