//! Where the time goes, and what each missed target is missed by.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::figures::{self, calls, mean, median, of_kind, of_side, role_samples};
use super::table::{count, ms, ratio, Table};
use crate::floor::IMPORT_STATEMENT;
use crate::sample::{self, quantile, Role, Sample, Side};
use crate::Results;

/// The parts of the median overhead of one side, in ms (estimates: each is
/// a median or mean measured on its own). `None`: not part of that side.
struct Parts {
    overhead: f64,
    /// Spawning the hook process and a native no-op exec (the null charm).
    spawn: f64,
    /// Interpreter start (`python -c pass`) beyond the spawn.
    interpreter: Option<f64>,
    /// Importing the framework beyond interpreter start.
    import: Option<f64>,
    /// `dispatch flags` beyond the spawn: opening the unit's store and
    /// reading it.
    store: Option<f64>,
    /// The empty reactive-rs charm's overhead beyond `dispatch flags` and
    /// starting its own hook-tool processes: the rest of the runtime with
    /// no handler.
    runtime: Option<f64>,
    /// Starting the hook-tool processes: calls per hook times the spawn
    /// floor.
    tool_starts: f64,
    /// Mean calls per hook.
    calls: f64,
}

impl Parts {
    fn rest(&self) -> f64 {
        self.overhead
            - self.spawn
            - self.interpreter.unwrap_or(0.0)
            - self.import.unwrap_or(0.0)
            - self.store.unwrap_or(0.0)
            - self.runtime.unwrap_or(0.0)
            - self.tool_starts
    }
}

fn us_median(values: &[u64]) -> f64 {
    let v: Vec<f64> = values.iter().map(|&x| x as f64 / 1000.0).collect();
    quantile(&v, 0.5).unwrap_or(f64::NAN)
}

fn floor_median(samples: &[Sample], f: fn(&Sample) -> f64) -> f64 {
    let refs: Vec<&Sample> = samples.iter().collect();
    median(&refs, f).unwrap_or(f64::NAN)
}

fn parts(r: &Results, side: Side) -> Parts {
    let samples = of_side(&r.lifecycle, side);
    let spawn = floor_median(&r.floors.null, sample::wall_ms);
    let calls = mean(&samples, calls).unwrap_or(0.0);
    let overhead = median(&samples, sample::overhead_ms).unwrap_or(f64::NAN);
    match side {
        Side::Reference => {
            let start = us_median(&r.floors.python_start_us);
            let import = us_median(&r.floors.python_import_us);
            Parts {
                overhead,
                spawn,
                interpreter: Some((start - spawn).max(0.0)),
                import: Some((import - start).max(0.0)),
                store: None,
                runtime: None,
                tool_starts: calls * spawn,
                calls,
            }
        }
        Side::Ours => {
            let empty = floor_median(&r.floors.empty_reactive, sample::overhead_ms);
            let empty_calls = floor_median(&r.floors.empty_reactive, figures::calls);
            let store = us_median(&r.floors.store_read_us).max(spawn);
            Parts {
                overhead,
                spawn,
                interpreter: None,
                import: None,
                store: Some(store - spawn),
                runtime: Some(empty - store - empty_calls * spawn),
                tool_starts: calls * spawn,
                calls,
            }
        }
    }
}

