//! The comparison on hand-made observations: each kind of difference is
//! reported with its step and place, and the deviations mask only what
//! they document.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{compare, flag_diff, Comparison};
use crate::charms::Implementation;
use crate::observe::{Flags, HookObs, RunObs, StepObs, UnitObs};
use crate::run::Pair;
use crate::scenario::Scenario;

fn scenario(order: &str) -> Scenario {
    let mut s: Scenario = serde_json::from_value(json!({
        "description": "test",
        "order": order,
        "steps": [{"do": "update-status"}]
    }))
    .unwrap();
    s.name = "test".into();
    s
}

fn flags(names: &[&str]) -> Flags {
    names.iter().map(|n| (n.to_string(), Value::Null)).collect()
}

fn hook(runs: &[&str], set: &[&str]) -> HookObs {
    HookObs {
        unit: "probe/0".into(),
        charm: "probe".into(),
        hook: "update-status".into(),
        relation: None,
        remote_unit: None,
        attempt: 1,
        ok: true,
        runs: runs.iter().map(|r| r.to_string()).collect(),
        not_unless: Vec::new(),
        flags: flags(set),
        error: String::new(),
        wall_micros: 1,
    }
}

fn run(implementation: Implementation, hooks: Vec<HookObs>) -> RunObs {
    let last = hooks.last().map(|h| h.flags.clone()).unwrap_or_default();
    let unit = UnitObs {
        charm: "probe".into(),
        flags: last,
        status: ("active".into(), "ready".into()),
        ports: Vec::new(),
        relation_data: BTreeMap::new(),
        remote_units: BTreeMap::new(),
        files: BTreeMap::new(),
        error: None,
    };
    RunObs {
        implementation,
        scenario: "test".into(),
        steps: vec![StepObs {
            index: 0,
            label: "update-status".into(),
            hooks,
            units: [("probe/0".to_string(), unit)].into(),
            apps: BTreeMap::new(),
            errors: Vec::new(),
        }],
        wall_micros: 1,
    }
}

fn cmp(order: &str, python: Vec<HookObs>, rust: Vec<HookObs>) -> Comparison {
    let pair = Pair {
        python: run(Implementation::Python, python),
        rust: run(Implementation::Rust, rust),
    };
    compare(&scenario(order), &pair)
}

#[test]
fn identical_runs_conform() {
    let h = || vec![hook(&["a", "b"], &["x"])];
    let c = cmp("exact", h(), h());
    assert!(c.is_ok(), "{}", c.problems());
    assert_eq!(c.hooks, (1, 1));
}

#[test]
fn a_missing_handler_run_is_named_with_step_and_hook() {
    let c = cmp(
        "counts",
        vec![hook(&["a", "b"], &[])],
        vec![hook(&["a"], &[])],
    );
    assert!(!c.is_ok());
    let text = c.problems();
    assert!(
        text.contains("step 0 (update-status), hook probe/0 update-status: handler runs differ: b python 1 rust 0"),
        "{text}"
    );
}

#[test]
fn order_is_compared_only_when_the_scenario_asks() {
    let (p, r) = (hook(&["a", "b"], &[]), hook(&["b", "a"], &[]));
    assert!(cmp("counts", vec![p.clone()], vec![r.clone()]).is_ok());
    let c = cmp("exact", vec![p], vec![r]);
    assert!(
        c.problems().contains("handler order differs"),
        "{}",
        c.problems()
    );
}

#[test]
fn flags_set_on_one_side_only_are_reported_after_the_hook_and_the_step() {
    let c = cmp(
        "exact",
        vec![hook(&[], &["x"])],
        vec![hook(&[], &["x", "y"])],
    );
    let text = c.problems();
    assert!(
        text.contains("flags after the hook: set only in rust: y"),
        "{text}"
    );
    assert!(
        text.contains("unit probe/0: flags: set only in rust: y"),
        "{text}"
    );
}

#[test]
fn config_flags_kept_by_the_python_base_layer_are_a_deviation_not_a_difference() {
    let c = cmp(
        "exact",
        vec![hook(&[], &["x", "config.default.port"])],
        vec![hook(&[], &["x"])],
    );
    assert!(c.is_ok(), "{}", c.problems());
    let d = c
        .deviations
        .iter()
        .find(|d| d.deviation.id == "config-flags")
        .unwrap();
    assert!(d.check.observed);
    // Ours keeping one would break the documented behaviour.
    let c = cmp(
        "exact",
        vec![hook(&[], &["config.set.port"])],
        vec![hook(&[], &["config.set.port"])],
    );
    assert!(
        c.problems()
            .contains("config.set.port still set after the hook"),
        "{}",
        c.problems()
    );
}

#[test]
fn a_failed_hook_that_keeps_flags_breaks_the_rollback_rule() {
    let ok = hook(&["a"], &["x"]);
    let mut failed = hook(&["a", "fail"], &["x", "leaked"]);
    failed.ok = false;
    let c = cmp("exact", vec![ok.clone(), failed.clone()], vec![ok, failed]);
    let text = c.problems();
    assert!(
        text.contains("python hook probe/0 update-status FAILED: a failed hook kept flag changes"),
        "{text}"
    );
    assert!(
        text.contains("rust hook probe/0 update-status FAILED"),
        "{text}"
    );
}

#[test]
fn a_different_hook_sequence_is_one_difference_listing_both() {
    let mut other = hook(&[], &[]);
    other.hook = "config-changed".into();
    let c = cmp("exact", vec![hook(&[], &[])], vec![other]);
    assert_eq!(c.differences.len(), 1, "{}", c.problems());
    let text = c.problems();
    assert!(text.contains("python: [probe/0 update-status]"), "{text}");
    assert!(text.contains("rust:   [probe/0 config-changed]"), "{text}");
}

#[test]
fn relation_flags_compare_their_holders_as_sets() {
    let holder = |convs: &[&str]| -> Flags {
        [(
            "kafka.connected".to_string(),
            json!({"relation": "kafka", "conversations": convs}),
        )]
        .into()
    };
    let a = "reactive.conversations.kafka:0.client/0";
    let b = "reactive.conversations.kafka:0.client/1";
    assert!(flag_diff(&holder(&[a, b]), &holder(&[b, a]), &[], &[]).is_empty());
    let d = flag_diff(&holder(&[a, b]), &holder(&[a]), &[], &[]);
    assert_eq!(d.len(), 1);
    assert!(d[0].starts_with("kafka.connected held by python"), "{d:?}");
    // Values of other flags are charm data: compared by name only.
    let plain = |v: Value| -> Flags { [("port".to_string(), v)].into() };
    assert!(flag_diff(&plain(json!(9092)), &plain(Value::Null), &[], &[]).is_empty());
}

#[test]
fn a_status_difference_names_the_unit() {
    let p = run(Implementation::Python, vec![hook(&[], &[])]);
    let mut r = run(Implementation::Rust, vec![hook(&[], &[])]);
    if let Some(u) = r.steps[0].units.get_mut("probe/0") {
        u.status = ("blocked".into(), "no".into());
    }
    let c = compare(&scenario("exact"), &Pair { python: p, rust: r });
    let text = c.problems();
    assert!(
        text.contains(
            "unit probe/0: status: python (\"active\", \"ready\"), rust (\"blocked\", \"no\")"
        ),
        "{text}"
    );
}
