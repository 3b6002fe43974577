//! The hook environment under charmhelpers' names: `config`, `relation_get`,
//! `relation_set`, `status_set`, `leader_get`, `open_port`, `log`, ...
//!
//! Everything here acts on the hook running on this thread:
//! [`reactive_core::main`](crate::main) installs a hook environment over
//! the real hook tools for the hook, and `reactive_core::testing` (feature
//! `testing`) one over in-memory tools. Functions that call hook tools
//! return `Result<_, HookError>`, whose messages name the tool, its
//! arguments and its stderr; functions that read the hook's context
//! (`hook_name`, `local_unit`, ...) cannot fail.
//!
//! Reads are cached for the rest of the hook, writes that Juju applies only
//! when the hook succeeds are buffered and sent once, merged, at its end: a
//! charm may call `relation_get` in every handler at no cost, and a failed
//! hook sends nothing.
//!
//! The map of the module:
//!
//! - the tools: `tools` (the table: one entry per tool, from which the
//!   `HookTools` trait, the command lines, the process-backed tools and
//!   the plain tools' functions come), `tool_call` ([`ToolCall`]), `real`
//!   (the processes and their output), `secret_files`;
//! - the environment of one hook: `env` (`HookEnv`), `cache` (reads),
//!   `writes` and `flush` (the write buffer and its sending), `record` (the
//!   calls made, for the trace), `current` (the running hook's environment
//!   on its thread), `assumed` (what the store already knows), `context`
//!   (`HookContext`, from Juju's variables);
//! - the charm's API: `api` (relations, leadership, unit, status, ports),
//!   `hook_info` (the hook's context, the charm's metadata), `config`,
//!   `action`, `secret_api` and `secret` (secrets), `juju_log` (`log`),
//!   `paths` ([`charm_path`]), `types` (the values tools take and
//!   return), `error` ([`HookError`]);
//!
//! ```no_run
//! use reactive_core::hookenv::{self, config, WorkloadState};
//!
//! fn configure() -> reactive_core::Result {
//!     let port: u16 = config().get("source_port")?.unwrap_or(9092);
//!     for rid in hookenv::relation_ids(Some("kafka"))? {
//!         hookenv::relation_set(Some(&rid), [("port", port)])?;
//!     }
//!     hookenv::open_port(port)?;
//!     hookenv::status_set(WorkloadState::Active, "Ready")?;
//!     hookenv::log(format!("serving on {port}"));
//!     Ok(())
//! }
//! ```

mod action;
mod api;
mod assumed;
mod cache;
mod config;
mod context;
mod current;
mod env;
mod error;
mod flush;
mod hook_info;
pub(crate) mod juju_log;
mod paths;
mod real;
mod record;
mod secret;
mod secret_api;
mod secret_files;
mod tool_call;
pub(crate) mod tools;
mod types;
mod writes;

// The charm-facing API, by concept: the tools' functions, the hook's
// context, the configuration, secrets, and the values they take and return.
pub use self::{
    action::*,
    api::*,
    config::{config, Config},
    error::HookError,
    hook_info::*,
    juju_log::log,
    paths::charm_path,
    secret::{
        SecretContent, SecretEvent, SecretInfo, SecretOptions, SecretOwner, SecretRead, SecretRef,
    },
    secret_api::*,
    tool_call::ToolCall,
    tools::{
        action_fail, action_log, application_status_get, application_version_set, secret_get,
        secret_info_get, secret_remove, ARGUMENT_LIMIT,
    },
    types::{
        published_address, ApplicationStatus, BindAddress, InterfaceAddress, LogLevel, NetworkInfo,
        Port, Protocol, Settings, StatusInfo, WorkloadState,
    },
};

// The engine's side: what the runtime, the automatic flags and the
// testing harness use.
pub(crate) use self::{
    config::short_type_name,
    context::{HookContext, ACTION_PREFIX},
    current::with_env,
    env::HookEnv,
    juju_log::{configured_level, send_log},
    real::RealTools,
};
#[cfg(any(test, feature = "testing"))]
pub(crate) use self::{
    context::HookSource,
    secret::{secret_id, valid_key as valid_secret_key},
    tools::{call, HookTools},
    types::apply_writes,
};
#[cfg(test)]
pub(crate) use self::{current::install, juju_log::parse_level};

#[cfg(test)]
mod tests;
