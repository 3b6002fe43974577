//! Where we differ from the Python reference on purpose. Each deviation
//! says what differs and why, masks exactly that from the comparison, and
//! checks that we (and the reference) behave as it documents, so an entry
//! can neither hide another difference nor go stale unnoticed.
//!
//! A deviation applies either everywhere or to the scenario steps that
//! name it (`"deviations": ["d8-chain"]`); its masks may be limited to the
//! units of one charm.

mod engine;
mod kafka;
mod kafka_client;
#[cfg(test)]
mod tests;

use crate::observe::StepObs;
use crate::scenario::Step;

/// Which side's observations a mask leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Both.
    Both,
    /// The reference's only.
    Python,
}

/// What a mask leaves out of the comparison.
#[derive(Debug, Clone, Copy)]
pub enum Field {
    /// Flags with these prefixes, after hooks and after steps.
    Flags(&'static [&'static str]),
    /// Flags with these prefixes, after hooks only.
    HookFlags(&'static [&'static str]),
    /// The runs of these handlers.
    Handlers(&'static [&'static str]),
    /// Unit status and message.
    Status,
    /// Opened ports.
    Ports,
    /// Relation settings.
    RelationData,
    /// The observed files of the charm directory.
    Files,
    /// The hooks run (a hook fails on one side only, or one side causes
    /// events the other does not): only the state after the step is
    /// compared.
    HookSequence,
    /// The units left in error.
    Errors,
}

/// One thing left out of the comparison.
#[derive(Debug, Clone, Copy)]
pub struct Mask {
    /// Only for the units of this charm (`None`: every unit).
    pub charm: Option<&'static str>,
    /// Whose observations.
    pub side: Side,
    /// What.
    pub field: Field,
}

impl Mask {
    /// A mask on both sides for every unit.
    pub const fn both(field: Field) -> Mask {
        Mask {
            charm: None,
            side: Side::Both,
            field,
        }
    }

    /// A mask on both sides for the units of `charm`.
    pub const fn charm(charm: &'static str, field: Field) -> Mask {
        Mask {
            charm: Some(charm),
            side: Side::Both,
            field,
        }
    }

    /// Whether it covers a unit running `charm`.
    pub fn covers(&self, charm: &str) -> bool {
        self.charm.is_none_or(|c| c == charm)
    }
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
    pub masks: &'static [Mask],
    /// Checks both sides against the description, on the steps it applies
    /// to (for a deviation that applies everywhere: every step).
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
        masks: &[Mask {
            charm: None,
            side: Side::Python,
            field: Field::Flags(&["config.set.", "config.default."]),
        }],
        check: engine::check_config_flags,
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
        masks: &[
            Mask::both(Field::HookFlags(&["probe.long."])),
            Mask::both(Field::Handlers(&["long_chain_tick", "long_chain_tock"])),
        ],
        check: engine::check_chain,
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
        masks: &[
            Mask::both(Field::HookSequence),
            Mask::both(Field::Errors),
            Mask::both(Field::Flags(&["probe.spin"])),
            Mask::both(Field::Handlers(&["livelock_set", "livelock_clear"])),
        ],
        check: engine::check_livelock,
    },
    kafka::LATE_RELATION,
    kafka::PORTS,
    kafka::CLIENT_STATUS,
    kafka::UNCONFIGURE,
    kafka::BROKERS,
];

/// The deviation with this id.
pub fn deviation(id: &str) -> Option<&'static Deviation> {
    DEVIATIONS.iter().find(|d| d.id == id)
}
