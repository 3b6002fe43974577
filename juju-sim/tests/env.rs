//! The environment, working directory and executable of each hook kind.

mod common;

use std::collections::BTreeMap;

use common::*;
use juju_sim::report::RunStatus;

/// The environment a unit saw in a hook (minus what bash adds).
fn env(model: &juju_sim::Model, unit: &str, hook: &str) -> BTreeMap<String, String> {
    unit_file(model, unit, &format!("env.{hook}"))
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn keys(env: &BTreeMap<String, String>) -> Vec<&str> {
    env.keys().map(String::as_str).collect()
}

/// Juju builds a hook's environment from nothing: `HookVars` in
/// `worker/uniter/runner/context/context.go` and `ubuntuEnv` in
/// `worker/uniter/runner/context/env.go`. Nothing of the caller's
/// environment (not even `HOME`) reaches the hook but `PATH`, after the
/// tools.
#[test]
fn every_hook_gets_only_jujus_variables_and_the_tools_first_on_path() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    model.deploy("a", &charm, 1).unwrap();
    model.settle().unwrap();
    let install = env(&model, "a/0", "install");
    let charm_dir = model.unit_dir("a/0").unwrap().display().to_string();
    assert!(
        std::env::var_os("HOME").is_some(),
        "the test runs with HOME"
    );
    assert_eq!(
        keys(&install),
        [
            "APT_LISTCHANGES_FRONTEND",
            "CHARM_DIR",
            "CLOUD_API_VERSION",
            "DEBIAN_FRONTEND",
            "JUJU_AGENT_SOCKET_ADDRESS",
            "JUJU_AGENT_SOCKET_NETWORK",
            "JUJU_API_ADDRESSES",
            "JUJU_AVAILABILITY_ZONE",
            "JUJU_CHARM_DIR",
            "JUJU_CHARM_FTP_PROXY",
            "JUJU_CHARM_HTTPS_PROXY",
            "JUJU_CHARM_HTTP_PROXY",
            "JUJU_CHARM_NO_PROXY",
            "JUJU_CONTEXT_ID",
            "JUJU_DISPATCH_PATH",
            "JUJU_HOOK_NAME",
            "JUJU_MACHINE_ID",
            "JUJU_MODEL_NAME",
            "JUJU_MODEL_UUID",
            "JUJU_PRINCIPAL_UNIT",
            "JUJU_SIM_CONTEXT",
            "JUJU_SLA",
            "JUJU_UNIT_NAME",
            "JUJU_VERSION",
            "LANG",
            "PATH",
            "TERM",
        ]
    );
    assert_eq!(install["LANG"], "C.UTF-8");
    assert_eq!(install["TERM"], "tmux-256color");
    assert_eq!(install["DEBIAN_FRONTEND"], "noninteractive");
    assert_eq!(install["JUJU_PRINCIPAL_UNIT"], "");
    assert_eq!(install["JUJU_UNIT_NAME"], "a/0");
    assert_eq!(install["JUJU_CHARM_DIR"], charm_dir);
    assert_eq!(install["CHARM_DIR"], charm_dir);
    assert_eq!(install["JUJU_MODEL_NAME"], "test");
    assert_eq!(install["JUJU_MODEL_UUID"].len(), 36);
    assert_eq!(install["JUJU_VERSION"], "3.4.5");
    assert!(install["JUJU_CONTEXT_ID"].starts_with("a/0-install-"));
    assert_eq!(install["JUJU_DISPATCH_PATH"], "hooks/install");
    assert_eq!(install["JUJU_HOOK_NAME"], "install");
    let tools = model.workdir().join("tools").display().to_string();
    assert!(
        install["PATH"].starts_with(&format!("{tools}:")),
        "{}",
        install["PATH"]
    );
    assert_eq!(unit_file(&model, "a/0", "cwd.install").trim(), charm_dir);
    // Context ids differ between hooks.
    let start = env(&model, "a/0", "start");
    assert_ne!(start["JUJU_CONTEXT_ID"], install["JUJU_CONTEXT_ID"]);
}

/// `Options::hook_env` is not Juju: the one way a test hands a hook a
/// variable (a store path, a log level).
#[test]
fn hook_env_adds_variables_and_overrides_jujus() {
    let (dir, mut model) = model();
    model.options_mut().hook_env = vec![
        ("UNIT_STATE_DB".into(), "/tmp/x.db".into()),
        ("LANG".into(), "C".into()),
    ];
    let charm = probe(&dir, "probe", &[]);
    model.deploy("a", &charm, 1).unwrap();
    model.settle().unwrap();
    let install = env(&model, "a/0", "install");
    assert_eq!(install["UNIT_STATE_DB"], "/tmp/x.db");
    assert_eq!(install["LANG"], "C");
}

