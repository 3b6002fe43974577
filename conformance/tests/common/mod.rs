//! Running a scenario on both implementations and asserting they conform.

use conformance::{compare, run_both, RunOptions, Scenario};

/// Runs `conformance/scenarios/sim/<name>.json` on both implementations and
/// panics with every unexplained difference (step, unit or hook, what
/// differs) and every deviation not behaving as documented. The models are
/// kept for inspection when it fails.
pub fn conforms(name: &str) {
    let scenario = Scenario::load(name).unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().expect("temporary directory");
    let pair =
        run_both(&scenario, dir.path(), &RunOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let comparison = compare(&scenario, &pair);
    if !comparison.is_ok() {
        let kept = dir.keep();
        eprintln!("the models are kept in {}", kept.display());
    }
    comparison.assert_ok();
}
