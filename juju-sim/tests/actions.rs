//! Actions as Juju runs them: parameters checked against `actions.yaml`'s
//! JSON schema before the charm runs (juju/charm `actions.go`; `juju run`
//! refuses the task), and the task's output kept (`juju show-task`).

mod common;

use common::*;
use juju_sim::report::ActionStatus;
use juju_sim::Error;

#[test]
fn parameters_are_checked_against_the_schema_before_the_charm_runs() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    model.deploy("p", &charm, 1).unwrap();
    model.settle().unwrap();
    for (params, problem) in [
        (
            vec![("times", "five")],
            "(root).times : Invalid type. Expected: integer, given: string",
        ),
        (
            vec![("who", "5")],
            "(root).who : Invalid type. Expected: string, given: integer",
        ),
        (
            vec![("colour", "red")],
            "(root) : Additional property colour is not allowed",
        ),
    ] {
        let err = model.queue_action("p/0", "greet", &params).unwrap_err();
        assert!(matches!(err, Error::BadActionParams { .. }), "{err}");
        assert!(err.to_string().contains(problem), "{err}");
    }
    assert!(model.pending("p/0").unwrap().is_empty(), "nothing queued");
}

#[test]
fn a_task_keeps_its_output_and_a_failing_one_its_reason() {
    let greet = r#"
echo "to stdout"
if [ "$(action-get who)" = crash ]; then echo "no such thing" >&2; exit 3; fi
"#;
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[("greet", greet)]);
    model.deploy("p", &charm, 1).unwrap();
    model.settle().unwrap();
    let ok = model.run_action("p/0", "greet", &[("who", "you")]).unwrap();
    assert_eq!(ok.status, ActionStatus::Completed);
    assert_eq!(ok.stdout, "to stdout\n");
    assert_eq!(ok.exit_code, Some(0));
    let crashed = model
        .run_action("p/0", "greet", &[("who", "crash")])
        .unwrap();
    assert_eq!(crashed.status, ActionStatus::Failed);
    // What Juju records for a task that exits non-zero without action-fail.
    assert_eq!(crashed.message.as_deref(), Some("exit status 3"));
    assert_eq!(crashed.stderr, "no such thing\n");
    assert_eq!(model.action(&crashed.id).unwrap().exit_code, Some(3));
}
