//! The figures the report is made of, computed once from the results:
//! per side, per hook kind, per N, and the targets.

use std::collections::BTreeMap;

use crate::sample::{self, quantile, Role, Sample, Side, Spread};
use crate::{Results, ScalingPoint};

/// The samples of one side.
pub fn of_side(samples: &[Sample], side: Side) -> Vec<&Sample> {
    samples.iter().filter(|s| s.side == side).collect()
}

/// Hook kinds of a role in order of first appearance (reference first).
pub fn kinds(samples: &[Sample], role: Role) -> Vec<String> {
    let mut seen = Vec::new();
    for side in Side::BOTH {
        for s in samples.iter().filter(|s| s.side == side && s.role == role) {
            if !seen.contains(&s.kind) {
                seen.push(s.kind.clone());
            }
        }
    }
    seen
}

/// The samples of one side, role and kind.
pub fn of_kind<'a>(samples: &'a [Sample], side: Side, role: Role, kind: &str) -> Vec<&'a Sample> {
    samples
        .iter()
        .filter(|s| s.side == side && s.role == role && s.kind == kind)
        .collect()
}

/// Mean of a measure, `None` for no samples.
pub fn mean(samples: &[&Sample], measure: impl Fn(&Sample) -> f64) -> Option<f64> {
    if samples.is_empty() {
        return None;
    }
    Some(samples.iter().map(|s| measure(s)).sum::<f64>() / samples.len() as f64)
}

/// Median of a measure, `None` for no samples.
pub fn median(samples: &[&Sample], measure: impl Fn(&Sample) -> f64) -> Option<f64> {
    let values: Vec<f64> = samples.iter().map(|s| measure(s)).collect();
    quantile(&values, 0.5)
}

/// Spread of a measure.
pub fn spread(samples: &[&Sample], measure: impl Fn(&Sample) -> f64) -> Option<Spread> {
    Spread::over(samples.iter().copied(), measure)
}

/// Calls per hook, as a number.
pub fn calls(s: &Sample) -> f64 {
    s.call_count() as f64
}

/// Per tool: (calls, µs inside the tool) summed over samples.
pub fn tool_totals(samples: &[&Sample]) -> BTreeMap<String, (usize, u64)> {
    let mut totals: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for s in samples {
        for (tool, used) in &s.calls {
            let t = totals.entry(tool.clone()).or_default();
            t.0 += used.count;
            t.1 += used.micros;
        }
    }
    totals
}

/// The scaling point of a side at one N.
pub fn point(r: &Results, side: Side, n: u32) -> Option<&ScalingPoint> {
    r.scaling.iter().find(|p| p.side == side && p.n == n)
}

/// Samples of one role in a scaling point.
pub fn role_samples(p: &ScalingPoint, role: Role) -> Vec<&Sample> {
    p.run.samples.iter().filter(|s| s.role == role).collect()
}

/// The smallest and largest N measured.
pub fn n_range(r: &Results) -> Option<(u32, u32)> {
    let lo = r.config.scaling.iter().copied().min()?;
    let hi = r.config.scaling.iter().copied().max()?;
    Some((lo, hi))
}

/// One comparison of the report's targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// What is compared.
    pub name: String,
    /// The goal, in words.
    pub goal: String,
    /// The measured figures, in words.
    pub measured: String,
    /// The ratio the goal is about.
    pub ratio: f64,
    /// Whether the goal is met.
    pub met: bool,
}

/// The overhead target: reference median over ours, at least 100.
pub fn overhead_target(r: &Results) -> Target {
    let m = |side| median(&of_side(&r.lifecycle, side), sample::overhead_ms).unwrap_or(f64::NAN);
    let (theirs, ours) = (m(Side::Reference), m(Side::Ours));
    let ratio = theirs / ours;
    Target {
        name: "framework overhead per hook (median over the lifecycle)".into(),
        goal: "at least 100x lower than the reference".into(),
        measured: format!(
            "reference {}, ours {}",
            super::table::ms(theirs),
            super::table::ms(ours)
        ),
        ratio,
        met: ratio >= 100.0,
    }
}

