//! The flags the framework manages for every endpoint at the start of each
//! hook, before the dispatch and in the same transaction.

use super::data::RemoteData;
use super::endpoint::{hook_kind, Endpoint};
use super::lookup::spec_for;
use super::relation::RelatedUnit;
use super::{EndpointHook, EndpointSpec};
use crate::error::{check_flag, Error};
use crate::flags::{clear_flag, is_flag_set, set_flag, toggle_flag};
use crate::hookenv;
use crate::quote::{quote, QUOTE_LIMIT};
use crate::unitdata::data_changed;

/// For every endpoint name that `metadata.yaml` binds to a registered
/// endpoint type, in name order: the type's `register_triggers`, the
/// departed-unit list, the automatic flags, then the type's
/// `manage_flags`.
pub(crate) fn at_start() -> Result<(), Error> {
    let mut names = hookenv::relation_types();
    names.sort();
    for name in names {
        let Some(spec) = spec_for(&name)? else {
            continue;
        };
        let endpoint = Endpoint::load(&name)?;
        if let Some(register_triggers) = spec.data.0 {
            call(spec, "register_triggers", &endpoint, register_triggers)?;
        }
        manage_departed(&endpoint)?;
        manage_flags(spec, &endpoint)?;
    }
    // A flag call refused here (a bad flag name) has no handler to fail.
    match crate::flags::take_failure()? {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn call(
    spec: &EndpointSpec,
    what: &str,
    endpoint: &Endpoint,
    f: EndpointHook,
) -> Result<(), Error> {
    f(endpoint).map_err(|e| Error::Handler {
        handler: format!(
            "{}::{what} (endpoint {})",
            spec.rust_name, endpoint.endpoint_name
        ),
        source: e.into_inner(),
    })
}

/// In the endpoint's `-relation-departed` hook, records the departing unit
/// (with the data it had published) among the departed units.
fn manage_departed(endpoint: &Endpoint) -> Result<(), Error> {
    if !hook_kind(&endpoint.endpoint_name).1 {
        return Ok(());
    }
    let (Some(rid), Some(unit)) = (hookenv::relation_id(), hookenv::remote_unit()) else {
        return Ok(());
    };
    let mut departed = endpoint.all_departed_units()?;
    departed.push(&RelatedUnit::new(&rid, unit, None))
}

/// The automatic flags, by the Python framework's rules:
/// - `endpoint.<name>.joined` while any remote unit is joined;
/// - `endpoint.<name>.departed` set in the endpoint's `-relation-departed`
///   hook, cleared in any other hook while a unit is joined;
/// - `endpoint.<name>.changed` and `.changed.<key>` set when a remote
///   unit's value differs from the one seen last (never cleared here);
///   a key that cannot be part of a flag name is left out, with a warning
///   (a remote unit must not be able to fail this unit's hooks).
///
/// Remote data is compared only in the endpoint's own relation hooks, or
/// when `joined` was not set before, sparing hook-tool calls in other
/// hooks; the type's `manage_flags` runs only when it is.
fn manage_flags(spec: &EndpointSpec, endpoint: &Endpoint) -> Result<(), Error> {
    let joined_flag = endpoint.expand_name("joined");
    let already_joined = is_flag_set(&joined_flag);
    let (rel_hook, departed_hook) = hook_kind(&endpoint.endpoint_name);
    let joined = endpoint.is_joined()?;
    toggle_flag(&joined_flag, joined);
    if departed_hook {
        set_flag(&endpoint.expand_name("departed"));
    } else if joined {
        clear_flag(&endpoint.expand_name("departed"));
    }
    if already_joined && !rel_hook {
        return Ok(());
    }
    for unit in endpoint.all_joined_units()?.iter() {
        for (key, value) in unit.received()?.iter() {
            let key_flag = endpoint.expand_name(&format!("changed.{key}"));
            if let Err(why) = flag_key_problem(&key_flag, key) {
                log::warn!(
                    "endpoint {}: unit {} on relation {} published key {}, which cannot \
                     name a flag ({why}); the key sets no flag",
                    endpoint.endpoint_name,
                    unit.unit_name,
                    unit.relation_id,
                    quote(key)
                );
                continue;
            }
            let data_key = format!(
                "endpoint.{}.{}.{}.{key}",
                endpoint.endpoint_name, unit.relation_id, unit.unit_name
            );
            if data_changed(&data_key, &value)? {
                set_flag(&endpoint.expand_name("changed"));
                set_flag(&key_flag);
            }
        }
    }
    if let Some(manage) = spec.data.1 {
        call(spec, "manage_flags", endpoint, manage)?;
    }
    Ok(())
}

/// Why `key`, published by a remote unit, cannot make the flag `flag`: not
/// a flag name, or so long it would grow the store and every trace.
fn flag_key_problem(flag: &str, key: &str) -> Result<(), String> {
    if key.len() > QUOTE_LIMIT {
        return Err(format!("longer than {QUOTE_LIMIT} bytes"));
    }
    check_flag(flag).map_err(|e| match e {
        Error::InvalidFlag { reason, .. } => format!("a flag name {reason}"),
        other => other.to_string(),
    })
}
