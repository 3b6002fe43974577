//! Finding endpoints: the endpoint type bound to an endpoint name, the
//! endpoint a flag names, and the resolution of handler parameters (what
//! [`EndpointType`]'s provided methods call).

use super::endpoint::{name_in_flag, Endpoint};
use super::{EndpointSpec, EndpointType};
use crate::error::Error;
use crate::flags::is_flag_set;
use crate::handler::Invocation;
use crate::hookenv;

/// The registered endpoint type that `metadata.yaml` binds to endpoint
/// `name` (by role and interface), if any; an error if several types
/// claim the same role and interface.
pub(crate) fn spec_for(name: &str) -> Result<Option<&'static EndpointSpec>, Error> {
    let Some((role, interface)) = hookenv::relation_to_role_and_interface(name) else {
        return Ok(None);
    };
    let mut found = inventory::iter::<EndpointSpec>
        .into_iter()
        .filter(|s| s.implements(role, &interface));
    let first = found.next();
    if let (Some(a), Some(b)) = (first, found.next()) {
        return Err(Error::Declaration {
            id: format!("endpoint types {} and {}", a.rust_name, b.rust_name),
            reason: format!(
                "both implement {role}:{interface}; endpoint {name} can be bound to one only"
            ),
        });
    }
    Ok(first)
}

/// Endpoint `name` as a `T`, if `metadata.yaml` binds it to `T`'s role
/// and interface.
pub(crate) fn bound_endpoint<T: EndpointType>(name: &str) -> Result<Option<T>, Error> {
    if !hookenv::relation_is_bound(name, T::ROLE, T::INTERFACE) {
        return Ok(None);
    }
    Endpoint::load(name).map(|e| Some(T::from_endpoint(e)))
}

/// The endpoint of type `T` that set `flag`, if the flag is set.
pub(crate) fn endpoint_of_flag<T: EndpointType>(flag: &str) -> Result<Option<T>, Error> {
    match name_in_flag(flag) {
        Some(name) if is_flag_set(flag) => bound_endpoint(name),
        _ => Ok(None),
    }
}

/// Resolves a handler parameter of endpoint type `T`, from, in order: the
/// endpoint name the handler was expanded for (`{endpoint_name}` in its
/// flags); the first of its `when` flags that is set and names an endpoint
/// of `T` (`endpoint.<name>.…` or `<name>.…`); the running relation hook's
/// endpoint; the only endpoint `metadata.yaml` binds to `T`. Otherwise an
/// [`Error::Argument`] says what was tried.
pub(crate) fn resolve<T: EndpointType>(
    inv: &Invocation<'_>,
    param: &'static str,
) -> Result<T, Error> {
    let is_t = |name: &str| hookenv::relation_is_bound(name, T::ROLE, T::INTERFACE);
    let load = |name: &str| Endpoint::load(name).map(T::from_endpoint);
    if let Some(name) = inv.endpoint_name().filter(|n| is_t(n)) {
        return load(name);
    }
    for flag in inv.flags() {
        if let Some(name) = name_in_flag(flag).filter(|n| is_t(n)) {
            if is_flag_set(flag) {
                return load(name);
            }
        }
    }
    if let Some(name) = hookenv::relation_type().filter(|n| is_t(n)) {
        return load(&name);
    }
    let names = hookenv::role_and_interface_to_relations(T::ROLE, T::INTERFACE);
    if let [only] = names.as_slice() {
        return load(only);
    }
    let flags = if inv.flags().is_empty() {
        "it has no `when` flag".to_string()
    } else {
        format!(
            "none of its flags [{}] is a set flag of such an endpoint",
            inv.flags().join(", ")
        )
    };
    Err(inv.arg_error(
        param,
        format!(
            "no {}:{} endpoint to give it: {flags}, hook {} is not a hook of one, and \
             metadata.yaml binds {} endpoints to it [{}]",
            T::ROLE,
            T::INTERFACE,
            hookenv::hook_name(),
            names.len(),
            names.join(", ")
        ),
    ))
}
