//! One measured hook, and the statistics taken over many.

use std::collections::BTreeMap;
use std::fmt;

use juju_sim::report::HookRun;

/// Which implementation ran a hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The Python reference: `charms.reactive` + `charmhelpers`.
    Reference,
    /// This project's Rust charms.
    Ours,
}

impl Side {
    /// Both sides, reference first (the order of every table).
    pub const BOTH: [Side; 2] = [Side::Reference, Side::Ours];

    /// Short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Side::Reference => "reference",
            Side::Ours => "ours",
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Which charm ran a hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// `kafka-provider`.
    Provider,
    /// `kafka-client`.
    Client,
}

impl Role {
    /// Both roles, provider first.
    pub const BOTH: [Role; 2] = [Role::Provider, Role::Client];

    /// Short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Role::Provider => "provider",
            Role::Client => "client",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The endpoint name every relation hook kind is reported under, so that
/// hook kinds compare across charms whatever their endpoint is called.
pub const ENDPOINT_LABEL: &str = "kafka";

/// One hook run, reduced to what the benchmark reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// The implementation.
    pub side: Side,
    /// The charm.
    pub role: Role,
    /// The hook kind: the hook name, relation hooks under
    /// [`ENDPOINT_LABEL`] (`kafka-relation-joined`).
    pub kind: String,
    /// Wall time of the hook process, µs.
    pub wall_us: u64,
    /// Time inside hook tools, as the tools measured it, µs.
    pub tool_us: u64,
    /// Hook-tool calls by tool name.
    pub calls: BTreeMap<String, ToolUse>,
    /// Peak resident set size of the hook process (or of a tool it waited
    /// for, if larger), KiB.
    pub rss_kib: u64,
    /// Calls that would reach the controller under real Juju
    /// ([`crate::controller::round_trips`]).
    pub round_trips: usize,
}

impl Sample {
    /// Reduces a simulator hook run.
    pub fn from_run(side: Side, role: Role, run: &HookRun) -> Sample {
        let kind = match &run.relation {
            Some(rel) => match run.hook.strip_prefix(rel.name.as_str()) {
                Some(rest) if rest.starts_with("-relation-") => format!("{ENDPOINT_LABEL}{rest}"),
                _ => run.hook.clone(),
            },
            None => run.hook.clone(),
        };
        Sample {
            side,
            role,
            kind,
            wall_us: run.wall_micros,
            tool_us: run.tool_micros,
            calls: run.calls.iter().fold(BTreeMap::new(), |mut acc, call| {
                let used: &mut ToolUse = acc.entry(call.tool.clone()).or_default();
                used.count += 1;
                used.micros += call.micros;
                acc
            }),
            rss_kib: run.peak_rss_kib,
            round_trips: crate::controller::round_trips(
                &run.calls,
                &run.unit,
                run.relation.as_ref().map(|r| r.id.as_str()),
                run.relation.as_ref().and_then(|r| r.remote_unit.as_deref()),
            ),
        }
    }

    /// Framework overhead: wall time minus time inside hook tools, µs. It
    /// holds process start, interpreter or runtime start, the framework's
    /// own work, and starting the hook-tool processes.
    pub fn overhead_us(&self) -> u64 {
        self.wall_us.saturating_sub(self.tool_us)
    }

    /// Number of hook-tool calls.
    pub fn call_count(&self) -> usize {
        self.calls.values().map(|u| u.count).sum()
    }
}

/// How much a hook used one tool.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ToolUse {
    /// Calls.
    pub count: usize,
    /// Time inside the tool over those calls, µs.
    pub micros: u64,
}

/// The `q` quantile (0.0..=1.0) of values, linearly interpolated between
/// the closest ranks; `None` for no values.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64))
}

/// Median and 90th percentile of a set of values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// How many values.
    pub n: usize,
    /// The median.
    pub median: f64,
    /// The 90th percentile.
    pub p90: f64,
    /// The largest value.
    pub max: f64,
}

impl Spread {
    /// The spread of values; `None` for no values.
    pub fn of(values: &[f64]) -> Option<Spread> {
        Some(Spread {
            n: values.len(),
            median: quantile(values, 0.5)?,
            p90: quantile(values, 0.9)?,
            max: values.iter().copied().fold(f64::MIN, f64::max),
        })
    }

    /// The spread of one measure over samples, in the measure's unit.
    pub fn over<'a>(
        samples: impl IntoIterator<Item = &'a Sample>,
        measure: impl Fn(&Sample) -> f64,
    ) -> Option<Spread> {
        let values: Vec<f64> = samples.into_iter().map(measure).collect();
        Spread::of(&values)
    }
}

/// Wall time in milliseconds.
pub fn wall_ms(s: &Sample) -> f64 {
    s.wall_us as f64 / 1000.0
}

/// Overhead in milliseconds.
pub fn overhead_ms(s: &Sample) -> f64 {
    s.overhead_us() as f64 / 1000.0
}

/// Tool time in milliseconds.
pub fn tool_ms(s: &Sample) -> f64 {
    s.tool_us as f64 / 1000.0
}

/// Peak RSS in MiB.
pub fn rss_mib(s: &Sample) -> f64 {
    s.rss_kib as f64 / 1024.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_between_ranks() {
        let v = [4.0, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&v, 0.5), Some(2.5));
        assert_eq!(quantile(&v, 0.0), Some(1.0));
        assert_eq!(quantile(&v, 1.0), Some(4.0));
        let ten: Vec<f64> = (1..=11).map(f64::from).collect();
        assert_eq!(quantile(&ten, 0.9), Some(10.0));
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn relation_hooks_are_reported_under_one_endpoint_name() {
        let run: HookRun = hook_run(
            "queue-relation-joined",
            Some(("queue", "queue:3")),
            1500,
            400,
        );
        let s = Sample::from_run(Side::Ours, Role::Client, &run);
        assert_eq!(s.kind, "kafka-relation-joined");
        assert_eq!(s.overhead_us(), 1100);
        let run = hook_run("config-changed", None, 10, 20);
        let s = Sample::from_run(Side::Ours, Role::Client, &run);
        assert_eq!(s.kind, "config-changed");
        assert_eq!(s.overhead_us(), 0, "tool time above wall time saturates");
    }

    fn hook_run(hook: &str, rel: Option<(&str, &str)>, wall: u64, tool: u64) -> HookRun {
        HookRun {
            seq: 0,
            unit: "client/0".into(),
            hook: hook.into(),
            action: None,
            relation: rel.map(|(name, id)| juju_sim::report::RelationEnv {
                name: name.into(),
                id: id.into(),
                remote_unit: Some("kafka/0".into()),
                remote_app: "kafka".into(),
                departing_unit: None,
            }),
            status: juju_sim::report::RunStatus::Succeeded,
            attempt: 1,
            wall_micros: wall,
            tool_micros: tool,
            peak_rss_kib: 0,
            calls: Vec::new(),
            stdout_tail: String::new(),
            stderr_tail: String::new(),
            flags: None,
        }
    }
}