/// Mean calls per hook for every (role, kind) both sides ran:
/// (role, kind, reference, ours).
pub fn calls_by_kind(r: &Results) -> Vec<(Role, String, f64, f64)> {
    let mut rows = Vec::new();
    for role in Role::BOTH {
        for kind in kinds(&r.lifecycle, role) {
            let m = |side| mean(&of_kind(&r.lifecycle, side, role, &kind), calls);
            if let (Some(theirs), Some(ours)) = (m(Side::Reference), m(Side::Ours)) {
                rows.push((role, kind, theirs, ours));
            }
        }
    }
    rows
}

/// The tool-call target: ours no more than the reference for every kind,
/// except the kinds where our charms do more ([`super::calls::explanation`]).
pub fn calls_target(r: &Results) -> Target {
    let rows = calls_by_kind(r);
    let over: Vec<_> = rows
        .iter()
        .filter(|(role, kind, t, o)| o > t && super::calls::explanation(*role, kind).is_none())
        .collect();
    // The worst kind: highest ours/reference (a kind where the reference
    // makes no call counts as infinitely worse if we make any).
    let worst = rows
        .iter()
        .map(|(_, _, t, o)| {
            if *t == 0.0 {
                if *o == 0.0 {
                    0.0
                } else {
                    f64::INFINITY
                }
            } else {
                o / t
            }
        })
        .fold(0.0, f64::max);
    Target {
        name: "hook-tool calls per hook, every hook kind".into(),
        goal: "no more than the reference's, except where explained".into(),
        measured: format!(
            "{} of {} hook kinds at or below the reference",
            rows.len() - over.len(),
            rows.len()
        ),
        ratio: worst,
        met: over.is_empty() && !rows.is_empty(),
    }
}

/// Per-hook median wall time of a role on a side at N, ms.
pub fn per_hook_median(r: &Results, side: Side, n: u32, role: Role) -> Option<f64> {
    let p = point(r, side, n)?;
    median(&role_samples(p, role), sample::wall_ms)
}

/// The scaling target of a role: ours at the largest N over the smallest.
pub fn scaling_target(r: &Results, role: Role) -> Option<Target> {
    let (lo, hi) = n_range(r)?;
    let small = per_hook_median(r, Side::Ours, lo, role)?;
    let large = per_hook_median(r, Side::Ours, hi, role)?;
    let ratio = large / small;
    Some(Target {
        name: format!("per-hook median cost, {role}, N = {hi} against N = {lo}"),
        goal: "within 2x".into(),
        measured: format!(
            "{} at N = {lo}, {} at N = {hi}",
            super::table::ms(small),
            super::table::ms(large)
        ),
        ratio,
        met: ratio <= 2.0,
    })
}

/// Per side, summed over the lifecycle: (hook-tool calls, controller
/// round trips) per run.
pub fn lifecycle_totals(r: &Results, side: Side) -> (f64, f64) {
    let runs = r.config.lifecycle_repeats.max(1) as f64;
    let samples = of_side(&r.lifecycle, side);
    let calls: usize = samples.iter().map(|s| s.call_count()).sum();
    let trips: usize = samples.iter().map(|s| s.round_trips).sum();
    (calls as f64 / runs, trips as f64 / runs)
}

/// A target on a lifecycle total: ours at most half the reference's.
fn half_target(r: &Results, name: &str, pick: fn((f64, f64)) -> f64) -> Target {
    let theirs = pick(lifecycle_totals(r, Side::Reference));
    let ours = pick(lifecycle_totals(r, Side::Ours));
    let ratio = ours / theirs;
    Target {
        name: format!("{name} over the lifecycle, ours against the reference"),
        goal: "at most 0.5x".into(),
        measured: format!(
            "reference {}, ours {} per run",
            super::table::count(theirs),
            super::table::count(ours)
        ),
        ratio,
        met: ratio <= 0.5,
    }
}

/// Every target, in the order of the report.
pub fn targets(r: &Results) -> Vec<Target> {
    let mut all = vec![
        overhead_target(r),
        half_target(r, "hook-tool calls", |t| t.0),
        half_target(r, "controller round trips", |t| t.1),
        calls_target(r),
    ];
    all.extend(
        Role::BOTH
            .iter()
            .filter_map(|role| scaling_target(r, *role)),
    );
    all
}
