//! The providing side: the Kafka service publishing where it listens.

use reactive_core::hookenv;
use reactive_core::prelude::*;
use reactive_core::Error;

use crate::error::KafkaError;

reactive_core::relation_type! {
    /// The providing side of the `kafka` interface, bound to every relation
    /// `metadata.yaml` declares under `provides:` with `interface: kafka`.
    /// One conversation per client unit.
    ///
    /// Flags (`{relation_name}` is the relation's name, `kafka` usually):
    /// - `{relation_name}.connected`: a client unit has joined; set while at
    ///   least one client unit remains. Publish the port now with
    ///   [`KafkaProvides::send_configuration`].
    /// - `{relation_name}.available`: a client unit's `-relation-changed`
    ///   has reached this unit (Juju runs one right after `-joined`): the
    ///   connection is set up. Set while at least one such unit remains.
    ///
    /// A client unit departing takes only its own conversation off the
    /// flags.
    pub struct KafkaProvides: provides "kafka";
}

/// Where the interface remembers, per relation name, the port the charm
/// last asked to publish.
fn memory_key(relation: &str, what: &str) -> String {
    format!("kafka-iface.provides.{relation}.{what}")
}

#[hook("{provides:kafka}-relation-joined")]
fn client_joined(kafka: &KafkaProvides) -> reactive_core::Result {
    kafka
        .conversation()?
        .set_state("{relation_name}.connected")?;
    kafka.publish_to_joining()?;
    Ok(())
}

#[hook("{provides:kafka}-relation-changed")]
fn client_changed(kafka: &KafkaProvides) -> reactive_core::Result {
    kafka
        .conversation()?
        .set_state("{relation_name}.available")?;
    Ok(())
}

#[hook("{provides:kafka}-relation-departed")]
fn client_departed(kafka: &KafkaProvides) -> reactive_core::Result {
    let conversation = kafka.conversation()?;
    conversation.remove_state("{relation_name}.available")?;
    conversation.remove_state("{relation_name}.connected")?;
    Ok(())
}

impl KafkaProvides {
    /// Publishes `port` to every client: on every relation id of this
    /// relation name, `port=<port>` in this unit's settings.
    ///
    /// A handler may call this in every hook: the framework sends a
    /// relation id only the settings Juju does not hold yet (it reads this
    /// unit's settings once per relation id to compare), so nothing is sent
    /// when nothing changed, and a port whose sending a crash undid is sent
    /// again. The interface keeps no memory of what it sent: such a memory
    /// would outlive a hook killed after the store's commit, whose relation
    /// writes Juju drops.
    ///
    /// The port is also remembered for client applications that relate
    /// later: their relation id gets it in its first `-relation-joined`,
    /// before any handler of the charm runs.
    pub fn send_configuration(&self, port: u16) -> Result<(), KafkaError> {
        for rid in &hookenv::relation_ids(Some(&self.relation_name)).map_err(Error::from)? {
            reactive_core::hookenv::relation_set(Some(rid), [("port", port)])
                .map_err(Error::from)?;
        }
        kv().set(&memory_key(&self.relation_name, "port"), &port)?;
        Ok(())
    }

    /// The port last given to [`KafkaProvides::send_configuration`], if any.
    pub fn configured_port(&self) -> Result<Option<u16>, KafkaError> {
        Ok(kv().get(&memory_key(&self.relation_name, "port"))?)
    }

    /// The client units this instance speaks with, sorted: for the instance
    /// a `{relation_name}.available` handler receives, every client unit
    /// whose connection is set up.
    pub fn client_units(&self) -> Vec<String> {
        let mut units: Vec<String> = self
            .conversations
            .iter()
            .flat_map(|c| c.units.iter().cloned())
            .collect();
        units.sort();
        units.dedup();
        units
    }

    /// In a `-relation-joined` hook: gives the joining unit's relation id
    /// the configured port. This serves a client application that relates
    /// after others are available (the charm's `{relation_name}.connected`
    /// handlers may be guarded by `when_not({relation_name}.available)` and
    /// never run for it). Nothing is sent when the relation id holds the
    /// port already (see [`KafkaProvides::send_configuration`]).
    fn publish_to_joining(&self) -> Result<(), Error> {
        let (Some(rid), Some(port)) = (
            reactive_core::hookenv::relation_id(),
            kv().get::<u16>(&memory_key(&self.relation_name, "port"))?,
        ) else {
            return Ok(());
        };
        reactive_core::hookenv::relation_set(Some(&rid), [("port", port)])?;
        Ok(())
    }
}
