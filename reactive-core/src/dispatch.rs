//! The dispatch loop: rules D1 to D8 of the reactive semantics.
//!
//! - D1 restricted mode for `collect-metrics` and `meter-status-changed`;
//! - D2 the hooks phase;
//! - D3 the other phase in iterations, re-testing only the watchers of the
//!   flags the previous iteration changed (plus handlers that watch none);
//! - D4 a set flag waits for the next iteration, a cleared flag re-tests the
//!   rest of the queue at once;
//! - D5 quiescence ends the dispatch; D6 follows from D3;
//! - D7 order is (file, line, name);
//! - D8 no iteration cap by default, livelock detection, optional bound.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::Error;
use crate::handler::{Cond, Invocation};
use crate::memory::{any_file_changed, mark_invoked, was_invoked};
use crate::predicates::phase_allows;
use crate::registry::{Instance, Registry};
use crate::session::{with_state, Session};
use crate::trace::{FlagChange, Phase, Round, Step};

/// Hooks that run in restricted mode (rule D1).
pub const RESTRICTED_HOOKS: [&str; 2] = ["collect-metrics", "meter-status-changed"];

/// Options of one dispatch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DispatchOptions {
    /// Fail when the other phase has not settled after this many iterations.
    /// `None` (the default): no bound; livelocks are still detected.
    pub max_iterations: Option<usize>,
}

impl Session {
    /// Runs every matching handler of `registry` until nothing changes.
    ///
    /// On error nothing of the dispatch should be committed: drop the
    /// session.
    pub fn dispatch(
        &mut self,
        registry: &Registry,
        options: &DispatchOptions,
    ) -> Result<(), Error> {
        self.enter(|| run(registry, options))
    }
}

impl Session {
    /// The handlers an iteration of the other phase would queue now: every
    /// handler for iteration 0 (`changed` is `None`), else the watchers of
    /// the `changed` flags and the handlers that watch none, whose
    /// predicates hold. A diagnostic, and what the benchmarks measure; it
    /// records file hashes as a real test does.
    pub fn queue_for<'r>(
        &mut self,
        registry: &'r Registry,
        changed: Option<&[String]>,
    ) -> Result<Vec<&'r str>, Error> {
        let hook = self.hook().to_string();
        self.enter(|| {
            let c = match changed {
                None => registry.other.clone(),
                Some(changed) => candidates(registry, changed),
            };
            let queue = test_all(registry, &c, Phase::Other, &hook)?;
            Ok(queue
                .iter()
                .map(|&i| registry.handlers[i].id.as_str())
                .collect())
        })
    }
}

fn state<R>(f: impl FnOnce(&mut crate::session::State) -> R) -> Result<R, Error> {
    with_state("dispatch", f)
}

fn run(reg: &Registry, opts: &DispatchOptions) -> Result<(), Error> {
    let hook = state(|s| {
        // Changes made before the dispatch (automatic flags) are setup, not
        // iteration changes (the Python framework resets its watch here).
        let setup = s.take_step_changes();
        s.trace.setup.extend(setup);
        s.take_changed();
        s.hook.clone()
    })?;
    if RESTRICTED_HOOKS.contains(&hook.as_str()) {
        let queue = test_all(reg, &reg.restricted, Phase::Restricted, &hook)?;
        return invoke_queue(reg, queue, Phase::Restricted, 0, &hook);
    }
    let queue = test_all(reg, &reg.hooks, Phase::Hooks, &hook)?;
    invoke_queue(reg, queue, Phase::Hooks, 0, &hook)?;
    state(|s| s.take_changed())?;

    let mut seen: HashMap<(u128, u64), usize> = HashMap::new();
    let mut changed: Vec<String> = Vec::new();
    for iteration in 0.. {
        let candidates = if iteration == 0 {
            reg.other.clone()
        } else {
            candidates(reg, &changed)
        };
        let queue = test_all(reg, &candidates, Phase::Other, &hook)?;
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
        let key = (state(|s| s.state_hash)?, queue_hash(&queue));
        if let Some(&first) = seen.get(&key) {
            return Err(livelock(first, iteration)?);
        }
        seen.insert(key, iteration);
        invoke_queue(reg, queue, Phase::Other, iteration, &hook)?;
        changed = state(|s| s.take_changed())?;
    }
    Ok(())
}

