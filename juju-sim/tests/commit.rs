//! What a hook's exit status decides: commit or discard, retry, error.

mod common;

use common::*;
use juju_sim::report::RunStatus;
use juju_sim::Error;

/// config-changed writes everything it can, then fails unless the unit's
/// charm directory holds a file named `fixed`.
const WRITES_THEN_FAILS: &str = r#"
relation-set -r ring:0 k=v
relation-set -r ring:0 --app shared=1 || true
leader-set x=1 || true
open-port 99
application-version-set 9.9
status-set blocked "broken"
juju-log -l ERROR failing
echo "sees=$(relation-get -r ring:0 k "$JUJU_UNIT_NAME")" >> out.log
[ -f fixed ]
"#;

#[test]
fn a_failed_hook_is_retried_its_writes_discarded_but_status_and_logs_kept() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("config-changed", WRITES_THEN_FAILS)]);
    model.deploy("p", &charm, 2).unwrap();
    let report = model.settle_report().unwrap();

    // Each unit tried config-changed 3 times and stopped there: start
    // never ran, the rest of the queue waits.
    for unit in ["p/0", "p/1"] {
        assert_eq!(
            runs_on(&report.runs, unit),
            [
                "install",
                "ring-relation-created",
                if unit == "p/0" {
                    "leader-elected"
                } else {
                    "leader-settings-changed"
                },
                "config-changed",
                "config-changed",
                "config-changed"
            ]
        );
        assert_eq!(
            model.unit_error(unit).unwrap().as_deref(),
            Some("config-changed")
        );
        assert_eq!(
            model.pending(unit).unwrap()[..2],
            ["config-changed", "start"]
        );
    }
    let attempts: Vec<u32> = report
        .runs
        .iter()
        .filter(|r| r.unit == "p/0" && r.hook == "config-changed")
        .map(|r| r.attempt)
        .collect();
    assert_eq!(attempts, [1, 2, 3]);
    assert_eq!(report.errors.len(), 2);
    assert_eq!(report.errors[0].unit, "p/0");
    assert_eq!(report.errors[0].hook, "config-changed");
    assert_eq!(report.errors[0].exit_code, Some(1));

    // Status, logs and leader settings (which Juju merges at once,
    // context/leader.go) took effect; nothing else did.
    assert_eq!(model.unit_status("p/0").unwrap().status, "blocked");
    let errors = model
        .logs("p/0")
        .unwrap()
        .iter()
        .filter(|l| l.level == "ERROR")
        .count();
    assert_eq!(errors, 3);
    assert!(!model.relation_data(0, "p/0").unwrap().contains_key("k"));
    assert!(model.relation_app_data(0, "p").unwrap().is_empty());
    assert_eq!(model.leader_settings("p").unwrap()["x"], "1");
    assert!(model.opened_ports("p/0").unwrap().is_empty());
    assert_eq!(model.workload_version("p").unwrap(), "");
    // Within the hook the unit read its own pending write.
    assert!(unit_file(&model, "p/0", "out.log").contains("sees=v"));

    // settle() turns the same situation into an error naming unit and hook.
    let err = model.settle().unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("unit p/0 hook config-changed failed 3 times (exit 1)"),
        "{text}"
    );
    let Error::HookFailed(again) = err else {
        panic!("{text}")
    };
    assert_eq!(again.runs.len(), 6, "a later settle retries again");

    // Once fixed, the next settle commits and notifies.
    for unit in ["p/0", "p/1"] {
        std::fs::write(model.unit_dir(unit).unwrap().join("fixed"), "").unwrap();
    }
    let runs = model.settle().unwrap();
    assert_eq!(runs[0].attempt, 7);
    assert_eq!(model.relation_data(0, "p/0").unwrap()["k"], "v");
    assert_eq!(model.relation_app_data(0, "p").unwrap()["shared"], "1");
    assert_eq!(model.leader_settings("p").unwrap()["x"], "1");
    assert_eq!(model.opened_ports("p/0").unwrap().len(), 1);
    assert_eq!(model.workload_version("p").unwrap(), "9.9");
    assert!(model.unit_error("p/0").unwrap().is_none());
    // p/1 was told about the leader settings once it could run hooks.
    assert!(runs_on(&runs, "p/1").contains(&"leader-settings-changed".to_string()));
}

#[test]
fn a_hook_that_fails_once_succeeds_on_retry_with_only_its_own_writes() {
    let flaky = r#"
n=$(cat count 2>/dev/null || echo 0)
echo $((n + 1)) > count
relation-set -r ring:0 "attempt$n=yes"
[ "$n" -ge 1 ]
"#;
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("start", flaky)]);
    model.deploy("p", &charm, 1).unwrap();
    let runs = model.settle().unwrap();
    let starts: Vec<(u32, bool)> = runs
        .iter()
        .filter(|r| r.hook == "start")
        .map(|r| (r.attempt, r.succeeded()))
        .collect();
    assert_eq!(starts, [(1, false), (2, true)]);
    let data = model.relation_data(0, "p/0").unwrap();
    assert!(!data.contains_key("attempt0"), "the failed attempt's write");
    assert_eq!(data["attempt1"], "yes");
}

#[test]
fn resolve_drops_the_failed_hook() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("install", "exit 3")]);
    model.deploy("p", &charm, 1).unwrap();
    let report = model.settle_report().unwrap();
    assert_eq!(report.errors[0].exit_code, Some(3));
    assert_eq!(
        report.runs[0].status,
        RunStatus::Failed {
            exit_code: Some(3),
            signal: None
        }
    );
    model.resolve("p/0").unwrap();
    let runs = model.settle().unwrap();
    assert_eq!(runs_on(&runs, "p/0")[0], "ring-relation-created");
}

#[test]
fn a_hook_past_its_timeout_is_killed_and_fails() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("install", "sleep 30")]);
    model.deploy("p", &charm, 1).unwrap();
    model.options_mut().hook_timeout = Some(std::time::Duration::from_millis(200));
    model.options_mut().max_attempts = 1;
    let report = model.settle_report().unwrap();
    assert_eq!(
        report.runs[0].status,
        RunStatus::Failed {
            exit_code: None,
            signal: Some(9)
        }
    );
}

#[test]
fn charms_that_never_stop_changing_relation_data_are_stopped() {
    let chatty = r#"relation-set -r ring:0 "now=$(date +%s%N)""#;
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[("ring-relation-changed", chatty)]);
    model.deploy("p", &charm, 2).unwrap();
    model.options_mut().max_runs = 40;
    let err = model.settle().unwrap_err();
    assert!(matches!(err, Error::NoQuiescence { runs: 40, .. }), "{err}");
    assert!(err.to_string().contains("ring-relation-changed"), "{err}");
}

#[test]
fn a_hook_that_cannot_be_started_fails_like_any_hook() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "p", &[]);
    std::fs::write(charm.join("dispatch"), "#!/no/such/interpreter\n").unwrap();
    model.deploy("p", &charm, 1).unwrap();
    let err = model.settle().unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("unit p/0 hook install failed 3 times: cannot run"),
        "{text}"
    );
    assert!(text.contains("No such file or directory"), "{text}");
}
