//! The charmhelpers-named functions that call hook tools, through the
//! [`HookEnv`] installed for the running hook.
//!
//! Arguments that charmhelpers makes optional are `Option`s here, with the
//! same default: `None` for a relation id means the current relation
//! (`JUJU_RELATION_ID`), for a unit the current remote unit.

use super::env::HookEnv;
use super::error::HookError;
use super::tools::check_argument_sizes;
use super::types::{NetworkInfo, Port, Settings, StatusInfo, WorkloadState};
use super::with_env;

/// `rid`, else the hook's relation id; `api` names the function asking.
pub(super) fn rid_of(
    env: &HookEnv,
    api: &'static str,
    rid: Option<&str>,
) -> Result<String, HookError> {
    rid.map(str::to_string)
        .or_else(|| env.context().relation_id.clone())
        .ok_or_else(|| HookError::NoCurrent {
            api,
            what: "relation id",
            hook: env.context().hook_name.clone(),
        })
}

pub(super) fn settings<K: Into<String>, V: ToString>(
    api: &'static str,
    items: impl IntoIterator<Item = (K, V)>,
) -> Result<Settings, HookError> {
    let mut out = Settings::new();
    for (k, v) in items {
        let k: String = k.into();
        if k.is_empty() || k.contains('=') || k.chars().any(char::is_whitespace) {
            return Err(HookError::InvalidArgument {
                api,
                reason: format!(
                    "invalid key {k:?}: keys must be non-empty, without `=` or whitespace"
                ),
            });
        }
        out.insert(k, v.to_string());
    }
    Ok(out)
}

/// Relation ids of relation `reltype` (default: the current relation's
/// name); empty outside a relation hook when none is given.
pub fn relation_ids(reltype: Option<&str>) -> Result<Vec<String>, HookError> {
    with_env("relation_ids", |env| {
        match reltype
            .map(str::to_string)
            .or_else(|| env.context().relation_name.clone())
        {
            Some(name) => env.relation_ids(&name),
            None => Ok(Vec::new()),
        }
    })
}

/// Remote units in scope on relation `relid` (default: current relation).
pub fn related_units(relid: Option<&str>) -> Result<Vec<String>, HookError> {
    with_env("related_units", |env| {
        env.relation_list(&rid_of(env, "related_units", relid)?)
    })
}

/// Every setting of `unit_or_app` on `rid` (default: the current
/// relation). A name without `/` is an application (`relation-get --app`),
/// a unit otherwise. The default is the hook's remote unit, else (an
/// application-level event) its remote application, as Juju's
/// `relation-get` defaults (`worker/uniter/runner/jujuc/relation-get.go`).
/// This unit's (and application's) own settings include the writes made
/// earlier in this hook.
pub fn relation_get_all(
    unit_or_app: Option<&str>,
    rid: Option<&str>,
) -> Result<Settings, HookError> {
    const API: &str = "relation_get";
    with_env(API, |env| {
        let rid = rid_of(env, API, rid)?;
        let ctx = env.context();
        let (owner, app) = match (unit_or_app, &ctx.remote_unit, &ctx.remote_app) {
            (Some(name), _, _) => (name, !name.contains('/')),
            (None, Some(unit), _) => (unit.as_str(), false),
            (None, None, Some(app)) => (app.as_str(), true),
            (None, None, None) => {
                return Err(HookError::NoCurrent {
                    api: API,
                    what: "remote unit",
                    hook: ctx.hook_name.clone(),
                })
            }
        };
        env.relation_get(&rid, owner, app)
    })
}

/// One setting of `unit_or_app` on `rid` (defaults as
/// [`relation_get_all`]); `None` when not set.
pub fn relation_get(
    key: &str,
    unit_or_app: Option<&str>,
    rid: Option<&str>,
) -> Result<Option<String>, HookError> {
    Ok(relation_get_all(unit_or_app, rid)?.remove(key))
}

/// Writes this unit's settings on `rid` (default: the current relation).
/// An empty value deletes the key. Sent once per relation id, merged, when
/// the hook succeeds; never if it fails.
///
/// ```no_run
/// # fn h() -> reactive_core::Result {
/// use reactive_core::hookenv::relation_set;
/// relation_set(Some("kafka:3"), [("port", 9092)])?;
/// # Ok(()) }
/// ```
pub fn relation_set<K: Into<String>, V: ToString>(
    rid: Option<&str>,
    values: impl IntoIterator<Item = (K, V)>,
) -> Result<(), HookError> {
    let values = settings("relation_set", values)?;
    with_env("relation_set", |env| {
        env.relation_set(&rid_of(env, "relation_set", rid)?, false, values)
    })
}

