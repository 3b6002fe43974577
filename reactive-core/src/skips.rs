//! Which hook-tool calls a hook can do without, and the Juju guarantee
//! behind each skip. Every skip needs what the unit's last hook left in the
//! store, so none is made after a hook that did not commit.
//!
//! - `leader-get` (a controller round trip, once per hook: Juju's
//!   `worker/uniter/runner/context/leader.go`, `LeaderSettings`) only in the
//!   hooks where the leader settings can have changed since the last hook:
//!   `install`, `upgrade-charm`, `leader-elected`, `leader-settings-changed`.
//!   Only the leader writes them; a unit that is not the leader runs
//!   `leader-settings-changed` whenever the version it last processed is
//!   behind (`worker/uniter/leadership/resolver.go`), and a unit that
//!   becomes leader runs `leader-elected` first. This unit's own
//!   `leader-set` is recorded in the store with the hook that sent it
//!   (the `autoflags` module). Elsewhere the stored settings stand in.
//! - `config-get` (a controller round trip, once per hook:
//!   `worker/uniter/runner/context/context.go`, `ConfigSettings`) is skipped
//!   in `start`, `update-status` and the relation hooks of a living unit:
//!   Juju's resolver (`worker/uniter/resolver.go`, `nextOp`) runs
//!   `config-changed` before any of them whenever the config changed since
//!   the unit last ran it, so the config the last hook stored is what
//!   Juju holds. A dying unit runs its relation hooks without
//!   `config-changed`: the hooks of a unit leaving (`-relation-departed`
//!   with itself as the departing unit, `-relation-broken`, `stop`,
//!   `remove`) read the config.
//! - `is-leader` is skipped on a unit that was not the leader in its last
//!   hook, except in `leader-elected`: a unit that gains leadership runs
//!   `leader-elected` before any other hook (the leadership resolver comes
//!   first in `worker/uniter/resolver.go`). A leader is asked every hook: it
//!   can lose leadership without a hook.
//! - `status-set` of the unit's workload status is skipped when the state
//!   and message equal what this unit last set in a hook that committed
//!   (kept in the store): only the unit sets its workload status. After a
//!   hook that did not commit (failed, killed) nothing is skipped, because
//!   what it set reached Juju while the store kept the state before it.
//!
//! Whether the last hook committed: each hook writes its number to a small
//! file next to the store before it makes any call, and commits the same
//! number in the store; the two differ after a hook that did not commit.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::hookenv::{HookContext, StatusInfo};
use crate::unitdata::kv;

/// Key-value entry: the number of the last hook that committed.
pub(crate) const HOOK_NUMBER_KEY: &str = "reactive.hook.number";
/// Key-value entry: the workload status this unit last set in a hook that
/// committed.
pub(crate) const STATUS_KEY: &str = "reactive.status.unit";

/// The file beside the store at `store_path` that holds the number of the
/// last hook that started.
#[must_use]
pub(crate) fn started_marker(store_path: &Path) -> PathBuf {
    let mut name = store_path.as_os_str().to_owned();
    name.push(".hook");
    PathBuf::from(name)
}

/// What this hook may skip. Made inside the dispatch, before any call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    /// The last hook committed: the stored state is what Juju holds.
    pub(crate) last_committed: bool,
    /// `config-get` is needed.
    pub(crate) config_get: bool,
    /// `leader-get` is needed.
    pub(crate) leader_get: bool,
    /// `is-leader` is needed whatever the unit was in its last hook.
    pub(crate) is_leader: bool,
}

impl Plan {
    /// Reads the last hook's number from `marker` and the store, and writes
    /// this hook's to `marker` (the store gets it at commit, see
    /// [`Plan::commit`]). `None` for `marker`: nothing is known, nothing
    /// skipped.
    pub(crate) fn begin(ctx: &HookContext, marker: Option<&Path>) -> Result<Plan, BeginError> {
        let committed: Option<u64> = kv().get(HOOK_NUMBER_KEY)?;
        let started = marker.and_then(read_number);
        let last_committed = started.is_some() && started == committed;
        if let Some(path) = marker {
            write_number(path, committed.unwrap_or(0) + 1)?;
        }
        Ok(Plan::for_hook(ctx, last_committed))
    }

    /// The plan for `ctx` after a last hook that did (or did not) commit.
    pub(crate) fn for_hook(ctx: &HookContext, last_committed: bool) -> Plan {
        let hook = ctx.hook_name.as_str();
        let all = !last_committed || ctx.action_name.is_some();
        let leaving = match hook.rsplit_once("-relation-") {
            Some((_, "departed")) => ctx.departing_unit.as_deref() == Some(&ctx.unit_name),
            Some((_, "broken")) => true,
            Some(_) => false,
            None => !matches!(hook, "start" | "update-status"),
        };
        Plan {
            last_committed,
            config_get: all || leaving,
            leader_get: all
                || matches!(
                    hook,
                    "install" | "upgrade-charm" | "leader-elected" | "leader-settings-changed"
                ),
            is_leader: all || hook == "leader-elected",
        }
    }

