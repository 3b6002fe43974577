//! Comparing the two runs of a scenario: per hook the handler runs (counts,
//! and order where the scenario asks for it), `not_unless` warnings and
//! flags; per step every unit's flags, status, ports, relation data and
//! error, and every application's leader, status and leader settings.
//! Rule checks run on each side alone: a failed hook keeps no flag change,
//! and its retry starts from the same state (runs the same handlers).
//!
//! Flags are compared by name. Values are compared where both sides give
//! them the same meaning: a relation flag's value
//! (`{"relation": ..., "conversations": [...]}`, compared as the relation
//! and the set of conversation keys). Other values are charm data whose
//! representation may differ and are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::Value;

use crate::deviations::{deviation, Check, Deviation, Masks, Observed, DEVIATIONS};
use crate::observe::{Flags, HookObs, RunObs, StepObs};
use crate::run::Pair;
use crate::scenario::{Order, Scenario};

/// A difference nothing explains: a bug on one side, or a deviation to
/// document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The step's index.
    pub step: usize,
    /// What the step did.
    pub label: String,
    /// The unit, hook or application concerned.
    pub place: String,
    /// What differs.
    pub what: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "step {} ({})", self.step, self.label)?;
        if !self.place.is_empty() {
            write!(f, ", {}", self.place)?;
        }
        write!(f, ": {}", self.what)
    }
}

/// A deviation's outcome in one scenario.
#[derive(Debug, Clone)]
pub struct DeviationOutcome {
    /// The deviation.
    pub deviation: &'static Deviation,
    /// The steps it applied to.
    pub steps: Vec<usize>,
    /// Its check.
    pub check: Check,
}

/// Per step, for reports.
#[derive(Debug, Clone)]
pub struct StepSummary {
    /// The step's index.
    pub index: usize,
    /// What it did.
    pub label: String,
    /// Hooks run: reference, ours.
    pub hooks: (usize, usize),
    /// Step-scoped deviations.
    pub deviations: Vec<String>,
    /// Unexplained differences in the step.
    pub differences: usize,
}

/// The comparison of a scenario's two runs.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The scenario.
    pub scenario: String,
    /// Unexplained differences.
    pub differences: Vec<Difference>,
    /// Every deviation that applied.
    pub deviations: Vec<DeviationOutcome>,
    /// Per step.
    pub steps: Vec<StepSummary>,
    /// Hooks run in all: reference, ours.
    pub hooks: (usize, usize),
    /// Wall time of the runs, µs: reference, ours.
    pub wall_micros: (u64, u64),
}

impl Comparison {
    /// No unexplained difference, and every deviation as documented.
    pub fn is_ok(&self) -> bool {
        self.differences.is_empty() && self.deviations.iter().all(|d| d.check.problems.is_empty())
    }

    /// Everything that is not as it should be, one item per line.
    pub fn problems(&self) -> String {
        let mut out = String::new();
        for d in &self.differences {
            out.push_str(&format!("- {d}\n"));
        }
        for o in &self.deviations {
            for p in &o.check.problems {
                out.push_str(&format!("- deviation {}: {p}\n", o.deviation.id));
            }
        }
        out
    }

    /// Panics with a readable report unless [`Comparison::is_ok`].
    pub fn assert_ok(&self) {
        assert!(
            self.is_ok(),
            "scenario {}: the implementations differ\n{}",
            self.scenario,
            self.problems()
        );
    }
}

