//! Which hook-tool calls go on to the controller under real Juju, and the
//! cost model the report prices a hook with.
//!
//! Every hook tool is a process (`jujuc`) and a request to the unit agent
//! over its local socket; some requests the agent answers only after a
//! request of its own to the controller, a network round trip
//! (`shared/reference/juju-hook-protocol.md`, last section; Juju's
//! `worker/uniter/runner/context/`): `config-get` (first call of a hook,
//! `context.go` `ConfigSettings`), `is-leader`, `leader-get` (first call,
//! `leader.go` `LeaderSettings`), `leader-set`, `status-set`, `status-get`,
//! `network-get`, the first `relation-get` of each remote unit in a hook,
//! and every `secret-*` tool. `relation-set`, `open-port` and `close-port`
//! are buffered until the hook ends; `relation-ids`, `relation-list` and
//! `juju-log` are local.
//!
//! `is-leader` is counted as a round trip, as the protocol notes and the
//! issue's targets count it; Juju's `worker/leadership/tracker.go` answers
//! it from the lease the agent already holds, so a real controller sees
//! fewer requests than counted here on both sides.

use std::collections::BTreeSet;

use juju_sim::context::CallRecord;

/// Tools whose first call in a hook goes to the controller.
const ONCE_PER_HOOK: [&str; 2] = ["config-get", "leader-get"];
/// Tools whose every call goes to the controller.
const EVERY_CALL: [&str; 5] = [
    "is-leader",
    "leader-set",
    "status-set",
    "status-get",
    "network-get",
];

/// Whether `tool` can reach the controller (for the tables by tool).
#[must_use]
pub fn reaches_controller(tool: &str) -> bool {
    ONCE_PER_HOOK.contains(&tool)
        || EVERY_CALL.contains(&tool)
        || tool == "relation-get"
        || tool.starts_with("secret-")
}

/// The controller round trips of one hook's calls, made by `local_unit`
/// in a hook whose remote unit (relation hooks) is `remote_unit` on
/// relation `relation_id`.
#[must_use]
pub fn round_trips(
    calls: &[CallRecord],
    local_unit: &str,
    relation_id: Option<&str>,
    remote_unit: Option<&str>,
) -> usize {
    let mut once: BTreeSet<&str> = BTreeSet::new();
    let mut remote_reads: BTreeSet<(String, String)> = BTreeSet::new();
    let mut n = 0;
    for call in calls {
        let tool = call.tool.as_str();
        if ONCE_PER_HOOK.contains(&tool) {
            n += usize::from(once.insert(tool));
        } else if EVERY_CALL.contains(&tool) || tool.starts_with("secret-") {
            n += 1;
        } else if tool == "relation-get" {
            if let Some((rid, unit)) = relation_get_target(&call.args, relation_id, remote_unit) {
                if unit != local_unit && remote_reads.insert((rid, unit)) {
                    n += 1;
                }
            }
        }
    }
    n
}

/// The relation id and unit (or application, with `--app`) a `relation-get`
/// reads: `-r`/`--relation` or the hook's relation, the second positional
/// argument or the hook's remote unit.
fn relation_get_target(
    args: &[String],
    relation_id: Option<&str>,
    remote_unit: Option<&str>,
) -> Option<(String, String)> {
    let mut rid = relation_id.map(str::to_string);
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-r" | "--relation" => rid = it.next().cloned(),
            "--format" => drop(it.next()),
            "-" => positional.push(a.clone()),
            _ if a.starts_with("-r=") || a.starts_with("--relation=") => {
                rid = a.split_once('=').map(|(_, v)| v.to_string());
            }
            _ if a.starts_with('-') => {}
            _ => positional.push(a.clone()),
        }
    }
    let unit = positional
        .get(1)
        .cloned()
        .or_else(|| remote_unit.map(str::to_string))?;
    Some((rid.unwrap_or_default(), unit))
}

/// The costs a hook under real Juju is priced with, ms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostModel {
    /// What the setting is called in the report.
    pub name: &'static str,
    /// One controller round trip: the network and the controller's read.
    pub round_trip_ms: f64,
}

/// The settings the report prices hooks with. Assumptions, not
/// measurements (no controller is reachable here): a round trip inside one
/// data centre (network under a millisecond, plus the API server and its
/// database), and to a controller in another region.
pub const COST_MODELS: [CostModel; 2] = [
    CostModel {
        name: "controller nearby",
        round_trip_ms: 2.0,
    },
    CostModel {
        name: "controller remote",
        round_trip_ms: 50.0,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn call(tool: &str, args: &[&str]) -> CallRecord {
        CallRecord {
            tool: tool.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            exit_code: 0,
            micros: 10,
            error: None,
            log: None,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn reads_cached_by_the_agent_count_once_and_local_tools_never() {
        let calls = [
            call("config-get", &["--all", "--format=json"]),
            call("config-get", &["--all", "--format=json"]),
            call("leader-get", &["--format=json"]),
            call("status-set", &["active", "--", "ready"]),
            call("status-set", &["active", "--", "ready"]),
            call("juju-log", &["--", "hello"]),
            call("relation-ids", &["kafka", "--format=json"]),
            call("relation-set", &["-r", "kafka:1", "port=9092"]),
        ];
        assert_eq!(round_trips(&calls, "kafka/0", None, None), 4);
    }

    #[test]
    fn relation_get_counts_the_first_read_of_each_remote_unit() {
        let calls = [
            call(
                "relation-get",
                &["--format=json", "-r", "kafka:1", "-", "client/0"],
            ),
            call("relation-get", &["-r", "kafka:1", "port", "client/0"]),
            call("relation-get", &["--format=json", "-"]),
            call("relation-get", &["-r=kafka:1", "-", "client/1"]),
            call("relation-get", &["-r", "kafka:1", "-", "kafka/0"]),
        ];
        // client/0 once (the hook's remote unit is client/0 too), client/1
        // once, this unit's own settings never.
        let n = round_trips(&calls, "kafka/0", Some("kafka:1"), Some("client/0"));
        assert_eq!(n, 2);
    }
}
