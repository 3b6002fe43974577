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

mod provides;
mod requires;
mod wire;

pub use provides::{KafkaClientProvides, TopicGrant};
pub use requires::{KafkaClientRequires, KafkaOffer};
pub use wire::{Credentials, Protocol, TopicRequest, REQUESTED_SECRETS};
