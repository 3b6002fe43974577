//! # kafka-iface
//!
//! The Kafka interfaces between Apache Kafka and its clients, in the
//! relation model of `reactive-core`. The provider end offers the Kafka
//! service; the requirer end needs it to work. Two protocols, picked by the
//! interface name in `metadata.yaml` (`docs/kafka.md` lists their fields):
//! - `kafka`, the seed's: [`KafkaProvides`], [`KafkaRequires`] (below);
//! - `kafka_client`, Charmed Kafka's, with credentials in Juju secrets:
//!   [`KafkaClientProvides`], [`KafkaClientRequires`] ([`client`]).
//!
//! Both types are bound to every relation `metadata.yaml` declares with
//! `interface: kafka` under their role, and their flags use
//! `{relation_name}`: a client that declares
//! `requires: { queue: { interface: kafka } }` gets `queue.connected` and
//! `queue.available`. Each keeps one conversation per remote unit, and a
//! flag stays set while at least one remote unit holds it.
//!
//! ## Provides
//!
//! [`KafkaProvides`] sets:
//! - `{relation_name}.connected`: a client unit has joined, though the
//!   service may not be available yet. Publish the connection properties
//!   now with [`KafkaProvides::send_configuration`]`(port)`.
//! - `{relation_name}.available`: the connection to the client is set up.
//!
//! As soon as a client connects, the Kafka charm publishes its port:
//!
//! ```
//! use kafka_iface::KafkaProvides;
//! use reactive_core::prelude::*;
//!
//! #[when("kafka.connected")]
//! #[when_not("kafka.available")]
//! fn waiting_availuable_kafka_client(kafka: &KafkaProvides) -> reactive_core::Result {
//!     kafka.send_configuration(hookenv::config().require("source_port")?)?;
//!     hookenv::status_set(WorkloadState::Waiting, "Waiting for a client to become available")?;
//!     Ok(())
//! }
//!
//! # fn main() {
//! // Fire a client's -relation-joined at a unit with that handler.
//! use reactive_core::testing::{Hook, Relation, State};
//! let client = Relation::new("kafka", 1, "client").with_unit("client/0", [("private-address", "10.0.0.2")]);
//! let out = State::default()
//!     .with_file("metadata.yaml", "name: kafka\nprovides:\n  kafka:\n    interface: kafka\n")
//!     .with_file("config.yaml", "options:\n  source_port: {type: int, default: 9092}\n")
//!     .with_config("source_port", 9092)
//!     .with_relation(client)
//!     .run(Hook::relation("joined", "kafka:1", Some("client/0")));
//! assert_eq!(out.error_message(), None);
//! assert!(out.state.is_flag_set("kafka.connected"));
//! assert_eq!(out.state.relation("kafka:1").unwrap().local_unit_data["port"], "9092");
//! assert_eq!(out.state.status.message, "Waiting for a client to become available");
//! # }
//! ```
//!
//! ## Requires
//!
//! [`KafkaRequires`] sets:
//! - `{relation_name}.connected`: the charm has connected to Kafka; the
//!   interface waits for the connection details (port).
//! - `{relation_name}.available`: a Kafka unit has published them; read
//!   them with [`KafkaRequires::get_kafka_ip`] and
//!   [`KafkaRequires::get_kafka_port`] (the first ready unit) or
//!   [`KafkaRequires::brokers`] (every ready unit, `host:port`). They return
//!   [`KafkaError::NotReady`] when no unit is ready.
//!
//! ```
//! use kafka_iface::KafkaRequires;
//! use reactive_core::prelude::*;
//!
//! #[when("kafka.connected")]
//! #[when_not("kafka.available")]
//! fn waiting_for_kafka_available(_kafka: &KafkaRequires) -> reactive_core::Result {
//!     hookenv::status_set(WorkloadState::Waiting, "Waiting for availability of Kafka")?;
//!     Ok(())
//! }
//!
//! #[when("kafka.available")]
//! #[when_not("service.started")]
//! fn configure_kafka(kafka: &KafkaRequires) -> reactive_core::Result {
//!     let port = kafka.get_kafka_port()?;
//!     let ip = kafka.get_kafka_ip()?;
//!     hookenv::log(format!("Kafka listens on {ip}:{port}"));
//!     set_flag("service.started");
//!     Ok(())
//! }
//!
//! # fn main() {
//! // Fire Kafka's -relation-changed at a client unit with those handlers.
//! use reactive_core::testing::{Hook, Relation, State};
//! let kafka = Relation::new("kafka", 1, "kafka")
//!     .with_unit("kafka/0", [("private-address", "10.0.0.1"), ("port", "9092")]);
//! let mut state = State::default()
//!     .with_file("metadata.yaml", "name: client\nrequires:\n  kafka:\n    interface: kafka\n")
//!     .with_relation(kafka);
//! state.flags.insert("kafka.connected".into(), serde_json::json!({
//!     "relation": "kafka", "conversations": ["reactive.conversations.kafka:1.kafka/0"]}));
//! state.kv.insert("reactive.conversations.kafka:1.kafka/0".into(), serde_json::json!({
//!     "namespace": "kafka:1", "scope": "kafka/0", "units": ["kafka/0"]}));
//! let out = state.run(Hook::relation("changed", "kafka:1", Some("kafka/0")));
//! assert_eq!(out.error_message(), None);
//! assert!(out.state.is_flag_set("service.started"));
//! assert!(out.logs.iter().any(|(_, line)| line.contains("Kafka listens on 10.0.0.1:9092")));
//! # }
//! ```
//!
//! ## Beyond the Python interface layer
//! - A remote unit departing drops only its own conversation from the
//!   flags; they stay set while another unit holds them.
//! - A client application relating after others are available gets the
//!   port in its first `-relation-joined` (see
//!   [`KafkaProvides::send_configuration`]).
//! - The requirer checks the port (`1..=65535`) and the address (an IP
//!   address or a DNS hostname, [`parse_address`]: nothing that could add
//!   a line or a broker to a client's configuration), logs a warning for a
//!   bad one (quoting at most [`QUOTE_LIMIT`] bytes of the value), lists
//!   every ready unit ([`KafkaRequires::brokers`]) and returns typed errors
//!   instead of raising.

#![warn(missing_docs)]

mod address;
pub mod client;
mod error;
mod port;
mod provides;
mod requires;

pub use address::{parse_address, AddressProblem, InvalidAddress};
pub use client::{
    Credentials, KafkaClientProvides, KafkaClientRequires, KafkaOffer, TopicGrant, TopicRequest,
};
pub use error::KafkaError;
pub use port::{parse_port, InvalidPort, PortProblem};
pub use provides::KafkaProvides;
pub use reactive_core::QUOTE_LIMIT;
pub use requires::{Broker, KafkaRequires};
