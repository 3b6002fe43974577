//! The `kafka_client` interface, as Charmed Kafka and the data-platform
//! libraries speak it: the client's leader asks for a topic in its
//! application databag; the broker's leader answers with endpoints and
//! credentials, in Juju secrets when the client asked for them.
//!
//! The interface name in `metadata.yaml` picks the protocol: endpoints
//! declared with `interface: kafka_client` are served by
//! [`KafkaClientRequires`] and [`KafkaClientProvides`], ones with
//! `interface: kafka` by the seed's [`KafkaRequires`](crate::KafkaRequires)
//! and [`KafkaProvides`](crate::KafkaProvides). `docs/kafka.md` lists
//! every field of both protocols.
//!
//! ```
//! use kafka_iface::KafkaClientRequires;
//! use reactive_core::prelude::*;
//!
//! #[when("events.connected")]
//! fn ask(kafka: &KafkaClientRequires) -> reactive_core::Result {
//!     kafka.request_topic("orders", "producer", None)?;
//!     Ok(())
//! }
//!
//! # fn main() {
//! use reactive_core::testing::{Hook, Relation, State};
//! let out = State::default()
//!     .with_file("metadata.yaml", "name: app\nrequires:\n  events:\n    interface: kafka_client\n")
//!     .with_leader(true)
//!     .with_relation(Relation::new("events", 1, "kafka"))
//!     .run(Hook::relation("created", "events:1", None));
//! assert_eq!(out.error_message(), None);
//! let request = &out.state.relation("events:1").unwrap().local_app_data;
//! assert_eq!(request["topic"], "orders");
//! assert_eq!(request["extra-user-roles"], "producer");
//! # }
//! ```

mod provides;
mod requires;
mod wire;

pub use provides::{KafkaClientProvides, TopicGrant};
pub use requires::{KafkaClientRequires, KafkaOffer};
pub use wire::{Credentials, Protocol, TopicRequest, REQUESTED_SECRETS};
