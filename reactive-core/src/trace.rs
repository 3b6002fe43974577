//! The dispatch trace: per phase and iteration, which handlers were queued,
//! invoked or dropped by a re-test, and which flags each invocation changed.
//!
//! The store keeps two: the trace of the last successful dispatch, written
//! in its commit, and the trace of the last failed one with its error,
//! written on its own after the failure (nothing else of
//! a failed hook is kept). Each is cut to at most 64 KiB of JSON first: a
//! trace quotes hook-tool arguments, which can hold what a remote
//! application published. Each argument is cut to 1 KiB, a failed
//! dispatch's error to 4 KiB, with the marker of [`crate::quote()`];
//! then, while the whole is still too large, the last hook-tool calls,
//! then the last rounds, then the setup changes are left out and counted
//! ([`Trace::omitted`]).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) use crate::hookenv::ToolCall;
use crate::quote::{truncate, QUOTE_LIMIT};
use crate::store::{Changes, Store};

/// Key of the last successful dispatch's trace in the unit key-value store.
pub(crate) const TRACE_KEY: &str = "reactive.dispatch.trace";

/// Key of the last failed dispatch's trace.
pub(crate) const FAILED_TRACE_KEY: &str = "reactive.dispatch.failed-trace";

/// Set with the failed trace, deleted by every successful commit: whether
/// the failed dispatch is the latest one.
pub(crate) const FAILED_IS_LATEST_KEY: &str = "reactive.dispatch.failed-is-latest";

/// The most bytes of JSON a stored trace takes (64 KiB).
pub(crate) const TRACE_LIMIT: usize = 64 * 1024;

/// The most bytes of a failed dispatch's error a stored trace keeps.
const ERROR_LIMIT: usize = 4 * QUOTE_LIMIT;

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
    /// Why the dispatch failed, with the causes (a failed dispatch's
    /// stored trace only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What was left out of a stored trace to keep it under 64 KiB, by
    /// part (`tool_calls`, `rounds`, `setup`) and count; empty when
    /// nothing was.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub omitted: BTreeMap<String, usize>,
}

impl Trace {
    /// This trace cut to at most `limit` bytes of JSON, as the module docs
    /// say.
    #[must_use]
    pub(crate) fn bounded(mut self, limit: usize) -> Trace {
        for call in &mut self.tool_calls {
            for arg in &mut call.args {
                if arg.len() > QUOTE_LIMIT {
                    *arg = truncate(arg, QUOTE_LIMIT).into_owned();
                }
            }
        }
        if let Some(e) = &mut self.error {
            if e.len() > ERROR_LIMIT {
                *e = truncate(e, ERROR_LIMIT).into_owned();
            }
        }
        // Room for the counts of what is left out.
        let limit = limit.saturating_sub(128);
        let mut size = json_len(&self);
        while size > limit {
            let (part, cut) = if let Some(c) = self.tool_calls.pop() {
                ("tool_calls", json_len(&c))
            } else if let Some(r) = self.rounds.pop() {
                ("rounds", json_len(&r))
            } else if let Some(c) = self.setup.pop() {
                ("setup", json_len(&c))
            } else {
                break;
            };
            size -= cut + 1;
            *self.omitted.entry(part.to_string()).or_default() += 1;
        }
        self
    }

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
        if let Some(e) = &self.error {
            writeln!(f, "  failed: {}", e.replace('\n', "\n    "))?;
        }
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
        if !self.omitted.is_empty() {
            let count = |part: &str| self.omitted.get(part).copied().unwrap_or(0);
            writeln!(
                f,
                "  left out to keep the trace under {} KiB: the last {} hook-tool calls, \
                 the last {} rounds, {} setup changes",
                TRACE_LIMIT / 1024,
                count("tool_calls"),
                count("rounds"),
                count("setup")
            )?;
        }
        Ok(())
    }
}

/// The bytes of `v` as JSON (0 if it does not encode, which a trace always
/// does).
fn json_len(v: &impl Serialize) -> usize {
    serde_json::to_vec(v).map_or(0, |b| b.len())
}

/// `trace` as stored: bounded by [`TRACE_LIMIT`], as JSON.
pub(crate) fn stored(trace: &Trace) -> Result<Value, serde_json::Error> {
    serde_json::to_value(trace.clone().bounded(TRACE_LIMIT))
}

/// Keeps `trace`, of a dispatch that failed with `error`, as the last
/// failed one, in a commit of its own. It is only a diagnostic: if the
/// store cannot take it (a full disk, the cause of the failure perhaps),
/// that is said on stderr and the hook fails for its own reason.
pub(crate) fn keep_failed(store: &Store, mut trace: Trace, error: String) {
    trace.error = Some(error);
    let written = stored(&trace).map_err(|e| e.to_string()).and_then(|v| {
        let changes = Changes {
            flags: BTreeMap::new(),
            kv: BTreeMap::from([
                (FAILED_TRACE_KEY.to_string(), Some(v)),
                (FAILED_IS_LATEST_KEY.to_string(), Some(Value::Bool(true))),
            ]),
        };
        store
            .commit(&changes)
            .map_err(|e| crate::error::error_chain(&e))
    });
    if let Err(e) = written {
        eprintln!("the failed dispatch's trace could not be kept: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(arg: String) -> ToolCall {
        ToolCall {
            tool: "juju-log".into(),
            args: vec!["-l".into(), "WARNING".into(), arg],
            input: None,
        }
    }

    #[test]
    fn a_small_trace_is_kept_whole() {
        let t = Trace {
            hook: "install".into(),
            tool_calls: vec![call("hello".into())],
            ..Trace::default()
        };
        assert_eq!(t.clone().bounded(TRACE_LIMIT), t);
    }

    #[test]
    fn a_huge_trace_is_cut_under_the_limit_and_says_so() {
        let round = Round {
            phase: Phase::Flags,
            iteration: 0,
            queued: vec!["h".repeat(200); 10],
            steps: vec![],
        };
        let t = Trace {
            hook: "update-status".into(),
            setup: vec![FlagChange::Set("config.changed".into())],
            rounds: vec![round; 10],
            tool_calls: std::iter::once(call("9".repeat(10 << 20)))
                .chain((0..100_000).map(|i| call(format!("line {i}"))))
                .collect(),
            error: Some("e".repeat(1 << 20)),
            omitted: BTreeMap::new(),
        };
        let b = t.bounded(TRACE_LIMIT);
        let size = serde_json::to_vec(&b).unwrap().len();
        assert!(size <= TRACE_LIMIT, "{size} bytes");
        assert!(size > TRACE_LIMIT - 1024, "as much as fits: {size} bytes");
        assert!(b.tool_calls[0].args[2].ends_with("... (10484736 more bytes not shown)"));
        assert!(b.error.unwrap().ends_with("(1044480 more bytes not shown)"));
        let cut = b.omitted["tool_calls"];
        assert_eq!(cut + b.tool_calls.len(), 100_001);
        assert_eq!(b.rounds.len(), 10);
        assert_eq!(b.omitted.len(), 1, "only calls left out");
        let shown = Trace { error: None, ..b }.to_string();
        assert!(
            shown.contains("left out to keep the trace under 64 KiB"),
            "{shown}"
        );
    }
}
