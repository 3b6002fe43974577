//! The Kafka interface for reactive charms (provides and requires sides).