    /// Records this hook's number in the store, to be committed with it.
    pub(crate) fn commit(&self) -> Result<(), Error> {
        let n: Option<u64> = kv().get(HOOK_NUMBER_KEY)?;
        kv().set(HOOK_NUMBER_KEY, &(n.unwrap_or(0) + 1))
    }
}

fn read_number(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Writes `n` to `path` through a temporary file and a rename, so that the
/// file never holds half a number.
fn write_number(path: &Path, n: u64) -> Result<(), BeginError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, n.to_string())
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|source| BeginError::Marker(path.to_path_buf(), source))
}

/// Why [`Plan::begin`] failed; the automatic flags' error reports it.
#[derive(Debug)]
pub(crate) enum BeginError {
    /// Reading the last committed hook's number from the store.
    State(Error),
    /// Writing this hook's number to the marker file.
    Marker(PathBuf, std::io::Error),
}

impl From<Error> for BeginError {
    fn from(e: Error) -> BeginError {
        BeginError::State(e)
    }
}

/// The workload status stored by the last hook that committed, if the plan
/// allows trusting it.
pub(crate) fn known_status(plan: &Plan) -> Result<Option<StatusInfo>, Error> {
    if !plan.last_committed {
        return Ok(None);
    }
    kv().get(STATUS_KEY)
}

/// Stores the workload status Juju holds after this hook, to be committed
/// with it.
pub(crate) fn store_status(status: Option<&StatusInfo>) -> Result<(), Error> {
    match status {
        Some(s) => kv().set(STATUS_KEY, s),
        None => kv().unset(STATUS_KEY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(hook: &str) -> HookContext {
        HookContext {
            unit_name: "kafka/0".into(),
            hook_name: hook.into(),
            ..HookContext::default()
        }
    }

    #[test]
    fn after_a_hook_that_did_not_commit_nothing_is_skipped() {
        for hook in ["update-status", "kafka-relation-changed", "start"] {
            let plan = Plan::for_hook(&ctx(hook), false);
            assert!(
                plan.config_get && plan.leader_get && plan.is_leader,
                "{hook}"
            );
        }
    }

    #[test]
    fn leader_settings_are_read_where_they_can_have_changed() {
        for hook in [
            "install",
            "upgrade-charm",
            "leader-elected",
            "leader-settings-changed",
        ] {
            assert!(Plan::for_hook(&ctx(hook), true).leader_get, "{hook}");
        }
        for hook in ["config-changed", "start", "kafka-relation-joined", "stop"] {
            assert!(!Plan::for_hook(&ctx(hook), true).leader_get, "{hook}");
        }
    }

    #[test]
    fn config_is_read_unless_config_changed_would_have_run_first() {
        for hook in ["start", "update-status", "kafka-relation-changed"] {
            assert!(!Plan::for_hook(&ctx(hook), true).config_get, "{hook}");
        }
        for hook in [
            "install",
            "config-changed",
            "leader-elected",
            "kafka-relation-broken",
            "stop",
            "remove",
            "secret-changed",
        ] {
            assert!(Plan::for_hook(&ctx(hook), true).config_get, "{hook}");
        }
        let mut departed = ctx("kafka-relation-departed");
        departed.departing_unit = Some("client/1".into());
        assert!(!Plan::for_hook(&departed, true).config_get);
        departed.departing_unit = Some("kafka/0".into());
        assert!(
            Plan::for_hook(&departed, true).config_get,
            "a dying unit gets no config-changed"
        );
    }

    #[test]
    fn actions_skip_nothing() {
        let mut c = ctx("backup");
        c.action_name = Some("backup".into());
        let plan = Plan::for_hook(&c, true);
        assert!(plan.config_get && plan.leader_get && plan.is_leader);
    }

    #[test]
    fn the_marker_sits_beside_the_store_and_holds_a_whole_number() {
        let dir = tempfile::tempdir().unwrap();
        let marker = started_marker(&dir.path().join(".unit-state.sled"));
        assert_eq!(marker, dir.path().join(".unit-state.sled.hook"));
        assert_eq!(read_number(&marker), None);
        write_number(&marker, 41).unwrap();
        write_number(&marker, 42).unwrap();
        assert_eq!(read_number(&marker), Some(42));
    }
}
