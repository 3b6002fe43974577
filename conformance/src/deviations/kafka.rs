//! The deliberate differences of the Rust Kafka examples from the suite's
//! Python Kafka charms (`examples/README.md`, "Differences from the Python
//! reference charms"), with the checks that assert our side of each.
//!
//! Differences from the *published* interface layer that the Python charms
//! of the suite share (conversation scope UNIT, so the provider keeps its
//! flags while any client remains; `republish_port` on a port change) are
//! no deviation: the suite compares them like everything else.

use super::{Check, Deviation, Field, Mask, Observed};
use crate::observe::{StepObs, UnitObs};

const CLIENT: &str = "kafka-client";
const PROVIDER: &str = "kafka-provider";
const PROPERTIES: &str = "kafka-client.properties";

/// Difference 1 of `examples/README.md`.
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
             handlers, not a behaviour to keep (`examples/README.md`, difference 1).",
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
             (`examples/README.md`, difference 6).",
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
    reason: "An operator must see why a client does nothing (`examples/README.md`, \
             difference 8).",
    everywhere: true,
    masks: &[Mask::charm(CLIENT, Field::Status)],
    check: check_client_status,
};

/// Difference 10.
pub(super) const UNCONFIGURE: Deviation = Deviation {
    id: "kafka-client-unconfigure",
    title: "A client whose last Kafka unit left",
    python: "Keeps `service.started` (and its properties file) for ever once written.",
    rust: "Handler `unconfigure_kafka` removes the file and clears `service.started` when no \
           broker is left, so `configure_kafka` runs again when Kafka comes back.",
    reason: "A client configured for a Kafka that is gone holds stale configuration \
             (`examples/README.md`, difference 10).",
    everywhere: true,
    masks: &[Mask::charm(CLIENT, Field::Flags(&["service.started"]))],
    check: check_unconfigure,
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
             stale port cannot connect (`examples/README.md`, differences 5 and 9).",
    everywhere: true,
    masks: &[Mask::charm(CLIENT, Field::Files)],
    check: check_brokers,
};

/// Whether `kafka-late-relation` applies to this step (its check then
/// covers the client units' flags and status).
fn late_client_step(o: &Observed) -> bool {
    o.step.deviations.iter().any(|d| d == LATE_RELATION.id)
}