/// Handlers to test in an iteration after the first: the watchers of the
/// changed flags and the handlers that watch none, in registry order.
fn candidates(reg: &Registry, changed: &[String]) -> Vec<usize> {
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

fn queue_hash(queue: &[usize]) -> u64 {
    let mut h = DefaultHasher::new();
    queue.hash(&mut h);
    h.finish()
}

fn test_all(
    reg: &Registry,
    candidates: &[usize],
    phase: Phase,
    hook: &str,
) -> Result<Vec<usize>, Error> {
    let mut out = Vec::new();
    for &i in candidates {
        if test(&reg.handlers[i], phase, hook)? {
            out.push(i);
        }
    }
    Ok(out)
}

/// Tests one handler's predicates in order, stopping at the first false one.
fn test(h: &Instance, phase: Phase, hook: &str) -> Result<bool, Error> {
    for c in &h.conds {
        if !phase_allows(c, phase) {
            return Ok(false);
        }
        let holds = match c {
            Cond::WhenAll(f) => state(|s| f.iter().all(|f| s.flags.contains_key(f)))?,
            Cond::WhenAny(f) => state(|s| f.iter().any(|f| s.flags.contains_key(f)))?,
            Cond::WhenNone(f) => state(|s| !f.iter().any(|f| s.flags.contains_key(f)))?,
            Cond::WhenNotAll(f) => state(|s| !f.iter().all(|f| s.flags.contains_key(f)))?,
            Cond::Hook(_) => h.hooks.contains(hook),
            Cond::Restricted(name) => name == hook,
            Cond::WhenFileChanged(paths) => any_file_changed(paths)?,
            Cond::OnlyOnce => !was_invoked(&h.id)?,
        };
        if !holds {
            return Ok(false);
        }
    }
    Ok(true)
}

fn invoke_queue(
    reg: &Registry,
    queue: Vec<usize>,
    phase: Phase,
    iteration: usize,
    hook: &str,
) -> Result<(), Error> {
    let mut round = Round {
        phase,
        iteration,
        queued: queue.iter().map(|&i| reg.handlers[i].id.clone()).collect(),
        steps: Vec::new(),
    };
    let mut queue = queue.into_iter();
    state(|s| s.removed = false)?;
    let result = (|| {
        while let Some(i) = queue.next() {
            let h = &reg.handlers[i];
            let changes = invoke(h, hook)?;
            round.steps.push(Step::Invoked {
                handler: h.id.clone(),
                changes,
            });
            if state(|s| std::mem::take(&mut s.removed))? {
                let rest: Vec<usize> = queue.collect();
                let mut kept = Vec::new();
                let mut dropped = Vec::new();
                for j in rest {
                    if test(&reg.handlers[j], phase, hook)? {
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
    state(|s| s.trace.rounds.push(round))?;
    result
}

/// Runs one handler: logs it, resolves its parameters, catches a panic, and
/// returns the flags it changed.
fn invoke(h: &Instance, _hook: &str) -> Result<Vec<FlagChange>, Error> {
    log::info!("Invoking reactive handler: {}", h.id);
    state(|s| {
        s.take_step_changes();
        s.deferred = None;
    })?;
    let inv = Invocation {
        id: &h.id,
        flags: &h.when_flags,
        endpoint: h.endpoint.as_deref(),
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| (h.invoke)(&inv)));
    let (changes, deferred) = state(|s| (s.take_step_changes(), s.deferred.take()))?;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e @ (Error::Handler { .. } | Error::Argument { .. }))) => return Err(e),
        Ok(Err(e)) => {
            return Err(Error::Handler {
                handler: h.id.clone(),
                source: Box::new(e),
            })
        }
        Err(panic) => {
            let msg = crate::error::panic_message(&*panic);
            return Err(Error::Handler {
                handler: h.id.clone(),
                source: Box::new(Error::Other(format!("panicked: {msg}"))),
            });
        }
    }
    if let Some(e) = deferred {
        return Err(Error::Handler {
            handler: h.id.clone(),
            source: Box::new(e),
        });
    }
    if h.only_once {
        mark_invoked(&h.id)?;
    }
    Ok(changes)
}

/// The error for a cycle between iterations `first` and `again`.
fn livelock(first: usize, again: usize) -> Result<Error, Error> {
    state(|s| {
        let mut handlers = Vec::new();
        let mut flags = Vec::new();
        for r in s
            .trace
            .rounds
            .iter()
            .filter(|r| r.phase == Phase::Other && r.iteration >= first && r.iteration < again)
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
    })
}
