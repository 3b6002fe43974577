//! The framework's hook-tool calls under juju-sim's hook tools, which parse
//! arguments as Juju's do (juju/gnuflag: unknown flags fail, `--` ends the
//! flags; `relation-set --file -` reads YAML on stdin) and are real
//! processes, so the 128 KiB argument limit is the kernel's. Each test
//! names the Juju file whose behaviour it pins.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use juju_sim::report::ActionStatus;
use juju_sim::{Model, Options};
use serde_json::{json, Value};

/// A charm directory: the probe's files, the charm binary as `dispatch`.
fn charm(dir: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/charms/rules");
    let out = dir.join("rules-probe");
    std::fs::create_dir_all(&out).unwrap();
    for f in ["metadata.yaml", "config.yaml", "actions.yaml"] {
        std::fs::copy(src.join(f), out.join(f)).unwrap();
    }
    let dispatch = out.join("dispatch");
    std::fs::copy(env!("CARGO_BIN_EXE_rules-charm"), &dispatch).unwrap();
    std::fs::set_permissions(&dispatch, std::fs::Permissions::from_mode(0o755)).unwrap();
    out
}

/// `a` and `b` deployed from the probe and related (`a:db` to
/// `b:backend`), settled; every hook succeeded.
fn deployed() -> (tempfile::TempDir, Model, u32) {
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        tool: Some(PathBuf::from(env!("CARGO_BIN_EXE_rules-hook-tool"))),
        ..Options::default()
    };
    let mut model = Model::create(dir.path().join("model"), "rules", options).unwrap();
    let charm = charm(dir.path());
    model.deploy("a", &charm, 1).unwrap();
    model.deploy("b", &charm, 1).unwrap();
    let rid = model.relate("a:db", "b:backend").unwrap();
    settle_ok(&mut model);
    (dir, model, rid)
}

fn settle_ok(model: &mut Model) {
    let report = model.settle_report().unwrap();
    let failed = report.failures();
    assert!(failed.is_empty(), "hooks failed:\n{}", failed.join("\n"));
}

fn flags(model: &mut Model, unit: &str) -> BTreeMap<String, Value> {
    model.flags(unit).unwrap()
}

/// `jujuc/status-set.go`, `application-version-set.go`, `juju-log.go`:
/// free text starting with `-` after `--` is kept as it is, and every
/// juju-log level reaches Juju, which filters by `logging-config`.
#[test]
fn free_text_starting_with_a_dash_is_sent_as_it_is_status_set_go_juju_log_go() {
    let (_d, model, _) = deployed();
    assert_eq!(
        model.unit_status("a/0").unwrap().message,
        "-installing, dash first"
    );
    assert_eq!(model.workload_version("a").unwrap(), "-1.0");
    let logs = model.logs("a/0").unwrap();
    let has = |level: &str, message: &str| {
        logs.iter()
            .any(|l| l.level == level && l.message == message)
    };
    assert!(has("INFO", "-a line starting with a dash"), "{logs:?}");
    assert!(has("DEBUG", "a debug line"), "{logs:?}");
}

/// `jujuc/relation-set.go`: `--file -` reads the settings as YAML on
/// stdin, so a 200 KiB value (over the 128 KiB of one argument) is set.
#[test]
fn a_value_over_the_argument_limit_is_set_through_stdin_relation_set_go() {
    let (_d, model, rid) = deployed();
    let data = model.relation_data(rid, "a/0").unwrap();
    assert_eq!(data["big"].len(), 200 * 1024);
    assert!(data["big"].bytes().all(|b| b == b'x'));
    let sets: Vec<_> = model
        .calls("a/0")
        .into_iter()
        .filter(|c| c.tool == "relation-set")
        .collect();
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].args, ["-r", &format!("db:{rid}"), "--file", "-"]);
}

/// `jujuc/leader-set.go` takes its settings as arguments only: a value
/// over the limit is refused before the call, naming the key and the
/// limit; the others are written.
#[test]
fn leader_set_refuses_a_value_over_the_argument_limit_leader_set_go() {
    let (_d, mut model, _) = deployed();
    let f = flags(&mut model, "a/0");
    let refused = f["probe.leader-set-refused"].as_str().unwrap();
    assert!(
        refused.starts_with("leader-set: the value of `big` makes a 131075-byte argument")
            && refused.contains("131071-byte limit"),
        "{refused}"
    );
    assert_eq!(model.leader_settings("a").unwrap()["small"], "1");
    assert!(!model.leader_settings("a").unwrap().contains_key("big"));
}

