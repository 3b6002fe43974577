//! The hook environment under charmhelpers' names: `config`, `relation_get`,
//! `relation_set`, `status_set`, `leader_get`, `open_port`, `log`, ...
//!
//! Everything here acts on the hook running on this thread:
//! [`reactive_core::main`](crate::main) installs a [`HookEnv`] over the real
//! hook tools for the hook, and `reactive_core::testing` (feature `testing`) one over in-memory tools.
//! Functions that call hook tools return `Result<_, HookError>`, whose
//! messages name the tool, its arguments and its stderr; functions that
//! read the hook's context (`hook_name`, `local_unit`, ...) cannot fail.
//!
//! Reads are cached for the rest of the hook, writes that Juju applies only
//! when the hook succeeds are buffered and sent once, merged, at its end (see
//! [`HookEnv`]): a charm may call `relation_get` in every handler at no
//! cost, and a failed hook sends nothing.
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
#[cfg(any(test, feature = "testing"))]
mod memory;
#[cfg(any(test, feature = "testing"))]
mod memory_secrets;
mod paths;
mod real;
mod record;
mod secret;
mod secret_api;
mod secret_files;
mod tool_call;
mod tools;
mod types;
mod writes;

pub use action::*;
pub use api::*;
pub(crate) use config::short_type_name;
pub use config::{config, Config};
pub(crate) use context::ACTION_PREFIX;
pub use context::{HookContext, HookSource};
#[cfg(test)]
pub(crate) use current::install;
pub(crate) use current::with_env;
pub(crate) use env::HookEnv;
pub use error::HookError;
pub use hook_info::*;
pub(crate) use juju_log::configured_level;
#[cfg(test)]
pub(crate) use juju_log::parse_level;
pub(crate) use juju_log::send_log;
pub use juju_log::{log, log_level};
#[cfg(any(test, feature = "testing"))]
pub use memory::{MemoryTools, Model, RelationModel};
#[cfg(any(test, feature = "testing"))]
pub use memory_secrets::MemorySecret;
pub use paths::charm_path;
pub(crate) use real::RealTools;
pub use secret::{
    secret_id, SecretContent, SecretEvent, SecretInfo, SecretOptions, SecretOwner, SecretRead,
    SecretRef, SECRET_HOOKS,
};
pub use secret_api::*;
pub use tool_call::ToolCall;
pub use tools::{
    action_fail, action_log, application_status_get, application_version_set, secret_get,
    secret_info_get, secret_remove, ARGUMENT_LIMIT,
};
pub use types::{
    published_address, ApplicationStatus, BindAddress, InterfaceAddress, LogLevel, NetworkInfo,
    Port, Protocol, Settings, StatusInfo, WorkloadState,
};

#[cfg(test)]
mod tests;
