//! What the end-to-end tests share: the packed charms and a fresh model.
//!
//! Cargo builds this package's executables (the charms, `sim-hook-tool`,
//! `faulty-provider`) before its integration tests and names them in
//! `CARGO_BIN_EXE_*`, so the tests build nothing themselves. Each test
//! binary packs the charm directories once, under cargo's temporary
//! directory for tests; the `.charm` archives are not needed to deploy.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use juju_sim::report::HookRun;
use juju_sim::{Model, Options};
use kafka_examples::pack::{pack_charm_dir, read_charm_dir, CharmFiles, EXAMPLE_CHARMS};
use kafka_examples::scenario::{Charms, Step};
use serde_json::Value;

/// The packed charms of this test binary.
pub struct Packed {
    /// kafka-provider and kafka-client.
    pub examples: Charms,
    /// The provider that fails while `fail` is true.
    pub faulty: PathBuf,
    /// The shell provider publishing its `port` option as is.
    pub bad_port: PathBuf,
    /// The kafka_client broker.
    pub broker: PathBuf,
}

fn exe(name: &str) -> PathBuf {
    let path = match name {
        "kafka-provider" => env!("CARGO_BIN_EXE_kafka-provider"),
        "kafka-client" => env!("CARGO_BIN_EXE_kafka-client"),
        "kafka-broker" => env!("CARGO_BIN_EXE_kafka-broker"),
        "faulty-provider" => env!("CARGO_BIN_EXE_faulty-provider"),
        "sim-hook-tool" => env!("CARGO_BIN_EXE_sim-hook-tool"),
        other => panic!("no executable {other}"),
    };
    PathBuf::from(path)
}

fn source(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/charms")
        .join(dir)
}

/// Packs the charms once per test binary.
pub fn charms() -> &'static Packed {
    static PACKED: OnceLock<Packed> = OnceLock::new();
    PACKED.get_or_init(|| {
        let me = std::env::current_exe().expect("test executable");
        let stem = me
            .file_stem()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("charms-{stem}"));
        let pack = |name: &str, files: CharmFiles| {
            pack_charm_dir(name, &files, &exe(name), &out).expect(name)
        };
        let mut dirs = EXAMPLE_CHARMS.iter().map(|c| pack(c.name, c.charm_files()));
        let (provider, client) = (dirs.next().expect("provider"), dirs.next().expect("client"));
        let faulty_files = read_charm_dir(&source("faulty-provider")).expect("faulty files");
        let broker_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("charms/kafka-broker");
        let broker_files = read_charm_dir(&broker_dir).expect("broker files");
        let broker = pack("kafka-broker", broker_files);
        Packed {
            examples: Charms {
                provider,
                client,
                broker: broker.clone(),
            },
            faulty: pack("faulty-provider", faulty_files),
            bad_port: source("bad-port-kafka"),
            broker,
        }
    })
}

/// A new, empty model in a temporary directory (kept while the guard
/// lives), running hooks with this package's hook tool.
pub fn model() -> (tempfile::TempDir, Model) {
    model_with(Options::default())
}

/// [`model`] with options (the hook tool is set).
pub fn model_with(options: Options) -> (tempfile::TempDir, Model) {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = Options {
        tool: Some(exe("sim-hook-tool")),
        ..options
    };
    let model = Model::create(dir.path(), "e2e", options).expect("model");
    (dir, model)
}

/// Settles, failing the test with every failed hook's output if a unit is
/// left in error or any hook failed on the way.
pub fn settle(model: &mut Model) -> Vec<HookRun> {
    let report = model.settle_report().expect("settle");
    let failed = report.failures();
    assert!(failed.is_empty(), "hooks failed:\n{}", failed.join("\n"));
    report.runs
}

/// `(status, message)` of a unit.
pub fn status(model: &Model, unit: &str) -> (String, String) {
    let s = model.unit_status(unit).expect("unit");
    (s.status.clone(), s.message.clone())
}

/// The unit's flags.
pub fn flags(model: &mut Model, unit: &str) -> BTreeMap<String, Value> {
    model.flags(unit).expect("flags")
}

/// Whether the unit has `flag` set.
pub fn has_flag(model: &mut Model, unit: &str, flag: &str) -> bool {
    flags(model, unit).contains_key(flag)
}

/// The conversations holding a relation flag (empty when unset).
pub fn holders(model: &mut Model, unit: &str, flag: &str) -> Vec<String> {
    flags(model, unit)
        .get(flag)
        .and_then(|v| v["conversations"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|k| k.as_str().map(str::to_string))
        .collect()
}

/// The client's properties file, if there is one.
pub fn properties(model: &Model, unit: &str) -> Option<String> {
    let path = model
        .unit_dir(unit)
        .expect("unit")
        .join("kafka-client.properties");
    std::fs::read_to_string(path).ok()
}

/// `bootstrap.servers=<brokers>\n`.
pub fn bootstrap(brokers: &[String]) -> String {
    format!("bootstrap.servers={}\n", brokers.join(","))
}

/// A unit's published address on a relation.
pub fn address(model: &Model, id: u32, unit: &str) -> String {
    let data = model.relation_data(id, unit).expect("relation");
    reactive_core::hookenv::published_address(&data)
        .map(|(_, a)| a.to_string())
        .unwrap_or_default()
}

/// `address:port` of a provider unit on a relation.
pub fn broker(model: &Model, id: u32, unit: &str, port: u16) -> String {
    format!("{}:{port}", address(model, id, unit))
}

/// The ports a unit opened, as text (`9092/tcp`).
pub fn ports(model: &Model, unit: &str) -> Vec<String> {
    model
        .opened_ports(unit)
        .expect("unit")
        .iter()
        .map(|p| p.to_string())
        .collect()
}

/// Applies a step of the demo's scenario and settles.
pub fn apply(model: &mut Model, step: Step) -> Vec<HookRun> {
    let charms = &charms().examples;
    if let Err(e) = step.apply(model, charms) {
        panic!("{}: {e}", step.title());
    }
    settle(model)
}
