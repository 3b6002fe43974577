//! The report's figures and verdicts on made-up results.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use crate::binaries::Binaries;
use crate::charms::Implementation;
use crate::floor::Floors;
use crate::machine::Machine;
use crate::sample::{Role, Sample, Side, ToolUse};
use crate::scenario::ScenarioRun;
use crate::{Config, Results, ScalingPoint};

fn sample(side: Side, role: Role, kind: &str, wall_ms: u64, calls: &[(&str, usize)]) -> Sample {
    let calls: BTreeMap<String, ToolUse> = calls
        .iter()
        .map(|(tool, count)| {
            let used = ToolUse {
                count: *count,
                micros: 100 * *count as u64,
            };
            (tool.to_string(), used)
        })
        .collect();
    let tool_us = calls.values().map(|u| u.micros).sum();
    let round_trips = calls
        .iter()
        .filter(|(tool, _)| crate::controller::reaches_controller(tool))
        .map(|(_, used)| used.count)
        .sum();
    Sample {
        side,
        role,
        kind: kind.into(),
        wall_us: wall_ms * 1000,
        tool_us,
        calls,
        rss_kib: 4096,
        round_trips,
    }
}

fn point(n: u32, side: Side, wall_ms: u64) -> ScalingPoint {
    let samples = Role::BOTH
        .iter()
        .map(|role| sample(side, *role, "kafka-relation-changed", wall_ms, &[]))
        .collect();
    ScalingPoint {
        n,
        side,
        run: ScenarioRun {
            samples,
            total: Duration::from_millis(wall_ms * 2),
        },
    }
}

fn implementation(side: Side) -> Implementation {
    Implementation {
        side,
        description: format!("{side} charms"),
        provider: PathBuf::from("p"),
        client: PathBuf::from("c"),
    }
}

/// Reference hooks of 400 ms; ours of `ours_ms`, with `ours_logs` juju-log
/// calls in `install` (the reference makes 2) and 1 controller call in
/// `start` (the reference makes 4); scaling of ours from 10 ms at N = 1 to
/// `ours_at_100` ms.
fn results(ours_ms: u64, ours_logs: usize, ours_at_100: u64) -> Results {
    let mut lifecycle = Vec::new();
    for role in Role::BOTH {
        lifecycle.push(sample(
            Side::Reference,
            role,
            "install",
            400,
            &[("juju-log", 2)],
        ));
        lifecycle.push(sample(
            Side::Ours,
            role,
            "install",
            ours_ms,
            &[("juju-log", ours_logs)],
        ));
        lifecycle.push(sample(
            Side::Reference,
            role,
            "start",
            400,
            &[("status-set", 1), ("is-leader", 3)],
        ));
        lifecycle.push(sample(
            Side::Ours,
            role,
            "start",
            ours_ms,
            &[("status-set", 1)],
        ));
    }
    let null = sample(Side::Ours, Role::Provider, "update-status", 1, &[]);
    Results {
        config: Config::full(),
        machine: Machine::probe(std::path::Path::new("/nonexistent/python")),
        reference: implementation(Side::Reference),
        ours: implementation(Side::Ours),
        binaries: Binaries::in_dir(PathBuf::from("/w/target/release")),
        lifecycle,
        lifecycle_total: [
            (Side::Reference, Duration::from_secs(10)),
            (Side::Ours, Duration::from_secs(1)),
        ],
        scaling: vec![
            point(1, Side::Ours, 10),
            point(10, Side::Ours, 12),
            point(100, Side::Ours, ours_at_100),
            point(1, Side::Reference, 400),
            point(10, Side::Reference, 400),
            point(100, Side::Reference, 400),
        ],
        floors: Floors {
            null: vec![null.clone(); 3],
            empty_reactive: vec![null; 3],
            store_read_us: vec![1000; 3],
            python_start_us: vec![50_000; 3],
            python_import_us: vec![300_000; 3],
        },
        elapsed: Duration::from_secs(60),
    }
}

