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

mod diff;
mod flags;
mod rules;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;

use crate::deviations::{deviation, Check, Deviation, Field, Mask, Observed, Side, DEVIATIONS};
use crate::observe::RunObs;
use crate::run::Pair;
use crate::scenario::Scenario;

use diff::Cx;
pub use flags::flag_diff;
use rules::rule_checks;

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
    /// Wall time of the hook processes alone, µs: reference, ours.
    pub hook_micros: (u64, u64),
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
        if !masks.hook_sequence() {
            cx.hooks(scenario.order, py, rs, &masks);
        }
        cx.state(py, rs, &masks);
        for (name, obs) in [("python", py), ("rust", rs)] {
            let expected_here = name == "rust" || !masks.errors();
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
    let count = |r: &RunObs| r.hooks().count();
    let hook_time = |r: &RunObs| r.hooks().map(|h| h.wall_micros).sum();
    Comparison {
        scenario: scenario.name.clone(),
        differences: cx.differences,
        deviations,
        steps,
        hooks: (count(&pair.python), count(&pair.rust)),
        wall_micros: (pair.python.wall_micros, pair.rust.wall_micros),
        hook_micros: (hook_time(&pair.python), hook_time(&pair.rust)),
    }
}

/// The masks of every deviation active on a step.
#[derive(Debug, Default)]
pub(crate) struct Merged {
    masks: Vec<Mask>,
}

impl Merged {
    fn any(&self, charm: Option<&str>, f: impl Fn(&Field) -> bool) -> bool {
        self.masks
            .iter()
            .any(|m| m.side == Side::Both && charm.is_none_or(|c| m.covers(c)) && f(&m.field))
    }

    /// The hooks run may differ.
    pub(crate) fn hook_sequence(&self) -> bool {
        self.any(None, |f| matches!(f, Field::HookSequence))
    }

    /// The units left in error may differ.
    pub(crate) fn errors(&self) -> bool {
        self.any(None, |f| matches!(f, Field::Errors))
    }

    /// The runs of `handler` are not compared.
    pub(crate) fn handler(&self, handler: &str) -> bool {
        self.any(
            None,
            |f| matches!(f, Field::Handlers(h) if h.contains(&handler)),
        )
    }

    /// A unit's status is not compared.
    pub(crate) fn status(&self, charm: &str) -> bool {
        self.any(Some(charm), |f| matches!(f, Field::Status))
    }

    /// A unit's ports are not compared.
    pub(crate) fn ports(&self, charm: &str) -> bool {
        self.any(Some(charm), |f| matches!(f, Field::Ports))
    }

    /// A unit's relation data is not compared.
    pub(crate) fn relation_data(&self, charm: &str) -> bool {
        self.any(Some(charm), |f| matches!(f, Field::RelationData))
    }

    /// A unit's files are not compared.
    pub(crate) fn files(&self, charm: &str) -> bool {
        self.any(Some(charm), |f| matches!(f, Field::Files))
    }

    /// The flag prefixes left out for a unit of `charm`, after a hook
    /// (`hook`) or a step: on the reference's side, and on both.
    pub(crate) fn flags(&self, charm: &str, hook: bool) -> (Vec<&'static str>, Vec<&'static str>) {
        let (mut python, mut both) = (Vec::new(), Vec::new());
        for m in self.masks.iter().filter(|m| m.covers(charm)) {
            let prefixes = match m.field {
                Field::Flags(p) => p,
                Field::HookFlags(p) if hook => p,
                _ => continue,
            };
            match m.side {
                Side::Python => python.extend(prefixes),
                Side::Both => both.extend(prefixes),
            }
        }
        (python, both)
    }
}

fn merge(active: &[&Deviation]) -> Merged {
    Merged {
        masks: active
            .iter()
            .flat_map(|d| d.masks.iter().copied())
            .collect(),
    }
}
