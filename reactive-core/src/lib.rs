//! # reactive-core
//!
//! The reactive charm engine: flags kept between hooks in `sled`, handlers
//! declared on flags and hooks, and a scheduler that re-runs them until
//! nothing changes, with the dispatch rules of the Python `charms.reactive`
//! framework.
//!
//! ## Map of the crate
//! - [`mod@flags`]: `set_flag`, `clear_flag`, `is_flag_set`, ... (Python names);
//! - [`unitdata`]: the unit key-value store, `data_changed`, `was_invoked`;
//! - [`triggers`]: the static [`trigger!`] form and [`Trigger`], registered
//!   with [`register_trigger`];
//! - the attribute macros that declare handlers: [`when`], [`when_not`],
//!   [`hook`], ... (from `reactive-macros`), and [`flags!`] for checked flag
//!   constants;
//! - `handler` (internal): the handlers the attribute macros register and
//!   [`HandlerDef`], built by hand; [`Predicate`]; and [`HandlerArg`], the
//!   extractor trait that resolves handler parameters;
//! - `registry` (internal): every handler, expanded and indexed by watched
//!   flag;
//! - `reach` (internal): the watched flags nothing can set
//!   (`handlers --unreachable`);
//! - `predicates` (internal): the predicate test, hook-pattern and
//!   `{relation_name}` expansion (the grammar is `reactive-grammar`'s);
//! - `dispatch` (internal): the loop (rules D1 to D8);
//! - `session` (internal): one hook's all-or-nothing transaction;
//! - `store` (internal): the `sled` store ([`StoreError`] its errors);
//! - [`trace`]: what a dispatch did (the unit CLI's `trace --json`);
//! - `snapshot` (internal): a live unit's flags, data and context, for a unit test;
//! - `metadata` (internal): the charm's `metadata.yaml`, as [`Metadata`];
//! - `charm_dir` (internal): the charm directory a hook runs in, checked
//!   first;
//! - [`relations`]: relation types, conversations and scopes
//!   ([`RelationBase`](relations::RelationBase));
//! - [`endpoints`]: endpoint types, their automatic flags and relation data
//!   (`Endpoint`);
//! - [`databag`]: typed relation data, a databag loaded into and saved
//!   from a serde type;
//! - `runtime` (internal): [`main`], the Juju hook runtime ([`Options`],
//!   [`RuntimeError`]), and `cli` (internal), the charm's
//!   command line;
//! - [`hookenv`]: hook tools under charmhelpers' names, cached and buffered;
//! - `autoflags` (internal): `config.*`, `leadership.*`, `upgrade.series.*`
//!   flags;
//! - `skips` (internal): the hook-tool calls a hook does without, and why
//!   Juju allows it;
//! - `logging` (internal): the `log` to `juju-log` bridge;
//! - `error` (internal): [`Error`], [`HandlerError`], [`Result`],
//!   [`error_chain`];
//! - [`quote`]: remote values quoted in warnings, escaped and bounded;
//! - `linkcheck` (internal): the warning for a relation no linked type implements;
//! - `testing` (feature `testing`): state-in, state-out charm unit tests.
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
pub mod flags;
mod graph;
mod handler;
pub mod hookenv;
mod linkcheck;
mod logging;
mod metadata;
mod options;
mod panic;
mod predicates;
pub mod quote;
mod reach;
mod registry;
pub mod relations;
mod runtime;
mod session;
mod skips;
pub(crate) mod snapshot;
mod stdout;
mod store;
#[cfg(feature = "testing")]
pub mod testing;
pub mod trace;
pub mod triggers;
pub mod unitdata;

pub use endpoints::{Endpoint, EndpointType};
pub use error::{error_chain, BadRemoteValue, Error, HandlerError, Result};
pub use flags::register_trigger;
pub use flags::{
    all_flags_set, any_flags_set, clear_flag, get_flag_value, get_flags, get_unset_flags,
    is_flag_set, set_flag, set_flag_value, toggle_flag,
};
pub use handler::{HandlerArg, HandlerDef, IntoHandlerResult, Invocation, Predicate};
pub use metadata::{Binding, Metadata, Role};
pub use options::Options;
pub use runtime::{main, main_with, RuntimeError};
pub use store::StoreError;
pub use trace::Trace;
pub use triggers::Trigger;
pub use unitdata::{data_changed, is_data_changed, kv, mark_invoked, was_invoked};

#[doc(inline)]
pub use reactive_macros::action;
#[doc(inline)]
pub use reactive_macros::{
    collect_metrics, flags, hook, meter_status_changed, not_unless, only_once, when, when_all,
    when_any, when_file_changed, when_none, when_not, when_not_all,
};

/// What a charm imports: the macros, the flag API and the handler types.
pub mod prelude {
    pub use crate::action;
    pub use crate::flags::register_trigger;
    pub use crate::flags::{
        all_flags_set, any_flags_set, clear_flag, get_flags, get_unset_flags, is_flag_set,
        set_flag, set_flag_value, toggle_flag,
    };
    pub use crate::hookenv::{self, config, WorkloadState};
    pub use crate::triggers::Trigger;
    pub use crate::unitdata::{data_changed, kv};
    pub use crate::{
        collect_metrics, flags, hook, meter_status_changed, not_unless, only_once, when, when_all,
        when_any, when_file_changed, when_none, when_not, when_not_all,
    };
    pub use crate::{endpoints::RemoteData, HandlerError, Result};
}

/// Items the macros' generated code refers to, and the engine's entry
/// points for the workspace's own tests and benchmarks. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::{
        dispatch::running::enter,
        dispatch::{queue_for, run, DispatchOptions, Dispatched},
        flags::warn_unless_flags,
        handler::HandlerSpec,
        metadata::TypeSpec,
        registry::{HandlerInfo, Registry},
        triggers::TriggerSpec,
    };
    pub use inventory;
    // The workspace's own tests, benchmarks and tools.
    pub use crate::{
        panic::panic_message, runtime::run as run_charm, session::Session, store::Store,
    };
}
