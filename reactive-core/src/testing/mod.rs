//! Charm unit tests in the state-transition style of Python's
//! `ops.testing` (Scenario): declare the unit's [`State`], fire one
//! [`Hook`] through the real dispatch (automatic flags, handlers, buffered
//! hook-tool writes) with in-memory hook tools and a temporary store, and
//! assert on the output [`State`] and what the hook did.
//!
//! ```
//! use reactive_core::testing::{Hook, Relation, State};
//! use reactive_core::{hookenv, Cond, HandlerDef};
//! use reactive_core::flags::set_flag;
//!
//! let handlers = vec![HandlerDef::new("charm.rs", 1, "configure", vec![Cond::WhenAll(vec!["config.set.port".into()])],
//!     |_| {
//!         let port: u16 = hookenv::config().require("port")?;
//!         for rid in hookenv::relation_ids(Some("website"))? {
//!             hookenv::relation_set(Some(&rid), [("port", port)])?;
//!         }
//!         set_flag("configured");
//!         Ok(())
//!     })];
//! let state = State::default()
//!     .with_metadata("name: web\nprovides:\n  website:\n    interface: http\n")
//!     .with_config_yaml("options:\n  port: {type: int, default: 80}\n")
//!     .with_config("port", 8080)
//!     .with_relation(Relation::new("website", 1, "proxy").with_unit("proxy/0", [("x", "1")]));
//! let out = state.run_handlers(handlers, Hook::new("config-changed"));
//! assert!(out.is_ok(), "{:?}", out.error);
//! assert!(out.state.is_flag_set("configured"));
//! assert_eq!(out.state.relation("website:1").unwrap().local_unit_data["port"], "8080");
//! assert_eq!(out.calls_to("relation-set"), 1);
//! ```
//!
//! A failing hook returns its error in [`Outcome::error`] and the input
//! state (nothing committed, no write sent). Chain hooks on `outcome.state`.
//!
//! - **Checked before the run** ([`State::check`], as Scenario's
//!   consistency checker): config options declared and of their Juju type,
//!   relations declared (peer relations with the unit's own application),
//!   relation hooks on a relation and remote unit of the state, storage and
//!   workload hooks on declared storage and containers, actions and their
//!   parameters declared. A run that selects no handler is refused too,
//!   naming the module filter and the modules that have handlers.
//!   [`State::for_charm`] declares the state from the charm's own files.
//! - **Changed between hooks** through methods: [`State::relation_mut`]
//!   (`set_remote_unit_data`, `add_remote_unit`, `remove_remote_unit`),
//!   [`State::set_config`], [`State::set_leader`]; a relation brought up
//!   through its interface's handlers with [`State::with_joined_relation`].
//! - **Recorded**: `juju-log` lines, the statuses set in order
//!   ([`Outcome::status_history`], typed [`Status`]), action results and
//!   failure, hook-tool calls, and the files of the charm directory
//!   ([`State::files`]; relative paths are the charm directory's,
//!   `hookenv::charm_path`).
//! - **Idempotence**: [`State::idempotence`] re-fires a hook on a settled
//!   state and reports every handler that ran and everything it changed or
//!   wrote.
//! - **From production**: [`State::from_snapshot`] loads what a unit's
//!   `./dispatch snapshot FILE` wrote.
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

pub use consistency::Inconsistency;
pub use hook::Hook;
pub use idempotence::Idempotence;
pub use relation::Relation;
pub use secrets::Secret;
pub use snapshot::LoadError;
pub use state::State;
pub use status::Status;

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
    /// Whether the hook succeeded.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }

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

    /// Whether a log line contains `text`.
    #[must_use]
    pub fn logged(&self, text: &str) -> bool {
        self.logs.iter().any(|(_, l)| l.contains(text))
    }

    /// Handlers invoked, in order.
    #[must_use]
    pub fn invoked(&self) -> Vec<&str> {
        self.trace.invoked().collect()
    }
}
