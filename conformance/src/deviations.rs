//! Where we differ from the Python reference on purpose. Each deviation
//! says what differs and why, masks exactly that from the comparison, and
//! checks that we (and the reference) behave as it documents, so an entry
//! can neither hide another difference nor go stale unnoticed.
//!
//! A deviation applies either everywhere or to the scenario steps that
//! name it (`"deviations": ["d8-chain"]`).

use crate::observe::{HookObs, StepObs};
use crate::scenario::{Action, Step};

/// What a deviation leaves out of the comparison.
#[derive(Debug, Clone, Copy, Default)]
pub struct Masks {
    /// Flag prefixes dropped from the reference's flags (hooks and steps).
    pub python_flags: &'static [&'static str],
    /// Flag prefixes dropped from both sides' flags after each hook.
    pub hook_flags: &'static [&'static str],
    /// Handlers whose runs are not compared.
    pub handlers: &'static [&'static str],
    /// The hooks run may differ (a hook fails on one side only): only the
    /// state after the step is compared.
    pub hooks_may_differ: bool,
    /// The units left in error may differ.
    pub errors_may_differ: bool,
}

/// One step as both implementations ran it.
#[derive(Debug, Clone, Copy)]
pub struct Observed<'a> {
    /// The scenario's step.
    pub step: &'a Step,
    /// The reference's run of it.
    pub python: &'a StepObs,
    /// Ours.
    pub rust: &'a StepObs,
}

/// The outcome of a deviation's check.
#[derive(Debug, Clone, Default)]
pub struct Check {
    /// Where a side does not behave as the deviation documents.
    pub problems: Vec<String>,
    /// Whether the difference showed in these steps.
    pub observed: bool,
}

/// A deliberate difference.
#[derive(Debug, Clone, Copy)]
pub struct Deviation {
    /// Its id, as scenarios name it.
    pub id: &'static str,
    /// What differs, in a few words.
    pub title: &'static str,
    /// What the Python reference does.
    pub python: &'static str,
    /// What we do.
    pub rust: &'static str,
    /// Why we differ.
    pub reason: &'static str,
    /// Applies to every step of every scenario (else to the steps naming it).
    pub everywhere: bool,
    /// What is left out of the comparison where it applies.
    pub masks: Masks,
    /// Checks both sides against the description.
    pub check: fn(&[Observed]) -> Check,
}

/// The Python framework's bound on iterations of the other phase.
pub const PYTHON_ITERATION_CAP: usize = 100;

/// Every deliberate difference.
pub const DEVIATIONS: &[Deviation] = &[
    Deviation {
        id: "config-flags",
        title: "`config.set.*` and `config.default.*` between hooks",
        python: "The suite's Python base layer keeps them set after the hook, so `dispatch flags` \
                 shows the config.",
        rust: "Cleared at the end of every successful hook with `config.changed*`, as \
               layer-basic does: between hooks no `config.*` flag is set.",
        reason: "We follow layer-basic, which the Python charms in the wild run on. Handlers \
                 cannot tell: both sides recompute the flags before any handler runs.",
        everywhere: true,
        masks: Masks {
            python_flags: &["config.set.", "config.default."],
            hook_flags: &[],
            handlers: &[],
            hooks_may_differ: false,
            errors_may_differ: false,
        },
        check: check_config_flags,
    },
    Deviation {
        id: "d8-chain",
        title: "Rule D8: a chain longer than 100 iterations",
        python: "Stops after 100 iterations of the other phase, silently, and the hook succeeds; \
                 the next hook goes on where it stopped.",
        rust: "Runs the chain to its end in the one hook (no cap by default; \
               `REACTIVE_MAX_ITERATIONS` sets one).",
        reason: "A silent cap leaves a unit half-configured with no error anywhere; \
                 `reactive-semantics.md` rule D8.",
        everywhere: false,
        masks: Masks {
            python_flags: &[],
            hook_flags: &["probe.long."],
            handlers: &["long_chain_tick", "long_chain_tock"],
            hooks_may_differ: false,
            errors_may_differ: false,
        },
        check: check_chain,
    },
    Deviation {
        id: "d8-livelock",
        title: "Rule D8: a livelock",
        python: "Runs the two handlers 50 times each (100 iterations), then stops silently; \
                 the hook succeeds.",
        rust: "Sees the flags and queue of an earlier iteration come back and fails the hook \
               with an error naming the handlers and flags of the cycle; the unit is in error \
               until the config is fixed.",
        reason: "A livelock is a bug in the charm; failing loudly, with the cycle named, is \
                 what lets its author find it. `reactive-semantics.md` rule D8.",
        everywhere: false,
        masks: Masks {
            python_flags: &[],
            hook_flags: &["probe.spin"],
            handlers: &["livelock_set", "livelock_clear"],
            hooks_may_differ: true,
            errors_may_differ: true,
        },
        check: check_livelock,
    },
];

/// The deviation with this id.
pub fn deviation(id: &str) -> Option<&'static Deviation> {
    DEVIATIONS.iter().find(|d| d.id == id)
}

fn check_config_flags(steps: &[Observed]) -> Check {
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

fn check_chain(steps: &[Observed]) -> Check {
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

fn check_livelock(steps: &[Observed]) -> Check {
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
