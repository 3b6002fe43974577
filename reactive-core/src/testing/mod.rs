//! Charm unit tests in the state-transition style of Python's
//! `ops.testing` (Scenario): declare the unit's [`State`], fire one
//! [`Hook`] through the real dispatch (automatic flags, handlers, buffered
//! hook-tool writes) over in-memory hook tools (`MemoryTools`, which
//! answer from that state) and a temporary store, and assert on the
//! [`Outcome`]: the output [`State`] and what the hook did.
//!
//! ```
//! use reactive_core::testing::{Hook, Relation, State};
//! use reactive_core::{hookenv, Predicate, HandlerDef};
//! use reactive_core::set_flag;
//!
//! let handlers = vec![HandlerDef::new("charm.rs", 1, "configure", vec![Predicate::WhenAll(vec!["config.set.port".into()])],
//!     |_| {
//!         let port: u16 = hookenv::config().require("port")?;
//!         for rid in hookenv::relation_ids(Some("website"))? {
//!             hookenv::relation_set(Some(&rid), [("port", port)])?;
//!         }
//!         set_flag("configured");
//!         Ok(())
//!     })];
//! let state = State::default()
//!     .with_file("metadata.yaml", "name: web\nprovides:\n  website:\n    interface: http\n")
//!     .with_file("config.yaml", "options:\n  port: {type: int, default: 80}\n")
//!     .with_config("port", 8080)
//!     .with_relation(Relation::new("website", 1, "proxy").with_unit("proxy/0", [("x", "1")]));
//! let out = state.run_handlers(handlers, Hook::new("config-changed"));
//! assert_eq!(out.error_message(), None);
//! assert!(out.state.is_flag_set("configured"));
//! assert_eq!(out.state.relation("website:1").unwrap().local_unit_data["port"], "8080");
//! assert_eq!(out.calls_to("relation-set"), 1);
//! ```
//!
//! A failing hook returns its error in [`Outcome::error`] and the input
//! state (nothing committed, no write sent). Chain hooks on `outcome.state`,
//! changing its fields or replacing a relation with [`State::with_relation`]
//! in between; [`State::with_joined_relation`] brings a relation up through
//! its interface's handlers.
//!
//! - [`State`] (`state`, `relation`, `secrets`, `status`): the unit's world;
//!   [`State::for_charm`] (`charm_dir`) declares it from the charm's own
//!   files, [`State::from_snapshot`] (`snapshot`) from what a unit's
//!   `./dispatch snapshot FILE` wrote.
//! - [`Hook`] (`hook`): the hook or action fired.
//! - **Checked before the run** (`consistency`, [`State::check`], as
//!   Scenario's consistency checker): config options declared and of their
//!   Juju type, relations declared (peer relations with the unit's own
//!   application), relation hooks on a relation and remote unit of the
//!   state, storage and workload hooks on declared storage and containers,
//!   actions and their parameters declared. A run that selects no handler
//!   is refused too, naming the module filter and the modules that have
//!   handlers (`select`).
//! - **The run** (`run`, `tools`, `files`): the scratch charm directory and
//!   store, the hook tools over the state, the dispatch; the output state
//!   is what the tools hold after the hook, with the store's flags and
//!   key-value data and the charm directory's files ([`State::files`];
//!   relative paths are the charm directory's, `hookenv::charm_path`).
//! - **Recorded** in the [`Outcome`]: `juju-log` lines, the statuses set in
//!   order (typed [`Status`]), action results and failure, hook-tool calls.
//! - **Idempotence** (`idempotence`): [`Idempotence::of`] reports every
//!   handler that ran and everything it changed or wrote when a hook is
//!   re-fired on a settled state.
//!
//! Lines the charm logs reach [`Outcome::logs`] through the `juju-log`
//! bridge (`logging`), installed as the `log` logger on first use
//! (a test binary that installs another logger first still gets
//! `hookenv::log` lines). Each test runs on its own thread with its own
//! hook environment and store, so tests run in parallel.

mod chain;
mod charm_dir;
mod consistency;
mod files;
mod hook;
mod idempotence;
mod relation;
mod run;
mod secrets;
mod select;
mod snapshot;
mod state;
mod status;
pub(crate) mod tools;

pub use self::{
    consistency::Inconsistency, hook::Hook, idempotence::Idempotence, relation::Relation,
    secrets::Secret, snapshot::LoadError, state::State, status::Status,
};

use crate::hookenv::{LogLevel, Settings};
use crate::runtime::RuntimeError;
use crate::trace::{ToolCall, Trace};

/// What firing a hook did.
#[derive(Debug)]
pub struct Outcome {
    /// The state after the hook; equal to the input if it failed.
    pub state: State,
    /// Why the hook failed, if it did.
    pub error: Option<RuntimeError>,
    /// Lines sent to `juju-log`, with their level (also on failure).
    pub logs: Vec<(LogLevel, String)>,
    /// Lines sent to `action-log`.
    pub action_logs: Vec<String>,
    /// Every unit status the hook set, in order (the last is
    /// `state.status` when it succeeded).
    pub status_history: Vec<Status>,
    /// Every hook-tool call the hook made, in order.
    pub tool_calls: Vec<ToolCall>,
    /// The dispatch trace.
    pub trace: Trace,
    /// Results set with `action_set`.
    pub action_results: Settings,
    /// The message of `action_fail`, if called.
    pub action_failed: Option<String>,
}

impl Outcome {
    /// The error's message with its causes, or `None` on success.
    #[must_use]
    pub fn error_message(&self) -> Option<String> {
        self.error.as_ref().map(|e| crate::error::error_chain(e))
    }

    /// How many times `tool` was called.
    #[must_use]
    pub fn calls_to(&self, tool: &str) -> usize {
        self.tool_calls.iter().filter(|c| c.tool == tool).count()
    }
}