/// Compares the two runs of `scenario`.
pub fn compare(scenario: &Scenario, pair: &Pair) -> Comparison {
    let mut cx = Cx {
        differences: Vec::new(),
    };
    let everywhere: Vec<&'static Deviation> = DEVIATIONS.iter().filter(|d| d.everywhere).collect();
    let mut applied: BTreeMap<&'static str, (Vec<usize>, Vec<Observed>)> = BTreeMap::new();
    let mut steps = Vec::new();
    let pairs = pair.python.steps.iter().zip(&pair.rust.steps);
    for ((py, rs), step) in pairs.zip(&scenario.steps) {
        let named: Vec<&'static Deviation> = step
            .deviations
            .iter()
            .filter_map(|id| deviation(id))
            .collect();
        let active: Vec<&'static Deviation> = everywhere.iter().chain(&named).copied().collect();
        let masks = merge(&active);
        let before = cx.differences.len();
        if !masks.hooks_may_differ {
            cx.hooks(scenario.order, py, rs, &masks);
        }
        cx.state(py, rs, &masks);
        for (name, obs) in [("python", py), ("rust", rs)] {
            let expected_here = name == "rust" || !masks.errors_may_differ;
            if expected_here && obs.errors != step.errors {
                cx.add(
                    py,
                    "",
                    format!(
                        "{name} left {:?} in error; the scenario expects {:?}",
                        obs.errors, step.errors
                    ),
                );
            }
        }
        for d in &active {
            let entry = applied.entry(d.id).or_default();
            entry.0.push(py.index);
            entry.1.push(Observed {
                step,
                python: py,
                rust: rs,
            });
        }
        steps.push(StepSummary {
            index: py.index,
            label: py.label.clone(),
            hooks: (py.hooks.len(), rs.hooks.len()),
            deviations: step.deviations.clone(),
            differences: cx.differences.len() - before,
        });
    }
    if pair.python.steps.len() != pair.rust.steps.len() {
        cx.differences.push(Difference {
            step: 0,
            label: String::new(),
            place: String::new(),
            what: format!(
                "the runs have {} and {} steps",
                pair.python.steps.len(),
                pair.rust.steps.len()
            ),
        });
    }
    for run in [&pair.python, &pair.rust] {
        rule_checks(run, &mut cx.differences);
    }
    let deviations = applied
        .into_iter()
        .filter_map(|(id, (steps, observed))| {
            let d = deviation(id)?;
            Some(DeviationOutcome {
                deviation: d,
                steps,
                check: (d.check)(&observed),
            })
        })
        .collect();
    let count = |r: &RunObs| r.steps.iter().map(|s| s.hooks.len()).sum();
    Comparison {
        scenario: scenario.name.clone(),
        differences: cx.differences,
        deviations,
        steps,
        hooks: (count(&pair.python), count(&pair.rust)),
        wall_micros: (pair.python.wall_micros, pair.rust.wall_micros),
    }
}

/// The masks of every active deviation together.
#[derive(Debug, Default)]
struct Merged {
    python_flags: Vec<&'static str>,
    hook_flags: Vec<&'static str>,
    handlers: Vec<&'static str>,
    hooks_may_differ: bool,
    errors_may_differ: bool,
}

fn merge(active: &[&Deviation]) -> Merged {
    let all = |f: fn(&Masks) -> &'static [&'static str]| -> Vec<&'static str> {
        active
            .iter()
            .flat_map(|d| f(&d.masks).iter().copied())
            .collect()
    };
    Merged {
        python_flags: all(|m| m.python_flags),
        hook_flags: all(|m| m.hook_flags),
        handlers: all(|m| m.handlers),
        hooks_may_differ: active.iter().any(|d| d.masks.hooks_may_differ),
        errors_may_differ: active.iter().any(|d| d.masks.errors_may_differ),
    }
}

struct Cx {
    differences: Vec<Difference>,
}

impl Cx {
    fn add(&mut self, step: &StepObs, place: &str, what: String) {
        self.differences.push(Difference {
            step: step.index,
            label: step.label.clone(),
            place: place.to_string(),
            what,
        });
    }

