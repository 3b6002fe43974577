//! Checks of the Kafka client's deliberate differences: its status
//! without Kafka, its unconfiguring when Kafka leaves, and its list of
//! brokers.

use super::kafka::{late_client_step, rid_number, units_of, CLIENT, PROPERTIES};
use super::{Check, Observed};
use crate::observe::{Flags, StepObs, UnitObs};

pub(super) fn check_client_status(steps: &[Observed]) -> Check {
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

pub(super) fn check_unconfigure(steps: &[Observed]) -> Check {
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
        let mut pairs: Vec<(String, &Flags, &Flags)> = Vec::new();
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

pub(super) fn check_brokers(steps: &[Observed]) -> Check {
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
