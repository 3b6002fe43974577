//! The interface's errors.

/// What can go wrong reading or publishing Kafka settings.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KafkaError {
    /// No Kafka unit of the relation is ready yet.
    #[error(
        "no Kafka unit is ready on relation {relation}: none has published a valid port \
         (1-65535) together with an address"
    )]
    NotReady {
        /// The relation name (`kafka`).
        relation: String,
    },
    /// No Kafka application of a `kafka_client` endpoint has published
    /// endpoints and credentials yet.
    #[error(
        "no Kafka application on endpoint {endpoint} has published endpoints and credentials yet"
    )]
    NoOffer {
        /// The endpoint name.
        endpoint: String,
    },
    /// A topic name the data-platform library would refuse.
    #[error("{reason}")]
    InvalidTopic {
        /// What is wrong with it.
        reason: String,
    },
    /// The relation's state or a hook tool failed.
    #[error(transparent)]
    Relation(#[from] reactive_core::Error),
}
