//! The `juju-sim` command over a model directory.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;

fn juju_sim(model: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_juju-sim"))
        .arg("--model")
        .arg(model)
        .args(args)
        .env("JUJU_SIM_TOOL", env!("CARGO_BIN_EXE_juju-sim-tool"))
        // Variables of an enclosing hook must not reach the charm.
        .env("JUJU_UNIT_NAME", "outer/9")
        .env("JUJU_RELATION", "outer")
        .env("CHARM_DIR", "/nowhere")
        .output()
        .expect("run juju-sim")
}

fn ok(out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    stdout
}

#[test]
fn a_session_over_a_persisted_model() {
    let dir = tempfile::tempdir().unwrap();
    let charm = probe(
        &dir,
        "probe",
        &[(
            "config-changed",
            r#"open-port "$(config-get port)"; status-set active "port $(config-get port)""#,
        )],
    );
    let model = dir.path().join("m");
    let charm = charm.to_str().unwrap();

    let out = ok(juju_sim(
        &model,
        &["deploy", charm, "-n", "2", "--config", "port=81"],
    ));
    assert!(out.contains("added probe/1"), "{out}");
    assert!(out.contains("probe/0        install"), "{out}");
    let env = std::fs::read_to_string(model.join("units/unit-probe-0/charm/env.install")).unwrap();
    assert!(env.contains("JUJU_UNIT_NAME=probe/0\n"), "{env}");
    assert!(!env.contains("outer") && !env.contains("/nowhere"), "{env}");

    ok(juju_sim(&model, &["deploy", charm, "other"]));
    let out = ok(juju_sim(
        &model,
        &["integrate", "probe:db", "other:backend"],
    ));
    assert!(out.starts_with("relation 2\n"), "{out}");
    assert!(
        out.contains("other/0        backend-relation-joined"),
        "{out}"
    );

    let status = ok(juju_sim(&model, &["status"]));
    assert!(status.contains("probe/0*"), "{status}");
    assert!(status.contains("port 81"), "{status}");
    assert!(status.contains("81/tcp"), "{status}");
    assert!(status.contains("2   probe:db other:backend"), "{status}");
    // The application status is derived from its units when unset.
    assert!(
        status
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["probe", "active", "2", "port", "81"]),
        "{status}"
    );

    let out = ok(juju_sim(&model, &["config", "probe", "port=82"]));
    assert!(out.contains("probe/1        config-changed"), "{out}");
    let config = ok(juju_sim(&model, &["config", "probe"]));
    assert!(config.contains("port: 82"), "{config}");

    let calls = ok(juju_sim(&model, &["calls", "probe/0"]));
    assert!(calls.contains("open-port 82 -> 0"), "{calls}");
    let history = ok(juju_sim(&model, &["history", "other/0"]));
    assert!(
        history.lines().all(|l| l.starts_with("other/0")),
        "{history}"
    );
    ok(juju_sim(&model, &["flags", "probe/0"]));

    ok(juju_sim(&model, &["--no-settle", "remove-unit", "probe/1"]));
    // A dying unit is shown until it is gone.
    let status = ok(juju_sim(&model, &["status"]));
    assert!(status.contains("dying"), "{status}");
    ok(juju_sim(&model, &["settle"]));
    let status = ok(juju_sim(&model, &["status"]));
    assert!(!status.contains("probe/1"), "{status}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(juju_sim(&model, &["status", "--format", "json"]))).unwrap();
    let unit = &json["applications"]["probe"]["units"]["probe/0"];
    assert_eq!(unit["workload-status"]["current"], "active");
    assert_eq!(unit["open-ports"], serde_json::json!(["81/tcp", "82/tcp"]));
    assert_eq!(json["model"]["base"], "ubuntu@22.04");
    let shown = ok(juju_sim(&model, &["show-unit", "other/0"]));
    assert!(shown.contains("related-endpoint: db"), "{shown}");
}

