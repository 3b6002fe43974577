//! Checks of the deviations of the engine itself: the config flags of the
//! base layer and rule D8.

use super::{Check, Observed, PYTHON_ITERATION_CAP};
use crate::observe::HookObs;
use crate::scenario::{Action, Step};

pub(super) fn check_config_flags(steps: &[Observed]) -> Check {
    let mut check = Check::default();
    for o in steps {
        for h in &o.rust.hooks {
            let left: Vec<&str> = config_flags(&h.flags);
            if !left.is_empty() {
                check.problems.push(format!(
                    "rust: step {}, {}: {} still set after the hook",
                    o.python.index,
                    h.describe(),
                    left.join(", ")
                ));
            }
        }
        check.observed |= o.python.hooks.iter().any(|h| {
            h.flags
                .keys()
                .any(|f| f.starts_with("config.set.") || f.starts_with("config.default."))
        });
    }
    check
}

fn config_flags(flags: &crate::observe::Flags) -> Vec<&str> {
    flags
        .keys()
        .filter(|f| f.starts_with("config."))
        .map(String::as_str)
        .collect()
}

/// The `chain_length` a step sets (deploy or config).
fn chain_length(step: &Step) -> Option<usize> {
    let values = match &step.action {
        Action::Deploy { config, .. } => config,
        Action::Config { values, .. } => values,
        _ => return None,
    };
    values.get("chain_length")?.as_u64().map(|n| n as usize)
}

fn chain_steps(h: &HookObs) -> usize {
    h.count("long_chain_tick") + h.count("long_chain_tock")
}

pub(super) fn check_chain(steps: &[Observed]) -> Check {
    let mut check = Check::default();
    for o in steps {
        let Some(n) = chain_length(o.step) else {
            check.problems.push(format!(
                "step {} sets no chain_length; the deviation cannot be checked",
                o.python.index
            ));
            continue;
        };
        let started = |hooks: &[HookObs]| -> Option<usize> {
            hooks.iter().position(|h| h.count("long_chain_start") == 1)
        };
        match started(&o.rust.hooks) {
            Some(i) => {
                let h = &o.rust.hooks[i];
                if chain_steps(h) != n || !h.flags.contains_key("probe.long.done") {
                    check.problems.push(format!(
                        "rust: {} ran {} of {n} chain steps (probe.long.done set: {})",
                        h.describe(),
                        chain_steps(h),
                        h.flags.contains_key("probe.long.done")
                    ));
                }
            }
            None => check
                .problems
                .push("rust: no hook started the chain".into()),
        }
        let Some(i) = started(&o.python.hooks) else {
            check
                .problems
                .push("python: no hook started the chain".into());
            continue;
        };
        let h = &o.python.hooks[i];
        let capped =
            chain_steps(h) == PYTHON_ITERATION_CAP - 1 && !h.flags.contains_key("probe.long.done");
        if n >= PYTHON_ITERATION_CAP && !capped {
            check.problems.push(format!(
                "python: {} ran {} chain steps; expected the cap to stop it after {}",
                h.describe(),
                chain_steps(h),
                PYTHON_ITERATION_CAP - 1
            ));
        }
        let total: usize = o.python.hooks.iter().map(chain_steps).sum();
        if total != n {
            check.problems.push(format!(
                "python: the step's hooks ran {total} of {n} chain steps in all"
            ));
        }
        check.observed |= capped;
    }
    check
}

pub(super) fn check_livelock(steps: &[Observed]) -> Check {
    let mut check = Check::default();
    let spins = |h: &&HookObs| h.count("livelock_set") + h.count("livelock_clear") > 0;
    for o in steps {
        let ours: Vec<&HookObs> = o.rust.hooks.iter().filter(spins).collect();
        if ours.is_empty() {
            check
                .problems
                .push("rust: no hook ran the livelock handlers".into());
        }
        for h in &ours {
            let named = ["livelock_set", "livelock_clear", "probe.spin"]
                .iter()
                .all(|part| h.error.contains(part));
            if h.ok || !named {
                check.problems.push(format!(
                    "rust: {} should fail naming livelock_set, livelock_clear and probe.spin; \
                     its error: {:?}",
                    h.describe(),
                    h.error
                ));
            }
        }
        if o.rust.errors.is_empty() {
            check
                .problems
                .push("rust: no unit was left in error".into());
        }
        let theirs: Vec<&HookObs> = o.python.hooks.iter().filter(spins).collect();
        let half = PYTHON_ITERATION_CAP / 2;
        let capped = !theirs.is_empty()
            && theirs.iter().all(|h| {
                h.ok && h.count("livelock_set") == half && h.count("livelock_clear") == half
            });
        if !capped {
            check.problems.push(format!(
                "python: expected successful hooks running livelock_set and livelock_clear \
                 {half} times each, got {:?}",
                theirs
                    .iter()
                    .map(|h| (
                        h.describe(),
                        h.count("livelock_set"),
                        h.count("livelock_clear")
                    ))
                    .collect::<Vec<_>>()
            ));
        }
        check.observed |= capped && !ours.is_empty() && ours.iter().all(|h| !h.ok);
    }
    check
}
