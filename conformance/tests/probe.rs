//! The rules probe on both implementations, compared hook by hook.

mod common;

/// Every dispatch rule and predicate: same handlers in the same order,
/// same flags after every hook, same state after every step.
#[test]
fn probe() {
    common::conforms("probe");
}

/// Rule D8, where we differ on purpose: the deviations assert our
/// behaviour (and the reference's), the rest must match.
#[test]
fn probe_d8() {
    common::conforms("probe-d8");
}
