//! The dispatch loop: rules D1 to D8 of the reactive semantics.
//!
//! - D1 restricted mode for `collect-metrics` and `meter-status-changed`;
//! - D2 the hooks phase;
//! - D3 the flags phase in iterations, re-testing only the watchers of the
//!   flags the previous iteration changed (plus handlers that watch none);
//! - D4 a set flag waits for the next iteration, a cleared flag re-tests the
//!   rest of the queue at once;
//! - D5 quiescence ends the dispatch; D6 follows from D3;
//! - D7 order is (file, line, name);
//! - D8 no iteration cap by default, livelock detection, optional bound.
//!
//! [`run`] dispatches over a [`Session`]; [`enter`] makes a session the one
//! the free flag functions act on, for work before or after a dispatch.

pub(crate) mod running;
#[cfg(test)]
mod tests;
mod watch;

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::{panic_message, Error};
use crate::handler::Invocation;
use crate::predicates::{mark_invoked, test};
use crate::registry::{Instance, Registry};
use crate::session::Session;
use crate::trace::{FlagChange, Phase, Round, Step, Trace};

pub(crate) use running::{enter, is_running, with_running, Running};

/// Hooks that run in restricted mode (rule D1).
pub(crate) const RESTRICTED_HOOKS: [&str; 2] = ["collect-metrics", "meter-status-changed"];

/// Options of one dispatch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DispatchOptions {
    /// Fail when the flags phase has not settled after this many iterations.
    /// `None` (the default): no bound; livelocks are still detected.
    pub max_iterations: Option<usize>,
}

/// What a dispatch did, and how it ended.
#[derive(Debug)]
#[must_use]
pub struct Dispatched {
    /// Every round, with the handlers invoked and the flags they changed;
    /// complete up to the failure on error.
    pub trace: Trace,
    /// `Err` when a handler failed or the dispatch did not settle: then
    /// nothing of the session should be committed (drop it).
    pub result: Result<(), Error>,
}

/// Runs every matching handler of `registry` over `session` until nothing
/// changes.
pub fn run(registry: &Registry, session: &mut Session, options: &DispatchOptions) -> Dispatched {
    let mut trace = Trace {
        hook: session.hook().to_string(),
        ..Trace::default()
    };
    let result =
        enter(session, || Dispatch::new(registry, &mut trace).run(options)).and_then(|r| r);
    Dispatched { trace, result }
}

/// The handlers an iteration of the flags phase would queue now: every
/// handler for iteration 0 (`changed` is `None`), else the watchers of the
/// `changed` flags and the handlers that watch none, whose predicates hold.
/// A diagnostic, and what the benchmarks measure; it records file hashes as
/// a real test does.
pub fn queue_for<'r>(
    registry: &'r Registry,
    session: &mut Session,
    changed: Option<&[String]>,
) -> Result<Vec<&'r str>, Error> {
    let mut trace = Trace::default();
    enter(session, || {
        let d = Dispatch::new(registry, &mut trace);
        let c = match changed {
            None => registry.flag_phase.clone(),
            Some(changed) => d.candidates(changed),
        };
        let queue = d.test_all(&c, Phase::Flags)?;
        Ok(queue
            .iter()
            .map(|&i| registry.handlers[i].id.as_str())
            .collect())
    })?
}

fn state<R>(f: impl FnOnce(&mut Running) -> R) -> Result<R, Error> {
    with_running("dispatch", f)
}

/// One dispatch in progress.
struct Dispatch<'a> {
    reg: &'a Registry,
    trace: &'a mut Trace,
}

impl<'a> Dispatch<'a> {
    fn new(reg: &'a Registry, trace: &'a mut Trace) -> Self {
        Dispatch { reg, trace }
    }

    fn run(mut self, opts: &DispatchOptions) -> Result<(), Error> {
        let reg = self.reg;
        let hook = state(|s| {
            // Changes made before the dispatch (automatic flags) are setup,
            // not iteration changes (the Python framework resets its watch
            // here).
            self.trace.setup.extend(s.kept.watch.take_steps());
            s.kept.watch.take_changed();
            s.tx.hook().to_string()
        })?;
        if RESTRICTED_HOOKS.contains(&hook.as_str()) {
            let queue = self.test_all(&reg.restricted, Phase::Restricted)?;
            return self.invoke_queue(queue, Phase::Restricted, 0);
        }
        let queue = self.test_all(&reg.hooks, Phase::Hooks)?;
        self.invoke_queue(queue, Phase::Hooks, 0)?;
        state(|s| s.kept.watch.take_changed())?;

        let mut seen: HashMap<(u128, u64), usize> = HashMap::new();
        let mut changed: Vec<String> = Vec::new();
        for iteration in 0.. {
            let candidates = if iteration == 0 {
                reg.flag_phase.clone()
            } else {
                self.candidates(&changed)
            };
            let queue = self.test_all(&candidates, Phase::Flags)?;
            if queue.is_empty() {
                break;
            }
            if let Some(limit) = opts.max_iterations {
                if iteration >= limit {
                    return Err(Error::IterationLimit {
                        limit,
                        queued: queue.iter().map(|&i| reg.handlers[i].id.clone()).collect(),
                    });
                }
            }
            let key = (state(|s| s.tx.fingerprint())?, queue_hash(&queue));
            if let Some(&first) = seen.get(&key) {
                return Err(self.livelock(first, iteration));
            }
            seen.insert(key, iteration);
            self.invoke_queue(queue, Phase::Flags, iteration)?;
            changed = state(|s| s.kept.watch.take_changed())?;
        }
        Ok(())
    }