/// The section "Where the time goes".
pub fn where_time_goes(out: &mut String, r: &Results) {
    out.push_str(
        "## Where the time goes\n\nThe median overhead per hook of the lifecycle, split \
         with floors measured in the same run. Each part is measured on its own \
         (a median, or a mean for calls), so the parts are estimates and the rest \
         can come out slightly negative.\n\n",
    );
    let (a, b) = (parts(r, Side::Reference), parts(r, Side::Ours));
    let mut t = Table::new(&["part of the overhead", "reference", "ours"]);
    let opt = |x: Option<f64>| x.map_or_else(|| "—".to_string(), ms);
    t.row(vec![
        "median overhead per hook".into(),
        ms(a.overhead),
        ms(b.overhead),
    ]);
    t.row(vec![
        "spawning a native no-op hook (null charm)".into(),
        ms(a.spawn),
        ms(b.spawn),
    ]);
    t.row(vec![
        "Python interpreter start beyond that (`python -c pass`)".into(),
        opt(a.interpreter),
        opt(b.interpreter),
    ]);
    t.row(vec![
        "importing the framework".into(),
        opt(a.import),
        opt(b.import),
    ]);
    t.row(vec![
        "opening the unit's store and reading the flags (`dispatch flags` beyond the spawn)".into(),
        opt(a.store),
        opt(b.store),
    ]);
    t.row(vec![
        "the rest of the runtime with no handler (the empty reactive-rs charm beyond that \
         and its own tool processes)"
            .into(),
        opt(a.runtime),
        opt(b.runtime),
    ]);
    t.row(vec![
        "starting hook-tool processes (calls per hook × spawn)".into(),
        ms(a.tool_starts),
        ms(b.tool_starts),
    ]);
    t.row(vec![
        "the rest: handlers, interfaces, the framework's own work".into(),
        ms(a.rest()),
        ms(b.rest()),
    ]);
    t.row(vec![
        "hook-tool calls per hook, mean".into(),
        count(a.calls),
        count(b.calls),
    ]);
    out.push_str(&t.render());
    let empty: Vec<&Sample> = r.floors.empty_reactive.iter().collect();
    let _ = writeln!(
        out,
        "\nFramework import is `python -c \"{IMPORT_STATEMENT}\"` minus `python -c pass`. \
         The null charm is a native executable that exits at once; the empty reactive-rs \
         charm is `reactive_core::main()` with no handler and the provider's `config.yaml` \
         ({} per `update-status`, {} hook-tool calls); both run through juju-sim as hooks \
         ({} `update-status` hooks each).\n",
        ms(median(&empty, sample::wall_ms).unwrap_or(f64::NAN)),
        count(mean(&empty, figures::calls).unwrap_or(0.0)),
        r.floors.null.len()
    );
    scaling_growth(out, r);
}

/// How each role's per-hook figures change from the smallest N to the largest.
fn scaling_growth(out: &mut String, r: &Results) {
    let Some((lo, hi)) = figures::n_range(r) else {
        return;
    };
    let _ = writeln!(
        out,
        "### What changes with N\n\nPer-hook medians (calls: mean) at N = {lo} and N = {hi}.\n"
    );
    let mut t = Table::new(&[
        "charm",
        "side",
        "wall",
        "tool time",
        "overhead",
        "calls",
        "wall growth",
    ]);
    for role in Role::BOTH {
        for side in Side::BOTH {
            let (Some(p), Some(q)) = (figures::point(r, side, lo), figures::point(r, side, hi))
            else {
                continue;
            };
            let (x, y) = (role_samples(p, role), role_samples(q, role));
            let pair = |f: fn(&crate::sample::Sample) -> f64, fmt: fn(f64) -> String| {
                format!(
                    "{} → {}",
                    median(&x, f).map_or("—".into(), fmt),
                    median(&y, f).map_or("—".into(), fmt)
                )
            };
            let growth = median(&y, sample::wall_ms).zip(median(&x, sample::wall_ms));
            t.row(vec![
                role.to_string(),
                side.to_string(),
                pair(sample::wall_ms, ms),
                pair(sample::tool_ms, ms),
                pair(sample::overhead_ms, ms),
                format!(
                    "{} → {}",
                    mean(&x, calls).map_or("—".into(), count),
                    mean(&y, calls).map_or("—".into(), count)
                ),
                growth.map_or("—".into(), |(b, a)| ratio(b / a)),
            ]);
        }
    }
    out.push_str(&t.render());
    out.push('\n');
}

