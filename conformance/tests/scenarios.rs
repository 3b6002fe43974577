//! Every scenario of `conformance/scenarios/sim` on both implementations,
//! compared. One test binary, so the scenarios run side by side.

mod common;

/// The rules probe: every dispatch rule and predicate; the same handlers
/// in the same order, the same flags after every hook, the same state
/// after every step.
#[test]
fn probe() {
    common::conforms("probe");
}

/// Rule D8 on the probe, where we differ on purpose: the deviations
/// assert our behaviour (and the reference's), the rest must match.
#[test]
fn probe_d8() {
    common::conforms("probe-d8");
}

/// The Kafka lifecycle: flags, relation data, statuses, ports and the
/// client's properties after every step, flags after every hook; the Rust
/// examples' deliberate differences assert our behaviour.
#[test]
fn kafka() {
    common::conforms("kafka");
}

/// Every scenario file has its test above.
#[test]
fn every_scenario_is_tested() {
    let names: Vec<String> = conformance::Scenario::all()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["kafka", "probe", "probe-d8"]);
}