    /// Handlers to test in an iteration after the first: the watchers of
    /// the changed flags and the handlers that watch none, in registry
    /// order.
    fn candidates(&self, changed: &[String]) -> Vec<usize> {
        let reg = self.reg;
        let mut c: Vec<usize> = changed
            .iter()
            .filter_map(|f| reg.watchers.get(f))
            .flatten()
            .copied()
            .chain(reg.unwatched.iter().copied())
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    }

    /// The candidates whose predicates hold, in order. The running state is
    /// borrowed once for all of them: the predicate test calls nothing that
    /// borrows it again.
    fn test_all(&self, candidates: &[usize], phase: Phase) -> Result<Vec<usize>, Error> {
        let reg = self.reg;
        state(|s| {
            let mut out = Vec::new();
            for &i in candidates {
                let h = &reg.handlers[i];
                if test(&h.conds, &h.id, &h.hooks, phase, &mut s.tx)? {
                    out.push(i);
                }
            }
            Ok(out)
        })?
    }

    fn test(&self, h: &Instance, phase: Phase) -> Result<bool, Error> {
        state(|s| test(&h.conds, &h.id, &h.hooks, phase, &mut s.tx))?
    }

    fn invoke_queue(
        &mut self,
        queue: Vec<usize>,
        phase: Phase,
        iteration: usize,
    ) -> Result<(), Error> {
        let reg = self.reg;
        let mut round = Round {
            phase,
            iteration,
            queued: queue.iter().map(|&i| reg.handlers[i].id.clone()).collect(),
            steps: Vec::new(),
        };
        let mut queue = queue.into_iter();
        state(|s| s.kept.watch.take_retest())?;
        let result = (|| {
            while let Some(i) = queue.next() {
                let h = &reg.handlers[i];
                let changes = invoke(h)?;
                round.steps.push(Step::Invoked {
                    handler: h.id.clone(),
                    changes,
                });
                if state(|s| s.kept.watch.take_retest())? {
                    let rest: Vec<usize> = queue.collect();
                    let mut kept = Vec::new();
                    let mut dropped = Vec::new();
                    for j in rest {
                        if self.test(&reg.handlers[j], phase)? {
                            kept.push(j);
                        } else {
                            dropped.push(reg.handlers[j].id.clone());
                        }
                    }
                    if !dropped.is_empty() {
                        round.steps.push(Step::Dropped { handlers: dropped });
                    }
                    queue = kept.into_iter();
                }
            }
            Ok(())
        })();
        self.trace.rounds.push(round);
        result
    }

    /// The error for a cycle between iterations `first` and `again`.
    fn livelock(&self, first: usize, again: usize) -> Error {
        let mut handlers = Vec::new();
        let mut flags = Vec::new();
        for r in self
            .trace
            .rounds
            .iter()
            .filter(|r| r.phase == Phase::Flags && r.iteration >= first && r.iteration < again)
        {
            for step in &r.steps {
                if let Step::Invoked { handler, changes } = step {
                    handlers.push(handler.clone());
                    flags.extend(changes.iter().map(|c| match c {
                        FlagChange::Set(f) | FlagChange::Cleared(f) => f.clone(),
                    }));
                }
            }
        }
        handlers.sort();
        handlers.dedup();
        flags.sort();
        flags.dedup();
        Error::Livelock {
            first,
            again,
            handlers,
            flags,
        }
    }
}

fn queue_hash(queue: &[usize]) -> u64 {
    let mut h = DefaultHasher::new();
    queue.hash(&mut h);
    h.finish()
}

/// Runs one handler: logs it, resolves its parameters, catches a panic, and
/// returns the flags it changed.
fn invoke(h: &Instance) -> Result<Vec<FlagChange>, Error> {
    log::info!("Invoking reactive handler: {}", h.id);
    state(|s| {
        s.kept.watch.take_steps();
        s.take_failure();
    })?;
    let inv = Invocation {
        id: &h.id,
        flags: &h.when_flags,
        endpoint: h.endpoint.as_deref(),
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| (h.invoke)(&inv)));
    let (changes, failure) = state(|s| (s.kept.watch.take_steps(), s.take_failure()))?;
    let failed = |source: Error| Error::Handler {
        handler: h.id.clone(),
        source: Box::new(source),
    };
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e @ (Error::Handler { .. } | Error::Argument { .. }))) => return Err(e),
        Ok(Err(e)) => return Err(failed(e)),
        Err(panic) => {
            return Err(failed(Error::Other(format!(
                "panicked: {}",
                panic_message(&*panic)
            ))))
        }
    }
    if let Some(e) = failure {
        return Err(failed(e));
    }
    if h.only_once {
        state(|s| mark_invoked(&mut s.tx, &h.id))?;
    }
    Ok(changes)
}
