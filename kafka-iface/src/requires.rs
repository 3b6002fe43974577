//! The requiring side: a client finding the Kafka units to connect to.

use std::fmt;

use reactive_core::hookenv::{self, Settings};
use reactive_core::prelude::*;
use reactive_core::relations::Conversation;
use reactive_core::Error;
use serde::{Deserialize, Serialize};

use crate::address::parse_address;
use crate::error::KafkaError;
use crate::port::parse_port;
use reactive_core::quote;

reactive_core::relation_type! {
    /// The requiring side of the `kafka` interface, bound to every relation
    /// `metadata.yaml` declares under `requires:` with `interface: kafka`.
    /// One conversation per Kafka unit.
    ///
    /// Flags (`{relation_name}` is the relation's name, `kafka` usually):
    /// - `{relation_name}.connected`: a Kafka unit has joined; set while at
    ///   least one remains.
    /// - `{relation_name}.available`: at least one Kafka unit is *ready*: it
    ///   has published a valid `port` (1-65535) and has a valid address
    ///   (`ingress-address`, else `private-address`; see
    ///   [`parse_address`](crate::parse_address)). Read them with
    ///   [`KafkaRequires::brokers`], [`KafkaRequires::get_kafka_ip`] and
    ///   [`KafkaRequires::get_kafka_port`].
    ///
    /// Readiness is decided in the relation hooks, from the settings Juju
    /// shows them, and remembered per conversation, so reading the brokers
    /// later costs no hook-tool call. A unit publishing a bad port or a bad
    /// address is not ready, and a warning naming it, the relation and the
    /// value (quoted, at most [`QUOTE_LIMIT`](crate::QUOTE_LIMIT) bytes of
    /// it) is logged; the hook does not fail. A departing unit takes only its own conversation off the
    /// flags.
    pub struct KafkaRequires: requires "kafka";
}

/// Where a conversation remembers its unit's broker.
const BROKER_KEY: &str = "broker";

/// A ready Kafka unit: where a client connects to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Broker {
    /// The relation id it is on (`kafka:3`).
    pub relation_id: String,
    /// The Kafka unit (`kafka/0`).
    pub unit: String,
    /// Its address.
    pub host: String,
    /// The port it published.
    pub port: u16,
}

impl Broker {
    /// The order [`KafkaRequires::brokers`] lists brokers in: by relation
    /// id number, then application, then unit number.
    fn sort_key(&self) -> (u64, &str, u64) {
        let number = |s: &str| s.parse::<u64>().unwrap_or(u64::MAX);
        let rid = self.relation_id.rsplit(':').next().map_or(u64::MAX, number);
        let (app, n) = self.unit.split_once('/').unwrap_or((&self.unit, ""));
        (rid, app, number(n))
    }
}

impl fmt::Display for Broker {
    /// `host:port`, with an IPv6 host in brackets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

#[hook("{requires:kafka}-relation-joined")]
fn kafka_joined(kafka: &KafkaRequires) -> reactive_core::Result {
    kafka
        .conversation()?
        .set_state("{relation_name}.connected")?;
    Ok(())
}

#[hook("{requires:kafka}-relation-changed")]
fn kafka_changed(kafka: &KafkaRequires) -> reactive_core::Result {
    let conversation = kafka.conversation()?;
    let broker = current_broker()?;
    conversation.set_local(BROKER_KEY, &broker)?;
    if broker.is_some() {
        conversation.set_state("{relation_name}.available")?;
    } else {
        conversation.remove_state("{relation_name}.available")?;
    }
    Ok(())
}

#[hook("{requires:kafka}-relation-departed")]
fn kafka_departed(kafka: &KafkaRequires) -> reactive_core::Result {
    let conversation = kafka.conversation()?;
    conversation.remove_state("{relation_name}.connected")?;
    conversation.remove_state("{relation_name}.available")?;
    Ok(())
}

/// The broker the current remote unit offers, if it is ready; logs a
/// warning for a port that is there but unusable.
fn current_broker() -> Result<Option<Broker>, Error> {
    let (Some(rid), Some(unit)) = (hookenv::relation_id(), hookenv::remote_unit()) else {
        return Ok(None);
    };
    let settings = hookenv::relation_get_all(Some(&unit), Some(&rid))?;
    Ok(broker_from(&rid, &unit, &settings))
}

/// The broker described by a unit's settings, if it is ready.
fn broker_from(rid: &str, unit: &str, settings: &Settings) -> Option<Broker> {
    let raw = settings.get("port")?;
    let port = match parse_port(raw) {
        Ok(p) => p,
        Err(e) => {
            log::warn!(
                "kafka: unit {unit} on relation {rid} published port={} ({}); \
                 it is not used until it publishes a port in 1-65535",
                quote(raw),
                e.reason
            );
            return None;
        }
    };
    let host = reactive_core::hookenv::published_address(settings);
    let Some((key, host)) = host else {
        log::info!("kafka: unit {unit} on relation {rid} published port {port} but no address yet");
        return None;
    };
    if let Err(e) = parse_address(host) {
        log::warn!(
            "kafka: unit {unit} on relation {rid} published {key}={} ({}); \
             it is not used until it publishes an IP address or a hostname",
            quote(host),
            e.reason
        );
        return None;
    }
    Some(Broker {
        relation_id: rid.to_string(),
        unit: unit.to_string(),
        host: host.to_string(),
        port,
    })
}

impl KafkaRequires {
    /// Every ready Kafka unit of this instance, in a stable order (relation
    /// id, then unit). For the instance a `{relation_name}.available`
    /// handler receives, that is every ready unit of the relation.
    pub fn ready_units(&self) -> Result<Vec<Broker>, KafkaError> {
        let mut out = Vec::new();
        for c in &self.conversations {
            if let Some(b) = remembered(c)? {
                out.push(b);
            }
        }
        out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Ok(out)
    }

