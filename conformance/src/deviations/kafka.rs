//! The deliberate differences of the Rust Kafka examples from the suite's
//! Python Kafka charms (`kafka-examples/README.md`, "Differences from the Python
//! reference charms"), with the checks that assert our side of each.
//!
//! Differences from the *published* interface layer that the Python charms
//! of the suite share (conversation scope UNIT, so the provider keeps its
//! flags while any client remains; `republish_port` on a port change) are
//! no deviation: the suite compares them like everything else.

use super::{Check, Deviation, Field, Mask, Observed};
use crate::observe::{StepObs, UnitObs};

pub(super) const CLIENT: &str = "kafka-client";
const PROVIDER: &str = "kafka-provider";
pub(super) const PROPERTIES: &str = "kafka-client.properties";

/// Difference 1 of `kafka-examples/README.md`.
pub(super) const LATE_RELATION: Deviation = Deviation {
    id: "kafka-late-relation",
    title: "A relation id a provider unit meets after one of its clients is available",
    python: "Gets no port from that unit: `waiting_for_client` is guarded by \
             `when_not(kafka.available)`, a flag per relation name, so a second client \
             application, or every client application but the first for a new broker, waits \
             for the next `source_port` change (`republish_port`).",
    rust: "Gets the port when it joins: the interface remembers the port it last sent and \
           publishes it on any relation id new to it.",
    reason: "A client left waiting for an unrelated config change is a bug of the seed \
             handlers, not a behaviour to keep (`kafka-examples/README.md`, difference 1).",
    everywhere: false,
    masks: &[
        Mask::charm(
            CLIENT,
            Field::Flags(&["kafka.available", "service.started"]),
        ),
        Mask::charm(CLIENT, Field::Status),
        Mask::charm(CLIENT, Field::Files),
        Mask::charm(PROVIDER, Field::RelationData),
        Mask::both(Field::HookSequence),
    ],
    check: check_late_relation,
};

/// Difference 6.
pub(super) const PORTS: Deviation = Deviation {
    id: "kafka-ports",
    title: "Ports of the provider after a port change",
    python: "`report_ready` opens the port in every hook and closes none: every port ever \
             used stays open.",
    rust: "Opens the port when it changes and closes the one opened before: only the current \
           port is open.",
    reason: "A port left open after a change is a port nothing listens on, exposed \
             (`kafka-examples/README.md`, difference 6).",
    everywhere: true,
    masks: &[Mask::charm(PROVIDER, Field::Ports)],
    check: check_ports,
};

/// Difference 8.
pub(super) const CLIENT_STATUS: Deviation = Deviation {
    id: "kafka-client-status",
    title: "Status of a client without Kafka",
    python: "Sets no status before Kafka is connected (`unknown`), and keeps `active` `Ready` \
             after Kafka has left.",
    rust: "`blocked` `Missing relation to Kafka` without a relation, `waiting` `Waiting for a \
           Kafka unit to join` with a relation but no Kafka unit (handler \
           `waiting_for_kafka_relation`).",
    reason: "An operator must see why a client does nothing (`kafka-examples/README.md`, \
             difference 8).",
    everywhere: true,
    masks: &[Mask::charm(CLIENT, Field::Status)],
    check: super::kafka_client::check_client_status,
};

/// Difference 10.
pub(super) const UNCONFIGURE: Deviation = Deviation {
    id: "kafka-client-unconfigure",
    title: "A client whose last Kafka unit left",
    python: "Keeps `service.started` (and its properties file) for ever once written.",
    rust: "Handler `unconfigure_kafka` removes the file and clears `service.started` when no \
           broker is left, so `configure_kafka` runs again when Kafka comes back.",
    reason: "A client configured for a Kafka that is gone holds stale configuration \
             (`kafka-examples/README.md`, difference 10).",
    everywhere: true,
    masks: &[Mask::charm(CLIENT, Field::Flags(&["service.started"]))],
    check: super::kafka_client::check_unconfigure,
};

/// Differences 5 and 9.
pub(super) const BROKERS: Deviation = Deviation {
    id: "kafka-client-brokers",
    title: "The client's `kafka-client.properties`",
    python: "`configure_kafka` writes the first Kafka unit's address once, \
             `bootstrap.servers=<ip>:<port>`, and never again (not on a port change, not when \
             that unit leaves).",
    rust: "`KafkaRequires::brokers()` lists every ready Kafka unit (by relation id, then unit \
           number); the file holds them all, `bootstrap.servers=<ip>:<port>,...`, and \
           `update_kafka_brokers` rewrites it when the list changes.",
    reason: "A client given one broker of many loses Kafka when that one goes, and one given a \
             stale port cannot connect (`kafka-examples/README.md`, differences 5 and 9).",
    everywhere: true,
    masks: &[Mask::charm(CLIENT, Field::Files)],
    check: super::kafka_client::check_brokers,
};

