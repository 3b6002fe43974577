//! What the running hook is about (its name, unit, relation, action) and
//! what the charm's `metadata.yaml` declares, under charmhelpers' names.
//! None of these fail: they read the hook's context, never a hook tool.

use std::path::PathBuf;
use std::rc::Rc;

use super::context::HookContext;
use super::current::context;
use super::env::HookEnv;
use super::secret::SecretEvent;

/// One function per entry, reading one thing from the running hook's
/// context.
macro_rules! context_functions {
    ($($(#[doc = $doc:literal])* $name:ident -> $ty:ty = |$c:ident| $read:expr;)*) => {
        $(
            $(#[doc = $doc])*
            #[must_use]
            pub fn $name() -> $ty {
                context(|$c: &HookContext| $read)
            }
        )*
    };
}

context_functions! {
    /// The running hook's name (`config-changed`, `kafka-relation-joined`).
    hook_name -> String = |c| c.hook_name.clone();
    /// This unit's name (`kafka/0`).
    local_unit -> String = |c| c.unit_name.clone();
    /// The application of this unit (`kafka`; charmhelpers' older name for
    /// it is `service_name`).
    application_name -> String = |c| c.application_name().to_string();
    /// The remote unit of a relation hook (`None` for app-level events and
    /// outside relation hooks).
    remote_unit -> Option<String> = |c| c.remote_unit.clone();
    /// The remote application of a relation hook.
    remote_app -> Option<String> = |c| c.remote_app.clone();
    /// The relation id of a relation hook (`kafka:3`).
    relation_id -> Option<String> = |c| c.relation_id.clone();
    /// The relation name of a relation hook (`kafka`).
    relation_type -> Option<String> = |c| c.relation_name.clone();
    /// The unit leaving in a `-relation-departed` hook.
    departing_unit -> Option<String> = |c| c.departing_unit.clone();
    /// The running action's name.
    action_name -> Option<String> = |c| c.action_name.clone();
    /// The charm directory.
    charm_dir -> PathBuf = |c| c.charm_dir.clone();
    /// Whether the running hook is a relation hook.
    in_relation_hook -> bool = |c| c.relation_id.is_some();
    /// The secret the running secret hook is about (`secret-changed`,
    /// `secret-rotate`, `secret-expired`, `secret-remove`).
    secret_event -> Option<SecretEvent> = |c| c.secret.clone();
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
pub(crate) fn relation_is_bound(name: &str, role: crate::metadata::Role, interface: &str) -> bool {
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