    fn hooks(&mut self, order: Order, py: &StepObs, rs: &StepObs, masks: &Merged) {
        let key = |h: &HookObs| {
            (
                h.unit.clone(),
                h.hook.clone(),
                h.relation.clone(),
                h.remote_unit.clone(),
                h.ok,
            )
        };
        let same_sequence = py.hooks.len() == rs.hooks.len()
            && py
                .hooks
                .iter()
                .zip(&rs.hooks)
                .all(|(p, r)| key(p) == key(r));
        if !same_sequence {
            let list = |hs: &[HookObs]| {
                let each: Vec<String> = hs.iter().map(HookObs::describe).collect();
                format!("[{}]", each.join("; "))
            };
            let what = format!(
                "the hooks run differ:\n    python: {}\n    rust:   {}",
                list(&py.hooks),
                list(&rs.hooks)
            );
            self.add(py, "", what);
            return;
        }
        for (p, r) in py.hooks.iter().zip(&rs.hooks) {
            let place = format!("hook {}", p.describe());
            let keep = |runs: &[String]| -> Vec<String> {
                runs.iter()
                    .filter(|h| !masks.handlers.contains(&h.as_str()))
                    .cloned()
                    .collect()
            };
            let (pr, rr) = (keep(&p.runs), keep(&r.runs));
            let counts = |runs: &[String]| {
                let mut m: BTreeMap<String, usize> = BTreeMap::new();
                for h in runs {
                    *m.entry(h.clone()).or_default() += 1;
                }
                m
            };
            let (pc, rc) = (counts(&pr), counts(&rr));
            if pc != rc {
                let names: BTreeSet<&String> = pc.keys().chain(rc.keys()).collect();
                let each: Vec<String> = names
                    .into_iter()
                    .filter(|n| pc.get(*n) != rc.get(*n))
                    .map(|n| {
                        let c = |m: &BTreeMap<String, usize>| m.get(n).copied().unwrap_or(0);
                        format!("{n} python {} rust {}", c(&pc), c(&rc))
                    })
                    .collect();
                self.add(
                    py,
                    &place,
                    format!("handler runs differ: {}", each.join(", ")),
                );
            } else if order == Order::Exact && pr != rr {
                self.add(
                    py,
                    &place,
                    format!(
                        "handler order differs:\n    python: {}\n    rust:   {}",
                        pr.join(", "),
                        rr.join(", ")
                    ),
                );
            }
            let (mut pw, mut rw) = (p.not_unless.clone(), r.not_unless.clone());
            pw.sort();
            rw.sort();
            if pw != rw {
                self.add(
                    py,
                    &place,
                    format!("not_unless warnings differ: python {pw:?}, rust {rw:?}"),
                );
            }
            for what in flag_diff(&p.flags, &r.flags, &masks.python_flags, &masks.hook_flags) {
                self.add(py, &place, format!("flags after the hook: {what}"));
            }
        }
    }

    fn state(&mut self, py: &StepObs, rs: &StepObs, masks: &Merged) {
        let units: BTreeSet<&String> = py.units.keys().chain(rs.units.keys()).collect();
        for unit in units {
            let place = format!("unit {unit}");
            let (Some(p), Some(r)) = (py.units.get(unit), rs.units.get(unit)) else {
                let side = if py.units.contains_key(unit) {
                    "python"
                } else {
                    "rust"
                };
                self.add(py, &place, format!("exists only in the {side} model"));
                continue;
            };
            for what in flag_diff(&p.flags, &r.flags, &masks.python_flags, &[]) {
                self.add(py, &place, format!("flags: {what}"));
            }
            let mut field = |name: &str, a: String, b: String| {
                if a != b {
                    self.add(py, &place, format!("{name}: python {a}, rust {b}"));
                }
            };
            field(
                "status",
                format!("{:?}", p.status),
                format!("{:?}", r.status),
            );
            field("ports", format!("{:?}", p.ports), format!("{:?}", r.ports));
            field(
                "relation data",
                format!("{:?}", p.relation_data),
                format!("{:?}", r.relation_data),
            );
            if !masks.errors_may_differ {
                field("error", format!("{:?}", p.error), format!("{:?}", r.error));
            }
        }
        let apps: BTreeSet<&String> = py.apps.keys().chain(rs.apps.keys()).collect();
        for app in apps {
            let place = format!("application {app}");
            match (py.apps.get(app), rs.apps.get(app)) {
                (Some(p), Some(r)) if p != r => {
                    self.add(py, &place, format!("python {p:?}, rust {r:?}"));
                }
                (Some(_), Some(_)) => {}
                _ => self.add(py, &place, "exists in one model only".into()),
            }
        }
    }
}