#[test]
fn run_prints_results_and_failures_as_juju_run_does_and_show_task_replays() {
    let dir = tempfile::tempdir().unwrap();
    let greet = r#"
action-log "greeting $(action-get who)"
action-set greeting="hello $(action-get who)"
[ "$(action-get who)" != fail ] || action-fail "asked to fail"
"#;
    let charm = probe(&dir, "probe", &[("greet", greet)]);
    let model = dir.path().join("m");
    ok(juju_sim(
        &model,
        &["deploy", charm.to_str().unwrap(), "--seed", "42"],
    ));
    let out = ok(juju_sim(&model, &["run", "probe/0", "greet", "who=you"]));
    assert!(
        out.contains("Running operation 1 with 1 task\n  - task 1 on unit-probe-0\n"),
        "{out}"
    );
    assert!(out.contains("greeting you\ngreeting: hello you\n"), "{out}");
    let failed = juju_sim(&model, &["run-action", "probe/0", "greet", "who=fail"]);
    assert!(!failed.status.success());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(stderr.contains("message: asked to fail"), "{stderr}");
    let refused = juju_sim(&model, &["run", "probe/0", "greet", "times=many"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("(root).times : Invalid type"), "{stderr}");
    let shown = ok(juju_sim(&model, &["show-task", "1"]));
    assert!(shown.contains("greeting: hello you"), "{shown}");
    let status = ok(juju_sim(&model, &["status"]));
    assert!(status.contains("42"), "the seed is shown: {status}");
}

/// A reader that goes away, or a full disk, ends the command without a
/// panic or a backtrace; the model is still saved.
#[test]
fn a_closed_or_full_stdout_ends_the_command_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let charm = probe(&dir, "probe", &[]);
    let model = dir.path().join("m");
    let bin = env!("CARGO_BIN_EXE_juju-sim");
    let script = format!(
        "{bin} --model {m} deploy {c} -n 2 | head -c 0; \
         {bin} --model {m} status | head -c 0; echo rc=${{PIPESTATUS[0]}}",
        m = model.display(),
        c = charm.display()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("JUJU_SIM_TOOL", env!("CARGO_BIN_EXE_juju-sim-tool"))
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("rc=0"));
    assert!(
        ok(juju_sim(&model, &["status"])).contains("probe/1"),
        "deploy was saved"
    );
    let full = Command::new(bin)
        .args(["--model", model.to_str().unwrap(), "status"])
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&full.stderr);
    assert!(!full.status.success());
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("error: writing standard output"),
        "{stderr}"
    );
}

#[test]
fn a_failing_hook_makes_the_command_fail_and_shows_in_status() {
    let dir = tempfile::tempdir().unwrap();
    let charm = probe(&dir, "probe", &[("start", "echo 'it broke' >&2; exit 4")]);
    let model = dir.path().join("m");
    let out = juju_sim(&model, &["deploy", charm.to_str().unwrap()]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unit probe/0 hook start failed 3 times (exit 4): it broke"),
        "{stderr}"
    );
    let status = ok(juju_sim(&model, &["status"]));
    assert!(
        status.contains("error     idle") && status.contains("hook failed: \"start\""),
        "{status}"
    );
    let out = ok(juju_sim(&model, &["resolve", "probe/0"]));
    assert!(out.is_empty(), "nothing left to run: {out}");
}

#[test]
fn commands_on_a_missing_model_explain_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let out = juju_sim(&dir.path().join("none"), &["status"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no model"));
}

#[test]
fn a_damaged_model_file_is_reported_not_trusted() {
    let dir = tempfile::tempdir().unwrap();
    let charm = probe(&dir, "probe", &[]);
    let model = dir.path().join("m");
    ok(juju_sim(
        &model,
        &["deploy", "--no-settle", charm.to_str().unwrap()],
    ));
    let file = model.join("model.json");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace(r#""app": "probe""#, r#""app": "ghost""#),
    )
    .unwrap();
    let out = juju_sim(&model, &["status"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("unit probe/0 belongs to unknown application ghost"),
        "{stderr}"
    );
}

/// `--hook-env` (not Juju) reaches the hooks; nothing else of the caller's
/// environment does.
#[test]
fn hook_env_is_the_only_way_in() {
    let dir = tempfile::tempdir().unwrap();
    let charm = probe(&dir, "probe", &[]);
    let model = dir.path().join("m");
    let charm = charm.to_str().unwrap();
    ok(juju_sim(
        &model,
        &["--hook-env", "REACTIVE_LOG_LEVEL=debug", "deploy", charm],
    ));
    let env = std::fs::read_to_string(model.join("units/unit-probe-0/charm/env.install")).unwrap();
    assert!(env.contains("REACTIVE_LOG_LEVEL=debug\n"), "{env}");
    assert!(!env.contains("JUJU_SIM_TOOL="), "{env}");
}