#[test]
fn every_target_met_is_reported_as_met() {
    let r = results(3, 1, 15);
    let targets = super::figures::targets(&r);
    assert_eq!(targets.len(), 6);
    assert!(targets.iter().all(|t| t.met), "{targets:#?}");
    // Overhead: wall less tool time (0.1 ms a call); medians of two kinds.
    let (theirs, ours) = ((399.8 + 399.6) / 2.0, 2.9);
    assert!(
        (targets[0].ratio - theirs / ours).abs() < 1e-9,
        "{targets:#?}"
    );
    assert!(
        (targets[4].ratio - 1.5).abs() < 1e-9,
        "N = 100 against N = 1"
    );
    let md = super::markdown(&r);
    assert!(
        md.contains("None: every target is met in this run."),
        "{md}"
    );
    assert!(!md.contains("**no**"), "{md}");
}

#[test]
fn missed_targets_say_by_how_much_and_why() {
    let r = results(20, 3, 30);
    let md = super::markdown(&r);
    let missed = md.split("## Missed targets").nth(1).expect("section");
    // Overhead: 399.85 ms against 19.8 ms is 20.2x, missed by 5.0x; spawning
    // the hook and two tools (1 ms each) fits in the 4 ms allowed.
    assert!(
        missed.contains("**Overhead**: 20.2x lower where 100x was asked, missed by 5.0x"),
        "{missed}"
    );
    assert!(
        missed.contains("costs 3.00 ms of the 4.00 ms the target allows"),
        "{missed}"
    );
    // Calls: install makes one more juju-log call than the reference.
    assert!(
        missed.contains("2 of 4 hook kinds at or below the reference"),
        "{missed}"
    );
    assert!(
        missed.contains("provider `install`: 3 calls against 2 (`juju-log` 3 against 2)"),
        "{missed}"
    );
    // Calls over the lifecycle: 4 against 6 per role, 0.67x where 0.5x was
    // asked; round trips 1 against 4 meet theirs.
    assert!(
        missed.contains(
            "- **hook-tool calls over the lifecycle, ours against the reference**: 0.67x"
        ),
        "{missed}"
    );
    assert!(!missed.contains("round trips over"), "{missed}");
    // Scaling: 30 ms against 10 ms is 3x, missed by 1.5x, for both roles.
    assert_eq!(missed.matches("missed by 1.5x").count(), 2, "{missed}");
    assert_eq!(md.matches("| **no** |").count(), 5, "{md}");
}

#[test]
fn scaling_rows_are_ordered_by_n_then_side() {
    let md = super::markdown(&results(3, 1, 15));
    let scaling = md
        .split("## Scaling")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("section");
    let rows: Vec<&str> = scaling
        .lines()
        .filter(|l| l.contains("| reference ") || l.contains("| ours "))
        .collect();
    assert_eq!(rows.len(), 6);
    assert!(rows[0].starts_with("|   1 | reference"), "{rows:#?}");
    assert!(rows[1].starts_with("|   1 | ours"), "{rows:#?}");
    assert!(rows[5].starts_with("| 100 | ours"), "{rows:#?}");
}

#[test]
fn extra_calls_the_charm_needs_are_explained_not_counted_against_it() {
    let mut r = results(3, 1, 15);
    for (side, n) in [(Side::Reference, 1), (Side::Ours, 3)] {
        r.lifecycle.push(sample(
            side,
            Role::Provider,
            "config-changed",
            if side == Side::Ours { 3 } else { 400 },
            &[("relation-set", n)],
        ));
    }
    let calls = super::figures::calls_target(&r);
    assert!(calls.met, "{calls:#?}");
    let md = super::markdown(&r);
    assert!(md.contains("the provider republishes the port"), "{md}");
    assert!(!md.contains("not explained"), "{md}");
}
