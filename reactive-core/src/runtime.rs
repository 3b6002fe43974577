//! The Juju hook runtime: [`main`], the whole of a charm's `fn main`.
//!
//! ```no_run
//! fn main() {
//!     reactive_core::main()
//! }
//! ```
//!
//! Run by Juju as a hook (no arguments), it reads the hook context from the
//! environment, loads `metadata.yaml` and `config.yaml` from the charm
//! directory (which must exist and hold the metadata, checked first),
//! opens the unit's store (`Store::open_default`), sets the
//! automatic flags (`autoflags`), dispatches every handler
//! registered with the attribute macros, sends the buffered hook-tool
//! writes (one `relation-set` per relation id, one `leader-set`, ports),
//! records every hook-tool call in the trace, commits, and exits 0.
//!
//! On any failure (a handler's error or panic, a hook tool failing, the
//! store) it logs the error and its causes through `juju-log` at ERROR
//! (with a panic's location) and on stderr, commits nothing but the failed
//! dispatch's trace ([`crate::trace`]), sends no buffered write, and exits 1: Juju puts the unit in error and retries the
//! hook from the state before it. The buffered writes are sent just before
//! the commit, the leader settings last: if the commit itself fails the
//! hook exits 1 all the same, and Juju, which applies relation and port
//! changes only when a hook exits 0, drops them. Juju keeps a `leader-set`
//! whatever the hook's outcome; the next hook's leadership flags see it
//! (`hookenv`'s `leader` module says why that loses nothing).
//!
//! An action (`JUJU_DISPATCH_PATH=actions/<name>`) dispatches as
//! `actions/<name>`: its `#[action("<name>")]` handlers run in the hooks
//! phase, no `#[hook]` handler matches it, and the flags phase follows as
//! in a hook. An action sets no automatic flag: like the Python base
//! layer, which initialises the `config.*` flags in hooks only, it leaves
//! `config.changed.*` for the next `config-changed` to see, and the
//! leadership flags as the last hook left them. A failed action calls
//! `action-fail` with the error, commits nothing, sends no buffered write,
//! and exits 0: Juju replaces the message with `exit status 1` when an
//! action exits non-zero (`context/context.go`, `finalizeAction`), and an
//! action never puts the unit in error.
//!
//! Run with arguments, it is the charm's command line (`cli`).

// The example above is the whole `fn main` of a charm; it is the point.
#![allow(clippy::needless_doctest_main)]

use std::ffi::OsString;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use crate::autoflags::{self, AutoFlags, AutoFlagsError, ConfigDefaults, ConfigYamlError};
use crate::dispatch::{self, DispatchOptions, RESTRICTED_HOOKS};
use crate::error::Error;
use crate::hookenv::{HookContext, HookEnv, HookError, LogLevel, RealTools};
use crate::metadata::{Metadata, MetadataError};
use crate::options::{BadSetting, Options};
use crate::registry::Registry;
use crate::session::Session;
use crate::store::{Store, StoreError};
use crate::trace::Trace;

#[cfg(test)]
mod tests;

/// Why a hook failed. Its message says what failed; the causes are its
/// [`source`](std::error::Error::source) chain ([`crate::error_chain`]
/// prints them).
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct RuntimeError(Box<Failure>);

