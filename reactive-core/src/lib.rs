//! # reactive-core
//!
//! The reactive charm engine: flags kept between hooks in `sled`, handlers
//! declared on flags and hooks, and a scheduler that re-runs them until
//! nothing changes, with the dispatch rules of the Python `charms.reactive`
//! framework.
//!
//! ## Map of the crate
//! What a charm uses, at the root and in six public modules:
//! - flags: [`set_flag`], [`clear_flag`], [`is_flag_set`], ... (the Python
//!   names), [`Trigger`] with [`register_trigger`] and the static
//!   [`trigger!`] form;
//! - the unit key-value store (charmhelpers' `unitdata`): [`kv`] ([`Kv`]),
//!   [`data_changed`], [`was_invoked`];
//! - handlers: the attribute macros [`when`], [`when_not`], [`hook`],
//!   [`action`], ... (from `reactive-macros`), [`flags!`] for checked flag
//!   constants, [`HandlerArg`] (the extractor trait that resolves handler
//!   parameters), and [`HandlerDef`] with [`Predicate`] to build one by hand;
//! - [`hookenv`]: hook tools under charmhelpers' names, cached and buffered;
//! - [`endpoints`] (endpoint types, their automatic flags and relation data),
//!   [`relations`] (the older relation types and conversations) and
//!   [`databag`] (a databag loaded into and saved from a serde type);
//! - the runtime: [`main`] and [`Options`]; errors: [`Error`],
//!   [`HandlerError`], [`Result`], [`error_chain`]; [`quote`] for remote
//!   values in warnings; [`trace`], what a dispatch did (the unit CLI's
//!   `trace --json`);
//! - `testing` (feature `testing`): state-in, state-out charm unit tests.
//!
//! Internal modules, from the bottom up: `store` (the `sled` store),
//! `unitdata` (the key-value store's functions, re-exported here),
//! `session` (one hook's all-or-nothing transaction), `metadata` and
//! `charm_dir` (the charm as the engine reads it), `handler`, `predicates`,
//! `registry` (handlers, the predicate test, the index by watched flag),
//! `dispatch` (the loop, rules D1 to D8), `autoflags` (`config.*`,
//! `leadership.*`, ... flags), `skips` (the hook-tool calls a hook does
//! without), `logging` (the `log` to `juju-log` bridge), `linkcheck`,
//! `snapshot`, `graph` and `reach` (the unit CLI's views), `cli` and
//! `runtime` (one hook from the process environment to the commit).
//! `ARCHITECTURE.md` at the repository's root says how they fit.
//!
//! ## Example
//! Handlers are plain functions with predicates; a charm's `fn main` is
//! [`main()`]. The `testing` feature fires one hook through the real
//! dispatch, in memory:
//! ```
//! use reactive_core::prelude::*;
//! # #[cfg(feature = "testing")] {
//! use reactive_core::testing::{Hook, State};
//!
//! #[when_not("app.installed")]
//! fn install() {
//!     set_flag("app.installed");
//! }
//!
//! #[when("app.installed")]
//! #[when_not("app.started")]
//! fn start() -> reactive_core::Result {
//!     hookenv::status_set(WorkloadState::Active, "ready")?;
//!     set_flag("app.started");
//!     Ok(())
//! }
//!
//! let out = State::default().run_in(module_path!(), Hook::new("install"));
//! assert_eq!(out.error_message(), None);
//! assert_eq!(out.state.flags.keys().map(String::as_str).collect::<Vec<_>>(), ["app.installed", "app.started"]);
//! assert_eq!(out.state.status.message, "ready");
//! # }
//! ```

#![warn(missing_docs)]

// The attribute macros' generated code names `::reactive_core`; this lets
// the crate's own tests and examples use them too.
extern crate self as reactive_core;

mod autoflags;
mod charm_dir;
mod cli;
pub mod databag;
mod dispatch;
pub mod endpoints;
mod error;
mod flags;
mod graph;
mod handler;
pub mod hookenv;
mod linkcheck;
mod logging;
mod metadata;
mod options;
mod panic;
mod predicates;
mod quote;
mod reach;
mod registry;
pub mod relations;
mod runtime;
mod session;
mod skips;
mod snapshot;
mod stdout;
mod store;
#[cfg(feature = "testing")]
pub mod testing;
pub mod trace;
mod triggers;
mod unitdata;

// The crate's API at its root, by concept: flags, the unit's data,
// handlers, the charm's relations, the runtime, errors.
pub use self::{
    endpoints::{Endpoint, EndpointType},
    error::{error_chain, BadRemoteValue, Error, HandlerError, Result},
    flags::{
        all_flags_set, any_flags_set, clear_flag, get_flag_value, get_flags, get_unset_flags,
        is_flag_set, register_trigger, set_flag, set_flag_value, toggle_flag,
    },
    handler::{HandlerArg, HandlerDef, IntoHandlerResult, Invocation, Predicate},
    metadata::{Binding, Metadata, Role},
    options::Options,
    quote::{quote, QUOTE_LIMIT},
    runtime::{main, main_with, RuntimeError},
    store::StoreError,
    trace::Trace,
    triggers::Trigger,
    unitdata::{data_changed, is_data_changed, kv, mark_invoked, was_invoked, Kv},
};

#[doc(inline)]
pub use reactive_macros::{
    action, collect_metrics, flags, hook, meter_status_changed, not_unless, only_once, when,
    when_all, when_any, when_file_changed, when_none, when_not, when_not_all,
};

/// What a charm imports: the macros, the flag API and the handler types.
pub mod prelude {
    pub use crate::{
        action, all_flags_set, any_flags_set, clear_flag, collect_metrics, data_changed,
        endpoints::RemoteData,
        flags, get_flags, get_unset_flags, hook,
        hookenv::{self, config, WorkloadState},
        is_flag_set, kv, meter_status_changed, not_unless, only_once, register_trigger, set_flag,
        set_flag_value, toggle_flag, when, when_all, when_any, when_file_changed, when_none,
        when_not, when_not_all, HandlerError, Result, Trigger,
    };
}

/// Items the macros' generated code refers to, and the engine's entry
/// points for the workspace's own tests, benchmarks and tools. Not public
/// API.
#[doc(hidden)]
pub mod __private {
    pub use crate::{
        dispatch::running::enter,
        dispatch::{queue_for, run, DispatchOptions, Dispatched},
        flags::warn_unless_flags,
        handler::HandlerSpec,
        metadata::TypeSpec,
        panic::panic_message,
        registry::{HandlerInfo, Registry},
        runtime::run as run_charm,
        session::Session,
        store::Store,
        triggers::TriggerSpec,
    };
    pub use inventory;
}