fn units_of<'a>(
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
fn rid_number(key: &str) -> &str {
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

fn check_client_status(steps: &[Observed]) -> Check {
    let mut check = Check::default();
    let blocked = (
        "blocked".to_string(),
        "Missing relation to Kafka".to_string(),
    );
    let joining = (
        "waiting".to_string(),
        "Waiting for a Kafka unit to join".to_string(),
    );
    for o in steps {
        for (unit, r) in units_of(o.rust, CLIENT) {
            let Some(p) = o.python.units.get(unit) else {
                continue;
            };
            if p.status == r.status {
                continue;
            }
            let related = r.remote_units.keys().any(|k| k.starts_with("kafka:"));
            let joined = r.remote_units.values().any(|units| !units.is_empty());
            let explained =
                (r.status == blocked && !related) || (r.status == joining && related && !joined);
            if explained {
                check.observed = true;
            } else if !late_client_step(o) {
                check.problems.push(format!(
                    "step {}: {unit}: status python {:?}, rust {:?} (related: {related}, \
                     a Kafka unit joined: {joined})",
                    o.python.index, p.status, r.status
                ));
            }
        }
    }
    check
}

fn check_unconfigure(steps: &[Observed]) -> Check {
    let mut check = Check::default();
    for o in steps {
        if late_client_step(o) {
            continue;
        }
        let same_hooks = o.python.hooks.len() == o.rust.hooks.len()
            && o.python
                .hooks
                .iter()
                .zip(&o.rust.hooks)
                .all(|(p, r)| p.unit == r.unit && p.hook == r.hook);
        let mut pairs: Vec<(String, &crate::observe::Flags, &crate::observe::Flags)> = Vec::new();
        if same_hooks {
            for (p, r) in o.python.hooks.iter().zip(&o.rust.hooks) {
                if r.charm == CLIENT && r.ok {
                    pairs.push((format!("hook {}", r.describe()), &p.flags, &r.flags));
                }
            }
        }
        for (unit, r) in units_of(o.rust, CLIENT) {
            if let Some(p) = o.python.units.get(unit) {
                pairs.push((format!("unit {unit}"), &p.flags, &r.flags));
            }
        }
        for (place, p, r) in pairs {
            let (available, started) = (
                r.contains_key("kafka.available"),
                r.contains_key("service.started"),
            );
            if r.is_empty() {
                continue; // the unit's last hook (`remove`) has no flags to show
            }
            if available != started {
                check.problems.push(format!(
                    "rust: step {}, {place}: service.started should follow kafka.available \
                     (available {available}, started {started})",
                    o.python.index
                ));
            }
            let python_started = p.contains_key("service.started");
            if python_started != started {
                if available || !python_started {
                    check.problems.push(format!(
                        "step {}, {place}: service.started python {python_started}, rust \
                         {started}, with kafka.available {available}",
                        o.python.index
                    ));
                } else {
                    check.observed = true;
                }
            }
        }
    }
    check
}

/// The brokers a client unit's file should list: every remote unit in
/// scope publishing a port in 1-65535 and an address, by relation id, then
/// unit number, as `host:port`.
fn expected_brokers(step: &StepObs, client: &UnitObs) -> Vec<String> {
    let mut keys: Vec<&String> = client.remote_units.keys().collect();
    keys.sort_by_key(|k| rid_number(k).parse::<u64>().unwrap_or(u64::MAX));
    let mut out = Vec::new();
    for key in keys {
        let id = rid_number(key);
        let mut remotes = client.remote_units[key].clone();
        remotes.sort_by_key(|u| u.rsplit('/').next().and_then(|n| n.parse::<u64>().ok()));
        for remote in remotes {
            let Some(data) = step.units.get(&remote).and_then(|u| {
                u.relation_data
                    .iter()
                    .find(|(k, _)| rid_number(k) == id)
                    .map(|(_, d)| d)
            }) else {
                continue;
            };
            let port = data
                .get("port")
                .and_then(|p| p.parse::<u16>().ok())
                .filter(|p| *p > 0);
            let host = ["private-address", "ingress-address"]
                .iter()
                .filter_map(|k| data.get(*k))
                .find(|a| !a.is_empty());
            if let (Some(port), Some(host)) = (port, host) {
                out.push(format!("{host}:{port}"));
            }
        }
    }
    out
}

fn check_brokers(steps: &[Observed]) -> Check {
    let mut check = Check::default();
    let mut python_first: std::collections::BTreeMap<String, String> = Default::default();
    for o in steps {
        for (unit, r) in units_of(o.rust, CLIENT) {
            let file = r.files.get(PROPERTIES).cloned().flatten();
            let expected = r.flags.contains_key("service.started").then(|| {
                format!(
                    "bootstrap.servers={}\n",
                    expected_brokers(o.rust, r).join(",")
                )
            });
            if file != expected {
                check.problems.push(format!(
                    "rust: step {}: {unit}: {PROPERTIES} is {file:?}, expected {expected:?}",
                    o.python.index
                ));
            }
            let Some(p) = o.python.units.get(unit) else {
                continue;
            };
            let theirs = p.files.get(PROPERTIES).cloned().flatten();
            if let Some(text) = &theirs {
                let first = python_first
                    .entry(unit.clone())
                    .or_insert_with(|| text.clone());
                if first != text {
                    check.problems.push(format!(
                        "python: step {}: {unit}: {PROPERTIES} was rewritten: {first:?} then \
                         {text:?}",
                        o.python.index
                    ));
                }
            }
            check.observed |= theirs != file && !late_client_step(o);
        }
    }
    check
}
