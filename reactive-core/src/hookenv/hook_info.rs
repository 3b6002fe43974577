//! What the running hook is about (its name, unit, relation, action) and
//! what the charm's `metadata.yaml` declares, under charmhelpers' names.
//! None of these fail: they read the hook's context, never a hook tool.

use std::path::PathBuf;
use std::rc::Rc;

use super::current::context;
use super::env::HookEnv;

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