/// The differences between two flag sets, as readable lines: names present
/// on one side only, and relation flags held by other conversations.
/// Flags starting with a prefix of `drop_python` are ignored on the
/// reference's side, of `drop_both` on both.
pub fn flag_diff(
    python: &Flags,
    rust: &Flags,
    drop_python: &[&str],
    drop_both: &[&str],
) -> Vec<String> {
    let dropped = |f: &str, extra: &[&str]| drop_both.iter().chain(extra).any(|p| f.starts_with(p));
    let py: BTreeMap<&String, &Value> = python
        .iter()
        .filter(|(f, _)| !dropped(f, drop_python))
        .collect();
    let rs: BTreeMap<&String, &Value> = rust.iter().filter(|(f, _)| !dropped(f, &[])).collect();
    let mut out = Vec::new();
    let only = |a: &BTreeMap<&String, &Value>, b: &BTreeMap<&String, &Value>| -> Vec<String> {
        a.keys()
            .filter(|f| !b.contains_key(*f))
            .map(|f| f.to_string())
            .collect()
    };
    let (only_py, only_rs) = (only(&py, &rs), only(&rs, &py));
    if !only_py.is_empty() {
        out.push(format!("set only in python: {}", only_py.join(", ")));
    }
    if !only_rs.is_empty() {
        out.push(format!("set only in rust: {}", only_rs.join(", ")));
    }
    for (flag, pv) in &py {
        let Some(rv) = rs.get(flag) else { continue };
        if let (Some(a), Some(b)) = (holders(pv), holders(rv)) {
            if a != b {
                out.push(format!("{flag} held by python {a:?}, rust {b:?}"));
            }
        }
    }
    out
}

/// A relation flag's relation and conversation keys.
fn holders(v: &Value) -> Option<(String, BTreeSet<String>)> {
    let relation = v.get("relation")?.as_str()?.to_string();
    let conversations = v
        .get("conversations")?
        .as_array()?
        .iter()
        .filter_map(|c| c.as_str().map(String::from))
        .collect();
    Some((relation, conversations))
}

/// Rules each side must keep on its own: a failed hook keeps no flag
/// change, and a retry of a failed hook runs what the failed try ran.
fn rule_checks(run: &RunObs, out: &mut Vec<Difference>) {
    let mut last: BTreeMap<&str, &Flags> = BTreeMap::new();
    let mut last_failed: BTreeMap<&str, &HookObs> = BTreeMap::new();
    let empty = Flags::new();
    for step in &run.steps {
        for h in &step.hooks {
            let place = format!("{} hook {}", run.implementation, h.describe());
            let before = last.get(h.unit.as_str()).copied().unwrap_or(&empty);
            if !h.ok && &h.flags != before {
                let what = flag_diff(before, &h.flags, &[], &[]).join("; ");
                out.push(Difference {
                    step: step.index,
                    label: step.label.clone(),
                    place: place.clone(),
                    what: format!("a failed hook kept flag changes (before vs after: {what})"),
                });
            }
            if let Some(prev) = last_failed.get(h.unit.as_str()) {
                if prev.hook == h.hook && !h.ok && prev.runs != h.runs {
                    out.push(Difference {
                        step: step.index,
                        label: step.label.clone(),
                        place: place.clone(),
                        what: format!(
                            "the retry ran other handlers than the failed try: [{}] then [{}]",
                            prev.runs.join(", "),
                            h.runs.join(", ")
                        ),
                    });
                }
            }
            if h.ok {
                last_failed.remove(h.unit.as_str());
            } else {
                last_failed.insert(&h.unit, h);
            }
            last.insert(&h.unit, &h.flags);
        }
    }
}