/// `jujuc/ports.go`, `opened-ports.go`: ranges and `icmp` are opened and
/// read back; port 0 is refused before the call.
#[test]
fn ranges_and_icmp_are_opened_and_listed_ports_go_opened_ports_go() {
    let (_d, mut model, _) = deployed();
    model.update_status();
    settle_ok(&mut model);
    let f = flags(&mut model, "a/0");
    assert_eq!(
        f["probe.ports"],
        json!(["icmp", "8000-8100/tcp", "9092/tcp"])
    );
    let zero = f["probe.port-zero"].as_str().unwrap();
    assert!(
        zero.contains("port numbers must be between 1 and 65535"),
        "{zero}"
    );
    assert!(!model
        .calls("a/0")
        .iter()
        .any(|c| c.tool.ends_with("-port") && c.args.iter().any(|a| a.starts_with('0'))));
}

/// `jujuc/relation-list.go` (`--app`) outside the relation's hooks, and
/// `status-get.go` (`--application`: `{"application-status": {...,
/// "units": {...}}}`) on the leader.
#[test]
fn the_remote_application_and_the_application_status_relation_list_go_status_get_go() {
    let (_d, mut model, rid) = deployed();
    model.update_status();
    settle_ok(&mut model);
    let f = flags(&mut model, "a/0");
    assert_eq!(f["probe.remote-app"], "b");
    assert_eq!(f["probe.app-units"], json!(["a/0"]));
    assert!(model.calls("a/0").iter().any(|c| c.tool == "relation-list"
        && c.args == ["--format=json", "-r", &format!("db:{rid}"), "--app"]));
}

/// `worker/uniter/runner/runner.go`: an action runs with
/// `JUJU_DISPATCH_PATH=actions/<name>`; the `stop` action runs its
/// `#[action]` handler, never the `stop` hook's.
#[test]
fn an_action_named_like_a_hook_runs_only_its_action_handler_runner_go() {
    let (_d, mut model, _) = deployed();
    let done = model
        .run_action("a/0", "stop", &[] as &[(&str, &str)])
        .unwrap();
    assert_eq!(done.status, ActionStatus::Completed, "{done:?}");
    assert_eq!(done.results["stopped"], "yes");
    let f = flags(&mut model, "a/0");
    assert!(f.contains_key("probe.stop-action-ran"));
    assert!(!f.contains_key("probe.stop-hook-ran"));
}

/// `context/context.go` (`finalizeAction`): a failing handler calls
/// `action-fail` with its error and the action exits 0, since Juju puts
/// `exit status 1` in place of the message of an action that exits
/// non-zero; the unit's state is not committed.
#[test]
fn a_failing_action_handler_fails_the_action_with_its_message_context_go() {
    let (_d, mut model, _) = deployed();
    let failed = model
        .run_action("a/0", "fail", &[] as &[(&str, &str)])
        .unwrap();
    assert_eq!(failed.status, ActionStatus::Failed);
    let message = failed.message.clone().unwrap_or_default();
    assert!(message.contains("-refused: the reason"), "{message}");
    assert_eq!(failed.exit_code, Some(0));
    assert!(!flags(&mut model, "a/0").contains_key("probe.fail-ran"));
    assert_eq!(model.unit_error("a/0").unwrap(), None);
}

/// Typed parameters: a parameter of the wrong type fails the action with
/// a message naming it (`jujuc/action-get.go` prints the parameters).
#[test]
fn a_mistyped_parameter_is_named_action_get_go() {
    let (_d, mut model, _) = deployed();
    let failed = model
        .run_action("a/0", "typed", &[("delay", "soon")])
        .unwrap();
    assert_eq!(failed.status, ActionStatus::Failed);
    let message = failed.message.clone().unwrap_or_default();
    assert!(
        message.contains("action parameters: delay: invalid type"),
        "{message}"
    );
}

/// `jujuc/action-set.go` takes results as arguments only: a result over
/// the limit is refused naming the key and the limit; `action-log.go`
/// lines reach the task.
#[test]
fn action_set_refuses_a_value_over_the_argument_limit_action_set_go() {
    let (_d, mut model, _) = deployed();
    let failed = model
        .run_action("a/0", "big", &[] as &[(&str, &str)])
        .unwrap();
    assert_eq!(failed.status, ActionStatus::Failed);
    let message = failed.message.clone().unwrap_or_default();
    assert!(
        message.contains("action-set: the value of `out`") && message.contains("131071-byte limit"),
        "{message}"
    );
    assert_eq!(failed.logs, ["making a big result"]);
}

/// A panicking handler: the juju-log ERROR line names where it panicked.
#[test]
fn the_panic_location_is_in_the_error_line() {
    let (_d, mut model, _) = deployed();
    model.set_config("a", "panic", "true").unwrap();
    let _ = model.settle_report().unwrap();
    let logs = model.logs("a/0").unwrap();
    let error = logs
        .iter()
        .find(|l| l.level == "ERROR")
        .map(|l| l.message.clone())
        .unwrap_or_default();
    assert!(
        error.contains("asked to panic (at workspace-tests/src/bin/rules-charm.rs:"),
        "{error}"
    );
}