    /// Every ready Kafka unit as `host:port`, in the order of
    /// [`KafkaRequires::ready_units`]: what a client's
    /// `bootstrap.servers` lists.
    pub fn brokers(&self) -> Result<Vec<String>, KafkaError> {
        Ok(self.ready_units()?.iter().map(Broker::to_string).collect())
    }

    /// The address of the first ready Kafka unit; an error when none is
    /// ready.
    pub fn get_kafka_ip(&self) -> Result<String, KafkaError> {
        Ok(self.first_ready()?.host)
    }

    /// The port of the first ready Kafka unit; an error when none is ready.
    pub fn get_kafka_port(&self) -> Result<u16, KafkaError> {
        Ok(self.first_ready()?.port)
    }

    fn first_ready(&self) -> Result<Broker, KafkaError> {
        self.ready_units()?
            .into_iter()
            .next()
            .ok_or_else(|| KafkaError::NotReady {
                relation: self.relation_name.clone(),
            })
    }
}

/// The broker a conversation remembered when its unit was last seen ready.
fn remembered(c: &Conversation) -> Result<Option<Broker>, Error> {
    Ok(c.get_local::<Option<Broker>>(BROKER_KEY)?.flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(items: &[(&str, &str)]) -> Settings {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_ready_unit_needs_a_port_and_an_address() {
        let b = broker_from(
            "kafka:1",
            "kafka/0",
            &settings(&[("port", "9092"), ("private-address", "10.0.0.1")]),
        );
        assert_eq!(b.map(|b| b.to_string()).as_deref(), Some("10.0.0.1:9092"));
        let ingress = broker_from(
            "kafka:1",
            "kafka/0",
            &settings(&[("port", "9092"), ("ingress-address", "10.0.0.2")]),
        );
        assert_eq!(ingress.map(|b| b.host).as_deref(), Some("10.0.0.2"));
        // Both published (Juju sets both): `ingress-address` is the one
        // reachable across spaces and models.
        let both = broker_from(
            "kafka:1",
            "kafka/0",
            &settings(&[
                ("port", "9092"),
                ("private-address", "10.0.0.1"),
                ("ingress-address", "192.168.7.7"),
            ]),
        );
        assert_eq!(both.map(|b| b.host).as_deref(), Some("192.168.7.7"));
        assert_eq!(
            broker_from("kafka:1", "kafka/0", &settings(&[("port", "9092")])),
            None
        );
        assert_eq!(
            broker_from("kafka:1", "kafka/0", &settings(&[("private-address", "a")])),
            None
        );
    }

    #[test]
    fn ipv6_hosts_are_bracketed() {
        let b = Broker {
            relation_id: "kafka:1".into(),
            unit: "kafka/0".into(),
            host: "2001:db8::1".into(),
            port: 9092,
        };
        assert_eq!(b.to_string(), "[2001:db8::1]:9092");
    }

    #[test]
    fn brokers_sort_by_relation_id_then_unit_number() {
        let b = |rid: &str, unit: &str| Broker {
            relation_id: rid.into(),
            unit: unit.into(),
            host: "h".into(),
            port: 1,
        };
        let mut v = [
            b("kafka:10", "kafka/0"),
            b("kafka:2", "kafka/10"),
            b("kafka:2", "kafka/9"),
        ];
        v.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let units: Vec<_> = v.iter().map(|b| (&*b.relation_id, &*b.unit)).collect();
        assert_eq!(
            units,
            [
                ("kafka:2", "kafka/9"),
                ("kafka:2", "kafka/10"),
                ("kafka:10", "kafka/0")
            ]
        );
    }
}
