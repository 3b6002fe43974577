//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use juju_sim::report::HookRun;
use juju_sim::{Model, Options};
use tempfile::TempDir;

/// The test charms shipped with the crate.
pub fn charms() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/charms")
}

/// Options pointing at the tool cargo built for these tests.
pub fn options() -> Options {
    Options {
        tool: Some(env!("CARGO_BIN_EXE_juju-sim-tool").into()),
        ..Options::default()
    }
}

/// A fresh model in a temporary directory.
pub fn model() -> (TempDir, Model) {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = Model::create(dir.path().join("model"), "test", options()).expect("model");
    (dir, model)
}

/// A copy of the probe charm, in `dir`, with `on/<hook>` scripts added
/// (bash bodies; `set -e` is prepended).
pub fn probe(dir: &TempDir, name: &str, scripts: &[(&str, &str)]) -> PathBuf {
    let charm = dir.path().join(name);
    copy_dir(&charms().join("probe"), &charm);
    fs::create_dir_all(charm.join("on")).expect("on/");
    for (hook, body) in scripts {
        let path = charm.join("on").join(hook);
        fs::write(&path, format!("#!/bin/bash\nset -e\n{body}\n")).expect("script");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    charm
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read charm") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A file of a unit's charm directory, empty if missing.
pub fn unit_file(model: &Model, unit: &str, name: &str) -> String {
    let dir = model.unit_dir(unit).expect("unit dir");
    fs::read_to_string(dir.join(name)).unwrap_or_default()
}

/// The lines a unit's probe wrote to events.log:
/// `hook|relation|relation-id|remote-unit|remote-app|departing-unit`.
pub fn events(model: &Model, unit: &str) -> Vec<String> {
    unit_file(model, unit, "events.log")
        .lines()
        .map(String::from)
        .collect()
}

/// Hook names of the events a unit saw.
pub fn hooks(model: &Model, unit: &str) -> Vec<String> {
    events(model, unit)
        .iter()
        .map(|l| l.split('|').next().unwrap_or_default().to_string())
        .collect()
}

/// `unit hook` for each run, in order.
pub fn run_list(runs: &[HookRun]) -> Vec<String> {
    runs.iter()
        .map(|r| format!("{} {}", r.unit, r.hook))
        .collect()
}

/// Hooks run on one unit, in order.
pub fn runs_on(runs: &[HookRun], unit: &str) -> Vec<String> {
    runs.iter()
        .filter(|r| r.unit == unit)
        .map(|r| r.hook.clone())
        .collect()
}
