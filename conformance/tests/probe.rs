//! The rules probe on both implementations, compared hook by hook.

use conformance::{compare, run_both, RunOptions, Scenario};

fn conforms(name: &str) {
    let scenario = Scenario::load(name).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("temporary directory");
    let pair =
        run_both(&scenario, dir.path(), &RunOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    compare(&scenario, &pair).assert_ok();
}

#[test]
fn probe() {
    conforms("probe");
}

#[test]
fn probe_d8() {
    conforms("probe-d8");
}
