//! Helpers shared by the runtime tests of macro-declared handlers.
//!
//! Handlers registered with the macros are global to a test binary, so each
//! test builds its registry from its own module only
//! (`Registry::from_inventory_in(module_path!(), ..)`).
#![allow(dead_code)]

use reactive_core::__private::{self as dispatch, DispatchOptions, Registry, Session, Store};
use reactive_core::trace::{Phase, Step, Trace};
use reactive_core::{Error, Metadata};

/// A dispatched session and the trace of its dispatch.
pub struct Ran {
    /// The session, not committed.
    pub session: Session,
    /// What the dispatch did.
    pub trace: Trace,
}

impl Ran {
    /// The dispatch's trace.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }
}

impl std::ops::Deref for Ran {
    type Target = Session;
    fn deref(&self) -> &Session {
        &self.session
    }
}

/// A store in a fresh temporary directory (kept alive by the returned guard).
pub fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path().join("state.sled")).expect("open store");
    (dir, store)
}

/// The handlers declared in `module` and its submodules.
pub fn registry(module: &str) -> Registry {
    Registry::from_inventory_in(module, None).expect("registry")
}

/// The handlers declared in `module`, bound to `metadata`.
pub fn registry_with(module: &str, metadata: &str) -> Registry {
    let m: Metadata = metadata.parse().expect("metadata");
    Registry::from_inventory_in(module, Some(&m)).expect("registry")
}

/// Begins `hook` on `store` with `preset` flags set, and dispatches.
pub fn try_run(
    store: &Store,
    registry: &Registry,
    hook: &str,
    preset: &[&str],
) -> (Ran, Result<(), Error>) {
    let mut session = Session::begin(store.clone(), hook).expect("begin");
    dispatch::enter(&mut session, || {
        for f in preset {
            reactive_core::set_flag(f);
        }
    })
    .expect("enter");
    let d = dispatch::run(registry, &mut session, &DispatchOptions::default());
    (
        Ran {
            session,
            trace: d.trace,
        },
        d.result,
    )
}

/// [`try_run`], expecting success.
pub fn run(store: &Store, registry: &Registry, hook: &str, preset: &[&str]) -> Ran {
    let (session, result) = try_run(store, registry, hook, preset);
    result.expect("dispatch");
    session
}

/// [`run`] and commit, for a sequence of hooks on one unit.
pub fn run_commit(store: &Store, registry: &Registry, hook: &str, preset: &[&str]) -> Vec<String> {
    let session = run(store, registry, hook, preset);
    let names = invoked(&session);
    session.session.commit().expect("commit");
    names
}

/// The function name of a handler id (`file:line:name`).
pub fn name(id: &str) -> String {
    id.rsplit(':').next().unwrap_or(id).to_string()
}

/// Function names of the handlers `registry` holds, in order.
pub fn handler_names(registry: &Registry) -> Vec<String> {
    registry.handlers().iter().map(|h| name(&h.id)).collect()
}

/// Function names of the handlers invoked, in order.
pub fn invoked(session: &Ran) -> Vec<String> {
    session.trace().invoked().map(name).collect()
}

/// Function names invoked in each round, with the round's phase and
/// iteration.
pub fn rounds(session: &Ran) -> Vec<(Phase, usize, Vec<String>)> {
    session
        .trace()
        .rounds
        .iter()
        .map(|r| {
            let names = r
                .steps
                .iter()
                .filter_map(|s| match s {
                    Step::Invoked { handler, .. } => Some(name(handler)),
                    Step::Dropped { .. } => None,
                })
                .collect();
            (r.phase, r.iteration, names)
        })
        .collect()
}

/// The set flags' names, sorted.
pub fn flags(session: &Session) -> Vec<String> {
    session.flags().into_keys().collect()
}
