//! The dispatch trace: per phase and iteration, which handlers were queued,
//! invoked or dropped by a re-test, and which flags each invocation changed.
//! The trace of the last successful dispatch is kept in the store.

use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::hookenv::ToolCall;

/// Key of the last trace in the unit key-value store.
pub const TRACE_KEY: &str = "reactive.dispatch.trace";

/// The phase a step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// `collect-metrics` / `meter-status-changed` (rule D1).
    Restricted,
    /// Hook handlers (rule D2).
    Hooks,
    /// Flag handlers, in iterations (rule D3).
    #[serde(alias = "other")]
    Flags,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Restricted => "restricted",
            Phase::Hooks => "hooks",
            Phase::Flags => "flags",
        })
    }
}

/// A flag change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", content = "flag", rename_all = "lowercase")]
pub enum FlagChange {
    /// The flag went from unset to set.
    Set(String),
    /// The flag went from set to unset.
    Cleared(String),
}

/// One thing that happened in an iteration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Step {
    /// A handler ran, and changed these flags (triggers included).
    Invoked {
        /// Handler id.
        handler: String,
        /// Flags set or cleared during the invocation.
        changes: Vec<FlagChange>,
    },
    /// A flag was cleared, the rest of the queue was re-tested, and these
    /// handlers no longer matched (rule D4).
    Dropped {
        /// Handler ids.
        handlers: Vec<String>,
    },
}

/// One phase, or one iteration of the other phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// The phase.
    pub phase: Phase,
    /// Iteration number within the other phase (0 elsewhere).
    pub iteration: usize,
    /// Handlers queued at the start, in order.
    pub queued: Vec<String>,
    /// What happened, in order.
    pub steps: Vec<Step>,
}

/// The whole trace of one dispatch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trace {
    /// The hook that was dispatched.
    pub hook: String,
    /// Flags changed before the dispatch proper (automatic flags).
    pub setup: Vec<FlagChange>,
    /// Phases and iterations, in order.
    pub rounds: Vec<Round>,
    /// Hook-tool calls made during the hook, in order.
    pub tool_calls: Vec<ToolCall>,
}

impl Trace {
    /// Every handler invocation, in order.
    pub fn invoked(&self) -> impl Iterator<Item = &str> {
        self.rounds.iter().flat_map(|r| {
            r.steps.iter().filter_map(|s| match s {
                Step::Invoked { handler, .. } => Some(handler.as_str()),
                Step::Dropped { .. } => None,
            })
        })
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let changes = |c: &[FlagChange]| {
            c.iter()
                .map(|c| match c {
                    FlagChange::Set(n) => format!("+{n}"),
                    FlagChange::Cleared(n) => format!("-{n}"),
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        writeln!(f, "hook {}", self.hook)?;
        if !self.setup.is_empty() {
            writeln!(f, "  setup: {}", changes(&self.setup))?;
        }
        for r in &self.rounds {
            if r.phase == Phase::Flags {
                writeln!(
                    f,
                    "  {} iteration {}: {} queued",
                    r.phase,
                    r.iteration,
                    r.queued.len()
                )?;
            } else {
                writeln!(f, "  {} phase: {} queued", r.phase, r.queued.len())?;
            }
            for s in &r.steps {
                match s {
                    Step::Invoked {
                        handler,
                        changes: c,
                    } if c.is_empty() => writeln!(f, "    invoked {handler}")?,
                    Step::Invoked {
                        handler,
                        changes: c,
                    } => writeln!(f, "    invoked {handler}: {}", changes(c))?,
                    Step::Dropped { handlers } => {
                        writeln!(f, "    re-test dropped {}", handlers.join(", "))?
                    }
                }
            }
        }
        if !self.tool_calls.is_empty() {
            writeln!(f, "  hook-tool calls: {}", self.tool_calls.len())?;
            for c in &self.tool_calls {
                writeln!(f, "    {} {}", c.tool, c.args.join(" "))?;
            }
        }
        Ok(())
    }
}
