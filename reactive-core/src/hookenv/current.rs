//! The hook environment of the running hook: one per thread, installed
//! for the hook by the runtime (or the testing harness) and found by the
//! `hookenv` functions.

use std::cell::RefCell;
use std::rc::Rc;

use super::context::HookContext;
use super::env::HookEnv;
use super::error::HookError;

thread_local! {
    static CURRENT: RefCell<Option<Rc<HookEnv>>> = const { RefCell::new(None) };
}

/// Uninstalls a [`HookEnv`] (restoring the one before) when dropped.
#[must_use = "the hook environment is uninstalled when the guard is dropped"]
pub(crate) struct EnvGuard {
    previous: Option<Rc<HookEnv>>,
}

impl Drop for EnvGuard {
    fn drop(&mut self) {
        let prev = self.previous.take();
        CURRENT.with(|c| *c.borrow_mut() = prev);
    }
}

impl HookEnv {
    /// Makes `env` the hook environment of this thread until the guard drops.
    pub(crate) fn install(env: &Rc<HookEnv>) -> EnvGuard {
        let previous = CURRENT.with(|c| c.borrow_mut().replace(env.clone()));
        EnvGuard { previous }
    }

    /// The hook environment installed on this thread, if any.
    pub(crate) fn current() -> Option<Rc<HookEnv>> {
        CURRENT.with(|c| c.borrow().clone())
    }
}

/// Makes a new environment over `tools` the one of this thread until the
/// guard drops; returns it with the guard.
#[cfg(test)]
pub(crate) fn install(
    ctx: HookContext,
    tools: impl super::tools::HookTools + 'static,
) -> (Rc<HookEnv>, EnvGuard) {
    let env = Rc::new(HookEnv::new(ctx, tools));
    let guard = HookEnv::install(&env);
    (env, guard)
}

/// Runs `f` on this thread's hook environment; `api` names the function
/// asking, for the error when there is none.
pub(crate) fn with_env<R>(
    api: &'static str,
    f: impl FnOnce(&HookEnv) -> Result<R, HookError>,
) -> Result<R, HookError> {
    match HookEnv::current() {
        Some(env) => f(&env),
        None => Err(HookError::NoEnvironment(api)),
    }
}

/// The running hook's context: the installed environment's, else read from
/// the process environment.
pub(super) fn context<R>(f: impl FnOnce(&HookContext) -> R) -> R {
    match HookEnv::current() {
        Some(env) => f(env.context()),
        None => f(&HookContext::from_env()),
    }
}