/// The section on missed targets: by how much, and what dominates.
pub fn missed(out: &mut String, r: &Results) {
    let targets = figures::targets(r);
    out.push_str("## Missed targets\n\n");
    if targets.iter().all(|t| t.met) {
        out.push_str("None: every target is met in this run.\n");
        return;
    }
    let overhead = figures::overhead_target(r);
    if !overhead.met {
        let p = parts(r, Side::Ours);
        let theirs = parts(r, Side::Reference).overhead;
        let share = |x: f64| format!("{} ({:.0}%)", ms(x), 100.0 * x / p.overhead);
        let mut biggest = [
            ("spawning the hook process", p.spawn),
            ("opening the store", p.store.unwrap_or(0.0)),
            ("the rest of the runtime", p.runtime.unwrap_or(0.0)),
            ("starting hook-tool processes", p.tool_starts),
            ("handlers and interfaces", p.rest()),
        ];
        biggest.sort_by(|x, y| y.1.total_cmp(&x.1));
        let _ = writeln!(
            out,
            "- **Overhead**: {} lower where 100x was asked, missed by {}: ours would need \
             {} per hook and takes {}. Of that, spawning the hook process is {}, opening \
             the store {}, starting {} hook-tool processes about {}, the rest of the \
             runtime with no handler {}, and handlers and interfaces {}; {} dominates.",
            ratio(overhead.ratio),
            ratio(100.0 / overhead.ratio),
            ms(theirs / 100.0),
            ms(p.overhead),
            share(p.spawn),
            share(p.store.unwrap_or(0.0)),
            count(p.calls),
            share(p.tool_starts),
            share(p.runtime.unwrap_or(0.0)),
            share(p.rest()),
            biggest[0].0
        );
        let allowed = theirs / 100.0;
        let processes = p.calls + 1.0;
        let spawning = processes * p.spawn;
        let _ = write!(
            out,
            "  Spawning processes alone (the hook and its {} hook-tool processes, {} × {}) \
             costs {}",
            count(p.calls),
            count(processes),
            ms(p.spawn),
            ms(spawning)
        );
        if spawning > allowed {
            let _ = writeln!(
                out,
                ", more than the {} the target allows: with hook tools as processes, \
                 no runtime meets it at this many tool calls per hook.",
                ms(allowed)
            );
        } else {
            let _ = writeln!(
                out,
                " of the {} the target allows; the rest of the gap is the runtime's own.",
                ms(allowed)
            );
        }
    }
    for t in figures::targets(r)
        .iter()
        .filter(|t| !t.met && t.goal == "at most 0.5x")
    {
        let _ = writeln!(
            out,
            "- **{}**: {} ({}), missed by {}; see \"Calls and controller round trips\" \
             for the hook kinds and tools.",
            t.name,
            ratio(t.ratio),
            t.measured,
            ratio(t.ratio / 0.5)
        );
    }
    let calls = figures::calls_target(r);
    if !calls.met {
        let _ = writeln!(out, "- **Hook-tool calls**: {}.", calls.measured);
        for (role, kind, theirs, ours) in figures::calls_by_kind(r) {
            if ours > theirs && super::calls::explanation(role, &kind).is_none() {
                let _ = writeln!(
                    out,
                    "  - {role} `{kind}`: {} calls against {} ({}).",
                    count(ours),
                    count(theirs),
                    tool_differences(r, role, &kind)
                );
            }
        }
    }
    for role in Role::BOTH {
        if let Some(t) = figures::scaling_target(r, role).filter(|t| !t.met) {
            let _ = writeln!(
                out,
                "- **Scaling, {role}**: {} ({}), missed by {}; see \"What changes with N\" \
                 for whether tool calls, tool time or overhead grow.",
                ratio(t.ratio),
                t.measured,
                ratio(t.ratio / 2.0)
            );
        }
    }
}

/// Mean calls per tool where ours exceeds the reference, as text.
fn tool_differences(r: &Results, role: Role, kind: &str) -> String {
    let per_tool = |side| {
        let samples = of_kind(&r.lifecycle, side, role, kind);
        let n = samples.len().max(1) as f64;
        figures::tool_totals(&samples)
            .into_iter()
            .map(|(tool, (c, _))| (tool, c as f64 / n))
            .collect::<BTreeMap<String, f64>>()
    };
    let (a, b) = (per_tool(Side::Reference), per_tool(Side::Ours));
    let more: Vec<String> = b
        .iter()
        .filter(|(tool, n)| **n > a.get(*tool).copied().unwrap_or(0.0))
        .map(|(tool, n)| {
            format!(
                "`{tool}` {} against {}",
                count(*n),
                count(a.get(tool).copied().unwrap_or(0.0))
            )
        })
        .collect();
    if more.is_empty() {
        "no single tool more often".into()
    } else {
        more.join(", ")
    }
}