/// Writes this application's settings on `rid` (leader only); as
/// [`relation_set`] otherwise.
pub fn relation_set_app<K: Into<String>, V: ToString>(
    rid: Option<&str>,
    values: impl IntoIterator<Item = (K, V)>,
) -> Result<(), HookError> {
    let values = settings("relation_set_app", values)?;
    with_env("relation_set_app", |env| {
        env.relation_set(&rid_of(env, "relation_set_app", rid)?, true, values)
    })
}

/// Whether this unit is the leader.
pub fn is_leader() -> Result<bool, HookError> {
    with_env("is_leader", |env| env.is_leader())
}

/// Every leader setting (with this hook's writes).
pub fn leader_get_all() -> Result<Settings, HookError> {
    with_env("leader_get", |env| env.leader_get())
}

/// One leader setting; `None` when not set.
pub fn leader_get(key: &str) -> Result<Option<String>, HookError> {
    Ok(leader_get_all()?.remove(key))
}

/// Writes leader settings (leader only; an empty value deletes). Juju
/// writes `leader-set` to the controller at once, even if the hook then
/// fails (`context/leader.go`); the framework holds the write back and
/// sends it in one `leader-set` after every other write of a successful
/// hook, so a failed handler sends nothing (see [`crate::main`]).
/// Within a dispatch it also maintains the leadership flags at once, as
/// `charms.leadership.leader_set` does: `leadership.changed.<key>` and
/// `leadership.changed` for a value that changed, `leadership.set.<key>`
/// while the key has a value.
///
/// `leader-set` takes its settings as arguments: a `key=value` over
/// [`ARGUMENT_LIMIT`](super::tools::ARGUMENT_LIMIT) bytes is refused here,
/// naming the key ([`HookError::TooLong`]).
pub fn leader_set<K: Into<String>, V: ToString>(
    values: impl IntoIterator<Item = (K, V)>,
) -> Result<(), HookError> {
    let values = settings("leader_set", values)?;
    check_argument_sizes("leader-set", &values)?;
    with_env("leader_set", |env| {
        env.leader_set(values.clone())?;
        env.leader_written(&values)
            .map_err(|source| HookError::State {
                api: "leader_set",
                source,
            })
    })
}

/// `unit-get <key>`: `private-address` or `public-address`.
pub fn unit_get(key: &str) -> Result<Option<String>, HookError> {
    with_env("unit_get", |env| env.unit_get(key))
}

/// The network of `binding` (an endpoint or extra-binding name).
pub fn network_get(binding: &str) -> Result<NetworkInfo, HookError> {
    with_env("network_get", |env| env.network_get(binding))
}

/// Sets the unit's workload status (takes effect at once, as in Juju).
pub fn status_set(state: WorkloadState, message: &str) -> Result<(), HookError> {
    with_env("status_set", |env| env.status_set(state, message, false))
}

/// The unit's workload status.
pub fn status_get() -> Result<StatusInfo, HookError> {
    with_env("status_get", |env| env.status_get(false))
}

fn valid_port(api: &'static str, port: Port) -> Result<Port, HookError> {
    port.validate()
        .map(|()| port)
        .map_err(|reason| HookError::InvalidArgument { api, reason })
}

/// Opens a port, a range or ICMP (`open_port(9092)` is TCP;
/// `open_port(Port::udp(53))`, `open_port("8000-8100/tcp".parse()?)`,
/// `open_port(Port::icmp())`); a port Juju would refuse (0, a reversed
/// range) is refused here. Sent when the hook succeeds.
pub fn open_port(port: impl Into<Port>) -> Result<(), HookError> {
    let port = valid_port("open_port", port.into())?;
    with_env("open_port", |env| {
        env.set_port(port, true);
        Ok(())
    })
}

/// Closes a port (validated as [`open_port`]). Sent when the hook succeeds.
pub fn close_port(port: impl Into<Port>) -> Result<(), HookError> {
    let port = valid_port("close_port", port.into())?;
    with_env("close_port", |env| {
        env.set_port(port, false);
        Ok(())
    })
}

/// Ports opened on this unit, with this hook's changes.
pub fn opened_ports() -> Result<Vec<Port>, HookError> {
    with_env("opened_ports", |env| env.opened_ports())
}

/// The remote application of relation `rid` (default: the current
/// relation): `JUJU_REMOTE_APP` in the relation's own hooks, else
/// `relation-list --app`, which Juju answers even before a remote unit
/// joined.
pub fn relation_remote_app(rid: Option<&str>) -> Result<Option<String>, HookError> {
    with_env("relation_remote_app", |env| {
        let rid = rid_of(env, "relation_remote_app", rid)?;
        if env.context().relation_id.as_deref() == Some(rid.as_str()) {
            if let Some(app) = env.context().remote_app.clone() {
                return Ok(Some(app));
            }
        }
        env.relation_list_app(&rid)
    })
}

impl From<u16> for Port {
    fn from(number: u16) -> Port {
        Port::tcp(number)
    }
}
