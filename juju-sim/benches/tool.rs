//! Cost of the simulator's moving parts: one hook-tool call (process start
//! included, against `/bin/true` as the floor), and one no-op hook run
//! through the model.
//!
//! `cargo bench -p juju-sim --bench tool`

use std::path::Path;
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};
use juju_sim::context::{ContextDir, HookContext, RelationContext, Settings, CONTEXT_ENV};
use juju_sim::{Model, Options};

const TOOL: &str = env!("CARGO_BIN_EXE_juju-sim-tool");

fn context() -> HookContext {
    let settings: Settings = (0..10)
        .map(|i| (format!("key{i}"), format!("value{i}")))
        .collect();
    let relation = RelationContext {
        name: "db".into(),
        remote_app: "client".into(),
        listed: true,
        units: vec!["client/0".into(), "client/1".into()],
        local_unit: settings.clone(),
        remote_units: [
            ("client/0".into(), settings.clone()),
            ("client/1".into(), settings),
        ]
        .into_iter()
        .collect(),
        ..RelationContext::default()
    };
    HookContext {
        unit: "app/0".into(),
        app: "app".into(),
        leader: true,
        relation_id: Some(1),
        remote_unit: Some("client/0".into()),
        relations: [(1, relation)].into_iter().collect(),
        ..HookContext::default()
    }
}

fn call(dir: &Path, tool: &str, args: &[&str]) {
    // Called by its tool name, as a hook would, through a symlink.
    let status = Command::new(dir.join(tool))
        .args(args)
        .env(CONTEXT_ENV, dir)
        .status()
        .expect("run tool");
    assert!(status.success(), "{tool} {args:?} failed");
}

fn tool_calls(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx = ContextDir::new(dir.path());
    ctx.begin(&context()).expect("context");
    for name in ["is-leader", "relation-get", "relation-set", "juju-log"] {
        std::os::unix::fs::symlink(TOOL, dir.path().join(name)).expect("link");
    }
    let mut group = c.benchmark_group("tool");
    group.bench_function("process floor (/bin/true)", |b| {
        b.iter(|| Command::new("/bin/true").status().expect("true"))
    });
    group.bench_function("is-leader", |b| {
        b.iter(|| call(dir.path(), "is-leader", &[]))
    });
    group.bench_function("relation-get - (json)", |b| {
        b.iter(|| call(dir.path(), "relation-get", &["--format=json", "-"]))
    });
    group.bench_function("relation-set", |b| {
        b.iter(|| call(dir.path(), "relation-set", &["k=v"]))
    });
    group.bench_function("juju-log", |b| {
        b.iter(|| call(dir.path(), "juju-log", &["hello"]))
    });
    group.finish();
}

fn noop_hook(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let charm = dir.path().join("noop");
    std::fs::create_dir_all(&charm).expect("charm dir");
    std::fs::write(charm.join("metadata.yaml"), "name: noop\n").expect("metadata");
    let dispatch = charm.join("dispatch");
    std::fs::write(&dispatch, "#!/bin/sh\nexit 0\n").expect("dispatch");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dispatch, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let options = Options {
        tool: Some(TOOL.into()),
        ..Options::default()
    };
    let mut model = Model::create(dir.path().join("model"), "bench", options).expect("model");
    model.deploy("noop", &charm, 1).expect("deploy");
    model.settle().expect("settle");
    c.bench_function("model/update-status on a no-op sh charm", |b| {
        b.iter(|| {
            model.update_status();
            model.settle().expect("settle")
        })
    });
}

criterion_group!(benches, tool_calls, noop_hook);
criterion_main!(benches);
