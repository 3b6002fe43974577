//! The dispatcher driven with handlers built by hand (the macros have their
//! own tests): the dispatch rules, every predicate, and random handler
//! graphs against a reference loop. Helpers shared by them: handlers, and a
//! store in a temporary directory.
#![allow(dead_code)]

mod predicates;
mod random_graphs;
mod rules;

use std::sync::Arc;

use super::DispatchOptions;
use crate::handler::{HandlerDef, Invocation, Predicate};
use crate::registry::Registry;
use crate::session::Session;
use crate::store::Store;
use crate::{clear_flag, set_flag, Error, Trace};

/// A store in a fresh temporary directory (kept alive by the returned guard).
pub(crate) fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("state.sled")).expect("open store");
    (dir, store)
}

pub(crate) fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

pub(crate) fn when(v: &[&str]) -> Predicate {
    Predicate::WhenAll(names(v))
}
pub(crate) fn when_not(v: &[&str]) -> Predicate {
    Predicate::WhenNone(names(v))
}
pub(crate) fn hook(v: &[&str]) -> Predicate {
    Predicate::Hook(names(v))
}

/// A handler at `t.rs:line:name` that sets and clears the given flags.
pub(crate) fn h(
    line: u32,
    name: &str,
    conds: Vec<Predicate>,
    sets: &[&str],
    clears: &[&str],
) -> HandlerDef {
    let sets = names(sets);
    let clears = names(clears);
    HandlerDef::new("t.rs", line, name, conds, move |_| {
        for f in &sets {
            set_flag(f);
        }
        for f in &clears {
            clear_flag(f);
        }
        Ok(())
    })
}

/// A handler running arbitrary code.
pub(crate) fn hf(
    line: u32,
    name: &str,
    conds: Vec<Predicate>,
    f: impl Fn(&Invocation<'_>) -> Result<(), Error> + Send + Sync + 'static,
) -> HandlerDef {
    HandlerDef::new("t.rs", line, name, conds, f)
}

/// Result of running one hook.
pub(crate) struct Run {
    /// Function names of the handlers invoked, in order.
    pub(crate) invoked: Vec<String>,
    /// Set flags after the dispatch, sorted.
    pub(crate) flags: Vec<String>,
    pub(crate) trace: Trace,
}

/// Dispatches `hook` over `store` with `defs`, and commits on success.
pub(crate) fn run(store: &Store, hook: &str, defs: &[HandlerDef]) -> Result<Run, Error> {
    run_with(store, hook, defs, &DispatchOptions::default(), |_| {})
}

pub(crate) fn run_with(
    store: &Store,
    hook: &str,
    defs: &[HandlerDef],
    opts: &DispatchOptions,
    setup: impl FnOnce(&mut Session),
) -> Result<Run, Error> {
    let reg = Registry::new(defs.to_vec(), None)?;
    let mut s = Session::begin(store.clone(), hook)?;
    setup(&mut s);
    let dispatched = super::run(&reg, &mut s, opts);
    dispatched.result?;
    let trace = dispatched.trace;
    let invoked = trace
        .invoked()
        .map(|id| id.rsplit(':').next().unwrap_or(id).to_string())
        .collect();
    let flags = s.flags().into_keys().collect();
    s.commit_with_trace(&trace)?;
    Ok(Run {
        invoked,
        flags,
        trace,
    })
}

/// The set flags in the store, sorted.
pub(crate) fn stored_flags(store: &Store) -> Vec<String> {
    store.flags().expect("read flags").into_keys().collect()
}

pub(crate) type Shared<T> = Arc<std::sync::Mutex<T>>;