/// What [`RuntimeError`] holds.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Failure {
    /// `metadata.yaml` is unreadable or invalid.
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    /// The charm directory does not exist, is not a directory, or holds
    /// no metadata (`metadata.yaml`, or a `charmcraft.yaml` with a `name`).
    #[error("the charm directory {path} {problem}")]
    CharmDir {
        /// The charm directory (`JUJU_CHARM_DIR`).
        path: std::path::PathBuf,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// `config.yaml` is unreadable or invalid.
    #[error(transparent)]
    ConfigYaml(#[from] ConfigYamlError),
    /// The unit's store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The dispatch failed: a handler, the store, a livelock.
    #[error(transparent)]
    Engine(#[from] Error),
    /// The automatic flags could not be computed.
    #[error(transparent)]
    AutoFlags(#[from] AutoFlagsError),
    /// Sending the buffered hook-tool writes failed.
    #[error("sending the hook's relation, leader and port writes failed")]
    Flush(#[source] HookError),
    /// An environment setting has a bad value.
    #[error(transparent)]
    Setting(#[from] BadSetting),
    /// The runtime itself panicked (handler panics are [`Error::Handler`]).
    #[error("panicked: {0}")]
    Panic(String),
}

impl From<Failure> for RuntimeError {
    fn from(f: Failure) -> Self {
        RuntimeError(Box::new(f))
    }
}

/// `?` on each cause of a failed hook.
macro_rules! from_cause {
    ($($cause:ty),*) => {$(
        impl From<$cause> for RuntimeError {
            fn from(e: $cause) -> Self {
                RuntimeError(Box::new(Failure::from(e)))
            }
        }
    )*};
}
from_cause!(
    MetadataError,
    ConfigYamlError,
    StoreError,
    Error,
    AutoFlagsError,
    BadSetting
);

/// Runs the charm: as the hook Juju asks for, or as a command when given
/// arguments. Never returns; exits 0 on success.
pub fn main() -> ! {
    main_with(Options::default())
}

/// [`main`] with options.
#[allow(clippy::needless_pass_by_value)] // built in `main` and never used again
pub fn main_with(options: Options) -> ! {
    let code = run(std::env::args_os().collect(), &options);
    std::process::exit(code)
}

/// What [`main_with`] does, returning the exit status instead of exiting
/// (hidden: for the workspace's own charms that act after the hook).
pub fn run(args: Vec<OsString>, options: &Options) -> i32 {
    if args.len() > 1 {
        return crate::cli::run(args, options);
    }
    let ctx = HookContext::from_env();
    if !ctx.is_hook() {
        eprintln!("{}", crate::cli::not_a_hook_message(&ctx));
        return 2;
    }
    if let Some(level) = options.log_level {
        crate::hookenv::juju_log::set_level(level);
    }
    crate::logging::init(crate::hookenv::send_log);
    crate::panic::record_locations();
    let hook = ctx.dispatch_name();
    let action = ctx.is_action();
    let env = Rc::new(HookEnv::new(ctx, RealTools::new()));
    let _guard = HookEnv::install(&env);
    let outcome = catch_unwind(AssertUnwindSafe(|| run_hook(&env, options)));
    let err = match outcome {
        Ok(Ok(())) => return 0,
        Ok(Err(e)) => e,
        Err(panic) => Failure::Panic(crate::error::panic_message(&*panic)).into(),
    };
    env.discard();
    report_failure(&hook, &err);
    if action {
        // The dispatch fails the action itself; an error before it (the
        // metadata, the store) is reported here.
        let failed = env.calls().iter().any(|c| c.tool == "action-fail");
        if !failed && fail_action(&env, &err).is_err() {
            return 1;
        }
        return 0;
    }
    1
}

/// `action-fail` with the error and its causes; an error of the tool
/// itself goes to stderr.
fn fail_action(env: &HookEnv, err: &RuntimeError) -> Result<(), HookError> {
    let message = crate::error::error_chain(err);
    env.tools().action_fail(&message).inspect_err(|e| {
        eprintln!("{}", crate::error::error_chain(e));
    })
}

/// Logs a failed hook's error with its causes at ERROR through `juju-log`
/// (whatever the configured level) and on stderr.
pub(crate) fn report_failure(hook: &str, err: &RuntimeError) {
    let message = format!("hook {hook} failed: {}", crate::error::error_chain(err));
    crate::hookenv::send_log(LogLevel::Error, &message);
    eprintln!("{message}");
}

fn run_hook(env: &HookEnv, options: &Options) -> Result<(), RuntimeError> {
    let dispatch = options.dispatch_options()?;
    let dir = env.context().charm_dir.clone();
    let metadata = crate::charm_dir::hook_metadata(&dir)?.map_err(|problem| Failure::CharmDir {
        path: dir.clone(),
        problem,
    })?;
    let metadata = Some(metadata);
    let defaults = match Metadata::charmcraft_config_defaults(&dir)? {
        Some(from_charmcraft) => ConfigDefaults(from_charmcraft),
        None => ConfigDefaults::load(&dir.join("config.yaml"))?,
    };
    let registry = options.registry(metadata.as_ref())?;
    crate::linkcheck::warn_unbound(metadata.as_ref(), &env.context().hook_name);
    env.set_metadata(metadata);
    let store = options.open_store()?;
    let (result, trace) = dispatch_hook(env, &registry, store.clone(), &defaults, &dispatch);
    if let Err(e) = &result {
        crate::trace::keep_failed(&store, trace, crate::error::error_chain(e));
    }
    result
}

/// One hook over `env` (which must be installed on this thread): automatic
/// flags, dispatch, flush of buffered writes, commit. Returns the outcome
/// and the trace (hook-tool calls included), also on failure.
pub(crate) fn dispatch_hook(
    env: &HookEnv,
    registry: &Registry,
    store: Store,
    defaults: &ConfigDefaults,
    options: &DispatchOptions,
) -> (Result<(), RuntimeError>, Trace) {
    let hook = env.context().dispatch_name();
    env.on_leader_set(autoflags::leader_settings_written);
    let mut trace = Trace {
        hook: hook.clone(),
        ..Trace::default()
    };
    let result = Session::begin(store, hook.as_str())
        .map_err(RuntimeError::from)
        .and_then(|mut session| {
            let result = run_session(env, &mut session, registry, defaults, options, &mut trace);
            trace.tool_calls = env.calls();
            result?;
            session.commit_with_trace(&trace)?;
            Ok(())
        });
    if let Err(e) = &result {
        env.discard();
        if env.context().is_action() {
            // See the module docs: the action fails with the error's
            // message, as Juju reports it; the hook's outcome stays the error.
            let _ = fail_action(env, e);
        }
    }
    trace.tool_calls = env.calls();
    (result, trace)
}

fn run_session(
    env: &HookEnv,
    session: &mut Session,
    registry: &Registry,
    defaults: &ConfigDefaults,
    options: &DispatchOptions,
    trace: &mut Trace,
) -> Result<(), RuntimeError> {
    let restricted = RESTRICTED_HOOKS.contains(&session.hook());
    let marker = crate::skips::started_marker(session.store().path());
    let auto = if restricted {
        AutoFlags::default()
    } else if env.context().is_action() {
        // See the module docs: actions set no automatic flag.
        dispatch::enter(session, crate::relations::at_start)??;
        AutoFlags::default()
    } else {
        let auto = dispatch::enter(session, || autoflags::apply(env, defaults, Some(&marker)))??;
        dispatch::enter(session, crate::relations::at_start)??;
        auto
    };
    let dispatched = dispatch::run(registry, session, options);
    *trace = dispatched.trace;
    dispatched.result?;
    if !restricted {
        dispatch::enter(session, crate::relations::at_exit)??;
        dispatch::enter(session, || auto.finish())?;
    }
    dispatch::enter(session, || auto.settle(env))??;
    env.flush_leader_last()
        .map_err(|e| Failure::Flush(e).into())
}
