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
mod action_env;
mod api;
mod assumed;
mod cache;
mod config;
mod context;
mod error;
pub(crate) mod juju_log;
mod leader;
mod paths;
mod real;
mod secret;
mod secret_api;
mod secret_files;
pub mod tools;
mod types;
mod writes;

use std::path::PathBuf;
use std::rc::Rc;

pub use action::*;
pub use api::*;
pub use cache::{EnvGuard, HookEnv};
pub(crate) use config::short_type_name;
pub use config::{config, Config};
pub(crate) use context::ACTION_PREFIX;
pub use context::{HookContext, HookSource};
pub use error::HookError;
pub(crate) use juju_log::configured_level;
#[cfg(test)]
pub(crate) use juju_log::parse_level;
pub use juju_log::{send_log, LOG_LEVEL_VAR};
pub use paths::charm_path;
pub use real::RealTools;
#[cfg(feature = "testing")]
pub(crate) use secret::{call as secret_call, valid_key as valid_secret_key};
pub use secret::{
    secret_id, SecretContent, SecretEvent, SecretInfo, SecretOptions, SecretOwner, SecretRead,
    SecretRef, SECRET_HOOKS,
};
pub use secret_api::*;
pub use tools::{HookTools, ToolCall, ARGUMENT_LIMIT};
#[cfg(feature = "testing")]
pub(crate) use types::apply_writes;
pub use types::{
    published_address, ApplicationStatus, BindAddress, InterfaceAddress, LogLevel, NetworkInfo,
    Port, Protocol, Settings, StatusInfo, WorkloadState,
};

/// Runs `f` on this thread's hook environment.
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
fn context<R>(f: impl FnOnce(&HookContext) -> R) -> R {
    match HookEnv::current() {
        Some(env) => f(env.context()),
        None => f(&HookContext::from_env()),
    }
}

/// Logs `message` at INFO through `juju-log`.
pub fn log(message: impl AsRef<str>) {
    log_level(LogLevel::Info, message)
}

/// Logs `message` at `level` through `juju-log` (every level by default:
/// Juju filters by the model's `logging-config`; see
/// [`Options::log_level`](crate::Options::log_level)).
pub fn log_level(level: LogLevel, message: impl AsRef<str>) {
    juju_log::emit(level, message.as_ref())
}

/// The running hook's name (`config-changed`, `kafka-relation-joined`).
#[must_use]
pub fn hook_name() -> String {
    context(|c| c.hook_name.clone())
}

/// This unit's name (`kafka/0`).
#[must_use]
pub fn local_unit() -> String {
    context(|c| c.unit_name.clone())
}

/// The application of this unit (`kafka`).
#[must_use]
pub fn application_name() -> String {
    context(|c| c.application_name().to_string())
}

/// charmhelpers' older name for [`application_name`].
#[must_use]
pub fn service_name() -> String {
    application_name()
}

/// The remote unit of a relation hook (`None` for app-level events and
/// outside relation hooks).
#[must_use]
pub fn remote_unit() -> Option<String> {
    context(|c| c.remote_unit.clone())
}

/// The remote application of a relation hook.
#[must_use]
pub fn remote_app() -> Option<String> {
    context(|c| c.remote_app.clone())
}

/// The relation id of a relation hook (`kafka:3`).
#[must_use]
pub fn relation_id() -> Option<String> {
    context(|c| c.relation_id.clone())
}

/// The relation name of a relation hook (`kafka`).
#[must_use]
pub fn relation_type() -> Option<String> {
    context(|c| c.relation_name.clone())
}

/// The unit leaving in a `-relation-departed` hook.
#[must_use]
pub fn departing_unit() -> Option<String> {
    context(|c| c.departing_unit.clone())
}

/// The running action's name.
#[must_use]
pub fn action_name() -> Option<String> {
    context(|c| c.action_name.clone())
}

/// The charm directory.
#[must_use]
pub fn charm_dir() -> PathBuf {
    context(|c| c.charm_dir.clone())
}

/// Whether the running hook is a relation hook.
#[must_use]
pub fn in_relation_hook() -> bool {
    context(|c| c.relation_id.is_some())
}

/// The charm's `metadata.yaml`, as the running hook loaded it.
#[must_use]
pub fn metadata() -> Option<Rc<crate::metadata::Metadata>> {
    HookEnv::current().and_then(|env| env.metadata())
}

/// The role and interface `metadata.yaml` declares for relation `name`
/// (charmhelpers' `relation_to_role_and_interface`).
#[must_use]
pub fn relation_to_role_and_interface(name: &str) -> Option<(crate::metadata::Role, String)> {
    let m = metadata()?;
    let ep = m.endpoint(name)?;
    Some((ep.role, ep.interface.clone()))
}

/// Whether `metadata.yaml` declares relation `name` with `role` and
/// `interface`.
#[must_use]
pub fn relation_is_bound(name: &str, role: crate::metadata::Role, interface: &str) -> bool {
    relation_to_role_and_interface(name).is_some_and(|(r, i)| r == role && i == interface)
}

/// The relation names `metadata.yaml` declares with `role` and `interface`
/// (charmhelpers' `role_and_interface_to_relations`).
#[must_use]
pub fn role_and_interface_to_relations(
    role: crate::metadata::Role,
    interface: &str,
) -> Vec<String> {
    metadata()
        .map(|m| m.relations_for(role, interface))
        .unwrap_or_default()
}

/// Every relation name `metadata.yaml` declares (charmhelpers'
/// `relation_types`).
#[must_use]
pub fn relation_types() -> Vec<String> {
    metadata()
        .map(|m| m.endpoints.iter().map(|e| e.name.clone()).collect())
        .unwrap_or_default()
}

/// Makes a new environment over `tools` the one of this thread until the
/// guard drops; returns it with the guard. For charms that drive a dispatch
/// themselves rather than through [`crate::main`].
pub fn install(ctx: HookContext, tools: impl HookTools + 'static) -> (Rc<HookEnv>, EnvGuard) {
    let env = Rc::new(HookEnv::new(ctx, tools));
    let guard = HookEnv::install(&env);
    (env, guard)
}