#[test]
fn relation_hooks_get_the_relation_variables() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[]);
    model.deploy("a", &charm, 1).unwrap();
    model.deploy("b", &charm, 1).unwrap();
    let id = model.relate("a:db", "b:backend").unwrap();
    model.settle().unwrap();
    let joined = env(&model, "a/0", "db-relation-joined");
    assert_eq!(joined["JUJU_RELATION"], "db");
    assert_eq!(joined["JUJU_RELATION_ID"], format!("db:{id}"));
    assert_eq!(joined["JUJU_REMOTE_UNIT"], "b/0");
    assert_eq!(joined["JUJU_REMOTE_APP"], "b");
    assert!(!joined.contains_key("JUJU_DEPARTING_UNIT"));
    assert_eq!(joined["JUJU_HOOK_NAME"], "db-relation-joined");
    let created = env(&model, "b/0", "backend-relation-created");
    assert_eq!(
        created["JUJU_REMOTE_UNIT"], "",
        "no remote unit for created"
    );
    assert_eq!(created["JUJU_REMOTE_APP"], "a");

    model.remove_unit("b/0").unwrap();
    model.settle().unwrap();
    let departed = env(&model, "a/0", "db-relation-departed");
    assert_eq!(departed["JUJU_REMOTE_UNIT"], "b/0");
    assert_eq!(departed["JUJU_DEPARTING_UNIT"], "b/0");
    // The removed unit's own files stay on disk for inspection.
    let gone = model
        .workdir()
        .join("units/unit-b-0/charm/env.backend-relation-broken");
    let broken = std::fs::read_to_string(gone).unwrap();
    assert!(broken.contains("JUJU_RELATION_ID=backend:2\n"), "{broken}");
    assert!(broken.contains("JUJU_REMOTE_UNIT=\n"), "{broken}");
}

#[test]
fn charms_without_dispatch_run_hooks_directly_and_skip_missing_ones() {
    let (_dir, mut model) = model();
    model.deploy("old", charms().join("legacy"), 1).unwrap();
    let runs = model.settle().unwrap();
    let summary: Vec<(String, bool)> = runs
        .iter()
        .map(|r| (r.hook.clone(), r.status == RunStatus::Skipped))
        .collect();
    assert_eq!(
        summary,
        [
            ("install".into(), false),
            ("leader-elected".into(), true),
            ("config-changed".into(), true),
            ("start".into(), false)
        ]
    );
    let ran = unit_file(&model, "old/0", "ran.log");
    assert_eq!(ran, "install unset install\nstart unset start\n");
    assert_eq!(model.unit_status("old/0").unwrap().message, "ran start");
}

#[test]
fn each_unit_has_its_own_charm_directory_without_copied_unit_state() {
    let (dir, mut model) = model();
    let charm = probe(&dir, "probe", &[("install", "echo mine > private.txt")]);
    std::fs::write(charm.join(".unit-state.sled"), "stale").unwrap();
    model.deploy("a", &charm, 2).unwrap();
    model.settle().unwrap();
    let (d0, d1) = (
        model.unit_dir("a/0").unwrap(),
        model.unit_dir("a/1").unwrap(),
    );
    assert_ne!(d0, d1);
    assert!(d0.join("private.txt").exists() && d1.join("private.txt").exists());
    assert!(
        !charm.join("private.txt").exists(),
        "the source stays untouched"
    );
    assert!(!d0.join(".unit-state.sled").exists());
    assert!(d0.join("metadata.yaml").exists() && d0.join("on/install").exists());
}

#[test]
fn the_tool_is_found_next_to_the_build_or_reported_missing() {
    let found = juju_sim::locate_tool().unwrap();
    assert_eq!(found.file_name().unwrap(), "juju-sim-tool");

    let (dir, _) = model();
    let options = juju_sim::Options {
        tool: Some(dir.path().join("no-such-tool")),
        ..juju_sim::Options::default()
    };
    let mut model = juju_sim::Model::create(dir.path().join("m2"), "m2", options).unwrap();
    model.deploy("old", charms().join("legacy"), 1).unwrap();
    let err = model.settle().unwrap_err();
    assert!(err.to_string().contains("cargo build -p juju-sim"), "{err}");
}