/// Whether `kafka-late-relation` applies to this step (its check then
/// covers the client units' flags and status).
pub(super) fn late_client_step(o: &Observed) -> bool {
    o.step.deviations.iter().any(|d| d == LATE_RELATION.id)
}

pub(super) fn units_of<'a>(
    step: &'a StepObs,
    charm: &'a str,
) -> impl Iterator<Item = (&'a String, &'a UnitObs)> {
    step.units.iter().filter(move |(_, u)| u.charm == charm)
}

fn check_late_relation(steps: &[Observed]) -> Check {
    let mut check = Check::default();
    for o in steps {
        let i = o.python.index;
        // Providers: ours publishes on every relation id; the reference's
        // data is the same, without the port on some.
        let mut unserved: Vec<(String, String)> = Vec::new(); // (provider, relation id number)
        for (unit, r) in units_of(o.rust, PROVIDER) {
            let Some(p) = o.python.units.get(unit) else {
                continue;
            };
            let publishes = r.relation_data.values().any(|d| d.contains_key("port"));
            for (key, rs) in &r.relation_data {
                if publishes && !rs.contains_key("port") {
                    check.problems.push(format!(
                        "rust: step {i}: {unit} publishes no port on {key}: {rs:?}"
                    ));
                }
                let py = p.relation_data.get(key).cloned().unwrap_or_default();
                let mut without = rs.clone();
                without.remove("port");
                if py == without && rs.contains_key("port") {
                    unserved.push((unit.clone(), rid_number(key).to_string()));
                } else if &py != rs {
                    check.problems.push(format!(
                        "step {i}: {unit} on {key}: python {py:?}, rust {rs:?}"
                    ));
                }
            }
        }
        check.observed |= !unserved.is_empty();
        // Clients: ours is available through every provider unit in scope
        // that publishes a port; where the reference got every port too,
        // both sides agree.
        for (unit, r) in units_of(o.rust, CLIENT) {
            let Some(p) = o.python.units.get(unit) else {
                continue;
            };
            let mut expected = std::collections::BTreeSet::new();
            let mut short = false;
            for (key, remotes) in &r.remote_units {
                for remote in remotes {
                    let published = o.rust.units.get(remote).is_some_and(|u| {
                        u.relation_data.iter().any(|(k, d)| {
                            rid_number(k) == rid_number(key) && d.contains_key("port")
                        })
                    });
                    if published {
                        expected.insert(format!("reactive.conversations.{key}.{remote}"));
                    }
                    short |= unserved.contains(&(remote.clone(), rid_number(key).to_string()));
                }
            }
            let holders: std::collections::BTreeSet<String> = r
                .flags
                .get("kafka.available")
                .and_then(|v| v.get("conversations"))
                .and_then(|c| c.as_array())
                .map(|c| {
                    c.iter()
                        .filter_map(|k| k.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            let ready = r.status == ("active".into(), "Ready".into())
                && r.flags.contains_key("service.started");
            if holders != expected || (!expected.is_empty() && !ready) {
                check.problems.push(format!(
                    "rust: step {i}: {unit} should be available through {expected:?} and \
                     ready; it is {:?}, available through {holders:?}",
                    r.status
                ));
            }
            let view = |u: &UnitObs| {
                (
                    u.flags.contains_key("kafka.available"),
                    u.flags.contains_key("service.started"),
                    u.status.clone(),
                )
            };
            if !short && view(p) != view(r) {
                check.problems.push(format!(
                    "step {i}: {unit} got every port on both sides yet differs: python {:?}, \
                     rust {:?}",
                    view(p),
                    view(r)
                ));
            }
        }
    }
    check
}

/// `7` of `kafka:7`.
pub(super) fn rid_number(key: &str) -> &str {
    key.rsplit(':').next().unwrap_or(key)
}

fn check_ports(steps: &[Observed]) -> Check {
    let mut check = Check::default();
    for o in steps {
        for (unit, r) in units_of(o.rust, PROVIDER) {
            let Some(p) = o.python.units.get(unit) else {
                continue;
            };
            let published: Vec<String> = r
                .relation_data
                .values()
                .filter_map(|s| s.get("port"))
                .map(|port| format!("{port}/tcp"))
                .collect();
            let subset = r.ports.iter().all(|port| p.ports.contains(port));
            let current = match r.ports.as_slice() {
                [] => true,
                [one] => published.iter().all(|p| p == one),
                _ => false,
            };
            if !subset || !current {
                check.problems.push(format!(
                    "step {}: {unit}: rust should have at most the published port {published:?} \
                     open, among those python opened; python {:?}, rust {:?}",
                    o.python.index, p.ports, r.ports
                ));
            }
            check.observed |= p.ports != r.ports;
        }
    }
    check
}
