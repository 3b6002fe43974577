//! The section on hook-tool calls and controller round trips, with the
//! hook kinds where our charms call more because they do more, and the
//! hook time modelled under real Juju.

use std::fmt::Write;

use super::figures::{self, mean, of_kind, of_side, role_samples};
use super::table::{count, ms, ratio, secs, Table};
use crate::controller::{self, COST_MODELS};
use crate::sample::{Role, Sample, Side};
use crate::Results;

/// Why our charm makes more calls than the reference in a hook kind, where
/// it does more work there.
#[must_use]
pub fn explanation(role: Role, kind: &str) -> Option<&'static str> {
    match (role, kind) {
        (Role::Provider, "config-changed") => Some(
            "the provider republishes the port to every client and moves its open port \
             (`relation-set`, `close-port`, `open-port`); the reference does neither",
        ),
        _ => None,
    }
}

fn round_trips(s: &Sample) -> f64 {
    s.round_trips as f64
}

/// The section "Calls and controller round trips".
pub fn section(out: &mut String, r: &Results) {
    out.push_str(
        "## Calls and controller round trips\n\nEvery hook-tool call is a process and a \
         request to the unit agent; a controller round trip is a call the agent can \
         answer only after a request to the controller: `config-get` and `leader-get` \
         (first call of a hook), `is-leader`, `leader-set`, `status-set`, `status-get`, \
         `network-get`, `secret-*`, and the first `relation-get` of each remote unit in \
         a hook (Juju's `worker/uniter/runner/context/`). Per lifecycle run, both \
         charms.\n\n",
    );
    let (a, b) = (
        figures::lifecycle_totals(r, Side::Reference),
        figures::lifecycle_totals(r, Side::Ours),
    );
    let mut t = Table::new(&["per lifecycle run", "reference", "ours", "ours / reference"]);
    for (name, x, y) in [
        ("hook-tool calls", a.0, b.0),
        ("controller round trips", a.1, b.1),
        ("local calls", a.0 - a.1, b.0 - b.1),
    ] {
        t.row(vec![name.into(), count(x), count(y), ratio(y / x)]);
    }
    out.push_str(&t.render());
    out.push('\n');
    by_kind(out, r);
    modelled(out, r);
}

fn by_kind(out: &mut String, r: &Results) {
    out.push_str(
        "### By hook kind\n\nMeans per hook. Where ours makes more calls than the \
         reference, the note says why.\n\n",
    );
    let mut t = Table::new(&[
        "charm",
        "hook",
        "calls ref",
        "calls ours",
        "round trips ref",
        "round trips ours",
        "note",
    ]);
    for role in Role::BOTH {
        for kind in figures::kinds(&r.lifecycle, role) {
            let (x, y) = (
                of_kind(&r.lifecycle, Side::Reference, role, &kind),
                of_kind(&r.lifecycle, Side::Ours, role, &kind),
            );
            let (cx, cy) = (mean(&x, figures::calls), mean(&y, figures::calls));
            let note = match (cx, cy) {
                (Some(theirs), Some(ours)) if ours > theirs => explanation(role, &kind)
                    .unwrap_or("**more calls, not explained**")
                    .to_string(),
                _ => String::new(),
            };
            let fmt = |v: Option<f64>| v.map_or("—".into(), count);
            t.row(vec![
                role.to_string(),
                kind.clone(),
                fmt(cx),
                fmt(cy),
                fmt(mean(&x, round_trips)),
                fmt(mean(&y, round_trips)),
                note,
            ]);
        }
    }
    out.push_str(&t.render());
    out.push('\n');
}

fn modelled(out: &mut String, r: &Results) {
    let _ = writeln!(
        out,
        "### Modelled hook time under real Juju\n\n\
         A hook's wall time as measured here (its process, the framework, and every \
         hook-tool call as a process answering from the simulator, the local part of \
         a call under Juju too) plus, for each controller round trip, the cost of \
         that round trip. No controller is reachable from this benchmark, so the \
         round-trip costs are assumptions: {}. Per hook: means; per scenario: the sum \
         over its hooks.\n",
        COST_MODELS
            .iter()
            .map(|m| format!("{} ms ({})", m.round_trip_ms, m.name))
            .collect::<Vec<_>>()
            .join(" and ")
    );
    let mut header = vec![
        "scenario".to_string(),
        "side".into(),
        "hooks".into(),
        "round trips per hook".into(),
        "wall per hook".into(),
    ];
    for m in COST_MODELS {
        header.push(format!("per hook, {}", m.name));
        header.push(format!("scenario, {}", m.name));
    }
    let refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = Table::new(&refs);
    let runs = r.config.lifecycle_repeats.max(1) as f64;
    let mut scenarios: Vec<(String, Side, Vec<&Sample>, f64)> = Vec::new();
    for side in Side::BOTH {
        scenarios.push(("lifecycle".into(), side, of_side(&r.lifecycle, side), runs));
    }
    let mut points: Vec<&crate::ScalingPoint> = r.scaling.iter().collect();
    points.sort_by_key(|p| (p.n, p.side));
    for p in points {
        let mut all = role_samples(p, Role::Provider);
        all.extend(role_samples(p, Role::Client));
        scenarios.push((format!("N = {}", p.n), p.side, all, 1.0));
    }
    for (name, side, samples, per) in scenarios {
        let n = samples.len().max(1) as f64;
        let wall: f64 = samples.iter().map(|s| s.wall_us as f64 / 1000.0).sum();
        let trips: f64 = samples.iter().map(|s| s.round_trips as f64).sum();
        let mut row = vec![
            name,
            side.to_string(),
            count(samples.len() as f64 / per),
            count(trips / n),
            ms(wall / n),
        ];
        for m in COST_MODELS {
            let total = wall + trips * m.round_trip_ms;
            row.push(ms(total / n));
            row.push(secs(total / per / 1000.0));
        }
        t.row(row);
    }
    out.push_str(&t.render());
    out.push('\n');
}

/// Whether a tool is priced as a controller round trip, for the table by
/// tool.
#[must_use]
pub fn controller_mark(tool: &str) -> &'static str {
    if controller::reaches_controller(tool) {
        "yes"
    } else {
        "no"
    }
}
